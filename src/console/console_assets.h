// The web console's static files (console/ in the source tree), embedded in the
// binary at build time by cmake/embed_assets.cmake: no files on disk and no CDN
// at run time. Immutable data; safe for concurrent use.
#pragma once

#include <span>
#include <string_view>

namespace connectplane::console {

struct Asset {
  std::string_view name;          // file name, e.g. "index.html"
  std::string_view content_type;  // e.g. "text/html; charset=utf-8"
  std::string_view body;
};

// The asset named `name`, or nullptr.
const Asset* FindAsset(std::string_view name);
std::span<const Asset> AllAssets();

}  // namespace connectplane::console
