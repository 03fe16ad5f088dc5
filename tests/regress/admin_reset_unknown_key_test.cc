// Found by a typo: POST /_connectplane/reset {"tennant":"x"} reset every
// tenant, because the reset document's unknown keys were ignored and a
// missing "tenant" means "all". Admin documents are now read with the shared
// JSON reader, which refuses unknown keys and names them.

#include <gtest/gtest.h>

#include "boost/json.hpp"
#include "fakes/admin_client.h"
#include "fakes/zenlayer_harness.h"
#include "fakes/zenlayer_seed.h"
#include <string>

namespace connectplane::regress {
namespace {

using testing::ZenlayerHarness;
using testing::ZenlayerKey;

const ZenlayerKey& kKey = testing::kTwoPortAccountKey;
constexpr const char* kSeed = testing::kTwoPortAccountSeed;

TEST(AdminResetUnknownKeyTest, MisspeltTenantKeyIsRefusedAndResetsNothing) {
  ZenlayerHarness harness;
  harness.Start(kSeed);
  testing::AdminClient admin(harness.services(), kSeed);
  // State a reset would delete: a private connect created through the API.
  harness.Response(kKey, "CreatePrivateConnect",
                   R"({"endpointA": {"portId": "port-a", "vlanId": 100},
                       "endpointZ": {"portId": "port-b", "vlanId": 100}})");
  const std::string before = harness.DumpEverything();

  common::HttpResponse response =
      admin.Send("POST", "/_connectplane/reset", R"({"tennant":"acct-1"})");
  EXPECT_EQ(response.status, 400) << response.body;
  const boost::json::object error = boost::json::parse(response.body).at("error").as_object();
  EXPECT_EQ(error.at("code").as_string(), "InvalidArgument");
  EXPECT_NE(std::string(error.at("message").as_string()).find("'tennant'"), std::string::npos)
      << response.body;
  EXPECT_EQ(harness.DumpEverything(), before) << "a refused reset must delete nothing";

  // The spelling the API documents still works.
  EXPECT_EQ(admin.Send("POST", "/_connectplane/reset", R"({"tenant":"acct-1"})").status, 200);
  EXPECT_NE(harness.DumpEverything(), before);
}

}  // namespace
}  // namespace connectplane::regress
