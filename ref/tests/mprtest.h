/*
 * mprtest.h - the shared harness of libmpref's CUnit executables.
 *
 * Each test-<primitive>.c defines mprtest_suite_name and
 * mprtest_register(), which adds its tests with MPRTEST_ADD; mprtest.c owns
 * main(): it prints TAP for meson (`ok N - suite: description`), filters
 * with -t SUBSTRING, lists with -l, and after each test checks that no file
 * descriptor, child process or /dev/shm entry was left behind.
 */
#ifndef MPRTEST_H
#define MPRTEST_H

#include <CUnit/CUnit.h>
#include <sys/types.h>

/* Set by each test file. */
extern const char *mprtest_suite_name;
int mprtest_register(CU_pSuite suite);

/* Adds a test; returns from mprtest_register with 1 when CUnit refuses. */
#define MPRTEST_ADD(suite, fn, desc)                                           \
    do {                                                                       \
        if (CU_add_test((suite), (desc), (fn)) == NULL)                        \
            return 1;                                                          \
    } while (0)

/* Exit status a child returns when mprtest_wait gave up on it. */
#define MPRTEST_TIMEOUT (-1000)

/*
 * Forks a child that runs fn(arg) and ends with _exit(its return value),
 * writing coverage counters first.  A child never calls CU_ASSERT (its
 * failure would be lost in its copy of the registry): it reports through
 * its exit status or a pipe.  Returns the pid, or -1 if fork failed.
 */
pid_t mprtest_fork(int (*fn)(void *), void *arg);

/*
 * Waits for pid for at most timeout seconds.  Returns its exit code, -N if
 * signal N killed it, or MPRTEST_TIMEOUT after killing it with SIGKILL and
 * reaping it (a test never leaves a child behind).
 */
int mprtest_wait(pid_t pid, double timeout);

/* mprtest_fork + mprtest_wait. */
int mprtest_run_child(int (*fn)(void *), void *arg, double timeout);

/* Number of open file descriptors of this process. */
int mprtest_count_fds(void);

/*
 * Under valgrind (the `valgrind` test setup sets MPRTEST_VALGRIND=1),
 * marks the running test skipped with the reason (TAP `# SKIP`) and
 * returns 1: the test should return at once.  Otherwise returns 0.  For
 * tests that move so many bytes that memcheck would take hours; they
 * still run natively and under ASan.
 */
int mprtest_skip_under_valgrind(const char *why);

/* 1 under valgrind (MPRTEST_VALGRIND=1), for a test that leaves out one
 * check valgrind itself makes impossible. */
int mprtest_under_valgrind(void);

/* 1 when pickle.dumps(o) (protocol 4) fails with code and exactly that
 * message; else 0, with what it gave as a TAP comment. */
struct mpr_obj_s;
int mprtest_dumps_refused(const struct mpr_obj_s *o, int code,
                          const char *detail);

#endif /* MPRTEST_H */
