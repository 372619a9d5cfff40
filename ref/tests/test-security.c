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
#include "conn/conn_internal.h"
#include "mprtest.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <poll.h>
#include <stddef.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
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
    /* and its token attaches (the "/mpr-" object counts as ours) */
    {
        mpr_obj_t *tok;
        mpr_semlock_t *back = NULL;
        CU_ASSERT_EQUAL_FATAL(mpr_semlock_reduce(lk, &tok), 0);
        CU_ASSERT_EQUAL(mpr_semlock_rebuild(&back, tok), 0);
        CU_ASSERT_EQUAL(mpr_semlock_acquire(back, 0, 0), 1);
        CU_ASSERT_EQUAL(mpr_lock_acquire(lk, 0, 0), 0);
        CU_ASSERT_EQUAL(mpr_semlock_release(back), 0);
        mpr_semlock_free(back);
        mpr_obj_decref(tok);
    }
    mpr_semlock_free(lk);
}

/* ---- handle tokens ------------------------------------------------------ */

/* The segment part ("<pid>:<fd>:<size>:<inode>") of a fresh lock's token,
 * copied into seg; the lock stays alive in *lk so the token stays valid. */
static void lock_segment(mpr_lock_t **lk, char *seg, size_t size)
{
    mpr_obj_t *tok;
    const char *at;

    CU_ASSERT_EQUAL_FATAL(mpr_lock_new(lk), 0);
    CU_ASSERT_EQUAL_FATAL(mpr_semlock_reduce(*lk, &tok), 0);
    at = strchr(mpr_obj_str_utf8(tok, NULL), '@');
    CU_ASSERT_PTR_NOT_NULL_FATAL(at);
    snprintf(seg, size, "%s", at + 1);
    mpr_obj_decref(tok);
}

/* The segment part of a raw Array of 1024 ints (4096 bytes, zeroed). */
static void array_segment(mpr_array_t **arr, char *seg, size_t size)
{
    mpr_obj_t *tok, *n = mpr_obj_int(1024);
    const char *p;

    CU_ASSERT_EQUAL_FATAL(mpr_rawarray_new(arr, "i", n), 0);
    mpr_obj_decref(n);
    CU_ASSERT_EQUAL_FATAL(mpr_array_reduce(*arr, &tok), 0);
    p = strrchr(mpr_obj_str_utf8(tok, NULL), '|');
    CU_ASSERT_PTR_NOT_NULL_FATAL(p);
    snprintf(seg, size, "%s", p + 1);
    mpr_obj_decref(tok);
}

/* In a child (a crash must fail the test, not end the suite): rebuilds
 * the token of kind 'S' (semlock), 'V' (Value) or 'A' (Array) and uses
 * what comes back.  Exit 0 when it was refused with "bad shared handle",
 * 1 when it was accepted, 2 for another error. */
struct crafted {
    char kind;
    char text[256];
};

static int rebuild_crafted(void *arg)
{
    const struct crafted *c = arg;
    mpr_obj_t *tok = mpr_obj_str(c->text), *o = NULL;
    mpr_semlock_t *s = NULL;
    mpr_value_t *v = NULL;
    mpr_array_t *a = NULL;
    int r;

    switch (c->kind) {
    case 'S':
        if ((r = mpr_semlock_rebuild(&s, tok)) == 0) {
            mpr_semlock_release(s);
            mpr_semlock_free(s);
        }
        break;
    case 'V':
        if ((r = mpr_value_rebuild(&v, tok)) == 0) {
            mpr_value_get(v, &o);
            mpr_value_free(v);
        }
        break;
    default:
        if ((r = mpr_array_rebuild(&a, tok)) == 0) {
            mpr_array_get_item(a, (ptrdiff_t)mpr_array_len(a) - 1, &o);
            mpr_array_free(a);
        }
        break;
    }
    mpr_obj_decref(o);
    mpr_obj_decref(tok);
    if (r == 0)
        return 1;
    return r == MPR_EVALUE &&
                   strcmp(mpr_last_error_detail(), "bad shared handle") == 0
               ? 0
               : 2;
}

static int crafted_status(char kind, const char *fmt, const char *seg)
{
    struct crafted c = {.kind = kind};
    pid_t pid;

    snprintf(c.text, sizeof(c.text), fmt, seg);
    pid = mprtest_fork(rebuild_crafted, &c);
    if (pid < 0)
        return -1000;
    return mprtest_wait(pid, 20);
}

/* Offsets that wrap "off + sizeof(block)" (a huge one, and strtoul's
 * reading of "-16"), offsets past the end or misaligned, signs, spaces
 * and numbers too long for any field: each is refused, none crashes. */
static void test_security_semlock_token_crafted(void)
{
    static const char *const bad[] = {
        "S18446744073709551600@%s",
        "S-16@%s",
        "S+0@%s",
        "S 0@%s",
        "S4096@%s",
        "S4081@%s",
        "S1@%s",
        "S99999999999999999999999@%s",
    };
    mpr_array_t *arr;
    char seg[128];
    int st;

    /* 4096 bytes of zeros: a block of kind 0 is no SemLock either */
    array_segment(&arr, seg, sizeof(seg));
    CU_ASSERT_EQUAL(crafted_status('S', "S4080@%s", seg), 0);
    mpr_array_free(arr);
    {
        mpr_lock_t *lk;
        lock_segment(&lk, seg, sizeof(seg));
        CU_ASSERT_EQUAL(crafted_status('S', "S0@%s", seg), 1);
        mpr_semlock_free(lk);
    }
    /* 4096 bytes that each look like a Lock's block: misaligned or too
     * far is still refused */
    array_segment(&arr, seg, sizeof(seg));
    for (ptrdiff_t i = 0; i < 1024; i += 4)
        mpr_array_set_int64(arr, i + 3, 1); /* kind = MPR__LOCK */
    CU_ASSERT_EQUAL(crafted_status('S', "S4080@%s", seg), 1);
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        st = crafted_status('S', bad[i], seg);
        if (st != 0)
            fprintf(stderr, "# %s: status %d\n", bad[i], st);
        CU_ASSERT_EQUAL(st, 0);
    }
    mpr_array_free(arr);
}

/* The segment fields themselves: pid, fd, size and inode with signs,
 * spaces, overflow, or a size past the file. */
static void test_security_segment_token_crafted(void)
{
    mpr_lock_t *lk;
    char seg[128], tok[256];
    long pid, fd;
    unsigned long long size, ino;

    lock_segment(&lk, seg, sizeof(seg));
    CU_ASSERT_EQUAL_FATAL(
        sscanf(seg, "%ld:%ld:%llu:%llu", &pid, &fd, &size, &ino), 4);
    const char *fmts[] = {
        "S0@-%ld:%ld:%llu:%llu",
        "S0@%ld:+%ld:%llu:%llu",
        "S0@%ld:%ld: %llu:%llu",
        "S0@%ld:%ld:%llu:-%llu",
        "S0@%ld:%ld:%llu0000000000000000000:%llu",
        "S0@%ld:%ld:%llu00000:%llu",
        "S0@%ld:%ld:%llu:%llu0000000000000000000000",
        "S0@%ld:%ld%s",
    };
    for (size_t i = 0; i < sizeof(fmts) / sizeof(fmts[0]); i++) {
        if (i == sizeof(fmts) / sizeof(fmts[0]) - 1)
            snprintf(tok, sizeof(tok), fmts[i], pid, fd + 4294967296L, "");
        else
            snprintf(tok, sizeof(tok), fmts[i], pid, fd, size, ino);
        int st = crafted_status('S', "%s", tok);
        if (st != 0)
            fprintf(stderr, "# %s: status %d\n", tok, st);
        CU_ASSERT_EQUAL(st, 0);
    }
    mpr_semlock_free(lk);
}

/* A length whose product with the element size wraps (2**62 + 1 ints of 4
 * bytes "need" 4 bytes), lengths past the segment, a Value of 0 or 2
 * elements, a missing type code. */
static void test_security_sharedctypes_token_crafted(void)
{
    static const struct {
        char kind;
        const char *fmt;
    } bad[] = {
        {'A', "Ai4611686018427387905|-|%s"},
        {'A', "Aq2305843009213693953|-|%s"},
        {'A', "Ai-1|-|%s"},
        {'A', "Ai 1|-|%s"},
        {'A', "Ai1025|-|%s"},
        {'A', "Ai99999999999999999999999|-|%s"},
        {'A', "A|-|%s"},
        {'V', "Vi0|-|%s"},
        {'V', "Vi2|-|%s"},
        {'V', "Vq4611686018427387905|-|%s"},
    };
    mpr_array_t *arr;
    char arrseg[128];

    array_segment(&arr, arrseg, sizeof(arrseg));
    CU_ASSERT_EQUAL(crafted_status('A', "Ai1024|-|%s", arrseg), 1);
    CU_ASSERT_EQUAL(crafted_status('V', "Vi1|-|%s", arrseg), 1);
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        int st = crafted_status(bad[i].kind, bad[i].fmt, arrseg);
        if (st != 0)
            fprintf(stderr, "# %s: status %d\n", bad[i].fmt, st);
        CU_ASSERT_EQUAL(st, 0);
    }
    mpr_array_free(arr);
}

/* A token naming a descriptor this process holds open read-write on an
 * ordinary file, with the right inode, must not map that file: only the
 * library's own shared memory is attached. */
static void test_security_token_maps_only_shared_memory(void)
{
    char path[] = "/tmp/mpr-sec-XXXXXX", tok[256];
    unsigned char bytes[64], back[64];
    struct stat st;
    int fd = mkstemp(path);

    CU_ASSERT_FATAL(fd >= 0);
    unlink(path);
    memset(bytes, 0x41, sizeof(bytes));
    CU_ASSERT_EQUAL_FATAL(write(fd, bytes, sizeof(bytes)), sizeof(bytes));
    CU_ASSERT_EQUAL_FATAL(fstat(fd, &st), 0);
    snprintf(tok, sizeof(tok), "S0@%ld:%d:16:%llu", (long)getpid(), fd,
             (unsigned long long)st.st_ino);
    CU_ASSERT_EQUAL(crafted_status('S', "%s", tok), 0);
    snprintf(tok, sizeof(tok), "Ac64|-|%ld:%d:64:%llu", (long)getpid(), fd,
             (unsigned long long)st.st_ino);
    CU_ASSERT_EQUAL(crafted_status('A', "%s", tok), 0);
    /* and the file is untouched (a release would have written to it) */
    CU_ASSERT_EQUAL(pread(fd, back, sizeof(back), 0), sizeof(back));
    CU_ASSERT_EQUAL(memcmp(back, bytes, sizeof(back)), 0);
    close(fd);
}

/* ---- TMPDIR -------------------------------------------------------------- */

/* util.get_temp_dir() makes its pymp- folder with tempfile.mkdtemp, in
 * $TMPDIR when that is a writable folder (normalised: "<dir>//" is
 * "<dir>"), else in /tmp; a private TMPDIR keeps the socket out of the
 * shared /tmp. */
static void test_security_manager_folder_honours_tmpdir(void)
{
    char dir[] = "/tmp/mpr-tmpdir-XXXXXX", want[64], twice[64];
    const char *old = getenv("TMPDIR");
    char *saved = old ? strdup(old) : NULL;
    const char *values[] = {dir, twice, "/nonexistent-mpr-dir"};

    CU_ASSERT_PTR_NOT_NULL_FATAL(mkdtemp(dir));
    snprintf(twice, sizeof(twice), "%s//", dir);
    for (size_t i = 0; i < sizeof(values) / sizeof(values[0]); i++) {
        mpr_manager_t *m;
        mpr_obj_t *addr = NULL;
        const char *a;

        snprintf(want, sizeof(want), "%s/pymp-", i < 2 ? dir : "/tmp");
        setenv("TMPDIR", values[i], 1);
        CU_ASSERT_EQUAL_FATAL(mpr_manager_new(&m, NULL), 0);
        CU_ASSERT_EQUAL_FATAL(mpr_manager_start(m), 0);
        CU_ASSERT_EQUAL(mpr_manager_address(m, &addr), 0);
        a = addr ? mpr_obj_str_utf8(addr, NULL) : "";
        if (strncmp(a, want, strlen(want)) != 0)
            fprintf(stderr, "# TMPDIR=%s: address %s\n", values[i], a);
        CU_ASSERT_EQUAL(strncmp(a, want, strlen(want)), 0);
        /* "pymp-" + 8, then "/listener-" + 8 */
        CU_ASSERT_EQUAL(strlen(a), strlen(want) + 8 + 10 + 8);
        CU_ASSERT_EQUAL(mpr_manager_shutdown(m), 0);
        mpr_obj_decref(addr);
        mpr_manager_free(m);
    }
    if (saved != NULL)
        setenv("TMPDIR", saved, 1);
    else
        unsetenv("TMPDIR");
    free(saved);
    /* the folder is removed with the manager: dir is empty again */
    CU_ASSERT_EQUAL(rmdir(dir), 0);
}

/* ---- the descriptor sharer -------------------------------------------- */

/* A connection to the sharer named in a reduced Connection that sends
 * nothing: an idle client, as anyone on the machine could open. */
static int idle_client(const mpr_obj_t *reduced)
{
    struct sockaddr_un sa = {.sun_family = AF_UNIX};
    size_t len;
    const void *a = mpr_obj_bytes_data(mpr_obj_item(reduced, 1), &len);
    int s = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);

    memcpy(sa.sun_path, a, len);
    if (s >= 0 && connect(s, (struct sockaddr *)&sa,
                          (socklen_t)(offsetof(struct sockaddr_un, sun_path) +
                                      len)) < 0) {
        close(s);
        s = -1;
    }
    return s;
}

/* In a child: rebuilds the Connection and reads the message the parent
 * put in the pipe.  0 when that worked, 1 when the rebuild was refused,
 * 2 when it gave something else. */
static int rebuild_and_recv(void *arg)
{
    mpr_conn_t *c = NULL;
    mpr_obj_t *o = NULL;
    int r;

    if (mpr_conn_rebuild(&c, arg) != 0)
        return 1;
    r = mpr_conn_recv(c, &o) == 0 && mpr_obj_type(o) == MPR_OBJ_INT &&
                mpr_obj_int_value(o) == 42
            ? 0
            : 2;
    mpr_obj_decref(o);
    mpr_conn_free(c);
    return r;
}

/* A shared reader end with 42 waiting in its pipe. */
static void shared_pipe(mpr_conn_t **r, mpr_conn_t **w, mpr_obj_t **reduced)
{
    mpr_obj_t *v = mpr_obj_int(42);

    CU_ASSERT_EQUAL_FATAL(mpr_pipe(r, w, 0), 0);
    CU_ASSERT_EQUAL_FATAL(mpr_conn_send(*w, v), 0);
    mpr_obj_decref(v);
    CU_ASSERT_EQUAL_FATAL(mpr_conn_reduce(*r, reduced), 0);
}

/* One idle connection must not hold up a rebuild: with a one-minute
 * allowance per client, the rebuild still comes back at once (before,
 * the sharer served one client at a time and waited for ever). */
static void test_security_sharer_idle_client_blocks_nobody(void)
{
    mpr_conn_t *r, *w;
    mpr_obj_t *reduced;
    int idle;

    atomic_store(&mpr__conn_sharer_timeout_ms, 60000);
    shared_pipe(&r, &w, &reduced);
    idle = idle_client(reduced);
    CU_ASSERT_FATAL(idle >= 0);
    CU_ASSERT_EQUAL(mprtest_run_child(rebuild_and_recv, reduced, 20), 0);
    close(idle);
    mpr__conn_sharer_stop();
    atomic_store(&mpr__conn_sharer_timeout_ms, 5000);
    mpr_obj_decref(reduced);
    mpr_conn_free(r);
    mpr_conn_free(w);
}

/* A client that says nothing is dropped when its time is up; the entry
 * it could have named is still there for the real child. */
static void test_security_sharer_drops_idle_client(void)
{
    mpr_conn_t *r, *w;
    mpr_obj_t *reduced;
    struct pollfd p;
    char byte;
    int idle;

    atomic_store(&mpr__conn_sharer_timeout_ms, 200);
    shared_pipe(&r, &w, &reduced);
    idle = idle_client(reduced);
    CU_ASSERT_FATAL(idle >= 0);
    p = (struct pollfd){.fd = idle, .events = POLLIN};
    /* closed within 100 times the allowance */
    if (poll(&p, 1, 20000) == 1) {
        CU_ASSERT_EQUAL(read(idle, &byte, 1), 0);
    } else {
        CU_FAIL("the idle client is still connected after 20 s");
    }
    close(idle);
    /* the real child gets the usual allowance (a loaded machine may take
     * more than 200 ms between its connect and its key) */
    atomic_store(&mpr__conn_sharer_timeout_ms, 5000);
    CU_ASSERT_EQUAL(mprtest_run_child(rebuild_and_recv, reduced, 20), 0);
    mpr__conn_sharer_stop();
    mpr_obj_decref(reduced);
    mpr_conn_free(r);
    mpr_conn_free(w);
}

static int rebuild_as_nobody(void *arg)
{
    if (setgid(65534) != 0 || setuid(65534) != 0)
        return 3;
    return rebuild_and_recv(arg);
}

/* Another user may not fetch a descriptor (CPython's sharer sits in a
 * 0700 folder behind the authkey; an abstract socket has neither, so the
 * peer's uid is checked), and its attempt leaves the entry in place. */
static void test_security_sharer_refuses_other_user(void)
{
    mpr_conn_t *r, *w;
    mpr_obj_t *reduced;

    if (geteuid() != 0) {
        printf("# not root: cannot become another user, not checked\n");
        return;
    }
    shared_pipe(&r, &w, &reduced);
    CU_ASSERT_EQUAL(mprtest_run_child(rebuild_as_nobody, reduced, 20), 1);
    CU_ASSERT_EQUAL(mprtest_run_child(rebuild_and_recv, reduced, 20), 0);
    mpr__conn_sharer_stop();
    mpr_obj_decref(reduced);
    mpr_conn_free(r);
    mpr_conn_free(w);
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
    MPRTEST_ADD(suite, test_security_semlock_token_crafted,
                "crafted SemLock tokens (wrapping, negative, misaligned "
                "offsets) are refused, never a crash");
    MPRTEST_ADD(suite, test_security_segment_token_crafted,
                "crafted segment tokens (signs, spaces, overflow, size past "
                "the file) are refused");
    MPRTEST_ADD(suite, test_security_sharedctypes_token_crafted,
                "crafted Value/Array tokens (len * size wrapping, past the "
                "segment) are refused, never a crash");
    MPRTEST_ADD(suite, test_security_token_maps_only_shared_memory,
                "a token naming an ordinary file open read-write is "
                "refused: only the library's shared memory is mapped");
    MPRTEST_ADD(suite, test_security_manager_folder_honours_tmpdir,
                "a Manager's pymp- folder is made in $TMPDIR, as "
                "tempfile.mkdtemp does");
    MPRTEST_ADD(suite, test_security_sharer_idle_client_blocks_nobody,
                "an idle client of the descriptor sharer does not hold up a "
                "rebuild");
    MPRTEST_ADD(suite, test_security_sharer_drops_idle_client,
                "the descriptor sharer drops a client that sends nothing "
                "within its time");
    MPRTEST_ADD(suite, test_security_sharer_refuses_other_user,
                "the descriptor sharer refuses a client of another user "
                "(SO_PEERCRED)");
    return 0;
}
