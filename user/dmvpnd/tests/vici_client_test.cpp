// SPDX-License-Identifier: GPL-2.0
// The VICI client against the other end of a socket pair playing charon.
#include <gtest/gtest.h>

#include <sys/socket.h>
#include <sys/un.h>

#include "vici_client.hpp"

namespace dmvpnd {
namespace {

struct Charon {
  Fd fd;
  vici::Reader reader;

  // The next packet the client sent.
  vici::Packet take() {
    for (;;) {
      if (auto p = reader.next())
        return *p;
      std::uint8_t buf[4096];
      ssize_t n = recv(fd.get(), buf, sizeof(buf), MSG_DONTWAIT);
      EXPECT_GT(n, 0) << "the client sent nothing";
      if (n <= 0)
        return {};
      reader.feed({buf, static_cast<std::size_t>(n)});
    }
  }
  void put(const vici::Packet &p) {
    auto b = vici::encode(p);
    ASSERT_TRUE(b);
    ASSERT_EQ(::send(fd.get(), b->data(), b->size(), 0),
              static_cast<ssize_t>(b->size()));
  }
  // Sends one packet in two writes, split inside its length.
  void put_split(const vici::Packet &p) {
    auto b = *vici::encode(p);
    ASSERT_EQ(::send(fd.get(), b.data(), 2, 0), 2);
    ASSERT_EQ(::send(fd.get(), b.data() + 2, b.size() - 2, 0),
              static_cast<ssize_t>(b.size() - 2));
  }
};

struct Client : ::testing::Test {
  std::vector<std::pair<std::string, vici::Section>> events;
  ViciClient client{[this](const std::string &n, const vici::Section &m) {
    events.emplace_back(n, m);
  }};
  Charon charon;

  void SetUp() override {
    int sv[2];
    ASSERT_EQ(socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0, sv), 0);
    client.attach(Fd(sv[0]));
    charon.fd = Fd(sv[1]);
  }
};

TEST_F(Client, StreamedCommandWithEvents) {
  bool subscribed = false;
  client.subscribe("list-sa", [&](bool ok) { subscribed = ok; });
  std::optional<vici::Section> done;
  int replies = 0;
  client.command("list-sas", {}, [&](std::optional<vici::Section> r) {
    done = std::move(r);
    ++replies;
  });
  auto reg = charon.take();
  EXPECT_EQ(reg.type, vici::PacketType::event_register);
  EXPECT_EQ(reg.name, "list-sa");
  auto cmd = charon.take();
  EXPECT_EQ(cmd.type, vici::PacketType::cmd_request);
  EXPECT_EQ(cmd.name, "list-sas");

  charon.put({vici::PacketType::event_confirm, "", {}});
  vici::Packet ev{vici::PacketType::event, "list-sa", {}};
  ev.message.add_section("dmvpn").add("uniqueid", "1");
  charon.put(ev);
  charon.put_split(ev);
  charon.put({vici::PacketType::cmd_response, "", {}});
  EXPECT_TRUE(client.on_readable());
  EXPECT_TRUE(subscribed);
  ASSERT_EQ(events.size(), 2u);
  EXPECT_EQ(events[0].first, "list-sa");
  EXPECT_EQ(*events[1].second.section("dmvpn")->value("uniqueid"), "1");
  EXPECT_EQ(replies, 1);
  EXPECT_TRUE(done);
}

TEST_F(Client, UnknownCommandAndEvent) {
  bool ok = true;
  client.subscribe("no-such-event", [&](bool r) { ok = r; });
  std::optional<vici::Section> reply{vici::Section{}};
  client.command("no-such-command", {},
                 [&](std::optional<vici::Section> r) { reply = r; });
  charon.put({vici::PacketType::event_unknown, "", {}});
  charon.put({vici::PacketType::cmd_unknown, "", {}});
  EXPECT_TRUE(client.on_readable());
  EXPECT_FALSE(ok);
  EXPECT_FALSE(reply);
  EXPECT_TRUE(client.connected());
}

TEST_F(Client, OutOfTurnAnswerEndsTheConnection) {
  int failed = 0;
  client.subscribe("ike-updown", [&](bool r) { failed += !r; });
  client.command("version", {},
                 [&](std::optional<vici::Section> r) { failed += !r; });
  // A command response where the registration's confirmation belongs.
  charon.put({vici::PacketType::cmd_response, "", {}});
  EXPECT_FALSE(client.on_readable());
  EXPECT_FALSE(client.connected());
  EXPECT_EQ(failed, 2); // both told
}

TEST_F(Client, CharonGoneFailsWhatWasPending) {
  int failed = 0;
  client.command("initiate", {},
                 [&](std::optional<vici::Section> r) { failed += !r; });
  charon.fd.reset();
  EXPECT_FALSE(client.on_readable());
  EXPECT_EQ(failed, 1);
  // Nothing is sent into a closed connection; the caller is told at once.
  client.command("version", {},
                 [&](std::optional<vici::Section> r) { failed += !r; });
  EXPECT_EQ(failed, 2);
}

TEST_F(Client, GarbageEndsTheConnection) {
  std::uint8_t junk[] = {0, 0, 0, 3, 1, 9, 9};
  ASSERT_EQ(::send(charon.fd.get(), junk, sizeof(junk), 0), 7);
  EXPECT_FALSE(client.on_readable());
  EXPECT_FALSE(client.connected());
}

TEST(ViciConnect, ToAListeningSocket) {
  std::string path = testing::TempDir() + "vici-" + std::to_string(getpid());
  Fd listener(socket(AF_UNIX, SOCK_STREAM, 0));
  sockaddr_un sa{};
  sa.sun_family = AF_UNIX;
  path.copy(sa.sun_path, sizeof(sa.sun_path) - 1);
  ASSERT_EQ(bind(listener.get(), reinterpret_cast<sockaddr *>(&sa), sizeof(sa)),
            0);
  ASSERT_EQ(listen(listener.get(), 1), 0);
  Fd fd = ViciClient::connect_unix(path);
  EXPECT_TRUE(fd);
  unlink(path.c_str());
  EXPECT_FALSE(ViciClient::connect_unix(path)); // nobody there now
  EXPECT_FALSE(ViciClient::connect_unix(std::string(200, 'x')));
}

} // namespace
} // namespace dmvpnd
