// Configuration: the Worker's string vars (wrangler.toml [vars], .dev.vars, secrets),
// handed to the module once per instance. Every value is validated where it is read.
#pragma once

#include "wasm/runtime/json.hpp"

#include <map>
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

  std::string docs_url(std::string_view error_code) const;

 private:
  std::map<std::string, std::string, std::less<>> vars_;
};

const Config& config();
void install_config(Config config);

}  // namespace ptmc
