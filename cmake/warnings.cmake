# One warnings list for every first-party target (STYLE.md rule 20).
set(SVC_WARNINGS -Wall -Wextra -Wshadow -Wnon-virtual-dtor -Wpedantic)
if(CMAKE_CXX_COMPILER_ID MATCHES "Clang")
  list(APPEND SVC_WARNINGS -Wthread-safety)
endif()
if(SVC_SANITIZE)
  add_compile_options(-fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer)
  add_link_options(-fsanitize=address,undefined)
endif()
