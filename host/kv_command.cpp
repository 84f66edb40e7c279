// plugdb kv: get, put, del, scan, export and import on one namespace of the
// key-value API (plugdb/key_value.h), the same on every engine.
#include <algorithm>
#include <array>
#include <charconv>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <set>
#include <sstream>

#include "commands.h"
#include "kv_bytes.h"
#include "kv_dump.h"
#include "output.h"
#include "plugdb/database.h"
#include "plugdb/error.h"
#include "plugdb/input_file.h"
#include "plugdb/secrets.h"
#include "plugdb/settings.h"

namespace plugdb::host {
namespace {

constexpr std::string_view kDefaultNamespace = "default";

struct Subcommand {
    const char* name;
    const char* usage;
    std::size_t minArgs, maxArgs;   // after the subcommand's name
    std::set<std::string> options;  // of the kv options below, those it takes (--ns: all)
    int (*run)(const Invocation&, Database&, KeyValue&);
};

// The options only some subcommands take.
const std::set<std::string> kKvOptions{"prefix", "from", "to",  "reverse", "limit",
                                       "format", "file", "out", "in"};

// Thrown when an input file cannot be read: exit 66, not a usage or database error.
struct UnreadableInput : std::runtime_error {
    using std::runtime_error::runtime_error;
};

Error usage(const std::string& message) {
    return Error(ErrorCategory::InvalidArgument, message);
}

bool given(const Invocation& inv, const std::string& option) {
    return std::find(inv.given.begin(), inv.given.end(), option) != inv.given.end();
}

std::string where(Database& db, const KeyValue& kv) {
    return "namespace '" + kv.ns() + "' of " + db.info().target;
}

// At most maxBytes + 1 bytes of `in`: one more tells that there are more.
// Read in chunks, so a small input costs no allocation of the whole bound.
std::string readUpTo(std::istream& in, std::size_t maxBytes) {
    std::string bytes;
    std::array<char, 64 * 1024> chunk;
    while (bytes.size() <= maxBytes) {
        in.read(chunk.data(), static_cast<std::streamsize>(chunk.size()));
        const auto n = static_cast<std::size_t>(in.gcount());
        if (n == 0) break;
        bytes.append(chunk.data(), std::min(n, maxBytes + 1 - bytes.size()));
    }
    return bytes;
}

// The value of kv put from --file or standard input, as bytes: at most the
// engine's value limit, else limits.sql_file_bytes.
std::string readValue(const Invocation& inv, const KeyValue& kv) {
    const std::uint64_t engineLimit = kv.limits().maxValueBytes;
    const auto bound =
        engineLimit != 0
            ? static_cast<std::size_t>(engineLimit)
            : static_cast<std::size_t>(settings::integer(inv.config, "limits.sql_file_bytes"));
    const std::string limitText =
        engineLimit != 0 ? "the engine's value limit of " + std::to_string(bound) + " bytes"
                         : "limits.sql_file_bytes (" + std::to_string(bound) +
                               " bytes), the most plugdb kv put reads";
    if (inv.file.empty() || inv.file == "-") {
        std::string value = readUpTo(std::cin, bound);
        if (value.size() > bound)
            throw usage("the value on standard input is longer than " + limitText);
        return value;
    }
    // Refused before reading: the size is known.
    std::error_code ec;
    const auto size = std::filesystem::file_size(inv.file, ec);
    if (!ec && isRegularFile(inv.file) && size > bound)
        throw usage("the value file '" + inv.file + "' holds " + std::to_string(size) +
                    " bytes, above " + limitText);
    try {
        return readInputFile(inv.file, bound, "the value file", ErrorCategory::InvalidArgument);
    } catch (const Error& e) {
        throw UnreadableInput(e.what());
    }
}

int runGet(const Invocation& inv, Database& db, KeyValue& kv) {
    const std::string key = kv::parseArgument(inv.args[1], "KEY");
    const std::optional<std::string> value = kv.get(key);
    if (!value) {
        std::cerr << "plugdb: kv get: no key '" << kv::display(key) << "' in " << where(db, kv)
                  << "\n";
        return kExitNotFound;
    }
    if (inv.kv.out) {
        if (*inv.kv.out == "-") {
            std::cout.write(value->data(), static_cast<std::streamsize>(value->size()));
        } else {
            std::ofstream out(*inv.kv.out, std::ios::binary | std::ios::trunc);
            out.write(value->data(), static_cast<std::streamsize>(value->size()));
            if (!out.flush()) throw usage("kv get: cannot write '" + *inv.kv.out + "'");
        }
        return kExitOk;
    }
    switch (parseFormat(inv.format)) {
        case Format::Table:
            std::cout << kv::display(*value) << "\n";
            break;
        case Format::Csv:
            std::cout << "key,value\r\n"
                      << csvField(kv::display(key)) << "," << csvField(kv::display(*value))
                      << "\r\n";
            break;
        case Format::Json:
            std::cout << "{" << kv::jsonField("key", key) << "," << kv::jsonField("value", *value)
                      << "}\n";
            break;
    }
    return kExitOk;
}

int runPut(const Invocation& inv, Database&, KeyValue& kv) {
    const std::string key = kv::parseArgument(inv.args[1], "KEY");
    std::string value;
    if (inv.args.size() == 3) {
        value = kv::parseArgument(inv.args[2], "VALUE");
    } else {
        try {
            value = readValue(inv, kv);
        } catch (const UnreadableInput& e) {
            std::cerr << "plugdb: " << secrets::mask(e.what()) << "\n";
            return kExitNoInput;
        }
    }
    kv.put(key, value);
    return kExitOk;
}

int runDel(const Invocation& inv, Database& db, KeyValue& kv) {
    const std::string key = kv::parseArgument(inv.args[1], "KEY");
    if (!kv.erase(key)) {
        std::cerr << "plugdb: kv del: no key '" << kv::display(key) << "' in " << where(db, kv)
                  << "\n";
        return kExitNotFound;
    }
    return kExitOk;
}

std::uint64_t parseLimit(const std::string& text) {
    std::uint64_t n = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
    if (ec != std::errc{} || end != text.data() + text.size() || text.empty() || n == 0)
        throw usage("--limit must be a whole number above 0, not '" + text + "'");
    return n;
}

int runScan(const Invocation& inv, Database&, KeyValue& kv) {
    const Format format = parseFormat(inv.format);
    const KvOptions& o = inv.kv;
    const std::uint64_t limit = o.limit ? parseLimit(*o.limit) : 0;
    KvScan scan = [&] {
        if (o.prefix)
            return kv.scanPrefix(kv::parseArgument(*o.prefix, "--prefix"), {o.reverse, limit});
        KvBounds bounds;
        if (o.from) bounds.begin = kv::parseArgument(*o.from, "--from");
        if (o.to) bounds.end = kv::parseArgument(*o.to, "--to");
        bounds.reverse = o.reverse;
        bounds.limit = limit;
        return kv.scan(std::move(bounds));
    }();
    std::size_t count = 0;
    switch (format) {
        case Format::Table: {
            std::vector<std::vector<std::string>> rows;
            while (scan.next())
                rows.push_back({kv::display(scan.key()), kv::display(scan.value())});
            printTable({"key", "value"}, rows, std::cout);
            std::cout << "(" << rows.size() << (rows.size() == 1 ? " pair)" : " pairs)") << "\n";
            break;
        }
        case Format::Csv:
            // Streamed: the header waits for the first pair, so a scan failing at once prints
            // nothing.
            for (bool more = scan.next(), first = true; more; more = scan.next(), first = false) {
                if (first) std::cout << "key,value\r\n";
                std::cout << csvField(kv::display(scan.key())) << ","
                          << csvField(kv::display(scan.value())) << "\r\n";
                ++count;
            }
            if (count == 0) std::cout << "key,value\r\n";
            break;
        case Format::Json: {
            // Held until the end, like plugdb sql's: the output is a whole array or nothing.
            std::string body = "[";
            while (scan.next()) {
                body += count++ ? ",\n {" : "\n {";
                body += kv::jsonField("key", scan.key()) + "," +
                        kv::jsonField("value", scan.value()) + "}";
            }
            body += count ? "\n]\n" : "]\n";
            std::cout << body;
            break;
        }
    }
    return kExitOk;
}

int runExport(const Invocation& inv, Database&, KeyValue& kv) {
    if (!inv.kv.out || *inv.kv.out == "-") {
        kv::exportDump(kv, std::cout);
        std::cout.flush();
        return kExitOk;
    }
    const std::string& path = *inv.kv.out;
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    if (!out) throw usage("kv export: cannot write '" + path + "'");
    std::uint64_t count = 0;
    try {
        count = kv::exportDump(kv, out);
        if (!out.flush()) throw usage("kv export: writing '" + path + "' failed");
    } catch (...) {
        out.close();
        std::filesystem::remove(path);  // no partial dump left behind
        throw;
    }
    std::cerr << "exported " << count << (count == 1 ? " pair" : " pairs") << " of namespace '"
              << kv.ns() << "' to " << path << "\n";
    return kExitOk;
}

int runImport(const Invocation& inv, Database& db, KeyValue&) {
    std::unique_ptr<std::istream> in;
    if (!inv.kv.in || *inv.kv.in == "-") {
        // Read twice (checked, then applied): standard input is held, within a bound.
        const auto limit =
            static_cast<std::size_t>(settings::integer(inv.config, "limits.sql_file_bytes"));
        std::string text = readUpTo(std::cin, limit);
        if (text.size() > limit)
            throw usage("kv import: standard input holds more than limits.sql_file_bytes (" +
                        std::to_string(limit) + " bytes); use --in FILE");
        in = std::make_unique<std::istringstream>(std::move(text));
    } else {
        const std::string& path = *inv.kv.in;
        if (!isRegularFile(path)) {
            try {
                readInputFile(path, 0, "the dump", ErrorCategory::InvalidArgument);
            } catch (const Error& e) {
                std::cerr << "plugdb: " << secrets::mask(e.what()) << "\n";
                return kExitNoInput;
            }
        }
        in = std::make_unique<std::ifstream>(path, std::ios::binary);
        if (!*in) {
            std::cerr << "plugdb: the dump '" << path << "' cannot be read\n";
            return kExitNoInput;
        }
    }
    const kv::ImportResult result = kv::importDump(db, *in, inv.kv.ns);
    std::cerr << "imported " << result.pairs << (result.pairs == 1 ? " pair" : " pairs")
              << " into namespace '" << result.ns << "' in " << result.batches
              << (result.batches == 1 ? " batch" : " batches") << "\n";
    return kExitOk;
}

const std::vector<Subcommand>& subcommands() {
    static const std::vector<Subcommand> kSubcommands{
        {"get", "kv get KEY", 1, 1, {"format", "out"}, runGet},
        {"put", "kv put KEY [VALUE]", 1, 2, {"file"}, runPut},
        {"del", "kv del KEY", 1, 1, {}, runDel},
        {"scan", "kv scan", 0, 0, {"prefix", "from", "to", "reverse", "limit", "format"}, runScan},
        {"export", "kv export", 0, 0, {"out"}, runExport},
        {"import", "kv import", 0, 0, {"in"}, runImport},
    };
    return kSubcommands;
}

}  // namespace

int runKv(const Invocation& inv) {
    const std::string name = inv.args.empty() ? std::string() : inv.args.front();
    const Subcommand* sub = nullptr;
    for (const auto& candidate : subcommands())
        if (name == candidate.name) sub = &candidate;
    if (sub == nullptr)
        throw usage(
            (name.empty() ? std::string("kv needs") : "unknown kv command '" + name + "';") +
            " one of get, put, del, scan, export, import; run 'plugdb kv --help'");
    const std::size_t args = inv.args.size() - 1;
    if (args < sub->minArgs || args > sub->maxArgs)
        throw usage(std::string("wrong number of arguments: plugdb ") + sub->usage +
                    "; run 'plugdb kv --help'");
    for (const auto& option : inv.given)
        if (kKvOptions.contains(option) && !sub->options.contains(option))
            throw usage("option --" + option + " does not apply to 'kv " + name +
                        "'; run 'plugdb kv --help'");

    // Refused before the database opens.
    if (name == "get" && inv.kv.out && given(inv, "format"))
        throw usage("kv get: --out writes the value's bytes; drop --format");
    if (name == "put" && args == 2 && !inv.file.empty())
        throw usage("kv put: give VALUE or --file, not both");
    if (inv.kv.prefix && (inv.kv.from || inv.kv.to))
        throw usage("kv scan: give --prefix or --from/--to, not both");
    if (inv.kv.limit) parseLimit(*inv.kv.limit);
    if (given(inv, "format")) parseFormat(inv.format);

    Database db = Database::open(oneShot(inv.config));
    KeyValue kv = db.kv(inv.kv.ns.value_or(std::string(kDefaultNamespace)));
    return sub->run(inv, db, kv);
}

}  // namespace plugdb::host
