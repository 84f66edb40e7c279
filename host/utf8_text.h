// UTF-8 for output: reading code points with invalid bytes replaced by U+FFFD,
// and how many terminal columns a code point takes.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace plugdb::host::utf8 {

inline constexpr char32_t kReplacement = 0xFFFD;

// Calls f(codePoint, bytes) for each code point of `text`. An ill-formed
// sequence is reported as one U+FFFD per maximal invalid subpart (Unicode's
// recommended practice), with the replacement character's bytes.
template <class F>
void forEachCodePoint(std::string_view text, F&& f) {
    static constexpr std::string_view kReplacementBytes = "\xEF\xBF\xBD";
    std::size_t i = 0;
    while (i < text.size()) {
        const auto lead = static_cast<unsigned char>(text[i]);
        if (lead < 0x80) {
            f(static_cast<char32_t>(lead), text.substr(i, 1));
            ++i;
            continue;
        }
        // Length and the allowed range of the second byte (Unicode table 3-7).
        std::size_t length = 0;
        unsigned char low = 0x80, high = 0xBF;
        char32_t cp = 0;
        if (lead >= 0xC2 && lead <= 0xDF) {
            length = 2;
            cp = lead & 0x1F;
        } else if (lead >= 0xE0 && lead <= 0xEF) {
            length = 3;
            cp = lead & 0x0F;
            if (lead == 0xE0) low = 0xA0;
            if (lead == 0xED) high = 0x9F;  // no surrogates
        } else if (lead >= 0xF0 && lead <= 0xF4) {
            length = 4;
            cp = lead & 0x07;
            if (lead == 0xF0) low = 0x90;
            if (lead == 0xF4) high = 0x8F;  // nothing above U+10FFFF
        }
        std::size_t taken = 1;
        while (length != 0 && taken < length && i + taken < text.size()) {
            const auto next = static_cast<unsigned char>(text[i + taken]);
            const unsigned char min = taken == 1 ? low : 0x80, max = taken == 1 ? high : 0xBF;
            if (next < min || next > max) break;
            cp = (cp << 6) | (next & 0x3F);
            ++taken;
        }
        if (length != 0 && taken == length) {
            f(cp, text.substr(i, length));
        } else {
            f(kReplacement, kReplacementBytes);
        }
        i += taken;
    }
}

// `text` with every ill-formed sequence replaced by U+FFFD.
inline std::string valid(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    forEachCodePoint(text, [&](char32_t, std::string_view bytes) { out.append(bytes); });
    return out;
}

namespace detail {
struct Range {
    char32_t first, last;
};

template <std::size_t N>
bool inRanges(char32_t cp, const Range (&ranges)[N]) {
    std::size_t lo = 0, hi = N;  // sorted, disjoint: binary search
    while (lo < hi) {
        const std::size_t mid = (lo + hi) / 2;
        if (cp < ranges[mid].first) {
            hi = mid;
        } else if (cp > ranges[mid].last) {
            lo = mid + 1;
        } else {
            return true;
        }
    }
    return false;
}

// Combining marks and other characters drawn over the previous one (the main
// blocks; not the complete Unicode table).
inline constexpr Range kZeroWidth[] = {
    {0x0300, 0x036F},   {0x0483, 0x0489}, {0x0591, 0x05BD}, {0x05BF, 0x05BF}, {0x05C1, 0x05C2},
    {0x05C4, 0x05C5},   {0x05C7, 0x05C7}, {0x0610, 0x061A}, {0x064B, 0x065F}, {0x0670, 0x0670},
    {0x06D6, 0x06DC},   {0x06DF, 0x06E4}, {0x06E7, 0x06E8}, {0x06EA, 0x06ED}, {0x0711, 0x0711},
    {0x0730, 0x074A},   {0x07A6, 0x07B0}, {0x07EB, 0x07F3}, {0x0900, 0x0902}, {0x093A, 0x093A},
    {0x093C, 0x093C},   {0x0941, 0x0948}, {0x094D, 0x094D}, {0x0951, 0x0957}, {0x0962, 0x0963},
    {0x0E31, 0x0E31},   {0x0E34, 0x0E3A}, {0x0E47, 0x0E4E}, {0x1160, 0x11FF}, {0x1AB0, 0x1AFF},
    {0x1DC0, 0x1DFF},   {0x200B, 0x200F}, {0x2060, 0x2064}, {0x20D0, 0x20FF}, {0x302A, 0x302D},
    {0x3099, 0x309A},   {0xFE00, 0xFE0F}, {0xFE20, 0xFE2F}, {0xFEFF, 0xFEFF}, {0xE0000, 0xE007F},
    {0xE0100, 0xE01EF},
};

// East Asian Wide and Fullwidth characters and emoji.
inline constexpr Range kWide[] = {
    {0x1100, 0x115F},   {0x231A, 0x231B},   {0x2329, 0x232A},   {0x23E9, 0x23EC},
    {0x23F0, 0x23F0},   {0x23F3, 0x23F3},   {0x25FD, 0x25FE},   {0x2614, 0x2615},
    {0x2648, 0x2653},   {0x267F, 0x267F},   {0x2693, 0x2693},   {0x26A1, 0x26A1},
    {0x26AA, 0x26AB},   {0x26BD, 0x26BE},   {0x26C4, 0x26C5},   {0x26CE, 0x26CE},
    {0x26D4, 0x26D4},   {0x26EA, 0x26EA},   {0x26F2, 0x26F3},   {0x26F5, 0x26F5},
    {0x26FA, 0x26FA},   {0x26FD, 0x26FD},   {0x2705, 0x2705},   {0x270A, 0x270B},
    {0x2728, 0x2728},   {0x274C, 0x274C},   {0x274E, 0x274E},   {0x2753, 0x2755},
    {0x2757, 0x2757},   {0x2795, 0x2797},   {0x27B0, 0x27B0},   {0x27BF, 0x27BF},
    {0x2B1B, 0x2B1C},   {0x2B50, 0x2B50},   {0x2B55, 0x2B55},   {0x2E80, 0x3029},
    {0x302E, 0x303E},   {0x3041, 0x3098},   {0x309B, 0x4DBF},   {0x4E00, 0xA4CF},
    {0xA960, 0xA97F},   {0xAC00, 0xD7A3},   {0xF900, 0xFAFF},   {0xFE10, 0xFE19},
    {0xFE30, 0xFE6F},   {0xFF00, 0xFF60},   {0xFFE0, 0xFFE6},   {0x16FE0, 0x16FE4},
    {0x17000, 0x18CFF}, {0x1B000, 0x1B2FF}, {0x1F004, 0x1F004}, {0x1F0CF, 0x1F0CF},
    {0x1F18E, 0x1F18E}, {0x1F191, 0x1F19A}, {0x1F200, 0x1F2FF}, {0x1F300, 0x1F64F},
    {0x1F680, 0x1F6FF}, {0x1F7E0, 0x1F7EB}, {0x1F90C, 0x1F9FF}, {0x1FA70, 0x1FAFF},
    {0x20000, 0x2FFFD}, {0x30000, 0x3FFFD},
};
}  // namespace detail

// Terminal columns of one printable code point: 0, 1 or 2.
inline int width(char32_t cp) {
    if (detail::inRanges(cp, detail::kZeroWidth)) return 0;
    if (detail::inRanges(cp, detail::kWide)) return 2;
    return 1;
}

// Terminal columns of printable text (control characters count 1: escape them first).
inline std::size_t displayWidth(std::string_view text) {
    std::size_t columns = 0;
    forEachCodePoint(text, [&](char32_t cp, std::string_view) {
        columns += static_cast<std::size_t>(width(cp));
    });
    return columns;
}

}  // namespace plugdb::host::utf8
