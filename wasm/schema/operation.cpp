#include "wasm/schema/operation.hpp"

#include "wasm/http/message.hpp"

#include <algorithm>

namespace ptmc::schema {

Json check_request(const Operation& operation, const std::map<std::string, std::string>& path_params, std::string_view query,
                   const Json* body, Violations& violations) {
  Json values = Json::object();
  auto pairs = http::query_params(query);
  for (size_t i = 0; i < pairs.size(); ++i) {
    const auto& name = pairs[i].first;
    bool declared = std::any_of(operation.parameters.begin(), operation.parameters.end(),
                                [&](const Parameter& p) { return p.in == Parameter::In::query && p.name == name; });
    if (!declared) violations.add(name, "is not a parameter of this endpoint");
    else if (std::any_of(pairs.begin(), pairs.begin() + static_cast<ptrdiff_t>(i),
                         [&](const auto& p) { return p.first == name; }))
      violations.add(name, "is given more than once");
  }
  for (const auto& parameter : operation.parameters) {
    std::optional<std::string> text;
    if (parameter.in == Parameter::In::path) {
      auto found = path_params.find(parameter.name);
      if (found != path_params.end()) text = found->second;
    } else {
      auto found = std::find_if(pairs.begin(), pairs.end(), [&](const auto& p) { return p.first == parameter.name; });
      if (found != pairs.end()) text = found->second;
    }
    if (!text) {
      if (parameter.required) violations.add(parameter.name, "is required");
      else if (!parameter.schema.default_value().is_null()) values[parameter.name] = parameter.schema.default_value();
      continue;
    }
    if (auto value = parameter.schema.check_text(*text, parameter.name, violations)) values[parameter.name] = std::move(*value);
  }
  if (operation.body && body) {
    if (!body->is_object() && operation.body->type() == Schema::Type::object) violations.add("body", "must be a JSON object");
    else operation.body->check(*body, "body", violations);
  }
  return values;
}

}  // namespace ptmc::schema
