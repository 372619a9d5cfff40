/*
 * mpr.c - the libmpref variant of each benchmark: the same work as
 * bench.py (CPython) and floor.c (raw OS), on libmpref's public API.  A
 * primitive's benchmarks are compiled in once its header exists
 * (BENCH_HAVE_<PRIMITIVE>, set by bench/meson.build); the others are not
 * listed by --list, and the driver prints n/a for them.
 *
 * Base work (1x) of each benchmark: see bench/README.md.
 */
#include "bench.h"

#include <mpr.h>
/* Each primitive's own header too: the umbrella may list it later. */
#ifdef BENCH_HAVE_QUEUE
#include <mpr/queue.h>
#endif
#ifdef BENCH_HAVE_POOL
#include <mpr/pool.h>
#endif
#ifdef BENCH_HAVE_MANAGER
#include <mpr/manager.h>
#endif

#define MPR_CHECK(expr)                                                        \
    do {                                                                       \
        int rc_ = (expr);                                                      \
        if (rc_ < 0) {                                                         \
            fprintf(stderr, "bench: %s: %s %s\n", #expr, mpr_strerror(rc_),    \
                    mpr_last_error_detail() ? mpr_last_error_detail() : "");   \
            exit(1);                                                           \
        }                                                                      \
    } while (0)

#ifdef BENCH_HAVE_PROCESS
/* ---- Process start + join ----------------------------------------------- */

static int noop(mpr_obj_t *args, mpr_obj_t *kwargs)
{
    (void)args;
    (void)kwargs;
    return 0;
}
MPR_TARGET(noop)

static double process_bench(const char *method, long scale, long *ops)
{
    mpr_process_options_t o = {.target = noop, .context = method};
    double t0 = bench_now();
    for (long i = 0; i < scale; i++) {
        mpr_process_t *p;
        int code;
        MPR_CHECK(mpr_process_new(&p, &o));
        MPR_CHECK(mpr_process_start(p));
        MPR_CHECK(mpr_process_join(p, MPR_TIMEOUT_NONE));
        BENCH_CHECK(mpr_process_exitcode(p, &code) == 1 && code == 0);
        mpr_process_free(p);
    }
    *ops = scale;
    return bench_now() - t0;
}

static double b_process_fork(long scale, long *ops)
{
    return process_bench("fork", scale, ops);
}

static double b_process_spawn(long scale, long *ops)
{
    return process_bench("spawn", scale, ops);
}

static double b_process_forkserver(long scale, long *ops)
{
    return process_bench("forkserver", scale, ops);
}
#endif

#if defined(BENCH_HAVE_PROCESS) && defined(BENCH_HAVE_CONNECTION)
/* ---- children: started (default method) and ready before the clock ----- */

static mpr_conn_t *ctl_parent, *ctl_child; /* control pipe (duplex) */

static void ctl_send(mpr_conn_t *c, const char *word)
{
    MPR_CHECK(mpr_conn_send_bytes(c, word, strlen(word), 0, MPR_SIZE_NONE));
}

static void ctl_recv(mpr_conn_t *c)
{
    char *buf;
    size_t len;
    MPR_CHECK(mpr_conn_recv_bytes(c, MPR_SIZE_NONE, &buf, &len));
    mpr_free(buf);
}

/* Starts fn in a child and returns once it has said "ready". */
static mpr_process_t *start_child(mpr_target_t fn)
{
    mpr_process_options_t o = {.target = fn};
    mpr_process_t *p;
    MPR_CHECK(mpr_pipe(&ctl_parent, &ctl_child, 1));
    MPR_CHECK(mpr_process_new(&p, &o));
    MPR_CHECK(mpr_process_start(p));
    mpr_conn_free(ctl_child);
    ctl_child = NULL;
    ctl_recv(ctl_parent);
    return p;
}

static void finish(mpr_process_t *p)
{
    int code;
    mpr_conn_free(ctl_parent);
    ctl_parent = NULL;
    MPR_CHECK(mpr_process_join(p, MPR_TIMEOUT_NONE));
    BENCH_CHECK(mpr_process_exitcode(p, &code) == 1 && code == 0);
    mpr_process_free(p);
}

static long g_n;      /* operations the child performs */
static size_t g_size; /* message size (stream) */

/* Up to 7 children at once (the rows with 4 and 8 processes), each with
 * its own control pipe. */
typedef struct {
    mpr_process_t *p;
    mpr_conn_t *ctl;
} kid_t;

static void start_kids(mpr_target_t fn, int k, kid_t *kids)
{
    for (int i = 0; i < k; i++) {
        kids[i].p = start_child(fn);
        kids[i].ctl = ctl_parent;
        ctl_parent = NULL;
    }
}

static void finish_kids(int k, kid_t *kids)
{
    for (int i = 0; i < k; i++) {
        ctl_parent = kids[i].ctl;
        finish(kids[i].p);
    }
}

/* ---- Pipe ------------------------------------------------------------------
 */

static mpr_conn_t *g_a, *g_b;

static int echo(mpr_obj_t *args, mpr_obj_t *kwargs)
{
    (void)args;
    (void)kwargs;
    ctl_send(ctl_child, "ready");
    for (long i = 0; i < g_n; i++) {
        mpr_obj_t *o;
        MPR_CHECK(mpr_conn_recv(g_b, &o));
        MPR_CHECK(mpr_conn_send(g_b, o));
        mpr_obj_decref(o);
    }
    return 0;
}

static double b_pipe_rtt(long scale, long *ops)
{
    long n = g_n = 100 * scale;
    MPR_CHECK(mpr_pipe(&g_a, &g_b, 1));
    mpr_process_t *p = start_child(echo);
    mpr_conn_free(g_b);
    mpr_obj_t *msg = mpr_obj_list_of_steal(3, mpr_obj_int(42), mpr_obj_none(),
                                           mpr_obj_str("hello"));
    mpr_obj_t *r = NULL;
    BENCH_CHECK(msg != NULL);
    double t0 = bench_now();
    for (long i = 0; i < n; i++) {
        mpr_obj_decref(r);
        MPR_CHECK(mpr_conn_send(g_a, msg));
        MPR_CHECK(mpr_conn_recv(g_a, &r));
    }
    double t = bench_now() - t0;
    BENCH_CHECK(mpr_obj_eq(r, msg) == 1);
    mpr_obj_decref(r);
    mpr_obj_decref(msg);
    finish(p);
    mpr_conn_free(g_a);
    *ops = n;
    return t;
}

static int streamer(mpr_obj_t *args, mpr_obj_t *kwargs)
{
    (void)args;
    (void)kwargs;
    char *msg = calloc(1, g_size);
    BENCH_CHECK(msg != NULL);
    ctl_send(ctl_child, "ready");
    ctl_recv(ctl_child);
    for (long i = 0; i < g_n; i++)
        MPR_CHECK(mpr_conn_send_bytes(g_b, msg, g_size, 0, MPR_SIZE_NONE));
    free(msg);
    return 0;
}

static double pipe_stream(long n, size_t size, long *ops)
{
    g_n = n;
    g_size = size;
    MPR_CHECK(mpr_pipe(&g_a, &g_b, 0)); /* a reads, b writes */
    mpr_process_t *p = start_child(streamer);
    mpr_conn_free(g_b);
    char *buf;
    size_t len = 0;
    double t0 = bench_now();
    ctl_send(ctl_parent, "go");
    for (long i = 0; i < n; i++) {
        MPR_CHECK(mpr_conn_recv_bytes(g_a, MPR_SIZE_NONE, &buf, &len));
        mpr_free(buf);
    }
    double t = bench_now() - t0;
    BENCH_CHECK(len == size);
    finish(p);
    mpr_conn_free(g_a);
    *ops = n;
    return t;
}

static double b_pipe_stream64(long scale, long *ops)
{
    return pipe_stream(1000 * scale, 64, ops);
}

static double b_pipe_stream64k(long scale, long *ops)
{
    return pipe_stream(100 * scale, 65536, ops);
}
#define BENCH_HAVE_CHILDREN 1
#endif

#if defined(BENCH_HAVE_CHILDREN) && defined(BENCH_HAVE_QUEUE)
/* ---- Queue, SimpleQueue: a child puts n ints, the parent gets them ------ */

static mpr_queue_t *g_queue;
static mpr_squeue_t *g_squeue;

static int producer(mpr_obj_t *args, mpr_obj_t *kwargs)
{
    (void)args;
    (void)kwargs;
    ctl_send(ctl_child, "ready");
    ctl_recv(ctl_child);
    for (long i = 0; i < g_n; i++) {
        mpr_obj_t *o = mpr_obj_int(i);
        BENCH_CHECK(o != NULL);
        if (g_queue != NULL)
            MPR_CHECK(mpr_queue_put(g_queue, o, 1, MPR_TIMEOUT_NONE));
        else
            MPR_CHECK(mpr_squeue_put(g_squeue, o));
        mpr_obj_decref(o);
    }
    return 0;
}

static double queue_ints(long n, long *ops)
{
    int64_t sum = 0;
    g_n = n;
    mpr_process_t *p = start_child(producer);
    double t0 = bench_now();
    ctl_send(ctl_parent, "go");
    for (long i = 0; i < n; i++) {
        mpr_obj_t *o;
        if (g_queue != NULL)
            MPR_CHECK(mpr_queue_get(g_queue, &o, 1, MPR_TIMEOUT_NONE));
        else
            MPR_CHECK(mpr_squeue_get(g_squeue, &o));
        sum += mpr_obj_int_value(o);
        mpr_obj_decref(o);
    }
    double t = bench_now() - t0;
    BENCH_CHECK(sum == (int64_t)n * (n - 1) / 2);
    finish(p);
    *ops = n;
    return t;
}

static double b_queue_ints(long scale, long *ops)
{
    MPR_CHECK(mpr_queue_new(&g_queue, 0));
    double t = queue_ints(1000 * scale, ops);
    mpr_queue_free(g_queue);
    g_queue = NULL;
    return t;
}

static double b_simplequeue_ints(long scale, long *ops)
{
    MPR_CHECK(mpr_squeue_new(&g_squeue));
    double t = queue_ints(1000 * scale, ops);
    mpr_squeue_free(g_squeue);
    g_squeue = NULL;
    return t;
}

/* nprocs - 1 children each put n ints into one Queue; the parent gets
 * them all. */
static double queue_ints_procs(int nprocs, long scale, long *ops)
{
    long n = g_n = 1000 * scale, total = n * (nprocs - 1);
    int64_t sum = 0;
    kid_t kids[7];
    MPR_CHECK(mpr_queue_new(&g_queue, 0));
    start_kids(producer, nprocs - 1, kids);
    double t0 = bench_now();
    for (int k = 0; k < nprocs - 1; k++)
        ctl_send(kids[k].ctl, "go");
    for (long i = 0; i < total; i++) {
        mpr_obj_t *o;
        MPR_CHECK(mpr_queue_get(g_queue, &o, 1, MPR_TIMEOUT_NONE));
        sum += mpr_obj_int_value(o);
        mpr_obj_decref(o);
    }
    double t = bench_now() - t0;
    BENCH_CHECK(sum == (int64_t)(nprocs - 1) * n * (n - 1) / 2);
    finish_kids(nprocs - 1, kids);
    mpr_queue_free(g_queue);
    g_queue = NULL;
    *ops = total;
    return t;
}

static double b_queue_ints4(long scale, long *ops)
{
    return queue_ints_procs(4, scale, ops);
}

static double b_queue_ints8(long scale, long *ops)
{
    return queue_ints_procs(8, scale, ops);
}
#define BENCH_HAVE_QUEUE_INTS 1
#endif

#ifdef BENCH_HAVE_LOCK
/* ---- Lock ------------------------------------------------------------------
 */

static double b_lock_uncontended(long scale, long *ops)
{
    long n = 10000 * scale;
    mpr_lock_t *l;
    MPR_CHECK(mpr_lock_new(&l));
    double t0 = bench_cpu_now();
    for (long i = 0; i < n; i++) {
        mpr_lock_acquire(l, 1, MPR_TIMEOUT_NONE);
        mpr_lock_release(l);
    }
    double t = bench_cpu_now() - t0;
    mpr_lock_free(l);
    *ops = n;
    return t;
}
#endif

#if defined(BENCH_HAVE_CHILDREN) && defined(BENCH_HAVE_LOCK) &&                \
    defined(BENCH_HAVE_SHAREDCTYPES)
static mpr_lock_t *g_lock;
static mpr_value_t *g_value;

static void increments(long n)
{
    for (long i = 0; i < n; i++) {
        int64_t x;
        mpr_lock_enter(g_lock);
        mpr_value_get_int64(g_value, &x);
        mpr_value_set_int64(g_value, x + 1);
        mpr_lock_exit(g_lock);
    }
}

static int incrementer(mpr_obj_t *args, mpr_obj_t *kwargs)
{
    (void)args;
    (void)kwargs;
    ctl_send(ctl_child, "ready");
    ctl_recv(ctl_child);
    increments(g_n);
    ctl_send(ctl_child, "done");
    return 0;
}

static double b_lock_contended(long scale, long *ops)
{
    long n = g_n = 1000 * scale;
    int64_t total;
    MPR_CHECK(mpr_lock_new(&g_lock));
    MPR_CHECK(mpr_rawvalue_new(&g_value, "q", NULL));
    mpr_process_t *p = start_child(incrementer);
    double t0 = bench_now();
    ctl_send(ctl_parent, "go");
    increments(n);
    ctl_recv(ctl_parent);
    double t = bench_now() - t0;
    MPR_CHECK(mpr_value_get_int64(g_value, &total));
    BENCH_CHECK(total == 2 * n);
    finish(p);
    mpr_value_free(g_value);
    mpr_lock_free(g_lock);
    *ops = 2 * n;
    return t;
}

/* The parent and nprocs - 1 children each make n increments. */
static double lock_contended_procs(int nprocs, long scale, long *ops)
{
    long n = g_n = 1000 * scale;
    int64_t total;
    kid_t kids[7];
    MPR_CHECK(mpr_lock_new(&g_lock));
    MPR_CHECK(mpr_rawvalue_new(&g_value, "q", NULL));
    start_kids(incrementer, nprocs - 1, kids);
    double t0 = bench_now();
    for (int k = 0; k < nprocs - 1; k++)
        ctl_send(kids[k].ctl, "go");
    increments(n);
    for (int k = 0; k < nprocs - 1; k++)
        ctl_recv(kids[k].ctl);
    double t = bench_now() - t0;
    MPR_CHECK(mpr_value_get_int64(g_value, &total));
    BENCH_CHECK(total == nprocs * n);
    finish_kids(nprocs - 1, kids);
    mpr_value_free(g_value);
    mpr_lock_free(g_lock);
    *ops = nprocs * n;
    return t;
}

static double b_lock_contended4(long scale, long *ops)
{
    return lock_contended_procs(4, scale, ops);
}

static double b_lock_contended8(long scale, long *ops)
{
    return lock_contended_procs(8, scale, ops);
}
#define BENCH_HAVE_CONTENDED 1
#endif

#if defined(BENCH_HAVE_CHILDREN) && defined(BENCH_HAVE_BARRIER)
/* ---- Barrier ------------------------------------------------------------- */

static mpr_barrier_t *g_barrier;

static int barrier_party(mpr_obj_t *args, mpr_obj_t *kwargs)
{
    (void)args;
    (void)kwargs;
    ctl_send(ctl_child, "ready");
    for (long i = 0; i < g_n + 1; i++)
        MPR_CHECK(mpr_barrier_wait(g_barrier, MPR_TIMEOUT_NONE));
    return 0;
}

static double b_barrier_wait(long scale, long *ops)
{
    long n = g_n = 100 * scale;
    MPR_CHECK(mpr_barrier_new(&g_barrier, 2, NULL));
    mpr_process_t *p = start_child(barrier_party);
    MPR_CHECK(mpr_barrier_wait(g_barrier, MPR_TIMEOUT_NONE));
    double t0 = bench_now();
    for (long i = 0; i < n; i++)
        MPR_CHECK(mpr_barrier_wait(g_barrier, MPR_TIMEOUT_NONE));
    double t = bench_now() - t0;
    finish(p);
    mpr_barrier_free(g_barrier);
    *ops = n;
    return t;
}
#define BENCH_HAVE_BARRIER_WAIT 1
#endif

#if defined(BENCH_HAVE_CHILDREN) && defined(BENCH_HAVE_EVENT)
/* ---- Event ping-pong -------------------------------------------------------
 */

static mpr_event_t *g_ping, *g_pong;

static int ponger(mpr_obj_t *args, mpr_obj_t *kwargs)
{
    (void)args;
    (void)kwargs;
    ctl_send(ctl_child, "ready");
    for (long i = 0; i < g_n; i++) {
        MPR_CHECK(mpr_event_wait(g_ping, MPR_TIMEOUT_NONE));
        MPR_CHECK(mpr_event_clear(g_ping));
        MPR_CHECK(mpr_event_set(g_pong));
    }
    return 0;
}

static double b_event_pingpong(long scale, long *ops)
{
    long n = g_n = 100 * scale;
    MPR_CHECK(mpr_event_new(&g_ping));
    MPR_CHECK(mpr_event_new(&g_pong));
    mpr_process_t *p = start_child(ponger);
    double t0 = bench_now();
    for (long i = 0; i < n; i++) {
        MPR_CHECK(mpr_event_set(g_ping));
        MPR_CHECK(mpr_event_wait(g_pong, MPR_TIMEOUT_NONE));
        MPR_CHECK(mpr_event_clear(g_pong));
    }
    double t = bench_now() - t0;
    finish(p);
    mpr_event_free(g_ping);
    mpr_event_free(g_pong);
    *ops = n;
    return t;
}
#define BENCH_HAVE_PINGPONG 1
#endif

#ifdef BENCH_HAVE_SHAREDCTYPES
/* ---- Value / Array: synchronized, a locked get then a locked set -------- */

static double b_value_rw(long scale, long *ops)
{
    long n = 10000 * scale;
    mpr_value_t *v;
    int64_t x = 0;
    MPR_CHECK(mpr_value_new(&v, "i", NULL, NULL));
    double t0 = bench_cpu_now();
    for (long i = 0; i < n; i++) {
        mpr_value_get_int64(v, &x);
        mpr_value_set_int64(v, x + 1);
    }
    double t = bench_cpu_now() - t0;
    MPR_CHECK(mpr_value_get_int64(v, &x));
    BENCH_CHECK(x == n);
    mpr_value_free(v);
    *ops = n;
    return t;
}

static double b_array_rw(long scale, long *ops)
{
    long n = 10000 * scale;
    mpr_array_t *a;
    mpr_obj_t *ten = mpr_obj_int(10);
    int64_t x = 0, sum = 0;
    MPR_CHECK(mpr_array_new(&a, "i", ten, NULL));
    mpr_obj_decref(ten);
    double t0 = bench_cpu_now();
    for (long i = 0; i < n; i++) {
        mpr_array_get_int64(a, i % 10, &x);
        mpr_array_set_int64(a, i % 10, x + 1);
    }
    double t = bench_cpu_now() - t0;
    for (int i = 0; i < 10; i++) {
        MPR_CHECK(mpr_array_get_int64(a, i, &x));
        sum += x;
    }
    BENCH_CHECK(sum == n);
    mpr_array_free(a);
    *ops = n;
    return t;
}
#endif

#ifdef BENCH_HAVE_POOL
/* ---- Pool.map (two workers, warm) --------------------------------------- */

static int square(mpr_obj_t *args, mpr_obj_t *kwargs, mpr_obj_t **result)
{
    (void)kwargs;
    int64_t x = mpr_obj_int_value(mpr_obj_item(args, 0));
    *result = mpr_obj_int(x * x);
    return *result != NULL ? 0 : mpr_last_error();
}
MPR_TARGET(square)

/* list(range(n)), as map() makes of its iterable. */
static mpr_obj_t *range_list(long n)
{
    mpr_obj_t *l = mpr_obj_list();
    BENCH_CHECK(l != NULL);
    for (long i = 0; i < n; i++)
        MPR_CHECK(mpr_obj_list_append_steal(l, mpr_obj_int(i)));
    return l;
}

static double pool_map(long n, int chunksize, int processes, long *ops)
{
    mpr_pool_options_t o = {.processes = processes};
    mpr_pool_t *pool;
    mpr_obj_t *warm = range_list(100), *in, *out;
    MPR_CHECK(mpr_pool_new(&pool, &o));
    MPR_CHECK(mpr_pool_map(pool, square, warm, MPR_CHUNKSIZE_NONE, &out));
    mpr_obj_decref(out);
    mpr_obj_decref(warm);
    double t0 = bench_now();
    in = range_list(n);
    MPR_CHECK(mpr_pool_map(pool, square, in, chunksize, &out));
    double t = bench_now() - t0;
    BENCH_CHECK(mpr_obj_len(out) == (size_t)n &&
                mpr_obj_int_value(mpr_obj_item(out, (size_t)n - 1)) ==
                    (int64_t)(n - 1) * (n - 1));
    mpr_obj_decref(out);
    mpr_obj_decref(in);
    MPR_CHECK(mpr_pool_terminate(pool)); /* what `with Pool() as p` does */
    mpr_pool_free(pool);
    *ops = n;
    return t;
}

static double b_pool_map(long scale, long *ops)
{
    return pool_map(1000 * scale, MPR_CHUNKSIZE_NONE, 2, ops);
}

static double b_pool_map4(long scale, long *ops)
{
    return pool_map(1000 * scale, MPR_CHUNKSIZE_NONE, 4, ops);
}

static double b_pool_map8(long scale, long *ops)
{
    return pool_map(1000 * scale, MPR_CHUNKSIZE_NONE, 8, ops);
}

static double b_pool_map1(long scale, long *ops)
{
    return pool_map(100 * scale, 1, 2, ops);
}
#endif

#ifdef BENCH_HAVE_MANAGER
/* ---- Manager dict: a set and a get, one round trip each ----------------- */

static double b_manager_dict(long scale, long *ops)
{
    long n = 50 * scale;
    mpr_manager_t *m;
    mpr_proxy_t *d;
    mpr_obj_t *key = mpr_obj_str("k"), *zero = mpr_obj_int(0), *x = NULL;
    MPR_CHECK(mpr_manager_new(&m, NULL));
    MPR_CHECK(mpr_manager_enter(m));
    MPR_CHECK(mpr_manager_dict(m, NULL, &d));
    MPR_CHECK(mpr_proxy_setitem(d, key, zero));
    double t0 = bench_now();
    for (long i = 0; i < n; i++) {
        mpr_obj_t *v = mpr_obj_int(i);
        MPR_CHECK(mpr_proxy_setitem(d, key, v));
        mpr_obj_decref(v);
        mpr_obj_decref(x);
        MPR_CHECK(mpr_proxy_getitem(d, key, &x));
    }
    double t = bench_now() - t0;
    BENCH_CHECK(mpr_obj_int_value(x) == n - 1);
    mpr_obj_decref(x);
    mpr_obj_decref(key);
    mpr_obj_decref(zero);
    mpr_proxy_free(d);
    MPR_CHECK(mpr_manager_exit(m));
    mpr_manager_free(m);
    *ops = 2 * n;
    return t;
}
#endif

static const bench_t table[] = {
#ifdef BENCH_HAVE_PROCESS
    {"process.fork", b_process_fork},
    {"process.spawn", b_process_spawn},
    {"process.forkserver", b_process_forkserver},
#endif
#ifdef BENCH_HAVE_CHILDREN
    {"pipe.rtt", b_pipe_rtt},
    {"pipe.stream64", b_pipe_stream64},
    {"pipe.stream64k", b_pipe_stream64k},
#endif
#ifdef BENCH_HAVE_QUEUE_INTS
    {"queue.ints", b_queue_ints},
    {"queue.ints.4", b_queue_ints4},
    {"queue.ints.8", b_queue_ints8},
    {"simplequeue.ints", b_simplequeue_ints},
#endif
#ifdef BENCH_HAVE_LOCK
    {"lock.uncontended", b_lock_uncontended},
#endif
#ifdef BENCH_HAVE_CONTENDED
    {"lock.contended", b_lock_contended},
    {"lock.contended.4", b_lock_contended4},
    {"lock.contended.8", b_lock_contended8},
#endif
#ifdef BENCH_HAVE_BARRIER_WAIT
    {"barrier.wait", b_barrier_wait},
#endif
#ifdef BENCH_HAVE_PINGPONG
    {"event.pingpong", b_event_pingpong},
#endif
#ifdef BENCH_HAVE_SHAREDCTYPES
    {"value.rw", b_value_rw},
    {"array.rw", b_array_rw},
#endif
#ifdef BENCH_HAVE_POOL
    {"pool.map", b_pool_map},
    {"pool.map.4", b_pool_map4},
    {"pool.map.8", b_pool_map8},
    {"pool.map1", b_pool_map1},
#endif
#ifdef BENCH_HAVE_MANAGER
    {"manager.dict", b_manager_dict},
#endif
    {NULL, NULL},
};

int main(int argc, char **argv)
{
    int rc = mpr_main(argc, argv);
    if (rc < 0) {
        fprintf(stderr, "bench: mpr_main: %s\n", mpr_strerror(rc));
        return 1;
    }
    return bench_main(argc, argv, table, sizeof table / sizeof table[0] - 1);
}
