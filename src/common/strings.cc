#include "common/strings.h"

namespace connectplane::common {

std::vector<std::string_view> Split(std::string_view text, char separator) {
  std::vector<std::string_view> pieces;
  size_t start = 0;
  while (true) {
    size_t end = text.find(separator, start);
    if (end == std::string_view::npos) {
      pieces.push_back(text.substr(start));
      return pieces;
    }
    pieces.push_back(text.substr(start, end - start));
    start = end + 1;
  }
}

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t pos = 0; pos < a.size(); ++pos) {
    char left = a[pos] >= 'A' && a[pos] <= 'Z' ? static_cast<char>(a[pos] + 32) : a[pos];
    char right = b[pos] >= 'A' && b[pos] <= 'Z' ? static_cast<char>(b[pos] + 32) : b[pos];
    if (left != right) return false;
  }
  return true;
}

}  // namespace connectplane::common
