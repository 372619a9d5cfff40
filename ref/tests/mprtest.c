/*
 * mprtest.c - main() for every libmpref CUnit executable: TAP output, test
 * filtering, and the leak checks run around each test (file descriptors,
 * unreaped children, new /dev/shm entries), as Wayland's test runner does.
 */
#include "mprtest.h"
#include "mpr/error.h"
#include "mpr/obj.h"
#include "mpr/pickle.h"

#include <CUnit/TestRun.h>
#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sched.h>
#include <sys/mount.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#ifdef MPR_COVERAGE
extern void __gcov_dump(void);
#endif

#define SHM_MAX 256

static unsigned tap_number;
static unsigned tap_failed;
static const char *skip_reason; /* the running test's, or NULL */
static int fds_before;
static char *shm_before[SHM_MAX];
static size_t nshm_before;
static const char *filter;

static size_t list_shm(char **names, size_t max)
{
    DIR *dir = opendir("/dev/shm");
    struct dirent *de;
    size_t n = 0;

    if (dir == NULL)
        return 0;
    while ((de = readdir(dir)) != NULL && n < max) {
        if (de->d_name[0] == '.')
            continue;
        names[n++] = strdup(de->d_name);
    }
    closedir(dir);
    return n;
}

static void free_names(char **names, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(names[i]);
}

int mprtest_count_fds(void)
{
    DIR *dir = opendir("/proc/self/fd");
    struct dirent *de;
    int n = 0;

    if (dir == NULL)
        return -1;
    while ((de = readdir(dir)) != NULL)
        if (de->d_name[0] != '.')
            n++;
    closedir(dir);
    return n - 1; /* the directory's own descriptor */
}

static void on_start(const CU_pTest test, const CU_pSuite suite)
{
    (void)test;
    (void)suite;
    fflush(stdout);
    fds_before = mprtest_count_fds();
    nshm_before = list_shm(shm_before, SHM_MAX);
}

/* Children still running after a test are killed, reaped and reported. */
static int check_running_children(void)
{
    char path[64], buf[4096];
    FILE *f;
    int leaks = 0, status;
    long pid;

    snprintf(path, sizeof(path), "/proc/%d/task/%d/children", (int)getpid(),
             (int)getpid());
    if ((f = fopen(path, "re")) == NULL)
        return 0;
    if (fgets(buf, sizeof(buf), f) != NULL) {
        char *p = buf, *end;
        while ((pid = strtol(p, &end, 10)) > 0 && end != p) {
            printf("# leak: child %ld still running (killed)\n", pid);
            kill((pid_t)pid, SIGKILL);
            waitpid((pid_t)pid, &status, 0);
            leaks++;
            p = end;
        }
    }
    fclose(f);
    return leaks;
}

/* Leaks found after a test, as one TAP diagnostic line each; 0 if none. */
static int check_leaks(void)
{
    char *after[SHM_MAX];
    size_t nafter = list_shm(after, SHM_MAX);
    int leaks = 0, fds = mprtest_count_fds(), status;
    pid_t pid;

    if (fds != fds_before) {
        printf("# leak: %d file descriptors open before, %d after\n",
               fds_before, fds);
        leaks++;
    }
    leaks += check_running_children();
    while ((pid = waitpid(-1, &status, WNOHANG)) > 0) {
        printf("# leak: child %d was left unreaped\n", (int)pid);
        leaks++;
    }
    for (size_t i = 0; i < nafter; i++) {
        int seen = 0;
        for (size_t j = 0; j < nshm_before && !seen; j++)
            seen = strcmp(after[i], shm_before[j]) == 0;
        if (!seen) {
            printf("# leak: /dev/shm/%s left behind\n", after[i]);
            leaks++;
        }
    }
    free_names(after, nafter);
    free_names(shm_before, nshm_before);
    nshm_before = 0;
    return leaks;
}

static void on_complete(const CU_pTest test, const CU_pSuite suite,
                        const CU_pFailureRecord failures)
{
    const CU_FailureRecord *f;
    int leaks = check_leaks();
    int ok = failures == NULL && leaks == 0;

    tap_number++;
    if (!ok)
        tap_failed++;
    printf("%s %u - %s: %s%s%s\n", ok ? "ok" : "not ok", tap_number,
           suite->pName, test->pName, skip_reason ? " # SKIP " : "",
           skip_reason ? skip_reason : "");
    skip_reason = NULL;
    for (f = failures; f != NULL; f = f->pNext)
        printf("# %s:%u: %s\n", f->strFileName ? f->strFileName : "?",
               f->uiLineNumber, f->strCondition ? f->strCondition : "");
    fflush(stdout);
}

static unsigned count_selected(CU_pSuite suite)
{
    unsigned n = 0;

    for (CU_pTest t = suite->pTest; t != NULL; t = t->pNext) {
        int on = filter == NULL || strstr(t->pName, filter) != NULL;
        CU_set_test_active(t, on ? CU_TRUE : CU_FALSE);
        n += on;
    }
    return n;
}

/*
 * Gives this test executable (and every process it starts) a /dev/shm of
 * its own: a tmpfs in a private mount namespace.  Without it the leak
 * check would see the entries of whatever else runs on the machine -- the
 * CPython cases meson runs in parallel create sem.mp-* names all the time.
 * Needs root (or a user namespace); otherwise the check falls back to the
 * shared /dev/shm, which is only exact on a quiet machine.
 */
static int isolate_dev_shm(void)
{
    if (unshare(CLONE_NEWNS) != 0)
        return 0;
    /* source and type are ignored for a propagation change; "none"
     * rather than NULL keeps valgrind from reading a NULL string */
    if (mount("none", "/", "none", MS_REC | MS_PRIVATE, NULL) != 0)
        return 0;
    return mount("tmpfs", "/dev/shm", "tmpfs", MS_NOSUID | MS_NODEV,
                 "mode=1777,size=256m") == 0;
}

static void usage(const char *argv0)
{
    fprintf(stderr, "usage: %s [-l] [-s] [-t SUBSTRING]\n", argv0);
}

int main(int argc, char **argv)
{
    CU_pSuite suite;
    int opt, list = 0;
    unsigned planned;

    while ((opt = getopt(argc, argv, "lst:")) != -1) {
        switch (opt) {
        case 'l':
            list = 1;
            break;
        case 's':
            break; /* TAP is already terse; kept for libuv habits */
        case 't':
            filter = optarg;
            break;
        default:
            usage(argv[0]);
            return 2;
        }
    }
    if (CU_initialize_registry() != CUE_SUCCESS)
        return 2;
    suite = CU_add_suite(mprtest_suite_name, NULL, NULL);
    if (suite == NULL || mprtest_register(suite) != 0) {
        fprintf(stderr, "%s\n", CU_get_error_msg());
        CU_cleanup_registry();
        return 2;
    }
    planned = count_selected(suite);
    if (list) {
        for (CU_pTest t = suite->pTest; t != NULL; t = t->pNext)
            if (t->fActive)
                printf("%s\n", t->pName);
        CU_cleanup_registry();
        return 0;
    }
    if (!isolate_dev_shm())
        printf("# /dev/shm is shared: its leak check may see other "
               "processes' entries\n");
    printf("1..%u\n", planned);
    CU_set_fail_on_inactive(CU_FALSE);
    CU_set_test_start_handler(on_start);
    CU_set_test_complete_handler(on_complete);
    CU_run_all_tests();
    CU_cleanup_registry();
    return tap_failed != 0 || tap_number != planned;
}

pid_t mprtest_fork(int (*fn)(void *), void *arg)
{
    pid_t pid;

    fflush(stdout);
    fflush(stderr);
    pid = fork();
    if (pid == 0) {
        int code = fn(arg);
#ifdef MPR_COVERAGE
        __gcov_dump();
#endif
        _exit(code);
    }
    return pid;
}

int mprtest_wait(pid_t pid, double timeout)
{
    struct timespec tick = {0, 2 * 1000 * 1000};
    double waited = 0.0;
    int status;
    pid_t r;

    for (;;) {
        r = waitpid(pid, &status, WNOHANG);
        if (r == pid)
            break;
        if (r < 0 && errno != EINTR)
            return MPRTEST_TIMEOUT;
        if (waited >= timeout) {
            kill(pid, SIGKILL);
            while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
                ;
            return MPRTEST_TIMEOUT;
        }
        nanosleep(&tick, NULL);
        waited += 0.002;
    }
    if (WIFSIGNALED(status))
        return -WTERMSIG(status);
    return WEXITSTATUS(status);
}

int mprtest_run_child(int (*fn)(void *), void *arg, double timeout)
{
    pid_t pid = mprtest_fork(fn, arg);

    if (pid < 0)
        return MPRTEST_TIMEOUT;
    return mprtest_wait(pid, timeout);
}

int mprtest_under_valgrind(void)
{
    const char *v = getenv("MPRTEST_VALGRIND");

    return v != NULL && strcmp(v, "1") == 0;
}

int mprtest_skip_under_valgrind(const char *why)
{
    if (!mprtest_under_valgrind())
        return 0;
    skip_reason = why;
    return 1;
}

int mprtest_dumps_refused(const mpr_obj_t *o, int code, const char *detail)
{
    char *pk = NULL;
    size_t n;
    int rc = mpr_pickle_dumps(o, 4, &pk, &n);

    mpr_free(pk);
    if (rc != code || strcmp(mpr_last_error_detail(), detail) != 0) {
        printf("# got %d '%s', want %d '%s'\n", rc, mpr_last_error_detail(),
               code, detail);
        return 0;
    }
    return 1;
}
