// How plugdb kv reads keys and values from arguments and shows them (README
// "Key-value"): arguments are UTF-8 text unless written hex:... or
// base64:...; output shows printable UTF-8 as it is and anything else as
// hex:..., so what is shown can be typed back.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace plugdb::host::kv {

std::string toHex(std::string_view bytes);
// Standard alphabet with '=' padding (RFC 4648 section 4).
std::string toBase64(std::string_view bytes);
// The bytes, or std::nullopt when `text` is not hex digits in pairs.
std::optional<std::string> fromHex(std::string_view text);
// The bytes, or std::nullopt for anything but canonical padded base64.
std::optional<std::string> fromBase64(std::string_view text);

// An argument's bytes: "hex:..." and "base64:..." decoded, "text:..." the
// text after the prefix, anything else as typed. `what` names the argument in
// the plugdb::Error (invalid_argument) thrown for bad hex or base64.
std::string parseArgument(std::string_view argument, std::string_view what);

// The bytes as a table or CSV cell: as they are when printable UTF-8 that
// does not start like an escape, otherwise "hex:...".
std::string display(std::string_view bytes);

// `"name":"text"` for valid UTF-8, else `"name_base64":"..."`.
std::string jsonField(std::string_view name, std::string_view bytes);

}  // namespace plugdb::host::kv
