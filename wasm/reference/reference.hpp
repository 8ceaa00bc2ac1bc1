// The API reference, rendered from the routes' declarations: the OpenAPI 3.1 document
// (GET /v1/openapi.json) and a self-contained HTML page of it (GET /docs) that needs no
// script, font or stylesheet from anywhere else, so it works offline.
#pragma once

#include "wasm/http/router.hpp"

#include <span>
#include <string>

namespace ptmc::reference {

// Every route this configuration serves, with its parameters, bodies, replies and errors.
Json openapi_document(std::span<const Route> routes, const schema::Components& components, const Config& config);

// The error codes a route can answer: its own, and those the pipeline adds for routes like it.
std::vector<std::string> error_codes(const Route& route);
// The codes a request no route serves can be answered: the router's, a CORS preflight's, and
// those of every request.
std::vector<std::string> unrouted_error_codes();

// The headers a route's successful reply of `status` carries: the name and its component.
struct ReplyHeader {
  std::string_view name;
  std::string_view component;  // #/components/headers/<component>
};
std::vector<ReplyHeader> reply_headers(const Route& route, int status);

// The HTML reference of a document made by openapi_document(); every operation and every
// error code has an anchor (#<operationId>, #error-<code>).
std::string html_page(const Json& document);
// Text for HTML: & < > " escaped.
std::string escape_html(std::string_view text);
// The page's Content-Security-Policy: no script, nothing fetched, and only its own stylesheet
// (allowed by hash, CSP Level 3).
std::string html_page_policy();

}  // namespace ptmc::reference
