// A library the "missingdep" test plugin links against and then cannot find at run time.
extern "C" __attribute__((visibility("default"))) int plugdb_test_dependency_function() {
    return 42;
}
