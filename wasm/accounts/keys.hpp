// Minting, storing and showing API keys. Every mutation goes to D1 as one batch together
// with its audit_log row, so a key never changes without a record of it.
#pragma once

#include "bindings/d1.hpp"
#include "wasm/auth/principal.hpp"
#include "wasm/runtime/json.hpp"
#include "wasm/schema/object_type.hpp"

#include <string>
#include <vector>

namespace ptmc::accounts {

struct NewKey {
  std::string org_id;
  std::string user_id;
  std::string name;
  std::string mode;  // "live" or "test"
  auth::Role role = auth::Role::member;
  std::vector<std::string> scopes;
  int64_t rate_limit_per_minute = 0;
};

struct MintedKey {
  std::string id;
  std::string secret;  // returned once, never stored
  // Its insert, then its audit row and its event, each written only if the insert was.
  d1::Statement insert, audit, event;
};

// How a key comes to be: the audit event and extra detail, and an SQL condition (parameters
// from ?13 on, in guard_params) without which the insert does nothing.
struct Minting {
  std::string actor_ip;  // for the audit row; empty when a command acts
  std::string event = "key.created";
  Json detail = Json::object();
  std::string guard = "1";
  Json guard_params = Json::array();
};

// `actor_key_id` and `request_id` go to the audit row (empty when a command acts).
MintedKey mint_key(const NewKey& key, std::string_view pepper, uint32_t iterations, int64_t now_ms,
                   const std::string& actor_key_id, const std::string& request_id, Minting how = {});

// The api_key object: its fields, their columns of api_keys, schema and example.
const schema::ObjectType& api_key_object();
// A role, as keys show it and requests name it: highest first.
schema::Schema role_schema(std::string description = {});
schema::Schema mode_schema(std::string description = {});

// A stored key's grants (and user and name), from a row holding kGrantColumns.
inline constexpr const char* kGrantColumns = "user_id, name, mode, role, scopes, rate_limit_per_minute";
NewKey grants_of(const Json& row, const std::string& org_id);

// What `key` holds that `caller` does not (role, scopes, rate limit, live mode), said for
// people; empty when the caller holds everything the key does.
std::string grants_beyond(const auth::Principal& caller, const NewKey& key);

// The public shape of a key row selected by api_key_object(); `secret` only when just minted.
Json key_json(const Json& row, const std::string& secret = {});

std::string new_id(std::string_view prefix);

}  // namespace ptmc::accounts
