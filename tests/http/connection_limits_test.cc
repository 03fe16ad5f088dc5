#include "http/connection_limits.h"

#include <boost/asio/ip/address.hpp>
#include <gtest/gtest.h>

#include "absl/time/time.h"
#include "fakes/fake_clock.h"
#include <string>
#include <vector>

namespace connectplane::http {
namespace {

using Verdict = ConnectionLimits::Verdict;

ConnectionLimitOptions SmallLimits() {
  ConnectionLimitOptions options;
  options.max_connections = 6;
  options.max_per_address = 3;
  options.reserved_for_known_addresses = 2;
  options.known_address_memory = absl::Minutes(10);
  return options;
}

// Admits `count` connections from `address` into `leases`; returns the last verdict.
Verdict AdmitMany(ConnectionLimits& limits, const std::string& address, int count,
                  std::vector<ConnectionLimits::Lease>& leases) {
  Verdict verdict = Verdict::kAdmitted;
  for (int conn_idx = 0; conn_idx < count; ++conn_idx) {
    ConnectionLimits::Lease lease;
    verdict = limits.Admit(address, lease);
    if (verdict == Verdict::kAdmitted) {
      leases.push_back(std::move(lease));
    }
  }
  return verdict;
}

TEST(ConnectionLimitsTest, OneAddressGetsAtMostItsShare) {
  testing::FakeClock clock;
  ConnectionLimits limits(SmallLimits(), clock);
  std::vector<ConnectionLimits::Lease> leases;

  EXPECT_EQ(AdmitMany(limits, "10.0.0.1", 3, leases), Verdict::kAdmitted);
  EXPECT_EQ(AdmitMany(limits, "10.0.0.1", 1, leases), Verdict::kAddressFull);
  EXPECT_EQ(AdmitMany(limits, "10.0.0.2", 1, leases), Verdict::kAdmitted);

  leases.front().Reset();  // a slot of 10.0.0.1 frees up
  EXPECT_EQ(AdmitMany(limits, "10.0.0.1", 1, leases), Verdict::kAdmitted);
  EXPECT_EQ(limits.live_connections(), 4);
}

TEST(ConnectionLimitsTest, StrangersCannotTakeTheReserve) {
  testing::FakeClock clock;
  ConnectionLimits limits(SmallLimits(), clock);
  std::vector<ConnectionLimits::Lease> leases;
  // An address that authenticated earlier and then closed its connection.
  ConnectionLimits::Lease known;
  ASSERT_EQ(limits.Admit("10.0.0.9", known), Verdict::kAdmitted);
  known.MarkAuthenticated();
  known.Reset();

  AdmitMany(limits, "10.0.0.1", 3, leases);
  AdmitMany(limits, "10.0.0.2", 1, leases);  // 4 strangers: the unreserved share is full
  EXPECT_EQ(AdmitMany(limits, "10.0.0.3", 1, leases), Verdict::kReservedForKnown);
  EXPECT_EQ(AdmitMany(limits, "10.0.0.9", 2, leases), Verdict::kAdmitted);
  EXPECT_EQ(AdmitMany(limits, "10.0.0.9", 1, leases), Verdict::kServerFull);
  EXPECT_EQ(limits.live_connections(), 6);
}

TEST(ConnectionLimitsTest, AuthenticatingFreesAStrangerSlot) {
  testing::FakeClock clock;
  ConnectionLimits limits(SmallLimits(), clock);
  std::vector<ConnectionLimits::Lease> leases;
  AdmitMany(limits, "10.0.0.1", 2, leases);
  AdmitMany(limits, "10.0.0.2", 2, leases);
  ASSERT_EQ(AdmitMany(limits, "10.0.0.3", 1, leases), Verdict::kReservedForKnown);

  leases.back().MarkAuthenticated();  // one of 10.0.0.2's connections signs a request

  EXPECT_EQ(AdmitMany(limits, "10.0.0.3", 1, leases), Verdict::kAdmitted);
}

TEST(ConnectionLimitsTest, AnAddressIsForgottenAfterTheMemoryPeriod) {
  testing::FakeClock clock;
  ConnectionLimits limits(SmallLimits(), clock);
  std::vector<ConnectionLimits::Lease> leases;
  ConnectionLimits::Lease known;
  ASSERT_EQ(limits.Admit("10.0.0.9", known), Verdict::kAdmitted);
  known.MarkAuthenticated();
  known.Reset();
  AdmitMany(limits, "10.0.0.1", 3, leases);
  AdmitMany(limits, "10.0.0.2", 1, leases);

  clock.Advance(absl::Minutes(10));

  EXPECT_EQ(AdmitMany(limits, "10.0.0.9", 1, leases), Verdict::kReservedForKnown);
}

TEST(ConnectionLimitsTest, MovedLeaseReleasesOnce) {
  testing::FakeClock clock;
  ConnectionLimits limits(SmallLimits(), clock);
  ConnectionLimits::Lease first;
  ASSERT_EQ(limits.Admit("10.0.0.1", first), Verdict::kAdmitted);
  {
    ConnectionLimits::Lease moved = std::move(first);
    EXPECT_EQ(limits.live_connections(), 1);
  }
  EXPECT_EQ(limits.live_connections(), 0);
  first.Reset();  // empty: no effect
  EXPECT_EQ(limits.live_connections(), 0);
}

TEST(ConnectionLimitsTest, PeakIsTheMostOpenAtOnceSinceTheLastLook) {
  testing::FakeClock clock;
  ConnectionLimits limits(SmallLimits(), clock);
  std::vector<ConnectionLimits::Lease> leases;
  AdmitMany(limits, "10.0.0.1", 3, leases);
  leases.pop_back();
  leases.pop_back();

  EXPECT_EQ(limits.TakePeakConnections(), 3);
  EXPECT_EQ(limits.TakePeakConnections(), 1);  // restarted from those open
}

TEST(ConnectionLimitsTest, AddressKeyGroupsIpv6By64AndUnmapsIpv4) {
  const struct {
    const char* address;
    const char* key;
  } cases[] = {
      {"127.0.0.2", "127.0.0.2"},
      {"::ffff:192.0.2.7", "192.0.2.7"},
      {"2001:db8:1:2:aaaa:bbbb:cccc:dddd", "2001:db8:1:2::/64"},
      {"2001:db8:1:2::1", "2001:db8:1:2::/64"},
      {"::1", "::/64"},
  };
  for (const auto& test_case : cases) {
    SCOPED_TRACE(test_case.address);
    EXPECT_EQ(ConnectionLimits::AddressKey(boost::asio::ip::make_address(test_case.address)),
              test_case.key);
  }
}

}  // namespace
}  // namespace connectplane::http
