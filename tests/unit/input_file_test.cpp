// readInputFile: files a user names are read whole only when they are regular
// files within the limit; everything else is refused at once, never read.
#include "plugdb/input_file.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>

namespace fs = std::filesystem;
using namespace plugdb;

namespace {

class InputFile : public ::testing::Test {
protected:
    void SetUp() override {
        dir_ = fs::temp_directory_path() / ("plugdb-input-" + std::to_string(getpid()));
        fs::create_directories(dir_);
    }
    void TearDown() override { fs::remove_all(dir_); }

    std::string path(const std::string& name) const { return (dir_ / name).string(); }

    // The message of the error readInputFile throws, or "" (and a failure) when it reads.
    static std::string refusal(const std::string& file, std::size_t limit = 1024) {
        try {
            readInputFile(file, limit, "the test file", ErrorCategory::Config);
        } catch (const Error& e) {
            EXPECT_EQ(e.category(), ErrorCategory::Config);
            return e.what();
        }
        ADD_FAILURE() << file << " was read";
        return "";
    }

    fs::path dir_;
};

}  // namespace

TEST_F(InputFile, ReadsARegularFileAndFollowsLinks) {
    std::ofstream(path("a.sql"), std::ios::binary) << "select 1;\n";
    EXPECT_EQ(readInputFile(path("a.sql"), 1024, "the test file"), "select 1;\n");
    fs::create_symlink(path("a.sql"), path("link.sql"));
    EXPECT_EQ(readInputFile(path("link.sql"), 1024, "the test file"), "select 1;\n");
    EXPECT_TRUE(isRegularFile(path("link.sql")));
}

TEST_F(InputFile, RefusesADirectory) {
    const std::string message = refusal(dir_.string());
    EXPECT_NE(message.find("a directory"), std::string::npos) << message;
    EXPECT_NE(message.find(dir_.string()), std::string::npos) << message;
    EXPECT_FALSE(isRegularFile(dir_.string()));
}

TEST_F(InputFile, RefusesAFifoWithoutWaitingForAWriter) {
    ASSERT_EQ(::mkfifo(path("fifo").c_str(), 0600), 0);
    // Without O_NONBLOCK the open would block forever: no writer ever comes.
    const std::string message = refusal(path("fifo"));
    EXPECT_NE(message.find("a FIFO"), std::string::npos) << message;
    EXPECT_FALSE(isRegularFile(path("fifo")));
}

TEST_F(InputFile, RefusesADeviceEvenThroughALink) {
    fs::create_symlink("/dev/zero", path("up.sql"));
    const std::string message = refusal(path("up.sql"));
    EXPECT_NE(message.find("character device"), std::string::npos) << message;
}

TEST_F(InputFile, RefusesAFileOverTheLimit) {
    std::ofstream(path("big.sql"), std::ios::binary) << std::string(2000, 'x');
    const std::string message = refusal(path("big.sql"), 1024);
    EXPECT_NE(message.find("2000 bytes"), std::string::npos) << message;
    EXPECT_NE(message.find("1024"), std::string::npos) << message;
    EXPECT_EQ(readInputFile(path("big.sql"), 2000, "the test file").size(), 2000u);
}

TEST_F(InputFile, NamesAMissingFile) {
    const std::string message = refusal(path("missing.sql"));
    EXPECT_NE(message.find("missing.sql"), std::string::npos) << message;
    EXPECT_NE(message.find("No such file"), std::string::npos) << message;
}
