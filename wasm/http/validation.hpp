// Collects every problem with a request before answering, so a client fixes them all at once.
// The envelope's `param` names the first; the message lists each as "param: problem".
#pragma once

#include "wasm/http/errors.hpp"

#include <string>
#include <vector>

namespace ptmc {

class Violations {
 public:
  // `code` lets a problem with its own documented code (invalid_cursor) keep it.
  void add(std::string param, std::string problem, std::string code = "parameter_invalid") {
    items_.push_back({std::move(param), std::move(problem), std::move(code)});
  }
  bool empty() const { return items_.empty(); }
  size_t size() const { return items_.size(); }
  ApiError error() const {
    std::string message;
    for (const auto& item : items_) message += (message.empty() ? "" : "; ") + item.param + ": " + item.problem;
    ApiError error = errors::parameter_invalid(items_.front().param, message);
    error.code = items_.front().code;
    return error;
  }

 private:
  struct Item {
    std::string param;
    std::string problem;
    std::string code;
  };
  std::vector<Item> items_;
};

}  // namespace ptmc
