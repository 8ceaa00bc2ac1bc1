// R2: objects with ranges, heads and listings.
#include "bindings/effect_kinds.hpp"
#include "bindings/native_host/effects.hpp"
#include "bindings/native_host/host.hpp"

#include <zlib.h>

namespace ptmc::native {
namespace {

Json object_info(const std::string& key, const R2Entry& entry) {
  return {{"key", key},
          {"size", entry.body.size()},
          {"etag", entry.etag},
          {"contentType", entry.content_type},
          {"uploaded", entry.uploaded_ms}};
}

// Raw DEFLATE, as the shim's DecompressionStream("deflate-raw"): the inflated bytes, or why not.
std::optional<std::string> inflate_raw(std::string_view compressed, std::string& problem) {
  z_stream stream{};
  if (inflateInit2(&stream, -MAX_WBITS) != Z_OK) {
    problem = "zlib could not start";
    return std::nullopt;
  }
  std::string out;
  char buffer[1 << 16];
  stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(compressed.data()));
  stream.avail_in = static_cast<uInt>(compressed.size());
  int status = Z_OK;
  while (status == Z_OK) {
    stream.next_out = reinterpret_cast<Bytef*>(buffer);
    stream.avail_out = sizeof buffer;
    status = inflate(&stream, Z_NO_FLUSH);
    out.append(buffer, sizeof buffer - stream.avail_out);
    if (status == Z_BUF_ERROR && stream.avail_in == 0) break;  // the input ended mid-stream
  }
  inflateEnd(&stream);
  if (status != Z_STREAM_END) {
    problem = "its data does not inflate (" + std::string(stream.msg ? stream.msg : "the stream ends early") + ")";
    return std::nullopt;
  }
  return out;
}

// The r2.unpack checks, worded as the shim words them.
std::string unpack_problem(const std::string& copy, int64_t size, std::optional<int64_t> crc) {
  if (static_cast<int64_t>(copy.size()) != size)
    return "it holds " + std::string(static_cast<int64_t>(copy.size()) > size ? "more" : "fewer") + " than the " +
           std::to_string(size) + " bytes its directory gives";
  if (!crc) return {};
  uint32_t actual = static_cast<uint32_t>(crc32(0, reinterpret_cast<const Bytef*>(copy.data()), static_cast<uInt>(copy.size())));
  if (actual == static_cast<uint32_t>(*crc)) return {};
  char text[64];
  std::snprintf(text, sizeof text, "(%08x, where its directory gives %08x)", actual, static_cast<uint32_t>(*crc));
  return "it fails its CRC-32 check " + std::string(text);
}

}  // namespace

Json Host::r2_effect(const std::string& kind, const Json& effect, wire::Frame& request, wire::Frame& results) {
  const auto* key = string_field(effect, "key");
  if (kind == effect_kind::r2_get.name || kind == effect_kind::r2_head.name) {
    if (!key) return failed(kind + ": missing key");
    auto it = r2.find(*key);
    if (it == r2.end()) return ok();
    Json info = object_info(*key, it->second);
    if (kind == effect_kind::r2_head.name) return ok(std::move(info));
    const std::string& body = it->second.body;
    int64_t size = static_cast<int64_t>(body.size());
    int64_t offset = 0, length = size;
    if (effect.contains("range")) {
      const Json& range = effect["range"];
      if (auto suffix = integer_field(range, "suffix")) {
        length = std::min(*suffix, size);
        offset = size - length;
      } else {
        offset = integer_field(range, "offset").value_or(0);
        if (offset < 0 || offset > size) return failed("r2.get: range offset outside the object");
        length = std::min(integer_field(range, "length").value_or(size - offset), size - offset);
      }
    }
    info["rangeOffset"] = offset;
    Json entry = ok(std::move(info));
    entry["body"] = results.add_blob(body.substr(static_cast<size_t>(offset), static_cast<size_t>(length)));
    return entry;
  }
  if (kind == effect_kind::r2_put.name) {
    auto body = request.take_blob(effect, "body");
    if (!key || !body) return failed("r2.put: missing key or body");
    R2Entry& entry = r2[*key];
    entry = {std::move(*body), next_etag(etag_counter_), effect.value("contentType", ""), now_ms};
    return ok(object_info(*key, entry));
  }
  if (kind == effect_kind::r2_put_from_url.name) {  // through the outbound handler, as the shim through fetch()
    const auto* url = string_field(effect, "url");
    if (!key || !url) return failed("r2.put_from_url: missing key or url");
    if (!outbound) return failed("r2.put_from_url: network unreachable (no outbound handler set)");
    auto headers = http::Headers::from_json(effect.value("headers", Json::array()));
    if (!headers) return failed("r2.put_from_url: headers are not [[name, value], ...]");
    http::Response response =
        outbound({*url, "GET", std::move(*headers), "", integer_field(effect, "timeoutMs").value_or(10000)});
    if (response.status != 200) return ok({{"status", response.status}});
    // A Content-Length the body falls short of: the test origin's truncated download.
    if (auto length = response.headers.get("content-length"); length && std::to_string(response.body.size()) != *length)
      return ok({{"status", 200},
                 {"problem", "the body ended after " + std::to_string(response.body.size()) + " of the " + std::string(*length) +
                                 " bytes its Content-Length gives"}});
    R2Entry& entry = r2[*key];
    entry = {std::move(response.body), next_etag(etag_counter_), effect.value("contentType", ""), now_ms};
    return ok({{"status", 200}, {"object", object_info(*key, entry)}});
  }
  if (kind == effect_kind::r2_unpack.name) {
    const auto* from = string_field(effect, "from");
    const auto* to = string_field(effect, "to");
    auto offset = integer_field(effect, "offset"), length = integer_field(effect, "length"), size = integer_field(effect, "size");
    if (!from || !to || !offset || !length || !size) return failed("r2.unpack: missing from, to, range or size");
    auto it = r2.find(*from);
    if (it == r2.end()) return ok({{"problem", *from + " is gone"}});
    const std::string& body = it->second.body;
    if (*offset < 0 || *length < 0 || *offset > static_cast<int64_t>(body.size()))
      return failed("r2.unpack: range outside the object");
    std::string_view range = std::string_view(body).substr(static_cast<size_t>(*offset), static_cast<size_t>(*length));
    std::string problem;
    std::optional<std::string> copy = effect.value("deflated", false) ? inflate_raw(range, problem) : std::string(range);
    if (copy) problem = unpack_problem(*copy, *size, integer_field(effect, "crc32"));
    if (!problem.empty()) return ok({{"problem", problem}});
    R2Entry& entry = r2[*to];
    entry = {std::move(*copy), next_etag(etag_counter_), effect.value("contentType", ""), now_ms};
    return ok({{"object", object_info(*to, entry)}});
  }
  if (kind == effect_kind::r2_delete.name) {
    for (const Json& name : effect.value("keys", Json::array()))
      if (name.is_string()) r2.erase(name.get<std::string>());
    return ok();
  }
  if (kind == effect_kind::r2_list.name) {
    auto page = list_page(r2, effect, [](const std::string& name, const R2Entry& entry) { return object_info(name, entry); });
    Json value = {{"objects", std::move(page.items)}, {"truncated", page.more}};
    if (page.more) value["cursor"] = page.cursor;
    return ok(std::move(value));
  }
  return failed("unknown effect kind '" + kind + "'");
}

}  // namespace ptmc::native
