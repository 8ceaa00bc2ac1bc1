// What the patent routes share: the objects (a patent, its citations, assignments, chain of
// title and maintenance), the {number} path parameter, and the patents list (/v1/patents and
// /v1/assignees/{id}/patents).
#pragma once

#include "bindings/d1.hpp"
#include "wasm/http/router.hpp"
#include "wasm/schema/object_type.hpp"

#include <vector>

namespace ptmc::api {

// The objects: their fields, where they come from, their schema and example.
const schema::ObjectType& patent_object();
const schema::ObjectType& citation_object();
const schema::ObjectType& assignment_object();
const schema::ObjectType& chain_of_title_object();
const schema::ObjectType& maintenance_object();

// `more` after the {number} path parameter; number_rules checks it, canonical_number reads it.
std::vector<schema::Parameter> with_number(std::vector<schema::Parameter> more = {});
void number_rules(const RequestContext& context, Violations& violations);
std::string canonical_number(const RequestContext& context);

// A row when the patent is loaded. Known: loaded, or named by a recorded assignment
// (assignments arrive daily, grants weekly, and older grants may never be loaded).
d1::Statement patent_exists(const std::string& number);
d1::Statement patent_known(const std::string& number);

// Lists patents by context.query's filters (assignee, cpc, kind, date ranges), sort and page.
Task<http::Response> list_patents(RequestContext& context);
// Its query parameters, with or without the assignee filter.
std::vector<schema::Parameter> patent_list_parameters(bool with_assignee);
// Date ranges must not be inverted.
void patent_list_rules(const RequestContext& context, Violations& violations);

}  // namespace ptmc::api
