// Reads a whole file, reporting failures the way the OS words them ("No such file or directory").
#pragma once

#include <filesystem>
#include <optional>
#include <string>

namespace edgerun::runtime {

// Returns the file's bytes, or nullopt with *error set to strerror's text. Directories and other
// non-regular files are refused ("Is a directory", "not a regular file").
std::optional<std::string> ReadFile(const std::filesystem::path& path, std::string* error);

}  // namespace edgerun::runtime
