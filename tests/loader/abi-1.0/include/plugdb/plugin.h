// Declaring a plugin. A driver's entry point is one line:
//
//     PLUGDB_PLUGIN(plugdb::sqlite::SqliteDriver, "sqlite", "0.1.0",
//                   /*aliases*/ "sqlite3", /*schemes*/ "sqlite,sqlite3,file",
//                   plugdb::kCapTransactions | plugdb::kCapSavepoints)
//
// It emits the extern "C" descriptor the loader checks before anything else
// is trusted, and the Poco ClassLoader manifest that creates the driver.
#pragma once

#include <cstdint>

#include "plugdb/driver.h"

#define PLUGDB_PLUGIN_MAGIC 0x42444c50u  // "PLDB" little-endian
#define PLUGDB_DESCRIPTOR_SYMBOL "plugdb_plugin_descriptor"

// The compiler family and standard library ABI: a plugin is refused when its tag differs.
#if defined(_LIBCPP_VERSION)
#define PLUGDB_STDLIB_TAG "libc++"
#elif defined(__GLIBCXX__) && defined(_GLIBCXX_USE_CXX11_ABI) && _GLIBCXX_USE_CXX11_ABI
#define PLUGDB_STDLIB_TAG "libstdc++/cxx11"
#elif defined(__GLIBCXX__)
#define PLUGDB_STDLIB_TAG "libstdc++/old"
#else
#define PLUGDB_STDLIB_TAG "unknown"
#endif
#if defined(__clang__) || defined(__GNUC__)
#define PLUGDB_BUILD_TAG "gnu-c++-itanium/" PLUGDB_STDLIB_TAG
#else
#define PLUGDB_BUILD_TAG "other/" PLUGDB_STDLIB_TAG
#endif

extern "C" {

// Plain C layout. The first three fields never move, so any host can read
// them and refuse a plugin whose ABI it does not speak.
struct plugdb_plugin_descriptor_t {
    std::uint32_t magic;         // PLUGDB_PLUGIN_MAGIC
    std::uint16_t abi_major;     // plugdb::kAbiMajor the plugin was built with
    std::uint16_t abi_minor;     // plugdb::kAbiMinor the plugin was built with
    const char* build_tag;       // PLUGDB_BUILD_TAG
    const char* name;            // "postgres"
    const char* aliases;         // comma-separated: "postgresql"
    const char* version;         // the plugin's own version
    const char* schemes;         // comma-separated URL schemes: "postgres,postgresql"
    std::uint64_t capabilities;  // plugdb::Capability bits
    const char* class_name;      // the class exported through the manifest
};
}

#define PLUGDB_PLUGIN(DriverClass, name, version, aliases, schemes, capabilities) \
    extern "C" __attribute__((visibility("default")))                             \
    const plugdb_plugin_descriptor_t plugdb_plugin_descriptor;                    \
    const plugdb_plugin_descriptor_t plugdb_plugin_descriptor = {                 \
        PLUGDB_PLUGIN_MAGIC,                                                      \
        plugdb::kAbiMajor,                                                        \
        plugdb::kAbiMinor,                                                        \
        PLUGDB_BUILD_TAG,                                                         \
        name,                                                                     \
        aliases,                                                                  \
        version,                                                                  \
        schemes,                                                                  \
        static_cast<std::uint64_t>(capabilities),                                 \
        #DriverClass};                                                            \
    PLUGDB_POCO_MANIFEST(DriverClass)

// Kept apart so plugin authors never spell Poco manifest code themselves.
#include <Poco/ClassLibrary.h>
#define PLUGDB_POCO_MANIFEST(DriverClass) \
    POCO_BEGIN_MANIFEST(plugdb::Driver)   \
    POCO_EXPORT_CLASS(DriverClass)        \
    POCO_END_MANIFEST
