#include "plugdb/read_snapshot.h"

namespace plugdb {

// Out of line: the interface's type_info lives once, in core, so dynamic_cast
// finds it across plugins.
ReadSnapshotProvider::~ReadSnapshotProvider() = default;

}  // namespace plugdb
