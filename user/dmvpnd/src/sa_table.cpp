// SPDX-License-Identifier: GPL-2.0
#include "sa_table.hpp"

#include <algorithm>
#include <charconv>

namespace dmvpnd {
namespace {

// Decimal, or hex as charon writes SPIs (c60fbbd1).
std::optional<std::uint32_t> number(const std::string *s, int base = 10) {
  std::uint32_t v = 0;
  if (!s || s->empty())
    return std::nullopt;
  auto [end, ec] = std::from_chars(s->data(), s->data() + s->size(), v, base);
  if (ec != std::errc() || end != s->data() + s->size())
    return std::nullopt;
  return v;
}

bool yes(const vici::Section &s, std::string_view key) {
  const auto *v = s.value(key);
  return v && *v == "yes";
}

std::optional<ChildSa> child_of(const std::string &name,
                                const vici::Section &s) {
  ChildSa c;
  auto id = number(s.value("uniqueid"));
  if (!id)
    return std::nullopt;
  c.uniqueid = *id;
  c.name = s.value("name") ? *s.value("name") : name;
  c.reqid = number(s.value("reqid")).value_or(0);
  c.state = s.value("state") ? *s.value("state") : "";
  // charon writes the mode in capitals (TRANSPORT), the README in lower
  // case.
  if (const auto *m = s.value("mode")) {
    std::string mode = *m;
    std::transform(mode.begin(), mode.end(), mode.begin(),
                   [](unsigned char ch) { return std::tolower(ch); });
    c.transport = mode == "transport";
  }
  c.encap = yes(s, "encap");
  c.spi_out = number(s.value("spi-out"), 16).value_or(0);
  return c;
}

// One IKE_SA section (list-sa, updown; "old"/"new" of ike-rekey).
std::optional<IkeSa> ike_of(const std::string &name, const vici::Section &s) {
  IkeSa sa;
  auto id = number(s.value("uniqueid"));
  auto local =
      s.value("local-host") ? Ip4::parse(*s.value("local-host")) : std::nullopt;
  auto remote = s.value("remote-host") ? Ip4::parse(*s.value("remote-host"))
                                       : std::nullopt;
  if (!id || !local || !remote)
    return std::nullopt;
  sa.uniqueid = *id;
  sa.name = name;
  sa.state = s.value("state") ? *s.value("state") : "";
  sa.local = *local;
  sa.remote = *remote;
  sa.initiator = yes(s, "initiator");
  sa.nat = yes(s, "nat-any") || yes(s, "nat-local") || yes(s, "nat-remote");
  if (const auto *spi = s.value("initiator-spi"))
    sa.initiator_spi = *spi;
  if (const auto *children = s.section("child-sas"))
    for (const auto &e : children->entries) {
      const auto *cs = std::get_if<vici::Section>(&e.value);
      if (!cs)
        continue;
      // (child-rekey nests old and new under the child's name.)
      if (cs->section("new") || cs->section("old"))
        continue;
      auto c = child_of(e.name, *cs);
      if (!c)
        return std::nullopt;
      sa.children[c->uniqueid] = *c;
    }
  return sa;
}

// The IKE_SA sections of a message: every section but the keys charon
// puts beside them ("up").
std::vector<std::pair<std::string, const vici::Section *>>
ike_sections(const vici::Section &m) {
  std::vector<std::pair<std::string, const vici::Section *>> out;
  for (const auto &e : m.entries)
    if (const auto *s = std::get_if<vici::Section>(&e.value))
      out.emplace_back(e.name, s);
  return out;
}

// Every IKE_SA of a message, or none if one does not read.
std::optional<std::vector<IkeSa>> ike_sas(const vici::Section &m) {
  std::vector<IkeSa> out;
  for (const auto &[name, s] : ike_sections(m)) {
    auto sa = ike_of(name, *s);
    if (!sa)
      return std::nullopt;
    out.push_back(std::move(*sa));
  }
  return out;
}

} // namespace

bool IkeSa::carries() const {
  return std::any_of(children.begin(), children.end(), [](const auto &kv) {
    return kv.second.state == "INSTALLED";
  });
}

bool SaTable::on_list_sa(const vici::Section &m) {
  auto got = ike_sas(m);
  if (!got)
    return false;
  for (auto &sa : *got) {
    auto id = sa.uniqueid;
    ike_[id] = std::move(sa);
    reindex(id);
  }
  return true;
}

bool SaTable::on_ike_updown(const vici::Section &m) {
  bool up = yes(m, "up");
  auto got = ike_sas(m);
  if (!got)
    return false;
  for (auto &sa : *got) {
    auto id = sa.uniqueid;
    if (!up) {
      ike_.erase(id);
      reindex(id);
      continue;
    }
    // Its children come with their own events.
    auto &cur = ike_[id];
    auto children = std::move(cur.children);
    cur = std::move(sa);
    cur.children = std::move(children);
    reindex(id);
  }
  return true;
}

bool SaTable::on_child_updown(const vici::Section &m) {
  bool up = yes(m, "up");
  auto got = ike_sas(m);
  if (!got)
    return false;
  for (auto &sa : *got) {
    auto it = ike_.find(sa.uniqueid);
    if (it == ike_.end()) {
      if (!up)
        continue;
      // A child whose IKE_SA we have not heard of: take both.
      ike_[sa.uniqueid] = sa;
      reindex(sa.uniqueid);
      continue;
    }
    touched_.insert(sa.uniqueid);
    for (const auto &[id, c] : sa.children) {
      if (up)
        it->second.children[id] = c;
      else
        it->second.children.erase(id);
    }
  }
  return true;
}

bool SaTable::on_ike_rekey(const vici::Section &m) {
  for (const auto &[name, s] : ike_sections(m)) {
    const auto *o = s->section("old");
    const auto *n = s->section("new");
    auto before = o ? ike_of(name, *o) : std::nullopt;
    auto after = n ? ike_of(name, *n) : std::nullopt;
    if (!before || !after)
      return false;
    // The children move to the new IKE_SA.
    auto it = ike_.find(before->uniqueid);
    if (it != ike_.end()) {
      after->children = std::move(it->second.children);
      ike_.erase(it);
    }
    reindex(before->uniqueid);
    auto id = after->uniqueid;
    ike_[id] = std::move(*after);
    reindex(id);
  }
  return true;
}

bool SaTable::on_child_rekey(const vici::Section &m) {
  for (const auto &[name, s] : ike_sections(m)) {
    auto sa = ike_of(name, *s);
    const auto *children = s->section("child-sas");
    if (!sa || !children)
      return false;
    auto &cur = ike_[sa->uniqueid];
    if (!cur.uniqueid) {
      cur = *sa;
      cur.children.clear();
      reindex(cur.uniqueid);
    }
    touched_.insert(cur.uniqueid);
    for (const auto &e : children->entries) {
      const auto *cs = std::get_if<vici::Section>(&e.value);
      const auto *o = cs ? cs->section("old") : nullptr;
      const auto *n = cs ? cs->section("new") : nullptr;
      auto before = o ? child_of(e.name, *o) : std::nullopt;
      auto after = n ? child_of(e.name, *n) : std::nullopt;
      if (!before || !after)
        return false;
      cur.children.erase(before->uniqueid);
      cur.children[after->uniqueid] = *after;
    }
  }
  return true;
}

void SaTable::clear() {
  for (const auto &[id, sa] : ike_)
    touched_.insert(id);
  ike_.clear();
  remote_of_.clear();
  by_remote_.clear();
  shared_.clear();
}

void SaTable::reindex(std::uint32_t id) {
  touched_.insert(id);
  if (auto was = remote_of_.find(id); was != remote_of_.end()) {
    auto &ids = by_remote_[was->second];
    ids.erase(id);
    if (ids.size() < 2)
      shared_.erase(was->second);
    if (ids.empty())
      by_remote_.erase(was->second);
    remote_of_.erase(was);
  }
  auto it = ike_.find(id);
  if (it == ike_.end())
    return;
  auto be = it->second.remote.be;
  remote_of_[id] = be;
  auto &ids = by_remote_[be];
  ids.insert(id);
  if (ids.size() >= 2)
    shared_.insert(be);
}

bool SaTable::protects(Ip4 nbma) const {
  auto sas = to(nbma);
  return std::any_of(sas.begin(), sas.end(), [](const IkeSa *sa) {
    return std::any_of(
        sa->children.begin(), sa->children.end(), [](const auto &c) {
          return c.second.state == "INSTALLED" && c.second.transport;
        });
  });
}

std::vector<const IkeSa *> SaTable::to(Ip4 nbma) const {
  std::vector<const IkeSa *> out;
  auto it = by_remote_.find(nbma.be);
  if (it == by_remote_.end())
    return out;
  for (auto id : it->second)
    out.push_back(&ike_.at(id));
  return out;
}

const IkeSa *SaTable::find(std::uint32_t ike_id) const {
  auto it = ike_.find(ike_id);
  return it == ike_.end() ? nullptr : &it->second;
}

bool SaTable::has_child(std::uint32_t ike_id, std::uint32_t child_id) const {
  const IkeSa *sa = find(ike_id);
  return sa && sa->children.contains(child_id);
}

std::vector<SaTable::Duplicates>
SaTable::duplicates(const std::string &dynamic) const {
  std::vector<Duplicates> out;
  for (auto be : shared_) {
    std::vector<const IkeSa *> sas;
    for (const IkeSa *sa : to(Ip4{be}))
      if (sa->state == "ESTABLISHED")
        sas.push_back(sa);
    if (sas.size() < 2)
      continue;
    bool all_mine = std::all_of(sas.begin(), sas.end(),
                                [](const IkeSa *sa) { return sa->initiator; });
    auto keep = std::min_element(
        sas.begin(), sas.end(), [&](const IkeSa *a, const IkeSa *b) {
          bool named_a = a->name != dynamic, named_b = b->name != dynamic;
          if (all_mine && named_a != named_b)
            return named_a;
          return a->initiator_spi < b->initiator_spi;
        });
    if (!(*keep)->initiator)
      continue;
    Duplicates d{(*keep)->uniqueid, {}};
    for (const IkeSa *sa : sas)
      if (sa != *keep)
        d.others.push_back(sa->uniqueid);
    out.push_back(std::move(d));
  }
  return out;
}

std::vector<std::uint32_t> SaTable::childless(const std::string &conn) const {
  std::vector<std::uint32_t> out;
  for (const auto &[id, sa] : ike_)
    if (sa.name == conn && sa.state == "ESTABLISHED" && sa.children.empty())
      out.push_back(id);
  return out;
}

} // namespace dmvpnd
