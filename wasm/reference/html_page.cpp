// Renders the OpenAPI document as one HTML page: no script at all, one inline stylesheet.
#include "wasm/reference/reference.hpp"

#include "wasm/crypto/crypto.hpp"

#include <algorithm>
#include <cctype>

namespace ptmc::reference {
namespace {

constexpr const char* kStyle =
    "body{font:15px/1.5 system-ui,sans-serif;margin:0;display:flex;color:#1c1e21;background:#fff}"
    "nav{width:17rem;flex:none;height:100vh;overflow:auto;position:sticky;top:0;padding:1rem;box-sizing:border-box;"
    "border-right:1px solid #ddd;font-size:13px}nav ul{list-style:none;padding-left:.5rem}"
    "main{max-width:60rem;padding:1rem 2rem}code,pre{font:13px/1.4 ui-monospace,monospace}"
    "pre{background:#f5f6f8;padding:.75rem;overflow:auto;border-radius:4px}"
    "article,section.error{border-top:1px solid #ddd;padding-top:.5rem;margin-top:1.5rem}"
    ".method{font-weight:700;padding:0 .4rem;border-radius:3px;background:#e3ecfa;margin-right:.4rem}"
    "table{border-collapse:collapse;margin:.5rem 0}td,th{border:1px solid #ddd;padding:.25rem .5rem;text-align:left;"
    "vertical-align:top}a{color:#0b57d0}"
    "@media(prefers-color-scheme:dark){body{color:#e3e3e3;background:#16181c}pre{background:#23262b}"
    "nav,article,section.error,td,th{border-color:#333}.method{background:#23344f}a{color:#8ab4f8}}";

// A member of an object, or null (which iterates as empty) when absent. Never a temporary, so
// range-for loops over it are safe.
const Json& field(const Json& object, const char* name) {
  static const Json absent;
  auto found = object.is_object() ? object.find(name) : object.end();
  return object.is_object() && found != object.end() ? *found : absent;
}

}  // namespace

std::string escape_html(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

namespace {

// Escapes, then renders `code` and **strong** spans of the reference's plain text.
std::string inline_text(std::string_view text) {
  std::string out;
  bool in_code = false, in_strong = false;
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '`') {
      out += in_code ? "</code>" : "<code>";
      in_code = !in_code;
    } else if (!in_code && text.substr(i, 2) == "**") {
      out += in_strong ? "</strong>" : "<strong>";
      in_strong = !in_strong;
      ++i;
    } else {
      out += escape_html(text.substr(i, 1));
    }
  }
  if (in_code) out += "</code>";
  if (in_strong) out += "</strong>";
  return out;
}

std::string paragraphs(std::string_view text) {
  std::string out;
  while (!text.empty()) {
    auto end = text.find("\n\n");
    out += "<p>" + inline_text(text.substr(0, end)) + "</p>";
    text = end == std::string_view::npos ? std::string_view() : text.substr(end + 2);
  }
  return out;
}

std::string slug(std::string_view text) {
  std::string out;
  for (char c : text) out += std::isalnum(static_cast<unsigned char>(c)) ? static_cast<char>(std::tolower(c)) : '-';
  return out;
}

std::string pretty(const Json& value) {
  return "<pre>" + escape_html(value.dump(2, ' ', false, Json::error_handler_t::replace)) + "</pre>";
}

// "integer (1 to 100, default 50)", "one of 'live', 'test'", a link for a reference.
std::string type_html(const Json& schema) {
  if (const auto* ref = string_field(schema, "$ref")) {
    std::string name = ref->substr(ref->rfind('/') + 1);
    return "<a href=\"#object-" + escape_html(name) + "\">" + escape_html(name) + "</a>";
  }
  std::string text;
  const Json& type = field(schema, "type");
  bool nullable = false;
  if (type.is_array()) {
    for (const auto& item : type)
      if (item == "null") nullable = true;
      else if (item.is_string()) text = item.get<std::string>();
  } else if (type.is_string()) {
    text = type.get<std::string>();
  } else {
    text = "any";
  }
  text = escape_html(text);
  if (text == "array" && schema.contains("items")) text = "array of " + type_html(schema["items"]);
  std::vector<std::string> notes;
  if (schema.contains("enum")) {
    std::string values;
    for (const auto& value : schema["enum"])
      if (!value.is_null())
        values += (values.empty() ? "" : ", ") + std::string("<code>") + escape_html(value.dump()) + "</code>";
    notes.push_back("one of " + values);
  }
  if (schema.contains("minimum") && schema.contains("maximum"))
    notes.push_back(schema["minimum"].dump() + " to " + schema["maximum"].dump());
  if (schema.contains("maxLength"))
    notes.push_back(std::to_string(schema.value("minLength", 0)) + " to " + schema["maxLength"].dump() + " characters");
  if (schema.contains("default")) notes.push_back("default " + escape_html(schema["default"].dump()));
  if (schema.contains("format")) notes.push_back(escape_html(schema["format"].get<std::string>()));
  if (nullable) notes.push_back("or null");
  for (size_t i = 0; i < notes.size(); ++i) text += (i == 0 ? " (" : "; ") + notes[i];
  return notes.empty() ? text : text + ")";
}

// One row per member, nested members named "parent.child".
void property_rows(const Json& schema, const std::string& prefix, std::string& rows) {
  const Json& properties = field(schema, "properties");
  const Json& required = field(schema, "required");
  for (const auto& [name, member] : properties.items()) {
    bool needed = std::find(required.begin(), required.end(), name) != required.end();
    rows += "<tr><td><code>" + escape_html(prefix + name) + "</code></td><td>" + type_html(member) + "</td><td>" +
            (needed ? "required" : "optional") + "</td><td>" + inline_text(member.value("description", "")) + "</td></tr>";
    if (member.contains("properties")) property_rows(member, prefix + name + ".", rows);
  }
}

std::string properties_table(const Json& schema) {
  std::string rows;
  property_rows(schema, "", rows);
  if (rows.empty())
    return "<p>" + type_html(schema) +
           (schema.contains("description") ? ": " + inline_text(schema["description"].get<std::string>()) : "") + "</p>";
  return "<table><tr><th>Name</th><th>Type</th><th></th><th>Description</th></tr>" + rows + "</table>";
}

// A parameter, or the shared one it refers to ("#/components/parameters/IdempotencyKey").
const Json& resolve_parameter(const Json& parameter, const Json& document) {
  const auto* ref = string_field(parameter, "$ref");
  if (!ref) return parameter;
  auto found = field(field(document, "components"), "parameters").find(ref->substr(ref->rfind('/') + 1));
  return found != field(field(document, "components"), "parameters").end() ? *found : parameter;
}

std::string operation_html(const std::string& path, const std::string& method, const Json& operation, const Json& document) {
  std::string id = operation.value("operationId", "");
  std::string out = "<article id=\"" + escape_html(id) + "\"><h3><span class=\"method\">" +
                    escape_html(http::upper_ascii(method)) + "</span><code>" + escape_html(path) + "</code> — " +
                    escape_html(operation.value("summary", "")) + "</h3>";
  out += paragraphs(operation.value("description", ""));
  out += field(operation, "security").empty() ? "<p>No API key needed.</p>" : "<p>Needs an API key.</p>";
  std::string rows;
  for (const auto& declared : field(operation, "parameters")) {
    const Json& parameter = resolve_parameter(declared, document);
    rows += "<tr><td><code>" + escape_html(parameter.value("name", "")) + "</code></td><td>" +
            escape_html(parameter.value("in", "")) + "</td><td>" + type_html(field(parameter, "schema")) + "</td><td>" +
            (parameter.value("required", false) ? "required" : "optional") + "</td><td>" +
            inline_text(parameter.value("description", "")) + "</td></tr>";
  }
  if (!rows.empty())
    out += "<h4>Parameters</h4><table><tr><th>Name</th><th>In</th><th>Type</th><th></th><th>Description</th></tr>" + rows +
           "</table>";
  if (operation.contains("requestBody")) {
    const Json& content = field(field(operation, "requestBody"), "content");
    for (const auto& [type, media] : content.items())
      out += "<h4>Body (<code>" + escape_html(type) + "</code>)</h4>" + properties_table(field(media, "schema"));
  }
  out += "<h4>Responses</h4>";
  std::string errors;
  for (const auto& [status, response] : field(operation, "responses").items()) {
    bool failure = status.front() >= '4';
    if (failure) {
      for (const auto& [type, media] : field(response, "content").items())
        for (const auto& [code, example] : field(media, "examples").items())
          errors += "<li><a href=\"#error-" + escape_html(code) + "\"><code>" + escape_html(code) + "</code></a> " +
                    escape_html(status) + "</li>";
      continue;
    }
    out += "<p><strong>" + escape_html(status) + "</strong> " + inline_text(response.value("description", "")) + "</p>";
    for (const auto& [type, media] : field(response, "content").items()) {
      if (media.contains("schema")) out += properties_table(media["schema"]);
      if (media.contains("example")) out += pretty(media["example"]);
    }
  }
  if (!errors.empty()) out += "<h4>Errors</h4><ul>" + errors + "</ul>";
  return out + "</article>";
}

}  // namespace

std::string html_page(const Json& document) {
  const Json& info = field(document, "info");
  std::string title = info.value("title", "API") + " " + info.value("version", "");
  std::string nav, body;
  for (const auto& tag : field(document, "tags")) {
    std::string name = tag.value("name", "");
    nav += "<li><a href=\"#tag-" + slug(name) + "\">" + escape_html(name) + "</a><ul>";
    body += "<section id=\"tag-" + slug(name) + "\"><h2>" + escape_html(name) + "</h2>";
    for (const auto& [path, methods] : field(document, "paths").items())
      for (const char* method : {"get", "post", "put", "patch", "delete"}) {  // paths sort; methods read better in this order
        const Json& operation = field(methods, method);
        if (field(operation, "tags") != Json::array({name})) continue;
        std::string id = operation.value("operationId", "");
        nav += "<li><a href=\"#" + escape_html(id) + "\">" + escape_html(operation.value("summary", id)) + "</a></li>";
        body += operation_html(path, method, operation, document);
      }
    nav += "</ul></li>";
    body += "</section>";
  }
  nav += "<li><a href=\"#objects\">Objects</a></li><li><a href=\"#errors\">Errors</a></li>";
  body += "<section id=\"objects\"><h2>Objects</h2>";
  for (const auto& [name, schema] : field(field(document, "components"), "schemas").items())
    body += "<article id=\"object-" + escape_html(name) + "\"><h3>" + escape_html(name) + "</h3>" +
            paragraphs(schema.value("description", "")) + properties_table(schema) + "</article>";
  body += "</section><section id=\"errors\"><h2>Errors</h2>";
  for (const auto& error : field(document, "x-error-codes")) {
    std::string code = error.value("code", "");
    body += "<section class=\"error\" id=\"error-" + escape_html(code) + "\"><h3><code>" + escape_html(code) + "</code> — " +
            error.value("status", Json(0)).dump() + ", <code>" + escape_html(error.value("type", "")) + "</code></h3>" +
            paragraphs(error.value("description", "")) + pretty(field(error, "example")) + "</section>";
  }
  body += "</section>";
  return "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" "
         "content=\"width=device-width,initial-scale=1\"><title>" +
         escape_html(title) + "</title><style>" + kStyle + "</style></head><body><nav><strong>" + escape_html(title) +
         "</strong><ul>" + nav + "</ul></nav><main><h1>" + escape_html(title) + "</h1>" +
         paragraphs(info.value("description", "")) + body + "</main></body></html>";
}

std::string html_page_policy() {
  // CSP hashes are standard base64 with padding; base64url differs only in two letters and padding.
  std::string hash = crypto::base64url(crypto::bytes_of(crypto::sha256(kStyle)));
  for (char& c : hash) c = c == '-' ? '+' : c == '_' ? '/' : c;
  while (hash.size() % 4) hash += '=';
  return "default-src 'none'; style-src 'sha256-" + hash + "'; frame-ancestors 'none'";
}

}  // namespace ptmc::reference
