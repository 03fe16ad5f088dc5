# svc_add_library(NAME SRCS ... DEPS ...): one static library per src/<module>/.
# Include paths flow only through target_link_libraries, so an upward include
# (e.g. store including service) fails to compile.
function(svc_add_library name)
  cmake_parse_arguments(ARG "" "" "SRCS;DEPS" ${ARGN})
  add_library(${name} STATIC ${ARG_SRCS})
  target_include_directories(${name} PUBLIC ${PROJECT_SOURCE_DIR}/src)
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
