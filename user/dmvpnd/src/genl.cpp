// SPDX-License-Identifier: GPL-2.0
#include "genl.hpp"

#include <linux/netlink.h>
#include <netlink/attr.h>
#include <netlink/genl/ctrl.h>
#include <netlink/genl/genl.h>
#include <netlink/msg.h>
#include <netlink/socket.h>

#include <arpa/inet.h>
#include <sys/socket.h>

#include <array>
#include <cerrno>
#include <cstddef>
#include <cstring>
#include <fmt/core.h>

#include "log.hpp"

namespace dmvpnd {

void NlSockDeleter::operator()(nl_sock *s) const { nl_socket_free(s); }
void NlMsgDeleter::operator()(nl_msg *m) const { nlmsg_free(m); }

namespace {

// Requests per sendmsg(): their acks (a few hundred bytes of buffer each)
// must fit the receive buffer.
constexpr std::size_t batch_max = 256;
constexpr int batch_rcvbuf = 4 << 20;

// Raises a receive buffer past rmem_max when we may (CAP_NET_ADMIN).
void grow_rcvbuf(int fd, int bytes) {
  if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &bytes, sizeof(bytes)) < 0)
    setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &bytes, sizeof(bytes));
}

Fd open_batch_socket() {
  Fd fd(socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_GENERIC));
  if (!fd)
    throw NetlinkError(
        fmt::format("cannot open generic netlink: {}", std::strerror(errno)));
  sockaddr_nl sa{};
  sa.nl_family = AF_NETLINK;
  if (bind(fd.get(), reinterpret_cast<sockaddr *>(&sa), sizeof(sa)) < 0)
    throw NetlinkError(
        fmt::format("cannot bind generic netlink: {}", std::strerror(errno)));
  // Errors without the request echoed back: we match by sequence number.
  int one = 1;
  setsockopt(fd.get(), SOL_NETLINK, NETLINK_CAP_ACK, &one, sizeof(one));
  grow_rcvbuf(fd.get(), batch_rcvbuf);
  // A lost ack must not hang the daemon (see send_batch()).
  timeval tv{1, 0};
  setsockopt(fd.get(), SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
  return fd;
}

NlSock connect_genl() {
  NlSock s(nl_socket_alloc());
  if (!s)
    throw NetlinkError("cannot allocate a netlink socket");
  if (int err = genl_connect(s.get()); err < 0)
    throw NetlinkError(
        fmt::format("cannot open generic netlink: {}", nl_geterror(err)));
  return s;
}

std::optional<Ip4> get_ip4(nlattr *a) {
  if (!a)
    return std::nullopt;
  return Ip4::from_bytes({static_cast<const std::uint8_t *>(nla_data(a)),
                          static_cast<std::size_t>(nla_len(a))});
}

// The text of an IPv6 (16-byte) address attribute, else empty.
std::string ipv6_text(nlattr *a) {
  char buf[INET6_ADDRSTRLEN];
  if (!a || nla_len(a) != 16 ||
      !inet_ntop(AF_INET6, nla_data(a), buf, sizeof(buf)))
    return {};
  return buf;
}

void put_ip4(nl_msg *m, int type, Ip4 a) { nla_put(m, type, 4, &a.be); }

// The top-level attributes of a dmvpn message.
bool parse_top(nl_msg *msg, nlattr **tb) {
  return genlmsg_parse(nlmsg_hdr(msg), 0, tb, DMVPN_A_MAX, nullptr) == 0;
}

DeviceConfig parse_config(nlattr *nest) {
  DeviceConfig c;
  nlattr *tb[DMVPN_CFG_A_MAX + 1];
  if (nla_parse_nested(tb, DMVPN_CFG_A_MAX, nest, nullptr) < 0)
    return c;
  if (tb[DMVPN_CFG_A_ROLE])
    c.role = nla_get_u8(tb[DMVPN_CFG_A_ROLE]);
  if (tb[DMVPN_CFG_A_NETWORK_ID])
    c.network_id = nla_get_u32(tb[DMVPN_CFG_A_NETWORK_ID]);
  if (tb[DMVPN_CFG_A_HOLDTIME])
    c.holdtime = nla_get_u32(tb[DMVPN_CFG_A_HOLDTIME]);
  if (tb[DMVPN_CFG_A_REG_INTERVAL])
    c.reg_interval = nla_get_u32(tb[DMVPN_CFG_A_REG_INTERVAL]);
  if (nlattr *a = tb[DMVPN_CFG_A_AUTH])
    c.auth.assign(static_cast<const char *>(nla_data(a)),
                  static_cast<std::size_t>(nla_len(a)));
  if (tb[DMVPN_CFG_A_UNIQUE])
    c.unique = nla_get_u8(tb[DMVPN_CFG_A_UNIQUE]);
  if (tb[DMVPN_CFG_A_MCAST_DYNAMIC])
    c.mcast_dynamic = nla_get_u8(tb[DMVPN_CFG_A_MCAST_DYNAMIC]);
  return c;
}

} // namespace

// The NBMA address of an event's entry nest, which peer events carry
// without a protocol address.
static std::optional<Ip4> event_nbma(const void *p) {
  auto *nest = static_cast<nlattr *>(const_cast<void *>(p));
  nlattr *tb[DMVPN_ENTRY_A_MAX + 1];
  if (nla_parse_nested(tb, DMVPN_ENTRY_A_MAX, nest, nullptr) < 0)
    return std::nullopt;
  return get_ip4(tb[DMVPN_ENTRY_A_NBMA]);
}

std::optional<KernelEntry> parse_entry_nest(const void *p) {
  auto *nest = static_cast<nlattr *>(const_cast<void *>(p));
  nlattr *tb[DMVPN_ENTRY_A_MAX + 1];
  if (nla_parse_nested(tb, DMVPN_ENTRY_A_MAX, nest, nullptr) < 0)
    return std::nullopt;
  auto proto = get_ip4(tb[DMVPN_ENTRY_A_PROTO]);
  if (!proto)
    return std::nullopt;
  KernelEntry e;
  e.proto = *proto;
  e.nbma = get_ip4(tb[DMVPN_ENTRY_A_NBMA]);
  if (tb[DMVPN_ENTRY_A_PREFIXLEN])
    e.prefixlen = nla_get_u8(tb[DMVPN_ENTRY_A_PREFIXLEN]);
  if (tb[DMVPN_ENTRY_A_TYPE])
    e.type = nla_get_u8(tb[DMVPN_ENTRY_A_TYPE]);
  if (tb[DMVPN_ENTRY_A_FLAGS])
    e.flags = nla_get_u32(tb[DMVPN_ENTRY_A_FLAGS]);
  if (tb[DMVPN_ENTRY_A_EXPIRES])
    e.expires = nla_get_u32(tb[DMVPN_ENTRY_A_EXPIRES]);
  if (tb[DMVPN_ENTRY_A_USED])
    e.used = nla_get_u32(tb[DMVPN_ENTRY_A_USED]);
  return e;
}

Genl::Genl()
    : req_(connect_genl()), batch_(open_batch_socket()),
      events_(connect_genl()) {
  family_ = genl_ctrl_resolve(req_.get(), DMVPN_GENL_NAME);
  if (family_ < 0)
    throw NetlinkError(fmt::format(
        "generic netlink family '{}' not found (is dmvpn.ko loaded?)",
        DMVPN_GENL_NAME));
  int grp =
      genl_ctrl_resolve_grp(req_.get(), DMVPN_GENL_NAME, DMVPN_MCGRP_EVENTS);
  if (grp < 0)
    throw NetlinkError("dmvpn events group not found");
  nl_socket_disable_seq_check(events_.get());
  if (int err = nl_socket_add_membership(events_.get(), grp); err < 0)
    throw NetlinkError(fmt::format("cannot join the dmvpn events group: {}",
                                   nl_geterror(err)));
  nl_socket_set_nonblocking(events_.get());
  // Bursts of MISS events, and the ENTRY_ADDED echo of every registration
  // we install, must not be lost to a small receive buffer.
  grow_rcvbuf(event_fd(), 16 << 20);
}

NlMsg Genl::request(std::uint8_t cmd, int flags) {
  NlMsg m(nlmsg_alloc());
  if (!m || !genlmsg_put(m.get(), NL_AUTO_PORT, NL_AUTO_SEQ, family_, 0, flags,
                         cmd, DMVPN_GENL_VERSION))
    throw std::bad_alloc();
  return m;
}

namespace {

struct NlCbDeleter {
  void operator()(nl_cb *cb) const { nl_cb_put(cb); }
};

struct Exchange {
  const std::function<void(nl_msg *)> *on_reply;
  bool done = false;
  int error = 0;
};

int ex_valid(nl_msg *msg, void *arg) {
  auto *ex = static_cast<Exchange *>(arg);
  if (*ex->on_reply)
    (*ex->on_reply)(msg);
  return NL_OK;
}

int ex_finish(nl_msg *, void *arg) {
  static_cast<Exchange *>(arg)->done = true;
  return NL_STOP;
}

int ex_error(sockaddr_nl *, nlmsgerr *e, void *arg) {
  auto *ex = static_cast<Exchange *>(arg);
  ex->error = e->error;
  ex->done = true;
  return NL_STOP;
}

} // namespace

// One request, its replies (a dump's parts) and the final ack or error.
int Genl::transact(NlMsg msg, const std::function<void(nl_msg *)> &on_reply) {
  flush(); // keep the kernel's view in request order
  std::unique_ptr<nl_cb, NlCbDeleter> cb(nl_cb_alloc(NL_CB_DEFAULT));
  if (!cb)
    return -ENOMEM;
  Exchange ex{&on_reply};
  nl_cb_set(cb.get(), NL_CB_VALID, NL_CB_CUSTOM, ex_valid, &ex);
  nl_cb_set(cb.get(), NL_CB_FINISH, NL_CB_CUSTOM, ex_finish, &ex);
  nl_cb_set(cb.get(), NL_CB_ACK, NL_CB_CUSTOM, ex_finish, &ex);
  nl_cb_err(cb.get(), NL_CB_CUSTOM, ex_error, &ex);
  if (nl_send_auto(req_.get(), msg.get()) < 0)
    return -EIO;
  while (!ex.done) {
    int err = nl_recvmsgs(req_.get(), cb.get());
    if (err < 0)
      return -EIO;
  }
  return ex.error;
}

std::vector<DeviceInfo> Genl::dump_devices() {
  std::vector<DeviceInfo> out;
  int err = transact(request(DMVPN_CMD_DEV_GET, NLM_F_DUMP), [&](nl_msg *m) {
    nlattr *tb[DMVPN_A_MAX + 1];
    if (!parse_top(m, tb) || !tb[DMVPN_A_IFINDEX])
      return;
    DeviceInfo d;
    d.ifindex = static_cast<int>(nla_get_u32(tb[DMVPN_A_IFINDEX]));
    if (tb[DMVPN_A_IFNAME])
      d.name = nla_get_string(tb[DMVPN_A_IFNAME]);
    if (tb[DMVPN_A_PROTECT])
      d.protect = nla_get_u8(tb[DMVPN_A_PROTECT]) == DMVPN_PROTECT_REQUIRE;
    if (auto l = get_ip4(tb[DMVPN_A_LOCAL]))
      d.local = *l;
    d.local_ipv6 = ipv6_text(tb[DMVPN_A_LOCAL]);
    if (tb[DMVPN_A_CONFIG]) {
      d.config = parse_config(tb[DMVPN_A_CONFIG]);
      d.has_config = true;
    }
    out.push_back(std::move(d));
  });
  if (err)
    throw NetlinkError(fmt::format("device dump failed: {}", err));
  return out;
}

NhsDump Genl::dump_nhs(int ifindex) {
  NhsDump out;
  auto msg = request(DMVPN_CMD_NHS_GET, NLM_F_DUMP);
  nla_put_u32(msg.get(), DMVPN_A_IFINDEX, static_cast<std::uint32_t>(ifindex));
  int err = transact(std::move(msg), [&](nl_msg *m) {
    nlattr *tb[DMVPN_A_MAX + 1];
    if (!parse_top(m, tb) || !tb[DMVPN_A_NHS] || !tb[DMVPN_A_IFINDEX] ||
        static_cast<int>(nla_get_u32(tb[DMVPN_A_IFINDEX])) != ifindex)
      return;
    nlattr *nt[DMVPN_NHS_A_MAX + 1];
    if (nla_parse_nested(nt, DMVPN_NHS_A_MAX, tb[DMVPN_A_NHS], nullptr) < 0)
      return;
    // Not yet served: reported, rather than taken as a server with no
    // address (an IPv6 NBMA) or none at all (an IPv6 tunnel address).
    for (int a : {DMVPN_NHS_A_NBMA, DMVPN_NHS_A_PROTO}) {
      if (auto v6 = ipv6_text(nt[a]); !v6.empty()) {
        out.ipv6.push_back(std::move(v6));
        return;
      }
    }
    NhsConfig n;
    n.nbma = get_ip4(nt[DMVPN_NHS_A_NBMA]);
    if (nt[DMVPN_NHS_A_FQDN])
      n.fqdn = nla_get_string(nt[DMVPN_NHS_A_FQDN]);
    n.proto = get_ip4(nt[DMVPN_NHS_A_PROTO]);
    if (nt[DMVPN_NHS_A_PRIORITY])
      n.priority = nla_get_u8(nt[DMVPN_NHS_A_PRIORITY]);
    if (n.nbma || !n.fqdn.empty())
      out.servers.push_back(std::move(n));
  });
  // Kernels without NHS support: no servers.
  if (err)
    log(Level::debug, "nhs dump on ifindex {}: error {}", ifindex, err);
  return out;
}

std::optional<KernelEntry> Genl::entry_get(int ifindex, Ip4 proto,
                                           std::uint8_t prefixlen) {
  auto msg = request(DMVPN_CMD_ENTRY_GET);
  nla_put_u32(msg.get(), DMVPN_A_IFINDEX, static_cast<std::uint32_t>(ifindex));
  nlattr *nest = nla_nest_start(msg.get(), DMVPN_A_ENTRY);
  put_ip4(msg.get(), DMVPN_ENTRY_A_PROTO, proto);
  nla_put_u8(msg.get(), DMVPN_ENTRY_A_PREFIXLEN, prefixlen);
  nla_nest_end(msg.get(), nest);
  std::optional<KernelEntry> out;
  transact(std::move(msg), [&](nl_msg *m) {
    nlattr *tb[DMVPN_A_MAX + 1];
    if (parse_top(m, tb) && tb[DMVPN_A_ENTRY])
      out = parse_entry_nest(tb[DMVPN_A_ENTRY]);
  });
  return out;
}

// libnl reports NLM_F_DUMP_INTR (the cache changed under the dump) as an
// error once the dump is read to its end: start again.
std::optional<std::vector<KernelEntry>> Genl::dump_entries(int ifindex) {
  for (int attempt = 0; attempt < 3; ++attempt) {
    auto msg = request(DMVPN_CMD_ENTRY_GET, NLM_F_DUMP);
    nla_put_u32(msg.get(), DMVPN_A_IFINDEX,
                static_cast<std::uint32_t>(ifindex));
    std::vector<KernelEntry> out;
    int err = transact(std::move(msg), [&](nl_msg *m) {
      nlattr *tb[DMVPN_A_MAX + 1];
      if (parse_top(m, tb) && tb[DMVPN_A_ENTRY])
        if (auto e = parse_entry_nest(tb[DMVPN_A_ENTRY]))
          out.push_back(*e);
    });
    if (!err)
      return out;
  }
  return std::nullopt;
}

namespace {

int install_flag(Install how) {
  switch (how) {
  case Install::create:
    return 0;
  case Install::replace:
    return DMVPN_A_REPLACE;
  case Install::learned:
    return DMVPN_A_REPLACE_LEARNED;
  }
  return 0;
}

void put_entry_new(nl_msg *msg, int ifindex, const EntrySpec &spec) {
  nla_put_u32(msg, DMVPN_A_IFINDEX, static_cast<std::uint32_t>(ifindex));
  if (int flag = install_flag(spec.install))
    nla_put_flag(msg, flag);
  nlattr *nest = nla_nest_start(msg, DMVPN_A_ENTRY);
  put_ip4(msg, DMVPN_ENTRY_A_PROTO, spec.proto);
  nla_put_u8(msg, DMVPN_ENTRY_A_PREFIXLEN, spec.prefixlen);
  if (spec.nbma)
    put_ip4(msg, DMVPN_ENTRY_A_NBMA, *spec.nbma);
  nla_put_u8(msg, DMVPN_ENTRY_A_TYPE, spec.type);
  nla_put_u32(msg, DMVPN_ENTRY_A_FLAGS, spec.flags);
  if (spec.holdtime)
    nla_put_u32(msg, DMVPN_ENTRY_A_HOLDTIME, spec.holdtime);
  nla_nest_end(msg, nest);
}

void put_mcast_new(nl_msg *msg, int ifindex, Ip4 nbma, std::uint32_t flags) {
  nla_put_u32(msg, DMVPN_A_IFINDEX, static_cast<std::uint32_t>(ifindex));
  nla_put_flag(msg, DMVPN_A_REPLACE);
  nlattr *nest = nla_nest_start(msg, DMVPN_A_MCAST);
  put_ip4(msg, DMVPN_MCAST_A_NBMA, nbma);
  nla_put_u32(msg, DMVPN_MCAST_A_FLAGS, flags);
  nla_nest_end(msg, nest);
}

} // namespace

int Genl::entry_new(int ifindex, const EntrySpec &spec) {
  auto msg = request(DMVPN_CMD_ENTRY_NEW);
  put_entry_new(msg.get(), ifindex, spec);
  return transact(std::move(msg));
}

int Genl::entry_del(int ifindex, Ip4 proto, std::uint8_t prefixlen) {
  auto msg = request(DMVPN_CMD_ENTRY_DEL);
  nla_put_u32(msg.get(), DMVPN_A_IFINDEX, static_cast<std::uint32_t>(ifindex));
  nlattr *nest = nla_nest_start(msg.get(), DMVPN_A_ENTRY);
  put_ip4(msg.get(), DMVPN_ENTRY_A_PROTO, proto);
  nla_put_u8(msg.get(), DMVPN_ENTRY_A_PREFIXLEN, prefixlen);
  nla_nest_end(msg.get(), nest);
  return transact(std::move(msg));
}

int Genl::mcast_new(int ifindex, Ip4 nbma, std::uint32_t flags) {
  auto msg = request(DMVPN_CMD_MCAST_NEW);
  put_mcast_new(msg.get(), ifindex, nbma, flags);
  return transact(std::move(msg));
}

int Genl::mcast_del(int ifindex, Ip4 nbma) {
  auto msg = request(DMVPN_CMD_MCAST_DEL);
  nla_put_u32(msg.get(), DMVPN_A_IFINDEX, static_cast<std::uint32_t>(ifindex));
  nlattr *nest = nla_nest_start(msg.get(), DMVPN_A_MCAST);
  put_ip4(msg.get(), DMVPN_MCAST_A_NBMA, nbma);
  nla_nest_end(msg.get(), nest);
  return transact(std::move(msg));
}

std::optional<std::vector<McastEntry>> Genl::dump_mcast(int ifindex) {
  auto msg = request(DMVPN_CMD_MCAST_GET, NLM_F_DUMP);
  nla_put_u32(msg.get(), DMVPN_A_IFINDEX, static_cast<std::uint32_t>(ifindex));
  std::vector<McastEntry> out;
  int err = transact(std::move(msg), [&](nl_msg *m) {
    nlattr *tb[DMVPN_A_MAX + 1];
    nlattr *mt[DMVPN_MCAST_A_MAX + 1];
    if (!parse_top(m, tb) || !tb[DMVPN_A_MCAST] ||
        nla_parse_nested(mt, DMVPN_MCAST_A_MAX, tb[DMVPN_A_MCAST], nullptr) < 0)
      return;
    auto nbma = get_ip4(mt[DMVPN_MCAST_A_NBMA]);
    if (nbma)
      out.push_back({*nbma, mt[DMVPN_MCAST_A_FLAGS]
                                ? nla_get_u32(mt[DMVPN_MCAST_A_FLAGS])
                                : 0});
  });
  if (err)
    return std::nullopt;
  return out;
}

int Genl::nhs_set(int ifindex, const NhsConfig &nhs, const NhsStatus &st) {
  auto msg = request(DMVPN_CMD_NHS_SET);
  nla_put_u32(msg.get(), DMVPN_A_IFINDEX, static_cast<std::uint32_t>(ifindex));
  nlattr *nest = nla_nest_start(msg.get(), DMVPN_A_NHS);
  if (nhs.nbma)
    put_ip4(msg.get(), DMVPN_NHS_A_NBMA, *nhs.nbma);
  else
    nla_put_string(msg.get(), DMVPN_NHS_A_FQDN, nhs.fqdn.c_str());
  nla_put_u8(msg.get(), DMVPN_NHS_A_STATE, st.state);
  if (st.cur_nbma)
    put_ip4(msg.get(), DMVPN_NHS_A_CUR_NBMA, *st.cur_nbma);
  if (st.cur_proto)
    put_ip4(msg.get(), DMVPN_NHS_A_CUR_PROTO, *st.cur_proto);
  nla_put_u64(msg.get(), DMVPN_NHS_A_REQUESTS, st.requests);
  nla_put_u64(msg.get(), DMVPN_NHS_A_REPLIES, st.replies);
  nla_put_u64(msg.get(), DMVPN_NHS_A_FAILURES, st.failures);
  nla_put_u8(msg.get(), DMVPN_NHS_A_LAST_CODE, st.last_code);
  nla_put_u8(msg.get(), DMVPN_NHS_A_NAT, st.nat ? 1 : 0);
  nla_nest_end(msg.get(), nest);
  return transact(std::move(msg));
}

int Genl::sa_initiated(Ip4 nbma, std::uint32_t spi) {
  auto msg = request(DMVPN_CMD_SA_INITIATED);
  put_ip4(msg.get(), DMVPN_A_SA_NBMA, nbma);
  nla_put_u32(msg.get(), DMVPN_A_SA_SPI, spi);
  return transact(std::move(msg));
}

int Genl::event_fd() const { return nl_socket_get_fd(events_.get()); }

namespace {

// A request written straight into the batch buffer: libnl's nl_msg costs
// a zeroed page per message, which shows at thousands a second.
class RawRequest {
public:
  RawRequest(std::vector<std::uint8_t> &out, int family, std::uint8_t cmd,
             std::uint32_t seq)
      : out_(out), start_(out.size()) {
    nlmsghdr h{};
    h.nlmsg_type = static_cast<std::uint16_t>(family);
    h.nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK;
    h.nlmsg_seq = seq;
    append(&h, sizeof(h));
    genlmsghdr g{};
    g.cmd = cmd;
    g.version = DMVPN_GENL_VERSION;
    append(&g, sizeof(g));
  }
  ~RawRequest() {
    auto len = static_cast<std::uint32_t>(out_.size() - start_);
    std::memcpy(out_.data() + start_ + offsetof(nlmsghdr, nlmsg_len), &len,
                sizeof(len));
  }
  RawRequest(const RawRequest &) = delete;
  RawRequest &operator=(const RawRequest &) = delete;

  void put(int type, const void *data, std::size_t len) {
    nlattr a{};
    a.nla_len = static_cast<std::uint16_t>(NLA_HDRLEN + len);
    a.nla_type = static_cast<std::uint16_t>(type);
    append(&a, sizeof(a));
    append(data, len);
  }
  void put_u8(int type, std::uint8_t v) { put(type, &v, sizeof(v)); }
  void put_u32(int type, std::uint32_t v) { put(type, &v, sizeof(v)); }
  void put_ip4(int type, Ip4 a) { put(type, &a.be, sizeof(a.be)); }
  void put_flag(int type) { put(type, nullptr, 0); }
  std::size_t nest_start(int type) {
    std::size_t off = out_.size();
    put(type | NLA_F_NESTED, nullptr, 0);
    return off;
  }
  void nest_end(std::size_t off) {
    auto len = static_cast<std::uint16_t>(out_.size() - off);
    std::memcpy(out_.data() + off + offsetof(nlattr, nla_len), &len,
                sizeof(len));
  }

private:
  void append(const void *p, std::size_t len) {
    const auto *b = static_cast<const std::uint8_t *>(p);
    out_.insert(out_.end(), b, b + len);
    out_.resize(out_.size() + (NLA_ALIGN(len) - len)); // zero padding
  }
  std::vector<std::uint8_t> &out_;
  std::size_t start_;
};

} // namespace

void Genl::queued() {
  if (++out_count_ >= batch_max && !flushing_)
    flush();
}

void Genl::queue_entry_new(int ifindex, const EntrySpec &spec,
                           AckQueue::Done done) {
  {
    RawRequest r(out_, family_, DMVPN_CMD_ENTRY_NEW,
                 acks_.add(std::move(done)));
    r.put_u32(DMVPN_A_IFINDEX, static_cast<std::uint32_t>(ifindex));
    if (int flag = install_flag(spec.install))
      r.put_flag(flag);
    auto nest = r.nest_start(DMVPN_A_ENTRY);
    r.put_ip4(DMVPN_ENTRY_A_PROTO, spec.proto);
    if (spec.nbma)
      r.put_ip4(DMVPN_ENTRY_A_NBMA, *spec.nbma);
    r.put_u8(DMVPN_ENTRY_A_TYPE, spec.type);
    r.put_u32(DMVPN_ENTRY_A_FLAGS, spec.flags);
    if (spec.holdtime)
      r.put_u32(DMVPN_ENTRY_A_HOLDTIME, spec.holdtime);
    r.nest_end(nest);
  }
  queued();
}

void Genl::queue_mcast_new(int ifindex, Ip4 nbma, std::uint32_t flags,
                           AckQueue::Done done) {
  {
    RawRequest r(out_, family_, DMVPN_CMD_MCAST_NEW,
                 acks_.add(std::move(done)));
    r.put_u32(DMVPN_A_IFINDEX, static_cast<std::uint32_t>(ifindex));
    r.put_flag(DMVPN_A_REPLACE);
    auto nest = r.nest_start(DMVPN_A_MCAST);
    r.put_ip4(DMVPN_MCAST_A_NBMA, nbma);
    r.put_u32(DMVPN_MCAST_A_FLAGS, flags);
    r.nest_end(nest);
  }
  queued();
}

// One sendmsg() for the whole batch; the kernel runs each request and
// queues its ack before sendmsg() returns, so the acks are read at once.
void Genl::send_batch() {
  std::vector<std::uint8_t> out;
  out.swap(out_);
  out_count_ = 0;
  // Every request waiting now is in this batch; what the callbacks queue
  // while its acks come in goes out with the next one.
  const std::uint32_t last = acks_.last_issued();
  sockaddr_nl kernel{};
  kernel.nl_family = AF_NETLINK;
  if (sendto(batch_.get(), out.data(), out.size(), 0,
             reinterpret_cast<sockaddr *>(&kernel), sizeof(kernel)) < 0) {
    int err = -errno;
    log(Level::warning, "netlink batch: {}", std::strerror(errno));
    acks_.fail_through(last, err);
    return;
  }
  constexpr std::size_t slots = 64;
  // An ack carries no request payload (NETLINK_CAP_ACK) but may carry
  // extack attributes; a truncated one could not be matched and would
  // stall the batch until the receive timeout.
  constexpr std::size_t slot_size = 4096;
  if (!ack_buf_)
    ack_buf_ =
        std::make_unique_for_overwrite<std::uint8_t[]>(slots * slot_size);
  std::uint8_t *bufs = ack_buf_.get();
  std::array<iovec, slots> iov;
  std::array<mmsghdr, slots> msgs;
  while (acks_.waiting_through(last)) {
    for (std::size_t i = 0; i < slots; ++i) {
      iov[i] = {bufs + i * slot_size, slot_size};
      msgs[i] = {};
      msgs[i].msg_hdr.msg_iov = &iov[i];
      msgs[i].msg_hdr.msg_iovlen = 1;
    }
    int n = recvmmsg(batch_.get(), msgs.data(), slots, MSG_WAITFORONE, nullptr);
    if (n < 0) {
      if (errno == EINTR)
        continue;
      // ENOBUFS (acks lost) or the timeout: the outcome is unknown, which
      // the callers handle like a failure.
      int err = -errno;
      log(Level::warning, "netlink batch acks: {} ({} outstanding)",
          std::strerror(errno), acks_.pending());
      acks_.fail_through(last, err);
      return;
    }
    for (int i = 0; i < n; ++i) {
      auto len = static_cast<int>(msgs[static_cast<std::size_t>(i)].msg_len);
      auto *h = reinterpret_cast<nlmsghdr *>(
          bufs + static_cast<std::size_t>(i) * slot_size);
      for (; nlmsg_ok(h, len); h = nlmsg_next(h, &len)) {
        if (h->nlmsg_type != NLMSG_ERROR)
          continue;
        auto *e = static_cast<nlmsgerr *>(nlmsg_data(h));
        acks_.complete(h->nlmsg_seq, e->error);
      }
    }
  }
}

void Genl::flush() {
  if (flushing_)
    return;
  flushing_ = true;
  // The callbacks may queue more (a multicast entry after its binding).
  while (!out_.empty())
    send_batch();
  flushing_ = false;
}

// Events are drained many per recvmmsg(): at a busy hub most of them are
// the echoes of our own registrations.
void Genl::read_events(const std::function<void(const GenlEvent &)> &fn) {
  constexpr std::size_t slots = 64;
  constexpr std::size_t slot_size = 4096;
  if (!event_buf_)
    event_buf_ =
        std::make_unique_for_overwrite<std::uint8_t[]>(slots * slot_size);
  std::uint8_t *bufs = event_buf_.get();
  std::array<iovec, slots> iov;
  std::array<mmsghdr, slots> msgs;
  for (int round = 0; round < 64; ++round) {
    for (std::size_t i = 0; i < slots; ++i) {
      iov[i] = {bufs + i * slot_size, slot_size};
      msgs[i] = {};
      msgs[i].msg_hdr.msg_iov = &iov[i];
      msgs[i].msg_hdr.msg_iovlen = 1;
    }
    int n = recvmmsg(event_fd(), msgs.data(), slots, MSG_DONTWAIT, nullptr);
    if (n < 0) {
      if (errno == ENOBUFS) {
        // Overrun: events were lost. The caller resynchronises.
        fn(GenlEvent{});
        continue;
      }
      if (errno != EAGAIN && errno != EINTR)
        log(Level::warning, "event socket: {}", std::strerror(errno));
      return;
    }
    for (std::size_t i = 0; i < static_cast<std::size_t>(n); ++i) {
      if (msgs[i].msg_hdr.msg_flags & MSG_TRUNC) {
        fn(GenlEvent{}); // lost to us all the same
        continue;
      }
      auto len = static_cast<int>(msgs[i].msg_len);
      auto *h = reinterpret_cast<nlmsghdr *>(bufs + i * slot_size);
      for (; nlmsg_ok(h, len); h = nlmsg_next(h, &len)) {
        if (h->nlmsg_type != family_)
          continue;
        nlattr *tb[DMVPN_A_MAX + 1];
        if (genlmsg_parse(h, 0, tb, DMVPN_A_MAX, nullptr) < 0 ||
            !tb[DMVPN_A_EVENT] || !tb[DMVPN_A_IFINDEX])
          continue;
        GenlEvent ev;
        ev.event = nla_get_u8(tb[DMVPN_A_EVENT]);
        ev.ifindex = static_cast<int>(nla_get_u32(tb[DMVPN_A_IFINDEX]));
        if (tb[DMVPN_A_ENTRY]) {
          ev.entry = parse_entry_nest(tb[DMVPN_A_ENTRY]);
          ev.nbma = event_nbma(tb[DMVPN_A_ENTRY]);
        }
        fn(ev);
      }
    }
    if (static_cast<std::size_t>(n) < slots)
      return;
  }
}

} // namespace dmvpnd
