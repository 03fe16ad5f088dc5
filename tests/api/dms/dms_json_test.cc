// RenderInstanceJson (ShowInstance's text writer) must answer exactly what the
// RenderInstance tree would: the same members, in the same order, with equal
// values, for every way seeded attributes can meet the defaults and the
// service-owned fields.
#include "api/dms/dms_json.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "boost/json.hpp"

namespace connectplane::api::dms {
namespace {

store::KafkaInstance Instance(std::string attributes_json) {
  store::KafkaInstance instance;
  instance.project_id = "p1";
  instance.instance_id = "00000000-0000-4000-8000-000000000001";
  instance.name = "kafka \"prod\"\t\x01 \xe4\xb8\xad";
  instance.status = "RUNNING";
  instance.specification = "100MB";
  instance.attributes_json = std::move(attributes_json);
  instance.connector_enabled = true;
  instance.connector_id = "c-1";
  instance.connector_node_num = 2;
  instance.created_at_ms = 1700000000123;
  return instance;
}

void ExpectSameAsTree(const store::KafkaInstance& instance) {
  SCOPED_TRACE(instance.attributes_json);
  const boost::json::object tree = RenderInstance(instance);
  const std::string text = RenderInstanceJson(instance);
  boost::system::error_code ec;
  const boost::json::value parsed = boost::json::parse(text, ec);
  ASSERT_FALSE(ec) << text;
  ASSERT_TRUE(parsed.is_object()) << text;
  const boost::json::object& written = parsed.as_object();
  ASSERT_EQ(written.size(), tree.size()) << text;
  auto tree_it = tree.begin();
  for (const auto& entry : written) {
    EXPECT_EQ(entry.key(), tree_it->key());
    EXPECT_EQ(entry.value(), tree_it->value()) << entry.key();
    ++tree_it;
  }
}

TEST(RenderInstanceJsonTest, MatchesTheTreeRendererMemberByMember) {
  const std::vector<std::string> attributes = {
      "{}",
      "",
      "not json",  // unreadable attributes are ignored by both
      R"({"engine_version":"3.x","storage_space":300,"available_zones":["az1","az2"]})",
      R"({"tags":[{"key":"env","value":"prod"}],"extra":{"nested":[1,2.5,null,true]}})",
      // Service-owned fields win, in the attribute's position.
      R"({"status":"BOGUS","zzz":1,"connector_id":"seeded","description":"a\"b\\c\n"})",
      R"({"description":"\u0008\u000c\u001f \u4e2d"})",
  };
  for (const std::string& attribute_json : attributes) {
    ExpectSameAsTree(Instance(attribute_json));
  }
  store::KafkaInstance off = Instance("{}");
  off.connector_enabled = false;
  off.connector_id.clear();
  off.connector_node_num = 0;
  ExpectSameAsTree(off);
}

}  // namespace
}  // namespace connectplane::api::dms
