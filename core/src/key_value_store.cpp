#include "plugdb/key_value_store.h"

namespace plugdb {

// Defined here, in core, so every plugin shares one vtable and type identity
// for the dynamic_cast that finds the interface.
KvCursor::~KvCursor() = default;
KeyValueStore::~KeyValueStore() = default;

}  // namespace plugdb
