// Collects every problem with a request before answering, so a client fixes them all at once.
// errors::parameter_invalid(violations) makes the envelope: its `param` names the first, its
// message lists each as "param: problem".
#pragma once

#include <string>
#include <vector>

namespace ptmc {

// At most kListed are named; the rest are counted, so a body with thousands of bad items
// still answers a short message.
class Violations {
 public:
  static constexpr size_t kListed = 20;
  // `code` lets a problem with its own documented code (invalid_cursor) keep it.
  void add(std::string param, std::string problem, std::string code = "parameter_invalid") {
    if (items_.size() < kListed) items_.push_back({std::move(param), std::move(problem), std::move(code)});
    ++count_;
  }
  bool empty() const { return count_ == 0; }
  size_t size() const { return count_; }
  const std::string& first_param() const { return items_.front().param; }
  const std::string& first_code() const { return items_.front().code; }
  std::string message() const {
    std::string message;
    for (const auto& item : items_) message += (message.empty() ? "" : "; ") + item.param + ": " + item.problem;
    if (count_ > items_.size()) message += "; and " + std::to_string(count_ - items_.size()) + " more";
    return message;
  }

 private:
  struct Item {
    std::string param;
    std::string problem;
    std::string code;
  };
  std::vector<Item> items_;
  size_t count_ = 0;
};

}  // namespace ptmc
