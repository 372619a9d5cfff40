/*
 * test-security.c - what libmpref promises about the descriptors and the
 * shared memory it creates: a program exec'd from a process that uses
 * every primitive inherits none of libmpref's descriptors, and shared
 * memory made without memfd_create is private (O_EXCL, mode 0600) under a
 * name nobody can guess.  (The pickle decoder's refusal of code is in
 * test-pickle, the Manager's constant-time digest check in test-manager.)
 */
#include <mpr.h>
#include "base/internal.h"
#include "base/shm.h"
#include "mprtest.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

const char *mprtest_suite_name = "security";

#define ORACLE "/usr/bin/python3"
#define MAX_FD 1024

/* Marks in open[] the descriptors this process has open. */
static void open_fds(char open[MAX_FD])
{
    for (int fd = 0; fd < MAX_FD; fd++)
        open[fd] = fcntl(fd, F_GETFD) >= 0;
}

/*
 * Execs a program that lists the descriptors it inherited (3 and up) and
 * returns them in got[]; 0, or -1 when the program could not run.
 */
static int inherited_by_exec(char got[MAX_FD])
{
    static const char list[] = "import os\n"
                               "for fd in range(3, 1024):\n"
                               "    try:\n"
                               "        os.fstat(fd)\n"
                               "    except OSError:\n"
                               "        continue\n"
                               "    print(fd)\n";
    char buf[8192];
    size_t len = 0;
    int p[2], status;
    pid_t pid;
    ssize_t n;

    memset(got, 0, MAX_FD);
    if (pipe2(p, O_CLOEXEC) < 0)
        return -1;
    if ((pid = fork()) == 0) {
        /* stdout is the pipe (dup2 clears close-on-exec on 1 only) */
        if (dup2(p[1], 1) < 0)
            _exit(127);
        execl(ORACLE, ORACLE, "-I", "-S", "-c", list, (char *)NULL);
        _exit(127);
    }
    close(p[1]);
    while (pid > 0 && len < sizeof(buf) - 1 &&
           (n = read(p[0], buf + len, sizeof(buf) - 1 - len)) > 0)
        len += (size_t)n;
    close(p[0]);
    if (pid < 0 || waitpid(pid, &status, 0) != pid || !WIFEXITED(status) ||
        WEXITSTATUS(status) != 0)
        return -1;
    buf[len] = '\0';
    for (char *s = buf, *e; *s; s = e) {
        long fd = strtol(s, &e, 10);
        if (e == s)
            break;
        if (fd >= 0 && fd < MAX_FD)
            got[fd] = 1;
    }
    return 0;
}

static int square(mpr_obj_t *args, mpr_obj_t *kwargs, mpr_obj_t **result)
{
    int64_t x = mpr_obj_int_value(mpr_obj_item(args, 0));

    (void)kwargs;
    *result = mpr_obj_int(x * x);
    return *result ? 0 : mpr_last_error();
}

static int sleeper(mpr_obj_t *args, mpr_obj_t *kwargs)
{
    (void)args, (void)kwargs;
    pause();
    return 0;
}

static void test_security_exec_inherits_no_descriptor(void)
{
    char before[MAX_FD], after[MAX_FD], got[MAX_FD];
    mpr_conn_t *a, *b, *c, *d;
    mpr_lock_t *lk;
    mpr_rlock_t *rl;
    mpr_sem_t *sem;
    mpr_cond_t *cond;
    mpr_event_t *ev;
    mpr_barrier_t *bar;
    mpr_value_t *val;
    mpr_array_t *arr;
    mpr_queue_t *q;
    mpr_squeue_t *sq;
    mpr_pool_t *pool;
    mpr_manager_t *m;
    mpr_proxy_t *dict;
    mpr_process_t *p;
    mpr_obj_t *one = mpr_obj_int(1), *ten = mpr_obj_int(10), *in, *out;
    mpr_pool_options_t po = {.processes = 1};
    mpr_process_options_t o = {.target = sleeper};
    int leaked = 0;

    open_fds(before);
    CU_ASSERT_EQUAL_FATAL(mpr_pipe(&a, &b, 1), 0);
    CU_ASSERT_EQUAL_FATAL(mpr_pipe(&c, &d, 0), 0);
    CU_ASSERT_EQUAL_FATAL(mpr_lock_new(&lk), 0);
    CU_ASSERT_EQUAL_FATAL(mpr_rlock_new(&rl), 0);
    CU_ASSERT_EQUAL_FATAL(mpr_sem_new(&sem, 2), 0);
    CU_ASSERT_EQUAL_FATAL(mpr_cond_new(&cond, NULL), 0);
    CU_ASSERT_EQUAL_FATAL(mpr_event_new(&ev), 0);
    CU_ASSERT_EQUAL_FATAL(mpr_barrier_new(&bar, 2, NULL), 0);
    CU_ASSERT_EQUAL_FATAL(mpr_value_new(&val, "i", one, NULL), 0);
    CU_ASSERT_EQUAL_FATAL(mpr_array_new(&arr, "d", ten, NULL), 0);
    CU_ASSERT_EQUAL_FATAL(mpr_queue_new(&q, 0), 0);
    CU_ASSERT_EQUAL(mpr_queue_put(q, one, 1, 0), 0); /* starts the feeder */
    CU_ASSERT_EQUAL_FATAL(mpr_squeue_new(&sq), 0);
    CU_ASSERT_EQUAL(mpr_squeue_put(sq, one), 0);
    CU_ASSERT_EQUAL_FATAL(mpr_pool_new(&pool, &po), 0);
    in = mpr_obj_list();
    mpr_obj_list_append_steal(in, mpr_obj_int(3));
    CU_ASSERT_EQUAL(mpr_pool_map(pool, square, in, MPR_CHUNKSIZE_NONE, &out),
                    0);
    CU_ASSERT_EQUAL_FATAL(mpr_manager_new(&m, NULL), 0);
    CU_ASSERT_EQUAL_FATAL(mpr_manager_start(m), 0);
    CU_ASSERT_EQUAL_FATAL(mpr_manager_dict(m, NULL, &dict), 0);
    CU_ASSERT_EQUAL(mpr_proxy_setitem(dict, one, ten), 0); /* connects */
    CU_ASSERT_EQUAL_FATAL(mpr_process_new(&p, &o), 0);
    CU_ASSERT_EQUAL_FATAL(mpr_process_start(p), 0); /* sentinel */
    open_fds(after);

    CU_ASSERT_EQUAL_FATAL(inherited_by_exec(got), 0);
    int made = 0;
    for (int fd = 0; fd < MAX_FD; fd++) {
        made += after[fd] && !before[fd];
        if (got[fd] && after[fd] && !before[fd]) {
            printf("# descriptor %d of libmpref reached the exec'd program\n",
                   fd);
            leaked++;
        }
    }
    /* the objects above do hold descriptors: the check has something to
     * find (a Connection each, the sentinel, the manager's socket...) */
    CU_ASSERT(made >= 6);
    CU_ASSERT_EQUAL(leaked, 0);

    mpr_process_terminate(p);
    mpr_process_join(p, MPR_TIMEOUT_NONE);
    mpr_process_free(p);
    mpr_proxy_free(dict);
    mpr_manager_shutdown(m);
    mpr_manager_free(m);
    mpr_pool_terminate(pool);
    mpr_pool_free(pool);
    mpr_obj_decref(in);
    mpr_obj_decref(out);
    mpr_squeue_free(sq);
    mpr_queue_free(q);
    mpr_array_free(arr);
    mpr_value_free(val);
    mpr_barrier_free(bar);
    mpr_event_free(ev);
    mpr_cond_free(cond);
    mpr_semlock_free(sem);
    mpr_semlock_free(rl);
    mpr_semlock_free(lk);
    mpr_conn_free(a), mpr_conn_free(b), mpr_conn_free(c), mpr_conn_free(d);
    mpr_obj_decref(one);
    mpr_obj_decref(ten);
}

/* ---- shared memory without memfd_create -------------------------------- */

#define NAMES 4

static struct {
    char name[NAMES][64];
    int oflag[NAMES];
    mode_t mode[NAMES], file_mode[NAMES];
    int n;
} seen;

static int no_memfd(const char *name, unsigned flags)
{
    (void)name, (void)flags;
    errno = ENOSYS;
    return -1;
}

static int recording_shm_open(const char *name, int oflag, mode_t mode)
{
    int fd = shm_open(name, oflag, mode);
    struct stat st;

    if (seen.n < NAMES) {
        snprintf(seen.name[seen.n], sizeof(seen.name[0]), "%s", name);
        seen.oflag[seen.n] = oflag;
        seen.mode[seen.n] = mode;
        seen.file_mode[seen.n] =
            fd >= 0 && fstat(fd, &st) == 0 ? st.st_mode & 07777 : 07777;
        seen.n++;
    }
    return fd;
}

static void test_security_shm_fallback_private_unguessable(void)
{
    mpr_lock_t *lk[NAMES];
    char pid[16];

    memset(&seen, 0, sizeof(seen));
    snprintf(pid, sizeof(pid), "%d", (int)getpid());
    mpr__sys.memfd_create = no_memfd;
    mpr__sys.shm_open = recording_shm_open;
    for (int i = 0; i < NAMES; i++)
        CU_ASSERT_EQUAL_FATAL(mpr_lock_new(&lk[i]), 0);
    mpr__sys_reset();
    CU_ASSERT_EQUAL_FATAL(seen.n, NAMES);
    for (int i = 0; i < NAMES; i++) {
        /* "/mpr-" and 16 hex digits of getrandom, not the pid or a count */
        CU_ASSERT_EQUAL(strlen(seen.name[i]), 21);
        CU_ASSERT_EQUAL(strncmp(seen.name[i], "/mpr-", 5), 0);
        CU_ASSERT_PTR_NULL(strstr(seen.name[i], pid));
        CU_ASSERT_EQUAL(seen.oflag[i] & (O_CREAT | O_EXCL), O_CREAT | O_EXCL);
        CU_ASSERT_EQUAL(seen.mode[i], 0600);
        CU_ASSERT_EQUAL(seen.file_mode[i], 0600);
        for (int j = 0; j < i; j++)
            CU_ASSERT_STRING_NOT_EQUAL(seen.name[i], seen.name[j]);
        /* unlinked at once: the name no longer opens anything */
        errno = 0;
        CU_ASSERT_EQUAL(shm_open(seen.name[i], O_RDONLY, 0), -1);
        CU_ASSERT_EQUAL(errno, ENOENT);
    }
    for (int i = 0; i < NAMES; i++)
        mpr_semlock_free(lk[i]);
}

/* A name taken by somebody else (EEXIST) is skipped, never opened. */
static int taken_once(const char *name, int oflag, mode_t mode)
{
    static int calls;

    if (calls++ == 0) {
        errno = EEXIST;
        return -1;
    }
    return shm_open(name, oflag, mode);
}

static void test_security_shm_fallback_skips_a_taken_name(void)
{
    mpr_lock_t *lk;

    mpr__sys.memfd_create = no_memfd;
    mpr__sys.shm_open = taken_once;
    CU_ASSERT_EQUAL(mpr_lock_new(&lk), 0);
    mpr__sys_reset();
    CU_ASSERT_EQUAL(mpr_lock_acquire(lk, 1, MPR_TIMEOUT_NONE), 1);
    CU_ASSERT_EQUAL(mpr_lock_release(lk), 0);
    mpr_semlock_free(lk);
}

int mprtest_register(CU_pSuite suite)
{
    MPRTEST_ADD(suite, test_security_exec_inherits_no_descriptor,
                "an exec'd program inherits none of libmpref's descriptors "
                "(every primitive in use)");
    MPRTEST_ADD(suite, test_security_shm_fallback_private_unguessable,
                "shared memory without memfd: O_EXCL, 0600, 64 random bits "
                "in the name, unlinked at once");
    MPRTEST_ADD(suite, test_security_shm_fallback_skips_a_taken_name,
                "shared memory without memfd: a name already taken is "
                "skipped");
    return 0;
}
