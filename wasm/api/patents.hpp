// The patents list, shared by /v1/patents and /v1/assignees/{id}/patents.
#pragma once

#include "wasm/http/router.hpp"
#include "wasm/schema/object_type.hpp"

#include <vector>

namespace ptmc::api {

// The patent object: its fields, where they come from, their schema and example.
const schema::ObjectType& patent_object();

// Lists patents by context.query's filters (assignee, cpc, kind, date ranges), sort and page.
Task<http::Response> list_patents(RequestContext& context);
// Its query parameters, with or without the assignee filter.
std::vector<schema::Parameter> patent_list_parameters(bool with_assignee);
// Date ranges must not be inverted.
void patent_list_rules(const RequestContext& context, Violations& violations);

}  // namespace ptmc::api
