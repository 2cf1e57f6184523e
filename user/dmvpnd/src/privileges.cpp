// SPDX-License-Identifier: GPL-2.0
#include "privileges.hpp"

#include <cap-ng.h>
#include <linux/capability.h>
#include <pwd.h>

#include <cerrno>
#include <stdexcept>
#include <system_error>
#include <vector>

#include "log.hpp"

namespace dmvpnd {
namespace {

struct Kept {
  unsigned cap;
  const char *name;
};
constexpr Kept kKept[] = {{CAP_NET_ADMIN, "CAP_NET_ADMIN"},
                          {CAP_NET_RAW, "CAP_NET_RAW"}};

struct Account {
  uid_t uid;
  gid_t gid;
};

Account lookup_user(const std::string &name) {
  passwd pw{};
  passwd *found = nullptr;
  std::vector<char> buf(16384);
  int err = getpwnam_r(name.c_str(), &pw, buf.data(), buf.size(), &found);
  if (err)
    throw std::system_error(err, std::generic_category(),
                            "looking up user " + name);
  if (!found)
    throw std::runtime_error("no such user: " + name);
  return {pw.pw_uid, pw.pw_gid};
}

} // namespace

void drop_privileges(const std::string &user) {
  if (capng_get_caps_process() < 0)
    throw std::runtime_error("cannot read the process's capabilities");
  // Only what we hold can be kept; an unprivileged start (tests, a user
  // namespace without both) keeps what it has and says what will fail.
  std::vector<unsigned> keep;
  for (const auto &k : kKept) {
    if (capng_have_capability(CAPNG_PERMITTED, k.cap))
      keep.push_back(k.cap);
    else
      log(Level::warning, "running without {}", k.name);
  }
  // The bounding set can only be emptied with CAP_SETPCAP, which systemd's
  // CapabilityBoundingSet= already took: there it is already small.
  bool bounding = capng_have_capability(CAPNG_EFFECTIVE, CAP_SETPCAP);
  capng_clear(CAPNG_SELECT_BOTH);
  for (unsigned cap : keep)
    capng_update(CAPNG_ADD,
                 static_cast<capng_type_t>(CAPNG_EFFECTIVE | CAPNG_PERMITTED),
                 cap);
  if (!user.empty()) {
    Account a = lookup_user(user);
    int rc = capng_change_id(
        static_cast<int>(a.uid), static_cast<int>(a.gid),
        static_cast<capng_flags_t>(CAPNG_DROP_SUPP_GRP | CAPNG_CLEAR_BOUNDING));
    if (rc < 0)
      throw std::runtime_error("cannot switch to user " + user +
                               " keeping CAP_NET_ADMIN and CAP_NET_RAW "
                               "(libcap-ng error " +
                               std::to_string(rc) + ")");
    return;
  }
  if (capng_apply(bounding ? CAPNG_SELECT_BOTH : CAPNG_SELECT_CAPS) < 0)
    throw std::runtime_error("cannot drop capabilities");
}

} // namespace dmvpnd
