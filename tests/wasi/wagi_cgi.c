// A WAGI (CGI over WASI) command for tests/integration/wagi_test.cc: PATH_INFO picks the answer.
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char* Env(const char* name) {
  const char* value = getenv(name);
  return value ? value : "(unset)";
}

int main(int argc, char** argv) {
  const char* path = Env("PATH_INFO");
  if (strcmp(path, "/env") == 0) {
    printf("Content-Type: text/plain\n\n");
    const char* names[] = {"REQUEST_METHOD",     "PATH_INFO",   "QUERY_STRING",     "CONTENT_TYPE",
                           "CONTENT_LENGTH",     "SERVER_NAME", "SERVER_PROTOCOL",  "HTTP_X_TEST",
                           "HTTP_AUTHORIZATION", "X_FULL_URL",  "GATEWAY_INTERFACE"};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
      printf("%s=%s\n", names[i], Env(names[i]));
    printf("argc=%d argv0=%s\n", argc, argc > 0 ? argv[0] : "");
    return 0;
  }
  if (strcmp(path, "/echo") == 0) {
    printf("Content-Type: application/octet-stream\r\nX-Echo: yes\r\n\r\n");
    char buf[4096];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, stdin)) > 0)
      fwrite(buf, 1, n, stdout);
    return 0;
  }
  if (strcmp(path, "/status") == 0) {
    printf("Status: 404 Not Found\nContent-Type: text/plain\nX-Custom: yes\n\nnot here\n");
    return 0;
  }
  if (strcmp(path, "/redirect") == 0) {
    printf("Location: /elsewhere\n\n");
    return 0;
  }
  if (strcmp(path, "/stderr") == 0) {
    fprintf(stderr, "a note for the log\n");
    printf("Content-Type: text/plain\n\nok\n");
    return 0;
  }
  if (strcmp(path, "/file") == 0) {
    FILE* f = fopen("/data/hello.txt", "r");
    if (f == NULL) {
      printf("Status: 404 Not Found\nContent-Type: text/plain\n\nno file\n");
      return 0;
    }
    printf("Content-Type: text/plain\n\n");
    char buf[256];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, f)) > 0)
      fwrite(buf, 1, n, stdout);
    fclose(f);
    return 0;
  }
  if (strcmp(path, "/trap") == 0) __builtin_trap();
  if (strcmp(path, "/loop") == 0) {
    volatile unsigned n = 0;
    for (;;)
      n = n + 1;
  }
  if (strcmp(path, "/malformed") == 0) {
    printf("this is not a header\n\nbody\n");
    return 0;
  }
  if (strcmp(path, "/no-content-type") == 0) {
    printf("X-Only: this\n\nbody\n");
    return 0;
  }
  if (strcmp(path, "/exit") == 0) return 3;
  printf("Content-Type: text/plain\n\nhello from wagi %s\n", path);
  return 0;
}
