// transact(): retrying the whole function after retryable errors, on SQLite.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>

#include "plugdb/config.h"
#include "plugdb/database.h"
#include "plugdb/error.h"

namespace fs = std::filesystem;
using namespace plugdb;

namespace {

class TransactTest : public ::testing::Test {
protected:
    void SetUp() override {
        dir_ = fs::temp_directory_path() /
               ("plugdb-transact-" + std::to_string(getpid()) + "-" +
                ::testing::UnitTest::GetInstance()->current_test_info()->name());
        fs::remove_all(dir_);
        fs::create_directories(dir_);
        Config c = Config::withDefaults();
        c.set("plugins.path", PLUGDB_TEST_PLUGIN_DIR, Layer::CommandLine, "test");
        c.set("db.url", "sqlite:" + (dir_ / "t.db").string(), Layer::CommandLine, "test");
        c.set("transaction.max_attempts", "4", Layer::CommandLine, "test");
        c.set("transaction.backoff_initial", "1ms", Layer::CommandLine, "test");
        db_.emplace(Database::open(c));
        db_->exec("CREATE TABLE t (v INTEGER)");
    }
    void TearDown() override {
        db_.reset();
        fs::remove_all(dir_);
    }

    std::int64_t count() {
        Rows rows = db_->query("SELECT COUNT(*) FROM t");
        rows.next();
        return rows.getInt(0);
    }

    std::optional<Database> db_;
    fs::path dir_;
};

}  // namespace

TEST_F(TransactTest, RetryableErrorsRunTheWholeFunctionAgain) {
    int runs = 0;
    const int result = db_->transact([&](Transaction& tx) {
        ++runs;
        tx.exec("INSERT INTO t (v) VALUES (?)", {runs});
        if (runs < 3) throw Error(ErrorCategory::Serialization, "could not serialize access");
        return runs * 10;
    });
    EXPECT_EQ(runs, 3);
    EXPECT_EQ(result, 30);
    EXPECT_EQ(count(), 1) << "the failed attempts were rolled back";
    EXPECT_EQ(db_->poolStats().transactionRetries, 2u);
}

TEST_F(TransactTest, ADriverMarkedLockTimeoutIsRetried) {
    int runs = 0;
    db_->transact([&](Transaction& tx) {
        if (++runs == 1) {
            ErrorDetails details{"mysql", 1205, "HY000", true};
            throw Error(ErrorCategory::Timeout, "Lock wait timeout exceeded", details);
        }
        tx.exec("INSERT INTO t (v) VALUES (1)");
    });
    EXPECT_EQ(runs, 2);
    EXPECT_EQ(count(), 1);
}

TEST_F(TransactTest, OtherErrorsSurfaceAtOnce) {
    int runs = 0;
    try {
        db_->transact([&](Transaction& tx) {
            ++runs;
            tx.exec("INSERT INTO t (v) VALUES (1)");
            tx.exec("INSERT INTO no_such_table (v) VALUES (1)");
        });
        FAIL() << "expected a syntax error";
    } catch (const Error& e) {
        EXPECT_EQ(e.category(), ErrorCategory::Syntax);
    }
    EXPECT_EQ(runs, 1);
    EXPECT_EQ(count(), 0);
    EXPECT_THROW(db_->transact([&](Transaction&) { throw std::runtime_error("app"); }),
                 std::runtime_error);
}

TEST_F(TransactTest, TheLastRetryableErrorSurfacesAfterMaxAttempts) {
    int runs = 0;
    try {
        db_->transact([&](Transaction&) {
            ++runs;
            throw Error(ErrorCategory::Serialization, "deadlock detected");
        });
        FAIL() << "expected the serialization failure";
    } catch (const Error& e) {
        EXPECT_EQ(e.category(), ErrorCategory::Serialization);
        EXPECT_STREQ(e.what(), "deadlock detected");
    }
    EXPECT_EQ(runs, 4) << "transaction.max_attempts";
}

TEST_F(TransactTest, CommitUnknownIsNeverRetried) {
    int runs = 0;
    EXPECT_THROW(db_->transact([&](Transaction&) {
        ++runs;
        throw Error(ErrorCategory::CommitUnknown, "connection lost during COMMIT");
    }),
                 Error);
    EXPECT_EQ(runs, 1);
    EXPECT_FALSE(Error(ErrorCategory::CommitUnknown, "x").retryable());
}
