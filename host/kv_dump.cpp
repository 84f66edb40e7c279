#include "kv_dump.h"

#include <Poco/Exception.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include <stdexcept>

#include "kv_bytes.h"
#include "output.h"
#include "plugdb/error.h"
#include "plugdb/input_file.h"

namespace plugdb::host::kv {
namespace {

constexpr std::string_view kFormat = "plugdb-kv";
constexpr int kVersion = 1;
// One batch is one transaction on a SQL engine: bounded, so a large dump is
// neither one huge transaction nor held in memory whole.
constexpr std::size_t kBatchPairs = 1000;
constexpr std::size_t kBatchBytes = 8 * 1024 * 1024;
constexpr std::size_t kHeaderLineBytes = 64 * 1024;
// Line bound for an engine without a key or value limit of its own.
constexpr std::uint64_t kUnlimitedBytes = InputFileLimits::kSqlBytes;

// A line of the dump that is not what the format says; `what` starts with "line N".
struct BadDump : std::runtime_error {
    using std::runtime_error::runtime_error;
};

std::string plural(std::uint64_t n, const char* word) {
    return std::to_string(n) + " " + word + (n == 1 ? "" : "s");
}

std::uint64_t base64Length(std::uint64_t bytes) {
    return (bytes + 2) / 3 * 4;
}

// Reads the dump line by line, never more than a bound per line.
class DumpReader {
public:
    explicit DumpReader(std::istream& in) : in_(*in.rdbuf()) {}

    // The header's namespace.
    std::string header() {
        Poco::JSON::Object::Ptr header = nextObject(kHeaderLineBytes, "the header");
        if (!header) fail("is empty: the dump has no header");
        const Poco::Dynamic::Var format = header->get("format");
        if (!format.isString() || format.extract<std::string>() != kFormat)
            fail("is not a plugdb-kv header (\"format\":\"plugdb-kv\" is missing)");
        const Poco::Dynamic::Var version = header->get("version");
        if (!version.isInteger()) fail("has no integer \"version\"");
        if (version.convert<Poco::Int64>() != kVersion)
            fail("has version " + version.convert<std::string>() + "; this plugdb reads version " +
                 std::to_string(kVersion));
        const Poco::Dynamic::Var ns = header->get("namespace");
        if (!ns.isString()) fail("has no string \"namespace\"");
        return ns.extract<std::string>();
    }

    void setLimits(const KvLimits& limits) {
        limits_ = limits;
        const std::uint64_t key = limits.maxKeyBytes ? limits.maxKeyBytes : kUnlimitedBytes;
        const std::uint64_t value = limits.maxValueBytes ? limits.maxValueBytes : kUnlimitedBytes;
        maxLineBytes_ = base64Length(key) + base64Length(value) + 64;
    }

    // The next pair; false after the trailer, whose count was checked.
    bool next(std::string& key, std::string& value) {
        if (ended_) return false;
        Poco::JSON::Object::Ptr line = nextObject(maxLineBytes_, "a pair");
        if (!line)
            fail("is the end of the dump, which has no trailer {\"count\":N}: it is cut short");
        if (line->size() == 1 && line->has("count")) {
            const Poco::Dynamic::Var count = line->get("count");
            if (!count.isInteger() || count.convert<Poco::Int64>() < 0)
                fail("is a trailer whose count is not a whole number");
            if (count.convert<Poco::UInt64>() != pairs_)
                fail("is a trailer counting " + plural(count.convert<Poco::UInt64>(), "pair") +
                     " but the dump holds " + std::to_string(pairs_) + ": lines are missing");
            ended_ = true;
            ++line_;
            if (in_.sgetc() != std::char_traits<char>::eof()) fail("follows the trailer");
            return false;
        }
        if (line->size() != 2 || !line->has("key_base64") || !line->has("value_base64"))
            fail("is neither a pair {\"key_base64\":...,\"value_base64\":...} nor the trailer");
        key = bytesOf(*line, "key_base64");
        value = bytesOf(*line, "value_base64");
        if (key.empty()) fail("has an empty key");
        if (limits_.maxKeyBytes && key.size() > limits_.maxKeyBytes)
            fail("has a key of " + plural(key.size(), "byte") + ", above the limit of " +
                 std::to_string(limits_.maxKeyBytes));
        if (limits_.maxValueBytes && value.size() > limits_.maxValueBytes)
            fail("has a value of " + plural(value.size(), "byte") + ", above the limit of " +
                 std::to_string(limits_.maxValueBytes));
        ++pairs_;
        return true;
    }

    std::uint64_t line() const { return line_; }

private:
    [[noreturn]] void fail(const std::string& why) const {
        throw BadDump("line " + std::to_string(line_) + " " + why);
    }

    // The next line as a JSON object; null at the end of the input.
    Poco::JSON::Object::Ptr nextObject(std::size_t maxBytes, const char* expected) {
        text_.clear();
        ++line_;
        for (int c = in_.sbumpc(); c != '\n'; c = in_.sbumpc()) {
            if (c == std::char_traits<char>::eof()) {
                if (text_.empty()) return nullptr;
                break;
            }
            if (text_.size() == maxBytes)
                fail("is longer than " + std::to_string(maxBytes) + " bytes, more than " +
                     expected + " within the limits takes");
            text_ += static_cast<char>(c);
        }
        if (!text_.empty() && text_.back() == '\r') text_.pop_back();
        try {
            Poco::JSON::Parser parser;
            const Poco::Dynamic::Var parsed = parser.parse(text_);
            if (parsed.type() == typeid(Poco::JSON::Object::Ptr))
                return parsed.extract<Poco::JSON::Object::Ptr>();
        } catch (const Poco::Exception& e) {
            fail("is not valid JSON (" + e.message() + ")");
        }
        fail("is not a JSON object");
    }

    std::string bytesOf(const Poco::JSON::Object& line, const std::string& field) const {
        const Poco::Dynamic::Var text = line.get(field);
        if (!text.isString()) fail("has a \"" + field + "\" that is not a string");
        auto bytes = fromBase64(text.extract<std::string>());
        if (!bytes) fail("has a \"" + field + "\" that is not padded base64");
        return std::move(*bytes);
    }

    std::streambuf& in_;
    KvLimits limits_{};
    std::size_t maxLineBytes_ = kHeaderLineBytes;
    std::uint64_t line_ = 0;
    std::uint64_t pairs_ = 0;
    bool ended_ = false;
    std::string text_;
};

}  // namespace

std::uint64_t exportDump(KeyValue& source, std::ostream& out) {
    KvSnapshot snapshot = source.snapshot();
    KvScan scan = snapshot.scanPrefix("");
    out << "{\"format\":\"" << kFormat << "\",\"version\":" << kVersion
        << ",\"namespace\":" << jsonString(source.ns()) << "}\n";
    std::uint64_t count = 0;
    while (scan.next()) {
        out << "{\"key_base64\":\"" << toBase64(scan.key()) << "\",\"value_base64\":\""
            << toBase64(scan.value()) << "\"}\n";
        ++count;
    }
    out << "{\"count\":" << count << "}\n";
    return count;
}

ImportResult importDump(Database& db, std::istream& in, const std::optional<std::string>& ns) {
    ImportResult result;
    std::optional<KeyValue> target;
    std::uint64_t total = 0;
    try {
        DumpReader check(in);
        const std::string dumped = check.header();
        result.ns = ns.value_or(dumped);
        target = db.kv(result.ns);
        check.setLimits(target->limits());
        for (std::string key, value; check.next(key, value);) ++total;
    } catch (const BadDump& e) {
        throw Error(ErrorCategory::InvalidArgument,
                    std::string("the dump is refused: ") + e.what() + "; nothing was imported");
    }

    in.clear();
    in.seekg(0);
    DumpReader reader(in);
    std::uint64_t lastImportedLine = 1;
    std::uint64_t firstPendingLine = 0, lastPendingLine = 0;  // of the batch being built
    try {
        reader.header();
        reader.setLimits(target->limits());
        KvBatch batch = target->batch();
        std::size_t batchBytes = 0;
        auto commit = [&] {
            const std::size_t pairs = batch.size();
            batch.commit();
            result.pairs += pairs;
            ++result.batches;
            lastImportedLine = lastPendingLine;
            firstPendingLine = 0;
            batch = target->batch();
            batchBytes = 0;
        };
        for (std::string key, value; reader.next(key, value);) {
            if (firstPendingLine == 0) firstPendingLine = reader.line();
            lastPendingLine = reader.line();
            batch.put(key, value);
            batchBytes += key.size() + value.size();
            if (batch.size() >= kBatchPairs || batchBytes >= kBatchBytes) commit();
        }
        if (batch.size() > 0) commit();
    } catch (const std::exception& e) {
        const std::string done =
            result.pairs == 0 ? "nothing was imported"
                              : plural(result.pairs, "pair") + " of " + std::to_string(total) +
                                    " (lines 2-" + std::to_string(lastImportedLine) +
                                    ") were imported in " + std::to_string(result.batches) +
                                    (result.batches == 1 ? " batch" : " batches") +
                                    " before it, the rest was not";
        const std::string where = "import into namespace '" + result.ns + "' stopped ";
        if (const auto* error = dynamic_cast<const Error*>(&e)) {
            const std::string at =
                firstPendingLine == 0 ? "after line " + std::to_string(lastImportedLine)
                : firstPendingLine == lastPendingLine
                    ? "at the batch of line " + std::to_string(lastPendingLine)
                    : "at the batch of lines " + std::to_string(firstPendingLine) + "-" +
                          std::to_string(lastPendingLine);
            throw Error(error->category(), where + at + ": " + error->what() + "; " + done,
                        error->details());
        }
        // Only when the file changed between the check and the import.
        throw Error(ErrorCategory::InvalidArgument,
                    where + "because the dump changed meanwhile: " + e.what() + "; " + done);
    }
    return result;
}

}  // namespace plugdb::host::kv
