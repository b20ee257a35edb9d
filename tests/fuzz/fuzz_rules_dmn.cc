// libFuzzer target: the DMN reader (XML, item definitions, boxed expressions, FEEL) on
// arbitrary documents.
#include <cstddef>
#include <cstdint>
#include <string>

#include "rules/dmn.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string xml(reinterpret_cast<const char*>(data), size);
  (void)waymark::rules::ModelSet::LoadText(xml);
  return 0;
}
