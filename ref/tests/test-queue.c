/*
 * test-queue.c - Queue, JoinableQueue and SimpleQueue follow CPython
 * 3.11's multiprocessing.queues: FIFO within and across processes,
 * Empty/Full with their timeouts, the closed-queue errors, the feeder's
 * exit flush, task accounting, reduce/rebuild.
 */
#include "mpr/queue.h"
#include "mpr/error.h"
#include "mpr/process.h"
#include "base/internal.h"
#include "conn/conn_internal.h"
#include "queue/channel.h"
#include "mprtest.h"

#include <regex.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

const char *mprtest_suite_name = "queue";

#define CHECK_ERR(call, code, msg)                                             \
    do {                                                                       \
        CU_ASSERT_EQUAL((call), (code));                                       \
        CU_ASSERT_STRING_EQUAL(mpr_last_error_detail(), (msg));                \
    } while (0)

static int matches(const char *s, const char *re)
{
    regex_t r;
    int ok;

    if (regcomp(&r, re, REG_EXTENDED | REG_NOSUB) != 0)
        return 0;
    ok = regexec(&r, s, 0, NULL, 0) == 0;
    regfree(&r);
    return ok;
}

/* get() that returns the int got, or -1. */
static int64_t get_int(mpr_queue_t *q, int block, double timeout)
{
    mpr_obj_t *o;
    int64_t v = -1;

    if (mpr_queue_get(q, &o, block, timeout) != 0)
        return -1;
    if (mpr_obj_as_int64(o, &v) < 0)
        v = -1;
    mpr_obj_decref(o);
    return v;
}

static int put_int(mpr_queue_t *q, int64_t v)
{
    mpr_obj_t *o = mpr_obj_int(v);
    int rc = mpr_queue_put(q, o, 1, MPR_TIMEOUT_NONE);

    mpr_obj_decref(o);
    return rc;
}

static void test_queue_fifo_and_qsize(void)
{
    mpr_queue_t *q;

    CU_ASSERT_EQUAL_FATAL(mpr_queue_new(&q, 0), 0);
    CU_ASSERT_EQUAL(mpr_queue_empty(q), 1);
    CU_ASSERT_EQUAL(mpr_queue_qsize(q), 0);
    CU_ASSERT_EQUAL(mpr_queue_full(q), 0);
    for (int i = 0; i < 3; i++)
        CU_ASSERT_EQUAL(put_int(q, i), 0);
    CU_ASSERT_EQUAL(mpr_queue_qsize(q), 3); /* counted at once */
    for (int i = 0; i < 3; i++)
        CU_ASSERT_EQUAL(get_int(q, 1, MPR_TIMEOUT_NONE), i);
    CU_ASSERT_EQUAL(mpr_queue_qsize(q), 0);
    mpr_queue_free(q);
}

/* The feeder keeps put() from blocking on a full pipe: 20000 items (far
 * more than a pipe holds) are put before the first get. */
static void test_queue_put_never_blocks_on_the_pipe(void)
{
    mpr_queue_t *q;
    int ok = 1;

    CU_ASSERT_EQUAL_FATAL(mpr_queue_new(&q, -5), 0);
    for (int i = 0; i < 20000; i++)
        ok &= put_int(q, i) == 0;
    CU_ASSERT(ok);
    CU_ASSERT_EQUAL(mpr_queue_qsize(q), 20000);
    for (int i = 0; i < 20000; i++)
        ok &= get_int(q, 1, MPR_TIMEOUT_NONE) == i;
    CU_ASSERT(ok);
    mpr_queue_free(q);
}

/* Messages of every size up to past half a page, none got before the
 * end: whether put writes itself or leaves it to the feeder, it never
 * blocks, and the order holds. */
static void test_queue_put_mixed_sizes_never_blocks(void)
{
    mpr_queue_t *q;
    char *text = malloc(2201);
    int ok = 1;

    CU_ASSERT_FATAL(text != NULL);
    memset(text, 'y', 2200);
    CU_ASSERT_EQUAL_FATAL(mpr_queue_new(&q, 0), 0);
    for (int i = 0; i < 3000; i++) {
        mpr_obj_t *o = mpr_obj_strn(text, (size_t)(i * 7) % 2200);
        ok &= mpr_queue_put(q, o, 1, MPR_TIMEOUT_NONE) == 0;
        mpr_obj_decref(o);
    }
    for (int i = 0; i < 3000; i++) {
        mpr_obj_t *o = NULL;
        ok &= mpr_queue_get(q, &o, 1, 5.0) == 0 && o != NULL &&
              mpr_obj_len(o) == (size_t)(i * 7) % 2200;
        mpr_obj_decref(o);
    }
    CU_ASSERT(ok);
    free(text);
    mpr_queue_free(q);
}

static void test_queue_get_empty_raises_empty(void)
{
    mpr_queue_t *q;
    mpr_obj_t *o;
    double t0, dt;

    CU_ASSERT_EQUAL_FATAL(mpr_queue_new(&q, 0), 0);
    CU_ASSERT_EQUAL(mpr_queue_get_nowait(q, &o), MPR_EEMPTY);
    CU_ASSERT_STRING_EQUAL(mpr_last_error_detail(), "");
    CU_ASSERT_EQUAL(mpr_queue_get(q, &o, 0, 5.0), MPR_EEMPTY);
    t0 = mpr_monotonic();
    CU_ASSERT_EQUAL(mpr_queue_get(q, &o, 1, 0.0), MPR_EEMPTY);
    CU_ASSERT_EQUAL(mpr_queue_get(q, &o, 1, -1.0), MPR_EEMPTY);
    CU_ASSERT(mpr_monotonic() - t0 < 0.05);
    t0 = mpr_monotonic();
    CU_ASSERT_EQUAL(mpr_queue_get(q, &o, 1, 0.1), MPR_EEMPTY);
    dt = mpr_monotonic() - t0;
    CU_ASSERT(dt >= 0.1 && dt < 0.3);
    /* a negative timeout still returns an item already in the pipe */
    CU_ASSERT_EQUAL(put_int(q, 7), 0);
    while (mpr_queue_empty(q) == 1)
        usleep(1000);
    CU_ASSERT_EQUAL(get_int(q, 1, -1.0), 7);
    CU_ASSERT_STRING_EQUAL(mpr_err_pytype(MPR_EEMPTY), "_queue.Empty");
    mpr_queue_free(q);
}

static void test_queue_put_full_raises_full(void)
{
    mpr_queue_t *q;
    mpr_obj_t *three = mpr_obj_int(3);
    double t0, dt;

    CU_ASSERT_EQUAL_FATAL(mpr_queue_new(&q, 2), 0);
    CU_ASSERT_EQUAL(put_int(q, 1), 0);
    CU_ASSERT_EQUAL(put_int(q, 2), 0);
    CU_ASSERT_EQUAL(mpr_queue_full(q), 1);
    CU_ASSERT_EQUAL(mpr_queue_qsize(q), 2);
    t0 = mpr_monotonic();
    CU_ASSERT_EQUAL(mpr_queue_put_nowait(q, three), MPR_EFULL);
    CU_ASSERT_EQUAL(mpr_queue_put(q, three, 0, 5.0), MPR_EFULL);
    CU_ASSERT_EQUAL(mpr_queue_put(q, three, 1, -1.0), MPR_EFULL);
    CU_ASSERT(mpr_monotonic() - t0 < 0.05);
    t0 = mpr_monotonic();
    CU_ASSERT_EQUAL(mpr_queue_put(q, three, 1, 0.1), MPR_EFULL);
    dt = mpr_monotonic() - t0;
    CU_ASSERT(dt >= 0.1 && dt < 0.3);
    CU_ASSERT_STRING_EQUAL(mpr_err_pytype(MPR_EFULL), "queue.Full");
    CU_ASSERT_EQUAL(get_int(q, 1, MPR_TIMEOUT_NONE), 1);
    CU_ASSERT_EQUAL(mpr_queue_full(q), 0);
    CU_ASSERT_EQUAL(mpr_queue_put_nowait(q, three), 0);
    mpr_obj_decref(three);
    mpr_queue_free(q);
}

static void test_queue_closed_is_value_error(void)
{
    mpr_queue_t *q, *j;
    mpr_obj_t *o;
    char *r, want[160];

    CU_ASSERT_EQUAL_FATAL(mpr_queue_new(&q, 0), 0);
    CU_ASSERT_EQUAL(mpr_queue_repr(q, &r, NULL), 0);
    CU_ASSERT(matches(r, "^<multiprocessing\\.queues\\.Queue object at "
                         "0x[0-9a-f]+>$"));
    /* join_thread on an open queue: AssertionError */
    snprintf(want, sizeof(want), "Queue %s not closed", r);
    CHECK_ERR(mpr_queue_join_thread(q), MPR_EASSERT, want);
    CU_ASSERT_EQUAL(put_int(q, 1), 0);
    CU_ASSERT_EQUAL(put_int(q, 2), 0);
    CU_ASSERT_EQUAL(mpr_queue_close(q), 0);
    CU_ASSERT_EQUAL(mpr_queue_close(q), 0); /* idempotent */
    snprintf(want, sizeof(want), "Queue %s is closed", r);
    CHECK_ERR(put_int(q, 3), MPR_EVALUE, want);
    CHECK_ERR(mpr_queue_get(q, &o, 1, MPR_TIMEOUT_NONE), MPR_EVALUE, want);
    CHECK_ERR(mpr_queue_get_nowait(q, &o), MPR_EVALUE, want);
    CU_ASSERT_EQUAL(mpr_queue_qsize(q), 2); /* still answers */
    CU_ASSERT_EQUAL(mpr_queue_join_thread(q), 0);
    /* the feeder closed the reader: empty() is OSError */
    CHECK_ERR(mpr_queue_empty(q), MPR_ECLOSED, "handle is closed");
    mpr_free(r);
    mpr_queue_free(q);

    CU_ASSERT_EQUAL_FATAL(mpr_jqueue_new(&j, 0), 0);
    CU_ASSERT_EQUAL(mpr_queue_repr(j, &r, NULL), 0);
    CU_ASSERT(matches(r, "^<multiprocessing\\.queues\\.JoinableQueue "
                         "object at 0x[0-9a-f]+>$"));
    CU_ASSERT_EQUAL(mpr_queue_close(j), 0);
    snprintf(want, sizeof(want), "Queue %s is closed", r);
    CHECK_ERR(mpr_queue_get(j, &o, 1, MPR_TIMEOUT_NONE), MPR_EVALUE, want);
    /* closed without a feeder: the reader is still open */
    CU_ASSERT_EQUAL(mpr_queue_empty(j), 1);
    mpr_free(r);
    mpr_queue_free(j);
}

/* CPython's test_queue_feeder_donot_stop_onexc: a value that cannot be
 * pickled does not make put raise; the error is printed (as the feeder's
 * traceback), the item leaves the queue, and later items arrive. */
static void test_queue_unpicklable_put_does_not_raise(void)
{
    mpr_queue_t *q;
    mpr_obj_t *l = mpr_obj_list();
    int err[2], saved;
    char buf[512] = "";
    ssize_t n;

    for (int i = 1; i < 1100; i++)
        l = mpr_obj_list_of_steal(1, l);
    CU_ASSERT_EQUAL_FATAL(mpr_queue_new(&q, 1), 0);
    CU_ASSERT_EQUAL_FATAL(pipe(err), 0);
    fflush(stderr);
    saved = dup(2);
    dup2(err[1], 2);
    CU_ASSERT_EQUAL(mpr_queue_put(q, l, 1, MPR_TIMEOUT_NONE), 0);
    fflush(stderr);
    dup2(saved, 2);
    close(saved);
    close(err[1]);
    n = read(err[0], buf, sizeof(buf) - 1);
    close(err[0]);
    buf[n > 0 ? n : 0] = '\0';
    CU_ASSERT(strstr(buf, "Traceback (most recent call last):\n") == buf);
    CU_ASSERT(strstr(buf, "RecursionError: maximum recursion depth exceeded "
                          "while pickling an object") != NULL);
    CU_ASSERT_EQUAL(mpr_queue_qsize(q), 0); /* maxsize 1: room again */
    CU_ASSERT_EQUAL(put_int(q, 5), 0);
    CU_ASSERT_EQUAL(get_int(q, 1, 5.0), 5);
    mpr_obj_decref(l);
    mpr_queue_free(q);
}

/* ---- across processes ---------------------------------------------------- */

static mpr_queue_t *shared_q;

static int put_ten(mpr_obj_t *args, mpr_obj_t *kwargs)
{
    (void)args;
    (void)kwargs;
    for (int i = 10; i < 20; i++)
        if (put_int(shared_q, i) != 0)
            return mpr_last_error();
    return 0; /* the exit waits for the feeder */
}

static void test_queue_fifo_across_fork(void)
{
    mpr_process_options_t o = {.target = put_ten, .context = "fork"};
    mpr_process_t *p;
    int ok = 1, code = -1;

    CU_ASSERT_EQUAL_FATAL(mpr_queue_new(&shared_q, 0), 0);
    for (int i = 0; i < 10; i++)
        CU_ASSERT_EQUAL(put_int(shared_q, i), 0);
    /* the parent's items reach the pipe before the child starts */
    while (mpr_queue_empty(shared_q) == 1)
        usleep(1000);
    usleep(20000);
    CU_ASSERT_EQUAL_FATAL(mpr_process_new(&p, &o), 0);
    CU_ASSERT_EQUAL(mpr_process_start(p), 0);
    CU_ASSERT_EQUAL(mpr_process_join(p, 10.0), 0);
    CU_ASSERT_EQUAL(mpr_process_exitcode(p, &code), 1);
    CU_ASSERT_EQUAL(code, 0);
    for (int i = 0; i < 20; i++)
        ok &= get_int(shared_q, 1, 5.0) == i;
    CU_ASSERT(ok);
    CU_ASSERT_EQUAL(mpr_queue_get_nowait(shared_q, &(mpr_obj_t *){NULL}),
                    MPR_EEMPTY);
    CU_ASSERT_EQUAL(mpr_queue_qsize(shared_q), 0);
    mpr_process_free(p);
    mpr_queue_free(shared_q);
}

static int consume_three(mpr_obj_t *args, mpr_obj_t *kwargs)
{
    (void)args;
    (void)kwargs;
    for (int i = 0; i < 3; i++) {
        if (get_int(shared_q, 1, MPR_TIMEOUT_NONE) != i)
            return 2;
        usleep(100000);
        if (mpr_jqueue_task_done(shared_q) != 0)
            return 3;
    }
    return 0;
}

static void test_jqueue_join_waits_for_every_task_done(void)
{
    mpr_process_options_t o = {.target = consume_three, .context = "fork"};
    mpr_process_t *p;
    double t0, dt;
    int code = -1;

    CU_ASSERT_EQUAL_FATAL(mpr_jqueue_new(&shared_q, 0), 0);
    CU_ASSERT_EQUAL(mpr_jqueue_join(shared_q), 0); /* nothing pending */
    CHECK_ERR(mpr_jqueue_task_done(shared_q), MPR_EVALUE,
              "task_done() called too many times");
    for (int i = 0; i < 3; i++)
        CU_ASSERT_EQUAL(put_int(shared_q, i), 0);
    t0 = mpr_monotonic();
    CU_ASSERT_EQUAL_FATAL(mpr_process_new(&p, &o), 0);
    CU_ASSERT_EQUAL(mpr_process_start(p), 0);
    CU_ASSERT_EQUAL(mpr_jqueue_join(shared_q), 0);
    dt = mpr_monotonic() - t0;
    CU_ASSERT(dt >= 0.3);
    CU_ASSERT_EQUAL(mpr_process_join(p, 10.0), 0);
    CU_ASSERT_EQUAL(mpr_process_exitcode(p, &code), 1);
    CU_ASSERT_EQUAL(code, 0);
    CHECK_ERR(mpr_jqueue_task_done(shared_q), MPR_EVALUE,
              "task_done() called too many times");
    mpr_process_free(p);
    mpr_queue_free(shared_q);
}

static void test_queue_plain_has_no_task_done(void)
{
    mpr_queue_t *q;

    CU_ASSERT_EQUAL_FATAL(mpr_queue_new(&q, 0), 0);
    CHECK_ERR(mpr_jqueue_task_done(q), MPR_EATTR,
              "'Queue' object has no attribute 'task_done'");
    CHECK_ERR(mpr_jqueue_join(q), MPR_EATTR,
              "'Queue' object has no attribute 'join'");
    mpr_queue_free(q);
}

/* A child that cancels the join exits at once; without it, a child whose
 * feeder cannot write (nobody reads a large item) cannot exit. */
static int put_big(mpr_obj_t *args, mpr_obj_t *kwargs)
{
    char *big = malloc(1000001);
    mpr_obj_t *o;
    int rc;

    (void)kwargs;
    if (big == NULL)
        return -12;
    memset(big, 'x', 1000000);
    big[1000000] = '\0';
    o = mpr_obj_str(big);
    free(big);
    rc = mpr_queue_put(shared_q, o, 1, MPR_TIMEOUT_NONE);
    mpr_obj_decref(o);
    if (mpr_obj_truth(mpr_obj_item(args, 0)))
        mpr_queue_cancel_join_thread(shared_q);
    return rc;
}

static void test_queue_exit_waits_for_feeder_unless_cancelled(void)
{
    mpr_obj_t *yes = mpr_obj_tuple_steal(1, mpr_obj_bool(1));
    mpr_obj_t *no = mpr_obj_tuple_steal(1, mpr_obj_bool(0));
    mpr_process_options_t o = {.target = put_big, .context = "fork"};
    mpr_process_t *p;
    mpr_obj_t *got;
    int code = -1;

    CU_ASSERT_EQUAL_FATAL(mpr_queue_new(&shared_q, 0), 0);
    o.args = no;
    CU_ASSERT_EQUAL_FATAL(mpr_process_new(&p, &o), 0);
    CU_ASSERT_EQUAL(mpr_process_start(p), 0);
    CU_ASSERT_EQUAL(mpr_process_join(p, 0.5), 0);
    CU_ASSERT_EQUAL(mpr_process_is_alive(p), 1); /* blocked flushing */
    CU_ASSERT_EQUAL(mpr_queue_get(shared_q, &got, 1, 5.0), 0);
    CU_ASSERT_EQUAL(mpr_obj_len(got), 1000000);
    mpr_obj_decref(got);
    CU_ASSERT_EQUAL(mpr_process_join(p, 5.0), 0);
    CU_ASSERT_EQUAL(mpr_process_exitcode(p, &code), 1);
    CU_ASSERT_EQUAL(code, 0);
    mpr_process_free(p);

    o.args = yes;
    CU_ASSERT_EQUAL_FATAL(mpr_process_new(&p, &o), 0);
    CU_ASSERT_EQUAL(mpr_process_start(p), 0);
    CU_ASSERT_EQUAL(mpr_process_join(p, 5.0), 0);
    CU_ASSERT_EQUAL(mpr_process_exitcode(p, &code), 1);
    CU_ASSERT_EQUAL(code, 0);
    mpr_process_free(p);
    mpr_obj_decref(yes);
    mpr_obj_decref(no);
    mpr_queue_free(shared_q);
}

/* ---- reduce / rebuild ---------------------------------------------------- */

static int rebuild_and_put(void *arg)
{
    mpr_queue_t *q;
    int rc = mpr_queue_rebuild(&q, arg);

    if (rc == 0)
        rc = put_int(q, 42);
    mpr_queue_free(q); /* flushes */
    return rc == 0 ? 0 : 1;
}

static void test_queue_reduce_and_rebuild(void)
{
    mpr_queue_t *q, *q2;
    mpr_obj_t *red, *bad;

    CU_ASSERT_EQUAL_FATAL(mpr_jqueue_new(&q, 0), 0);
    CU_ASSERT_EQUAL_FATAL(mpr_queue_reduce(q, &red), 0);
    CU_ASSERT_EQUAL(mpr_obj_len(red), 11);
    CU_ASSERT_EQUAL(mprtest_run_child(rebuild_and_put, red, 10), 0);
    CU_ASSERT_EQUAL(get_int(q, 1, 5.0), 42);
    CU_ASSERT_EQUAL(mpr_jqueue_task_done(q), 0); /* shared counter */
    mpr_obj_decref(red);
    bad = mpr_obj_tuple_steal(1, mpr_obj_int(3));
    CHECK_ERR(mpr_queue_rebuild(&q2, bad), MPR_ETYPE, "not a reduced Queue");
    mpr_obj_decref(bad);
    mpr_queue_free(q);
    mpr__conn_sharer_stop();
}

/* The item a killed writer's round puts as its i-th: 4 to 16 KiB whose
 * length and content both follow from i (a window of torn_pattern), so
 * that a torn or misplaced frame shows.  Long frames keep the writer
 * copying for much of its time, where a kill is most likely to tear one. */
static unsigned char torn_pattern[16384 + 256];

static void torn_init(void)
{
    for (size_t k = 0; k < sizeof(torn_pattern); k++)
        torn_pattern[k] = (unsigned char)k;
}

static size_t torn_len(long i)
{
    return 4000 + (size_t)(i * 997 % 12000);
}

static const unsigned char *torn_bytes(long i)
{
    return torn_pattern + i * 7 % 256;
}

static mpr_obj_t *torn_item(long i)
{
    return mpr_obj_bytes(torn_bytes(i), torn_len(i));
}

/* 1 if o is the i-th item, whole. */
static int torn_ok(const mpr_obj_t *o, long i)
{
    size_t n;
    const unsigned char *b = mpr_obj_bytes_data(o, &n);

    return b != NULL && n == torn_len(i) && memcmp(b, torn_bytes(i), n) == 0;
}

/* A writer killed at any point of its puts, a frame half copied into the
 * ring included, leaves only whole items: the reader gets the items put
 * before, in order and intact, then nothing more (the ring publishes a
 * frame only once its bytes are in). */
static void test_squeue_writer_killed_mid_frame(void)
{
    torn_init();
    for (int round = 0; round < 40; round++) {
        mpr_squeue_t *q;
        mpr_obj_t *o;
        long next = 0, kill_at = 1 + round * 13 % 150;
        int bad = 0, status;
        pid_t pid;

        CU_ASSERT_EQUAL_FATAL(mpr_squeue_new(&q), 0);
        fflush(NULL);
        if ((pid = fork()) == 0) {
            for (long i = 0;; i++) {
                mpr_obj_t *it = torn_item(i);
                if (it == NULL || mpr_squeue_put(q, it) < 0)
                    _exit(1);
                mpr_obj_decref(it);
            }
        }
        CU_ASSERT_FATAL(pid > 0);
        /* Reading while the child writes; then a few microseconds more
         * of writing into the room the reads left, so that the kill
         * lands at a different point of a frame each round. */
        while (next < kill_at) {
            if (mpr_squeue_get(q, &o) < 0) {
                bad++;
                break;
            }
            bad += !torn_ok(o, next++);
            mpr_obj_decref(o);
        }
        {
            double until = mpr_monotonic() + (round % 20) * 1e-6;
            while (mpr_monotonic() < until)
                ;
        }
        kill(pid, SIGKILL);
        CU_ASSERT_EQUAL(waitpid(pid, &status, 0), pid);
        CU_ASSERT(WIFSIGNALED(status));
        /* What was published before the kill is still there, whole (a
         * torn frame would not even unpickle). */
        while (mpr_squeue_empty(q) == 0) {
            if (mpr_squeue_get(q, &o) < 0) {
                bad++;
                break;
            }
            bad += !torn_ok(o, next++);
            mpr_obj_decref(o);
        }
        CU_ASSERT_EQUAL(bad, 0);
        mpr_squeue_free(q);
    }
}

/* A writer that dies in the middle of copying a frame into the ring (here
 * a fault on the second page of its message, so the point is exact)
 * leaves the ring as before that frame: the item put before it is got,
 * whole, and then the queue is empty -- nothing half-written is ever
 * published. */
static void test_squeue_writer_dies_mid_copy(void)
{
    long page = sysconf(_SC_PAGESIZE);
    mpr_squeue_t *q;
    mpr_obj_t *o;
    int status;
    pid_t pid;

    /* memcheck would report the fault the child dies of on purpose */
    if (mprtest_skip_under_valgrind("a child dies of an invalid read"))
        return;
    torn_init();
    CU_ASSERT_EQUAL_FATAL(mpr_squeue_new(&q), 0);
    fflush(NULL);
    if ((pid = fork()) == 0) {
        char *p = mmap(NULL, 2 * (size_t)page, PROT_READ | PROT_WRITE,
                       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        mpr_obj_t *it = torn_item(0);
        if (p == MAP_FAILED ||
            mprotect(p + page, (size_t)page, PROT_NONE) < 0 || it == NULL ||
            mpr_squeue_put(q, it) < 0)
            _exit(1);
        /* The default action, not a sanitizer's report: the child dies
         * of the fault, in the copy. */
        signal(SIGSEGV, SIG_DFL);
        memset(p, 'x', (size_t)page);
        mpr__qchan_send(mpr__squeue_chan(q), p, (size_t)page + 100);
        _exit(2);
    }
    CU_ASSERT_FATAL(pid > 0);
    CU_ASSERT_EQUAL(waitpid(pid, &status, 0), pid);
    CU_ASSERT(WIFSIGNALED(status) && WTERMSIG(status) == SIGSEGV);
    CU_ASSERT_EQUAL(mpr_squeue_empty(q), 0);
    CU_ASSERT_EQUAL_FATAL(mpr_squeue_get(q, &o), 0);
    CU_ASSERT(torn_ok(o, 0));
    mpr_obj_decref(o);
    CU_ASSERT_EQUAL(mpr_squeue_empty(q), 1);
    mpr_squeue_free(q);
}

/* ---- SimpleQueue --------------------------------------------------------- */

static void test_squeue_put_get_empty_close(void)
{
    mpr_squeue_t *q;
    mpr_obj_t *l = mpr_obj_list_of_steal(3, mpr_obj_int(42), mpr_obj_none(),
                                         mpr_obj_str("hello")),
              *got;
    char *r;

    CU_ASSERT_EQUAL_FATAL(mpr_squeue_new(&q), 0);
    CU_ASSERT_EQUAL(mpr_squeue_repr(q, &r, NULL), 0);
    CU_ASSERT(matches(r, "^<multiprocessing\\.queues\\.SimpleQueue object "
                         "at 0x[0-9a-f]+>$"));
    mpr_free(r);
    CU_ASSERT_EQUAL(mpr_squeue_empty(q), 1);
    CU_ASSERT_EQUAL(mpr_squeue_put(q, l), 0);
    CU_ASSERT_EQUAL(mpr_squeue_empty(q), 0); /* synchronous: at once */
    CU_ASSERT_EQUAL(mpr_squeue_get(q, &got), 0);
    CU_ASSERT_EQUAL(mpr_obj_eq(got, l), 1);
    mpr_obj_decref(got);
    CU_ASSERT_EQUAL(mpr_squeue_close(q), 0);
    CU_ASSERT_EQUAL(mpr_squeue_close(q), 0);
    CHECK_ERR(mpr_squeue_put(q, l), MPR_ECLOSED, "handle is closed");
    CHECK_ERR(mpr_squeue_get(q, &got), MPR_ECLOSED, "handle is closed");
    CHECK_ERR(mpr_squeue_empty(q), MPR_ECLOSED, "handle is closed");
    mpr_obj_decref(l);
    mpr_squeue_free(q);
}

static int squeue_child(void *arg)
{
    mpr_obj_t *o = mpr_obj_int(5);
    int rc = mpr_squeue_put(arg, o);

    mpr_obj_decref(o);
    return rc == 0 ? 0 : 1;
}

static void test_squeue_across_fork(void)
{
    mpr_squeue_t *q;
    mpr_obj_t *got = NULL;

    CU_ASSERT_EQUAL_FATAL(mpr_squeue_new(&q), 0);
    CU_ASSERT_EQUAL(mprtest_run_child(squeue_child, q, 10), 0);
    CU_ASSERT_EQUAL(mpr_squeue_empty(q), 0);
    CU_ASSERT_EQUAL(mpr_squeue_get(q, &got), 0);
    CU_ASSERT(got != NULL && mpr_obj_int_value(got) == 5);
    mpr_obj_decref(got);
    mpr_squeue_free(q);
}

/* A copy of the reduced tuple t with item i replaced by v (stolen). */
static mpr_obj_t *with_item(const mpr_obj_t *t, size_t i, mpr_obj_t *v)
{
    mpr_obj_t *c = mpr_obj_tuple_new(mpr_obj_len(t));

    for (size_t k = 0; k < mpr_obj_len(t); k++)
        mpr_obj_tuple_set_steal(
            c, k, k == i ? v : mpr_obj_incref(mpr_obj_item(t, k)));
    return c;
}

static int squeue_rebuild_and_put(void *arg)
{
    mpr_squeue_t *q;
    mpr_obj_t *o = mpr_obj_str("from child");
    int rc = mpr_squeue_rebuild(&q, arg);

    if (rc == 0) {
        rc = mpr_squeue_put(q, o);
        mpr_squeue_free(q);
    }
    mpr_obj_decref(o);
    return rc == 0 ? 0 : 1;
}

/* A reduced SimpleQueue works in a child; reduced values with a wrong
 * tag, too few items or a bad handle inside are TypeError/ValueError and
 * leave nothing open. */
static void test_queue_reduced_values_checked(void)
{
    mpr_squeue_t *sq, *sq2;
    mpr_queue_t *q, *q2;
    mpr_obj_t *red, *bad, *got = NULL;
    char *r;
    size_t n;

    CU_ASSERT_EQUAL_FATAL(mpr_squeue_new(&sq), 0);
    CU_ASSERT_EQUAL(mpr_squeue_repr(sq, &r, &n), 0);
    CU_ASSERT_EQUAL(n, strlen(r));
    mpr_free(r);
    CU_ASSERT_EQUAL_FATAL(mpr_squeue_reduce(sq, &red), 0);
    CU_ASSERT_EQUAL(mprtest_run_child(squeue_rebuild_and_put, red, 10), 0);
    CU_ASSERT_EQUAL(mpr_squeue_get(sq, &got), 0);
    CU_ASSERT(got != NULL &&
              strcmp(mpr_obj_str_utf8(got, NULL), "from child") == 0);
    mpr_obj_decref(got);
    CHECK_ERR(mpr_squeue_rebuild(&sq2, mpr_obj_item(red, 1)), MPR_ETYPE,
              "not a reduced SimpleQueue");
    bad = mpr_obj_tuple(1, mpr_obj_item(red, 0)); /* the tag alone */
    CHECK_ERR(mpr_squeue_rebuild(&sq2, bad), MPR_ETYPE, "not a reduced queue");
    mpr_obj_decref(bad);
    bad = with_item(red, 1, mpr_obj_int(7)); /* its reader */
    CHECK_ERR(mpr_squeue_rebuild(&sq2, bad), MPR_ETYPE,
              "not a reduced Connection");
    mpr_obj_decref(bad);
    mpr_obj_decref(red);
    mpr_squeue_free(sq);

    CU_ASSERT_EQUAL_FATAL(mpr_jqueue_new(&q, 3), 0);
    CU_ASSERT_EQUAL(mpr_queue_repr(q, &r, &n), 0);
    CU_ASSERT_EQUAL(n, strlen(r));
    mpr_free(r);
    CU_ASSERT_EQUAL_FATAL(mpr_queue_reduce(q, &red), 0);
    bad = with_item(red, 1, mpr_obj_str("3")); /* maxsize */
    CHECK_ERR(mpr_queue_rebuild(&q2, bad), MPR_ETYPE, "not a reduced Queue");
    mpr_obj_decref(bad);
    bad = with_item(red, 0, mpr_obj_str("multiprocessing.queues.Queue"));
    CHECK_ERR(mpr_queue_rebuild(&q2, bad), MPR_ETYPE,
              "not a reduced Queue"); /* a JoinableQueue's length */
    mpr_obj_decref(bad);
    /* ring, sem, opid, cond, unfinished */
    for (size_t i = 6; i < 11; i++) {
        bad = with_item(red, i, mpr_obj_bytes("x", 1));
        CU_ASSERT(mpr_queue_rebuild(&q2, bad) < 0);
        mpr_obj_decref(bad);
    }
    /* the ring's token naming another segment of ours: the semaphore's
     * ("S<offset>@<segment>"), too small to be a ring (a new reduction:
     * the failed rebuilds above took the shared descriptors) */
    mpr_obj_decref(red);
    CU_ASSERT_EQUAL_FATAL(mpr_queue_reduce(q, &red), 0);
    bad = with_item(
        red, 6,
        mpr_obj_str(strchr(mpr_obj_str_utf8(mpr_obj_item(red, 7), NULL), '@') +
                    1));
    CHECK_ERR(mpr_queue_rebuild(&q2, bad), MPR_EVALUE, "bad shared handle");
    mpr_obj_decref(bad);
    mpr_obj_decref(red);
    mpr_queue_free(q);
    mpr__conn_sharer_stop();
}

static mpr_queue_t *blocked_q;

/* Blocks in get() (holding the reader lock) until the parent puts. */
static int child_get_blocking(void *arg)
{
    (void)arg;
    return get_int(blocked_q, 1, 20.0) == 7 ? 0 : 1;
}

/* While another process waits in get() holding the reader lock, a timed
 * get fails with Empty once its timeout has passed and get_nowait at once
 * (CPython: `if not self._rlock.acquire(block, timeout): raise Empty`).
 * Queues freed out of creation order leave the others working. */
static void test_queue_get_while_another_reader_waits(void)
{
    mpr_queue_t *q1, *q3;
    mpr_obj_t *o = NULL;
    double t0;
    pid_t pid;

    CU_ASSERT_EQUAL_FATAL(mpr_queue_new(&q1, 0), 0);
    CU_ASSERT_EQUAL_FATAL(mpr_queue_new(&blocked_q, 0), 0);
    CU_ASSERT_EQUAL_FATAL(mpr_queue_new(&q3, 0), 0);
    pid = mprtest_fork(child_get_blocking, NULL);
    usleep(200000);
    t0 = mpr_monotonic();
    CHECK_ERR(mpr_queue_get(blocked_q, &o, 1, 0.2), MPR_EEMPTY, "");
    CU_ASSERT(mpr_monotonic() - t0 >= 0.19);
    CHECK_ERR(mpr_queue_get_nowait(blocked_q, &o), MPR_EEMPTY, "");
    CU_ASSERT_EQUAL(put_int(blocked_q, 7), 0);
    CU_ASSERT_EQUAL(mprtest_wait(pid, 20), 0);
    mpr_queue_free(blocked_q); /* the middle one of three live queues */
    CU_ASSERT_EQUAL(put_int(q1, 1), 0);
    CU_ASSERT_EQUAL(put_int(q3, 3), 0);
    CU_ASSERT_EQUAL(get_int(q1, 1, 5.0), 1);
    CU_ASSERT_EQUAL(get_int(q3, 1, 5.0), 3);
    mpr_queue_free(q3);
    mpr_queue_free(q1);
}

/* SimpleQueue.put pickles in the caller: a value nested past the
 * recursion limit is RecursionError there, nothing is sent, and the
 * queue goes on working. */
static void test_squeue_put_of_unpicklable_raises(void)
{
    mpr_squeue_t *q;
    mpr_obj_t *deep = mpr_obj_int(1), *one = mpr_obj_int(1), *got = NULL;

    for (int i = 0; i < MPR_OBJ_MAX_DEPTH + 10; i++)
        deep = mpr_obj_list_of_steal(1, deep);
    CU_ASSERT_EQUAL_FATAL(mpr_squeue_new(&q), 0);
    CHECK_ERR(mpr_squeue_put(q, deep), MPR_ERECURSION,
              "maximum recursion depth exceeded while pickling an object");
    CU_ASSERT_EQUAL(mpr_squeue_empty(q), 1);
    CU_ASSERT_EQUAL(mpr_squeue_put(q, one), 0);
    CU_ASSERT_EQUAL(mpr_squeue_get(q, &got), 0);
    CU_ASSERT(got != NULL && mpr_obj_int_value(got) == 1);
    mpr_obj_decref(got);
    mpr_obj_decref(deep);
    mpr_obj_decref(one);
    mpr_squeue_free(q);
}

int mprtest_register(CU_pSuite s)
{
    MPRTEST_ADD(s, test_queue_fifo_and_qsize,
                "Queue is FIFO; qsize counts a put at once");
    MPRTEST_ADD(s, test_queue_put_never_blocks_on_the_pipe,
                "20000 puts before any get: the feeder keeps put from "
                "blocking");
    MPRTEST_ADD(s, test_queue_put_mixed_sizes_never_blocks,
                "3000 puts of 0 to 2199 bytes before any get never block "
                "and keep their order");
    MPRTEST_ADD(s, test_queue_get_empty_raises_empty,
                "get on an empty queue is Empty: nowait, block=False, "
                "timeout 0, negative, and 0.1 s");
    MPRTEST_ADD(s, test_queue_put_full_raises_full,
                "put on a full queue is Full: nowait, block=False ignores "
                "the timeout, negative, and 0.1 s");
    MPRTEST_ADD(s, test_queue_closed_is_value_error,
                "put/get on a closed queue is ValueError 'Queue <repr> is "
                "closed'; join_thread on an open one is AssertionError");
    MPRTEST_ADD(s, test_queue_unpicklable_put_does_not_raise,
                "a value too deep to pickle: put does not raise, the error "
                "is printed, the item leaves the queue");
    MPRTEST_ADD(s, test_queue_fifo_across_fork,
                "a forked child's puts follow the parent's, in order");
    MPRTEST_ADD(s, test_jqueue_join_waits_for_every_task_done,
                "JoinableQueue.join returns after every task_done; one too "
                "many is ValueError");
    MPRTEST_ADD(s, test_queue_plain_has_no_task_done,
                "task_done/join on a plain Queue are AttributeError");
    MPRTEST_ADD(s, test_queue_exit_waits_for_feeder_unless_cancelled,
                "a child's exit waits for its feeder, unless "
                "cancel_join_thread");
    MPRTEST_ADD(s, test_queue_reduce_and_rebuild,
                "a reduced JoinableQueue is rebuilt in another process");
    MPRTEST_ADD(s, test_queue_reduced_values_checked,
                "a reduced SimpleQueue works in a child; bad reduced "
                "values are refused and leave nothing open");
    MPRTEST_ADD(s, test_queue_get_while_another_reader_waits,
                "a timed get is Empty after its timeout while another "
                "process holds the reader lock; free order does not matter");
    MPRTEST_ADD(s, test_squeue_put_of_unpicklable_raises,
                "SimpleQueue.put of an unpicklable value is RecursionError "
                "in the caller; the queue still works");
    MPRTEST_ADD(s, test_squeue_writer_dies_mid_copy,
                "SimpleQueue: a writer dying in the middle of copying a frame "
                "publishes nothing of it");
    MPRTEST_ADD(s, test_squeue_writer_killed_mid_frame,
                "SimpleQueue: a writer killed in the middle of its puts leaves "
                "whole items, in order");
    MPRTEST_ADD(s, test_squeue_put_get_empty_close,
                "SimpleQueue put is synchronous; after close every call "
                "is OSError 'handle is closed'");
    MPRTEST_ADD(s, test_squeue_across_fork,
                "SimpleQueue carries a value from a forked child");
    return 0;
}
