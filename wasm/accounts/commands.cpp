#include "wasm/accounts/commands.hpp"

#include "bindings/d1.hpp"
#include "wasm/accounts/keys.hpp"
#include "wasm/auth/api_key.hpp"
#include "wasm/auth/settings.hpp"
#include "wasm/config/config.hpp"
#include "wasm/runtime/services.hpp"

#include <algorithm>

namespace ptmc::accounts {
namespace {

wire::Frame failure(std::string message) { return wire::Frame{{{"ok", false}, {"error", std::move(message)}}, {}}; }

bool plausible_email(const std::string& email) {
  auto at = email.find('@');
  return email.size() <= 254 && at != std::string::npos && at > 0 && email.find('.', at) != std::string::npos &&
         email.find_first_of(" \t\r\n") == std::string::npos;
}

constexpr const char* kPlatformOrgName = "Patomic platform";

// create_owner_key (a tenant organisation's owner) and create_operator_key (a platform
// operator): the user and organisation when new, then an owner key with every scope the
// organisation's kind allows. An email belongs to one kind of organisation only.
Task<wire::Frame> create_key(const Json& input, bool platform) {
  std::string problem;
  auto settings = auth::read_settings(config(), problem);
  if (!settings) co_return failure("configuration: " + problem);
  const auto* email = string_field(input, "email");
  const auto* organisation = platform ? nullptr : string_field(input, "organisation");
  std::string mode = input.value("mode", "live");
  if (!email || !plausible_email(*email)) co_return failure("email: must be an email address");
  if (!platform && (!organisation || organisation->empty() || organisation->size() > 100))
    co_return failure("organisation: must be a name of 1 to 100 characters");
  if (std::find(std::begin(auth::kModes), std::end(auth::kModes), mode) == std::end(auth::kModes))
    co_return failure("mode: must be 'live' or 'test'");
  // Operators may raise a key's limit (load tests, trusted backends).
  auto limit = input.contains("rate_limit_per_minute") ? integer_field(input, "rate_limit_per_minute")
                                                       : std::optional<int64_t>(auth::default_rate_limit(auth::Role::owner));
  if (!limit || *limit < 1 || *limit > 1'000'000) co_return failure("rate_limit_per_minute: must be from 1 to 1000000");

  int64_t now = services::now_ms();
  auto user = co_await d1::first(
      {"SELECT u.id, u.org_id, u.role, o.kind FROM users u JOIN organisations o ON o.id = u.org_id WHERE u.email = ?1",
       {*email}});
  if (user && (*user)["role"] != "owner") co_return failure("email: that user exists and is not an owner");
  if (user && ((*user)["kind"] == "platform") != platform)
    co_return failure(platform ? "email: that user owns an organisation; operators are users of the platform's own"
                               : "email: that user is a platform operator");
  std::string org_id = user ? (*user)["org_id"].get<std::string>() : platform ? std::string(auth::kPlatformOrgId) : new_id("org");
  NewKey key{org_id,
             user ? (*user)["id"].get<std::string>() : new_id("usr"),
             platform ? "operator key" : "owner key",
             mode,
             auth::Role::owner,
             auth::scope_names(platform),
             *limit};

  std::vector<d1::Statement> statements;
  if (!user) {
    statements.push_back(
        {"INSERT INTO organisations (id, name, created_at, kind) VALUES (?1, ?2, ?3, ?4) ON CONFLICT (id) DO NOTHING",
         {key.org_id, platform ? kPlatformOrgName : *organisation, now, platform ? "platform" : "tenant"}});
    statements.push_back({"INSERT INTO users (id, org_id, email, role, created_at) VALUES (?1, ?2, ?3, 'owner', ?4)",
                          {key.user_id, key.org_id, *email, now}});
  }
  auto minted = mint_key(key, settings->pepper, settings->iterations, now, "", "");
  for (auto* statement : {&minted.insert, &minted.audit, &minted.event}) statements.push_back(std::move(*statement));
  co_await d1::batch_list(std::move(statements));
  co_return wire::Frame{{{"ok", true},
                         {"secret", minted.secret},
                         {"key_id", minted.id},
                         {"org_id", key.org_id},
                         {"user_id", key.user_id},
                         {"created_user", !user}},
                        {}};
}

}  // namespace

Task<wire::Frame> on_command(wire::Frame input) {
  const auto* command = string_field(input.meta, "command");
  bool platform = command && *command == "create_operator_key";
  if (!command || (*command != "create_owner_key" && !platform)) co_return failure("unknown command");
  auto outcome = co_await catch_faults(create_key(input.meta, platform));
  if (outcome.ok()) co_return outcome.take();
  co_return failure(outcome.fault().source + ": " + outcome.fault().message);
}

}  // namespace ptmc::accounts
