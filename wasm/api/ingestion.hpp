// The ingestion objects: a job (one source's files for one day) and a record it skipped.
#pragma once

#include "wasm/schema/object_type.hpp"

namespace ptmc::api {

const schema::ObjectType& ingestion_job_object();
const schema::ObjectType& ingestion_error_object();

}  // namespace ptmc::api
