// The demo's kernels built natively (gfortran -O2), for two jobs:
//   fortran_native reference <dir>   writes the reference outputs the integration test compares
//                                    the WASM served by edgerun with (reference.txt + raw RGB)
//   fortran_native bench <kernel> <args...> <reps>
//                                    times the kernel call alone (clock_gettime, monotonic),
//                                    prints "median_ms min_ms" over <reps> runs
// Numbers are printed with %.17g, which reads back as the same double.
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

// The bind(c) interfaces of fortran-demo/kernels/*.f90 (column-major n x n arrays).
int64_t mandelbrot_rows(int w, int h, int maxiter, double cx, double cy, double span, int row0,
                        int nrows, int8_t* rgb);
void heat_init(int n, double* u);
double heat_run(int n, int steps, double* u, double* work);
void matmul_init(int n, double* a, double* b);
double matmul_run(int n, const double* a, const double* b, double* c);
void dot_init(int n, double* x, double* y);
double dot_run(int n, const double* x, const double* y);

// The view worker.js renders (keep in step with it).
static const double kCx = -0.65, kCy = 0.0, kSpan = 3.0;

static void* checked_malloc(size_t n) {
  void* p = malloc(n ? n : 1);
  if (!p) {
    fprintf(stderr, "out of memory (%zu bytes)\n", n);
    exit(1);
  }
  return p;
}

static double now_ms(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (double)t.tv_sec * 1e3 + (double)t.tv_nsec / 1e6;
}

static int compare_doubles(const void* a, const void* b) {
  double x = *(const double*)a, y = *(const double*)b;
  return (x > y) - (x < y);
}

// One line per case; the test parses "key=value" pairs. The heat samples are u at 0-based
// (n/2, n/2) and (n/4, n/2); the matmul elements are c(1,1), c(n,n), c(1,n), c(n,1).
static void reference_mandelbrot(FILE* out, const char* dir, int w, int h, int iter) {
  int8_t* rgb = checked_malloc((size_t)w * h * 3);
  int64_t total = mandelbrot_rows(w, h, iter, kCx, kCy, kSpan, 0, h, rgb);
  char path[4096];
  snprintf(path, sizeof path, "%s/mandelbrot_%dx%d_%d.rgb", dir, w, h, iter);
  FILE* f = fopen(path, "wb");
  if (!f || fwrite(rgb, 1, (size_t)w * h * 3, f) != (size_t)w * h * 3 || fclose(f) != 0) {
    fprintf(stderr, "cannot write %s: %s\n", path, strerror(errno));
    exit(1);
  }
  fprintf(out, "mandelbrot w=%d h=%d iter=%d iterations=%lld rgb=%s\n", w, h, iter,
          (long long)total, strrchr(path, '/') + 1);
  free(rgb);
}

static void reference_heat(FILE* out, int n, int steps) {
  double* u = checked_malloc(sizeof(double) * n * n);
  double* work = checked_malloc(sizeof(double) * n * n);
  heat_init(n, u);
  double total = heat_run(n, steps, u, work);
  fprintf(out, "heat n=%d steps=%d total=%.17g center=%.17g quarter=%.17g\n", n, steps, total,
          u[n / 2 + (size_t)(n / 2) * n], u[n / 4 + (size_t)(n / 2) * n]);
  free(u);
  free(work);
}

static void reference_matmul(FILE* out, int n) {
  double* a = checked_malloc(sizeof(double) * n * n);
  double* b = checked_malloc(sizeof(double) * n * n);
  double* c = checked_malloc(sizeof(double) * n * n);
  matmul_init(n, a, b);
  double checksum = matmul_run(n, a, b, c);
  size_t last = (size_t)n - 1;
  fprintf(out, "matmul n=%d checksum=%.17g c11=%.17g cnn=%.17g c1n=%.17g cn1=%.17g\n", n, checksum,
          c[0], c[last + last * n], c[last * n], c[last]);
  free(a);
  free(b);
  free(c);
}

static void reference_dot(FILE* out, int n) {
  double* x = checked_malloc(sizeof(double) * n);
  double* y = checked_malloc(sizeof(double) * n);
  dot_init(n, x, y);
  fprintf(out, "dot n=%d dot=%.17g\n", n, dot_run(n, x, y));
  free(x);
  free(y);
}

static int reference(const char* dir) {
  if (mkdir(dir, 0755) != 0 && errno != EEXIST) {
    fprintf(stderr, "cannot create %s: %s\n", dir, strerror(errno));
    return 1;
  }
  char path[4096];
  snprintf(path, sizeof path, "%s/reference.txt.tmp", dir);
  FILE* out = fopen(path, "w");
  if (!out) {
    fprintf(stderr, "cannot write %s: %s\n", path, strerror(errno));
    return 1;
  }
  // Odd and non-square sizes on purpose: a stride or transposition bug shows.
  reference_mandelbrot(out, dir, 160, 120, 200);
  reference_mandelbrot(out, dir, 97, 61, 500);
  reference_heat(out, 64, 200);
  reference_heat(out, 37, 50);
  reference_matmul(out, 50);
  reference_matmul(out, 7);
  reference_dot(out, 100000);
  reference_dot(out, 1);
  if (fclose(out) != 0) return 1;
  char final_path[4096];
  snprintf(final_path, sizeof final_path, "%s/reference.txt", dir);
  return rename(path, final_path) == 0 ? 0 : 1;
}

static int usage(void) {
  fprintf(stderr,
          "usage: fortran_native reference <dir>\n"
          "       fortran_native bench mandelbrot <w> <h> <iter> <reps>\n"
          "       fortran_native bench heat <n> <steps> <reps>\n"
          "       fortran_native bench matmul <n> <reps>\n"
          "       fortran_native bench dot <n> <reps>\n");
  return 2;
}

static int bench(int argc, char** argv) {
  if (argc < 2) return usage();
  const char* kernel = argv[0];
  int reps = atoi(argv[argc - 1]);
  int p[3] = {0, 0, 0};
  for (int i = 1; i < argc - 1 && i <= 3; ++i)
    p[i - 1] = atoi(argv[i]);
  if (reps < 1) return usage();
  double* times = checked_malloc(sizeof(double) * reps);
  double* buf[3] = {NULL, NULL, NULL};
  double sink = 0;
  for (int r = 0; r < reps; ++r) {
    double t0 = 0, t1 = 0;
    if (strcmp(kernel, "mandelbrot") == 0 && argc == 5) {
      int8_t* rgb = checked_malloc((size_t)p[0] * p[1] * 3);
      t0 = now_ms();
      sink += (double)mandelbrot_rows(p[0], p[1], p[2], kCx, kCy, kSpan, 0, p[1], rgb);
      t1 = now_ms();
      free(rgb);
    } else if (strcmp(kernel, "heat") == 0 && argc == 4) {
      size_t n2 = (size_t)p[0] * p[0];
      buf[0] = checked_malloc(sizeof(double) * n2);
      buf[1] = checked_malloc(sizeof(double) * n2);
      heat_init(p[0], buf[0]);
      t0 = now_ms();
      sink += heat_run(p[0], p[1], buf[0], buf[1]);
      t1 = now_ms();
    } else if (strcmp(kernel, "matmul") == 0 && argc == 3) {
      size_t n2 = (size_t)p[0] * p[0];
      for (int i = 0; i < 3; ++i)
        buf[i] = checked_malloc(sizeof(double) * n2);
      matmul_init(p[0], buf[0], buf[1]);
      t0 = now_ms();
      sink += matmul_run(p[0], buf[0], buf[1], buf[2]);
      t1 = now_ms();
    } else if (strcmp(kernel, "dot") == 0 && argc == 3) {
      buf[0] = checked_malloc(sizeof(double) * p[0]);
      buf[1] = checked_malloc(sizeof(double) * p[0]);
      dot_init(p[0], buf[0], buf[1]);
      t0 = now_ms();
      sink += dot_run(p[0], buf[0], buf[1]);
      t1 = now_ms();
    } else {
      return usage();
    }
    for (int i = 0; i < 3; ++i) {
      free(buf[i]);
      buf[i] = NULL;
    }
    times[r] = t1 - t0;
  }
  qsort(times, (size_t)reps, sizeof(double), compare_doubles);
  double median = reps % 2 ? times[reps / 2] : (times[reps / 2 - 1] + times[reps / 2]) / 2;
  printf("%.3f %.3f\n", median, times[0]);
  fprintf(stderr, "(result sum %.17g)\n", sink);  // keeps the calls from being optimized away
  free(times);
  return 0;
}

int main(int argc, char** argv) {
  if (argc == 3 && strcmp(argv[1], "reference") == 0) return reference(argv[2]);
  if (argc >= 4 && strcmp(argv[1], "bench") == 0) return bench(argc - 2, argv + 2);
  return usage();
}
