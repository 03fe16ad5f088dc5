#include "common/strings.h"

#include <algorithm>

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

namespace {

// Length of the well-formed UTF-8 sequence starting at `pos` (RFC 3629: no
// overlong forms, no surrogates, nothing above U+10FFFF), or 0 if there is none.
size_t Utf8SequenceLength(std::string_view text, size_t pos) {
  const auto byte = [&](size_t offset) { return static_cast<unsigned char>(text[pos + offset]); };
  const unsigned char lead = byte(0);
  size_t length = 0;
  unsigned char min_second = 0x80;
  unsigned char max_second = 0xBF;
  if (lead < 0x80) {
    return 1;
  } else if (lead >= 0xC2 && lead <= 0xDF) {
    length = 2;
  } else if (lead >= 0xE0 && lead <= 0xEF) {
    length = 3;
    min_second = lead == 0xE0 ? 0xA0 : 0x80;
    max_second = lead == 0xED ? 0x9F : 0xBF;
  } else if (lead >= 0xF0 && lead <= 0xF4) {
    length = 4;
    min_second = lead == 0xF0 ? 0x90 : 0x80;
    max_second = lead == 0xF4 ? 0x8F : 0xBF;
  } else {
    return 0;
  }
  if (pos + length > text.size() || byte(1) < min_second || byte(1) > max_second) {
    return 0;
  }
  for (size_t offset = 2; offset < length; ++offset) {
    if (byte(offset) < 0x80 || byte(offset) > 0xBF) {
      return 0;
    }
  }
  return length;
}

}  // namespace

std::string QuoteUntrusted(std::string_view text, size_t max_bytes) {
  std::string out;
  out.reserve(std::min(text.size(), max_bytes) + 3);
  size_t pos = 0;
  while (pos < text.size()) {
    const size_t length = Utf8SequenceLength(text, pos);
    const size_t emitted = length == 0 ? 1 : length;
    if (out.size() + emitted > max_bytes) {
      out += "...";
      return out;
    }
    if (length == 0) {
      out.push_back('?');
    } else {
      out.append(text.substr(pos, length));
    }
    pos += emitted;
  }
  return out;
}

}  // namespace connectplane::common
