// Owners' names as canonical entities, resolved by the name-shard Durable Objects.
#pragma once

#include "wasm/runtime/task.hpp"

#include <map>
#include <set>
#include <string>

namespace ptmc::ingest {

// The canonical entities of normalised names, chosen by the name-shard Durable Objects
// (binding ENTITIES, one object per patents::name_shard) and remembered for the run, since
// the same owners recur record after record.
class EntityResolver {
 public:
  struct Entity {
    std::string id, canonical;  // canonical: the normalised name the entity was created under
  };
  // Asks the objects about every name not known yet: all shards in one round trip.
  Task<void> resolve(std::set<std::string> names);
  // A resolved name's entity.
  Entity operator[](const std::string& name) const;

 private:
  static constexpr size_t kMaxKnown = 50'000;  // then forgotten, and asked again
  std::map<std::string, Entity> known_;
};

// The id a name-shard object gives a name that matches no known entity.
std::string new_entity_id(const std::string& normalized_name);

}  // namespace ptmc::ingest
