#include "app.h"

#include <Poco/Util/Option.h>
#include <Poco/Util/OptionProcessor.h>

#include <algorithm>
#include <iostream>
#include <map>
#include <set>
#include <sstream>

#include "logging.h"
#include "plugdb/driver.h"
#include "plugdb/error.h"
#include "plugdb/secrets.h"

using Poco::Util::Option;

namespace plugdb::host {
namespace {

struct CommandSpec {
    const char* name;
    const char* usage;
    const char* summary;
    std::set<std::string> options;  // command-specific long options it accepts
    int (*run)(const Invocation&);
};

const std::vector<CommandSpec>& commands() {
    static const std::vector<CommandSpec> kCommands{
        {"drivers",
         "drivers [--format table|json]",
         "List the driver plugins found on the plugin path, and files refused with the reason.",
         {"format"},
         runDrivers},
        {"ping",
         "ping",
         "Connect, print the engine and server version and the round-trip time.",
         {},
         runPing},
        {"sql",
         "sql [SQL...] [--file FILE|-] [--param VALUE]... [--format table|csv|json]\n"
         "          | --named NAME [--param NAME=VALUE]...",
         "Run statements from the arguments, a file or standard input. Placeholders are '?';\n"
         "  --param binds them in order across all statements, and the counts must match\n"
         "  before anything runs. A value goes to the engine as the text typed ('007' stays\n"
         "  '007'; the engine converts it for a numeric column); choose a type with int:,\n"
         "  double:, text:, bool: (true/false, yes/no, on/off, 1/0) or ts: (timestamp), or\n"
         "  write null. --file reads a regular file of at most limits.sql_file_bytes bytes;\n"
         "  '-' reads standard input. --named NAME runs the named query NAME of queries.path\n"
         "  (docs/named-queries.md), its variant for this engine if it has one; each --param\n"
         "  is then NAME=VALUE (VALUE as above) for its :NAME parameter.",
         {"file", "param", "format", "named"},
         runSql},
        {"queries",
         "queries list | check   [--format table|json]",
         "The named queries of queries.path (default ./queries; docs/named-queries.md).\n"
         "  'list' loads and checks the files without connecting, and prints each query with\n"
         "  its variants, file and line, and parameters. 'check' also prepares each one, its\n"
         "  variant for this engine, on the database (not running it), so a typo or a\n"
         "  missing table is named with its file and line.",
         {"format"},
         runQueries},
        {"config",
         "config show",
         "Show the effective configuration: every key, its value (secrets masked) and the\n"
         "  layer it came from.",
         {},
         runConfig},
        {"serve",
         "serve [--listen HOST:PORT]",
         "Keep the database open and answer GET and HEAD /health, /health/database,\n"
         "  /health/detailed, /ready, /readyz, /live, /livez and /metrics (Prometheus) over\n"
         "  HTTP/1.1 until SIGTERM or SIGINT. With migrate.auto (default for SQLite) it applies\n"
         "  pending migrations first and is not ready until they are in. The database opens\n"
         "  in the background, retried with connect.backoff_* while unreachable; a\n"
         "  configuration error ends serve (exit 78), so does an address in use (exit 69).\n"
         "  Each connection carries one request, whose head must arrive within\n"
         "  http.header_timeout (5s, else 408) and fit in 8 KiB (else 431); at most\n"
         "  http.max_connections (256) are open, beyond that the oldest unfinished one is closed.",
         {"listen"},
         runServe},
        {"migrate",
         "migrate up [N] | down [N] | goto V | status | create NAME | plan [N] | validate |\n"
         "          repair | force V | baseline V   [--yes] [--out-of-order] [--format table|json]",
         "Apply, revert and inspect the migrations in migrations.path (DB_MIGRATE_PATH,\n"
         "  default ./migrations; layout in migrations/README.md). 'down' reverts one\n"
         "  migration, 'down N' asks before reverting more unless --yes. 'status' lists\n"
         "  applied, pending, changed and failed versions; 'plan' prints the SQL 'up' would\n"
         "  run on this engine, trying the server once; with --driver NAME and no database\n"
         "  configured it prints every migration for that driver without connecting.\n"
         "  'repair' accepts edited files and forgets failed attempts; 'force V' and\n"
         "  'baseline V' record a version without running anything. A script without\n"
         "  statements is refused unless it has a line '-- plugdb:empty'.",
         {"yes", "out-of-order", "format"},
         runMigrate},
        {"kv",
         "kv get KEY [--out FILE|-] | put KEY [VALUE | --file FILE|-] | del KEY |\n"
         "          scan [--prefix P | [--from K] [--to K]] [--reverse] [--limit N] |\n"
         "          export [--out FILE] | import [--in FILE]   [--ns NAME] [--format "
         "table|csv|json]",
         "Read and write the key-value pairs of one namespace (--ns, default 'default') on any\n"
         "  engine: natively on rocksdb, in the table plugdb_kv on SQL engines. Keys, values\n"
         "  and bounds typed as arguments are UTF-8 text, or bytes written hex:00ff or\n"
         "  base64:AP8= (text:... is the text after 'text:'; a KEY starting with '-' goes after\n"
         "  '--'). Output shows a key or value that is printable UTF-8 as it is, anything else\n"
         "  (and text starting with hex:, base64: or text:) as hex:...; JSON has \"key\" and\n"
         "  \"value\" for UTF-8 text, \"key_base64\" and \"value_base64\" otherwise. get prints\n"
         "  the value (--out writes its exact bytes to FILE, '-' standard output) and exits 1\n"
         "  when the key is absent, so does del. put reads the value from --file (a regular\n"
         "  file) or, without VALUE, standard input, as bytes. scan's --to is exclusive;\n"
         "  --limit counts pairs. export writes a snapshot of the namespace as JSON lines: a\n"
         "  header {\"format\":\"plugdb-kv\",\"version\":1,\"namespace\":...}, one\n"
         "  {\"key_base64\":...,\"value_base64\":...} per pair, a trailer {\"count\":N}. import\n"
         "  checks the whole file first (a bad line is named, nothing is written), then puts the\n"
         "  pairs in atomic batches into the file's namespace (or --ns); existing keys are\n"
         "  overwritten, others kept.",
         {"ns", "prefix", "from", "to", "reverse", "limit", "format", "file", "out", "in"},
         runKv},
    };
    return kCommands;
}

const CommandSpec* findCommand(const std::string& name) {
    for (const auto& spec : commands())
        if (name == spec.name) return &spec;
    return nullptr;
}

const std::set<std::string> kGlobalOptions{
    "help", "version", "config", "url", "driver", "plugin-path", "set", "log-level", "log-format"};

int exitCodeFor(ErrorCategory category) {
    switch (category) {
        case ErrorCategory::Config:
            return kExitConfig;
        case ErrorCategory::Plugin:
        case ErrorCategory::Connection:
        case ErrorCategory::Auth:
        case ErrorCategory::Timeout:
        case ErrorCategory::CommitUnknown:
            return kExitUnavailable;
        case ErrorCategory::Permission:
            return kExitNoPermission;
        case ErrorCategory::InvalidArgument:
            return kExitUsage;
        default:
            return kExitSqlError;
    }
}

}  // namespace

void HostApp::defineOptions(Poco::Util::OptionSet& options) {
    Application::defineOptions(options);
    auto add = [&](const char* name, const char* shortName, const char* help, const char* arg,
                   bool repeatable = false) {
        Option option(name, shortName, help);
        option.required(false).repeatable(repeatable);
        if (arg != nullptr) option.argument(arg);
        options.addOption(option);
    };
    add("help", "h", "Show help (for a command: plugdb COMMAND --help).", nullptr);
    add("version", "", "Print the plugdb version.", nullptr);
    add("config", "c",
        "Read configuration from FILE (.json, .ini, .properties, .toml); env PLUGDB_CONFIG.",
        "FILE");
    add("url", "u", "Database URL (db.url), e.g. sqlite:./app.db or postgres://host/db.", "URL");
    add("driver", "d", "Driver name (db.driver).", "NAME");
    add("plugin-path", "", "Colon-separated directories searched first for plugins (plugins.path).",
        "DIRS");
    add("set", "", "Set any configuration key, e.g. --set pool.max_open=10.", "KEY=VALUE", true);
    add("log-level", "", "Log level: error, warning, information, debug, trace (log.level).",
        "LEVEL");
    add("log-format", "", "Log format: plain or json (log.format).", "FORMAT");
    add("file", "f",
        "sql: read statements from FILE ('-' for standard input); kv put: read the value from "
        "FILE.",
        "FILE");
    add("param", "p",
        "sql: bind the next placeholder to VALUE (repeatable); with --named, NAME=VALUE.", "VALUE",
        true);
    add("named", "", "sql: run the named query NAME (queries.path).", "NAME");
    add("format", "", "Output format: table, csv or json.", "FORMAT");
    add("yes", "y", "migrate: do not ask before reverting several migrations.", nullptr);
    add("out-of-order", "", "migrate: apply pending versions lower than applied ones.", nullptr);
    add("listen", "l", "serve: address to listen on (http.listen), default 127.0.0.1:8080.",
        "HOST:PORT");
    add("ns", "", "kv: the namespace, 1-64 bytes of [A-Za-z0-9_.-] (default 'default').", "NAME");
    add("prefix", "", "kv scan: only keys starting with P.", "P");
    add("from", "", "kv scan: from key K on (inclusive).", "K");
    add("to", "", "kv scan: up to key K (exclusive).", "K");
    add("reverse", "", "kv scan: the last key first.", nullptr);
    add("limit", "", "kv scan: at most N pairs.", "N");
    add("out", "", "kv get: write the value's bytes to FILE; kv export: write the dump to FILE.",
        "FILE");
    add("in", "", "kv import: read the dump from FILE (default: standard input).", "FILE");
}

void HostApp::handleOption(const std::string& name, const std::string& value) {
    Application::handleOption(name, value);
    givenOptions_.push_back(name);
    static const std::map<std::string, std::string> kFlagKeys{
        {"url", "db.url"},          {"driver", "db.driver"},      {"plugin-path", "plugins.path"},
        {"log-level", "log.level"}, {"log-format", "log.format"}, {"listen", "http.listen"}};
    if (name == "help") {
        help_ = true;
    } else if (name == "version") {
        version_ = true;
    } else if (name == "config") {
        configFile_ = value;
    } else if (name == "file") {
        invocation_.file = value;
    } else if (name == "param") {
        invocation_.params.push_back(value);
    } else if (name == "named") {
        invocation_.named = value;
    } else if (name == "yes") {
        invocation_.yes = true;
    } else if (name == "out-of-order") {
        invocation_.outOfOrder = true;
    } else if (name == "format") {
        invocation_.format = value;
    } else if (name == "ns") {
        invocation_.kv.ns = value;
    } else if (name == "prefix") {
        invocation_.kv.prefix = value;
    } else if (name == "from") {
        invocation_.kv.from = value;
    } else if (name == "to") {
        invocation_.kv.to = value;
    } else if (name == "reverse") {
        invocation_.kv.reverse = true;
    } else if (name == "limit") {
        invocation_.kv.limit = value;
    } else if (name == "out") {
        invocation_.kv.out = value;
    } else if (name == "in") {
        invocation_.kv.in = value;
    } else if (name == "set") {
        const auto eq = value.find('=');
        if (eq == std::string::npos || eq == 0)
            throw Error(ErrorCategory::InvalidArgument,
                        "--set expects KEY=VALUE, got '" + secrets::mask(value) + "'");
        flagSettings_.emplace_back(value.substr(0, eq), value.substr(eq + 1));
        flagOrigins_.push_back("--set " + value.substr(0, eq));
    } else if (auto key = kFlagKeys.find(name); key != kFlagKeys.end()) {
        flagSettings_.emplace_back(key->second, value);
        flagOrigins_.push_back("--" + name);
    }
}

Config oneShot(const Config& config) {
    Config result = config;
    const Setting* attempts = config.find("connect.attempts");
    if (attempts == nullptr || attempts->layer == Layer::Default)
        result.set("connect.attempts", "1", Layer::Default, "one-shot command");
    return result;
}

Config HostApp::buildConfig() const {
    Config config = Config::withDefaults();
    std::string file = configFile_;
    if (file.empty()) file = Config::processEnvironment()("PLUGDB_CONFIG").value_or("");
    if (!file.empty()) config.loadFile(file);
    config.loadEnvironment();
    for (std::size_t i = 0; i < flagSettings_.size(); ++i)
        config.set(flagSettings_[i].first, flagSettings_[i].second, Layer::CommandLine,
                   flagOrigins_[i]);
    // Commands check named queries as files without preparing them: a missing
    // table must not stop `migrate up` or `ping`. `plugdb queries check`
    // prepares them, and serve does after its migrations.
    const Setting* prepare = config.find("queries.prepare_on_open");
    if (prepare == nullptr || prepare->layer == Layer::Default)
        config.set("queries.prepare_on_open", "false", Layer::Default,
                   "plugdb (queries check and serve prepare them)");
    return config;
}

namespace {

// "-c FILE, --config=FILE": how an option is written on the command line.
std::string optionSyntax(const Poco::Util::Option& option) {
    std::string text;
    if (!option.shortName().empty()) text = "-" + option.shortName() + ", ";
    text += "--" + option.fullName();
    if (option.takesArgument()) text += "=" + option.argumentName();
    return text;
}

// One line per option, descriptions aligned and wrapped at 100 columns.
void printOptions(const Poco::Util::OptionSet& options, const std::set<std::string>& names,
                  std::ostream& out) {
    std::size_t width = 0;
    for (const auto& option : options)
        if (names.contains(option.fullName())) width = std::max(width, optionSyntax(option).size());
    const std::size_t indent = 2 + width + 2;
    for (const auto& option : options) {
        if (!names.contains(option.fullName())) continue;
        const std::string syntax = optionSyntax(option);
        out << "  " << syntax << std::string(width - syntax.size() + 2, ' ');
        std::size_t column = indent;
        std::istringstream words(option.description());
        bool first = true;
        for (std::string word; words >> word; first = false) {
            if (!first && column + 1 + word.size() > 100) {
                out << "\n" << std::string(indent, ' ');
                column = indent;
            } else if (!first) {
                out << ' ';
                ++column;
            }
            out << word;
            column += word.size();
        }
        out << "\n";
    }
}

void printExitCodes(std::ostream& out) {
    out << "\nexit codes:\n"
           "  0  success\n"
           "  1  kv get, kv del: the key is absent\n"
           " 64  usage error (bad arguments, wrong number of --param values)\n"
           " 65  the database rejected a statement (syntax, constraint, bad data, ...)\n"
           " 66  an input file could not be read\n"
           " 69  database or driver unavailable (connection, authentication, timeout, plugin)\n"
           " 70  internal error\n"
           " 77  permission denied by the database\n"
           " 78  configuration error\n";
}

}  // namespace

void HostApp::printHelp(const std::string& command) const {
    std::ostream& out = std::cout;
    if (const CommandSpec* commandSpec = findCommand(command)) {
        out << "usage: plugdb [global options] " << commandSpec->usage << "\n\n  "
            << commandSpec->summary << "\n";
        if (!commandSpec->options.empty()) {
            out << "\noptions:\n";
            printOptions(options(), commandSpec->options, out);
        }
        out << "\nThe global options (--config, --url, --set, --log-level, ...) and the\n"
               "configuration layers: plugdb --help\n";
        printExitCodes(out);
        return;
    }
    out << "usage: plugdb [global options] COMMAND [arguments]\n\n"
           "plugdb runs one program against SQLite, PostgreSQL, MySQL/MariaDB and more\n"
           "through driver plugins chosen by configuration.\n\ncommands:\n";
    for (const auto& spec : commands()) out << "  " << spec.usage << "\n";
    out << "\nglobal options:\n";
    printOptions(options(), kGlobalOptions, out);
    out << "\nplugdb COMMAND --help shows a command's own options.\n"
           "\nconfiguration layers (later wins): built-in defaults < config file < environment\n"
           "(DATABASE_URL, DB_DRIVER, DB_HOST, DB_PASSWORD, ...) < command line. With nothing\n"
           "configured plugdb uses SQLite at ./var/plugdb.db.\n";
    printExitCodes(out);
}

void HostApp::parseArguments(int argc, char** argv) {
    // Poco's Application erases each processed argument from the front of a
    // vector, which is quadratic in their number; this loop is linear.
    Poco::Util::OptionProcessor processor(options());
    processor.setUnixStyle(true);
    for (int i = 1; i < argc; ++i) {
        const std::string argument = argv[i];
        std::string name, value;
        if (processor.process(argument, name, value)) {
            if (!name.empty()) handleOption(name, value);  // empty: "--" or a value comes next
        } else {
            arguments_.push_back(argument);
        }
    }
    processor.checkRequired();
}

int HostApp::main(const std::vector<std::string>&) {
    const std::vector<std::string>& args = arguments_;
    if (version_) {
        std::cout << "plugdb " << PLUGDB_VERSION << " (plugin ABI " << kAbiMajor << "." << kAbiMinor
                  << ")\n";
        return kExitOk;
    }
    const std::string command = args.empty() ? std::string() : args.front();
    if (help_ || command.empty() || command == "help") {
        printHelp(command == "help" && args.size() > 1 ? args[1] : command);
        return command.empty() && !help_ ? kExitUsage : kExitOk;
    }
    const CommandSpec* spec = findCommand(command);
    if (spec == nullptr) {
        std::cerr << "plugdb: unknown command '" << command << "'; run 'plugdb --help'\n";
        return kExitUsage;
    }
    for (const auto& option : givenOptions_) {
        if (!kGlobalOptions.contains(option) && !spec->options.contains(option)) {
            std::cerr << "plugdb: option --" << option << " does not apply to '" << command
                      << "'; run 'plugdb " << command << " --help'\n";
            return kExitUsage;
        }
    }
    try {
        invocation_.command = command;
        invocation_.args.assign(args.begin() + 1, args.end());
        invocation_.given = givenOptions_;
        invocation_.config = buildConfig();
        configureLogging(invocation_.config);
        return spec->run(invocation_);
    } catch (const Error& e) {
        std::cerr << "plugdb: " << toString(e.category()) << " error: " << secrets::mask(e.what())
                  << "\n";
        return exitCodeFor(e.category());
    } catch (const Poco::Exception& e) {
        std::cerr << "plugdb: error: " << secrets::mask(e.displayText()) << "\n";
        return kExitSoftware;
    } catch (const std::exception& e) {
        std::cerr << "plugdb: error: " << secrets::mask(e.what()) << "\n";
        return kExitSoftware;
    }
}

}  // namespace plugdb::host
