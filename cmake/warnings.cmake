# One warnings list for every first-party target (STYLE.md rule 20).
set(SVC_WARNINGS -Wall -Wextra -Wshadow -Wnon-virtual-dtor -Wpedantic)
if(CMAKE_CXX_COMPILER_ID MATCHES "Clang")
  list(APPEND SVC_WARNINGS -Wthread-safety)
endif()
if(SVC_SANITIZE)
  add_compile_options(-fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer)
  add_link_options(-fsanitize=address,undefined)
endif()
# ThreadSanitizer build of the whole tree (scripts/sanitize.sh tsan). Cannot be
# combined with SVC_SANITIZE: ASan and TSan are mutually exclusive runtimes.
option(SVC_TSAN "Build with ThreadSanitizer" OFF)
if(SVC_TSAN)
  if(SVC_SANITIZE)
    message(FATAL_ERROR "SVC_TSAN and SVC_SANITIZE cannot be combined")
  endif()
  add_compile_options(-fsanitize=thread -fno-omit-frame-pointer)
  add_link_options(-fsanitize=thread)
endif()
# libFuzzer builds (fuzz/, clang only): coverage instrumentation for every
# library so the fuzzers see inside the code under test; fuzz/ links the driver.
if(SVC_BUILD_FUZZ)
  add_compile_options(-fsanitize=fuzzer-no-link)
endif()
