// The webhook objects, declared once (api/webhooks.cpp).
#pragma once

#include "wasm/schema/object_type.hpp"

namespace ptmc::api {

const schema::ObjectType& webhook_endpoint_object();  // where an organisation's events go
const schema::ObjectType& webhook_attempt_object();   // one delivery attempt

}  // namespace ptmc::api
