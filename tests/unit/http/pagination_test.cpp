// wasm/http/pagination: signed cursors.
#include "wasm/http/pagination.hpp"

#include <catch2/catch.hpp>

using namespace ptmc;

namespace {

Config config_with(std::map<std::string, std::string> vars) {
  Json json = Json::object();
  for (auto& [name, value] : vars) json[name] = value;
  return Config::from_json(json);
}

}  // namespace

TEST_CASE("cursors verify under the current or the previous secret, and bind their filters", "[cursor]") {
  Json sort_key = Json::array({1767225600000, "key_abc"});
  auto old_config = config_with({{"CURSOR_SECRET", "secret-one"}});
  auto rotating = config_with({{"CURSOR_SECRET", "secret-two"}, {"CURSOR_SECRET_PREVIOUS", "secret-one"}});
  auto rotated = config_with({{"CURSOR_SECRET", "secret-two"}});

  std::string cursor = sign_cursor(old_config, sort_key, "event=key.created");
  CHECK(verify_cursor(old_config, cursor, "event=key.created") == sort_key);
  CHECK(verify_cursor(rotating, cursor, "event=key.created") == sort_key);
  CHECK_FALSE(verify_cursor(rotated, cursor, "event=key.created"));
  CHECK_FALSE(verify_cursor(old_config, cursor, "event=key.revoked"));
  CHECK_FALSE(verify_cursor(old_config, cursor, ""));
  // New cursors are signed with the current secret.
  CHECK(verify_cursor(rotated, sign_cursor(rotating, sort_key, ""), "") == sort_key);
  // Without CURSOR_SECRET, a key derived from the pepper (and not the pepper itself).
  auto peppered = config_with({{"API_KEY_PEPPER", "pepper-pepper-pepper"}});
  std::string derived = sign_cursor(peppered, sort_key, "");
  CHECK(verify_cursor(peppered, derived, "") == sort_key);
  CHECK_FALSE(verify_cursor(config_with({{"CURSOR_SECRET", "pepper-pepper-pepper"}}), derived, ""));
}
