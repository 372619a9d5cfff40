/*
 * semlock.c - SemLock, in one place: the core (acquire, release, value,
 * tokens), the four classes over it (Lock, RLock, Semaphore,
 * BoundedSemaphore: their constructors and reprs), as CPython 3.11's
 * Modules/_multiprocessing/semaphore.c and synchronize.py have them, on a
 * futex instead of a POSIX named semaphore.  Like CPython, no owner is
 * recorded in shared memory: any process may release a Lock another one
 * holds; RLock's recursion count and owning thread are per-process.
 *
 * Shared state (mpr__semblock_t, 16 bytes in a memfd segment):
 *   value     the count; acquire takes 1 when > 0
 *   waiters   threads of any process blocked in acquire (wake only if > 0)
 *   maxvalue  release refuses when value >= maxvalue (Lock 1, bounded N)
 *   kind      which Python class the block belongs to
 */
#include "mpr/lock.h"
#include "sync/semlock.h"
#include "base/buf.h"
#include "base/internal.h"
#include "obj/objimpl.h"

#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define SEM_MAX                                                                \
    2147483647u /* SEM_VALUE_MAX, CPython's maxvalue for                       \
                   Semaphore */

static _Atomic unsigned fork_gen;
static pthread_once_t atfork_once = PTHREAD_ONCE_INIT;

/* A forked child starts a new generation: every count it inherited
 * belongs to its parent (CPython's SemLock._after_fork sets count = 0). */
static void on_fork_child(void)
{
    atomic_fetch_add(&fork_gen, 1);
}

static void install_atfork(void)
{
    pthread_atfork(NULL, NULL, on_fork_child);
}

static inline void refresh(mpr_semlock_t *s)
{
    unsigned g = atomic_load_explicit(&fork_gen, memory_order_relaxed);

    if (s->gen != g) {
        s->gen = g;
        s->count = 0;
    }
}

static inline int is_mine(mpr_semlock_t *s)
{
    refresh(s);
    return __atomic_load_n(&s->count, __ATOMIC_RELAXED) > 0 &&
           pthread_equal(s->last_tid, pthread_self());
}

/* count += d, atomically: a Semaphore's units may be held by several
 * threads of this process at once, and even a Lock's count is touched by
 * two threads at once when one releases it (release drops the count, then
 * posts) while another takes it. */
static void count_add(mpr_semlock_t *s, int d)
{
    __atomic_add_fetch(&s->count, d, __ATOMIC_RELAXED);
}

static int try_take(mpr__semblock_t *b)
{
    uint32_t v = atomic_load(&b->value);

    while (v > 0)
        if (atomic_compare_exchange_weak(&b->value, &v, v - 1))
            return 1;
    return 0;
}

/* Blocks until a unit is taken or the deadline passes (1 / 0).  waiters
 * is raised before the last try, so a release that comes after that try
 * sees it and wakes us (both sides are seq_cst). */
static int wait_take(mpr__semblock_t *b, const mpr_deadline_t *d)
{
    struct timespec rel;
    int got = 0;

    atomic_fetch_add(&b->waiters, 1);
    for (;;) {
        if (try_take(b)) {
            got = 1;
            break;
        }
        if (!mpr_deadline_remaining(d, &rel))
            break;
        mpr__futex_wait(&b->value, 0, d->infinite ? NULL : &rel);
    }
    atomic_fetch_sub(&b->waiters, 1);
    return got;
}

int mpr__semlock_at(mpr__shm_t *shm, size_t off, int init, int kind,
                    unsigned value, unsigned maxvalue, mpr_semlock_t **out)
{
    mpr_semlock_t *s;

    pthread_once(&atfork_once, install_atfork);
    s = mpr__sys.calloc(1, sizeof(*s));
    if (s == NULL)
        return mpr__error(MPR__ERR(ENOMEM), NULL);
    s->blk = (mpr__semblock_t *)((char *)shm->base + off);
    if (init) {
        atomic_store(&s->blk->value, value);
        atomic_store(&s->blk->waiters, 0);
        s->blk->maxvalue = maxvalue;
        s->blk->kind = (uint32_t)kind;
    }
    s->shm = mpr__shm_ref(shm);
    s->off = off;
    s->kind = (int)s->blk->kind;
    s->gen = atomic_load(&fork_gen);
    atomic_init(&s->refs, 1);
    *out = s;
    return 0;
}

int mpr__semlock_new(int kind, int value, int maxvalue, mpr_semlock_t **out)
{
    mpr__shm_t *shm;
    int r;

    /* CPython: sem_open(..., value) fails with EINVAL below 0. */
    if (value < 0)
        return mpr__error(MPR__ERR(EINVAL), NULL);
    if ((r = mpr__shm_new(sizeof(mpr__semblock_t), &shm)) < 0)
        return r;
    r = mpr__semlock_at(shm, 0, 1, kind, (unsigned)value, (unsigned)maxvalue,
                        out);
    mpr__shm_unref(shm);
    return r;
}

void mpr__semlock_token(const mpr_semlock_t *s, char *buf, size_t size)
{
    char seg[96];

    mpr__shm_token(s->shm, seg, sizeof(seg));
    snprintf(buf, size, "S%zu@%s", s->off, seg);
}

int mpr__semlock_from_token(const char *tok, const char **end,
                            mpr_semlock_t **out)
{
    mpr__shm_t *shm;
    uint64_t off;
    int r;

    if (*tok != 'S' || mpr__parse_dec(tok + 1, &tok, SIZE_MAX, &off) < 0 ||
        *tok != '@')
        return mpr__error(MPR_EVALUE, "bad shared handle");
    if ((r = mpr__shm_attach(tok + 1, end, &shm)) < 0)
        return r;
    /* The block must lie inside the segment (written so that nothing can
     * wrap), be aligned for its atomics, and hold a SemLock's kind: an
     * offset into the data of a Value is no Lock. */
    if (shm->size < sizeof(mpr__semblock_t) ||
        off > shm->size - sizeof(mpr__semblock_t) ||
        off % _Alignof(mpr__semblock_t) != 0)
        r = mpr__error(MPR_EVALUE, "bad shared handle");
    else {
        uint32_t kind = ((mpr__semblock_t *)((char *)shm->base + off))->kind;
        if (kind < MPR__LOCK || kind > MPR__BSEM)
            r = mpr__error(MPR_EVALUE, "bad shared handle");
        else
            r = mpr__semlock_at(shm, (size_t)off, 0, 0, 0, 0, out);
    }
    mpr__shm_unref(shm);
    return r;
}

int mpr__lockshm_reduce(char tag, const mpr_semlock_t *lk,
                        const mpr__shm_t *shm, mpr_obj_t **out)
{
    char lks[128], seg[96], buf[256];

    mpr__semlock_token(lk, lks, sizeof(lks));
    mpr__shm_token(shm, seg, sizeof(seg));
    snprintf(buf, sizeof(buf), "%c%s|%s", tag, lks, seg);
    if ((*out = mpr_obj_str(buf)) == NULL)
        return mpr__error(MPR__ERR(ENOMEM), NULL);
    return 0;
}

int mpr__lockshm_rebuild(char tag, const mpr_obj_t *tok, size_t min_size,
                         mpr_semlock_t **lk, mpr__shm_t **shm)
{
    const char *s;
    int r;

    if (mpr_obj_type(tok) != MPR_OBJ_STR ||
        *(s = mpr_obj_str_utf8(tok, NULL)) != tag)
        return mpr__error(MPR_EVALUE, "bad shared handle");
    if ((r = mpr__semlock_from_token(s + 1, &s, lk)) < 0)
        return r;
    if (*s != '|') {
        mpr_semlock_free(*lk);
        return mpr__error(MPR_EVALUE, "bad shared handle");
    }
    if ((r = mpr__shm_attach(s + 1, &s, shm)) < 0) {
        mpr_semlock_free(*lk);
        return r;
    }
    if (*s != '\0' || (*shm)->size < min_size) {
        mpr_semlock_free(*lk);
        mpr__shm_unref(*shm);
        return mpr__error(MPR_EVALUE, "bad shared handle");
    }
    return 0;
}

/* Each kind's repr (the four classes, below). */
static int lock_repr(mpr_semlock_t *s, char **out, size_t *len);
static int rlock_repr(mpr_semlock_t *s, char **out, size_t *len);
static int sem_repr(mpr_semlock_t *s, char **out, size_t *len);
static int (*const reprs[])(mpr_semlock_t *, char **, size_t *) = {
    [MPR__LOCK] = lock_repr,
    [MPR__RLOCK] = rlock_repr,
    [MPR__SEM] = sem_repr,
    [MPR__BSEM] = sem_repr,
};

/* ---- public: every kind ------------------------------------------------- */

void mpr_semlock_free(mpr_semlock_t *s)
{
    if (s == NULL || atomic_fetch_sub(&s->refs, 1) != 1)
        return;
    mpr__shm_unref(s->shm);
    free(s);
}

mpr_semlock_t *mpr_semlock_ref(mpr_semlock_t *s)
{
    atomic_fetch_add(&s->refs, 1);
    return s;
}

/* The count after this process took a unit.  An RLock's count is only
 * ever touched by its owner (is_mine) or by the thread that just took
 * it, so plain loads and stores do; the other kinds' units may be held
 * and released by several threads at once (count_add). */
static inline void count_taken(mpr_semlock_t *s)
{
    if (s->kind == MPR__RLOCK)
        __atomic_store_n(&s->count, 1, __ATOMIC_RELAXED);
    else
        count_add(s, 1);
}

/* acquire when no unit could be taken at once: non-blocking fails, a
 * blocking call waits.  Out of line, so the fast path has no frame. */
__attribute__((noinline)) static int acquire_slow(mpr_semlock_t *s, int block,
                                                  double timeout)
{
    mpr_deadline_t d;
    int r;

    /* CPython tries sem_trywait before it looks at the timeout, so a bad
     * timeout only fails a call that has to wait; the deadline is taken
     * right after that try (the clock read stays off the fast path). */
    if (try_take(s->blk))
        goto taken;
    if (!block)
        return 0;
    if ((r = mpr_deadline_init(&d, block, timeout)) < 0)
        return r;
    if (!wait_take(s->blk, &d))
        return 0;
taken:
    s->last_tid = pthread_self();
    count_taken(s);
    return 1;
}

int mpr_semlock_acquire(mpr_semlock_t *s, int block, double timeout)
{
    mpr__semblock_t *b = s->blk;
    uint32_t v;

    if (s->kind == MPR__RLOCK && is_mine(s)) {
        __atomic_store_n(&s->count, s->count + 1, __ATOMIC_RELAXED);
        return 1;
    }
    refresh(s);
    /* One compare-and-swap when a unit is there (a Lock's 1 -> 0). */
    v = atomic_load_explicit(&b->value, memory_order_relaxed);
    if (v == 0 || !atomic_compare_exchange_strong(&b->value, &v, v - 1))
        return acquire_slow(s, block, timeout);
    /* the owner first: until the count rises, nobody can take it as mine */
    s->last_tid = pthread_self();
    count_taken(s);
    return 1;
}

/* Wakes one waiter if a process or thread sleeps in wait_take. */
static inline void post_wake(mpr__semblock_t *b)
{
    if (atomic_load(&b->waiters) > 0)
        mpr__futex_wake(&b->value, 1);
}

__attribute__((noinline)) static int released_too_many(mpr_semlock_t *s)
{
    count_add(s, 1);
    return mpr__error(MPR_EVALUE, "semaphore or lock released too many times");
}

int mpr_semlock_release(mpr_semlock_t *s)
{
    mpr__semblock_t *b = s->blk;
    uint32_t v;

    if (s->kind == MPR__RLOCK) {
        if (!is_mine(s))
            return mpr__error(MPR_EASSERT, "attempt to release recursive "
                                           "lock not owned by thread");
        /* Only the owner gets here: plain stores (count_taken). */
        __atomic_store_n(&s->count, s->count - 1, __ATOMIC_RELAXED);
        if (s->count > 0)
            return 0;
        /* An RLock has no maxvalue check (CPython's RECURSIVE_MUTEX):
         * one atomic add posts it. */
        atomic_fetch_add(&b->value, 1);
        post_wake(b);
        return 0;
    }
    refresh(s);
    /* The count drops before the post, as CPython's does under the GIL: a
     * thread of this process that takes the semaphore next must not see
     * the old count (an RLock's repr read 2, and a lost update could leave
     * the new owner with count 0, unable to release). */
    count_add(s, -1);
    /* CPython checks sem_getvalue() >= maxvalue and then posts ("not an
     * absolute guarantee"); the compare-and-swap makes it one.  A Lock
     * (maxvalue 1) needs no loop: the swap 0 -> 1 either posts or finds
     * it released already. */
    if (b->maxvalue == 1) {
        v = 0;
        if (!atomic_compare_exchange_strong(&b->value, &v, 1))
            return released_too_many(s);
        post_wake(b);
        return 0;
    }
    v = atomic_load(&b->value);
    do {
        if (v >= b->maxvalue)
            return released_too_many(s);
    } while (!atomic_compare_exchange_weak(&b->value, &v, v + 1));
    post_wake(b);
    return 0;
}

int mpr_semlock_get_value(const mpr_semlock_t *s)
{
    return (int)atomic_load(&s->blk->value);
}

int mpr_semlock_count(mpr_semlock_t *s)
{
    refresh(s);
    return __atomic_load_n(&s->count, __ATOMIC_RELAXED);
}

int mpr_semlock_is_mine(mpr_semlock_t *s)
{
    return is_mine(s);
}

int mpr_semlock_repr(mpr_semlock_t *s, char **out, size_t *len)
{
    return reprs[s->kind](s, out, len);
}

int mpr_semlock_reduce(const mpr_semlock_t *s, mpr_obj_t **out)
{
    char buf[128];

    mpr__semlock_token(s, buf, sizeof(buf));
    if ((*out = mpr_obj_str(buf)) == NULL)
        return mpr__error(MPR__ERR(ENOMEM), NULL);
    return 0;
}

int mpr_semlock_rebuild(mpr_semlock_t **out, const mpr_obj_t *tok)
{
    const char *s, *end;
    int r;

    if (mpr_obj_type(tok) != MPR_OBJ_STR)
        return mpr__error(MPR_EVALUE, "bad shared handle");
    s = mpr_obj_str_utf8(tok, NULL);
    if ((r = mpr__semlock_from_token(s, &end, out)) < 0)
        return r;
    if (*end != '\0') {
        mpr_semlock_free(*out);
        *out = NULL;
        return mpr__error(MPR_EVALUE, "bad shared handle");
    }
    return 0;
}

/* ---- the four classes: constructors, reprs ------------------------------ */

/* The owner name the reprs print for the calling thread. */
static void owner_name(char *buf, size_t size)
{
    const char *pname = mpr__current_process_name != NULL
                            ? mpr__current_process_name()
                            : "MainProcess";
    char tname[64];

    /* CPython appends '|' + threading.current_thread().name outside the
     * main thread; a C thread's name is its pthread name. */
    if (gettid() == getpid()) {
        snprintf(buf, size, "%s", pname);
        return;
    }
    if (pthread_getname_np(pthread_self(), tname, sizeof(tname)) != 0)
        strcpy(tname, "Thread");
    snprintf(buf, size, "%s|%s", pname, tname);
}

/* synchronize.Lock.__repr__'s four cases, in its order. */
static int lock_repr(mpr_semlock_t *s, char **out, size_t *len)
{
    char name[256];

    if (is_mine(s))
        owner_name(name, sizeof(name));
    else if (mpr_semlock_get_value(s) == 1)
        strcpy(name, "None");
    else if (mpr_semlock_count(s) > 0)
        strcpy(name, "SomeOtherThread");
    else
        strcpy(name, "SomeOtherProcess");
    return mpr__sprintf(out, len, "<Lock(owner=%s)>", name);
}

/* synchronize.RLock.__repr__'s four cases, in its order. */
static int rlock_repr(mpr_semlock_t *s, char **out, size_t *len)
{
    char name[256];

    if (is_mine(s)) {
        owner_name(name, sizeof(name));
        return mpr__sprintf(out, len, "<RLock(%s, %d)>", name,
                            mpr_semlock_count(s));
    }
    if (mpr_semlock_get_value(s) == 1)
        return mpr__sprintf(out, len, "<RLock(None, 0)>");
    if (mpr_semlock_count(s) > 0)
        return mpr__sprintf(out, len, "<RLock(SomeOtherThread, nonzero)>");
    return mpr__sprintf(out, len, "<RLock(SomeOtherProcess, nonzero)>");
}

static int sem_repr(mpr_semlock_t *s, char **out, size_t *len)
{
    int v = mpr_semlock_get_value(s);

    if (s->kind == MPR__BSEM)
        return mpr__sprintf(out, len,
                            "<BoundedSemaphore(value=%d, maxvalue=%u)>", v,
                            s->blk->maxvalue);
    return mpr__sprintf(out, len, "<Semaphore(value=%d)>", v);
}

int mpr_lock_new(mpr_lock_t **out)
{
    return mpr__semlock_new(MPR__LOCK, 1, 1, out);
}

int mpr_rlock_new(mpr_rlock_t **out)
{
    return mpr__semlock_new(MPR__RLOCK, 1, 1, out);
}

int mpr_sem_new(mpr_sem_t **out, int value)
{
    return mpr__semlock_new(MPR__SEM, value, (int)SEM_MAX, out);
}

int mpr_bsem_new(mpr_bsem_t **out, int value)
{
    return mpr__semlock_new(MPR__BSEM, value, value, out);
}

int mpr_sem_get_value(const mpr_sem_t *s)
{
    return mpr_semlock_get_value(s);
}

int mpr_bsem_get_value(const mpr_bsem_t *s)
{
    return mpr_semlock_get_value(s);
}

/* ---- as a handle value (obj.h): what obj/ and the process layer use ---- */

static const char *semlock_type_name(const void *p)
{
    static const char *const names[] = {
        [MPR__LOCK] = "Lock",
        [MPR__RLOCK] = "RLock",
        [MPR__SEM] = "Semaphore",
        [MPR__BSEM] = "BoundedSemaphore",
    };
    return names[((const mpr_semlock_t *)p)->kind];
}

static int semlock_repr_h(void *p, char **out, size_t *len)
{
    return mpr_semlock_repr(p, out, len);
}

static int semlock_reduce_h(const void *p, mpr_obj_t **tok)
{
    return mpr_semlock_reduce(p, tok);
}

static int semlock_rebuild_h(const mpr_obj_t *tok, void **out)
{
    mpr_semlock_t *s = NULL;
    int rc = mpr_semlock_rebuild(&s, tok);

    *out = s;
    return rc;
}

static void semlock_free_h(void *p)
{
    mpr_semlock_free(p);
}

MPR__HANDLE_INIT static void semlock_handle_init(void)
{
    static const mpr__handle_ops_t ops = {
        .name = "SemLock",
        .type_name = semlock_type_name,
        .repr = semlock_repr_h,
        .reduce = semlock_reduce_h,
        .rebuild = semlock_rebuild_h,
        .free = semlock_free_h,
    };
    mpr__handle_register(MPR_HANDLE_SEMLOCK, &ops);
}
