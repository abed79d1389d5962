// The few Flang runtime entry points the demo's Fortran uses, for wasm32-wasi. Debian ships the
// Flang runtime only as an x86-64 archive, and flang-16 passes lengths as 64-bit even for a
// 32-bit target (TOOLCHAINS.md §4.1), so every length here is int64_t: a size_t would link
// with only a signature-mismatch warning and trap at run time (we link with --fatal-warnings).
//
// Supported:
//  - list-directed output to the default unit (`print *, ...`) of character, integer(4/8),
//    real(4/8) and logical items, spaced as flang-16's own runtime spaces them;
//  - formatted output with the single format '(a)' / '(A)' (one record per character item list,
//    no leading blank), which CGI headers need: list-directed records start with a blank;
//  - STOP and ERROR STOP, with a code or a message.
// Anything else leaves an undefined `_Fortran*` import, which the build refuses.
#include <math.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum statement_kind { kListDirected, kFormattedA };

// One I/O statement at a time: the demo's programs are single-threaded.
struct io_statement {
  enum statement_kind kind;
  bool at_record_start;
  // flang-16 omits the separating blank before a character item once any character item has
  // been written in the statement (`print *, 'a', 42, 'b'` gives " a 42b"); we do the same.
  bool wrote_character;
  bool failed;
};

static struct io_statement current;

static void emit(const char* bytes, size_t n) {
  if (n > 0 && fwrite(bytes, 1, n, stdout) != n) current.failed = true;
  current.at_record_start = false;
}

struct io_statement* _FortranAioBeginExternalListOutput(int32_t unit, const char* source_file,
                                                        int32_t source_line) {
  (void)unit, (void)source_file, (void)source_line;
  current = (struct io_statement){kListDirected, true, false, false};
  return &current;
}

static bool is_format_a(const char* format, int64_t length) {
  char compact[8];
  size_t n = 0;
  for (int64_t i = 0; i < length; ++i) {
    if (format[i] == ' ') continue;
    if (n == sizeof compact - 1) return false;
    compact[n++] = format[i];
  }
  compact[n] = '\0';
  return strcmp(compact, "(a)") == 0 || strcmp(compact, "(A)") == 0;
}

static _Noreturn void unsupported(const char* what, const char* source_file, int32_t line) {
  fflush(stdout);
  fprintf(stderr, "fortran shim: %s is not supported (%s:%d)\n", what,
          source_file ? source_file : "?", (int)line);
  exit(2);
}

struct io_statement* _FortranAioBeginExternalFormattedOutput(const char* format, int64_t length,
                                                             const void* format_descriptor,
                                                             int32_t unit, const char* source_file,
                                                             int32_t source_line) {
  (void)format_descriptor, (void)unit;
  if (!is_format_a(format, length))
    unsupported("a format other than '(a)'", source_file, source_line);
  current = (struct io_statement){kFormattedA, true, false, false};
  return &current;
}

static bool list_item(struct io_statement* io, const char* text, size_t n) {
  if (io->kind != kListDirected) unsupported("a non-character item under format '(a)'", NULL, 0);
  emit(" ", 1);
  emit(text, n);
  return !io->failed;
}

bool _FortranAioOutputAscii(struct io_statement* io, const char* text, int64_t length) {
  if (length <= 0) return true;
  if (io->kind == kListDirected && (io->at_record_start || !io->wrote_character)) emit(" ", 1);
  emit(text, (size_t)length);
  io->wrote_character = true;
  return !io->failed;
}

bool _FortranAioOutputInteger32(struct io_statement* io, int32_t value) {
  char text[16];
  return list_item(io, text, (size_t)snprintf(text, sizeof text, "%d", (int)value));
}

bool _FortranAioOutputInteger64(struct io_statement* io, int64_t value) {
  char text[24];
  return list_item(io, text, (size_t)snprintf(text, sizeof text, "%lld", (long long)value));
}

bool _FortranAioOutputLogical(struct io_statement* io, bool value) {
  return list_item(io, value ? "T" : "F", 1);
}

// Shortest decimal digits that read back as the same value: "%.*e" with growing precision.
// Leaves the digits (no dot, no trailing zeros) in `digits` and returns the exponent e such
// that |value| = 0.digits x 10^e. `single` compares as float, for real(4).
static int shortest_digits(double magnitude, bool single, char* digits) {
  char text[40];
  int max_precision = single ? 9 : 17;
  for (int precision = 1; precision <= max_precision; ++precision) {
    snprintf(text, sizeof text, "%.*e", precision - 1, magnitude);
    double back = strtod(text, NULL);
    if (single ? (float)back == (float)magnitude : back == magnitude) break;
  }
  size_t n = 0;
  const char* p = text;
  for (; *p != 'e'; ++p) {
    if (*p != '.') digits[n++] = *p;
  }
  while (n > 1 && digits[n - 1] == '0')
    --n;
  digits[n] = '\0';
  return atoi(p + 1) + 1;
}

// flang-16's list-directed real editing: the value rounded to one significant digit decides
// the form. Below 0.1 or at/above 10^precision (15 for real(8), 7 for real(4)) it is 1P E
// editing ("1.E-05", "9.999999999999999E+14"), otherwise F editing with the shortest digits
// and no leading zero (".1", "5.", "123.456").
static bool output_real(struct io_statement* io, double value, bool single) {
  char text[64];
  size_t n = 0;
  if (isnan(value)) return list_item(io, "NaN", 3);
  if (signbit(value)) text[n++] = '-';
  double magnitude = fabs(value);
  if (isinf(magnitude)) {
    memcpy(text + n, "Inf", 3);
    return list_item(io, text, n + 3);
  }
  if (magnitude == 0) {
    memcpy(text + n, "0.", 2);
    return list_item(io, text, n + 2);
  }
  char one_digit[8];
  snprintf(one_digit, sizeof one_digit, "%.0e", magnitude);
  int rounded_exponent = atoi(strchr(one_digit, 'e') + 1) + 1;
  char digits[24];
  int exponent = shortest_digits(magnitude, single, digits);
  size_t count = strlen(digits);
  int precision = single ? 7 : 15;
  if (rounded_exponent < 0 || rounded_exponent > precision) {
    text[n++] = digits[0];
    text[n++] = '.';
    memcpy(text + n, digits + 1, count - 1);
    n += count - 1;
    n += (size_t)snprintf(text + n, sizeof text - n, "E%c%02d", exponent - 1 < 0 ? '-' : '+',
                          abs(exponent - 1));
  } else if (exponent <= 0) {
    text[n++] = '.';
    for (int i = exponent; i < 0; ++i)
      text[n++] = '0';
    memcpy(text + n, digits, count);
    n += count;
  } else if ((size_t)exponent >= count) {
    memcpy(text + n, digits, count);
    n += count;
    for (size_t i = count; i < (size_t)exponent; ++i)
      text[n++] = '0';
    text[n++] = '.';
  } else {
    memcpy(text + n, digits, (size_t)exponent);
    n += (size_t)exponent;
    text[n++] = '.';
    memcpy(text + n, digits + exponent, count - (size_t)exponent);
    n += count - (size_t)exponent;
  }
  return list_item(io, text, n);
}

bool _FortranAioOutputReal64(struct io_statement* io, double value) {
  return output_real(io, value, false);
}

bool _FortranAioOutputReal32(struct io_statement* io, float value) {
  return output_real(io, value, true);
}

// Ends the record. Returns the IOSTAT value: 0, or nonzero if a write failed.
int32_t _FortranAioEndIoStatement(struct io_statement* io) {
  if (fputc('\n', stdout) == EOF) io->failed = true;
  return io->failed ? 1 : 0;
}

// `stop [code]` / `error stop [code]`: the messages and exit codes of flang-16's runtime.
_Noreturn void _FortranAStopStatement(int32_t code, bool is_error_stop, bool quiet) {
  fflush(stdout);
  if (!quiet && (code != 0 || is_error_stop)) {
    fprintf(stderr, "Fortran %s: code %d\n", is_error_stop ? "ERROR STOP" : "STOP", (int)code);
  }
  exit(code);
}

_Noreturn void _FortranAStopStatementText(const char* text, int64_t length, bool is_error_stop,
                                          bool quiet) {
  fflush(stdout);
  if (!quiet) {
    fprintf(stderr, "Fortran %s: %.*s\n", is_error_stop ? "ERROR STOP" : "STOP", (int)length, text);
  }
  exit(is_error_stop ? 1 : 0);
}
