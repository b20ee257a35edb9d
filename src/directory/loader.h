// Loading an area's configuration (area.yaml and services.yaml) into an immutable Area,
// checking every field so a clinical lead's typo is caught with file, line and field.
// Thread-safety: pure functions; the returned Area is immutable and safe to share.
#pragma once

#include <filesystem>
#include <nlohmann/json.hpp>
#include <string_view>

#include "directory/area.h"
#include "domain/status.h"

namespace waymark::directory {

// Reads `area_dir`/area.yaml and `area_dir`/services.yaml.
// Success: the Area, with "all" localities and "any" needs expanded to explicit lists.
// Failure: NotFound naming the path when a file cannot be read; Invalid when a file is not
// valid YAML or a field is wrong. An Invalid message has one line per problem, e.g.
//   services.yaml:42: services[3].eligibility.maxAge: must be an integer 0–25
// and `fields()` has one FieldError per problem (path "services[3].eligibility.maxAge",
// message "services.yaml:42: must be an integer 0–25"). Unknown keys, unknown need, context,
// locality, priority and referral-route codes are rejected by name. Never throws.
Result<Area> LoadArea(const std::filesystem::path& area_dir);

// The same from text already in memory (an upload, a test). File names in messages are
// "area.yaml" and "services.yaml".
Result<Area> ParseArea(std::string_view area_yaml, std::string_view services_yaml);

// A YAML document (services.yaml) as JSON with the same content: maps, lists, whole numbers,
// true/false and text as written (quoted scalars stay text). Directory versions are stored
// this way; since JSON is YAML, ParseArea reads the dumped JSON back and checks it exactly
// as it checks the file. Invalid (naming the line) when the text is not YAML.
Result<nlohmann::json> YamlToJson(std::string_view yaml);

}  // namespace waymark::directory
