// Idempotency-Key on keyed writes (POST, PATCH, DELETE under /v1), with Stripe's semantics:
//   - the first request claims the key atomically in D1 (KV is eventually consistent, so it
//     cannot arbitrate) and runs; once its handler has run, its response (any status) is kept
//     24 h, sealed, in D1 and in KV, and the claim is done;
//   - the same key and the same request (method, path, body) from the same API key replays
//     that response byte for byte with Idempotent-Replayed: true, from KV when it has it;
//   - the same key with another request is 400 idempotency_key_reused; while the first still
//     runs, 409 idempotency_key_in_use; once a claim is 2 minutes old without a response, its
//     request died with its isolate (a trap, a killed process) after its writes may have
//     committed, so it is never run again: the key keeps a 500 request_interrupted, replayed for
//     24 hours, as Stripe keeps a 500;
//   - it is mounted after authorization and validation, so a request refused for its key,
//     scope or parameters never reaches it and leaves the key free, as Stripe does; a request
//     cut short by a fault frees it too, so a retry runs.
// Keys are scoped per organisation, and the fingerprint binds the calling API key: a replay
// goes only to the key that made the first request (another key, even one allowed to make the
// same call, would have been answered differently: its own role, scopes and limit). Stripe
// scopes keys to the account and compares the parameters; this is stricter by the key.
// The claim and the KV lookup share one round trip.
#include "bindings/d1.hpp"
#include "bindings/kv.hpp"
#include "wasm/crypto/crypto.hpp"
#include "wasm/crypto/sealed.hpp"
#include "wasm/middleware/pipeline.hpp"
#include "wasm/runtime/effect.hpp"
#include "wasm/runtime/services.hpp"
#include "wasm/runtime/wire.hpp"

namespace ptmc {
namespace {

constexpr int64_t kReplayTtlSeconds = 24 * 3600;
constexpr int64_t kRunningClaimMs = 120'000;

bool valid_key(std::string_view key) {
  if (key.empty() || key.size() > 255) return false;
  for (char c : key)
    if (c < 0x20 || c > 0x7e) return false;
  return true;
}

// Domain-separated from the pepper, so stored responses are unreadable without it.
std::string sealing_key(const Config& config) {
  return std::string(crypto::bytes_of(crypto::hmac_sha256(config.get("API_KEY_PEPPER"), "patomic idempotent replays v1")));
}

std::string seal_response(const Config& config, const std::string& fingerprint, const http::Response& response) {
  wire::Frame frame{{{"fingerprint", fingerprint}, {"status", response.status}, {"headers", response.headers.to_json()}}, {}};
  frame.meta["body"] = frame.add_blob(response.body);
  return crypto::seal(sealing_key(config), wire::encode(frame));
}

struct Stored {
  std::string fingerprint;
  http::Response response;
};

std::optional<Stored> open_response(const Config& config, std::string_view sealed) {
  auto plain = crypto::open(sealing_key(config), sealed);
  auto frame = plain ? wire::decode(*plain) : std::nullopt;
  if (!frame) return std::nullopt;
  const auto* fingerprint = string_field(frame->meta, "fingerprint");
  auto status = integer_field(frame->meta, "status");
  auto headers = http::Headers::from_json(frame->meta.value("headers", Json()));
  auto body = frame->take_blob(frame->meta, "body");
  if (!fingerprint || !status || !headers || !body) return std::nullopt;
  return Stored{*fingerprint, {static_cast<int>(*status), std::move(*headers), std::move(*body)}};
}

http::Response replay(http::Response response) {
  response.headers.set("idempotent-replayed", "true");
  return response;
}

}  // namespace

Task<http::Response> idempotency(RequestContext& context, const Next& next) {
  const auto& request = context.request;
  auto header = request.headers.get("idempotency-key");
  if (!header) co_return co_await next();
  if (!valid_key(*header)) co_return context.fail(errors::idempotency_key_invalid());

  const std::string& org = context.principal->org_id;
  std::string key_hash = crypto::sha256_hex(*header);
  std::string fingerprint = crypto::sha256_hex(context.principal->key_id + "\n" + request.method + "\n" + request.path + "?" +
                                               request.query + "\n" + request.body);
  std::string kv_key = "idempotency:" + org + ":" + key_hash;
  int64_t now = services::now_ms();

  // One round trip: a replay from KV, and the claim (a row only if this request took the key).
  auto [cached, claim] =
      co_await all(kv::get(kv_key).checked(),
                   d1::first({"INSERT INTO idempotency_keys (org_id, key_hash, fingerprint, state, created_at, expires_at) "
                              "VALUES (?1, ?2, ?3, 'running', ?4, ?5) ON CONFLICT (org_id, key_hash) DO UPDATE SET "
                              "fingerprint = excluded.fingerprint, state = 'running', created_at = excluded.created_at, "
                              "expires_at = excluded.expires_at, response = NULL WHERE idempotency_keys.state = 'done' AND "
                              "idempotency_keys.expires_at <= excluded.created_at RETURNING state",
                              {org, key_hash, fingerprint, now, now + kRunningClaimMs}}));

  if (!claim) {
    std::optional<Stored> stored;
    if (cached.ok() && *cached) stored = open_response(context.config, (*cached)->bytes);
    if (!stored) {
      auto row = co_await d1::first(
          {"SELECT fingerprint, state, response, expires_at FROM idempotency_keys WHERE org_id = ?1 AND key_hash = ?2",
           {org, key_hash}});
      if (!row || row->value("fingerprint", "") != fingerprint) {
        co_return context.fail(row ? errors::idempotency_key_reused() : errors::idempotency_key_in_use());
      }
      if ((*row)["state"] != "done" && row->value("expires_at", int64_t(0)) > now)
        co_return context.fail(errors::idempotency_key_in_use());
      if ((*row)["state"] != "done") {
        http::Response interrupted = context.fail(errors::request_interrupted());
        co_await d1::run(
            {"UPDATE idempotency_keys SET state = 'done', expires_at = ?3, response = ?4 WHERE org_id = ?1 AND "
             "key_hash = ?2 AND state = 'running'",
             {org, key_hash, now + kReplayTtlSeconds * 1000,
              crypto::base64url(seal_response(context.config, fingerprint, interrupted))}});
        co_return replay(std::move(interrupted));
      }
      auto sealed = crypto::base64url_decode(row->value("response", ""));
      if (sealed) stored = open_response(context.config, *sealed);
      if (!stored) co_return context.fail(errors::service_unavailable("idempotency store"));
    }
    if (stored->fingerprint != fingerprint) co_return context.fail(errors::idempotency_key_reused());
    co_return replay(std::move(stored->response));
  }

  auto ran = co_await catch_faults(next());
  auto release = d1::Statement{"DELETE FROM idempotency_keys WHERE org_id = ?1 AND key_hash = ?2", {org, key_hash}};
  if (!ran.ok()) {
    co_await d1::run(std::move(release)).checked();
    co_return fault_response(context, ran.fault());
  }
  http::Response response = ran.take();
  std::string sealed = seal_response(context.config, fingerprint, response);
  // D1 is the record; KV only speeds replays up, so its failure is not the client's problem.
  co_await all(d1::run({"UPDATE idempotency_keys SET state = 'done', expires_at = ?3, response = ?4 "
                        "WHERE org_id = ?1 AND key_hash = ?2",
                        {org, key_hash, now + kReplayTtlSeconds * 1000, crypto::base64url(sealed)}}),
               kv::put(kv_key, sealed, {kReplayTtlSeconds, nullptr}).checked());
  co_return response;
}

}  // namespace ptmc
