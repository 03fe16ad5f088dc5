// POST /_connectplane/seed-ids documents: a number seeds, null unseeds,
// anything else is refused with the member's name.
#include "api/admin/admin_documents.h"

#include <gtest/gtest.h>

#include "boost/json.hpp"

namespace connectplane::api::admin {
namespace {

absl::StatusOr<std::optional<uint64_t>> Parse(const char* text) {
  return ParseIdSeedDocument(boost::json::parse(text).as_object());
}

TEST(IdSeedDocumentTest, NumberSeedsAndNullUnseeds) {
  EXPECT_EQ(*Parse(R"({"seed": 42})"), std::optional<uint64_t>(42));
  EXPECT_EQ(*Parse(R"({"seed": 0})"), std::optional<uint64_t>(0));
  EXPECT_EQ(*Parse(R"({"seed": null})"), std::nullopt);
}

TEST(IdSeedDocumentTest, RefusesMissingNegativeMistypedAndUnknownMembers) {
  for (const char* text : {R"({})", R"({"seed": -1})", R"({"seed": "42"})", R"({"seed": 1.5})",
                           R"({"seed": 1, "sede": 2})"}) {
    absl::StatusOr<std::optional<uint64_t>> parsed = Parse(text);
    ASSERT_FALSE(parsed.ok()) << text;
    EXPECT_EQ(parsed.status().code(), absl::StatusCode::kInvalidArgument) << text;
  }
}

}  // namespace
}  // namespace connectplane::api::admin
