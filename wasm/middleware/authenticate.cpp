#include "bindings/d1.hpp"
#include "wasm/auth/api_key.hpp"
#include "wasm/auth/isolate_state.hpp"
#include "wasm/auth/settings.hpp"
#include "wasm/crypto/crypto.hpp"
#include "wasm/middleware/pipeline.hpp"
#include "wasm/runtime/services.hpp"

namespace ptmc {
namespace {

std::optional<std::string_view> bearer_token(const http::Request& request) {
  auto header = request.headers.get("authorization");
  if (!header || header->size() < 7 || http::lower_ascii(header->substr(0, 7)) != "bearer ") return std::nullopt;
  auto token = header->substr(7);
  while (!token.empty() && token.front() == ' ') token.remove_prefix(1);
  return token;
}

// Counts this window for a key that is live now (not revoked, not expired); no row otherwise.
// `by` is the column that identifies the key: key_hash on a cache miss, id on a hit.
d1::Statement count_window(const char* by, const std::string& value, int64_t window_start, int64_t now) {
  return {std::string("INSERT INTO rate_limits (key_id, window_start, count) SELECT k.id, ?2, 1 FROM api_keys k WHERE k.") + by +
              " = ?1 AND k.revoked_at IS NULL AND (k.expires_at IS NULL OR k.expires_at > ?3) "
              "ON CONFLICT (key_id, window_start) DO UPDATE SET count = count + 1 RETURNING count",
          {value, window_start, now}};
}

std::optional<auth::Principal> principal_from(const Json& row) {
  const auto* id = string_field(row, "id");
  const auto* org = string_field(row, "org_id");
  const auto* user = string_field(row, "user_id");
  const auto* mode = string_field(row, "mode");
  const auto* role_text = string_field(row, "role");
  const auto* org_kind = string_field(row, "org_kind");
  const auto* scopes_text = string_field(row, "scopes");
  auto limit = integer_field(row, "rate_limit_per_minute");
  auto role = role_text ? auth::role_from(*role_text) : std::nullopt;
  auto scopes = scopes_text ? parse_json(*scopes_text) : std::nullopt;
  if (!id || !org || !user || !mode || !role || !limit || !scopes || !scopes->is_array() || !org_kind) return std::nullopt;
  auth::Principal principal{*id, *org, *user, *mode, *role, {}, *limit, *org_kind == "platform"};
  for (const auto& scope : *scopes)
    if (scope.is_string()) principal.scopes.push_back(scope.get<std::string>());
  return principal;
}

// Answers an authentication failure; writes the IP's aggregated failures when one is due.
Task<http::Response> refuse(RequestContext& context, const ApiError& error, bool slows) {
  std::string ip = context.client_ip();
  auto report = auth::failure_throttle().record(ip, error.code, slows, services::now_ms());
  if (report) {
    Json reasons = Json::object();
    for (const auto& [reason, count] : report->reasons) reasons[reason] = count;
    co_await d1::run(
        {"INSERT INTO audit_log (at, actor_ip, event, detail, request_id) VALUES (?1, ?2, 'auth.failed', ?3, ?4)",
         {services::now_ms(), report->network,
          dump_json({{"count", report->count}, {"reasons", reasons}, {"networks", report->networks}}), context.request_id}});
  }
  co_return context.fail(error);
}

// A key that was cached but is no longer live: forgotten, and refused with why.
Task<http::Response> refuse_stale_key(RequestContext& context, const std::string& fingerprint, const std::string& key_id) {
  auth::key_cache().remove(fingerprint);
  auto state = co_await d1::first({"SELECT revoked_at FROM api_keys WHERE id = ?1", {key_id}});
  bool revoked = state && !(*state)["revoked_at"].is_null();
  co_return co_await refuse(context, revoked ? errors::api_key_revoked() : errors::api_key_expired(), false);
}

// A read with a hot key: the key check and its window's count travel with the handler's first
// D1 read, in one batch (d1::ride_along), so the whole request costs one round trip. The handler
// sees nothing of that trip unless the key is live and within its limit: otherwise its frames
// are destroyed unresumed and the request is refused as it would have been before the handler.
// A handler that makes no round trip has the count sent after it, before its answer leaves.
Task<http::Response> count_with_first_read(RequestContext& context, const Next& next, const std::string& fingerprint,
                                           auth::Principal principal, int64_t window_start, int64_t now) {
  const int64_t limit = principal.rate_limit_per_minute;
  const std::string key_id = principal.key_id;
  auto within_limit = [limit](const d1::Rows& counted) {
    auto count = counted.rows.empty() ? std::nullopt : integer_field(counted.rows[0], "count");
    return count && *count <= limit;
  };
  auto ride = d1::ride_along(count_window("id", key_id, window_start, now), within_limit, "d1");
  context.principal = std::move(principal);
  context.rate_limit = RequestContext::RateLimitWindow{limit, 0, window_start + auth::kRateLimitWindowMs, false};
  auto outcome = co_await catch_faults(next());

  // Counted now when the request made no trip, or when its trip failed (a batch is one
  // transaction, so the count went with it): a failing request still counts.
  std::optional<d1::Rows> counted = std::move(ride->rows);
  bool trip_failed = ride->boarded && !counted;
  if (current_task().withdraw_rider() || trip_failed) counted = co_await d1::all(count_window("id", key_id, window_start, now));
  if (counted->rows.empty()) co_return co_await refuse_stale_key(context, fingerprint, key_id);
  auto count = integer_field(counted->rows[0], "count");
  if (!count) co_return context.fail(errors::service_unavailable("d1"));
  context.rate_limit->count = *count;
  context.rate_limit->counted = true;
  if (*count > limit) {
    auth::key_cache().mark_over_limit(fingerprint, context.rate_limit->resets_at_ms);
    co_return co_await refuse_over_limit(context);
  }
  if (trip_failed) co_return with_rate_limit_headers(context, fault_response(context, Fault{"d1", ride->error}));
  co_return with_rate_limit_headers(context, outcome.ok() ? outcome.take() : fault_response(context, outcome.fault()));
}

// Resolves the Bearer key to a principal and counts its rate-limit window; `read` lets a hot
// key's check travel with the handler's first read.
Task<http::Response> authenticate_with(RequestContext& context, const Next& next, bool read) {
  std::string problem;
  auto settings = auth::read_settings(context.config, problem);
  if (!settings) co_return context.fail(errors::configuration_error(problem));
  context.auth_settings = settings;

  int64_t now = services::now_ms();
  std::string ip = context.client_ip();
  if (int64_t wait = auth::failure_throttle().retry_after_seconds(ip, now)) {
    auto response = context.fail(errors::too_many_failed_attempts(wait));
    response.headers.set("retry-after", std::to_string(wait));
    co_return response;
  }
  auto token = bearer_token(context.request);
  if (!token) co_return co_await refuse(context, errors::missing_api_key(), false);
  if (!auth::parse_api_key(*token)) co_return co_await refuse(context, errors::invalid_api_key(), true);

  std::string fingerprint(crypto::bytes_of(crypto::sha256(*token)));
  int64_t window_start = now - now % auth::kRateLimitWindowMs;
  auto principal = auth::key_cache().get(fingerprint, now, settings->cache_ttl_ms);
  std::optional<int64_t> count;
  if (principal && read && !auth::key_cache().over_limit(fingerprint, now))
    co_return co_await count_with_first_read(context, next, fingerprint, std::move(*principal), window_start, now);
  if (principal) {
    // Hot: one statement. No row means the key was revoked or expired since it was cached.
    auto counted = co_await d1::first(count_window("id", principal->key_id, window_start, now));
    if (!counted) co_return co_await refuse_stale_key(context, fingerprint, principal->key_id);
    count = integer_field(*counted, "count");
  } else {
    // Cold: PBKDF2, then the key row and the count in one batch.
    std::string hash = auth::hash_api_key(*token, settings->pepper, settings->iterations);
    auto [keys, windows] = co_await d1::batch({
        {"SELECT k.id, k.org_id, k.user_id, k.mode, k.role, k.scopes, k.rate_limit_per_minute, k.revoked_at, o.kind AS org_kind "
         "FROM api_keys k JOIN organisations o ON o.id = k.org_id WHERE k.key_hash = ?1",
         {hash}},
        count_window("key_hash", hash, window_start, now),
    });
    const Json& key_rows = keys.rows;
    const Json& count_rows = windows.rows;
    if (key_rows.empty()) co_return co_await refuse(context, errors::invalid_api_key(), true);
    if (count_rows.empty()) {
      bool revoked = !key_rows[0]["revoked_at"].is_null();
      co_return co_await refuse(context, revoked ? errors::api_key_revoked() : errors::api_key_expired(), false);
    }
    principal = principal_from(key_rows[0]);
    count = integer_field(count_rows[0], "count");
    if (principal) auth::key_cache().put(fingerprint, *principal, now);
  }
  if (!principal || !count) co_return context.fail(errors::service_unavailable("d1"));

  context.rate_limit =
      RequestContext::RateLimitWindow{principal->rate_limit_per_minute, *count, window_start + auth::kRateLimitWindowMs};
  context.principal = std::move(*principal);
  co_return co_await next();
}

}  // namespace

// Mounted on keyed routes: resolves the Bearer key to a principal and counts its rate-limit window, in one
// D1 round trip, hot or cold. PBKDF2 and the key lookup run only on the isolate's first sight
// of a key (see isolate_state.hpp); failures may take a second trip to say why.
Task<http::Response> authenticate(RequestContext& context, const Next& next) {
  co_return co_await authenticate_with(context, next, false);
}

// Mounted on keyed reads: the same, but a hot key's count travels with the handler's first read.
Task<http::Response> authenticate_read(RequestContext& context, const Next& next) {
  co_return co_await authenticate_with(context, next, true);
}

}  // namespace ptmc
