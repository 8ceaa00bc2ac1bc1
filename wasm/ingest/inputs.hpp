// A job's inputs: the day's files as the USPTO publishes them, each ZIP archive replaced by its
// entries (inflated once by the host into staging objects, which a retried attempt finds and
// reuses), and every file checked to be of its source's format before a row is written.
#pragma once

#include "bindings/r2.hpp"
#include "wasm/ingest/allowance.hpp"
#include "wasm/ingest/jobs.hpp"
#include "wasm/runtime/task.hpp"

#include <string>
#include <string_view>
#include <vector>

namespace ptmc::ingest {

// What the format check reads of each file.
inline constexpr int64_t kHeadBytes = 64 << 10;
// R2 takes at most this much in one put (an entry is staged in one).
inline constexpr int64_t kMaxStagedBytes = 4'995LL << 20;

struct Inputs {
  std::vector<r2::ObjectInfo> files;  // in load order
  std::string problem;                // when set, the job fails with it and loads nothing
  bool complete = true;               // false: the allowance ran out between two entries staged
};

// `files` in key order; entries are staged under `staging` (one prefix per job), as many as
// `allowance` lets this invocation stage; a later one finds them staged and goes on.
Task<Inputs> prepare_inputs(const Source& source, std::string staging, std::vector<r2::ObjectInfo> files, Allowance& allowance);
// Deletes a job's staging objects, once it has succeeded or failed for good.
Task<void> remove_staged(std::string staging);

// Why the first bytes of a file (`head`, up to kHeadBytes; `whole` when that is all of it)
// are not of the source's format, or empty when they are.
std::string format_problem(const Source& source, std::string_view head, bool whole);

}  // namespace ptmc::ingest
