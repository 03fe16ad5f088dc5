// CredentialService: both dialects' lookups and the TTL cache's contract
// (misses never cached, changes through Invalidate() at once, other writers'
// changes within the TTL, a clock moved backwards expires entries).
#include "service/credential_service.h"

#include "store/sqlite_store.h"

#include <gtest/gtest.h>

#include "fakes/fake_clock.h"
#include <memory>
#include <string>

namespace connectplane::service {
namespace {

store::HuaweiCredential Huawei(std::string access_key, std::string secret) {
  return {.access_key = std::move(access_key),
          .secret_key = std::move(secret),
          .project_id = "0123456789abcdef0123456789abcdef",
          .user_name = "u",
          .user_id = "uid"};
}

store::ZenlayerCredential Zenlayer(std::string id, std::string password) {
  return {.access_key_id = std::move(id),
          .access_key_password = std::move(password),
          .account_id = "acct-1"};
}

class CredentialServiceTest : public ::testing::Test {
 protected:
  void SetUp() override { store_ = std::move(*store::SqliteStore::Open(":memory:")); }

  // Writes behind the service's back, like another replica would.
  void PutHuawei(const store::HuaweiCredential& credential) {
    ASSERT_TRUE(store_
                    ->Write([&](store::StoreTransaction& txn) {
                      return txn.PutHuaweiCredential(credential);
                    })
                    .ok());
  }
  void PutZenlayer(const store::ZenlayerCredential& credential) {
    ASSERT_TRUE(store_
                    ->Write([&](store::StoreTransaction& txn) {
                      return txn.PutZenlayerCredential(credential);
                    })
                    .ok());
  }
  std::string HuaweiSecret(CredentialService& service, std::string_view access_key) {
    auto found = service.FindHuaweiCredential(access_key);
    EXPECT_TRUE(found.ok()) << found.status();
    return found.ok() && found->has_value() ? (*found)->secret_key : "<none>";
  }
  std::string ZenlayerPassword(CredentialService& service, std::string_view id) {
    auto found = service.FindZenlayerCredential(id);
    EXPECT_TRUE(found.ok()) << found.status();
    return found.ok() && found->has_value() ? (*found)->access_key_password : "<none>";
  }

  testing::FakeClock clock_;
  std::unique_ptr<store::SqliteStore> store_;
};

TEST_F(CredentialServiceTest, UncachedServiceSeesEveryChangeAtOnce) {
  CredentialService service(*store_);
  EXPECT_EQ(HuaweiSecret(service, "AK"), "<none>");
  PutHuawei(Huawei("AK", "secret-1"));
  EXPECT_EQ(HuaweiSecret(service, "AK"), "secret-1");
  PutHuawei(Huawei("AK", "secret-2"));
  EXPECT_EQ(HuaweiSecret(service, "AK"), "secret-2");
}

TEST_F(CredentialServiceTest, FoundCredentialIsReusedUntilTheTtlEnds) {
  CredentialService service(*store_, clock_, {.ttl = absl::Seconds(2)});
  PutHuawei(Huawei("AK", "secret-1"));
  EXPECT_EQ(HuaweiSecret(service, "AK"), "secret-1");
  PutHuawei(Huawei("AK", "rotated"));  // another replica rotates the secret
  clock_.Advance(absl::Milliseconds(1999));
  EXPECT_EQ(HuaweiSecret(service, "AK"), "secret-1") << "served from the cache within the TTL";
  clock_.Advance(absl::Milliseconds(1));
  EXPECT_EQ(HuaweiSecret(service, "AK"), "rotated") << "re-read once the TTL ended";
}

TEST_F(CredentialServiceTest, UnknownKeysAreNotCachedSoNewCredentialsWorkAtOnce) {
  CredentialService service(*store_, clock_, {.ttl = absl::Seconds(60)});
  EXPECT_EQ(HuaweiSecret(service, "NEW"), "<none>");
  EXPECT_EQ(ZenlayerPassword(service, "NEW"), "<none>");
  PutHuawei(Huawei("NEW", "s"));
  PutZenlayer(Zenlayer("NEW", "p"));
  EXPECT_EQ(HuaweiSecret(service, "NEW"), "s");
  EXPECT_EQ(ZenlayerPassword(service, "NEW"), "p");
}

TEST_F(CredentialServiceTest, InvalidateMakesALocalChangeVisibleAtOnce) {
  CredentialService service(*store_, clock_, {.ttl = absl::Seconds(60)});
  PutHuawei(Huawei("AK", "secret-1"));
  PutZenlayer(Zenlayer("ZK", "password-1"));
  EXPECT_EQ(HuaweiSecret(service, "AK"), "secret-1");
  EXPECT_EQ(ZenlayerPassword(service, "ZK"), "password-1");
  PutHuawei(Huawei("AK", "secret-2"));
  PutZenlayer(Zenlayer("ZK", "password-2"));
  service.Invalidate();
  EXPECT_EQ(HuaweiSecret(service, "AK"), "secret-2");
  EXPECT_EQ(ZenlayerPassword(service, "ZK"), "password-2");
}

TEST_F(CredentialServiceTest, DialectsHaveSeparateCaches) {
  CredentialService service(*store_, clock_, {.ttl = absl::Seconds(60)});
  PutHuawei(Huawei("SAME", "huawei-secret"));
  EXPECT_EQ(HuaweiSecret(service, "SAME"), "huawei-secret");
  EXPECT_EQ(ZenlayerPassword(service, "SAME"), "<none>");
  PutZenlayer(Zenlayer("SAME", "zenlayer-password"));
  EXPECT_EQ(ZenlayerPassword(service, "SAME"), "zenlayer-password");
  EXPECT_EQ(HuaweiSecret(service, "SAME"), "huawei-secret");
}

TEST_F(CredentialServiceTest, ClockMovedBackwardsExpiresEntries) {
  CredentialService service(*store_, clock_, {.ttl = absl::Seconds(60)});
  PutHuawei(Huawei("AK", "secret-1"));
  EXPECT_EQ(HuaweiSecret(service, "AK"), "secret-1");
  PutHuawei(Huawei("AK", "secret-2"));
  clock_.Advance(absl::Seconds(-5));
  EXPECT_EQ(HuaweiSecret(service, "AK"), "secret-2");
}

TEST_F(CredentialServiceTest, ZeroTtlDisablesTheCache) {
  CredentialService service(*store_, clock_, {.ttl = absl::ZeroDuration()});
  PutZenlayer(Zenlayer("ZK", "password-1"));
  EXPECT_EQ(ZenlayerPassword(service, "ZK"), "password-1");
  PutZenlayer(Zenlayer("ZK", "password-2"));
  EXPECT_EQ(ZenlayerPassword(service, "ZK"), "password-2");
}

TEST_F(CredentialServiceTest, FullCacheStartsOverAndStaysCorrect) {
  CredentialService service(*store_, clock_, {.ttl = absl::Seconds(60), .max_entries = 4});
  for (int i = 0; i < 10; ++i) {
    PutHuawei(Huawei("AK" + std::to_string(i), "secret-" + std::to_string(i)));
  }
  for (int round = 0; round < 2; ++round) {
    for (int i = 0; i < 10; ++i) {
      EXPECT_EQ(HuaweiSecret(service, "AK" + std::to_string(i)), "secret-" + std::to_string(i));
    }
  }
}

}  // namespace
}  // namespace connectplane::service
