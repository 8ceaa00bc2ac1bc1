#include "wasm/compat/platform.hpp"
#include "wasm/reference/reference.hpp"

#include <algorithm>
#include <map>

namespace ptmc::reference {
namespace {

constexpr const char* kIntroduction =
    "Patent data from the USPTO, served from the edge.\n\n"
    "**Authentication.** Send a key as `Authorization: Bearer ptmc_live_…` (or `ptmc_test_…`) on every `/v1` "
    "request except this document. Keys carry a role and scopes; a route that needs a scope says so.\n\n"
    "**Errors.** Every failure answers one envelope, `{\"error\": {type, code, message, param?, docs_url, request_id, "
    "suggestion}}`; `docs_url` points at the code's entry in the error reference below. Validation reports every "
    "problem at once.\n\n"
    "**Lists.** List endpoints answer `{object: \"list\", data, has_more, next_cursor}`. Pass `next_cursor` as `cursor`, "
    "unchanged and with the same filters, for the next page; `limit` is 1 to 100 (default 50).\n\n"
    "**Idempotency.** POST, PATCH and DELETE under `/v1` accept `Idempotency-Key` (1–255 printable ASCII characters). "
    "The first response is kept 24 hours and replayed byte for byte with `Idempotent-Replayed: true`.\n\n"
    "**Caching.** Successful GETs carry a strong `ETag`; `If-None-Match` answers 304. Organisation data is "
    "`Cache-Control: private`; public reference data is `public` with a `max-age`.\n\n"
    "**HTTP.** Every GET also answers HEAD; browsers' CORS preflights (OPTIONS) are answered for allowed origins. "
    "Every response carries `X-Request-Id`.";

std::string error_status_text(int status) {
  switch (status) {
    case 400:
      return "The request is invalid.";
    case 401:
      return "No valid API key.";
    case 403:
      return "The key may not do this.";
    case 404:
      return "Not found.";
    case 409:
      return "Conflicts with another request or with the object's state.";
    case 413:
      return "The body is too large.";
    case 414:
      return "The URL is too long.";
    case 415:
      return "The body is not JSON.";
    case 429:
      return "Too many requests.";
    case 431:
      return "The headers are too large.";
    case 500:
      return "The service failed.";
    case 503:
      return "The service is unavailable for now.";
    default:
      return "An error.";
  }
}

Json example_envelope(const ApiError& error) {
  auto body = parse_json(error_response(error, "req_6c1f0e2a9b8d4c3f2e1a0b9c").body);
  return body ? *body : Json::object();
}

Json parameter_json(const schema::Parameter& parameter) {
  Json schema = parameter.schema.to_json();
  Json out = {{"name", parameter.name},
              {"in", parameter.in == schema::Parameter::In::path ? "path" : "query"},
              {"required", parameter.required},
              {"schema", schema}};
  if (schema.contains("description")) out["description"] = schema["description"];
  return out;
}

Json header_ref(std::string_view name) { return {{"$ref", "#/components/headers/" + std::string(name)}}; }

// Authenticated (and so rate-limited); takes an Idempotency-Key.
bool keyed(const Route& route) { return route.operation.needs_key; }
bool idempotent(const Route& route) {
  return keyed(route) && (route.method == "POST" || route.method == "PATCH" || route.method == "DELETE");
}

// What any request can be answered, whatever its route.
constexpr const char* kEveryRequestCodes[] = {"uri_too_long", "request_headers_too_large", "internal_error",
                                              "service_unavailable", "instance_restarted"};

}  // namespace

std::vector<ReplyHeader> reply_headers(const Route& route, int status) {
  std::vector<ReplyHeader> headers = {{"X-Request-Id", "RequestId"}};
  if (route.method == "GET" && status == 200)
    headers.insert(headers.end(), {{"ETag", "ETag"}, {"Cache-Control", "CacheControl"}});
  if (keyed(route))
    for (const char* name : {"X-RateLimit-Limit", "X-RateLimit-Remaining", "X-RateLimit-Reset"}) headers.push_back({name, name});
  return headers;
}

namespace {

Json operation_json(const Route& route) {
  const auto& operation = route.operation;
  Json out = {{"operationId", operation.id}, {"tags", {operation.tag}}, {"summary", operation.summary}};
  std::string description = operation.description;
  if (!route.scope.empty())
    description +=
        std::string(description.empty() ? "" : "\n\n") + "Needs the `" + std::string(route.scope) + "` scope (role " +
        std::string(auth::role_name(auth::minimum_role_for(route.scope))) + " or above" +
        (auth::find_scope(route.scope) && auth::find_scope(route.scope)->platform_only ? ", platform operators only" : "") + ").";
  if (!description.empty()) out["description"] = description;

  Json parameters = Json::array();
  for (const auto& parameter : operation.parameters) parameters.push_back(parameter_json(parameter));
  if (idempotent(route)) parameters.push_back({{"$ref", "#/components/parameters/IdempotencyKey"}});
  if (route.method == "GET") parameters.push_back({{"$ref", "#/components/parameters/IfNoneMatch"}});
  if (!parameters.empty()) out["parameters"] = std::move(parameters);

  if (operation.body)
    out["requestBody"] = {{"required", false},
                          {"description", "JSON. An empty body counts as `{}`."},
                          {"content", {{"application/json", {{"schema", operation.body->to_json()}}}}}};
  else if (route.raw_body)
    out["requestBody"] = {{"required", true}, {"content", {{"application/octet-stream", {{"schema", Json::object()}}}}}};

  Json responses = Json::object();
  for (const auto& reply : operation.replies) {
    Json response = {{"description", reply.description}};
    Json headers = Json::object();
    for (const auto& header : reply_headers(route, reply.status))
      headers[std::string(header.name)] = header_ref(header.component);
    response["headers"] = std::move(headers);
    if (reply.body) {
      Json media = {{"schema", reply.body->to_json()}};
      if (!reply.example.is_null()) media["example"] = reply.example;
      response["content"] = {{reply.media_type, std::move(media)}};
    } else if (reply.media_type != "application/json") {
      response["content"] = {{reply.media_type, {{"schema", Json::object()}}}};
    }
    responses[std::to_string(reply.status)] = std::move(response);
  }
  if (route.method == "GET") responses["304"] = {{"description", "Not modified: If-None-Match matched the ETag."}};

  std::map<int, Json> by_status;
  for (const auto& code : error_codes(route)) {
    const auto* doc = find_error_doc(code);
    if (!doc) continue;  // a test asserts every declared code is in the catalogue
    Json& examples = by_status[doc->example.status];
    examples[code] = {{"summary", code}, {"value", example_envelope(doc->example)}};
  }
  for (auto& [status, examples] : by_status)
    responses[std::to_string(status)] = {
        {"description", error_status_text(status)},
        {"headers", {{"X-Request-Id", header_ref("RequestId")}}},
        {"content",
         {{"application/json", {{"schema", {{"$ref", "#/components/schemas/Error"}}}, {"examples", std::move(examples)}}}}}};
  out["responses"] = std::move(responses);
  out["security"] = keyed(route) ? Json::array({{{"apiKey", Json::array()}}}) : Json::array();
  return out;
}

Json header(const char* description, Json schema) { return {{"description", description}, {"schema", std::move(schema)}}; }

Json components_json(const schema::Components& components) {
  Json schemas = Json::object();
  for (const auto& [name, schema] : components) schemas[name] = schema.to_json();
  Json string = {{"type", "string"}};
  Json integer = {{"type", "integer"}};
  return {
      {"schemas", std::move(schemas)},
      {"securitySchemes",
       {{"apiKey", {{"type", "http"}, {"scheme", "bearer"}, {"description", "An API key: `ptmc_live_…` or `ptmc_test_…`."}}}}},
      {"parameters",
       {{"IdempotencyKey",
         {{"name", "Idempotency-Key"},
          {"in", "header"},
          {"required", false},
          {"description", "Makes the request safe to retry: the first response is replayed for 24 hours."},
          {"schema", {{"type", "string"}, {"minLength", 1}, {"maxLength", 255}}},
          {"example", "3f1d2c4b-8a7e-4f60-9b21-5c0d7e8f9a1b"}}},
        {"IfNoneMatch",
         {{"name", "If-None-Match"},
          {"in", "header"},
          {"required", false},
          {"description", "An ETag from an earlier response; a match answers 304 without a body."},
          {"schema", string}}}}},
      {"headers",
       {{"RequestId", header("This request's id, also in its log line and any error envelope.", string)},
        {"ETag", header("A strong validator of the body.", string)},
        {"CacheControl", header("`private, no-cache` for organisation data; `public, max-age=…` for reference data.", string)},
        {"X-RateLimit-Limit", header("Requests this key may make per minute.", integer)},
        {"X-RateLimit-Remaining", header("Requests left in this minute.", integer)},
        {"X-RateLimit-Reset", header("When this minute's window ends, in Unix seconds.", integer)}}},
  };
}

Json error_reference() {
  Json codes = Json::array();
  for (const auto& doc : error_catalogue())
    codes.push_back({{"code", doc.example.code},
                     {"status", doc.example.status},
                     {"type", type_name(doc.example.type)},
                     {"description", doc.explanation},
                     {"example", example_envelope(doc.example)}});
  return codes;
}

}  // namespace

std::vector<std::string> error_codes(const Route& route) {
  const auto& operation = route.operation;
  bool path_params = route.pattern.find('{') != std::string_view::npos;
  std::vector<std::string> codes = operation.errors;
  auto add = [&](std::initializer_list<const char*> more) { codes.insert(codes.end(), more.begin(), more.end()); };
  if (!operation.parameters.empty() || operation.body) add({"parameter_invalid"});
  if (operation.body) add({"invalid_json", "unsupported_media_type", "payload_too_large"});
  if (keyed(route))
    add({"missing_api_key", "invalid_api_key", "api_key_revoked", "api_key_expired", "rate_limit_exceeded",
         "too_many_failed_attempts", "configuration_error"});
  if (!route.scope.empty()) add({"missing_scope", "insufficient_role"});
  if (const auto* rule = auth::find_scope(route.scope); rule && rule->platform_only) add({"operator_only"});
  if (keyed(route) && path_params) add({"resource_missing"});
  if (idempotent(route))
    add({"idempotency_key_invalid", "idempotency_key_reused", "idempotency_key_in_use", "request_interrupted"});
  codes.insert(codes.end(), std::begin(kEveryRequestCodes), std::end(kEveryRequestCodes));
  std::vector<std::string> unique;
  for (auto& code : codes)
    if (std::find(unique.begin(), unique.end(), code) == unique.end()) unique.push_back(std::move(code));
  return unique;
}

std::vector<std::string> unrouted_error_codes() {
  std::vector<std::string> codes = {"route_not_found", "method_not_allowed", "payload_too_large", "cors_origin_not_allowed"};
  codes.insert(codes.end(), std::begin(kEveryRequestCodes), std::end(kEveryRequestCodes));
  return codes;
}

Json openapi_document(std::span<const Route> routes, const schema::Components& components, const Config& config) {
  Json paths = Json::object();
  std::vector<std::string> tags;
  for (const Route* route : served_routes(routes, config)) {
    std::string method = http::lower_ascii(route->method);
    paths[std::string(route->pattern)][method] = operation_json(*route);
    if (std::find(tags.begin(), tags.end(), route->operation.tag) == tags.end()) tags.push_back(route->operation.tag);
  }
  Json tag_list = Json::array();
  for (const auto& tag : tags) tag_list.push_back({{"name", tag}});
  return {{"openapi", "3.1.0"},
          {"info", {{"title", "Patomic API"}, {"version", PATOMIC_VERSION}, {"description", kIntroduction}}},
          {"tags", std::move(tag_list)},
          {"paths", std::move(paths)},
          {"components", components_json(components)},
          {"x-error-codes", error_reference()}};
}

}  // namespace ptmc::reference
