#include "wasm/http/errors.hpp"

#include "wasm/config/config.hpp"

namespace ptmc {

std::string_view type_name(ErrorType type) { return kErrorTypeNames[static_cast<size_t>(type)]; }

http::Response error_response(const ApiError& error, std::string_view request_id) {
  JsonLine envelope;
  envelope.text("type", type_name(error.type))
      .text("code", error.code)
      .text("message", error.message)
      .text("docs_url", config().docs_url(error.code))
      .text("request_id", request_id)
      .text("suggestion", error.suggestion);
  if (!error.param.empty()) envelope.text("param", error.param);
  http::Response response = http::json_text_response(error.status, JsonLine().json("error", envelope.finish()).finish());
  response.headers.set("cache-control", "no-store");
  return response;
}

namespace errors {

ApiError route_not_found(std::string_view method, std::string_view path) {
  return {404, ErrorType::invalid_request, "route_not_found",
          "No route matches " + std::string(method) + " " + std::string(path) + ".",
          "Check the method and path against the API reference."};
}

ApiError method_not_allowed(std::string_view method, std::string_view allowed) {
  return {405, ErrorType::invalid_request, "method_not_allowed", std::string(method) + " is not allowed on this route.",
          "Use one of the methods in the Allow header: " + std::string(allowed) + "."};
}

ApiError payload_too_large(size_t limit_bytes) {
  return {413, ErrorType::invalid_request, "payload_too_large",
          "The request body exceeds " + std::to_string(limit_bytes) + " bytes.",
          "Send a smaller body; bulk data goes through ingestion, not the request body."};
}

ApiError uri_too_long(size_t limit_bytes) {
  return {414, ErrorType::invalid_request, "uri_too_long", "The request URL exceeds " + std::to_string(limit_bytes) + " bytes.",
          "Send fewer or shorter query parameters."};
}

ApiError request_headers_too_large(size_t limit_bytes, size_t limit_count) {
  return {431, ErrorType::invalid_request, "request_headers_too_large",
          "The request headers exceed " + std::to_string(limit_bytes) + " bytes or " + std::to_string(limit_count) + " fields.",
          "Send fewer or smaller headers."};
}

ApiError unsupported_media_type(std::string_view content_type) {
  return {415, ErrorType::invalid_request, "unsupported_media_type",
          "Request bodies must be application/json, not '" + std::string(content_type) + "'.",
          "Set Content-Type: application/json and send a JSON body."};
}

ApiError websocket_required() {
  return {426, ErrorType::invalid_request, "websocket_required", "This route serves a WebSocket, not a plain request.",
          "Open it as a WebSocket (Upgrade: websocket), with your key in the Authorization header."};
}

ApiError invalid_json(std::string message) {
  return {400, ErrorType::invalid_request, "invalid_json", std::move(message),
          "Check the body with a JSON validator; strings must be UTF-8 and double-quoted."};
}

ApiError cors_origin_not_allowed(std::string_view origin) {
  return {403, ErrorType::permission, "cors_origin_not_allowed",
          "The origin '" + std::string(origin) + "' may not call this API from a browser.",
          "Call the API from your server, or ask for the origin to be added to the allowlist."};
}

ApiError service_unavailable(std::string_view source) {
  return {503, ErrorType::api, "service_unavailable",
          "A backing service failed while handling the request (" + std::string(source) + ").",
          "Retry with exponential backoff; requests with an Idempotency-Key are safe to retry."};
}

ApiError not_ready(std::string_view failed_checks) {
  return {503, ErrorType::api, "not_ready", "Not ready: " + std::string(failed_checks) + " failed.",
          "Wait and retry; if it persists, check the bindings named in the message."};
}

ApiError configuration_error(std::string_view setting) {
  return {500, ErrorType::api, "configuration_error",
          "The service is misconfigured: " + std::string(setting) + " is missing or invalid.",
          "This is not caused by your request; the operators have been alerted by /readyz."};
}

ApiError missing_api_key() {
  return {401, ErrorType::authentication, "missing_api_key", "No API key was provided.",
          "Send your key as 'Authorization: Bearer ptmc_live_...'."};
}

ApiError invalid_api_key() {
  return {401, ErrorType::authentication, "invalid_api_key", "The API key provided is not valid.",
          "Check that the key was copied whole; keys are shown once, so create a new one if it is lost."};
}

ApiError api_key_revoked() {
  return {401, ErrorType::authentication, "api_key_revoked", "The API key provided has been revoked.",
          "Use another key of your organisation, or ask an admin to create one."};
}

ApiError api_key_expired() {
  return {401, ErrorType::authentication, "api_key_expired", "The API key provided has expired (it was rolled).",
          "Use the key that replaced it."};
}

ApiError too_many_failed_attempts(int64_t retry_after_seconds) {
  return {429, ErrorType::rate_limit, "too_many_failed_attempts",
          "Too many requests with invalid API keys from this address; wait " + std::to_string(retry_after_seconds) + " s.",
          "Fix the key your client sends; waits double with every further failure."};
}

ApiError rate_limited(int64_t limit, int64_t retry_after_seconds) {
  return {429, ErrorType::rate_limit, "rate_limit_exceeded",
          "This key has used its " + std::to_string(limit) + " requests for this minute.",
          "Retry after " + std::to_string(retry_after_seconds) + " s (Retry-After), and spread requests over the minute."};
}

ApiError missing_scope(std::string_view scope) {
  return {403, ErrorType::permission, "missing_scope", "This API key lacks the '" + std::string(scope) + "' scope.",
          "Use a key created with that scope."};
}

ApiError insufficient_role(std::string_view needed) {
  return {403, ErrorType::permission, "insufficient_role", "This action needs the " + std::string(needed) + " role.",
          "Use a key of a user with that role."};
}

ApiError operator_only() {
  return {403, ErrorType::permission, "operator_only", "This route is for platform operators.",
          "Platform operations (ingestion) are run by the platform's operators; organisations see GET /v1/sources."};
}

ApiError key_exceeds_caller(std::string_view id, std::string_view beyond) {
  return {403, ErrorType::permission, "key_exceeds_caller",
          "Key '" + std::string(id) + "' holds more than the calling key: " + std::string(beyond) + ".",
          "Roll or revoke it with a key that holds at least its role, scopes, rate limit and mode."};
}

ApiError resource_missing(std::string_view kind, std::string_view id) {
  return {404, ErrorType::invalid_request, "resource_missing", "No " + std::string(kind) + " '" + std::string(id) + "'.",
          "Check the id; objects of other organisations are not visible."};
}

ApiError resource_limit_reached(std::string_view what, int64_t limit) {
  return {400, ErrorType::invalid_request, "resource_limit_reached",
          "An organisation can have at most " + std::to_string(limit) + " " + std::string(what) + ".",
          "Delete one you no longer need, then retry."};
}

ApiError parameter_invalid(std::string_view param, std::string_view message) {
  return {400,
          ErrorType::invalid_request,
          "parameter_invalid",
          std::string(message),
          "Correct the parameter and retry.",
          std::string(param)};
}

ApiError parameter_invalid(const Violations& violations) {
  ApiError error = parameter_invalid(violations.first_param(), violations.message());
  error.code = violations.first_code();
  return error;
}

ApiError idempotency_key_invalid() {
  return {400,
          ErrorType::invalid_request,
          "idempotency_key_invalid",
          "Idempotency-Key must be 1 to 255 printable ASCII characters.",
          "Use a UUID or another unique token per operation.",
          "Idempotency-Key"};
}

ApiError idempotency_key_reused() {
  return {400, ErrorType::idempotency, "idempotency_key_reused",
          "This Idempotency-Key was used with a different request (method, path or body).",
          "Use a new key for a new request; retry a request only with exactly the same body."};
}

ApiError idempotency_key_in_use() {
  return {409, ErrorType::idempotency, "idempotency_key_in_use", "A request with this Idempotency-Key is still being processed.",
          "Retry after a short wait to get its response."};
}

ApiError request_interrupted() {
  return {500, ErrorType::api, "request_interrupted",
          "The first request with this Idempotency-Key stopped before it answered (the service restarted); whether it took "
          "effect is unknown.",
          "Check whether the change was made (retrieve or list the object), then send a new Idempotency-Key if it was not."};
}

ApiError key_not_rollable(std::string_view id, std::string_view why) {
  return {409, ErrorType::invalid_request, "key_not_rollable", "Key '" + std::string(id) + "' " + std::string(why) + ".",
          "Roll the key that replaced it."};
}

ApiError range_not_satisfiable(int64_t size) {
  return {416,
          ErrorType::invalid_request,
          "range_not_satisfiable",
          "The requested range starts past the end of the " + std::to_string(size) + "-byte document.",
          "Ask for bytes before " + std::to_string(size) + ", or omit Range for the whole document.",
          "Range"};
}

// Answered by the shim when a streamed object was replaced between the core's look and the read.
ApiError object_changed() {
  return {503, ErrorType::api, "object_changed", "The document changed while it was being read.",
          "Retry the request; it will read the new version."};
}

ApiError internal_error() {
  return {500, ErrorType::api, "internal_error", "An internal error occurred.",
          "Retry with exponential backoff; requests with an Idempotency-Key are safe to retry."};
}

ApiError instance_restarted() {
  return {503, ErrorType::api, "instance_restarted", "The service restarted while handling this request.",
          "Retry with exponential backoff; requests with an Idempotency-Key are safe to retry."};
}

}  // namespace errors
}  // namespace ptmc
