-- wrk script for scripts/bench load: counts responses by status and rate-limit window
-- (x-ratelimit-reset), per thread, and prints "status window count" lines when done.
local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  counts = {}
end

function response(status, headers, body)
  local window = headers["x-ratelimit-reset"] or headers["X-Ratelimit-Reset"] or "-"
  local key = status .. " " .. window
  counts[key] = (counts[key] or 0) + 1
end

function done(summary, latency, requests)
  local total = {}
  for _, thread in ipairs(threads) do
    for key, count in pairs(thread:get("counts")) do
      total[key] = (total[key] or 0) + count
    end
  end
  for key, count in pairs(total) do
    io.write("window ", key, " ", count, "\n")
  end
  io.write("errors ", summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout, "\n")
end
