// wasm/schema: every validation branch, and parameters parsed from text.
#include "wasm/schema/operation.hpp"

#include <catch2/catch.hpp>

using namespace ptmc;
using schema::Schema;

namespace {

// "param: problem" for each violation, in order.
std::vector<std::string> problems(const Schema& schema, const Json& value, const schema::Components* components = nullptr) {
  Violations violations;
  schema.check(value, "body", violations, components);
  if (violations.empty()) return {};
  std::vector<std::string> out;
  std::string message = violations.message();
  for (size_t start = 0; start <= message.size();) {
    auto end = message.find("; ", start);
    out.push_back(message.substr(start, end - start));
    if (end == std::string::npos) break;
    start = end + 2;
  }
  return out;
}

const Schema kKey = Schema::object(
    {schema::required("name", Schema::string().length(1, 5)), schema::optional("mode", Schema::string().one_of({"live", "test"})),
     schema::optional("limit", Schema::integer().range(1, 100)), schema::optional("active", Schema::boolean()),
     schema::optional("tags", Schema::array(Schema::string().length(0, 3))),
     schema::optional("owner", Schema::object({schema::required("id", Schema::integer())})),
     schema::optional("note", Schema::string().nullable()), schema::optional("detail", Schema::any_object())});

}  // namespace

TEST_CASE("a valid value has no violations", "[schema]") {
  CHECK(problems(kKey, {{"name", "abc"},
                        {"mode", "test"},
                        {"limit", 100},
                        {"active", false},
                        {"tags", {"a", "bcd"}},
                        {"owner", {{"id", 7}}},
                        {"note", nullptr},
                        {"detail", {{"anything", {1, 2}}}}})
            .empty());
  CHECK(problems(kKey, {{"name", "a"}}).empty());
}

TEST_CASE("every violation is reported, each with its param path", "[schema]") {
  auto found = problems(kKey, {{"mode", "prod"},
                               {"limit", 0},
                               {"active", "yes"},
                               {"tags", {"ok", "long", 3}},
                               {"owner", {{"id", "x"}, {"extra", 1}}},
                               {"color", "red"}});
  CHECK(found == std::vector<std::string>{
                     "color: is not a parameter of this endpoint",
                     "name: is required",
                     "mode: must be one of 'live', 'test'",
                     "limit: must be an integer from 1 to 100",
                     "active: must be true or false",
                     "tags[1]: must be a string of at most 3 characters",
                     "tags[2]: must be a string of at most 3 characters",
                     "owner[extra]: is not a parameter of this endpoint",
                     "owner[id]: must be an integer",
                 });
}

TEST_CASE("types, lengths and ranges are checked at both ends", "[schema]") {
  CHECK(problems(kKey, {{"name", ""}}) == std::vector<std::string>{"name: must be a string of 1 to 5 characters"});
  CHECK(problems(kKey, {{"name", "toolong"}}) == std::vector<std::string>{"name: must be a string of 1 to 5 characters"});
  CHECK(problems(kKey, {{"name", 5}}) == std::vector<std::string>{"name: must be a string of 1 to 5 characters"});
  CHECK(problems(kKey, {{"name", "a"}, {"limit", 101}}) == std::vector<std::string>{"limit: must be an integer from 1 to 100"});
  CHECK(problems(kKey, {{"name", "a"}, {"limit", 1.5}}) == std::vector<std::string>{"limit: must be an integer from 1 to 100"});
  CHECK(problems(kKey, {{"name", "a"}, {"limit", 18446744073709551615ull}}) ==
        std::vector<std::string>{"limit: must be an integer from 1 to 100"});
  CHECK(problems(Schema::integer(), 9223372036854775808ull) == std::vector<std::string>{"body: must be an integer"});
  CHECK(problems(kKey, {{"name", "a"}, {"tags", "a"}}) == std::vector<std::string>{"tags: must be an array"});
  CHECK(problems(kKey, {{"name", "a"}, {"owner", nullptr}}) == std::vector<std::string>{"owner: must be a JSON object"});
  CHECK(problems(kKey, {{"name", "a"}, {"note", 1}}) == std::vector<std::string>{"note: must be a string"});
  CHECK(problems(kKey, {{"name", "a"}, {"detail", {1}}}) == std::vector<std::string>{"detail: must be a JSON object"});
  CHECK(problems(kKey, Json::array()) == std::vector<std::string>{"body: must be a JSON object"});
}

TEST_CASE("references resolve through the components, and an undeclared one is a violation", "[schema]") {
  schema::Components components;
  components.emplace("Owner", Schema::object({schema::required("id", Schema::integer())}));
  auto list = Schema::array(Schema::ref("Owner"));
  CHECK(problems(list, {{{"id", 1}}}, &components).empty());
  CHECK(problems(list, {{{"id", "1"}}}, &components) == std::vector<std::string>{"body[0][id]: must be an integer"});
  CHECK(problems(Schema::ref("Nope"), 1, &components) == std::vector<std::string>{"body: has an undeclared schema 'Nope'"});
}

TEST_CASE("the JSON Schema of a declaration states its constraints", "[schema]") {
  Json json = kKey.to_json();
  CHECK(json["type"] == "object");
  CHECK(json["additionalProperties"] == false);
  CHECK(json["required"] == Json::array({"name"}));
  CHECK(json["properties"]["name"] == Json{{"type", "string"}, {"minLength", 1}, {"maxLength", 5}});
  CHECK(json["properties"]["mode"]["enum"] == Json::array({"live", "test"}));
  CHECK(json["properties"]["limit"]["minimum"] == 1);
  CHECK(json["properties"]["tags"]["items"]["maxLength"] == 3);
  CHECK(json["properties"]["note"]["type"] == Json::array({"string", "null"}));
  CHECK_FALSE(json["properties"]["detail"].contains("additionalProperties"));
  CHECK(Schema::ref("Owner").to_json() == Json{{"$ref", "#/components/schemas/Owner"}});
}

TEST_CASE("query and path values are parsed from text, typed, with defaults", "[schema]") {
  schema::Operation operation{
      .id = "t",
      .parameters = {schema::path_param("id", Schema::string().length(1, 4)),
                     schema::query_param("limit", Schema::integer().range(1, 100).fallback(50)),
                     schema::query_param("all", Schema::boolean()), schema::query_param("q", Schema::string().length(1, 8))}};
  Violations violations;
  auto values = schema::check_request(operation, {{"id", "k1"}}, "all=true&q=a%20b", nullptr, violations);
  CHECK(violations.empty());
  CHECK(values == Json{{"id", "k1"}, {"limit", 50}, {"all", true}, {"q", "a b"}});

  Violations bad;  // the valid values still come back, for rules that check across parameters
  CHECK(schema::check_request(operation, {}, "limit=1e2&all=yes&q=&limit=3&x=1&q=ok", nullptr, bad) == Json::object());
  CHECK(schema::check_request(operation, {{"id", "k2"}}, "all=yes&q=ok", nullptr, bad) ==
        Json{{"id", "k2"}, {"limit", 50}, {"q", "ok"}});
  bad = Violations();
  schema::check_request(operation, {}, "limit=1e2&all=yes&q=&limit=3&x=1", nullptr, bad);
  CHECK(bad.message() ==
        "limit: is given more than once; x: is not a parameter of this endpoint; id: is required; "
        "limit: must be an integer from 1 to 100; all: must be true or false; q: must be a string of 1 to 8 characters");
  CHECK(bad.first_param() == "limit");
}

TEST_CASE("a violation list names the first 20 problems and counts the rest", "[schema]") {
  Violations violations;
  Json numbers = Json::array();
  for (int i = 0; i < 100; ++i) numbers.push_back(i);
  Schema::array(Schema::string()).check(numbers, "names", violations);
  CHECK(violations.size() == 100);
  std::string message = violations.message();
  CHECK(message.find("names[19]: must be a string; and 80 more") != std::string::npos);
  CHECK(message.find("names[20]") == std::string::npos);
}
