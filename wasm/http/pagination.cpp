#include "wasm/http/pagination.hpp"

#include "wasm/crypto/crypto.hpp"

#include <algorithm>
#include <vector>

namespace ptmc {
namespace {

struct SigningKey {
  std::string id;  // first 8 hex digits of SHA-256(secret): names the key without revealing it
  std::string secret;
};

SigningKey signing_key(std::string secret) {
  std::string id = crypto::sha256_hex(secret).substr(0, 8);
  return {std::move(id), std::move(secret)};
}

// Current first. Without CURSOR_SECRET, a key derived from the pepper (domain-separated, so
// it reveals nothing about the pepper and signs nothing else).
std::vector<SigningKey> signing_keys(const Config& config) {
  std::vector<SigningKey> keys;
  if (auto current = config.get("CURSOR_SECRET"); !current.empty()) {
    keys.push_back(signing_key(std::string(current)));
    if (auto previous = config.get("CURSOR_SECRET_PREVIOUS"); !previous.empty())
      keys.push_back(signing_key(std::string(previous)));
  } else if (auto pepper = config.get("API_KEY_PEPPER"); !pepper.empty()) {
    keys.push_back(signing_key(std::string(crypto::bytes_of(crypto::hmac_sha256(pepper, "patomic cursor signing v1")))));
  }
  return keys;
}

std::string filter_hash(std::string_view filters) { return crypto::sha256_hex(filters).substr(0, 16); }

}  // namespace

std::string sign_cursor(const Config& config, const Json& sort_key, std::string_view filters) {
  auto keys = signing_keys(config);
  if (keys.empty()) return {};  // unreachable behind authenticate(), which needs the pepper
  std::string payload = dump_json({{"v", 1}, {"kid", keys.front().id}, {"s", sort_key}, {"f", filter_hash(filters)}});
  return crypto::base64url(payload) + "." +
         crypto::base64url(crypto::bytes_of(crypto::hmac_sha256(keys.front().secret, payload)));
}

std::optional<Json> verify_cursor(const Config& config, std::string_view cursor, std::string_view filters) {
  auto dot = cursor.find('.');
  if (dot == std::string_view::npos || cursor.size() > 2048) return std::nullopt;
  auto payload = crypto::base64url_decode(cursor.substr(0, dot));
  auto mac = crypto::base64url_decode(cursor.substr(dot + 1));
  if (!payload || !mac) return std::nullopt;
  std::string problem;
  auto fields = parse_untrusted_json(*payload, problem);  // not yet authenticated
  const auto* kid = fields ? string_field(*fields, "kid") : nullptr;
  if (!kid) return std::nullopt;
  for (const auto& key : signing_keys(config)) {
    if (key.id != *kid) continue;
    if (!crypto::constant_time_equal(*mac, crypto::bytes_of(crypto::hmac_sha256(key.secret, *payload)))) return std::nullopt;
    const auto* hash = string_field(*fields, "f");
    auto sort_key = fields->find("s");
    if ((*fields)["v"] != 1 || !hash || *hash != filter_hash(filters) || sort_key == fields->end() || !sort_key->is_array())
      return std::nullopt;
    return *sort_key;
  }
  return std::nullopt;
}

std::vector<schema::Parameter> page_parameters(std::vector<schema::Parameter> before) {
  using schema::Schema;
  before.push_back(schema::query_param("limit", Schema::integer("How many items to return.").range(1, 100).fallback(50)));
  before.push_back(
      schema::query_param("cursor", Schema::string("The `next_cursor` of the previous page, unchanged.").length(1, 2048)));
  return before;
}

std::string items_list_text(const Json& rows, size_t count, const std::optional<std::string>& next_cursor) {
  std::string out = "{\"object\":\"list\",\"data\":[";
  for (size_t i = 0; i < count; ++i) {
    if (i) out += ',';
    out += rows[i][kItemColumn].get_ref<const std::string&>();
  }
  out += "],\"has_more\":";
  out += next_cursor ? "true,\"next_cursor\":\"" + *next_cursor + "\"}" : "false,\"next_cursor\":null}";
  return out;
}

Json list_example(Json item) {
  return {{"object", "list"}, {"data", Json::array({std::move(item)})}, {"has_more", false}, {"next_cursor", nullptr}};
}

schema::Schema list_of(const std::string& component, std::string description) {
  using schema::Schema;
  return Schema::object(
      {schema::required("object", Schema::string().one_of({"list"})),
       schema::required("data", Schema::array(Schema::ref(component))),
       schema::required("has_more", Schema::boolean("Whether another page follows.")),
       schema::required("next_cursor", Schema::string("Pass as `cursor` for the next page; null on the last.").nullable())},
      std::move(description));
}

bool is_list(const schema::Operation& operation) {
  return std::any_of(operation.parameters.begin(), operation.parameters.end(),
                     [](const schema::Parameter& parameter) { return parameter.name == "cursor"; });
}

Page read_page(const Config& config, std::string_view route, const Json& values, Violations& violations) {
  Page page;
  page.limit = values.value("limit", int64_t(50));
  Json filters = values;
  filters.erase("limit");
  filters.erase("cursor");
  page.filters = std::string(route) + "?" + dump_json(filters);  // a cursor of one list is never valid for another
  if (const auto* cursor = string_field(values, "cursor")) {
    page.after = verify_cursor(config, *cursor, page.filters);
    if (!page.after)
      violations.add("cursor", "is not a cursor this API returned for this list and these filters", "invalid_cursor");
  }
  return page;
}

}  // namespace ptmc
