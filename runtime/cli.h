// The edgerun command line: serve, check, --version, --help.
#pragma once

namespace edgerun::runtime {

// Returns the process exit code: 0 ok, 1 failure (bad config, worker errors, bind failure),
// 2 usage error.
int RunCli(int argc, char** argv);

}  // namespace edgerun::runtime
