// Zenlayer ports: the lifecycle PortService enforces (create, terminate to the
// recycle bin, renew and destroy as jobs; modify), what each call answers in a
// transitional status, job timing and failures, DescribePorts' filters, the
// data center catalog from the seed. In-memory SQLite, fake clock.
#include "service/port_service.h"

#include "common/json_util.h"
#include "common/status.h"
#include "service/job_types.h"
#include "service/private_connect_service.h"
#include "service/seed.h"

#include <gtest/gtest.h>

#include "fakes/service_fixture.h"
#include <string>
#include <vector>

namespace connectplane::service {
namespace {

constexpr char kSeed[] = R"({
  "zenlayer": {
    "credentials": [
      {"access_key_id": "AK1", "access_key_password": "pw1", "account_id": "acct-1"},
      {"access_key_id": "AK2", "access_key_password": "pw2", "account_id": "acct-2"}
    ],
    "datacenters": [
      {"dcId": "SIN1", "dcName": "AP-Singapore1", "cityName": "Singapore",
       "countryName": "Singapore", "areaName": "Asia Pacific", "latitude": 1.29,
       "longitude": 103.79},
      {"dcId": "HKG1", "dcName": "AP-HongKong1", "cityName": "Hong Kong",
       "countryName": "China", "areaName": "Asia Pacific"},
      {"dcId": "XYZ1", "dcName": "No Ports", "cityName": "Nowhere", "countryName": "None",
       "areaName": "Nowhere", "isPortAvailable": false}
    ],
    "ports": [
      {"account_id": "acct-1", "portId": "p-sin", "portName": "Sin-Main", "dcId": "SIN1",
       "portRemarks": "Primary Uplink", "dataCenter": {"dcId": "SIN1", "dcName": "old name"}},
      {"account_id": "acct-1", "portId": "p-hkg", "portName": "hkg", "dcId": "HKG1"},
      {"account_id": "acct-1", "portId": "p-old", "portName": "legacy", "dcId": "OLD1",
       "dataCenter": {"dcId": "OLD1", "dcName": "Legacy DC", "cityName": "Old Town"}},
      {"account_id": "acct-2", "portId": "p-lax", "portName": "lax", "dcId": "LAX1"},
      {"account_id": "acct-2", "portId": "p-nyc", "portName": "nyc", "dcId": "NYC1"}
    ]
  }
})";

const Caller kAccount1{"acct-1", "AK1", "acct-1", "AK1", ""};
const Caller kAccount2{"acct-2", "AK2", "acct-2", "AK2", ""};

CreatePortRequest NewPort(std::string dc_id = "SIN1") {
  return CreatePortRequest{std::move(dc_id), "new-port", "remarks", "10G", "Example Ltd", {}};
}

class PortServiceTest : public ::testing::Test {
 protected:
  void SetUp() override { fixture_.Seed(kSeed); }

  std::optional<store::ZenlayerPort> Get(std::string_view port_id,
                                         const Caller& caller = kAccount1) {
    PortQuery query;
    query.port_ids = {std::string(port_id)};
    auto page = ports_.DescribePorts(caller, query);
    EXPECT_TRUE(page.ok()) << page.status();
    if (!page.ok() || page->items.empty()) return std::nullopt;
    return page->items[0];
  }

  std::vector<std::string> Ids(const PortQuery& query, const Caller& caller = kAccount1) {
    auto page = ports_.DescribePorts(caller, query);
    EXPECT_TRUE(page.ok()) << page.status();
    std::vector<std::string> ids;
    if (page.ok()) {
      for (const store::ZenlayerPort& port : page->items) ids.push_back(port.port_id);
    }
    return ids;
  }

  testing::ServiceFixture fixture_{absl::Seconds(2)};
  PortService& ports_ = fixture_.ports;
};

TEST_F(PortServiceTest, CreateIsAJobFromCreatingToRunning) {
  auto port_id = ports_.CreatePort(kAccount1, NewPort());
  ASSERT_TRUE(port_id.ok()) << port_id.status();
  std::optional<store::ZenlayerPort> port = Get(*port_id);
  ASSERT_TRUE(port.has_value());
  EXPECT_EQ(port->port_status, kPortCreating);
  EXPECT_EQ(port->dc_id, "SIN1");
  auto attributes = common::ParseJsonObject(port->attributes_json);
  ASSERT_TRUE(attributes.ok());
  EXPECT_EQ(attributes->at("portType").as_string(), "10G");
  EXPECT_EQ(attributes->at("businessEntityName").as_string(), "Example Ltd");
  EXPECT_EQ(attributes->at("dataCenter").at("dcName").as_string(), "AP-Singapore1");
  EXPECT_EQ(attributes->at("dataCenter").at("latitude").as_double(), 1.29);
  // No operation while creating (DOC-PORT).
  EXPECT_EQ(common::ReasonOf(ports_.TerminatePort(kAccount1, *port_id)), kReasonPortStatus);
  EXPECT_EQ(fixture_.RunJobsAfter(absl::Seconds(2)), 1);
  EXPECT_EQ(Get(*port_id)->port_status, kPortRunning);
}

TEST_F(PortServiceTest, CreateTimingFollowsTheJobTypeSetting) {
  fixture_.timings.Set(std::string(kJobCreatePort), absl::Seconds(30));
  auto port_id = ports_.CreatePort(kAccount1, NewPort());
  ASSERT_TRUE(port_id.ok());
  EXPECT_EQ(fixture_.RunJobsAfter(absl::Seconds(29)), 0);
  EXPECT_EQ(Get(*port_id)->port_status, kPortCreating);
  EXPECT_EQ(fixture_.RunJobsAfter(absl::Seconds(1)), 1);
  EXPECT_EQ(Get(*port_id)->port_status, kPortRunning);
}

TEST_F(PortServiceTest, CreateRefusesUnknownOrPortlessDataCentersAndBadFields) {
  EXPECT_EQ(common::ReasonOf(ports_.CreatePort(kAccount1, NewPort("NOPE1")).status()),
            kReasonDatacenterNotFound);
  EXPECT_EQ(common::ReasonOf(ports_.CreatePort(kAccount1, NewPort("XYZ1")).status()),
            kReasonDatacenterNotFound);
  CreatePortRequest bad_type = NewPort();
  bad_type.port_type = "3G";
  EXPECT_EQ(common::ReasonOf(ports_.CreatePort(kAccount1, bad_type).status()),
            kReasonPortInvalidParameter);
  CreatePortRequest long_name = NewPort();
  long_name.port_name = std::string(256, 'n');
  EXPECT_EQ(common::ReasonOf(ports_.CreatePort(kAccount1, long_name).status()),
            kReasonPortInvalidParameter);
  EXPECT_EQ(Ids({}).size(), 3u);  // nothing was written
}

TEST_F(PortServiceTest, TerminateRenewDestroyAreJobsThroughTheRecycleBin) {
  ASSERT_TRUE(ports_.TerminatePort(kAccount1, "p-hkg").ok());
  EXPECT_EQ(Get("p-hkg")->port_status, kPortDeleting);
  EXPECT_EQ(Get("p-hkg")->recycled_at_ms, 0);
  EXPECT_EQ(fixture_.RunJobsAfter(absl::Seconds(2)), 1);
  std::optional<store::ZenlayerPort> recycled = Get("p-hkg");
  EXPECT_EQ(recycled->port_status, kPortRecycled);
  EXPECT_EQ(recycled->recycled_at_ms, common::ToUnixMillis(fixture_.clock.Now()));
  // A second terminate: the code Terraform treats as "already done".
  EXPECT_EQ(common::ReasonOf(ports_.TerminatePort(kAccount1, "p-hkg")), kReasonPortRecycled);
  ModifyPortRequest rename{"p-hkg", "renamed", std::nullopt, std::nullopt};
  EXPECT_EQ(common::ReasonOf(ports_.ModifyPortAttribute(kAccount1, rename)), kReasonPortRecycled);

  ASSERT_TRUE(ports_.RenewPort(kAccount1, "p-hkg").ok());
  EXPECT_EQ(Get("p-hkg")->port_status, kPortRecovering);
  EXPECT_EQ(fixture_.RunJobsAfter(absl::Seconds(2)), 1);
  EXPECT_EQ(Get("p-hkg")->port_status, kPortRunning);
  EXPECT_EQ(Get("p-hkg")->recycled_at_ms, 0);
  EXPECT_EQ(common::ReasonOf(ports_.RenewPort(kAccount1, "p-hkg")), kReasonPortStatus);
  EXPECT_EQ(common::ReasonOf(ports_.DestroyPort(kAccount1, "p-hkg")), kReasonPortStatus);

  ASSERT_TRUE(ports_.TerminatePort(kAccount1, "p-hkg").ok());
  fixture_.RunJobsAfter(absl::Seconds(2));
  ASSERT_TRUE(ports_.DestroyPort(kAccount1, "p-hkg").ok());
  EXPECT_EQ(Get("p-hkg")->port_status, kPortDestroying);
  EXPECT_EQ(fixture_.RunJobsAfter(absl::Seconds(2)), 1);
  EXPECT_FALSE(Get("p-hkg").has_value());
  EXPECT_EQ(common::ReasonOf(ports_.DestroyPort(kAccount1, "p-hkg")), kReasonPortNotFound);
  EXPECT_EQ(common::ReasonOf(ports_.TerminatePort(kAccount1, "p-hkg")), kReasonPortNotFound);
}

// What each call answers while a job works on the port: Terminate past
// Terminate is "already terminated" (a resumed terraform destroy goes on to
// poll), everything else is a status conflict; nothing is written.
TEST_F(PortServiceTest, CallsInATransitionalStatusAreRefusedWithoutChange) {
  ModifyPortRequest rename{"p-hkg", "renamed", std::nullopt, std::nullopt};
  ASSERT_TRUE(ports_.TerminatePort(kAccount1, "p-hkg").ok());  // DELETING
  EXPECT_EQ(common::ReasonOf(ports_.TerminatePort(kAccount1, "p-hkg")), kReasonPortRecycled);
  EXPECT_EQ(common::ReasonOf(ports_.ModifyPortAttribute(kAccount1, rename)), kReasonPortRecycled);
  EXPECT_EQ(common::ReasonOf(ports_.RenewPort(kAccount1, "p-hkg")), kReasonPortStatus);
  EXPECT_EQ(common::ReasonOf(ports_.DestroyPort(kAccount1, "p-hkg")), kReasonPortStatus);
  fixture_.RunJobsAfter(absl::Seconds(2));
  ASSERT_TRUE(ports_.RenewPort(kAccount1, "p-hkg").ok());  // RECOVERING
  EXPECT_EQ(common::ReasonOf(ports_.TerminatePort(kAccount1, "p-hkg")), kReasonPortStatus);
  EXPECT_EQ(common::ReasonOf(ports_.ModifyPortAttribute(kAccount1, rename)), kReasonPortStatus);
  EXPECT_EQ(common::ReasonOf(ports_.RenewPort(kAccount1, "p-hkg")), kReasonPortStatus);
  EXPECT_EQ(common::ReasonOf(ports_.DestroyPort(kAccount1, "p-hkg")), kReasonPortStatus);
  fixture_.RunJobsAfter(absl::Seconds(2));
  ASSERT_TRUE(ports_.TerminatePort(kAccount1, "p-hkg").ok());
  fixture_.RunJobsAfter(absl::Seconds(2));
  ASSERT_TRUE(ports_.DestroyPort(kAccount1, "p-hkg").ok());  // DESTROYING
  EXPECT_EQ(common::ReasonOf(ports_.TerminatePort(kAccount1, "p-hkg")), kReasonPortRecycled);
  EXPECT_EQ(common::ReasonOf(ports_.RenewPort(kAccount1, "p-hkg")), kReasonPortStatus);
  EXPECT_EQ(common::ReasonOf(ports_.DestroyPort(kAccount1, "p-hkg")), kReasonPortStatus);
  std::optional<store::ZenlayerPort> destroying = Get("p-hkg");
  EXPECT_EQ(destroying->port_status, kPortDestroying);
  EXPECT_EQ(destroying->port_name, "hkg");
  EXPECT_EQ(fixture_.RunJobsAfter(absl::Seconds(2)), 1);
  EXPECT_FALSE(Get("p-hkg").has_value());
}

TEST_F(PortServiceTest, TerminateRenewDestroyTimingFollowsTheirJobTypes) {
  fixture_.timings.Set(std::string(kJobTerminatePort), absl::Seconds(10));
  fixture_.timings.Set(std::string(kJobRenewPort), absl::Seconds(20));
  fixture_.timings.Set(std::string(kJobDestroyPort), absl::Seconds(30));
  ASSERT_TRUE(ports_.TerminatePort(kAccount1, "p-hkg").ok());
  EXPECT_EQ(fixture_.RunJobsAfter(absl::Seconds(9)), 0);
  EXPECT_EQ(Get("p-hkg")->port_status, kPortDeleting);
  EXPECT_EQ(fixture_.RunJobsAfter(absl::Seconds(1)), 1);
  ASSERT_TRUE(ports_.RenewPort(kAccount1, "p-hkg").ok());
  EXPECT_EQ(fixture_.RunJobsAfter(absl::Seconds(19)), 0);
  EXPECT_EQ(Get("p-hkg")->port_status, kPortRecovering);
  EXPECT_EQ(fixture_.RunJobsAfter(absl::Seconds(1)), 1);
  ASSERT_TRUE(ports_.TerminatePort(kAccount1, "p-hkg").ok());
  fixture_.RunJobsAfter(absl::Seconds(10));
  ASSERT_TRUE(ports_.DestroyPort(kAccount1, "p-hkg").ok());
  EXPECT_EQ(fixture_.RunJobsAfter(absl::Seconds(29)), 0);
  EXPECT_EQ(Get("p-hkg")->port_status, kPortDestroying);
  EXPECT_EQ(fixture_.RunJobsAfter(absl::Seconds(1)), 1);
  EXPECT_FALSE(Get("p-hkg").has_value());
}

// Read-gated timing: DescribePorts is the read that counts, for each port of
// the page in a transitional status; the Nth read still sees DELETING.
TEST_F(PortServiceTest, DescribePortsCountsReadsOfPortsInTransition) {
  ASSERT_TRUE(fixture_.timings.ApplySetting("zenlayer.terminate_port=reads:2").ok());
  ASSERT_TRUE(ports_.TerminatePort(kAccount1, "p-hkg").ok());
  EXPECT_EQ(fixture_.RunJobsAfter(absl::Hours(1)), 0);
  EXPECT_EQ(Get("p-hkg")->port_status, kPortDeleting);  // read 1
  EXPECT_EQ(Get("p-hkg")->port_status, kPortDeleting);  // read 2
  EXPECT_EQ(fixture_.RunJobsAfter(absl::ZeroDuration()), 1);
  EXPECT_EQ(Get("p-hkg")->port_status, kPortRecycled);
}

// A failed job leaves the port where it was before the request, as the
// private connect jobs do: terminate -> RUNNING, renew and destroy ->
// RECYCLED (with the time it went into the bin).
TEST_F(PortServiceTest, FailedTerminateRenewDestroyJobsRestoreThePreviousStatus) {
  ASSERT_TRUE(fixture_.controls.AddJobFault({.job_type = std::string(kJobTerminatePort)}).ok());
  ASSERT_TRUE(ports_.TerminatePort(kAccount1, "p-hkg").ok());
  fixture_.RunJobsAfter(absl::Minutes(5));
  EXPECT_EQ(Get("p-hkg")->port_status, kPortRunning);

  ASSERT_TRUE(ports_.TerminatePort(kAccount1, "p-hkg").ok());
  fixture_.RunJobsAfter(absl::Seconds(2));
  const int64_t recycled_at = Get("p-hkg")->recycled_at_ms;
  ASSERT_GT(recycled_at, 0);
  ASSERT_TRUE(fixture_.controls.AddJobFault({.job_type = std::string(kJobRenewPort)}).ok());
  ASSERT_TRUE(ports_.RenewPort(kAccount1, "p-hkg").ok());
  fixture_.RunJobsAfter(absl::Minutes(5));
  EXPECT_EQ(Get("p-hkg")->port_status, kPortRecycled);
  EXPECT_EQ(Get("p-hkg")->recycled_at_ms, recycled_at);

  ASSERT_TRUE(fixture_.controls.AddJobFault({.job_type = std::string(kJobDestroyPort)}).ok());
  ASSERT_TRUE(ports_.DestroyPort(kAccount1, "p-hkg").ok());
  fixture_.RunJobsAfter(absl::Minutes(5));
  EXPECT_EQ(Get("p-hkg")->port_status, kPortRecycled);
  EXPECT_EQ(Get("p-hkg")->recycled_at_ms, recycled_at);
  ASSERT_TRUE(ports_.DestroyPort(kAccount1, "p-hkg").ok());  // no rule left: succeeds
  fixture_.RunJobsAfter(absl::Seconds(2));
  EXPECT_FALSE(Get("p-hkg").has_value());
}

TEST_F(PortServiceTest, OtherAccountsPortsAreUnknown) {
  for (auto status : {ports_.TerminatePort(kAccount1, "p-lax"),
                      ports_.RenewPort(kAccount1, "p-lax"), ports_.DestroyPort(kAccount1, "p-lax"),
                      ports_.ModifyPortAttribute(kAccount1, {"p-lax", "x", {}, {}})}) {
    EXPECT_EQ(common::ReasonOf(status), kReasonPortNotFound);
  }
  EXPECT_FALSE(Get("p-lax").has_value());
  EXPECT_EQ(Get("p-lax", kAccount2)->port_status, kPortRunning);
}

TEST_F(PortServiceTest, APortInUseByAPrivateConnectCannotBeTerminated) {
  CreatePrivateConnectRequest request;
  request.endpoint_a = {"p-sin", 10, std::nullopt, std::nullopt};
  request.endpoint_z = {"p-hkg", 10, std::nullopt, std::nullopt};
  auto connect_id = fixture_.connects.CreatePrivateConnect(kAccount1, request);
  ASSERT_TRUE(connect_id.ok()) << connect_id.status();
  EXPECT_EQ(common::ReasonOf(ports_.TerminatePort(kAccount1, "p-sin")), kReasonPortInUse);
  EXPECT_EQ(common::ReasonOf(ports_.TerminatePort(kAccount1, "p-hkg")), kReasonPortInUse);
  EXPECT_EQ(Get("p-sin")->port_status, kPortRunning);
  // Gone once the connect is destroyed; then a recycled port refuses new connects.
  fixture_.RunJobsAfter(absl::Seconds(2));
  ASSERT_TRUE(fixture_.connects.DeletePrivateConnect(kAccount1, *connect_id).ok());
  fixture_.RunJobsAfter(absl::Seconds(2));
  ASSERT_TRUE(fixture_.connects.DestroyPrivateConnect(kAccount1, *connect_id).ok());
  fixture_.RunJobsAfter(absl::Seconds(2));
  ASSERT_TRUE(ports_.TerminatePort(kAccount1, "p-sin").ok());
  EXPECT_EQ(common::ReasonOf(fixture_.connects.CreatePrivateConnect(kAccount1, request).status()),
            kReasonPortStatus);  // DELETING
  fixture_.RunJobsAfter(absl::Seconds(2));
  EXPECT_EQ(common::ReasonOf(fixture_.connects.CreatePrivateConnect(kAccount1, request).status()),
            kReasonPortStatus);  // RECYCLED
}

TEST_F(PortServiceTest, ModifyChangesOnlyTheGivenAttributes) {
  ASSERT_TRUE(
      ports_.ModifyPortAttribute(kAccount1, {"p-sin", std::nullopt, "new remarks", "Corp"}).ok());
  std::optional<store::ZenlayerPort> port = Get("p-sin");
  EXPECT_EQ(port->port_name, "Sin-Main");
  auto attributes = common::ParseJsonObject(port->attributes_json);
  EXPECT_EQ(attributes->at("portRemarks").as_string(), "new remarks");
  EXPECT_EQ(attributes->at("businessEntityName").as_string(), "Corp");
  ASSERT_TRUE(ports_.ModifyPortAttribute(kAccount1, {"p-sin", "Renamed", {}, {}}).ok());
  EXPECT_EQ(Get("p-sin")->port_name, "Renamed");
  EXPECT_EQ(Get("p-sin")->version, 2);
  EXPECT_EQ(common::ReasonOf(
                ports_.ModifyPortAttribute(kAccount1, {"p-sin", std::string(256, 'x'), {}, {}})),
            kReasonPortInvalidParameter);
}

TEST_F(PortServiceTest, DescribeFiltersAreFuzzyAndCaseInsensitive) {
  PortQuery by_name;
  by_name.port_name = "SIN-m";
  EXPECT_EQ(Ids(by_name), std::vector<std::string>{"p-sin"});
  PortQuery by_remarks;
  by_remarks.port_remarks = "uplink";
  EXPECT_EQ(Ids(by_remarks), std::vector<std::string>{"p-sin"});
  PortQuery by_city;
  by_city.city_name = "hong";
  EXPECT_EQ(Ids(by_city), std::vector<std::string>{"p-hkg"});
  PortQuery by_old_city;  // a seeded dataCenter outside the catalog still counts
  by_old_city.city_name = "old town";
  EXPECT_EQ(Ids(by_old_city), std::vector<std::string>{"p-old"});
  PortQuery by_dc;
  by_dc.dc_id = "HKG1";
  EXPECT_EQ(Ids(by_dc), std::vector<std::string>{"p-hkg"});
  PortQuery paged;
  paged.page_size = 2;
  paged.page_num = 2;
  auto page = ports_.DescribePorts(kAccount1, paged);
  ASSERT_TRUE(page.ok());
  EXPECT_EQ(page->total, 3);
  EXPECT_EQ(page->items.size(), 1u);
  PortQuery too_many;
  too_many.port_ids.assign(101, "p");
  EXPECT_EQ(common::ReasonOf(ports_.DescribePorts(kAccount1, too_many).status()),
            kReasonPortInvalidParameter);
}

TEST_F(PortServiceTest, SeededPortsShowTheCatalogDataCenter) {
  auto sin = common::ParseJsonObject(Get("p-sin")->attributes_json);
  EXPECT_EQ(sin->at("dataCenter").at("dcName").as_string(), "AP-Singapore1");
  EXPECT_EQ(sin->at("dataCenter").at("countryName").as_string(), "Singapore");
  auto old = common::ParseJsonObject(Get("p-old")->attributes_json);
  EXPECT_EQ(old->at("dataCenter").at("dcName").as_string(), "Legacy DC");
}

TEST_F(PortServiceTest, DescribeDatacentersFiltersByIdAndPortAvailability) {
  auto all = ports_.DescribeDatacenters(kAccount1, {});
  ASSERT_TRUE(all.ok());
  ASSERT_EQ(all->size(), 3u);
  EXPECT_EQ((*all)[0].dc_id, "HKG1");
  auto available = ports_.DescribeDatacenters(kAccount2, {{}, true});
  EXPECT_EQ(available->size(), 2u);
  auto unavailable = ports_.DescribeDatacenters(kAccount1, {{}, false});
  ASSERT_EQ(unavailable->size(), 1u);
  EXPECT_EQ((*unavailable)[0].dc_id, "XYZ1");
  auto by_id = ports_.DescribeDatacenters(kAccount1, {{"SIN1", "NOPE"}, std::nullopt});
  ASSERT_EQ(by_id->size(), 1u);
  EXPECT_EQ((*by_id)[0].dc_name, "AP-Singapore1");
}

TEST_F(PortServiceTest, FailedCreateJobRemovesThePort) {
  ASSERT_TRUE(fixture_.controls.AddJobFault({.job_type = std::string(kJobCreatePort)}).ok());
  auto port_id = ports_.CreatePort(kAccount1, NewPort());
  ASSERT_TRUE(port_id.ok());
  fixture_.RunJobsAfter(absl::Minutes(5));
  EXPECT_FALSE(Get(*port_id).has_value());
}

}  // namespace
}  // namespace connectplane::service
