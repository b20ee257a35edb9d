// Reads the embedded migration files and orders them by number.
#include "store/migrations.h"

#include <algorithm>
#include <map>

namespace waymark {
const std::map<std::string, std::string_view>& EmbeddedFiles();
}

namespace waymark::store {

std::vector<Migration> Migrations() {
  std::vector<Migration> out;
  const std::string prefix = "src/store/migrations/";
  for (const auto& [path, text] : EmbeddedFiles()) {
    if (path.rfind(prefix, 0) != 0) continue;
    std::string file = path.substr(prefix.size());
    auto underscore = file.find('_');
    if (underscore == std::string::npos) continue;
    out.push_back({std::stoi(file.substr(0, underscore)),
                   file.substr(underscore + 1, file.size() - underscore - 5), text});
  }
  std::sort(out.begin(), out.end(),
            [](const Migration& a, const Migration& b) { return a.version < b.version; });
  return out;
}

}  // namespace waymark::store
