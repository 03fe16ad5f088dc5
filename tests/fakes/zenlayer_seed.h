// A small Zenlayer world for tests that need one account and somewhere to
// connect: account "acct-1" with two ports in different datacenters (both in
// the seed's data center catalog), and a
// CreatePrivateConnect body joining them. Constants only; safe to share.
#pragma once

#include "fakes/zenlayer_harness.h"

namespace connectplane::testing {

inline constexpr char kTwoPortAccount[] = "acct-1";
inline const ZenlayerKey kTwoPortAccountKey{"AK1", "pw"};
inline constexpr char kTwoPortAccountSeed[] = R"({"zenlayer": {
  "credentials": [{"access_key_id": "AK1", "access_key_password": "pw", "account_id": "acct-1"}],
  "datacenters": [{"dcId": "SIN1", "dcName": "AP-Singapore1", "cityName": "Singapore",
                   "countryName": "Singapore", "areaName": "Asia Pacific"},
                  {"dcId": "HKG1", "dcName": "AP-HongKong1", "cityName": "Hong Kong",
                   "countryName": "China", "areaName": "Asia Pacific"}],
  "ports": [{"account_id": "acct-1", "portId": "port-a", "portName": "A", "dcId": "SIN1"},
            {"account_id": "acct-1", "portId": "port-b", "portName": "B", "dcId": "HKG1"}]}})";
inline constexpr char kCreateBetweenTwoPorts[] = R"({"privateConnectName": "pc",
  "bandwidthMbps": 10,
  "endpointA": {"portId": "port-a", "vlanId": 100}, "endpointZ": {"portId": "port-b", "vlanId": 100}})";

}  // namespace connectplane::testing
