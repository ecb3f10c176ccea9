// core/ids.cc — random record ids (see ids.h for why text and why not for secrets).
#include "core/ids.h"

#include <mutex>
#include <random>

namespace trellis {

std::string NewId(std::string_view prefix) {
  static std::mutex mu;
  static std::mt19937_64 rng{std::random_device{}()};
  uint64_t hi, lo;
  {
    std::lock_guard<std::mutex> lock(mu);
    hi = rng();
    lo = rng();
  }
  static constexpr char kHex[] = "0123456789abcdef";
  std::string id(prefix);
  id.push_back('_');
  for (int i = 0; i < 4; ++i) id.push_back(kHex[(hi >> (60 - 4 * i)) & 0xF]);
  for (int i = 0; i < 16; ++i) id.push_back(kHex[(lo >> (60 - 4 * i)) & 0xF]);
  return id;
}

}  // namespace trellis
