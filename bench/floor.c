/*
 * floor.c - the raw-OS floor of every benchmark: the same work as the
 * CPython and libmpref variants, written directly on system calls with the
 * fastest blocking technique (fork+waitpid, posix_spawn, pipes, futexes in
 * MAP_SHARED memory).  No serialisation: a message is its wire bytes,
 * prepared once.  Nothing here spins; every wait blocks in the kernel.
 *
 * Base work (1x) of each benchmark: see bench/README.md.
 */
#include "bench.h"

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>

extern char **environ;

static const char *self_path;

/* ---- futex mutex (Drepper, "Futexes are tricky", mutex #2) ------------ */

static void mtx_lock(uint32_t *m)
{
    uint32_t c = 0;
    if (__atomic_compare_exchange_n(m, &c, 1, 0, __ATOMIC_ACQUIRE,
                                    __ATOMIC_RELAXED))
        return;
    if (c != 2)
        c = __atomic_exchange_n(m, 2, __ATOMIC_ACQUIRE);
    while (c != 0) {
        bench_futex_wait(m, 2);
        c = __atomic_exchange_n(m, 2, __ATOMIC_ACQUIRE);
    }
}

static void mtx_unlock(uint32_t *m)
{
    if (__atomic_fetch_sub(m, 1, __ATOMIC_RELEASE) != 1) {
        __atomic_store_n(m, 0, __ATOMIC_RELEASE);
        bench_futex_wake(m, 1);
    }
}

/* ---- a futex "event": 0 clear, 1 set, 2 clear with waiters ------------ */

static void ev_wait(uint32_t *e)
{
    uint32_t v;
    while ((v = __atomic_load_n(e, __ATOMIC_ACQUIRE)) != 1) {
        if (v == 0 && !__atomic_compare_exchange_n(
                          e, &v, 2, 0, __ATOMIC_ACQUIRE, __ATOMIC_ACQUIRE))
            continue;
        bench_futex_wait(e, 2);
    }
}

static void ev_set(uint32_t *e)
{
    if (__atomic_exchange_n(e, 1, __ATOMIC_RELEASE) == 2)
        bench_futex_wake(e, 1 << 30);
}

static void ev_clear(uint32_t *e)
{
    uint32_t one = 1;
    __atomic_compare_exchange_n(e, &one, 0, 0, __ATOMIC_RELEASE,
                                __ATOMIC_RELAXED);
}

static void reap(pid_t pid)
{
    int st;
    while (waitpid(pid, &st, 0) < 0)
        if (errno != EINTR)
            bench_die("waitpid");
    if (!WIFEXITED(st) || WEXITSTATUS(st) != 0) {
        fprintf(stderr, "bench: child failed (status %d)\n", st);
        exit(1);
    }
}

/* Children say they are running before the clock starts (as the other
 * variants' children do): a count of ready children in shared memory. */
static uint32_t *ready_count;

static void child_ready(void)
{
    __atomic_fetch_add(ready_count, 1, __ATOMIC_RELEASE);
    bench_futex_wake(ready_count, 1 << 30);
}

static void wait_ready(uint32_t n)
{
    uint32_t v;
    while ((v = __atomic_load_n(ready_count, __ATOMIC_ACQUIRE)) < n)
        bench_futex_wait(ready_count, v);
    __atomic_store_n(ready_count, 0, __ATOMIC_RELAXED);
}

/* ---- Process start + join ---------------------------------------------- */

static double b_process_fork(long scale, long *ops)
{
    double t0 = bench_now();
    for (long i = 0; i < scale; i++) {
        pid_t pid = fork();
        BENCH_CHECK(pid >= 0);
        if (pid == 0)
            _exit(0);
        reap(pid);
    }
    *ops = scale;
    return bench_now() - t0;
}

/* spawn's floor: a new program image (this one, which exits at once). */
static double b_process_spawn(long scale, long *ops)
{
    char *argv[] = {(char *)self_path, "--exit", NULL};
    double t0 = bench_now();
    for (long i = 0; i < scale; i++) {
        pid_t pid;
        errno = posix_spawn(&pid, self_path, NULL, NULL, argv, environ);
        BENCH_CHECK(errno == 0);
        reap(pid);
    }
    *ops = scale;
    return bench_now() - t0;
}

/* forkserver's floor: a server started before the clock; per process, a
 * request byte, a fork in the server, the exit status sent back. */
static double b_process_forkserver(long scale, long *ops)
{
    int req[2], rep[2];
    BENCH_CHECK(pipe2(req, O_CLOEXEC) == 0 && pipe2(rep, O_CLOEXEC) == 0);
    pid_t server = fork();
    BENCH_CHECK(server >= 0);
    if (server == 0) {
        char c;
        close(req[1]);
        close(rep[0]);
        child_ready();
        while (read(req[0], &c, 1) == 1) {
            pid_t pid = fork();
            if (pid == 0)
                _exit(0);
            int st;
            waitpid(pid, &st, 0);
            bench_write_full(rep[1], &st, sizeof st);
        }
        _exit(0);
    }
    close(req[0]);
    close(rep[1]);
    wait_ready(1);
    double t0 = bench_now();
    for (long i = 0; i < scale; i++) {
        int st;
        bench_write_full(req[1], "s", 1);
        bench_read_full(rep[0], &st, sizeof st);
        BENCH_CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0);
    }
    double t = bench_now() - t0;
    close(req[1]);
    close(rep[0]);
    reap(server);
    *ops = scale;
    return t;
}

/* ---- Pipe -----------------------------------------------------------------
 */

/* [42, None, 'hello'] as a Connection sends it: length + pickle (27 B). */
static const unsigned char rtt_frame[31] =
    "\0\0\0\x1b\x80\x04\x95\x10\0\0\0\0\0\0\0]\x94(K*N\x8c\x05"
    "hello\x94"
    "e.";

static double b_pipe_rtt(long scale, long *ops)
{
    int a[2], b[2];
    long n = 100 * scale;
    BENCH_CHECK(pipe2(a, O_CLOEXEC) == 0 && pipe2(b, O_CLOEXEC) == 0);
    pid_t pid = fork();
    BENCH_CHECK(pid >= 0);
    if (pid == 0) {
        unsigned char buf[sizeof rtt_frame];
        close(a[1]);
        close(b[0]);
        child_ready();
        for (long i = 0; i < n; i++) {
            bench_read_full(a[0], buf, sizeof buf);
            bench_write_full(b[1], buf, sizeof buf);
        }
        _exit(0);
    }
    close(a[0]);
    close(b[1]);
    unsigned char buf[sizeof rtt_frame];
    wait_ready(1);
    double t0 = bench_now();
    for (long i = 0; i < n; i++) {
        bench_write_full(a[1], rtt_frame, sizeof rtt_frame);
        bench_read_full(b[0], buf, sizeof buf);
    }
    double t = bench_now() - t0;
    close(a[1]);
    close(b[0]);
    reap(pid);
    *ops = n;
    return t;
}

/* A child writes n frames (4-byte length + size bytes), one write each;
 * the parent reads them with large buffered reads. */
static double pipe_stream(long n, size_t size, long *ops)
{
    int p[2], go[2];
    BENCH_CHECK(pipe2(p, O_CLOEXEC) == 0 && pipe2(go, O_CLOEXEC) == 0);
    size_t frame = size + 4;
    /* A pipe as large as an unprivileged process may make it: fewer
     * sleeps and wake-ups per byte. */
    (void)fcntl(p[1], F_SETPIPE_SZ, 1 << 20);
    pid_t pid = fork();
    BENCH_CHECK(pid >= 0);
    if (pid == 0) {
        unsigned char *msg = calloc(1, frame);
        char c;
        close(p[0]);
        close(go[1]);
        msg[0] = (unsigned char)(size >> 24);
        msg[1] = (unsigned char)(size >> 16);
        msg[2] = (unsigned char)(size >> 8);
        msg[3] = (unsigned char)size;
        child_ready();
        bench_read_full(go[0], &c, 1);
        for (long i = 0; i < n; i++)
            bench_write_full(p[1], msg, frame);
        _exit(0);
    }
    close(p[1]);
    close(go[0]);
    wait_ready(1);
    size_t cap = 256 * 1024, total = frame * (size_t)n, got = 0;
    char *buf = malloc(cap);
    BENCH_CHECK(buf != NULL);
    double t0 = bench_now();
    bench_write_full(go[1], "g", 1);
    while (got < total) {
        ssize_t r = read(p[0], buf, cap);
        if (r <= 0)
            bench_die("read");
        got += (size_t)r;
    }
    double t = bench_now() - t0;
    free(buf);
    close(p[0]);
    close(go[1]);
    reap(pid);
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

/* ---- Queue: a bounded ring of int64 in shared memory, futex-blocking ---- */

#define RING_CAP 4096

typedef struct {
    uint32_t lock;     /* futex mutex over the ring */
    uint32_t nonempty; /* bumped when an item arrives and a getter waits */
    uint32_t nonfull;  /* bumped when a slot frees and a putter waits */
    uint32_t getters;  /* getters asleep on nonempty */
    uint32_t putters;  /* putters asleep on nonfull */
    uint64_t head, tail;
    int64_t buf[RING_CAP];
} ring_t;

static void ring_put(ring_t *r, int64_t v)
{
    mtx_lock(&r->lock);
    while (r->tail - r->head == RING_CAP) {
        uint32_t seq = r->nonfull;
        r->putters++;
        mtx_unlock(&r->lock);
        bench_futex_wait(&r->nonfull, seq);
        mtx_lock(&r->lock);
        r->putters--;
    }
    r->buf[r->tail++ % RING_CAP] = v;
    if (r->getters) {
        __atomic_fetch_add(&r->nonempty, 1, __ATOMIC_RELEASE);
        bench_futex_wake(&r->nonempty, 1);
    }
    mtx_unlock(&r->lock);
}

static int64_t ring_get(ring_t *r)
{
    mtx_lock(&r->lock);
    while (r->tail == r->head) {
        uint32_t seq = r->nonempty;
        r->getters++;
        mtx_unlock(&r->lock);
        bench_futex_wait(&r->nonempty, seq);
        mtx_lock(&r->lock);
        r->getters--;
    }
    int64_t v = r->buf[r->head++ % RING_CAP];
    if (r->putters) {
        __atomic_fetch_add(&r->nonfull, 1, __ATOMIC_RELEASE);
        bench_futex_wake(&r->nonfull, 1);
    }
    mtx_unlock(&r->lock);
    return v;
}

/* producers children each put n ints, the parent gets them all (Queue
 * and SimpleQueue: 1 producer; the rows with 4 and 8 processes: 3, 7). */
static double queue_ints(int producers, long n, long *ops)
{
    ring_t *r = bench_shared(sizeof *r + sizeof(uint32_t));
    uint32_t *go = (uint32_t *)(r + 1);
    pid_t pids[7];
    for (int k = 0; k < producers; k++) {
        pids[k] = fork();
        BENCH_CHECK(pids[k] >= 0);
        if (pids[k] == 0) {
            child_ready();
            bench_wait_change(go, 0);
            for (long i = 0; i < n; i++)
                ring_put(r, i);
            _exit(0);
        }
    }
    int64_t sum = 0;
    wait_ready((uint32_t)producers);
    double t0 = bench_now();
    bench_store_wake(go, 1);
    for (long i = 0; i < n * producers; i++)
        sum += ring_get(r);
    double t = bench_now() - t0;
    for (int k = 0; k < producers; k++)
        reap(pids[k]);
    BENCH_CHECK(sum == (int64_t)producers * n * (n - 1) / 2);
    munmap(r, sizeof *r + sizeof(uint32_t));
    *ops = n * producers;
    return t;
}

static double b_queue_ints(long scale, long *ops)
{
    return queue_ints(1, 1000 * scale, ops);
}

static double b_queue_ints4(long scale, long *ops)
{
    return queue_ints(3, 1000 * scale, ops);
}

static double b_queue_ints8(long scale, long *ops)
{
    return queue_ints(7, 1000 * scale, ops);
}

static double b_simplequeue_ints(long scale, long *ops)
{
    return queue_ints(1, 1000 * scale, ops);
}

/* ---- Lock ------------------------------------------------------------------
 */

static double b_lock_uncontended(long scale, long *ops)
{
    uint32_t *m = bench_shared(4096);
    long n = 10000 * scale;
    double t0 = bench_cpu_now();
    for (long i = 0; i < n; i++) {
        mtx_lock(m);
        mtx_unlock(m);
    }
    double t = bench_cpu_now() - t0;
    munmap(m, 4096);
    *ops = n;
    return t;
}

typedef struct {
    uint32_t lock, go, done;
    int64_t counter;
} contended_t;

/* The parent and nprocs - 1 children each make n increments; done
 * counts the children that finished. */
static double lock_contended(int nprocs, long scale, long *ops)
{
    contended_t *s = bench_shared(sizeof *s);
    long n = 1000 * scale;
    pid_t pids[7];
    for (int k = 0; k < nprocs - 1; k++) {
        pids[k] = fork();
        BENCH_CHECK(pids[k] >= 0);
        if (pids[k] == 0) {
            child_ready();
            bench_wait_change(&s->go, 0);
            for (long i = 0; i < n; i++) {
                mtx_lock(&s->lock);
                s->counter++;
                mtx_unlock(&s->lock);
            }
            __atomic_fetch_add(&s->done, 1, __ATOMIC_RELEASE);
            bench_futex_wake(&s->done, 1);
            _exit(0);
        }
    }
    wait_ready((uint32_t)nprocs - 1);
    double t0 = bench_now();
    bench_store_wake(&s->go, 1);
    for (long i = 0; i < n; i++) {
        mtx_lock(&s->lock);
        s->counter++;
        mtx_unlock(&s->lock);
    }
    uint32_t d;
    while ((d = __atomic_load_n(&s->done, __ATOMIC_ACQUIRE)) <
           (uint32_t)nprocs - 1)
        bench_futex_wait(&s->done, d);
    double t = bench_now() - t0;
    for (int k = 0; k < nprocs - 1; k++)
        reap(pids[k]);
    BENCH_CHECK(s->counter == nprocs * n);
    munmap(s, sizeof *s);
    *ops = nprocs * n;
    return t;
}

static double b_lock_contended(long scale, long *ops)
{
    return lock_contended(2, scale, ops);
}

static double b_lock_contended4(long scale, long *ops)
{
    return lock_contended(4, scale, ops);
}

static double b_lock_contended8(long scale, long *ops)
{
    return lock_contended(8, scale, ops);
}

/* ---- Barrier: two parties, generation counter --------------------------- */

typedef struct {
    uint32_t count, gen;
} barrier_t;

static void barrier_wait(barrier_t *b, uint32_t parties)
{
    uint32_t gen = __atomic_load_n(&b->gen, __ATOMIC_ACQUIRE);
    if (__atomic_add_fetch(&b->count, 1, __ATOMIC_ACQ_REL) == parties) {
        __atomic_store_n(&b->count, 0, __ATOMIC_RELAXED);
        __atomic_fetch_add(&b->gen, 1, __ATOMIC_RELEASE);
        bench_futex_wake(&b->gen, 1 << 30);
        return;
    }
    bench_wait_change(&b->gen, gen);
}

static double b_barrier_wait(long scale, long *ops)
{
    barrier_t *b = bench_shared(sizeof *b);
    long n = 100 * scale;
    pid_t pid = fork();
    BENCH_CHECK(pid >= 0);
    if (pid == 0) {
        for (long i = 0; i < n + 1; i++)
            barrier_wait(b, 2);
        _exit(0);
    }
    barrier_wait(b, 2); /* both parties present: start the clock */
    double t0 = bench_now();
    for (long i = 0; i < n; i++)
        barrier_wait(b, 2);
    double t = bench_now() - t0;
    reap(pid);
    munmap(b, sizeof *b);
    *ops = n;
    return t;
}

/* ---- Event ping-pong -------------------------------------------------------
 */

static double b_event_pingpong(long scale, long *ops)
{
    uint32_t *e = bench_shared(4096); /* e[0] ping, e[1] pong */
    long n = 100 * scale;
    pid_t pid = fork();
    BENCH_CHECK(pid >= 0);
    if (pid == 0) {
        child_ready();
        for (long i = 0; i < n; i++) {
            ev_wait(&e[0]);
            ev_clear(&e[0]);
            ev_set(&e[1]);
        }
        _exit(0);
    }
    wait_ready(1);
    double t0 = bench_now();
    for (long i = 0; i < n; i++) {
        ev_set(&e[0]);
        ev_wait(&e[1]);
        ev_clear(&e[1]);
    }
    double t = bench_now() - t0;
    reap(pid);
    munmap(e, 4096);
    *ops = n;
    return t;
}

/* ---- Value / Array: v.value += 1 is a get then a set, each under the
 * object's RLock (Value's default lock): an owner word and a count beside
 * the futex mutex. ------------------------------------------------------ */

typedef struct {
    uint32_t lock;  /* futex mutex */
    uint32_t owner; /* pid of the holder, 0 when free */
    uint32_t count; /* recursion depth (touched by the holder only) */
    int32_t v[10];
} value_t;

static void rl_acquire(value_t *s, uint32_t me)
{
    if (__atomic_load_n(&s->owner, __ATOMIC_RELAXED) == me) {
        s->count++;
        return;
    }
    mtx_lock(&s->lock);
    __atomic_store_n(&s->owner, me, __ATOMIC_RELAXED);
    s->count = 1;
}

static void rl_release(value_t *s)
{
    if (--s->count == 0) {
        __atomic_store_n(&s->owner, 0, __ATOMIC_RELAXED);
        mtx_unlock(&s->lock);
    }
}

static double value_rw(long n, int slots, long *ops)
{
    value_t *s = bench_shared(sizeof *s);
    uint32_t me = (uint32_t)getpid();
    double t0 = bench_cpu_now();
    for (long i = 0; i < n; i++) {
        int k = (int)(i % slots);
        rl_acquire(s, me);
        int32_t x = s->v[k];
        rl_release(s);
        rl_acquire(s, me);
        s->v[k] = x + 1;
        rl_release(s);
    }
    double t = bench_cpu_now() - t0;
    int64_t sum = 0;
    for (int k = 0; k < 10; k++)
        sum += s->v[k];
    BENCH_CHECK(sum == n);
    munmap(s, sizeof *s);
    *ops = n;
    return t;
}

static double b_value_rw(long scale, long *ops)
{
    return value_rw(10000 * scale, 1, ops);
}

static double b_array_rw(long scale, long *ops)
{
    return value_rw(10000 * scale, 10, ops);
}

/* ---- Pool.map: two forked workers, inputs and outputs in shared memory,
 * tasks (start, end) on one pipe both workers read, completions on one
 * pipe both write (16-byte records: reads and writes are atomic). ------- */

typedef struct {
    int64_t start, end;
} task_t;

static double pool_map(long n, long chunksize, int workers, long *ops)
{
    enum { WORKERS = 8 }; /* the most workers of a row */
    size_t bytes = 2 * sizeof(int64_t) * (size_t)n;
    int64_t *in = bench_shared(bytes), *out = in + n;
    int tasks[2], done[2];
    BENCH_CHECK(pipe2(tasks, O_CLOEXEC) == 0 && pipe2(done, O_CLOEXEC) == 0);
    long ntasks = (n + chunksize - 1) / chunksize;
    /* Room for every task and completion: the parent writes all tasks at
     * once and reads completions afterwards. */
    size_t need = (size_t)ntasks * sizeof(task_t) + 4096;
    if (need > 65536) {
        BENCH_CHECK(fcntl(tasks[1], F_SETPIPE_SZ, (int)need) >= 0);
        BENCH_CHECK(fcntl(done[1], F_SETPIPE_SZ, (int)need) >= 0);
    }
    pid_t pids[WORKERS];
    for (int w = 0; w < workers; w++) {
        pids[w] = fork();
        BENCH_CHECK(pids[w] >= 0);
        if (pids[w] == 0) {
            task_t t;
            close(tasks[1]);
            close(done[0]);
            child_ready();
            while (read(tasks[0], &t, sizeof t) == (ssize_t)sizeof t) {
                for (int64_t i = t.start; i < t.end; i++)
                    out[i] = in[i] * in[i];
                bench_write_full(done[1], &t, sizeof t);
            }
            _exit(0);
        }
    }
    close(tasks[0]);
    close(done[1]);
    task_t *tv = malloc((size_t)ntasks * sizeof *tv);
    BENCH_CHECK(tv != NULL);
    wait_ready((uint32_t)workers);
    double t0 = bench_now();
    for (long i = 0; i < n; i++)
        in[i] = i;
    for (long k = 0; k < ntasks; k++) {
        tv[k].start = k * chunksize;
        tv[k].end =
            k * chunksize + chunksize < n ? k * chunksize + chunksize : n;
    }
    bench_write_full(tasks[1], tv, (size_t)ntasks * sizeof *tv);
    bench_read_full(done[0], tv, (size_t)ntasks * sizeof *tv);
    double t = bench_now() - t0;
    for (long i = 0; i < n; i++)
        BENCH_CHECK(out[i] == (int64_t)i * i);
    free(tv);
    close(tasks[1]);
    close(done[0]);
    for (int w = 0; w < workers; w++)
        reap(pids[w]);
    munmap(in, bytes);
    *ops = n;
    return t;
}

/* CPython's default chunksize: ceil(n / (4 * workers)). */
static double pool_map_default(int workers, long scale, long *ops)
{
    long n = 1000 * scale;
    return pool_map(n, (n + 4 * workers - 1) / (4 * workers), workers, ops);
}

static double b_pool_map(long scale, long *ops)
{
    return pool_map_default(2, scale, ops);
}

static double b_pool_map4(long scale, long *ops)
{
    return pool_map_default(4, scale, ops);
}

static double b_pool_map8(long scale, long *ops)
{
    return pool_map_default(8, scale, ops);
}

static double b_pool_map1(long scale, long *ops)
{
    return pool_map(100 * scale, 1, 2, ops);
}

/* ---- Manager dict: a server process owning a table; each access is one
 * request/response on a pipe pair. ------------------------------------- */

typedef struct {
    int64_t op, key, value; /* op 1: set, 2: get, 0: quit */
} req_t;

static double b_manager_dict(long scale, long *ops)
{
    int a[2], b[2];
    long n = 50 * scale; /* a set and a get each: 100 round trips at 1x */
    BENCH_CHECK(pipe2(a, O_CLOEXEC) == 0 && pipe2(b, O_CLOEXEC) == 0);
    pid_t pid = fork();
    BENCH_CHECK(pid >= 0);
    if (pid == 0) {
        int64_t table[16] = {0};
        req_t r;
        close(a[1]);
        close(b[0]);
        child_ready();
        while (read(a[0], &r, sizeof r) == (ssize_t)sizeof r && r.op != 0) {
            int64_t reply = 0;
            if (r.op == 1)
                table[r.key & 15] = r.value;
            else
                reply = table[r.key & 15];
            bench_write_full(b[1], &reply, sizeof reply);
        }
        _exit(0);
    }
    close(a[0]);
    close(b[1]);
    wait_ready(1);
    double t0 = bench_now();
    for (long i = 0; i < n; i++) {
        req_t set = {1, 3, i}, get = {2, 3, 0};
        int64_t reply;
        bench_write_full(a[1], &set, sizeof set);
        bench_read_full(b[0], &reply, sizeof reply);
        bench_write_full(a[1], &get, sizeof get);
        bench_read_full(b[0], &reply, sizeof reply);
        BENCH_CHECK(reply == i);
    }
    double t = bench_now() - t0;
    close(a[1]);
    close(b[0]);
    reap(pid);
    *ops = 2 * n;
    return t;
}

static const bench_t table[] = {
    {"process.fork", b_process_fork},
    {"process.spawn", b_process_spawn},
    {"process.forkserver", b_process_forkserver},
    {"pipe.rtt", b_pipe_rtt},
    {"pipe.stream64", b_pipe_stream64},
    {"pipe.stream64k", b_pipe_stream64k},
    {"queue.ints", b_queue_ints},
    {"queue.ints.4", b_queue_ints4},
    {"queue.ints.8", b_queue_ints8},
    {"simplequeue.ints", b_simplequeue_ints},
    {"lock.uncontended", b_lock_uncontended},
    {"lock.contended", b_lock_contended},
    {"lock.contended.4", b_lock_contended4},
    {"lock.contended.8", b_lock_contended8},
    {"barrier.wait", b_barrier_wait},
    {"event.pingpong", b_event_pingpong},
    {"value.rw", b_value_rw},
    {"array.rw", b_array_rw},
    {"pool.map", b_pool_map},
    {"pool.map.4", b_pool_map4},
    {"pool.map.8", b_pool_map8},
    {"pool.map1", b_pool_map1},
    {"manager.dict", b_manager_dict},
};

int main(int argc, char **argv)
{
    if (argc == 2 && strcmp(argv[1], "--exit") == 0)
        return 0;
    self_path = "/proc/self/exe";
    static char path[4096];
    ssize_t len = readlink("/proc/self/exe", path, sizeof path - 1);
    if (len > 0) {
        path[len] = '\0';
        self_path = path;
    }
    signal(SIGPIPE, SIG_IGN);
    ready_count = bench_shared(4096);
    return bench_main(argc, argv, table, sizeof table / sizeof table[0]);
}
