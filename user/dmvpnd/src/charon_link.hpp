// SPDX-License-Identifier: GPL-2.0
// dmvpnd's side of charon: it keeps a VICI connection up (reconnecting
// with backoff when charon is not there or goes), follows the SA events,
// and rebuilds its table of SAs from list-sas on every connect, so that
// neither a charon restart nor its own loses track. What it asks of
// charon is named by unique id (terminate) or by connection (initiate of
// a server's child), never by anything that covers more.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <set>
#include <string>

#include "backoff.hpp"
#include "fd.hpp"
#include "sa_table.hpp"
#include "timer_queue.hpp"
#include "vici_client.hpp"

namespace dmvpnd {

class CharonLink {
public:
  struct Hooks {
    // A connected VICI socket, or an empty Fd (charon not there yet).
    std::function<Fd()> connect;
    // The socket to poll changed (-1: none).
    std::function<void(int old_fd, int new_fd)> watch;
    // The table changed, or was rebuilt after a (re)connect.
    std::function<void()> changed;
  };
  // The events whose SAs the table follows; list-sa streams list-sas.
  static constexpr const char *kEvents[] = {
      "ike-updown", "child-updown", "ike-rekey", "child-rekey", "list-sa"};

  CharonLink(TimerQueue &timers, Hooks hooks);

  void start();
  // Connected, and the table read from charon since.
  [[nodiscard]] bool up() const { return listed_; }
  [[nodiscard]] const SaTable &sas() const { return sas_; }
  [[nodiscard]] std::set<std::uint32_t> take_touched() {
    return sas_.take_touched();
  }

  [[nodiscard]] int fd() const { return client_.fd(); }
  [[nodiscard]] bool wants_write() const { return client_.wants_write(); }
  void on_readable();
  void on_writable();

  // Each IKE_SA is asked to go once.
  void terminate(std::uint32_t ike_id);
  // Each CHILD_SA too.
  void terminate_child(std::uint32_t ike_id, std::uint32_t child_id);
  void initiate(const std::string &ike, const std::string &child);
  // Ends duplicate IKE_SAs (SaTable::duplicates), once the one kept has
  // been rekeyed, child first.
  void end_duplicates(const std::string &dynamic);

private:
  // Whether the keeper's CHILD_SA has been rekeyed (or the rekey failed)
  // since it became the keeper; asks charon for the rekey the first time.
  bool keeper_newest(std::uint32_t keep);
  void rekey_child(std::uint32_t ike_id, std::uint32_t child_id);
  void end_duplicate(std::uint32_t id);
  void end(const char *key, const char *what, std::uint32_t id,
           std::function<bool()> gone);
  void connect();
  void lost(const char *why);
  void list();
  void on_event(const std::string &name, const vici::Section &m);

  Hooks hooks_;
  ViciClient client_;
  SaTable sas_;
  Timer retry_;
  Backoff backoff_;
  bool listed_ = false;
  bool warned_ = false; // "charon not reachable" said once per outage
  std::set<std::uint32_t> terminating_;
  std::map<std::uint32_t, std::uint32_t> ending_children_; // -> IKE_SA
  // Duplicate IKE_SAs whose CHILD_SAs were asked to go.
  std::set<std::uint32_t> emptied_;
  // Keepers (IKE_SA) whose CHILD_SA was asked to rekey: that CHILD_SA, or
  // 0 if the rekey failed.
  std::map<std::uint32_t, std::uint32_t> rekeyed_;
};

} // namespace dmvpnd
