# plugdb_add_conformance_test(NAME SOURCES ... [DRIVER target] [PLUGIN_DIR dir])
# Builds plugdb-conformance-<NAME> from the driver's fixture file(s) (which
# expand the kit with PLUGDB_CONFORMANCE) and registers its tests with CTest.
# PLUGIN_DIR reaches the fixture as the PLUGDB_TEST_PLUGIN_DIR string.
function(plugdb_add_conformance_test NAME)
  cmake_parse_arguments(ARG "" "DRIVER;PLUGIN_DIR" "SOURCES" ${ARGN})
  if(NOT ARG_DRIVER)
    set(ARG_DRIVER plugdb-${NAME})
  endif()
  if(NOT ARG_PLUGIN_DIR)
    get_target_property(ARG_PLUGIN_DIR ${ARG_DRIVER} LIBRARY_OUTPUT_DIRECTORY)
  endif()
  set(target plugdb-conformance-${NAME})
  add_executable(${target} ${ARG_SOURCES})
  # Whole archive: the kit's tests register themselves from static initialisers.
  target_link_libraries(${target} PRIVATE
    "$<LINK_LIBRARY:WHOLE_ARCHIVE,plugdb::conformance>" GTest::gtest_main)
  target_compile_definitions(${target} PRIVATE PLUGDB_TEST_PLUGIN_DIR="${ARG_PLUGIN_DIR}")
  add_dependencies(${target} ${ARG_DRIVER})
  include(GoogleTest)
  gtest_discover_tests(${target})
endfunction()
