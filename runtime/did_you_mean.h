// "did you mean 'main'?" suggestions for misspelled config keys and names.
#pragma once

#include <optional>
#include <span>
#include <string_view>

namespace edgerun::runtime {

// Edit distance counting an insertion, deletion, substitution or swap of two neighbours as one
// (optimal string alignment), ignoring ASCII case.
size_t EditDistance(std::string_view a, std::string_view b);

// The candidate closest to `word` if it is close enough to be a plausible typo, else nullopt.
// Ties go to the earlier candidate.
std::optional<std::string_view> ClosestMatch(std::string_view word,
                                             std::span<const std::string_view> candidates);

}  // namespace edgerun::runtime
