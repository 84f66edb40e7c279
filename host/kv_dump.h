// The portable dump of one key-value namespace: what plugdb kv export writes
// and import reads, the same on every engine (README "Key-value").
//
// JSON lines, self-describing:
//   {"format":"plugdb-kv","version":1,"namespace":"default"}
//   {"key_base64":"YQ==","value_base64":"MQ=="}      one line per pair, in key order
//   {"count":1}                                      the trailer: a cut file is refused
// A reader refuses a version newer than its own; fields it does not know in
// the header are ignored, so later versions may add some.
#pragma once

#include <cstdint>
#include <istream>
#include <optional>
#include <ostream>
#include <string>

#include "plugdb/database.h"

namespace plugdb::host::kv {

// Writes the namespace as of one snapshot; returns the number of pairs.
std::uint64_t exportDump(KeyValue& source, std::ostream& out);

struct ImportResult {
    std::string ns;
    std::uint64_t pairs = 0;
    std::uint64_t batches = 0;
};

// Checks the whole dump first (header, every line, sizes against the target's
// limits, the trailer's count) and writes nothing when a line is wrong: the
// plugdb::Error (invalid_argument) names the line. Then reads `in` again from
// the start (it must be seekable) and puts the pairs into namespace `ns`, or
// the dump's own when unset, in atomic batches of bounded size. When a batch
// fails the error says how many pairs were imported before it.
ImportResult importDump(Database& db, std::istream& in, const std::optional<std::string>& ns);

}  // namespace plugdb::host::kv
