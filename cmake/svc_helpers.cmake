# svc_add_library(NAME SRCS ... DEPS ...): one static library per src/<module>/.
#
# Layering is enforced by include paths: a library's headers are reachable only
# as "<module>/<file>.h" through an include root that holds its own module and
# nothing else (build/include/<NAME>/<module> is a symbolic link to
# src/<module>). The root is a PUBLIC include directory, so it reaches exactly
# the targets that link the library, directly or through the DEPS of another
# library. A header of a module that is not among a library's DEPS (e.g. store
# including "service/caller.h") is therefore not found: the build fails.
# tests/build/ checks that this stays so.
function(svc_add_library name)
  cmake_parse_arguments(ARG "" "" "SRCS;DEPS" ${ARGN})
  add_library(${name} STATIC ${ARG_SRCS})
  file(RELATIVE_PATH module ${PROJECT_SOURCE_DIR}/src ${CMAKE_CURRENT_SOURCE_DIR})
  set(include_root ${PROJECT_BINARY_DIR}/include/${name})
  get_filename_component(link_parent ${include_root}/${module} DIRECTORY)
  file(MAKE_DIRECTORY ${link_parent})
  file(CREATE_LINK ${CMAKE_CURRENT_SOURCE_DIR} ${include_root}/${module} SYMBOLIC)
  target_include_directories(${name} PUBLIC ${include_root})
  target_link_libraries(${name} PUBLIC ${ARG_DEPS})
  target_compile_options(${name} PRIVATE ${SVC_WARNINGS})
endfunction()

# svc_add_test(NAME SRCS ... DEPS ...): one GoogleTest binary per module.
function(svc_add_test name)
  cmake_parse_arguments(ARG "" "" "SRCS;DEPS" ${ARGN})
  if(NOT ARG_SRCS)
    return()  # a module whose tests are not written yet
  endif()
  add_executable(${name} ${ARG_SRCS})
  target_include_directories(${name} PRIVATE ${PROJECT_SOURCE_DIR}/tests)
  target_link_libraries(${name} PRIVATE ${ARG_DEPS} GTest::gtest GTest::gmock GTest::gtest_main)
  target_compile_options(${name} PRIVATE ${SVC_WARNINGS})
  add_test(NAME ${name} COMMAND ${name})
  set_tests_properties(${name} PROPERTIES ENVIRONMENT
    "CONNECTPLANE_SOURCE_DIR=${PROJECT_SOURCE_DIR};CONNECTPLANE_SHARED_DIR=${PROJECT_SOURCE_DIR}/../shared")
endfunction()
