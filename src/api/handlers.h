// Handler functions by resource, registered in routes.cc.
#pragma once

#include "api/app.h"

namespace waymark::api {

http::Response ListServices(AppContext& ctx, http::Request& req);
http::Response GetService(AppContext& ctx, http::Request& req);
http::Response GetArea(AppContext& ctx, http::Request& req);

}  // namespace waymark::api
