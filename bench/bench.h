/*
 * bench.h - helpers shared by the two C benchmark programs (bench-floor on
 * raw system calls, bench-mpr on libmpref): the clock, the futex words the
 * floor and the harness use to start and stop a measurement, the result
 * line, and the command line every variant program speaks:
 *
 *     PROG --list          the benchmark names it implements, one a line
 *     PROG NAME SCALE      warm up, run NAME once at SCALE times its base
 *                          work, print {"seconds": S, "ops": N, "max_rss_kib":
 * K}
 *
 * The base work of each benchmark (its 1x) is defined once for the three
 * variants in bench/README.md; bench.py and these programs must agree.
 */
#ifndef MPR_BENCH_H
#define MPR_BENCH_H

#include <errno.h>
#include <linux/futex.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

/* The peak resident set (KiB) of this process since its exec (VmHWM:
 * ru_maxrss would count the forked driver's pages before the exec) and
 * of the largest child it reaped (workers, servers). */
static inline long bench_max_rss_kib(void)
{
    long self = 0;
    char line[256];
    FILE *f = fopen("/proc/self/status", "r");
    struct rusage ru;

    while (f != NULL && fgets(line, sizeof(line), f) != NULL)
        if (sscanf(line, "VmHWM: %ld", &self) == 1)
            break;
    if (f != NULL)
        fclose(f);
    if (getrusage(RUSAGE_CHILDREN, &ru) == 0 && ru.ru_maxrss > self)
        self = ru.ru_maxrss;
    return self;
}

/* A benchmark: runs base work times scale, returns the measured seconds
 * and the number of operations it timed in *ops. */
typedef double (*bench_fn)(long scale, long *ops);

typedef struct {
    const char *name;
    bench_fn fn;
} bench_t;

static inline double bench_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* CPU time of the calling process: the clock of the benchmarks that run in
 * one process and never block (lock.uncontended, value.rw, array.rw).  On
 * an idle machine it equals their wall time; on a busy one it leaves out
 * the time slices other work takes from them. */
static inline double bench_cpu_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static inline void bench_die(const char *what)
{
    fprintf(stderr, "bench: %s: %s\n", what, strerror(errno));
    exit(1);
}

#define BENCH_CHECK(expr)                                                      \
    do {                                                                       \
        if (!(expr))                                                           \
            bench_die(#expr);                                                  \
    } while (0)

/* Anonymous shared memory, inherited by forked children. */
static inline void *bench_shared(size_t size)
{
    void *p = mmap(NULL, size, PROT_READ | PROT_WRITE,
                   MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED)
        bench_die("mmap");
    return p;
}

/* Shared (not private) futex operations: the words live in MAP_SHARED
 * memory used by several processes. */
static inline void bench_futex_wait(uint32_t *w, uint32_t val)
{
    syscall(SYS_futex, w, FUTEX_WAIT, val, NULL, NULL, 0);
}

static inline void bench_futex_wake(uint32_t *w, int n)
{
    syscall(SYS_futex, w, FUTEX_WAKE, n, NULL, NULL, 0);
}

/* Blocks until *w != val. */
static inline void bench_wait_change(uint32_t *w, uint32_t val)
{
    while (__atomic_load_n(w, __ATOMIC_ACQUIRE) == val)
        bench_futex_wait(w, val);
}

static inline void bench_store_wake(uint32_t *w, uint32_t val)
{
    __atomic_store_n(w, val, __ATOMIC_RELEASE);
    bench_futex_wake(w, 1 << 30);
}

/* Full-length read and write on a blocking descriptor. */
static inline void bench_read_full(int fd, void *buf, size_t n)
{
    char *p = buf;
    while (n > 0) {
        ssize_t r = read(fd, p, n);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0)
            bench_die("read");
        p += r;
        n -= (size_t)r;
    }
}

static inline void bench_write_full(int fd, const void *buf, size_t n)
{
    const char *p = buf;
    while (n > 0) {
        ssize_t r = write(fd, p, n);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0)
            bench_die("write");
        p += r;
        n -= (size_t)r;
    }
}

/* The main of a variant program over its table of benchmarks.  The
 * warm-up runs the benchmark once at 1x (page faults, lazy binding,
 * caches) before the measured run. */
static inline int bench_main(int argc, char **argv, const bench_t *table,
                             size_t n)
{
    if (argc == 2 && strcmp(argv[1], "--list") == 0) {
        for (size_t i = 0; i < n; i++)
            printf("%s\n", table[i].name);
        return 0;
    }
    if (argc != 3) {
        fprintf(stderr, "usage: %s --list | NAME SCALE\n", argv[0]);
        return 2;
    }
    long scale = strtol(argv[2], NULL, 10);
    if (scale < 1) {
        fprintf(stderr, "bench: bad scale %s\n", argv[2]);
        return 2;
    }
    for (size_t i = 0; i < n; i++) {
        if (strcmp(table[i].name, argv[1]) != 0)
            continue;
        long ops = 0;
        table[i].fn(1, &ops);
        double s = table[i].fn(scale, &ops);
        printf("{\"seconds\": %.9f, \"ops\": %ld, \"max_rss_kib\": %ld}\n", s,
               ops, bench_max_rss_kib());
        fflush(stdout);
        return 0;
    }
    fprintf(stderr, "bench: no benchmark %s\n", argv[1]);
    return 3;
}

#endif /* MPR_BENCH_H */
