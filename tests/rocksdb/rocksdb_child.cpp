// The second process of the RocksDB tests. Usage:
//   plugdb-rocksdb-child write DIR   puts k<i> = v<i> with sync on, i = 0, 1, ...,
//                                     printing "i\n" after each acknowledged put,
//                                     until killed
//   plugdb-rocksdb-child hold DIR    opens DIR, prints "open\n", holds it until
//                                     stdin closes
//   plugdb-rocksdb-child open DIR    opens DIR and prints "ok\n" or the error
#include <unistd.h>

#include <cstdio>
#include <iostream>
#include <memory>
#include <string>

#include "plugdb/error.h"
#include "plugdb/key_value_store.h"
#include "plugdb/registry.h"

namespace {

std::unique_ptr<plugdb::Connection> connect(const std::string& dir) {
    auto loaded = plugdb::DriverRegistry::instance().load("rocksdb", {PLUGDB_TEST_PLUGIN_DIR});
    plugdb::DataSource source;
    source.driver = "rocksdb";
    source.database = dir;
    source.options["sync"] = "true";
    return loaded.driver->connect(source);
}

}  // namespace

int main(int argc, char** argv) {
    if (argc != 3) {
        std::cerr << "usage: plugdb-rocksdb-child write|hold|open DIR\n";
        return 2;
    }
    const std::string mode = argv[1];
    try {
        auto connection = connect(argv[2]);
        if (mode == "write") {
            auto& store = dynamic_cast<plugdb::KeyValueStore&>(*connection);
            for (long i = 0;; ++i) {
                const std::string n = std::to_string(i);
                const std::string key = "k" + n;
                const std::string value = "v" + n;
                const plugdb::KvWrite put{plugdb::KvWrite::Kind::Put, "crash", key, value};
                store.kvApply({&put, 1});
                // One write(2) per acknowledgement: the parent never reads half a number.
                const std::string line = n + "\n";
                if (::write(STDOUT_FILENO, line.data(), line.size()) !=
                    static_cast<ssize_t>(line.size()))
                    return 1;
            }
        }
        if (mode == "hold") {
            std::cout << "open" << std::endl;
            std::string ignored;
            while (std::getline(std::cin, ignored)) {
            }
            return 0;
        }
        std::cout << "ok" << std::endl;
        return 0;
    } catch (const plugdb::Error& e) {
        std::cout << e.what() << std::endl;
        return 1;
    }
}
