// The Zenlayer private connect state machine: service rules, the durable jobs
// that finish each transition, the compare-and-swap store methods they rely
// on, and the seed's "zenlayer" section. In-memory SQLite, fake clock.
#include "service/private_connect_service.h"

#include "common/status.h"
#include "common/strings.h"
#include "jobs/job_runner.h"
#include "service/seed.h"
#include "store/sqlite_store.h"

#include <gtest/gtest.h>

#include "fakes/service_fixture.h"
#include <atomic>
#include <string>
#include <thread>
#include <vector>

namespace connectplane::service {
namespace {

constexpr char kSeed[] = R"({
  "zenlayer": {
    "credentials": [
      {"access_key_id": "AK1", "access_key_password": "pw1", "account_id": "acct-1"},
      {"access_key_id": "AK2", "access_key_password": "pw2", "account_id": "acct-2"}
    ],
    "ports": [
      {"account_id": "acct-1", "portId": "p-sin", "portName": "sin", "dataCenter": {"dcId": "SIN1"}},
      {"account_id": "acct-1", "portId": "p-hkg", "portName": "hkg", "dcId": "HKG1"},
      {"account_id": "acct-1", "portId": "p-fra", "portName": "fra", "dcId": "FRA1"},
      {"account_id": "acct-1", "portId": "p-down", "portName": "down", "dcId": "FRA1",
       "portStatus": "TERMINATED"},
      {"account_id": "acct-2", "portId": "p-lax", "portName": "lax", "dcId": "LAX1"},
      {"account_id": "acct-2", "portId": "p-nyc", "portName": "nyc", "dcId": "NYC1"}
    ],
    "private_connects": [
      {"account_id": "acct-2", "privateConnectId": "900", "privateConnectName": "theirs",
       "privateConnectStatus": "RECYCLED",
       "endpointA": {"portId": "p-lax", "vlanId": 7}, "endpointZ": {"portId": "p-nyc", "vlanId": 7}}
    ]
  }
})";

const Caller kAccount1{"acct-1", "AK1", "acct-1", "", ""};
const Caller kAccount2{"acct-2", "AK2", "acct-2", "", ""};

template <typename Fn>
PrivateConnectQuery Query(Fn fill) {
  PrivateConnectQuery query;
  fill(query);
  return query;
}

class PrivateConnectServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto summary = ApplySeed(*store_, kSeed, clock_, nullptr);
    ASSERT_TRUE(summary.ok()) << summary.status();
  }

  static CreatePrivateConnectRequest Request(std::string port_a = "p-sin", int64_t vlan_a = 10,
                                             std::string port_z = "p-hkg", int64_t vlan_z = 10) {
    CreatePrivateConnectRequest request;
    request.name = "pc";
    request.endpoint_a.port_id = std::move(port_a);
    request.endpoint_a.vlan_id = vlan_a;
    request.endpoint_z.port_id = std::move(port_z);
    request.endpoint_z.vlan_id = vlan_z;
    request.bandwidth_mbps = 50;
    return request;
  }

  // Advances past every job duration and completes due jobs.
  void FinishJobs() {
    clock_.Advance(absl::Seconds(10));
    ASSERT_TRUE(runner_->RunDueJobs().ok());
  }

  std::optional<store::PrivateConnect> Get(const std::string& id,
                                           const std::string& account = "acct-1") {
    std::optional<store::PrivateConnect> found;
    EXPECT_TRUE(store_
                    ->Read([&](store::StoreTransaction& txn) -> absl::Status {
                      ASSIGN_OR_RETURN(found, txn.GetPrivateConnect(account, id));
                      return absl::OkStatus();
                    })
                    .ok());
    return found;
  }

  std::string Status(const std::string& id) {
    auto connect = Get(id);
    return connect ? connect->status : "<gone>";
  }

  std::vector<store::Job> Jobs(const std::string& id, const std::string& account = "acct-1") {
    std::vector<store::Job> jobs;
    EXPECT_TRUE(store_
                    ->Read([&](store::StoreTransaction& txn) -> absl::Status {
                      ASSIGN_OR_RETURN(store::Page<store::Job> page,
                                       txn.ListJobsForResource(account, id, {}, {0, 1000}));
                      jobs = std::move(page.items);
                      return absl::OkStatus();
                    })
                    .ok());
    return jobs;
  }

  int64_t ConnectCount(const std::string& account = "acct-1") {
    int64_t count = 0;
    EXPECT_TRUE(
        store_
            ->Read([&](store::StoreTransaction& txn) -> absl::Status {
              ASSIGN_OR_RETURN(auto connects, txn.QueryPrivateConnects(account, {}, {0, 1000}));
              count = static_cast<int64_t>(connects.items.size());
              return absl::OkStatus();
            })
            .ok());
    return count;
  }

  // A RUNNING connect (create job completed).
  std::string Running(CreatePrivateConnectRequest request = Request()) {
    auto id = service_->CreatePrivateConnect(kAccount1, request);
    EXPECT_TRUE(id.ok()) << id.status();
    FinishJobs();
    EXPECT_EQ(Status(*id), kPrivateConnectRunning);
    return *id;
  }

  std::string Recycled() {
    std::string id = Running();
    EXPECT_TRUE(service_->DeletePrivateConnect(kAccount1, id).ok());
    FinishJobs();
    EXPECT_EQ(Status(id), kPrivateConnectRecycled);
    return id;
  }

  testing::ServiceFixture services_{absl::Seconds(3)};
  store::SqliteStore* const store_ = services_.store.get();
  testing::FakeClock& clock_ = services_.clock;
  JobTimings& timings_ = services_.timings;
  jobs::JobRunner* const runner_ = &services_.runner;
  PrivateConnectService* const service_ = &services_.connects;
  // Runner wake-ups: one per commit that queued a job.
  std::atomic<int>& notified_ = services_.runner_wakeups;
};

TEST_F(PrivateConnectServiceTest, CreateIsCreatingUntilItsJobIsDueThenRunning) {
  auto id = service_->CreatePrivateConnect(kAccount1, Request());
  ASSERT_TRUE(id.ok()) << id.status();
  EXPECT_EQ(notified_.load(), 1);
  EXPECT_EQ(Status(*id), kPrivateConnectCreating);
  clock_.Advance(absl::Seconds(2));
  EXPECT_EQ(*runner_->RunDueJobs(), 0);
  EXPECT_EQ(Status(*id), kPrivateConnectCreating);
  clock_.Advance(absl::Seconds(1));
  EXPECT_EQ(*runner_->RunDueJobs(), 1);
  auto connect = Get(*id);
  ASSERT_TRUE(connect.has_value());
  EXPECT_EQ(connect->status, kPrivateConnectRunning);
  EXPECT_EQ(connect->bandwidth_mbps, 50);
  EXPECT_EQ(connect->endpoint_a.endpoint_id, "p-sin");
  EXPECT_EQ(connect->endpoint_a.endpoint_name, "sin");  // defaults to the port name
  EXPECT_EQ(connect->endpoint_z.vlan_id, 10);
  ASSERT_EQ(Jobs(*id).size(), 1u);
  EXPECT_EQ(Jobs(*id)[0].job_type, kJobCreatePrivateConnect);
  EXPECT_EQ(Jobs(*id)[0].status, store::JobStatus::kSucceeded);
}

TEST_F(PrivateConnectServiceTest, DefaultsBandwidthAndName) {
  CreatePrivateConnectRequest request = Request();
  request.name.reset();
  request.bandwidth_mbps.reset();
  auto id = service_->CreatePrivateConnect(kAccount1, request);
  ASSERT_TRUE(id.ok());
  EXPECT_EQ(Get(*id)->bandwidth_mbps, kDefaultBandwidthMbps);
  EXPECT_EQ(Get(*id)->name.rfind("private-connect-", 0), 0u);
}

TEST_F(PrivateConnectServiceTest, FullLifecycleDeleteRenewDeleteDestroyThenGone) {
  std::string id = Running();
  ASSERT_TRUE(service_->DeletePrivateConnect(kAccount1, id).ok());
  EXPECT_EQ(Status(id), kPrivateConnectDeleting);
  FinishJobs();
  EXPECT_EQ(Status(id), kPrivateConnectRecycled);
  EXPECT_NE(Get(id)->recycled_at_ms, 0);

  ASSERT_TRUE(service_->RenewPrivateConnect(kAccount1, id).ok());
  EXPECT_EQ(Status(id), kPrivateConnectRecovering);
  FinishJobs();
  EXPECT_EQ(Status(id), kPrivateConnectRunning);
  EXPECT_EQ(Get(id)->recycled_at_ms, 0);

  ASSERT_TRUE(service_->DeletePrivateConnect(kAccount1, id).ok());
  FinishJobs();
  ASSERT_TRUE(service_->DestroyPrivateConnect(kAccount1, id).ok());
  EXPECT_EQ(Status(id), kPrivateConnectDestroying);
  absl::Status again = service_->DestroyPrivateConnect(kAccount1, id);
  EXPECT_TRUE(absl::IsFailedPrecondition(again));
  EXPECT_EQ(common::ReasonOf(again), kReasonPrivateConnectStatus);
  auto described = service_->DescribePrivateConnects(
      kAccount1, Query([&](PrivateConnectQuery& q) { q.ids = {id}; }));
  ASSERT_TRUE(described.ok());
  ASSERT_EQ(described->total, 1);
  EXPECT_EQ(described->items[0].connect.status, kPrivateConnectDestroying);

  FinishJobs();
  EXPECT_FALSE(Get(id).has_value());
  described = service_->DescribePrivateConnects(
      kAccount1, Query([&](PrivateConnectQuery& q) { q.ids = {id}; }));
  ASSERT_TRUE(described.ok());
  EXPECT_EQ(described->total, 0);
  EXPECT_TRUE(described->items.empty());
  absl::Status after = service_->DestroyPrivateConnect(kAccount1, id);
  EXPECT_TRUE(absl::IsNotFound(after));
  EXPECT_EQ(common::ReasonOf(after), kReasonPrivateConnectNotFound);
  // The VLANs are free again.
  EXPECT_TRUE(service_->CreatePrivateConnect(kAccount1, Request()).ok());
}

TEST_F(PrivateConnectServiceTest, BandwidthChangeAppliesWhenItsJobCompletes) {
  std::string id = Running();
  ASSERT_TRUE(service_->ModifyPrivateConnectBandwidth(kAccount1, id, 200).ok());
  EXPECT_EQ(Status(id), kPrivateConnectUpdating);
  EXPECT_EQ(Get(id)->bandwidth_mbps, 50);
  FinishJobs();
  EXPECT_EQ(Status(id), kPrivateConnectRunning);
  EXPECT_EQ(Get(id)->bandwidth_mbps, 200);
}

TEST_F(PrivateConnectServiceTest, RefusesOperationsInTheWrongStatus) {
  struct Case {
    std::string name;
    std::string setup;  // "creating", "running", "recycled", "destroying"
    std::function<absl::Status(PrivateConnectService&, const std::string&)> operation;
  };
  auto destroy = [](PrivateConnectService& s, const std::string& id) {
    return s.DestroyPrivateConnect(kAccount1, id);
  };
  auto renew = [](PrivateConnectService& s, const std::string& id) {
    return s.RenewPrivateConnect(kAccount1, id);
  };
  auto remove = [](PrivateConnectService& s, const std::string& id) {
    return s.DeletePrivateConnect(kAccount1, id);
  };
  auto bandwidth = [](PrivateConnectService& s, const std::string& id) {
    return s.ModifyPrivateConnectBandwidth(kAccount1, id, 100);
  };
  auto rename = [](PrivateConnectService& s, const std::string& id) {
    return s.ModifyPrivateConnectsAttribute(kAccount1, {id}, "new");
  };
  const std::vector<Case> cases = {
      {"destroy_running", "running", destroy},       {"destroy_creating", "creating", destroy},
      {"renew_running", "running", renew},           {"delete_creating", "creating", remove},
      {"bandwidth_recycled", "recycled", bandwidth}, {"bandwidth_creating", "creating", bandwidth},
      {"rename_recycled", "recycled", rename},       {"rename_creating", "creating", rename},
      {"renew_destroying", "destroying", renew},
  };
  int vlan = 100;
  for (const Case& test_case : cases) {
    SCOPED_TRACE(test_case.name);
    ++vlan;
    std::string id;
    if (test_case.setup == "creating") {
      id = *service_->CreatePrivateConnect(kAccount1, Request("p-sin", vlan, "p-hkg", vlan));
    } else {
      id = Running(Request("p-sin", vlan, "p-hkg", vlan));
      if (test_case.setup != "running") {
        ASSERT_TRUE(service_->DeletePrivateConnect(kAccount1, id).ok());
        FinishJobs();
      }
      if (test_case.setup == "destroying") {
        ASSERT_TRUE(service_->DestroyPrivateConnect(kAccount1, id).ok());
      }
    }
    const std::string before = Status(id);
    const size_t jobs_before = Jobs(id).size();
    absl::Status status = test_case.operation(*service_, id);
    EXPECT_TRUE(absl::IsFailedPrecondition(status)) << status;
    EXPECT_EQ(common::ReasonOf(status), kReasonPrivateConnectStatus);
    EXPECT_EQ(Status(id), before);
    EXPECT_EQ(Jobs(id).size(), jobs_before);
    FinishJobs();
  }
}

// A resumed `terraform destroy` deletes again: a connect already deleting,
// recycled or being destroyed answers "not found" (what Terraform tolerates)
// and nothing changes.
TEST_F(PrivateConnectServiceTest, DeleteOfAnAlreadyDeletedConnectIsNotFound) {
  int vlan = 300;
  for (std::string_view stage : {"deleting", "recycled", "destroying"}) {
    SCOPED_TRACE(stage);
    ++vlan;
    const std::string id = Running(Request("p-sin", vlan, "p-hkg", vlan));
    ASSERT_TRUE(service_->DeletePrivateConnect(kAccount1, id).ok());
    if (stage != "deleting") {
      FinishJobs();
    }
    if (stage == "destroying") {
      ASSERT_TRUE(service_->DestroyPrivateConnect(kAccount1, id).ok());
    }
    const std::string before = Status(id);
    const size_t jobs_before = Jobs(id).size();
    absl::Status status = service_->DeletePrivateConnect(kAccount1, id);
    EXPECT_TRUE(absl::IsNotFound(status)) << status;
    EXPECT_EQ(common::ReasonOf(status), kReasonPrivateConnectNotFound);
    EXPECT_EQ(Status(id), before);
    EXPECT_EQ(Jobs(id).size(), jobs_before);
    FinishJobs();
  }
}

TEST_F(PrivateConnectServiceTest, StoresTagsAndFiltersByTagsAndResourceGroup) {
  CreatePrivateConnectRequest tagged = Request("p-sin", 401, "p-hkg", 401);
  tagged.tags = {{"env", "prod"}, {"team", "net"}};
  const std::string tagged_id = *service_->CreatePrivateConnect(kAccount1, tagged);
  const std::string plain_id =
      *service_->CreatePrivateConnect(kAccount1, Request("p-sin", 402, "p-hkg", 402));
  auto ids = [&](ResourceFilter filter) {
    PrivateConnectQuery query;
    query.resource_filter = std::move(filter);
    query.page_size = 1;  // paged after filtering
    auto page = service_->DescribePrivateConnects(kAccount1, query);
    EXPECT_TRUE(page.ok()) << page.status();
    std::vector<std::string> found;
    for (const PrivateConnectDetails& details : page->items) {
      found.push_back(details.connect.private_connect_id);
      if (details.connect.private_connect_id == tagged_id) {
        EXPECT_EQ(ResourceTagsFromJson(details.connect.tags_json), tagged.tags);
      }
    }
    found.push_back(common::StrCat("total=", page->total));
    return found;
  };
  EXPECT_EQ(ids({.tag_keys = {"env"}}), (std::vector<std::string>{tagged_id, "total=1"}));
  EXPECT_EQ(ids({.tags = {{"env", "prod"}}}), (std::vector<std::string>{tagged_id, "total=1"}));
  EXPECT_EQ(ids({.tags = {{"env", "dev"}}}), (std::vector<std::string>{"total=0"}));
  EXPECT_EQ(ids({.tag_keys = {"env", "missing"}}), (std::vector<std::string>{"total=0"}));
  EXPECT_EQ(ids({.resource_group_id = "default"}).back(), "total=2");
  EXPECT_EQ(ids({.resource_group_id = "other"}), (std::vector<std::string>{"total=0"}));
  (void)plain_id;

  CreatePrivateConnectRequest duplicate = Request("p-sin", 403, "p-hkg", 403);
  duplicate.tags = {{"env", "a"}, {"env", "b"}};
  EXPECT_EQ(common::ReasonOf(service_->CreatePrivateConnect(kAccount1, duplicate).status()),
            kReasonPcInvalidParameter);
}

TEST_F(PrivateConnectServiceTest, RejectsInvalidCreatesWithoutWritingAnything) {
  struct Case {
    std::string name;
    CreatePrivateConnectRequest request;
    absl::StatusCode code;
    std::string_view reason;
  };
  auto with = [](auto mutate) {
    CreatePrivateConnectRequest request = Request();
    mutate(request);
    return request;
  };
  using Req = CreatePrivateConnectRequest;
  const std::vector<Case> cases = {
      {"bandwidth_zero", with([](Req& r) { r.bandwidth_mbps = 0; }),
       absl::StatusCode::kInvalidArgument, kReasonBandwidthOutOfRange},
      {"bandwidth_501", with([](Req& r) { r.bandwidth_mbps = 501; }),
       absl::StatusCode::kInvalidArgument, kReasonBandwidthOutOfRange},
      {"vlan_zero", with([](Req& r) { r.endpoint_a.vlan_id = 0; }),
       absl::StatusCode::kInvalidArgument, kReasonPcInvalidParameter},
      {"vlan_4097", with([](Req& r) { r.endpoint_z.vlan_id = 4097; }),
       absl::StatusCode::kInvalidArgument, kReasonPcInvalidParameter},
      {"name_too_long", with([](Req& r) { r.name = std::string(256, 'n'); }),
       absl::StatusCode::kInvalidArgument, kReasonPcInvalidParameter},
      {"same_port", with([](Req& r) {
         r.endpoint_z.port_id = "p-sin";
         r.endpoint_z.vlan_id = 11;
       }),
       absl::StatusCode::kInvalidArgument, kReasonEndpointConflict},
      {"unknown_port", with([](Req& r) { r.endpoint_z.port_id = "p-nope"; }),
       absl::StatusCode::kNotFound, kReasonPortNotFound},
      {"other_accounts_port", with([](Req& r) { r.endpoint_z.port_id = "p-lax"; }),
       absl::StatusCode::kNotFound, kReasonPortNotFound},
      {"port_not_running", with([](Req& r) { r.endpoint_z.port_id = "p-down"; }),
       absl::StatusCode::kInvalidArgument, kReasonPortStatus},
      {"dc_mismatch", with([](Req& r) { r.endpoint_a.dc_id = "HKG1"; }),
       absl::StatusCode::kInvalidArgument, kReasonEndpointParameter},
      {"vlan_in_use", with([](Req& r) {
         r.endpoint_a.vlan_id = 1;
         r.endpoint_z.port_id = "p-fra";
       }),
       absl::StatusCode::kInvalidArgument, kReasonVlanInUse},
  };
  // Occupies VLAN 1 on p-sin for the vlan_in_use case.
  ASSERT_TRUE(service_->CreatePrivateConnect(kAccount1, Request("p-sin", 1, "p-hkg", 1)).ok());
  const int64_t count = ConnectCount();
  const int notified = notified_;
  for (const Case& test_case : cases) {
    SCOPED_TRACE(test_case.name);
    auto id = service_->CreatePrivateConnect(kAccount1, test_case.request);
    ASSERT_FALSE(id.ok());
    EXPECT_EQ(id.status().code(), test_case.code) << id.status();
    EXPECT_EQ(common::ReasonOf(id.status()), test_case.reason);
    EXPECT_EQ(ConnectCount(), count);
    EXPECT_EQ(notified_.load(), notified);
  }
}

TEST_F(PrivateConnectServiceTest, SameVlanOnDifferentPortsIsAllowed) {
  ASSERT_TRUE(service_->CreatePrivateConnect(kAccount1, Request("p-sin", 5, "p-hkg", 6)).ok());
  EXPECT_TRUE(service_->CreatePrivateConnect(kAccount1, Request("p-fra", 5, "p-sin", 6)).ok());
}

TEST_F(PrivateConnectServiceTest, AnotherAccountsConnectIsNotFoundAndNeverShown) {
  EXPECT_EQ(common::ReasonOf(service_->DestroyPrivateConnect(kAccount1, "900")),
            kReasonPrivateConnectNotFound);
  EXPECT_EQ(common::ReasonOf(service_->RenewPrivateConnect(kAccount1, "900")),
            kReasonPrivateConnectNotFound);
  EXPECT_EQ(common::ReasonOf(service_->ModifyPrivateConnectsAttribute(kAccount1, {"900"}, "x")),
            kReasonPrivateConnectNotFound);
  auto mine = service_->DescribePrivateConnects(
      kAccount1, Query([&](PrivateConnectQuery& q) { q.ids = {"900"}; }));
  ASSERT_TRUE(mine.ok());
  EXPECT_EQ(mine->total, 0);
  EXPECT_EQ(Get("900", "acct-2")->status, kPrivateConnectRecycled);  // untouched
  auto theirs = service_->DescribePrivateConnects(kAccount2, {});
  ASSERT_TRUE(theirs.ok());
  ASSERT_EQ(theirs->total, 1);
  EXPECT_EQ(theirs->items[0].connect.private_connect_id, "900");
  auto ports = services_.ports.DescribePorts(kAccount2, {});
  ASSERT_TRUE(ports.ok());
  EXPECT_EQ(ports->total, 2);
}

TEST_F(PrivateConnectServiceTest, DescribeFiltersAndPages) {
  std::vector<std::string> ids;
  for (int vlan = 1; vlan <= 5; ++vlan) {
    CreatePrivateConnectRequest request = Request("p-sin", vlan, "p-hkg", vlan);
    request.name = vlan % 2 == 0 ? "even-" + std::to_string(vlan) : "odd-" + std::to_string(vlan);
    ids.push_back(*service_->CreatePrivateConnect(kAccount1, request));
    clock_.Advance(absl::Milliseconds(1));
  }
  EXPECT_FALSE(service_->DeletePrivateConnect(kAccount1, ids[0]).ok());  // still CREATING
  FinishJobs();

  auto page = service_->DescribePrivateConnects(kAccount1, Query([&](PrivateConnectQuery& q) {
                                                  q.page_num = 2;
                                                  q.page_size = 2;
                                                }));
  ASSERT_TRUE(page.ok());
  EXPECT_EQ(page->total, 5);
  ASSERT_EQ(page->items.size(), 2u);
  EXPECT_EQ(page->items[0].connect.private_connect_id, ids[2]);  // newest first
  auto last = service_->DescribePrivateConnects(kAccount1, Query([&](PrivateConnectQuery& q) {
                                                  q.page_num = 3;
                                                  q.page_size = 2;
                                                }));
  EXPECT_EQ(last->items.size(), 1u);
  auto beyond = service_->DescribePrivateConnects(kAccount1, Query([&](PrivateConnectQuery& q) {
                                                    q.page_num = 9;
                                                    q.page_size = 2;
                                                  }));
  EXPECT_EQ(beyond->total, 5);
  EXPECT_TRUE(beyond->items.empty());

  EXPECT_EQ(service_
                ->DescribePrivateConnects(kAccount1,
                                          Query([&](PrivateConnectQuery& q) { q.name = "even"; }))
                ->total,
            2);
  EXPECT_EQ(service_
                ->DescribePrivateConnects(kAccount1, Query([&](PrivateConnectQuery& q) {
                                            q.ids = {ids[1], ids[3], "nope"};
                                          }))
                ->total,
            2);
  ASSERT_TRUE(service_->DeletePrivateConnect(kAccount1, ids[4]).ok());
  EXPECT_EQ(service_
                ->DescribePrivateConnects(
                    kAccount1, Query([&](PrivateConnectQuery& q) { q.status = "DELETING"; }))
                ->total,
            1);
  EXPECT_EQ(service_
                ->DescribePrivateConnects(
                    kAccount1, Query([&](PrivateConnectQuery& q) { q.connectivity = "ACTIVE"; }))
                ->total,
            4);
  EXPECT_EQ(service_
                ->DescribePrivateConnects(
                    kAccount1, Query([&](PrivateConnectQuery& q) { q.connectivity = "DOWN"; }))
                ->total,
            1);
  EXPECT_EQ(service_
                ->DescribePrivateConnects(
                    kAccount1, Query([&](PrivateConnectQuery& q) { q.endpoint_types = {"AWS"}; }))
                ->total,
            0);

  for (PrivateConnectQuery bad :
       {Query([&](PrivateConnectQuery& q) { q.page_num = 0; }),
        Query([&](PrivateConnectQuery& q) { q.page_size = 0; }),
        Query([&](PrivateConnectQuery& q) { q.page_size = 1001; }),
        Query([&](PrivateConnectQuery& q) { q.ids = std::vector<std::string>(101, "x"); })}) {
    auto result = service_->DescribePrivateConnects(kAccount1, bad);
    EXPECT_EQ(common::ReasonOf(result.status()), kReasonPcInvalidParameter);
  }
  EXPECT_TRUE(service_
                  ->DescribePrivateConnects(
                      kAccount1, Query([&](PrivateConnectQuery& q) { q.page_size = 1000; }))
                  .ok());
}

TEST_F(PrivateConnectServiceTest, RenameIsAllOrNothing) {
  std::string first = Running(Request("p-sin", 1, "p-hkg", 1));
  std::string second = Running(Request("p-sin", 2, "p-hkg", 2));
  absl::Status partial =
      service_->ModifyPrivateConnectsAttribute(kAccount1, {first, "missing", second}, "renamed");
  EXPECT_EQ(common::ReasonOf(partial), kReasonPrivateConnectNotFound);
  EXPECT_EQ(Get(first)->name, "pc");
  ASSERT_TRUE(
      service_->ModifyPrivateConnectsAttribute(kAccount1, {first, second, first}, "renamed").ok());
  EXPECT_EQ(Get(first)->name, "renamed");
  EXPECT_EQ(Get(second)->name, "renamed");
  EXPECT_EQ(common::ReasonOf(service_->ModifyPrivateConnectsAttribute(kAccount1, {}, "x")),
            kReasonPcInvalidParameter);
  EXPECT_EQ(common::ReasonOf(service_->ModifyPrivateConnectsAttribute(kAccount1, {first},
                                                                      std::string(256, 'x'))),
            kReasonPcInvalidParameter);
}

TEST_F(PrivateConnectServiceTest, ConcurrentDestroyAcceptsExactlyOneAndEnqueuesOneJob) {
  std::string id = Recycled();
  constexpr int kThreads = 20;
  std::atomic<int> accepted{0};
  std::atomic<int> refused_for_status{0};
  std::atomic<int> other{0};
  std::atomic<bool> go{false};
  std::vector<std::thread> threads;
  for (int thread_idx = 0; thread_idx < kThreads; ++thread_idx) {
    threads.emplace_back([&] {
      while (!go.load()) {
        std::this_thread::yield();
      }
      absl::Status status = service_->DestroyPrivateConnect(kAccount1, id);
      if (status.ok()) {
        ++accepted;
      } else if (common::ReasonOf(status) == kReasonPrivateConnectStatus) {
        ++refused_for_status;
      } else {
        ++other;
      }
    });
  }
  go = true;
  for (std::thread& thread : threads) {
    thread.join();
  }
  EXPECT_EQ(accepted.load(), 1);
  EXPECT_EQ(refused_for_status.load(), kThreads - 1);
  EXPECT_EQ(other.load(), 0);
  int destroy_jobs = 0;
  for (const store::Job& job : Jobs(id)) {
    destroy_jobs += job.job_type == kJobDestroyPrivateConnect ? 1 : 0;
  }
  EXPECT_EQ(destroy_jobs, 1);
  FinishJobs();
  EXPECT_FALSE(Get(id).has_value());
}

TEST_F(PrivateConnectServiceTest, JobCompletionIsACompareAndSwapOnTheTransitionalStatus) {
  std::string id = Recycled();
  ASSERT_TRUE(service_->DestroyPrivateConnect(kAccount1, id).ok());
  // Someone moved the connect on: completion is refused permanently (the job
  // fails at its first attempt, FailedPrecondition) and nothing is changed.
  ASSERT_TRUE(store_
                  ->Write([&](store::StoreTransaction& txn) -> absl::Status {
                    ASSIGN_OR_RETURN(auto connect, txn.GetPrivateConnect("acct-1", id));
                    connect->status = "RECYCLED";
                    return txn.UpdatePrivateConnect(*connect);
                  })
                  .ok());
  FinishJobs();
  std::vector<store::Job> jobs = Jobs(id);
  const store::Job& destroy_job = jobs.front();  // newest first
  ASSERT_EQ(destroy_job.job_type, kJobDestroyPrivateConnect);
  EXPECT_EQ(destroy_job.status, store::JobStatus::kFailed);
  EXPECT_EQ(destroy_job.attempts, 1);
  EXPECT_NE(destroy_job.error.find("expected DESTROYING"), std::string::npos) << destroy_job.error;
  EXPECT_EQ(Status(id), kPrivateConnectRecycled);
}

TEST_F(PrivateConnectServiceTest, FailedJobsRestoreTheDocumentedState) {
  // Create failure (an injected failure takes the runner's failure path): the
  // record disappears.
  ASSERT_TRUE(
      services_.controls.AddJobFault({.job_type = std::string(kJobCreatePrivateConnect)}).ok());
  auto created = service_->CreatePrivateConnect(kAccount1, Request());
  ASSERT_TRUE(created.ok());
  FinishJobs();
  EXPECT_FALSE(Get(*created).has_value());

  // Destroy failure: back to RECYCLED.
  std::string id = Recycled();
  ASSERT_TRUE(
      services_.controls.AddJobFault({.job_type = std::string(kJobDestroyPrivateConnect)}).ok());
  ASSERT_TRUE(service_->DestroyPrivateConnect(kAccount1, id).ok());
  FinishJobs();
  EXPECT_EQ(Jobs(id).front().status, store::JobStatus::kFailed);
  EXPECT_EQ(Status(id), kPrivateConnectRecycled);
}

// The outcome README documents for a failed create job: the connect the
// request acknowledged disappears (Describe no longer shows it, its id is
// unknown), its VLANs are free again, and the job and the audit trail say why.
TEST_F(PrivateConnectServiceTest, FailedCreateJobRemovesTheConnectAndFreesItsVlans) {
  ASSERT_TRUE(
      services_.controls.AddJobFault({.job_type = std::string(kJobCreatePrivateConnect)}).ok());
  auto created = service_->CreatePrivateConnect(kAccount1, Request());
  ASSERT_TRUE(created.ok()) << created.status();
  EXPECT_EQ(Status(*created), kPrivateConnectCreating) << "acknowledged as CREATING";
  FinishJobs();

  EXPECT_FALSE(Get(*created).has_value());
  std::vector<store::Job> jobs = Jobs(*created);
  ASSERT_EQ(jobs.size(), 1u);
  EXPECT_EQ(jobs.front().status, store::JobStatus::kFailed);
  EXPECT_EQ(jobs.front().error, "Injected job failure");
  EXPECT_TRUE(absl::IsNotFound(service_->DeletePrivateConnect(kAccount1, *created)));

  std::vector<std::string> trail;
  ASSERT_TRUE(store_
                  ->Read([&](store::StoreTransaction& txn) -> absl::Status {
                    store::AuditFilter filter;
                    filter.resource_id = *created;
                    ASSIGN_OR_RETURN(std::vector<store::AuditEntry> entries, txn.ListAudit(filter));
                    for (auto entry = entries.rbegin(); entry != entries.rend(); ++entry) {
                      trail.push_back(entry->actor + " " + entry->action + " " +
                                      entry->from_status + "->" + entry->to_status);
                    }
                    return absl::OkStatus();
                  })
                  .ok());
  EXPECT_EQ(trail, (std::vector<std::string>{
                       "AK1 CreatePrivateConnect ->CREATING",
                       "job-runner zenlayer.create_private_connect CREATING->",
                   }));

  // The same ports and VLANs are accepted again.
  auto again = service_->CreatePrivateConnect(kAccount1, Request());
  ASSERT_TRUE(again.ok()) << again.status();
  FinishJobs();
  EXPECT_EQ(Status(*again), kPrivateConnectRunning);
}

TEST_F(PrivateConnectServiceTest, StoreCompareAndSwapRejectsStaleVersions) {
  std::string id = Running();
  store::PrivateConnect stale = *Get(id);
  store::PrivateConnect fresh = stale;
  fresh.name = "first";
  ASSERT_TRUE(
      store_->Write([&](store::StoreTransaction& txn) { return txn.UpdatePrivateConnect(fresh); })
          .ok());
  stale.name = "second";
  absl::Status update =
      store_->Write([&](store::StoreTransaction& txn) { return txn.UpdatePrivateConnect(stale); });
  EXPECT_TRUE(absl::IsAborted(update)) << update;
  absl::Status remove = store_->Write([&](store::StoreTransaction& txn) {
    return txn.DeletePrivateConnect("acct-1", id, stale.version);
  });
  EXPECT_TRUE(absl::IsAborted(remove)) << remove;
  EXPECT_EQ(Get(id)->name, "first");
  ASSERT_TRUE(store_
                  ->Write([&](store::StoreTransaction& txn) {
                    return txn.DeletePrivateConnect("acct-1", id, stale.version + 1);
                  })
                  .ok());
  absl::Status gone = store_->Write([&](store::StoreTransaction& txn) {
    return txn.DeletePrivateConnect("acct-1", id, stale.version + 1);
  });
  EXPECT_TRUE(absl::IsNotFound(gone)) << gone;
}

TEST(PrivateConnectSeedTest, RejectsMalformedZenlayerSections) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"unknown_section_key", R"({"zenlayer": {"nope": []}})"},
      {"unknown_credential_key",
       R"({"zenlayer": {"credentials": [{"access_key_id": "a", "access_key_password": "b", "x": 1}]}})"},
      {"missing_password", R"({"zenlayer": {"credentials": [{"access_key_id": "a"}]}})"},
      {"port_without_dc",
       R"({"zenlayer": {"ports": [{"account_id": "a", "portId": "p", "portName": "n"}]}})"},
      {"port_unknown_key",
       R"({"zenlayer": {"ports": [{"account_id": "a", "portId": "p", "portName": "n", "dcId": "X", "speed": 1}]}})"},
      {"duplicate_port",
       R"({"zenlayer": {"ports": [{"account_id": "a", "portId": "p", "portName": "n", "dcId": "X"},
                                  {"account_id": "a", "portId": "p", "portName": "n", "dcId": "X"}]}})"},
      {"connect_unknown_port",
       R"({"zenlayer": {"ports": [{"account_id": "a", "portId": "p", "portName": "n", "dcId": "X"}],
           "private_connects": [{"account_id": "a", "privateConnectId": "1",
             "endpointA": {"portId": "p", "vlanId": 1}, "endpointZ": {"portId": "q", "vlanId": 1}}]}})"},
      {"connect_bad_status",
       R"({"zenlayer": {"ports": [{"account_id": "a", "portId": "p", "portName": "n", "dcId": "X"},
                                  {"account_id": "a", "portId": "q", "portName": "n", "dcId": "X"}],
           "private_connects": [{"account_id": "a", "privateConnectId": "1", "privateConnectStatus": "CREATING",
             "endpointA": {"portId": "p", "vlanId": 1}, "endpointZ": {"portId": "q", "vlanId": 1}}]}})"},
  };
  for (const auto& [name, seed] : cases) {
    SCOPED_TRACE(name);
    auto store = std::move(*store::SqliteStore::Open(":memory:"));
    testing::FakeClock clock;
    auto summary = ApplySeed(*store, seed, clock, nullptr);
    EXPECT_TRUE(absl::IsInvalidArgument(summary.status())) << summary.status();
  }
}

TEST(PrivateConnectSeedTest, ReseedingKeepsJobResults) {
  auto store = std::move(*store::SqliteStore::Open(":memory:"));
  testing::FakeClock clock;
  auto first = ApplySeed(*store, kSeed, clock, nullptr);
  ASSERT_TRUE(first.ok());
  EXPECT_EQ(first->zenlayer_credentials, 2);
  EXPECT_EQ(first->zenlayer_ports_created, 6);
  EXPECT_EQ(first->zenlayer_private_connects_created, 1);
  ASSERT_TRUE(store
                  ->Write([&](store::StoreTransaction& txn) -> absl::Status {
                    ASSIGN_OR_RETURN(auto connect, txn.GetPrivateConnect("acct-2", "900"));
                    connect->status = "RUNNING";
                    return txn.UpdatePrivateConnect(*connect);
                  })
                  .ok());
  auto second = ApplySeed(*store, kSeed, clock, nullptr);
  ASSERT_TRUE(second.ok());
  EXPECT_EQ(second->zenlayer_ports_created, 0);
  EXPECT_EQ(second->zenlayer_private_connects_created, 0);
  ASSERT_TRUE(store
                  ->Read([&](store::StoreTransaction& txn) -> absl::Status {
                    ASSIGN_OR_RETURN(auto connect, txn.GetPrivateConnect("acct-2", "900"));
                    EXPECT_EQ(connect->status, "RUNNING");
                    return absl::OkStatus();
                  })
                  .ok());
}

}  // namespace
}  // namespace connectplane::service
