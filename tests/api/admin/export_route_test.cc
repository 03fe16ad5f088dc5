#include "api/admin/admin_api.h"

#include "admin_api_fixture.h"

#include "service/seed.h"
#include "store/sqlite_store.h"

#include <gtest/gtest.h>

#include "boost/json.hpp"
#include "fakes/fake_clock.h"
#include <memory>
#include <string>

namespace connectplane::api::admin {
namespace {

class ExportRouteTest : public AdminApiFixture {
 protected:
  common::HttpResponse Get(AdminApi& api, std::string target,
                           std::string remote = "127.0.0.1:5000") {
    return Call(api, "GET", std::move(target), "", std::move(remote));
  }
};

TEST_F(ExportRouteTest, ExportsASeedDocumentWithSecretsOnlyWhenAsked) {
  AdminApi api(*emulator_, {});
  common::HttpResponse plain = Get(api, "/_connectplane/export");
  ASSERT_EQ(plain.status, 200) << plain.body;
  EXPECT_EQ(plain.Header("Content-Type"), "application/json");
  EXPECT_EQ(plain.access.operation, "export");
  EXPECT_EQ(plain.body.find("TopSecret"), std::string::npos);
  boost::json::value document = boost::json::parse(plain.body);
  EXPECT_EQ(document.at("huawei").at("kafka_instances").as_array().size(), 1u);
  EXPECT_EQ(document.at("huawei").at("credentials").at(0).at("access_key"), "AK");
  // The same state, the same bytes.
  EXPECT_EQ(Get(api, "/_connectplane/export").body, plain.body);
  EXPECT_EQ(Get(api, "/_connectplane/export?include_secrets=false").body, plain.body);

  common::HttpResponse secret = Get(api, "/_connectplane/export?include_secrets=true");
  ASSERT_EQ(secret.status, 200);
  EXPECT_NE(secret.body.find("\"secret_key\":\"TopSecret\""), std::string::npos);
  // The document goes back in through POST /seed (here onto the state it came from).
  absl::StatusOr<service::SeedSummary> reseeded = emulator_->Seed(secret.body);
  ASSERT_TRUE(reseeded.ok()) << reseeded.status();
  EXPECT_EQ(reseeded->instances_existing, 1);
}

TEST_F(ExportRouteTest, AnythingButIncludeSecretsTrueOrFalseIsRefused) {
  AdminApi api(*emulator_, {});
  for (const char* target :
       {"/_connectplane/export?include_secrets=yes", "/_connectplane/export?include_secrets=1",
        "/_connectplane/export?include_secrets", "/_connectplane/export?secrets=true",
        "/_connectplane/export?include_secrets=true&include_secrets=true",
        "/_connectplane/export?include_secrets=%zz"}) {
    common::HttpResponse response = Get(api, target);
    EXPECT_EQ(response.status, 400) << target;
    boost::json::value body = boost::json::parse(response.body);
    EXPECT_EQ(body.at("error").at("code"), "InvalidArgument") << target;
    EXPECT_EQ(response.body.find("TopSecret"), std::string::npos);
  }
  // The guard of every admin route: loopback callers only without a token.
  EXPECT_EQ(Get(api, "/_connectplane/export?include_secrets=true", "10.0.0.5:4000").status, 403);
  AdminApiOptions with_token;
  with_token.token = "export-token";
  AdminApi guarded(*emulator_, with_token);
  common::HttpResponse refused = Get(guarded, "/_connectplane/export?include_secrets=true");
  EXPECT_EQ(refused.status, 401);
  EXPECT_EQ(refused.body.find("TopSecret"), std::string::npos);
}

}  // namespace
}  // namespace connectplane::api::admin
