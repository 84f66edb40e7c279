// SQL text helpers: placeholder rewriting, script splitting and identifier quoting.
#include "plugdb/sql.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "plugdb/error.h"

using namespace plugdb;
using Strings = std::vector<std::string>;

namespace {

constexpr auto kQuestion = Dialect::Placeholders::Question;
constexpr auto kDollar = Dialect::Placeholders::DollarNumber;

std::string dollar(std::string_view text) {
    return sql::rewritePlaceholders(text, kDollar).text;
}

std::size_t count(std::string_view text) {
    return sql::rewritePlaceholders(text, kQuestion).parameterCount;
}

}  // namespace

TEST(Placeholders, NumberedInOrder) {
    const auto rewritten =
        sql::rewritePlaceholders("INSERT INTO t (a, b, c) VALUES (?, ?, ?)", kDollar);
    EXPECT_EQ(rewritten.text, "INSERT INTO t (a, b, c) VALUES ($1, $2, $3)");
    EXPECT_EQ(rewritten.parameterCount, 3u);
    EXPECT_EQ(dollar("SELECT ?+?"), "SELECT $1+$2");
}

TEST(Placeholders, QuestionStyleKeepsTheTextAndCounts) {
    const auto rewritten =
        sql::rewritePlaceholders("SELECT * FROM t WHERE a = ? AND b = ?", kQuestion);
    EXPECT_EQ(rewritten.text, "SELECT * FROM t WHERE a = ? AND b = ?");
    EXPECT_EQ(rewritten.parameterCount, 2u);
    EXPECT_EQ(count("SELECT 1"), 0u);
    EXPECT_EQ(count(""), 0u);
}

TEST(Placeholders, NotInsideStringsOrIdentifiers) {
    EXPECT_EQ(dollar("SELECT '?', ? FROM t"), "SELECT '?', $1 FROM t");
    EXPECT_EQ(dollar("SELECT 'it''s ?', ?"), "SELECT 'it''s ?', $1");
    EXPECT_EQ(dollar(R"(SELECT "col?" FROM "t""?" WHERE x = ?)"),
              R"(SELECT "col?" FROM "t""?" WHERE x = $1)");
    EXPECT_EQ(dollar("SELECT `a?b` FROM `t``?` WHERE x = ?"),
              "SELECT `a?b` FROM `t``?` WHERE x = $1");
    EXPECT_EQ(count("SELECT 'a?', \"b?\", `c?`"), 0u);
}

TEST(Placeholders, BackslashOnlyEscapesInsideEStrings) {
    EXPECT_EQ(dollar(R"(SELECT E'\'?', ?)"), R"(SELECT E'\'?', $1)");
    EXPECT_EQ(dollar(R"(SELECT e'a\\', ?)"), R"(SELECT e'a\\', $1)");
    // In a standard string a backslash is an ordinary character: the string ends at the quote.
    EXPECT_EQ(dollar(R"(SELECT 'a\', ?)"), R"(SELECT 'a\', $1)");
    // "name'...'" is not an E-string just because the identifier ends in e.
    EXPECT_EQ(dollar(R"(SELECT type'\', ?)"), R"(SELECT type'\', $1)");
}

TEST(Placeholders, NotInsideComments) {
    EXPECT_EQ(dollar("SELECT ? -- why?\n, ?"), "SELECT $1 -- why?\n, $2");
    EXPECT_EQ(dollar("SELECT /* ? */ ? /* ?? */"), "SELECT /* ? */ $1 /* ?? */");
    EXPECT_EQ(count("SELECT 1 -- ?"), 0u);
    EXPECT_EQ(count("SELECT 1 /* unterminated ?"), 0u);
}

TEST(Placeholders, NotInsideDollarQuotedBodies) {
    EXPECT_EQ(dollar("SELECT $$?$$, ?"), "SELECT $$?$$, $1");
    EXPECT_EQ(dollar("DO $body$ SELECT '?' $$ ? $$ ?; $body$; SELECT ?"),
              "DO $body$ SELECT '?' $$ ? $$ ?; $body$; SELECT $1");
    EXPECT_EQ(dollar("SELECT $1, ?"), "SELECT $1, $1") << "$1 opens no dollar quote";
    EXPECT_EQ(count("SELECT a$b$ FROM t WHERE x = ?"), 1u)
        << "a '$' inside an identifier opens no dollar quote";
}

TEST(Placeholders, DoubleQuestionMarkIsALiteral) {
    const auto rewritten = sql::rewritePlaceholders(
        "SELECT data ?? 'key', data ??| array['a'] FROM t WHERE id = ?", kDollar);
    EXPECT_EQ(rewritten.text, "SELECT data ? 'key', data ?| array['a'] FROM t WHERE id = $1");
    EXPECT_EQ(rewritten.parameterCount, 1u);
    EXPECT_EQ(sql::rewritePlaceholders("?? ?", kQuestion).text, "? ?");
    EXPECT_EQ(sql::rewritePlaceholders("?? ?", kQuestion).parameterCount, 1u);
    EXPECT_EQ(count("???"), 1u) << "a literal '?' then a placeholder";
}

TEST(Split, AtTopLevelSemicolons) {
    EXPECT_EQ(sql::splitStatements("CREATE TABLE t (a INT);\nINSERT INTO t VALUES (1);  \n"),
              (Strings{"CREATE TABLE t (a INT)", "INSERT INTO t VALUES (1)"}));
    EXPECT_EQ(sql::splitStatements("SELECT 1"), (Strings{"SELECT 1"}));
    EXPECT_EQ(sql::splitStatements(";;  ;\n"), Strings{});
    EXPECT_EQ(sql::splitStatements(""), Strings{});
}

TEST(Split, NotInsideStringsIdentifiersOrComments) {
    EXPECT_EQ(sql::splitStatements("INSERT INTO t VALUES ('a;b', 'it''s;');SELECT \"x;y\", `z;`"),
              (Strings{"INSERT INTO t VALUES ('a;b', 'it''s;')", "SELECT \"x;y\", `z;`"}));
    EXPECT_EQ(sql::splitStatements("SELECT 1 -- one; two\n;SELECT /* ; */ 2"),
              (Strings{"SELECT 1 -- one; two", "SELECT /* ; */ 2"}));
    EXPECT_EQ(sql::splitStatements(R"(SELECT E'\';'; SELECT 2)"),
              (Strings{R"(SELECT E'\';')", "SELECT 2"}));
}

TEST(Split, NotInsideDollarQuotedBodies) {
    const std::string script =
        "CREATE FUNCTION f() RETURNS int AS $fn$\nBEGIN\n  PERFORM 1;\n  RETURN 2;\nEND;\n$fn$ "
        "LANGUAGE plpgsql;\nSELECT f();";
    const Strings statements = sql::splitStatements(script);
    ASSERT_EQ(statements.size(), 2u);
    EXPECT_EQ(statements[0],
              "CREATE FUNCTION f() RETURNS int AS $fn$\nBEGIN\n  PERFORM 1;\n  RETURN 2;\nEND;\n"
              "$fn$ LANGUAGE plpgsql");
    EXPECT_EQ(statements[1], "SELECT f()");
    EXPECT_EQ(sql::splitStatements("DO $$ BEGIN NULL; END $$; SELECT 1").size(), 2u);
}

TEST(Split, CommentOnlyStatementsAreDropped) {
    EXPECT_EQ(sql::splitStatements("-- header\n/* block */\n;\nSELECT 1;\n-- trailing comment\n"),
              (Strings{"SELECT 1"}));
    EXPECT_EQ(sql::splitStatements("-- only a comment"), Strings{});
}

TEST(Split, CommentsInsideAStatementAreKept) {
    EXPECT_EQ(sql::splitStatements("-- create the table\nCREATE TABLE t (\n  a INT -- the key\n);"),
              (Strings{"-- create the table\nCREATE TABLE t (\n  a INT -- the key\n)"}));
}

TEST(Split, BeginEndMarkersMakeOneStatement) {
    const std::string script =
        "CREATE TABLE log (msg TEXT);\n"
        "-- plugdb:begin\n"
        "CREATE TRIGGER t AFTER INSERT ON log BEGIN\n"
        "  INSERT INTO log VALUES ('a');\n"
        "  INSERT INTO log VALUES ('b');\n"
        "END;\n"
        "  --   plugdb:end  \n"
        "SELECT 1;";
    EXPECT_EQ(sql::splitStatements(script), (Strings{"CREATE TABLE log (msg TEXT)",
                                                     "CREATE TRIGGER t AFTER INSERT ON log BEGIN\n"
                                                     "  INSERT INTO log VALUES ('a');\n"
                                                     "  INSERT INTO log VALUES ('b');\n"
                                                     "END",
                                                     "SELECT 1"}));
}

TEST(Split, MarkerEndsAnUnterminatedStatement) {
    EXPECT_EQ(sql::splitStatements("SELECT 1\n-- plugdb:begin\nSELECT 2; SELECT 3\n-- plugdb:end"),
              (Strings{"SELECT 1", "SELECT 2; SELECT 3"}));
}

TEST(Split, MarkersOnlyCountOnTheirOwnLine) {
    EXPECT_EQ(sql::splitStatements("SELECT 1 -- plugdb:begin\n; SELECT 2"),
              (Strings{"SELECT 1 -- plugdb:begin", "SELECT 2"}));
    EXPECT_EQ(sql::splitStatements("SELECT '\n-- plugdb:begin\n'; SELECT 2"),
              (Strings{"SELECT '\n-- plugdb:begin\n'", "SELECT 2"}));
}

TEST(Split, UnmatchedMarkersAreErrors) {
    try {
        sql::splitStatements("SELECT 1;\n-- plugdb:begin\nSELECT 2;");
        FAIL() << "an unterminated block must be refused";
    } catch (const Error& e) {
        EXPECT_EQ(e.category(), ErrorCategory::Syntax);
        EXPECT_NE(std::string(e.what()).find("line 2"), std::string::npos) << e.what();
    }
    EXPECT_THROW(sql::splitStatements("SELECT 1;\n-- plugdb:end\n"), Error);
}

TEST(QuoteIdentifier, UsesTheDialectQuote) {
    Dialect standard;
    EXPECT_EQ(sql::quoteIdentifier("users", standard), "\"users\"");
    EXPECT_EQ(sql::quoteIdentifier("we\"ird", standard), "\"we\"\"ird\"");
    EXPECT_EQ(sql::quoteIdentifier("a`b", standard), "\"a`b\"");

    Dialect mysql;
    mysql.identifierQuote = '`';
    EXPECT_EQ(sql::quoteIdentifier("order", mysql), "`order`");
    EXPECT_EQ(sql::quoteIdentifier("a`b``c", mysql), "`a``b````c`");
    EXPECT_EQ(sql::quoteIdentifier("a\"b", mysql), "`a\"b`");
}

TEST(QuoteIdentifier, RefusesEmptyAndNul) {
    const Dialect dialect;
    for (const std::string& name : {std::string(), std::string("a\0b", 3)}) {
        try {
            sql::quoteIdentifier(name, dialect);
            FAIL() << "must refuse an empty name or a NUL byte";
        } catch (const Error& e) {
            EXPECT_EQ(e.category(), ErrorCategory::InvalidArgument);
        }
    }
}
