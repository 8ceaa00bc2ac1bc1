// The reference of every error code. Examples come from the same constructors the API answers
// with, so the reference cannot drift from the responses.
#include "wasm/http/errors.hpp"

namespace ptmc {

const std::vector<ErrorDoc>& error_catalogue() {
  static const std::vector<ErrorDoc> catalogue = {
      {errors::route_not_found("GET", "/v1/nope"),
       "No route matches the method and path. Check the path against this reference."},
      {errors::resource_missing("api key", "key_0123456789abcdef"),
       "The route exists but the object it names does not, or belongs to another organisation."},
      {errors::resource_limit_reached("webhook endpoints", 16),
       "The organisation already has as many objects of this kind as one may (16 webhook endpoints), "
       "so that no tenant's share of the platform's work grows without bound. Delete one, then retry."},
      {errors::method_not_allowed("PUT", "GET, HEAD, DELETE"),
       "The path exists but not with this method. The `Allow` header lists the methods it takes."},
      {errors::payload_too_large(1024 * 1024),
       "The body is over 1 MiB (1,048,576 bytes). Bulk data enters through ingestion, not request bodies."},
      {errors::uri_too_long(8192), "The URL (path and query) is over 8 KiB. No route takes that much in its query."},
      {errors::request_headers_too_large(32768, 100),
       "The headers are over 32 KiB in all, or more than 100 fields. Send only the headers the API reads."},
      {errors::unsupported_media_type("text/plain"),
       "A route that takes JSON received a non-empty body whose `Content-Type` is not `application/json` "
       "(parameters such as `charset` are allowed). Send JSON with that type."},
      {errors::websocket_required(),
       "A WebSocket route (the event stream) received a request without `Upgrade: websocket`. Connect with a WebSocket "
       "client; the key goes in the `Authorization` header as for any route."},
      {errors::invalid_json(),
       "The body is not valid JSON (or not UTF-8), or it nests arrays and objects deeper than 32 levels, or one of them "
       "has more than 10,000 members; the message says which. An empty body counts as `{}`."},
      {errors::parameter_invalid("limit",
                                 "limit: must be an integer from 1 to 100; name: must be a string of at most 100 characters"),
       "A body member, query or path parameter is missing, unknown, of the wrong type or out of range. Every "
       "problem is listed in `message` as `param: problem`, separated by `; `; `param` names the first. Nested "
       "members are named like `scopes[1]`."},
      {[] {
         auto error =
             errors::parameter_invalid("cursor", "cursor: is not a cursor this API returned for this list and these filters");
         error.code = "invalid_cursor";
         return error;
       }(),
       "The `cursor` was not issued by this API for this list with these filters: it was altered, truncated, "
       "signed with a retired secret, or replayed with other filters. Start again without a cursor, and pass the "
       "`next_cursor` of the previous page unchanged with the same filters."},
      {errors::range_not_satisfiable(48213),
       "The `Range` header asks for bytes that start at or past the end of the document (or for the last 0 bytes). "
       "`Content-Range: bytes */SIZE` gives the size. Ask for a range within it, or omit `Range`."},
      {errors::cors_origin_not_allowed("https://evil.example"),
       "A browser preflight came from an origin not in `CORS_ALLOWED_ORIGINS`. Call the API from a server, or have "
       "the origin added. Non-preflight requests from other origins are served without CORS headers, so browsers "
       "will not expose the response."},
      {errors::missing_api_key(),
       "No `Authorization: Bearer …` header. Every `/v1` route except the OpenAPI document needs a key."},
      {errors::invalid_api_key(),
       "The key is malformed, fails its checksum (a typo or truncation), or is unknown. Malformed keys are refused "
       "before any database access. Repeated failures from one address are throttled."},
      {errors::api_key_revoked(), "The key was revoked (`DELETE /v1/keys/{id}`). Revocation applies at once, in every isolate."},
      {errors::api_key_expired(), "The key was rolled and its grace period is over. Use the key that replaced it."},
      {errors::missing_scope("keys:write"), "The key lacks the scope the route needs (`keys:read`, `keys:write`, `audit:read`)."},
      {errors::insufficient_role("admin"),
       "The key's role is below what the route needs (key management and the audit log need admin)."},
      {errors::operator_only(),
       "The route acts on shared platform state (ingestion jobs, their files and errors) and answers only keys of the "
       "platform's operators, which the `create_operator_key` command mints; no organisation's key, whatever its role, "
       "reaches it. `GET /v1/sources` tells organisations how fresh each source is."},
      {errors::key_exceeds_caller("key_0123456789abcdef", "role owner; scopes audit:read"),
       "Rolling a key mints a new secret with its grants, and revoking it stops its holder, so both need a calling key "
       "that holds at least the key's role, every one of its scopes, its rate limit, and (for a live key) live mode: "
       "nobody obtains or cancels more than they hold."},
      {errors::too_many_failed_attempts(120),
       "Too many invalid keys from this address (more than 10 in 10 minutes): each further failure doubles the "
       "wait, up to an hour. `Retry-After` says how long. Fix the key your client sends."},
      {errors::rate_limited(600, 17),
       "The key used its requests for this minute. Every `/v1` response carries `X-RateLimit-Limit`, "
       "`X-RateLimit-Remaining`, `X-RateLimit-Reset` (Unix seconds), and the IETF `RateLimit-Policy: "
       "\"per-key\";q=LIMIT;w=60` and `RateLimit: \"per-key\";r=REMAINING;t=SECONDS`; the 429 adds `Retry-After`. "
       "Spread requests over the minute, or ask for a higher limit."},
      {errors::key_not_rollable("key_0123456789abcdef", "is revoked or was already rolled"),
       "The key is revoked or was already rolled (perhaps concurrently). Roll the key that replaced it."},
      {errors::idempotency_key_invalid(),
       "`Idempotency-Key` must be 1 to 255 printable ASCII characters. Use a UUID per operation."},
      {errors::idempotency_key_reused(),
       "The key was first used with a different request (method, path or body). A key names one operation: send a "
       "new key for a new request, and retry only with exactly the same body."},
      {errors::idempotency_key_in_use(),
       "The first request with this key is still running. Retry shortly to receive its response. A claim whose "
       "request died answers `request_interrupted` after two minutes."},
      {errors::request_interrupted(),
       "The first request with this `Idempotency-Key` was cut off by a restart (a trap, a killed isolate) after it "
       "started, so its writes may or may not have committed. It is never run a second time: the key answers this 500 for "
       "24 hours, as Stripe keeps a 500. Look the object up, and retry with a new key if the change is missing."},
      {errors::configuration_error("API_KEY_PEPPER"),
       "A required setting is missing or invalid (for example `API_KEY_PEPPER`). Every `/v1` request fails closed "
       "until it is fixed; `/readyz` names the setting. Not caused by the request."},
      {errors::internal_error(),
       "The module trapped while handling this request. The shim answers this envelope and starts a fresh instance "
       "for the next request. Retry with backoff; report the `request_id` if it persists."},
      {errors::service_unavailable("d1"),
       "A backing service (D1, KV, R2, a queue, a Durable Object, an outbound fetch) failed while the request ran. "
       "The message names which. Retry with exponential backoff."},
      {errors::not_ready("d1, kv"), "`/readyz` could not reach one or more bindings; the message lists them (`d1`, `kv`, `r2`)."},
      {errors::object_changed(),
       "A document streamed from storage was replaced between the moment its size and version were read and the "
       "moment its bytes were; rather than mix two versions, the request fails. Retry it."},
      {errors::instance_restarted(),
       "Another request made the module trap while this one was waiting on I/O; the instance it ran on is gone. "
       "Retrying is safe for reads and for writes sent with an `Idempotency-Key`."},
  };
  return catalogue;
}

const ErrorDoc* find_error_doc(std::string_view code) {
  for (const auto& doc : error_catalogue())
    if (doc.example.code == code) return &doc;
  return nullptr;
}

}  // namespace ptmc
