#include "wasm/config/config.hpp"

#include "wasm/http/message.hpp"

#include <charconv>

namespace ptmc {
namespace {
Config installed;

}  // namespace

Config Config::from_json(const Json& vars) {
  Config config;
  if (!vars.is_object()) return config;
  for (const auto& [name, value] : vars.items())
    if (value.is_string()) config.vars_.emplace(name, value.get<std::string>());
  return config;
}

std::string_view Config::get(std::string_view name, std::string_view fallback) const {
  auto it = vars_.find(name);
  return it == vars_.end() ? fallback : std::string_view(it->second);
}

bool Config::flag(std::string_view name) const {
  auto value = get(name);
  return value == "true" || value == "1";
}

bool Config::development_flag(std::string_view name) const {
  auto environment = get("ENVIRONMENT");
  return (environment == "development" || environment == "test") && flag(name);
}

std::vector<std::string> Config::list(std::string_view name) const {
  std::vector<std::string> items;
  std::string_view rest = get(name);
  while (!rest.empty()) {
    auto item = http::trim_ows(http::take_until(rest, ','));
    if (!item.empty()) items.emplace_back(item);
  }
  return items;
}

std::string Config::Number::describe() const {
  return std::string(name) + " (" + std::to_string(low) + ".." + std::to_string(high) + ")";
}

std::optional<int64_t> Config::number(const Number& setting) const {
  std::string_view text = get(setting.name);
  if (text.empty()) return setting.fallback;
  int64_t value = 0;
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size() || value < setting.low || value > setting.high)
    return std::nullopt;
  return value;
}

std::string Config::docs_url(std::string_view error_code) const {
  std::string base(get("DOCS_BASE_URL", "https://api.patomic.dev/docs"));
  return base + "#error-" + std::string(error_code);
}

std::optional<std::string> Config::origin_url(std::string_view name, Placeholders placeholders,
                                              std::string_view fallback_name) const {
  std::string url(get(name, fallback_name.empty() ? std::string_view() : get(fallback_name)));
  if (url.rfind("http://", 0) != 0 && url.rfind("https://", 0) != 0) return std::nullopt;
  for (auto [placeholder, value] : placeholders)
    for (size_t at = url.find(placeholder); at != std::string::npos; at = url.find(placeholder, at + value.size()))
      url.replace(at, placeholder.size(), value);
  return url;
}

const Config& config() { return installed; }
void install_config(Config config) { installed = std::move(config); }

}  // namespace ptmc
