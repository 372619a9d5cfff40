/*
 * obj_alloc.c - the allocator of the values that have no bytes of their
 * own inline (int, float, tuple, list, dict headers): a free list per
 * thread in front of a depot of batches shared by the process, refilled
 * by slabs from mpr__sys.malloc.
 *
 * Why: values are made and dropped at wire speed (a Pool map boxes a
 * result per item in its result-handler thread and the caller frees them
 * later in another; a Queue unpickles an object per item), and glibc's
 * malloc serves such batches from its arenas at ~200 instructions an
 * object, its per-thread cache holding only 7.  Here an allocation or a
 * release is a few instructions; a thread takes and gives back BATCH
 * cells at a time under the depot's lock.  Slabs are kept for the
 * process's life (its peak of live values), as CPython keeps its
 * freelists; a thread's cells go back to the depot when it ends.
 * Under AddressSanitizer every value is its own malloc, so that
 * use-after-free stays visible.
 */
#include "base/internal.h"
#include "obj/objimpl.h"

#include <pthread.h>
#include <stdlib.h>

#if defined(__SANITIZE_ADDRESS__)
#define OBJ_ALLOC_PLAIN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define OBJ_ALLOC_PLAIN 1
#endif
#endif

#ifdef OBJ_ALLOC_PLAIN

mpr_obj_t *mpr__obj_alloc(void)
{
    return mpr__sys.malloc(sizeof(mpr_obj_t));
}

void mpr__obj_release(mpr_obj_t *o)
{
    free(o);
}

#else

enum {
    BATCH = 64, /* cells moved between a thread and the depot at once */
    SLAB = 512, /* cells per slab (about 48 KiB) */
};

typedef union cell_u {
    struct {
        union cell_u *next;       /* next cell of the thread's list/batch */
        union cell_u *next_batch; /* first cell of a batch: the next one */
    } free;
    mpr_obj_t obj;
} cell_t;

typedef struct slab_s {
    struct slab_s *next; /* every slab stays reachable from `slabs` */
    cell_t cells[SLAB];
} slab_t;

static pthread_mutex_t depot_mu = PTHREAD_MUTEX_INITIALIZER;
static cell_t *depot; /* batches of BATCH cells, linked by next_batch */
static slab_t *slabs; /* every slab made */
static pthread_key_t key;
static pthread_once_t once = PTHREAD_ONCE_INIT;

/* initial-exec: a plain load from the thread pointer, not a call to
 * __tls_get_addr, on every allocation (libmpref is linked, not loaded
 * with dlopen). */
#define TLS __thread __attribute__((tls_model("initial-exec")))

static TLS cell_t *tc_head;   /* this thread's free cells */
static TLS unsigned tc_n;     /* how many */
static TLS int tc_registered; /* thread_end will run at its exit */

/* Moves the thread's first n cells (n <= tc_n) to the depot as a batch.
 * Out of line, as refill and register_thread: the fast paths stay a few
 * instructions without a frame. */
__attribute__((noinline)) static void give_back(unsigned n)
{
    cell_t *first = tc_head, *last = first;

    for (unsigned k = 1; k < n; k++)
        last = last->free.next;
    tc_head = last->free.next;
    tc_n -= n;
    last->free.next = NULL;
    pthread_mutex_lock(&depot_mu);
    first->free.next_batch = depot;
    depot = first;
    pthread_mutex_unlock(&depot_mu);
}

/* A thread's cells outlive it in the depot (pthread key destructor). */
static void thread_end(void *unused)
{
    (void)unused;
    while (tc_n > 0)
        give_back(tc_n < BATCH ? tc_n : BATCH);
}

/* A fork made while another thread holds the depot's lock must not leave
 * the child a lock nobody will release. */
static void before_fork(void)
{
    pthread_mutex_lock(&depot_mu);
}

static void after_fork(void)
{
    pthread_mutex_unlock(&depot_mu);
}

static void init_once(void)
{
    (void)pthread_key_create(&key, thread_end);
    (void)pthread_atfork(before_fork, after_fork, after_fork);
}

/* Registered when the library is loaded, before any other subsystem's
 * fork handlers (those register at their first use): the depot's lock is
 * then taken last before a fork and given back first after it, in the
 * child and in the parent, so another handler may make or drop values. */
__attribute__((constructor)) static void obj_alloc_load(void)
{
    pthread_once(&once, init_once);
}

/* Makes thread_end run when this thread ends (any non-NULL value). */
__attribute__((noinline)) static void register_thread(void)
{
    pthread_once(&once, init_once);
    tc_registered = pthread_setspecific(key, &tc_registered) == 0;
}

/* Gives the thread a batch: from the depot, else from a new slab. */
__attribute__((noinline)) static int refill(void)
{
    cell_t *b;

    if (!tc_registered)
        register_thread();
    pthread_mutex_lock(&depot_mu);
    if ((b = depot) != NULL)
        depot = b->free.next_batch;
    pthread_mutex_unlock(&depot_mu);
    if (b != NULL) {
        unsigned n = 0;

        for (cell_t *c = b; c != NULL; c = c->free.next)
            n++;
        tc_head = b;
        tc_n = n;
        return 0;
    }
    slab_t *s = mpr__sys.malloc(sizeof(*s));

    if (s == NULL)
        return -1;
    /* The thread keeps the first batch; the others go to the depot. */
    for (unsigned k = 0; k < SLAB; k++)
        s->cells[k].free.next = (k + 1) % BATCH != 0 ? &s->cells[k + 1] : NULL;
    pthread_mutex_lock(&depot_mu);
    s->next = slabs;
    slabs = s;
    for (unsigned k = BATCH; k < SLAB; k += BATCH) {
        s->cells[k].free.next_batch = depot;
        depot = &s->cells[k];
    }
    pthread_mutex_unlock(&depot_mu);
    tc_head = &s->cells[0];
    tc_n = BATCH;
    return 0;
}

/* The allocation after a refill (out of line, see give_back). */
__attribute__((noinline)) static mpr_obj_t *alloc_slow(void)
{
    cell_t *c;

    if (refill() < 0)
        return NULL;
    c = tc_head;
    tc_head = c->free.next;
    tc_n--;
    return &c->obj;
}

mpr_obj_t *mpr__obj_alloc(void)
{
    cell_t *c = tc_head;

    if (__builtin_expect(c == NULL, 0))
        return alloc_slow();
    tc_head = c->free.next;
    tc_n--;
    return &c->obj;
}

void mpr__obj_release(mpr_obj_t *o)
{
    cell_t *c = (cell_t *)o;

    if (!tc_registered)
        register_thread();
    if (tc_n >= 2 * BATCH)
        give_back(BATCH);
    c->free.next = tc_head;
    tc_head = c;
    tc_n++;
}

#endif
