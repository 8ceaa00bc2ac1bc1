// The API reference: the OpenAPI document and its HTML page, both public reference data.
#include "wasm/api/handlers.hpp"
#include "wasm/reference/reference.hpp"

namespace ptmc::api {
namespace {

using schema::Schema;

constexpr const char* kPublicCache = "public, max-age=300";

Json document(const RequestContext& context) { return reference::openapi_document(routes(), components(), context.config); }

Task<http::Response> openapi_json(RequestContext& context) {
  http::Response response = http::json_response(200, document(context));
  response.headers.set("cache-control", kPublicCache);
  co_return response;
}

Task<http::Response> docs_page(RequestContext& context) {
  http::Response response{200, {}, reference::html_page(document(context))};
  response.headers.set("content-type", "text/html; charset=utf-8");
  response.headers.set("cache-control", kPublicCache);
  response.headers.set("content-security-policy", reference::html_page_policy());
  co_return response;
}

}  // namespace

std::vector<Route> reference_routes() {
  return {
      {"GET", "/v1/openapi.json", openapi_json,
       {.id = "getOpenApiDocument", .tag = "Reference", .summary = "The OpenAPI 3.1 document",
        .description = "This API described: every route served, its parameters, bodies, responses and errors, with "
                       "examples. Needs no key.",
        .replies = {{200, "The document.", Schema::any_object("An OpenAPI 3.1 document.")}},
        .needs_key = false}},
      {"GET", "/docs", docs_page,
       {.id = "getDocs", .tag = "Reference", .summary = "This reference, as a page",
        .description = "The OpenAPI document rendered as one self-contained HTML page (no script, nothing fetched from "
                       "elsewhere). Every error code has an anchor, `#error-<code>`, which `docs_url` points at.",
        .replies = {{200, "The page.", std::nullopt, {}, "text/html"}}}},
  };
}

}  // namespace ptmc::api
