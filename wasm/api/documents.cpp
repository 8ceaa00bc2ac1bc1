// A patent's stored documents (/v1/patents/{number}/fulltext and /pdf), streamed from R2.
#include "bindings/r2.hpp"
#include "wasm/api/handlers.hpp"
#include "wasm/api/patents.hpp"
#include "wasm/config/config.hpp"
#include "wasm/http/range.hpp"
#include "wasm/patents/documents.hpp"

#include <variant>

namespace ptmc::api {
namespace {

using schema::Schema;

constexpr int64_t kPdfTimeoutMs = 30'000;

// A PDF not stored yet: fetched from PDF_ORIGIN_US ({number} filled in) into R2, streamed by the
// host, and kept; answers its object, or the error that says why there is none.
Task<std::variant<r2::ObjectInfo, ApiError>> fetch_pdf(const std::string& number, const std::string& key) {
  auto url = config().origin_url("PDF_ORIGIN_US", {{"{number}", number}});
  ApiError missing = errors::resource_missing("PDF", number);
  if (!url) {
    missing.message += " None is stored, and no PDF origin is configured (PDF_ORIGIN_US).";
    co_return missing;
  }
  auto fetched = co_await r2::put_from_url(*url, {}, key, kPdfTimeoutMs, "application/pdf").checked();
  if (!fetched.ok()) co_return errors::service_unavailable("the PDF origin");
  auto download = fetched.take();
  if (download.object) co_return *download.object;
  if (download.status == 404 || download.status == 410) {
    missing.message += " The PDF origin has none (it answered " + std::to_string(download.status) + ").";
    co_return missing;
  }
  co_return errors::service_unavailable("the PDF origin");
}

// A stored document, streamed from R2 by the host (the module never holds it), with ETag,
// If-None-Match (by conditional_get), Range and If-Range. One round trip: the object's head
// (and, for a PDF not stored yet, its download).
Task<http::Response> serve_document(RequestContext& context, std::string_view file, const char* what) {
  std::string number = canonical_number(context);
  std::string key = patents::document_key(number, file);
  auto info = co_await r2::head(key);
  if (!info && file == patents::kPdfFile) {
    auto fetched = co_await fetch_pdf(number, key);
    if (const auto* error = std::get_if<ApiError>(&fetched)) co_return context.fail(*error);
    info = std::get<r2::ObjectInfo>(fetched);
  }
  if (!info) co_return context.fail(errors::resource_missing(what, number));
  std::string etag = "\"" + info->etag + "\"";
  auto range = context.request.headers.get("range");
  if (auto if_range = context.request.headers.get("if-range"); if_range && *if_range != etag) range.reset();  // changed since
  auto selection = http::select_range(range, info->size);
  if (selection.kind == http::RangeSelection::Kind::unsatisfiable) {
    http::Response refused = context.fail(errors::range_not_satisfiable(info->size));
    refused.headers.set("content-range", "bytes */" + std::to_string(info->size));
    co_return refused;
  }
  http::Response response{200, {}, ""};
  response.headers.set("content-type", info->content_type.empty() ? "application/octet-stream" : info->content_type);
  response.headers.set("etag", etag);
  response.headers.set("accept-ranges", "bytes");
  // Private: the answer needed a key (and carries its rate-limit headers), so no shared cache may
  // keep it for others; the key holder may, as the document changes only with a new version.
  response.headers.set("cache-control", "private, max-age=86400");
  const auto& bytes = selection.range;
  if (selection.kind == http::RangeSelection::Kind::partial) {
    response.status = 206;
    response.headers.set("content-range", "bytes " + std::to_string(bytes.offset) + "-" +
                                              std::to_string(bytes.offset + bytes.length - 1) + "/" + std::to_string(info->size));
  }
  if (bytes.length > 0) response.blob = http::BlobBody{info->key, bytes.offset, bytes.length, info->etag};
  co_return response;
}

Task<http::Response> get_fulltext(RequestContext& context) {
  co_return co_await serve_document(context, patents::kFullTextFile, "full text");
}

Task<http::Response> get_pdf(RequestContext& context) { co_return co_await serve_document(context, patents::kPdfFile, "PDF"); }

Route document_route(std::string_view pattern, Handler handler, std::string id, std::string summary, std::string type,
                     std::string_view source) {
  return Route{
      "GET",
      pattern,
      handler,
      {.id = std::move(id),
       .tag = "Patents",
       .summary = std::move(summary),
       .description = std::string(source) +
                      " Streamed from storage. `Range: bytes=START-END`, `bytes=START-` and `bytes=-LAST` answer "
                      "206 with `Content-Range`; a range past the end answers 416 with `Content-Range: bytes "
                      "*/SIZE`. `If-Range` with a stale ETag, a malformed `Range` or several ranges answer the "
                      "whole document.",
       .parameters = with_number(),
       .replies = {{200, "The whole document.", std::nullopt, {}, type}, {206, "The requested range.", std::nullopt, {}, type}},
       .errors = {"resource_missing", "range_not_satisfiable", "object_changed", "service_unavailable"},
       .rules = number_rules}};
}

}  // namespace

std::vector<Route> document_routes() {
  return {
      document_route("/v1/patents/{number}/fulltext", get_fulltext, "getPatentFulltext", "A patent's full text (XML)",
                     "application/xml",
                     "The document as the USPTO published it, from its XML declaration to its end tag, written when its "
                     "file was loaded."),
      document_route("/v1/patents/{number}/pdf", get_pdf, "getPatentPdf", "A patent's PDF", "application/pdf",
                     "Fetched from the configured PDF origin on the first request and kept; without an origin, a PDF "
                     "not stored answers 404 saying so."),
  };
}

}  // namespace ptmc::api
