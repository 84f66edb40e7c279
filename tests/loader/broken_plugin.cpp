// One source, many deliberately broken plugins: each build selects one defect
// with a BROKEN_* definition (see CMakeLists.txt). The loader must refuse
// every one of them with a clear sentence, and never crash.
#include <stdexcept>

#include "plugdb/error.h"
#include "plugdb/plugin.h"

namespace plugdb::test {

class TestDriver : public Driver {
public:
    TestDriver() {
#ifdef BROKEN_CONSTRUCTOR_THROWS
        throw std::runtime_error("cannot initialise the test engine");
#endif
    }
    const Dialect& dialect() const override {
        static const Dialect kDialect;
        return kDialect;
    }
    std::unique_ptr<Connection> connect(const DataSource&) override {
        throw Error(ErrorCategory::Unsupported, "the test driver opens no connections");
    }
};

}  // namespace plugdb::test

#ifdef BROKEN_UNRESOLVED_SYMBOL
extern "C" int plugdb_test_symbol_that_does_not_exist();
extern "C" __attribute__((visibility("default"))) int plugdb_test_use_it() {
    return plugdb_test_symbol_that_does_not_exist();
}
#endif

#ifdef BROKEN_MISSING_DEPENDENCY
extern "C" int plugdb_test_dependency_function();
extern "C" __attribute__((visibility("default"))) int plugdb_test_use_dependency() {
    return plugdb_test_dependency_function();
}
#endif

#ifndef TEST_PLUGIN_NAME
#error "TEST_PLUGIN_NAME must be defined"
#endif
#ifndef TEST_PLUGIN_ALIASES
#define TEST_PLUGIN_ALIASES ""
#endif

#if defined(BROKEN_NO_DESCRIPTOR)
// A shared library with a Poco manifest but no plugdb descriptor.
PLUGDB_POCO_MANIFEST(plugdb::test::TestDriver)
#elif defined(BROKEN_NO_MANIFEST)
extern "C" __attribute__((visibility("default")))
const plugdb_plugin_descriptor_t plugdb_plugin_descriptor;
const plugdb_plugin_descriptor_t plugdb_plugin_descriptor = {PLUGDB_PLUGIN_MAGIC,
                                                             plugdb::kAbiMajor,
                                                             plugdb::kAbiMinor,
                                                             PLUGDB_BUILD_TAG,
                                                             TEST_PLUGIN_NAME,
                                                             "",
                                                             "0.0.1",
                                                             "",
                                                             0,
                                                             "plugdb::test::TestDriver"};
#elif defined(TEST_DESCRIPTOR_MAGIC)
// A descriptor whose header fields are wrong on purpose.
extern "C" __attribute__((visibility("default")))
const plugdb_plugin_descriptor_t plugdb_plugin_descriptor;
const plugdb_plugin_descriptor_t plugdb_plugin_descriptor = {TEST_DESCRIPTOR_MAGIC,
                                                             TEST_ABI_MAJOR,
                                                             TEST_ABI_MINOR,
                                                             TEST_BUILD_TAG,
                                                             TEST_PLUGIN_NAME,
                                                             "",
                                                             "0.0.1",
                                                             "",
                                                             0,
                                                             "plugdb::test::TestDriver"};
PLUGDB_POCO_MANIFEST(plugdb::test::TestDriver)
#else
PLUGDB_PLUGIN(plugdb::test::TestDriver, TEST_PLUGIN_NAME, "0.0.1", TEST_PLUGIN_ALIASES,
              TEST_PLUGIN_NAME, plugdb::kCapTransactions)
#endif
