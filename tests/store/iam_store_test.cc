// Store contract of the identity (Keystone v3) tables: domains, projects, IAM
// users and tokens, on both backends: SQLite always, PostgreSQL when
// CONNECTPLANE_TEST_POSTGRES_DSN names a server (each test in its own schema).
#include "common/status.h"

#include <gtest/gtest.h>

#include "store_contract_fixture.h"
#include <string>
#include <vector>

namespace connectplane::store {
namespace {

// The shared backend fixture (store_contract_fixture.h) with its own schema
// prefix; instantiated on in-memory SQLite, and PostgreSQL when a DSN is given.
class IamStoreTest : public StoreContractTest {
 protected:
  IamStoreTest() : StoreContractTest("t_iam_") {}
};

std::vector<std::string> IamStoreTestBackends() {
  std::vector<std::string> backends = {"sqlite"};
  if (PostgresDsn() != nullptr) backends.push_back("postgres");
  return backends;
}

TEST_P(IamStoreTest, DomainsProjectsAndUsersAreUpsertedAndFound) {
  ASSERT_TRUE(store_
                  ->Write([](StoreTransaction& txn) -> absl::Status {
                    RETURN_IF_ERROR(txn.PutIamDomain({"dom-b", "beta"}));
                    RETURN_IF_ERROR(txn.PutIamDomain({"dom-a", "alpha"}));
                    RETURN_IF_ERROR(txn.PutIamProject({"p2", "eu-de_sub", "dom-a", "eu-de"}));
                    RETURN_IF_ERROR(txn.PutIamProject({"p1", "eu-de", "dom-a", "eu-de"}));
                    RETURN_IF_ERROR(txn.PutIamProject({"p3", "eu-nl", "dom-b", "eu-nl"}));
                    RETURN_IF_ERROR(txn.PutIamUser({"u1", "alice", "dom-a", "hash-1"}));
                    RETURN_IF_ERROR(txn.PutIamUser({"u0", "bob", "dom-a", "hash-0"}));
                    RETURN_IF_ERROR(txn.PutIamUser({"u5", "carol", "dom-b", "hash-5"}));
                    // Same key: replaces the row.
                    return txn.PutIamUser({"u1", "alice", "dom-a", "hash-2"});
                  })
                  .ok());
  ASSERT_TRUE(
      store_
          ->Read([](StoreTransaction& txn) -> absl::Status {
            ASSIGN_OR_RETURN(std::vector<IamDomain> domains, txn.ListIamDomains());
            EXPECT_EQ(domains.size(), 2u);
            if (domains.size() == 2) {
              EXPECT_EQ(domains[0].domain_id, "dom-a");
              EXPECT_EQ(domains[0].name, "alpha");
            }
            ASSIGN_OR_RETURN(std::vector<IamProject> projects, txn.ListIamProjects("dom-a"));
            EXPECT_EQ(projects.size(), 2u);
            if (projects.size() == 2) {
              EXPECT_EQ(projects[0].project_id, "p1");
              EXPECT_EQ(projects[0].region_id, "eu-de");
              EXPECT_EQ(projects[1].name, "eu-de_sub");
            }
            ASSIGN_OR_RETURN(std::optional<IamProject> p3, txn.FindIamProject("p3"));
            EXPECT_TRUE(p3.has_value() && p3->domain_id == "dom-b");
            ASSIGN_OR_RETURN(std::optional<IamProject> none, txn.FindIamProject("p9"));
            EXPECT_FALSE(none.has_value());
            ASSIGN_OR_RETURN(std::optional<IamUser> alice, txn.FindIamUser("dom-a", "alice"));
            EXPECT_TRUE(alice.has_value() && alice->password_hash == "hash-2");
            // Users are per domain.
            ASSIGN_OR_RETURN(std::optional<IamUser> other, txn.FindIamUser("dom-b", "alice"));
            EXPECT_FALSE(other.has_value());
            // A domain's users, ordered by id; another domain's are not listed.
            ASSIGN_OR_RETURN(std::vector<IamUser> dom_a_users, txn.ListIamUsers("dom-a"));
            EXPECT_EQ(dom_a_users.size(), 2u);
            if (dom_a_users.size() == 2) {
              EXPECT_EQ(dom_a_users[0].user_id, "u0");
              EXPECT_EQ(dom_a_users[1].name, "alice");
            }
            ASSIGN_OR_RETURN(std::vector<IamUser> dom_c_users, txn.ListIamUsers("dom-c"));
            EXPECT_TRUE(dom_c_users.empty());
            return absl::OkStatus();
          })
          .ok());
}

TEST_P(IamStoreTest, TokensAreFoundByHashAndExpiredOnesDeleted) {
  ASSERT_TRUE(
      store_
          ->Write([](StoreTransaction& txn) -> absl::Status {
            RETURN_IF_ERROR(txn.PutIamToken({"hash-old", "u1", "alice", "dom-a", "p1", 100, 1000}));
            return txn.PutIamToken({"hash-new", "u1", "alice", "dom-a", "p1", 100, 5000});
          })
          .ok());
  ASSERT_TRUE(store_
                  ->Write([](StoreTransaction& txn) -> absl::Status {
                    ASSIGN_OR_RETURN(std::optional<IamToken> token, txn.FindIamToken("hash-new"));
                    EXPECT_TRUE(token.has_value());
                    if (token) {
                      EXPECT_EQ(token->project_id, "p1");
                      EXPECT_EQ(token->user_name, "alice");
                      EXPECT_EQ(token->issued_at_ms, 100);
                      EXPECT_EQ(token->expires_at_ms, 5000);
                    }
                    ASSIGN_OR_RETURN(int64_t deleted, txn.DeleteExpiredIamTokens(1000));
                    EXPECT_EQ(deleted, 1);
                    ASSIGN_OR_RETURN(std::optional<IamToken> old, txn.FindIamToken("hash-old"));
                    EXPECT_FALSE(old.has_value());
                    return absl::OkStatus();
                  })
                  .ok());
}

TEST_P(IamStoreTest, DumpLeavesOutPasswordHashesAndTokenHashes) {
  ASSERT_TRUE(store_
                  ->Write([](StoreTransaction& txn) -> absl::Status {
                    RETURN_IF_ERROR(txn.PutIamUser({"u1", "alice", "dom-a", "pbkdf2-secret"}));
                    return txn.PutIamToken({"tokenhash", "u1", "alice", "dom-a", "p1", 1, 2});
                  })
                  .ok());
  ASSERT_TRUE(store_
                  ->Read([](StoreTransaction& txn) -> absl::Status {
                    ASSIGN_OR_RETURN(std::vector<TableDump> dumps, txn.DumpTables());
                    for (const TableDump& dump : dumps) {
                      for (const std::string& column : dump.columns) {
                        EXPECT_NE(column, "password_hash");
                        EXPECT_NE(column, "token_sha256");
                      }
                    }
                    return absl::OkStatus();
                  })
                  .ok());
}

INSTANTIATE_TEST_SUITE_P(Backends, IamStoreTest, ::testing::ValuesIn(IamStoreTestBackends()));

}  // namespace
}  // namespace connectplane::store
