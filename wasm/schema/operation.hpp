// What one route takes and answers, declared next to its handler. The router validates every
// request against it before the handler runs; the OpenAPI document and /docs are rendered
// from the same declarations, so no route is served that the reference does not describe.
#pragma once

#include "wasm/schema/schema.hpp"

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace ptmc {
struct RequestContext;
}

namespace ptmc::schema {

struct Parameter {
  enum class In { path, query };
  std::string name;
  In in;
  Schema schema;
  bool required = false;
};

inline Parameter path_param(std::string name, Schema schema) {
  return {std::move(name), Parameter::In::path, std::move(schema), true};
}
inline Parameter query_param(std::string name, Schema schema) {
  return {std::move(name), Parameter::In::query, std::move(schema)};
}
inline Parameter required_query_param(std::string name, Schema schema) {
  return {std::move(name), Parameter::In::query, std::move(schema), true};
}

// One successful answer.
struct Reply {
  int status = 200;
  std::string description;
  std::optional<Schema> body;  // none: no body
  Json example;
  std::string media_type = "application/json";
};

struct Operation {
  std::string id;  // operationId, also the anchor in /docs
  std::string tag;
  std::string summary;
  std::string description;
  std::vector<Parameter> parameters;
  std::optional<Schema> body;  // a JSON request body
  std::vector<Reply> replies;
  std::vector<std::string> errors;  // codes particular to this operation; the pipeline's are added
  bool needs_key = true;            // false: served without authentication (operational and reference routes)
  // Rules the schema cannot state because they depend on the caller (a role it may grant). The
  // router runs them after the schema, so one answer lists every problem; they skip members
  // the schema already refused.
  void (*rules)(const RequestContext& context, Violations& violations) = nullptr;
};

// Adds every violation of the query, the path and the body, and answers the query and path
// values that are valid, typed, with defaults filled in (rules then see what they can check).
// An unknown or repeated query parameter is a violation.
Json check_request(const Operation& operation, const std::map<std::string, std::string>& path_params, std::string_view query,
                   const Json* body, Violations& violations);

}  // namespace ptmc::schema
