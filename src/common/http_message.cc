#include "common/http_message.h"

#include "common/strings.h"

namespace connectplane::common {
namespace {

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::optional<std::string_view> FindHeader(const HeaderList& headers, std::string_view name) {
  for (const auto& [key, value] : headers) {
    if (EqualsIgnoreCase(key, name)) {
      return std::string_view(value);
    }
  }
  return std::nullopt;
}

}  // namespace

std::optional<std::string_view> HttpRequest::Header(std::string_view name) const {
  return FindHeader(headers, name);
}

std::string_view HttpRequest::Path() const {
  std::string_view view(target);
  size_t query_pos = view.find('?');
  return query_pos == std::string_view::npos ? view : view.substr(0, query_pos);
}

std::string_view HttpRequest::RawQuery() const {
  std::string_view view(target);
  size_t query_pos = view.find('?');
  return query_pos == std::string_view::npos ? std::string_view() : view.substr(query_pos + 1);
}

void HttpResponse::SetHeader(std::string name, std::string value) {
  for (auto& [key, existing] : headers) {
    if (EqualsIgnoreCase(key, name)) {
      existing = std::move(value);
      return;
    }
  }
  headers.emplace_back(std::move(name), std::move(value));
}

std::optional<std::string_view> HttpResponse::Header(std::string_view name) const {
  return FindHeader(headers, name);
}

std::optional<std::string> PercentDecode(std::string_view in) {
  std::string out;
  out.reserve(in.size());
  for (size_t pos = 0; pos < in.size(); ++pos) {
    if (in[pos] != '%') {
      out.push_back(in[pos]);
      continue;
    }
    if (pos + 2 >= in.size()) {
      return std::nullopt;
    }
    int high = HexValue(in[pos + 1]);
    int low = HexValue(in[pos + 2]);
    if (high < 0 || low < 0) {
      return std::nullopt;
    }
    out.push_back(static_cast<char>(high * 16 + low));
    pos += 2;
  }
  return out;
}

std::optional<std::vector<std::pair<std::string, std::string>>> ParseQuery(std::string_view raw) {
  std::vector<std::pair<std::string, std::string>> params;
  for (std::string_view part : Split(raw, '&')) {
    if (part.empty()) {
      continue;
    }
    size_t eq = part.find('=');
    std::string_view key = eq == std::string_view::npos ? part : part.substr(0, eq);
    std::string_view value = eq == std::string_view::npos ? std::string_view() : part.substr(eq + 1);
    auto decoded_key = PercentDecode(key);
    auto decoded_value = PercentDecode(value);
    if (!decoded_key || !decoded_value) {
      return std::nullopt;
    }
    params.emplace_back(std::move(*decoded_key), std::move(*decoded_value));
  }
  return params;
}

std::vector<std::string_view> SplitPath(std::string_view path) {
  std::vector<std::string_view> segments = Split(path, '/');
  if (!segments.empty() && segments.front().empty()) {
    segments.erase(segments.begin());
  }
  return segments;
}

}  // namespace connectplane::common
