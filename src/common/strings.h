// Small string helpers. Debian's Abseil is built with its own absl::string_view
// (ABSL_OPTION_USE_STD_STRING_VIEW=0), so absl's string utilities do not accept
// std::string_view; project code uses these instead. Pure functions.
#pragma once

#include <iterator>
#include <string>
#include <string_view>
#include <vector>

#include "absl/strings/string_view.h"
#include "fmt/format.h"

namespace connectplane::common {

namespace internal {
inline void AppendPiece(std::string& out, absl::string_view piece) {
  out.append(piece.data(), piece.size());
}
template <typename T>
void AppendPiece(std::string& out, const T& piece) {
  fmt::format_to(std::back_inserter(out), "{}", piece);
}
}  // namespace internal

// Concatenates strings, string views (std and absl) and numbers.
template <typename... Args>
std::string StrCat(const Args&... pieces) {
  std::string out;
  (internal::AppendPiece(out, pieces), ...);
  return out;
}

inline std::string_view ToStd(absl::string_view view) { return {view.data(), view.size()}; }
inline absl::string_view ToAbsl(std::string_view view) { return {view.data(), view.size()}; }

// Splits on `separator`, keeping empty pieces.
std::vector<std::string_view> Split(std::string_view text, char separator);

bool EqualsIgnoreCase(std::string_view a, std::string_view b);

// Client input made safe to quote in an error message (which is serialized
// into a JSON answer and must stay valid UTF-8 and small): every byte that is
// not part of a valid UTF-8 sequence becomes '?', and text longer than
// `max_bytes` is cut on a character boundary and ends in "...".
std::string QuoteUntrusted(std::string_view text, size_t max_bytes = 64);

}  // namespace connectplane::common
