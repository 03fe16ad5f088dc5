// The DMS tests' common world: two Huawei tenants, each with a credential and
// Kafka instances, as kDmsSeed declares them, and the ids tests address them
// by. Tenant B's instance has a name no answer would contain by chance, so the
// isolation tests can search answers for it. Constants only; safe to share.
#pragma once

#include "common/strings.h"

#include "fakes/dms_harness.h"
#include <string>
#include <string_view>

namespace connectplane::testing {

// Tenant A: signs most requests.
inline constexpr char kProject[] = "0123456789abcdef0123456789abcdef";
inline constexpr char kAk[] = "HPUAEXAMPLEAK0000001";
inline constexpr char kSk[] = "ExampleSecretKey0000000000000000000000000";
inline constexpr DmsCredential kCredential{kAk, kSk, kProject};
// Tenant B: the other tenant, whose resources A must not see.
inline constexpr char kOtherProject[] = "fedcba9876543210fedcba9876543210";
inline constexpr char kOtherAk[] = "HPUAEXAMPLEAK0000002";
inline constexpr char kOtherSk[] = "OtherSecret";
inline constexpr DmsCredential kOtherCredential{kOtherAk, kOtherSk, kOtherProject};

// Tenant A's instances: "demo-kafka" (100MB, 600 GB) and "second"; both RUNNING,
// Smart Connect off.
inline constexpr char kInstance[] = "a1b2c3d4-0000-1111-2222-333344445555";
inline constexpr char kInstanceName[] = "demo-kafka";
inline constexpr char kSecondInstance[] = "b2c3d4e5-0000-1111-2222-333344445555";
// Tenant B's instance.
inline constexpr char kOtherInstance[] = "c3d4e5f6-0000-1111-2222-333344445555";
inline constexpr char kOtherInstanceName[] = "tenant-b-private-name";

// Enabling and disabling Smart Connect take 2 s; other jobs take the
// harness's job duration.
inline constexpr char kDmsSeed[] = R"({
  "huawei": {
    "credentials": [
      {"access_key": "HPUAEXAMPLEAK0000001", "secret_key": "ExampleSecretKey0000000000000000000000000",
       "project_id": "0123456789abcdef0123456789abcdef", "user_name": "demo", "user_id": "u1"},
      {"access_key": "HPUAEXAMPLEAK0000002", "secret_key": "OtherSecret",
       "project_id": "fedcba9876543210fedcba9876543210", "user_name": "other", "user_id": "u2"}
    ],
    "kafka_instances": [
      {"project_id": "0123456789abcdef0123456789abcdef",
       "instance_id": "a1b2c3d4-0000-1111-2222-333344445555", "name": "demo-kafka",
       "specification": "100MB", "storage_space": 600},
      {"project_id": "0123456789abcdef0123456789abcdef",
       "instance_id": "b2c3d4e5-0000-1111-2222-333344445555", "name": "second"},
      {"project_id": "fedcba9876543210fedcba9876543210",
       "instance_id": "c3d4e5f6-0000-1111-2222-333344445555", "name": "tenant-b-private-name"}
    ]
  },
  "job_durations_seconds": {"kafka.enable_connector": 2, "kafka.disable_connector": 2}
})";

// "/v2/<project>/instances/<instance>": ShowInstance's path, which most DMS
// routes extend.
inline std::string InstancePath(std::string_view instance = kInstance,
                                std::string_view project = kProject) {
  return common::StrCat("/v2/", project, "/instances/", instance);
}

}  // namespace connectplane::testing
