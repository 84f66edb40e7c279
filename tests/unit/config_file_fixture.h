// What the configuration file tests share (config_test.cpp, config_toml_test.cpp):
// a fake environment, and a fresh directory per test to write files into.
#pragma once

#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <optional>
#include <string>

#include "plugdb/config.h"
#include "plugdb/error.h"

namespace plugdb::test {

// A fake environment: tests never read the real one.
inline Config::EnvLookup fakeEnv(std::map<std::string, std::string> vars) {
    return [vars = std::move(vars)](const std::string& name) -> std::optional<std::string> {
        const auto it = vars.find(name);
        if (it == vars.end()) return std::nullopt;
        return it->second;
    };
}

inline const Config::EnvLookup kNoEnv = fakeEnv({});

inline bool contains(const std::string& text, const std::string& part) {
    return text.find(part) != std::string::npos;
}

class ConfigFileFixture : public ::testing::Test {
protected:
    void SetUp() override {
        static std::atomic<int> counter{0};
        dir_ = std::filesystem::temp_directory_path() /
               ("plugdb-unit-config-" + std::to_string(getpid()) + "-" + std::to_string(counter++));
        std::filesystem::create_directories(dir_);
    }
    void TearDown() override {
        std::error_code ignored;
        std::filesystem::remove_all(dir_, ignored);
    }

    std::string write(const std::string& name, const std::string& content) const {
        const std::filesystem::path file = dir_ / name;
        std::ofstream(file, std::ios::binary) << content;
        return file.string();
    }

    // The message of the Config error `load` throws; fails the test otherwise.
    static std::string configError(const std::function<void()>& load) {
        try {
            load();
        } catch (const Error& e) {
            EXPECT_EQ(e.category(), ErrorCategory::Config) << e.what();
            return e.what();
        }
        ADD_FAILURE() << "expected a configuration error";
        return {};
    }

    std::filesystem::path dir_;
};

}  // namespace plugdb::test
