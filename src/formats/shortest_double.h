// formats/shortest_double.h — the shortest text that reads back as the same double, exactly as
// std::to_chars(first, last, x) writes it (the C++ "plain" format: fixed or scientific,
// whichever is shorter, fixed on a tie), but faster for the numbers of a report.
#pragma once

namespace trellis::formats {

// Room WriteShortestDouble needs after `out`: it copies fixed-size blocks and may write past
// the end of the text (at most 26 characters) by up to this many bytes in all.
inline constexpr int kShortestDoubleRoom = 48;

// Writes the finite double x at `out` with the characters of std::to_chars(out, out + 32, x)
// and returns the end of the text. Needs kShortestDoubleRoom bytes at `out`.
char* WriteShortestDouble(char* out, double x);

}  // namespace trellis::formats
