# Configures, builds and tests one out-of-tree sample against an installed SDK,
# the way a plugin author would. Run by ctest as
#
#   cmake -DSOURCE_DIR=... -DBINARY_DIR=... -DPREFIX_PATH=... -DPLUGIN_DIR=...
#         -DGENERATOR=... [-DMAKE_PROGRAM=...] [-DCXX_COMPILER=...] [-DCONFIG=...]
#         -P build_sample.cmake
#
# PLUGIN_DIR receives the built plugin module (CMAKE_LIBRARY_OUTPUT_DIRECTORY).
foreach(var SOURCE_DIR BINARY_DIR PREFIX_PATH PLUGIN_DIR GENERATOR)
  if(NOT DEFINED ${var} OR "${${var}}" STREQUAL "")
    message(FATAL_ERROR "build_sample.cmake: ${var} is not set")
  endif()
endforeach()
if(NOT CONFIG)
  set(CONFIG RelWithDebInfo)
endif()

set(configure_args
  -S "${SOURCE_DIR}" -B "${BINARY_DIR}" -G "${GENERATOR}"
  "-DCMAKE_PREFIX_PATH=${PREFIX_PATH}"
  "-DCMAKE_BUILD_TYPE=${CONFIG}"
  # A generator expression, so that multi-config generators do not add a
  # per-configuration subdirectory: the module lands in PLUGIN_DIR itself.
  "-DCMAKE_LIBRARY_OUTPUT_DIRECTORY=$<1:${PLUGIN_DIR}>")
if(MAKE_PROGRAM)
  list(APPEND configure_args "-DCMAKE_MAKE_PROGRAM=${MAKE_PROGRAM}")
endif()
if(CXX_COMPILER)
  list(APPEND configure_args "-DCMAKE_CXX_COMPILER=${CXX_COMPILER}")
endif()

function(run step)
  message(STATUS "${step}: ${ARGN}")
  execute_process(COMMAND ${ARGN} RESULT_VARIABLE rc)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "${step} failed (${rc}): ${SOURCE_DIR}")
  endif()
endfunction()

get_filename_component(cmake_bin_dir "${CMAKE_COMMAND}" DIRECTORY)
find_program(CTEST_COMMAND ctest HINTS "${cmake_bin_dir}" NO_DEFAULT_PATH)
if(NOT CTEST_COMMAND)
  find_program(CTEST_COMMAND ctest REQUIRED)
endif()

file(MAKE_DIRECTORY "${PLUGIN_DIR}")
run(configure "${CMAKE_COMMAND}" ${configure_args})
run(build "${CMAKE_COMMAND}" --build "${BINARY_DIR}" --config "${CONFIG}")
run(test "${CTEST_COMMAND}" --test-dir "${BINARY_DIR}" -C "${CONFIG}" --output-on-failure
    --no-tests=error)
