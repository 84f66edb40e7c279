// Named-query files without a database: loading, every validation error with
// its file and line, parameter rewriting per dialect, and binding by name.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "plugdb/error.h"
#include "plugdb/named_queries.h"

namespace fs = std::filesystem;
using namespace plugdb;

namespace {

// The engines the in-tree drivers name, as the plugin scan would report them.
std::optional<std::string> engines(const std::string& suffix) {
    if (suffix == "postgres" || suffix == "postgresql" || suffix == "pg") return "postgres";
    if (suffix == "mysql" || suffix == "mariadb") return "mysql";
    if (suffix == "sqlite" || suffix == "sqlite3") return "sqlite";
    return std::nullopt;
}

class NamedFiles : public ::testing::Test {
protected:
    void SetUp() override {
        dir_ = fs::temp_directory_path() /
               ("plugdb-named-" + std::to_string(getpid()) + "-" +
                ::testing::UnitTest::GetInstance()->current_test_info()->name());
        fs::remove_all(dir_);
        fs::create_directories(dir_);
    }
    void TearDown() override { fs::remove_all(dir_); }

    void write(const std::string& name, const std::string& text) {
        std::ofstream(dir_ / name, std::ios::binary) << text;
    }
    NamedQueries load() { return NamedQueries::load(dir_.string(), engines, 1 << 20); }
    // The message of the config error load() throws.
    std::string loadError() {
        try {
            load();
        } catch (const Error& e) {
            EXPECT_EQ(e.category(), ErrorCategory::Config) << e.what();
            return e.what();
        }
        ADD_FAILURE() << "load() did not throw";
        return {};
    }
    std::string file(const std::string& name) const { return (dir_ / name).string(); }

    fs::path dir_;
};

TEST_F(NamedFiles, BlocksWithNamesDescriptionsAndParameters) {
    write("tenants.sql",
          "-- header comment\n\n"
          "-- name: get-tenant\n"
          "-- One tenant.\n"
          "-- By id.\n"
          "SELECT id, name FROM tenants WHERE id = :tenant_id;\n\n"
          "--name:list-tenants\n"
          "SELECT id FROM tenants\nORDER BY id\n");
    const NamedQueries queries = load();
    ASSERT_EQ(queries.all().size(), 2u);
    const NamedQuery* get = queries.find("get-tenant");
    ASSERT_NE(get, nullptr);
    ASSERT_EQ(get->variants.size(), 1u);
    const NamedQueryVariant& v = get->variants[0];
    EXPECT_EQ(v.sql, "SELECT id, name FROM tenants WHERE id = :tenant_id");
    EXPECT_EQ(v.description, "One tenant. By id.");
    EXPECT_EQ(v.parameters, std::vector<std::string>{"tenant_id"});
    EXPECT_EQ(v.where(), file("tenants.sql") + ":3");
    EXPECT_EQ(v.engine, "");
    EXPECT_EQ(queries.find("list-tenants")->variants[0].sql, "SELECT id FROM tenants\nORDER BY id");
    EXPECT_EQ(queries.find("list-tenants")->variants[0].line, 8);
}

TEST_F(NamedFiles, EngineVariantsWinForTheirEngine) {
    write("a.sql",
          "-- name: q\nSELECT 1 AS v WHERE 1 = :x\n"
          "-- name: q :mariadb\nSELECT 3 AS v WHERE 1 = :x\n");
    write("a.postgresql.sql", "-- name: q\nSELECT 2 AS v WHERE 1 = :x\n");
    const NamedQueries queries = load();
    const NamedQuery& q = *queries.find("q");
    ASSERT_EQ(q.variants.size(), 3u);
    EXPECT_EQ(q.variants[0].engine, "");  // the portable one first
    EXPECT_EQ(q.variantFor("postgres")->sql, "SELECT 2 AS v WHERE 1 = :x");
    EXPECT_EQ(q.variantFor("mysql")->sql, "SELECT 3 AS v WHERE 1 = :x");
    EXPECT_EQ(q.variantFor("sqlite")->sql, "SELECT 1 AS v WHERE 1 = :x");
    EXPECT_EQ(q.variantFor("postgres")->engine, "postgres");  // the alias resolved
}

TEST_F(NamedFiles, OnlyEngineVariantsLeaveOtherEnginesWithout) {
    write("a.postgres.sql", "-- name: pg-only\nSELECT 1\n");
    const NamedQueries queries = load();
    EXPECT_EQ(queries.find("pg-only")->variantFor("sqlite"), nullptr);
    EXPECT_NE(queries.find("pg-only")->variantFor("postgres"), nullptr);
}

TEST_F(NamedFiles, OtherFilesAndFoldersAreIgnored) {
    write("README.md", "-- name: not-read\nSELECT 1\n");
    fs::create_directories(dir_ / "sub");
    std::ofstream(dir_ / "sub" / "x.sql") << "garbage";
    write("a.sql", "-- name: q\nSELECT 1\n");
    EXPECT_EQ(load().all().size(), 1u);
}

TEST_F(NamedFiles, DuplicateNameNamesBothPlaces) {
    write("a.sql", "-- name: q\nSELECT 1\n");
    write("b.sql", "\n\n-- name: q\nSELECT 2\n");
    const std::string error = loadError();
    EXPECT_NE(error.find(file("b.sql") + ":3: 'q' is defined twice for all engines"),
              std::string::npos)
        << error;
    EXPECT_NE(error.find("the first is at " + file("a.sql") + ":1"), std::string::npos) << error;
}

TEST_F(NamedFiles, DuplicateEngineVariant) {
    write("a.sql", "-- name: q :postgres\nSELECT 1\n");
    write("a.postgres.sql", "-- name: q\nSELECT 2\n");
    const std::string error = loadError();
    EXPECT_NE(error.find(file("a.sql") + ":1: 'q' is defined twice for engine postgres"),
              std::string::npos)
        << error;
}

TEST_F(NamedFiles, ASuffixNamingNoInstalledDriverIsKeptAndMarked) {
    // A deployment without that driver still loads the folder; the variant is
    // checked like the others and marked, so a typo shows in queries list/check.
    write("a.postgress.sql", "-- name: q\nSELECT 1\n");
    write("a.sql", "-- name: q\nSELECT 2\n");
    const NamedQueries queries = load();
    const NamedQuery* q = queries.find("q");
    ASSERT_NE(q, nullptr);
    ASSERT_EQ(q->variants.size(), 2u);
    const NamedQueryVariant* typo = q->variantFor("postgress");
    ASSERT_NE(typo, nullptr);
    EXPECT_EQ(typo->engine, "postgress");
    EXPECT_FALSE(typo->engineInstalled);
    EXPECT_TRUE(q->variantFor("sqlite")->engine.empty()) << "the portable one elsewhere";

    write("b.sql", "-- name: r\nSELECT 1\n\n-- name: r :postgress\nSELECT 1, 2 WHERE 1 = :x\n");
    EXPECT_NE(loadError().find("every variant takes the same parameters"), std::string::npos)
        << "a variant for a driver not installed is checked all the same";
}

TEST_F(NamedFiles, ASuffixThatCannotBeADriverNameIsRefused) {
    write("a.9x.sql", "-- name: q\nSELECT 1\n");
    const std::string error = loadError();
    EXPECT_NE(error.find(file("a.9x.sql") + ": '9x' is not a driver name"), std::string::npos)
        << error;
}

TEST_F(NamedFiles, EngineOfABlock) {
    write("a.sql", "-- name: q\nSELECT 1\n\n-- name: q :oracle\nSELECT 2\n");
    const NamedQueries queries = load();
    ASSERT_NE(queries.find("q"), nullptr);
    EXPECT_FALSE(queries.find("q")->variantFor("oracle")->engineInstalled);
    write("a.sql", "-- name: q\nSELECT 1\n\n-- name: q :ora$cle\nSELECT 2\n");
    const std::string error = loadError();
    EXPECT_NE(error.find(file("a.sql") + ":4: 'ora$cle' is not a driver name"), std::string::npos)
        << error;
}

TEST_F(NamedFiles, BlockEngineAgainstFileEngine) {
    write("a.postgres.sql", "-- name: q :mysql\nSELECT 1\n");
    const std::string error = loadError();
    EXPECT_NE(error.find(file("a.postgres.sql") + ":1: block 'q' is marked :mysql in a file for"),
              std::string::npos)
        << error;
}

TEST_F(NamedFiles, FileNameWithTooManyParts) {
    write("a.b.postgres.sql", "-- name: q\nSELECT 1\n");
    EXPECT_NE(loadError().find(file("a.b.postgres.sql") + ": a named-query file is NAME.sql"),
              std::string::npos);
}

TEST_F(NamedFiles, SqlBeforeTheFirstNameIsABlockWithoutAName) {
    write("a.sql", "-- about\n\nSELECT 1;\n-- name: q\nSELECT 2\n");
    const std::string error = loadError();
    EXPECT_NE(error.find(file("a.sql") + ":3: SQL outside a block"), std::string::npos) << error;
}

TEST_F(NamedFiles, AFileWithoutAnyNameLine) {
    write("a.sql", "SELECT 1\n");
    EXPECT_NE(loadError().find(file("a.sql") + ":1: SQL outside a block"), std::string::npos);
}

TEST_F(NamedFiles, NameLineWithoutAName) {
    write("a.sql", "-- name: q\nSELECT 1\n-- name:\nSELECT 2\n");
    EXPECT_NE(loadError().find(file("a.sql") + ":3: a '-- name:' line without a name"),
              std::string::npos);
}

TEST_F(NamedFiles, BadName) {
    write("a.sql", "-- name: 1st\nSELECT 1\n");
    EXPECT_NE(loadError().find(file("a.sql") + ":1: '1st' is not a query name"), std::string::npos);
}

TEST_F(NamedFiles, TrailingWordsOnTheNameLine) {
    write("a.sql", "-- name: q postgres\nSELECT 1\n");
    EXPECT_NE(loadError().find(file("a.sql") + ":1: expected '-- name: NAME'"), std::string::npos);
}

TEST_F(NamedFiles, EmptyBlock) {
    write("a.sql", "-- name: q\n-- nothing yet\n\n-- name: r\nSELECT 1\n");
    EXPECT_NE(loadError().find(file("a.sql") + ":1: block 'q' has no SQL statement"),
              std::string::npos);
}

TEST_F(NamedFiles, TwoStatementsInOneBlock) {
    write("a.sql", "\n-- name: q\nSELECT 1; SELECT 2;\n");
    EXPECT_NE(loadError().find(file("a.sql") + ":2: block 'q' holds 2 statements"),
              std::string::npos);
}

TEST_F(NamedFiles, ParametersDifferBetweenVariants) {
    write("a.sql", "-- name: q\nSELECT 1 WHERE :a = :b\n");
    write("a.mysql.sql", "\n-- name: q\nSELECT 1 WHERE :a = :c\n");
    const std::string error = loadError();
    EXPECT_NE(error.find(file("a.mysql.sql") +
                         ":2: the mysql variant of 'q' has parameters :a, :c, but the portable "
                         "one at " +
                         file("a.sql") + ":1 has :a, :b"),
              std::string::npos)
        << error;
}

TEST_F(NamedFiles, PositionalAndNamedMixed) {
    write("a.sql", "-- name: q\nSELECT 1 WHERE ? = :a\n");
    EXPECT_NE(loadError().find(file("a.sql") + ":1: block 'q': a statement uses both '?' and"),
              std::string::npos);
}

TEST_F(NamedFiles, UnreadableFileIsNamed) {
    fs::create_directories(dir_ / "dir.sql");  // a directory named like a query file
    try {
        load();
        FAIL() << "no error";
    } catch (const Error& e) {
        EXPECT_NE(std::string(e.what()).find("dir.sql"), std::string::npos) << e.what();
    }
}

TEST_F(NamedFiles, FileAboveTheLimit) {
    write("a.sql", "-- name: q\nSELECT '" + std::string(2000, 'x') + "'\n");
    try {
        NamedQueries::load(dir_.string(), engines, 1000);
        FAIL() << "no error";
    } catch (const Error& e) {
        EXPECT_NE(std::string(e.what()).find("a.sql"), std::string::npos) << e.what();
    }
}

TEST_F(NamedFiles, MissingFolder) {
    try {
        NamedQueries::load((dir_ / "absent").string(), engines, 1000);
        FAIL() << "no error";
    } catch (const Error& e) {
        EXPECT_EQ(e.category(), ErrorCategory::Config);
        EXPECT_NE(std::string(e.what()).find("is not a directory"), std::string::npos);
    }
}

TEST_F(NamedFiles, CrlfAndBom) {
    write("a.sql", "\xEF\xBB\xBF-- name: q\r\nSELECT :x\r\n");
    const NamedQueries queries = load();
    EXPECT_EQ(queries.find("q")->variants[0].sql, "SELECT :x");
}

// ---- rewriting ------------------------------------------------------------

TEST(NamedRewrite, QuestionAndDollarStyles) {
    const auto q = rewriteNamedParameters("SELECT * FROM t WHERE a = :a AND b = :b_2",
                                          Dialect::Placeholders::Question);
    EXPECT_EQ(q.sql, "SELECT * FROM t WHERE a = ? AND b = ?");
    EXPECT_EQ(q.slots, (std::vector<std::string>{"a", "b_2"}));
    const auto d = rewriteNamedParameters("SELECT * FROM t WHERE a = :a AND b = :b_2",
                                          Dialect::Placeholders::DollarNumber);
    EXPECT_EQ(d.sql, "SELECT * FROM t WHERE a = $1 AND b = $2");
}

TEST(NamedRewrite, AParameterUsedTwiceIsOneName) {
    const auto d = rewriteNamedParameters("SELECT :p AS a, :q AS b, :p AS c",
                                          Dialect::Placeholders::DollarNumber);
    EXPECT_EQ(d.sql, "SELECT $1 AS a, $2 AS b, $3 AS c");
    EXPECT_EQ(d.slots, (std::vector<std::string>{"p", "q", "p"}));
    EXPECT_EQ(d.names, (std::vector<std::string>{"p", "q"}));
    const auto values = bindNamedParameters(d, {{"q", 2}, {"p", "x"}}, "test");
    ASSERT_EQ(values.size(), 3u);
    EXPECT_EQ(values[0], Value("x"));
    EXPECT_EQ(values[1], Value(2));
    EXPECT_EQ(values[2], Value("x"));
}

TEST(NamedRewrite, LiteralsCommentsIdentifiersAndCastsLeftAlone) {
    const std::string text =
        "SELECT ':no', \":no\", `:no`, $$ :no ? $$, E'\\' :no', x::int, y :: text, "
        "'?' -- :no ?\n /* :no ? */ FROM t WHERE a = :yes AND b[1:n] = 0 AND c ?? 'k'";
    const auto d = rewriteNamedParameters(text, Dialect::Placeholders::DollarNumber);
    EXPECT_EQ(d.slots, std::vector<std::string>{"yes"});
    EXPECT_EQ(d.sql,
              "SELECT ':no', \":no\", `:no`, $$ :no ? $$, E'\\' :no', x::int, y :: text, "
              "'?' -- :no ?\n /* :no ? */ FROM t WHERE a = $1 AND b[1:n] = 0 AND c ? 'k'");
}

TEST(NamedRewrite, PositionalQuestionMarks) {
    const auto d = rewriteNamedParameters("SELECT ? + ?", Dialect::Placeholders::DollarNumber);
    EXPECT_TRUE(d.positional);
    EXPECT_EQ(d.sql, "SELECT $1 + $2");
    EXPECT_EQ(bindNamedParameters(d, NamedParams::positional({1, 2}), "q").size(), 2u);
    EXPECT_THROW(bindNamedParameters(d, {{"a", 1}}, "q"), Error);
    EXPECT_THROW(bindNamedParameters(d, NamedParams::positional({1}), "q"), Error);
}

TEST(NamedRewrite, BindingRefusesMissingAndUnknownNames) {
    const auto d = rewriteNamedParameters("SELECT :a", Dialect::Placeholders::Question);
    try {
        bindNamedParameters(d, {}, "get-x");
        FAIL();
    } catch (const Error& e) {
        EXPECT_EQ(e.category(), ErrorCategory::InvalidArgument);
        EXPECT_STREQ(e.what(), "named query 'get-x' needs a value for :a");
    }
    try {
        bindNamedParameters(d, {{"a", 1}, {"b", 2}}, "get-x");
        FAIL();
    } catch (const Error& e) {
        EXPECT_STREQ(e.what(), "named query 'get-x' has no parameter :b");
    }
    // ":a" and "a" are one parameter.
    EXPECT_EQ(bindNamedParameters(d, {{":a", 1}}, "get-x").size(), 1u);
}

}  // namespace
