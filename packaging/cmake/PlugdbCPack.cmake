# CPack: one Debian package per install component (see packaging/CMakeLists.txt).
# `cpack -G DEB` in a build directory writes them; packaging/README.md has more.
set(PLUGDB_PACKAGE_MAINTAINER "plugdb maintainers <maintainers@plugdb.example.org>"
  CACHE STRING "Maintainer field of the Debian packages")
set(PLUGDB_DRIVERS sqlite postgres mysql rocksdb cockroach)

set(CPACK_PACKAGE_NAME plugdb)
set(CPACK_PACKAGE_VENDOR "plugdb")
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_CONTACT "${PLUGDB_PACKAGE_MAINTAINER}")
# CPack's own default summary: only then does the DEB generator take each
# package's synopsis from the first line of its description instead of
# prefixing one shared summary to all of them.
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "${CMAKE_PROJECT_NAME} built using CMake")
set(CPACK_PACKAGE_HOMEPAGE_URL "https://plugdb.example.org")
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_STRIP_FILES ON)
set(CPACK_GENERATOR DEB)
set(CPACK_DEB_COMPONENT_INSTALL ON)
set(CPACK_DEBIAN_ENABLE_COMPONENT_DEPENDS ON)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_RELEASE 1)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
# Depends from the ELF files themselves (dpkg-shlibdeps): a driver package then
# names only its engine's client library besides libplugdb-core.
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS_PRIVATE_DIRS ${PROJECT_BINARY_DIR}/lib)

set(CPACK_COMPONENTS_ALL host core dev)
foreach(driver IN LISTS PLUGDB_DRIVERS)
  list(APPEND CPACK_COMPONENTS_ALL driver-${driver})
endforeach()

set(summary_host "pluggable database runtime: command-line tool and service")
set(summary_core "pluggable database runtime: core library")
set(summary_dev "pluggable database runtime: SDK for applications and drivers")
set(summary_driver "pluggable database runtime: @ENGINE@ driver")
set(engine_sqlite "SQLite")
set(engine_postgres "PostgreSQL")
set(engine_mysql "MySQL/MariaDB")
set(engine_rocksdb "RocksDB")
set(engine_cockroach "CockroachDB")
set(long_common "plugdb lets one program talk to several database engines through one\ninterface; each engine is a driver plugin loaded at run time by name.")

set(CPACK_DEBIAN_HOST_PACKAGE_NAME plugdb)
set(CPACK_DEBIAN_HOST_PACKAGE_SECTION database)
set(CPACK_COMPONENT_HOST_DEPENDS core)
set(CPACK_DEBIAN_HOST_DESCRIPTION "${summary_host}\n${long_common}\n\nThis package holds the plugdb command (drivers, ping, sql, config, serve),\nexample configuration and a systemd unit. Install one plugdb-driver-*\npackage per engine you use.")
set(CPACK_DEBIAN_HOST_PACKAGE_RECOMMENDS "plugdb-driver-sqlite")

set(CPACK_DEBIAN_CORE_PACKAGE_NAME libplugdb-core)
set(CPACK_DEBIAN_CORE_PACKAGE_SECTION libs)
# shlibs for packages built against libplugdb-core; ldconfig runs from a trigger.
set(CPACK_DEBIAN_PACKAGE_GENERATE_SHLIBS ON)
set(CPACK_DEBIAN_PACKAGE_GENERATE_SHLIBS_POLICY ">=")
set(CPACK_DEBIAN_CORE_PACKAGE_CONTROL_EXTRA ${CMAKE_CURRENT_SOURCE_DIR}/debian/triggers)
set(CPACK_DEBIAN_CORE_PACKAGE_CONTROL_STRICT_PERMISSION ON)
set(CPACK_DEBIAN_CORE_DESCRIPTION "${summary_core}\n${long_common}\n\nThis package holds libplugdb-core: configuration, connection pool,\nerrors and the plugin loader shared by the host and every driver.")

set(CPACK_DEBIAN_DEV_PACKAGE_NAME libplugdb-dev)
set(CPACK_DEBIAN_DEV_PACKAGE_SECTION libdevel)
set(CPACK_COMPONENT_DEV_DEPENDS core)
set(CPACK_DEBIAN_DEV_PACKAGE_DEPENDS "libpoco-dev")
# The CMake package and the conformance kit; pkg-config users need neither.
set(CPACK_DEBIAN_DEV_PACKAGE_RECOMMENDS "cmake, libgtest-dev, pkg-config")
set(CPACK_DEBIAN_DEV_DESCRIPTION "${summary_dev}\n${long_common}\n\nThis package holds the headers, the CMake package (find_package(plugdb),\nplugdb_add_driver), a pkg-config file, the driver conformance kit and a\ntemplate project for writing a new driver.")

foreach(driver IN LISTS PLUGDB_DRIVERS)
  string(TOUPPER "DRIVER-${driver}" comp)
  string(REPLACE "@ENGINE@" "${engine_${driver}}" summary "${summary_driver}")
  set(CPACK_DEBIAN_${comp}_PACKAGE_NAME plugdb-driver-${driver})
  set(CPACK_DEBIAN_${comp}_PACKAGE_SECTION database)
  set(CPACK_COMPONENT_${comp}_DEPENDS core)
  set(CPACK_DEBIAN_${comp}_DESCRIPTION "${summary}\n${long_common}\n\nThis package holds the ${engine_${driver}} driver plugin. The plugdb\nhost finds it in /usr/lib/plugdb/plugins without further configuration.")
endforeach()

# Debian policy: every package carries its copyright file and a changelog.
set(doc_dir ${CMAKE_CURRENT_BINARY_DIR}/debian-doc)
file(MAKE_DIRECTORY ${doc_dir})
string(TIMESTAMP changelog_date "%a, %d %b %Y %H:%M:%S +0000" UTC)
file(WRITE ${doc_dir}/changelog.Debian "plugdb (${PROJECT_VERSION}-1) unstable; urgency=medium\n\n  * Release ${PROJECT_VERSION}.\n\n -- ${PLUGDB_PACKAGE_MAINTAINER}  ${changelog_date}\n")
execute_process(COMMAND gzip -9nf ${doc_dir}/changelog.Debian RESULT_VARIABLE gzip_rc)
if(NOT gzip_rc EQUAL 0)
  message(FATAL_ERROR "gzip failed on the Debian changelog")
endif()
foreach(comp IN LISTS CPACK_COMPONENTS_ALL)
  string(TOUPPER ${comp} upper)
  set(pkg ${CPACK_DEBIAN_${upper}_PACKAGE_NAME})
  install(FILES ${CMAKE_CURRENT_SOURCE_DIR}/copyright ${doc_dir}/changelog.Debian.gz
    DESTINATION share/doc/${pkg} COMPONENT ${comp})
endforeach()

include(CPack)
