// SPDX-License-Identifier: GPL-2.0
// What charon holds, as dmvpnd learns it over VICI (list-sa at connect,
// then the ike/child updown and rekey events): its IKE_SAs with their
// CHILD_SAs, looked up by the peer's NBMA address. dmvpnd decides from it
// which peers are protected, which IKE_SAs to terminate (by unique id,
// never by name: a name covers the hub's SA too), and which duplicate of
// a simultaneous initiation goes. Pure: VICI messages in, answers out.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "ip4.hpp"
#include "vici.hpp"

namespace dmvpnd {

struct ChildSa {
  std::uint32_t uniqueid = 0;
  std::string name;
  std::uint32_t reqid = 0;
  std::string state; // INSTALLED when it carries traffic
  bool transport = false;
  bool encap = false;        // UDP-encapsulated (NAT-T)
  std::uint32_t spi_out = 0; // 0: not reported
  bool operator==(const ChildSa &) const = default;
};

struct IkeSa {
  std::uint32_t uniqueid = 0;
  std::string name; // the connection it was made from
  std::string state;
  Ip4 local;
  Ip4 remote;
  bool initiator = false;
  bool nat = false;          // any side behind NAT
  std::string initiator_spi; // hex, the same at both ends
  std::map<std::uint32_t, ChildSa> children;

  [[nodiscard]] bool carries() const;
};

class SaTable {
public:
  // Events and list-sa messages; false (and nothing changed) for one
  // that does not read as charon writes them.
  bool on_list_sa(const vici::Section &m);
  bool on_ike_updown(const vici::Section &m);
  bool on_child_updown(const vici::Section &m);
  bool on_ike_rekey(const vici::Section &m);
  bool on_child_rekey(const vici::Section &m);
  // charon went away (or is about to be listed again).
  void clear();

  // An installed transport-mode CHILD_SA to `nbma`.
  [[nodiscard]] bool protects(Ip4 nbma) const;
  [[nodiscard]] std::vector<const IkeSa *> to(Ip4 nbma) const;
  [[nodiscard]] const IkeSa *find(std::uint32_t ike_id) const;
  [[nodiscard]] bool has_child(std::uint32_t ike_id,
                               std::uint32_t child_id) const;
  [[nodiscard]] std::size_t size() const { return ike_.size(); }
  [[nodiscard]] const std::map<std::uint32_t, IkeSa> &all() const {
    return ike_;
  }
  // The IKE_SAs that came, changed or went since the last call, so that
  // what follows each event need not walk every SA of a hub.
  [[nodiscard]] std::set<std::uint32_t> take_touched() {
    return std::exchange(touched_, {});
  }

  // Of two or more established IKE_SAs to one peer, the one to keep and
  // the others. When both ends initiated some, the one kept has the
  // lowest initiator SPI: both ends see the same SPIs, whatever NAT did
  // to their addresses, so they keep the same one. When one end
  // initiated them all (a spoke's connection to its NHS and the on-demand
  // one `dynamic`, both started at once), it keeps one not made from
  // `dynamic` if there is one. Only the end that initiated the one kept
  // gets an answer: it ends the others, and it alone, so that its peer
  // has the one kept installed by then (an initiator installs a CHILD_SA
  // after its responder) and the two ends' deletes do not cross.
  struct Duplicates {
    std::uint32_t keep = 0;
    std::vector<std::uint32_t> others;
    bool operator==(const Duplicates &) const = default;
  };
  [[nodiscard]] std::vector<Duplicates>
  duplicates(const std::string &dynamic) const;
  // Established IKE_SAs of `conn` without a CHILD_SA (a wildcard acquire
  // makes a new IKE_SA each time; its child may have gone).
  [[nodiscard]] std::vector<std::uint32_t>
  childless(const std::string &conn) const;

private:
  // After any change to IKE_SA `id` (or its removal).
  void reindex(std::uint32_t id);

  std::map<std::uint32_t, IkeSa> ike_; // by unique id
  // By peer, so that a hub's lookups per NHRP packet do not cost the
  // number of its spokes.
  std::unordered_map<std::uint32_t, std::uint32_t> remote_of_; // id -> be
  std::unordered_map<std::uint32_t, std::set<std::uint32_t>> by_remote_;
  std::set<std::uint32_t> shared_; // peers with two IKE_SAs or more
  std::set<std::uint32_t> touched_;
};

} // namespace dmvpnd
