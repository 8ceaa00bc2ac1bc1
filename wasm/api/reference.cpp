// The API reference: the OpenAPI document and its HTML page, both public reference data.
#include "wasm/api/handlers.hpp"
#include "wasm/reference/reference.hpp"

namespace ptmc::api {
namespace {

using schema::Schema;

constexpr const char* kPublicCache = "public, max-age=300";

// Rendered once per isolate: the routes are fixed at build time, and the configuration
// changes the reference only through the debug routes and DOCS_BASE_URL (rendering costs
// milliseconds; see docs/benchmarks.md).
struct Rendered {
  std::string key;
  std::string json;
  std::string html;
};

const Rendered& rendered(const Config& config) {
  static Rendered cache;
  std::string key = (config.development_flag("PATOMIC_DEBUG_ROUTES") ? "debug " : "") + config.docs_url("");
  if (cache.json.empty() || cache.key != key) {
    Json document = reference::openapi_document(routes(), components(), config);
    cache = {std::move(key), dump_json(document), reference::html_page(document)};
  }
  return cache;
}

Task<http::Response> openapi_json(RequestContext& context) {
  http::Response response{200, {}, rendered(context.config).json};
  response.headers.set("content-type", "application/json; charset=utf-8");
  response.headers.set("cache-control", kPublicCache);
  co_return response;
}

Task<http::Response> docs_page(RequestContext& context) {
  http::Response response{200, {}, rendered(context.config).html};
  response.headers.set("content-type", "text/html; charset=utf-8");
  response.headers.set("cache-control", kPublicCache);
  response.headers.set("content-security-policy", reference::html_page_policy());
  co_return response;
}

}  // namespace

std::vector<Route> reference_routes() {
  return {
      {"GET",
       "/v1/openapi.json",
       openapi_json,
       {.id = "getOpenApiDocument",
        .tag = "Reference",
        .summary = "The OpenAPI 3.1 document",
        .description = "This API described: every route served, its parameters, bodies, responses and errors, with "
                       "examples. Needs no key.",
        .replies = {{200, "The document.", Schema::any_object("An OpenAPI 3.1 document.")}},
        .needs_key = false}},
      {"GET",
       "/docs",
       docs_page,
       {.id = "getDocs",
        .tag = "Reference",
        .summary = "This reference, as a page",
        .description = "The OpenAPI document rendered as one self-contained HTML page (no script, nothing fetched from "
                       "elsewhere). Every error code has an anchor, `#error-<code>`, which `docs_url` points at.",
        .replies = {{200, "The page.", std::nullopt, {}, "text/html"}},
        .needs_key = false}},
  };
}

}  // namespace ptmc::api
