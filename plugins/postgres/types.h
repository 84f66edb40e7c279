// Converting between plugdb values and PostgreSQL's wire formats.
#pragma once

#include <libpq-fe.h>

#include <string>

#include "error.h"
#include "plugdb/value.h"

namespace plugdb::postgres {

// Built-in type OIDs (pg_type.dat); libpq ships no header with them.
enum Oid : ::Oid {
    kUnknownOid = 0,
    kBoolOid = 16,
    kByteaOid = 17,
    kInt8Oid = 20,
    kInt2Oid = 21,
    kInt4Oid = 23,
    kTextOid = 25,
    kOidOid = 26,
    kFloat4Oid = 700,
    kFloat8Oid = 701,
    kBpcharOid = 1042,
    kVarcharOid = 1043,
    kDateOid = 1082,
    kTimeOid = 1083,
    kIntervalOid = 1186,
    kTimeTzOid = 1266,
    kBitOid = 1560,
    kVarbitOid = 1562,
    kNumericOid = 1700,
    kTimestampOid = 1114,
    kTimestampTzOid = 1184,
};

// The plugdb type a column of this OID decodes to (Text for the rest).
Type typeForOid(::Oid oid);

// The pg_type name of a built-in type with its modifier (PQfmod; -1 for
// none): "int8", "varchar(64)", "numeric(10,2)", "timestamptz(3)", "int4[]".
// Empty for types outside the table (the catalog names those).
std::string builtinTypeName(::Oid oid, int typmod);

// One bound parameter: its declared type, text or binary bytes, and format.
struct Param {
    ::Oid type = kUnknownOid;
    std::string bytes;
    bool isNull = false;
    bool binary = false;
};

// Text stays untyped ("unknown") so the server infers it, like a literal would.
Param encode(const Value& value);

// Appends a value as one field of COPY's text format (\N for NULL, escaped text).
void appendCopyField(const Value& value, std::string& out);

// Decodes one text-format field. Throws plugdb::Error (other), in the words of
// `errors`' engine, for a field its type's text format does not allow (e.g.
// bytea that is neither hex nor escape).
Value decode(::Oid oid, const char* text, int length, const ErrorFlavor& errors);

}  // namespace plugdb::postgres
