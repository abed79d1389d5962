#include "runtime/cli.h"

int main(int argc, char** argv) {
  return edgerun::runtime::RunCli(argc, argv);
}
