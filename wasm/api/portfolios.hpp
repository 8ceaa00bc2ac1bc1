// The portfolio objects, declared once (api/portfolios.cpp).
#pragma once

#include "wasm/schema/object_type.hpp"

namespace ptmc::api {

const schema::ObjectType& portfolio_object();         // a portfolio, with its patent count
const schema::ObjectType& portfolio_patent_object();  // a patent in a portfolio

}  // namespace ptmc::api
