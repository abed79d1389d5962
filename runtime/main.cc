#include <cstdio>

int main() {
  std::puts("edgerun " EDGERUN_VERSION);
  return 0;
}
