// Configuration: the Worker's string vars (wrangler.toml [vars], .dev.vars, secrets),
// handed to the module when it is configured (once per instance on workerd). Every value is validated where it is read.
#pragma once

#include "wasm/runtime/json.hpp"

#include <cstdint>
#include <initializer_list>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace ptmc {

class Config {
 public:
  // Non-string values are ignored: the shim passes only string vars.
  static Config from_json(const Json& vars);

  std::string_view get(std::string_view name, std::string_view fallback = {}) const;
  bool flag(std::string_view name) const;  // "true" or "1"
  // A development setting (PATOMIC_DEBUG_ROUTES, WEBHOOK_ALLOW_LOCAL_URLS): flag(name), honoured
  // only where ENVIRONMENT is development or test, so that a deployment can never turn one on.
  bool development_flag(std::string_view name) const;
  std::vector<std::string> list(std::string_view name) const;  // comma-separated, trimmed
  // A whole-number setting: `fallback` when unset; nullopt when malformed or out of [low, high].
  struct Number {
    std::string_view name;
    int64_t fallback, low, high;
    std::string describe() const;  // "NAME (low..high)", for the error that names it
  };
  std::optional<int64_t> number(const Number& setting) const;

  std::string docs_url(std::string_view error_code) const;

  // An origin's URL: the var `name` (else `fallback_name`) as an http(s) template with each
  // placeholder ("{number}") replaced by its value; nullopt when it holds no http(s) URL, which
  // turns that origin off.
  using Placeholders = std::initializer_list<std::pair<std::string_view, std::string_view>>;
  std::optional<std::string> origin_url(std::string_view name, Placeholders placeholders,
                                        std::string_view fallback_name = {}) const;

 private:
  std::map<std::string, std::string, std::less<>> vars_;
};

const Config& config();
void install_config(Config config);

}  // namespace ptmc
