// The one error envelope every failure answers with:
//   {"error":{"type","code","message","docs_url","request_id","suggestion","param"?}}
// Each code has an entry in error_catalogue(), rendered at /docs#error-<code>.
#pragma once

#include "wasm/http/message.hpp"
#include "wasm/schema/violations.hpp"

#include <string>
#include <string_view>
#include <vector>

namespace ptmc {

enum class ErrorType {
  invalid_request,
  authentication,
  permission,
  rate_limit,
  idempotency,
  api,
};
// Each type's name in the envelope, in the enum's order.
inline constexpr std::string_view kErrorTypeNames[] = {"invalid_request_error", "authentication_error", "permission_error",
                                                       "rate_limit_error",      "idempotency_error",    "api_error"};

struct ApiError {
  int status;
  ErrorType type;
  std::string code;
  std::string message;
  std::string suggestion;
  std::string param;  // empty: omitted
};

std::string_view type_name(ErrorType type);
http::Response error_response(const ApiError& error, std::string_view request_id);

namespace errors {
ApiError route_not_found(std::string_view method, std::string_view path);
ApiError method_not_allowed(std::string_view method, std::string_view allowed);
ApiError payload_too_large(size_t limit_bytes);
ApiError uri_too_long(size_t limit_bytes);
ApiError request_headers_too_large(size_t limit_bytes, size_t limit_count);
ApiError unsupported_media_type(std::string_view content_type);
ApiError websocket_required();
ApiError invalid_json(std::string message = "The request body is not valid JSON.");
ApiError cors_origin_not_allowed(std::string_view origin);
ApiError service_unavailable(std::string_view source);
ApiError not_ready(std::string_view failed_checks);
ApiError configuration_error(std::string_view setting);
ApiError missing_api_key();
ApiError invalid_api_key();
ApiError api_key_revoked();
ApiError api_key_expired();
ApiError too_many_failed_attempts(int64_t retry_after_seconds);
ApiError rate_limited(int64_t limit, int64_t retry_after_seconds);
ApiError missing_scope(std::string_view scope);
ApiError insufficient_role(std::string_view needed);
ApiError operator_only();
ApiError key_exceeds_caller(std::string_view id, std::string_view beyond);
ApiError resource_missing(std::string_view kind, std::string_view id);
ApiError resource_limit_reached(std::string_view what, int64_t limit);
ApiError parameter_invalid(std::string_view param, std::string_view message);
// Every problem found at once: the first names the param (and may bring its own code).
ApiError parameter_invalid(const Violations& violations);
ApiError idempotency_key_invalid();
ApiError idempotency_key_reused();
ApiError idempotency_key_in_use();
ApiError request_interrupted();
ApiError key_not_rollable(std::string_view id, std::string_view why);
ApiError range_not_satisfiable(int64_t size);
ApiError object_changed();
// Answered by the shim, not the core (worker-shim/index.mjs); here for the reference.
ApiError internal_error();
ApiError instance_restarted();
}  // namespace errors

// The reference entry of one error code: a real example and why it happens, how to fix it.
struct ErrorDoc {
  ApiError example;
  std::string_view explanation;  // plain text; `backticks` mark code
};
// Every code the API answers with, in reference order. /docs renders it; docs_url points into it.
const std::vector<ErrorDoc>& error_catalogue();
const ErrorDoc* find_error_doc(std::string_view code);

}  // namespace ptmc
