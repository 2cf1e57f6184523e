// SPDX-License-Identifier: GPL-2.0
#include "cache_view.hpp"

namespace dmvpnd {

void CacheView::reset(const std::vector<KernelEntry> &entries) {
  entries_.clear();
  per_nbma_.clear();
  registrations_ = 0;
  for (const auto &k : entries)
    if (k.prefixlen == 32)
      put(k.proto, from_kernel(k));
}

// Returns the NBMA whose count crossed zero (either way), if any.
std::optional<Ip4> CacheView::count(const Entry &e, int delta) {
  if (!e.registered())
    return std::nullopt;
  registrations_ += delta;
  auto &n = per_nbma_[e.nbma->be];
  n += delta;
  if (n == 0) {
    per_nbma_.erase(e.nbma->be);
    return e.nbma;
  }
  return n == 1 && delta > 0 ? e.nbma : std::nullopt;
}

CacheView::NbmaChange CacheView::put(Ip4 proto, const Entry &e) {
  NbmaChange c;
  auto [it, fresh] = entries_.try_emplace(proto.be, e);
  if (!fresh) {
    if (it->second == e)
      return c;
    c.lost = count(it->second, -1);
    it->second = e;
  }
  c.gained = count(e, +1);
  if (c.gained && c.gained == c.lost)
    c = {}; // the same NBMA, kept
  return c;
}

CacheView::NbmaChange CacheView::erase(Ip4 proto) {
  NbmaChange c;
  auto it = entries_.find(proto.be);
  if (it == entries_.end())
    return c;
  c.lost = count(it->second, -1);
  entries_.erase(it);
  return c;
}

CacheView::NbmaChange CacheView::restore(Ip4 proto,
                                         const std::optional<Entry> &before) {
  return before ? put(proto, *before) : erase(proto);
}

const CacheView::Entry *CacheView::find(Ip4 proto) const {
  auto it = entries_.find(proto.be);
  return it == entries_.end() ? nullptr : &it->second;
}

std::size_t CacheView::registered_at(Ip4 nbma) const {
  auto it = per_nbma_.find(nbma.be);
  return it == per_nbma_.end() ? 0 : it->second;
}

std::vector<Ip4> CacheView::registered_nbmas() const {
  std::vector<Ip4> out;
  out.reserve(per_nbma_.size());
  for (const auto &[be, n] : per_nbma_)
    out.push_back(Ip4{be});
  return out;
}

} // namespace dmvpnd
