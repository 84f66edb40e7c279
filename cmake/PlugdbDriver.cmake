# plugdb_add_driver(NAME SOURCES ... [LIBRARIES ...] [OUTPUT_DIRECTORY dir])
# Builds libplugdb-<NAME>.so as a loadable module: hidden visibility (only the
# descriptor and the manifest are exported), linked to the core library, with
# the warnings the in-tree drivers build with (set PLUGDB_DRIVER_WARNINGS to OFF
# for none; PLUGDB_DRIVER_WERROR ON makes them errors, as in-tree).
# The same file ships in the SDK (find_package(plugdb)); out of tree the default
# output directory is <build>/lib/plugdb/plugins, the layout the host searches.
set(PLUGDB_DRIVER_WARNING_FLAGS -Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor)

function(plugdb_add_driver NAME)
  cmake_parse_arguments(ARG "" "OUTPUT_DIRECTORY" "SOURCES;LIBRARIES" ${ARGN})
  if(NOT ARG_OUTPUT_DIRECTORY AND PLUGDB_PLUGIN_OUTPUT_DIR)
    set(ARG_OUTPUT_DIRECTORY ${PLUGDB_PLUGIN_OUTPUT_DIR})
  elseif(NOT ARG_OUTPUT_DIRECTORY)
    set(ARG_OUTPUT_DIRECTORY ${PROJECT_BINARY_DIR}/lib/plugdb/plugins)
  endif()
  set(target plugdb-${NAME})
  add_library(${target} MODULE ${ARG_SOURCES})
  target_link_libraries(${target} PRIVATE plugdb::core ${ARG_LIBRARIES})
  set_target_properties(${target} PROPERTIES
    PREFIX "lib"
    OUTPUT_NAME plugdb-${NAME}
    LIBRARY_OUTPUT_DIRECTORY ${ARG_OUTPUT_DIRECTORY}
    CXX_VISIBILITY_PRESET hidden
    VISIBILITY_INLINES_HIDDEN ON
    # lib/plugdb/plugins/ -> lib/ for libplugdb-core in both build and install trees.
    BUILD_RPATH "$ORIGIN/../.."
    INSTALL_RPATH "$ORIGIN/../..")
  target_link_options(${target} PRIVATE "LINKER:--no-undefined")
  if(NOT DEFINED PLUGDB_DRIVER_WARNINGS OR PLUGDB_DRIVER_WARNINGS)
    target_compile_options(${target} PRIVATE
      "$<$<COMPILE_LANG_AND_ID:CXX,GNU,Clang,AppleClang>:${PLUGDB_DRIVER_WARNING_FLAGS}>")
    if(PLUGDB_DRIVER_WERROR)
      target_compile_options(${target} PRIVATE
        "$<$<COMPILE_LANG_AND_ID:CXX,GNU,Clang,AppleClang>:-Werror>")
    endif()
  endif()
endfunction()

# Installs a driver where the host looks for it: lib/plugdb/plugins/.
# Each driver is its own install component (driver-<NAME>), so it becomes its
# own package (plugdb-driver-<NAME>).
function(plugdb_install_driver NAME)
  install(TARGETS plugdb-${NAME} LIBRARY DESTINATION lib/plugdb/plugins COMPONENT driver-${NAME})
endfunction()
