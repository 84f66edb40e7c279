// transact() on the cockroach driver speaks CockroachDB's client-side retry
// protocol (SAVEPOINT cockroach_restart, ROLLBACK TO it on 40001, RELEASE as
// the commit, then COMMIT). The conflicts here are real: PostgreSQL's
// SERIALIZABLE raises 40001 through the same wire code.
#include <gtest/gtest.h>

#include <atomic>
#include <barrier>
#include <thread>

#include "cockroach_env.h"
#include "cutting_proxy.h"
#include "plugdb/error.h"

using namespace plugdb;
using plugdb::test::openCockroach;

namespace {

class CockroachRetry : public ::testing::Test {
protected:
    void SetUp() override {
        name_ = plugdb::test::databaseNameFor(
            std::string("crdb_") + ::testing::UnitTest::GetInstance()->current_test_info()->name());
        url_ = plugdb::test::freshCockroachDatabase(name_);
    }
    void TearDown() override { plugdb::test::dropCockroachDatabase(name_); }

    // Every transaction SERIALIZABLE, as every CockroachDB transaction is.
    std::string serializableUrl() const {
        return url_ + "?options=-c%20default_transaction_isolation%3Dserializable";
    }

    std::string name_, url_;
};

}  // namespace

TEST_F(CockroachRetry, TheRestartSavepointIsSetBeforeTheFunctionRuns) {
    Database db = openCockroach(url_);
    db.exec("CREATE TABLE t (v INT8)");
    db.transact([](Transaction& tx) {
        tx.exec("INSERT INTO t VALUES (1)");
        // Only works if transact() set it, before the insert.
        tx.rollbackTo("cockroach_restart");
        tx.exec("INSERT INTO t VALUES (2)");
    });
    Rows rows = db.query("SELECT v FROM t");
    ASSERT_TRUE(rows.next());
    EXPECT_EQ(rows.getInt(0), 2);
    EXPECT_FALSE(rows.next());
}

// Write skew: two transactions each read both rows and take one doctor off
// call if the other is still on. Serially only one can; SERIALIZABLE makes
// the loser fail with 40001, transact() runs it again, and it then sees one
// doctor left.
TEST_F(CockroachRetry, WriteSkewConflictsAreRetriedToSuccess) {
    Database db = openCockroach(serializableUrl(), 10);
    db.exec("CREATE TABLE doctors (id INT8 PRIMARY KEY, on_call BOOLEAN NOT NULL)");
    db.exec("INSERT INTO doctors VALUES (1, TRUE), (2, TRUE)");

    std::barrier bothRead(2);  // the first attempts read before either writes
    std::atomic<int> calls{0};
    const auto goOffCall = [&](int id) {
        bool waited = false;
        db.transact([&](Transaction& tx) {
            ++calls;
            Rows rows = tx.query("SELECT count(*) FROM doctors WHERE on_call");
            rows.next();
            const std::int64_t onCall = rows.getInt(0);
            if (!waited) {
                waited = true;
                bothRead.arrive_and_wait();
            }
            if (onCall >= 2) tx.exec("UPDATE doctors SET on_call = FALSE WHERE id = ?", {id});
        });
    };
    std::thread first(goOffCall, 1), second(goOffCall, 2);
    first.join();
    second.join();

    Rows rows = db.query("SELECT count(*) FROM doctors WHERE on_call");
    ASSERT_TRUE(rows.next());
    EXPECT_EQ(rows.getInt(0), 1) << "exactly one doctor went off call";
    EXPECT_GE(db.poolStats().transactionRetries, 1u);
    EXPECT_GE(calls.load(), 3) << "the loser ran again";
    RecordProperty("retries", std::to_string(db.poolStats().transactionRetries));
    RecordProperty("function_runs", std::to_string(calls.load()));
}

// A row updated by another session after this transaction's snapshot: 40001
// at the UPDATE, inside the function. transact() rolls back to the restart
// savepoint and runs the function again in the same transaction. PostgreSQL
// keeps the transaction's snapshot across the savepoint, so that attempt
// fails the same way, and the next one runs in a new transaction.
TEST_F(CockroachRetry, AConflictInsideTheFunctionRestartsInPlaceThenAnew) {
    Database db = openCockroach(serializableUrl(), 10);
    Database other = openCockroach(url_);
    db.exec("CREATE TABLE counter (id INT8 PRIMARY KEY, n INT8 NOT NULL)");
    db.exec("INSERT INTO counter VALUES (1, 0)");

    int calls = 0;
    db.transact([&](Transaction& tx) {
        ++calls;
        Rows rows = tx.query("SELECT n FROM counter WHERE id = 1");  // the snapshot
        rows.next();
        if (calls == 1) other.exec("UPDATE counter SET n = n + 100 WHERE id = 1");
        tx.exec("UPDATE counter SET n = n + 1 WHERE id = 1");
    });
    EXPECT_EQ(calls, 3) << "1: the conflict, 2: from the restart savepoint, 3: a new transaction";
    EXPECT_EQ(db.poolStats().transactionRetries, 2u);
    Rows rows = db.query("SELECT n FROM counter WHERE id = 1");
    ASSERT_TRUE(rows.next());
    EXPECT_EQ(rows.getInt(0), 101);
}

TEST_F(CockroachRetry, StatementCompletionUnknownIsNeverRetried) {
    Database db = openCockroach(url_, 10);
    int calls = 0;
    try {
        db.transact([&](Transaction& tx) {
            ++calls;
            tx.exec(
                "DO $$ BEGIN RAISE EXCEPTION 'result is ambiguous' USING ERRCODE = '40003'; "
                "END $$");
        });
        FAIL() << "expected commit_unknown";
    } catch (const Error& e) {
        EXPECT_EQ(e.category(), ErrorCategory::CommitUnknown) << e.what();
    }
    EXPECT_EQ(calls, 1);
    EXPECT_EQ(db.poolStats().transactionRetries, 0u);
}

// RELEASE SAVEPOINT cockroach_restart is the commit on CockroachDB: a
// connection lost while it is on the way leaves the outcome unknown. The
// proxy cuts the connection exactly when the client sends it.
TEST_F(CockroachRetry, AConnectionLostDuringReleaseIsCommitUnknown) {
    Database setup = openCockroach(url_);
    setup.exec("CREATE TABLE t (v INT8)");

    const int serverPort =
        std::stoi(plugdb::test::requireServerVariable("postgres.env", "PLUGDB_PG_PORT"));
    plugdb::test::CuttingProxy proxy(serverPort, "RELEASE SAVEPOINT");
    std::string url = url_;
    url.replace(url.find(":" + std::to_string(serverPort) + "/"),
                std::to_string(serverPort).size() + 2, ":" + std::to_string(proxy.port()) + "/");
    Database db = openCockroach(url + "?sslmode=disable", 10);  // the proxy reads plain text

    int calls = 0;
    try {
        db.transact([&](Transaction& tx) {
            ++calls;
            tx.exec("INSERT INTO t VALUES (1)");
        });
        FAIL() << "expected commit_unknown";
    } catch (const Error& e) {
        EXPECT_EQ(e.category(), ErrorCategory::CommitUnknown) << e.what();
        EXPECT_NE(std::string(e.what()).find("RELEASE SAVEPOINT cockroach_restart"),
                  std::string::npos)
            << e.what();
    }
    EXPECT_EQ(calls, 1) << "an unknown outcome is never retried";
    EXPECT_EQ(proxy.cuts(), 1);
    db.ping();  // the broken connection was retired, a new one works
}
