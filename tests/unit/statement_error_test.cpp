// plugdb sql's "statement N: ..." errors keep every detail of the original
// (issue 11, defect 7: the retryable flag was dropped).
#include "statement_error.h"

#include <gtest/gtest.h>

using namespace plugdb;

TEST(StatementError, KeepsTheCategoryAndEveryDetail) {
    ErrorDetails details;
    details.engine = "mysql";
    details.nativeCode = 1205;
    details.sqlState = "HY000";
    details.retryable = true;
    const Error original(ErrorCategory::Timeout, "Lock wait timeout exceeded", details);
    ASSERT_TRUE(original.retryable());

    const Error rebuilt = host::inStatement(original, 2);
    EXPECT_EQ(std::string(rebuilt.what()), "statement 2: Lock wait timeout exceeded");
    EXPECT_EQ(rebuilt.category(), ErrorCategory::Timeout);
    EXPECT_EQ(rebuilt.engine(), "mysql");
    EXPECT_EQ(rebuilt.nativeCode(), 1205);
    EXPECT_EQ(rebuilt.sqlState(), "HY000");
    EXPECT_TRUE(rebuilt.details().retryable) << "the retryable flag was dropped";
    EXPECT_TRUE(rebuilt.retryable());
}
