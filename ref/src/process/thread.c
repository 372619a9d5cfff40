/*
 * thread.c - threading.Thread for a process's own code, and
 * threading._shutdown: the non-daemon threads a process waits for before
 * it ends (a child at the end of _bootstrap, the main program at exit).
 *
 * Python: threading.Thread.start, threading._shutdown, CPython 3.11.
 * State, per process: the non-daemon threads not yet waited for, under a
 * mutex (any thread may start one); forgotten in a forked child.
 */
#include "mpr/process.h"
#include "base/internal.h"
#include "process/process_internal.h"

#include <errno.h>
#include <pthread.h>
#include <stdlib.h>

/* What a new thread runs; the thread frees it. */
typedef struct {
    void (*fn)(void *);
    void *arg;
} start_t;

/* A non-daemon thread still to wait for. */
typedef struct node_s {
    pthread_t t;
    struct node_s *next;
} node_t;

static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static node_t *running; /* newest first */

static void *run(void *arg)
{
    start_t s = *(start_t *)arg;

    free(arg);
    s.fn(s.arg);
    return NULL;
}

int mpr_thread_start(void (*fn)(void *arg), void *arg, int daemon)
{
    start_t *s = mpr__sys.malloc(sizeof(*s));
    node_t *n = daemon ? NULL : mpr__sys.malloc(sizeof(*n));
    pthread_t t;
    int e;

    if (s == NULL || (!daemon && n == NULL)) {
        free(s);
        free(n);
        return mpr__error(-ENOMEM, NULL);
    }
    /* the main program waits for it at exit: the atexit hook must be in
     * place, as importing threading registers _shutdown */
    mpr__finalize_init();
    s->fn = fn;
    s->arg = arg;
    if ((e = mpr__thread_start(&t, run, s)) != 0) {
        free(s);
        free(n);
        return mpr__error(-e, NULL);
    }
    if (daemon) {
        pthread_detach(t);
        return 0;
    }
    n->t = t;
    pthread_mutex_lock(&mu);
    n->next = running;
    running = n;
    pthread_mutex_unlock(&mu);
    return 0;
}

void mpr__threads_shutdown(void)
{
    for (;;) {
        node_t **pp, *n;

        /* one at a time, oldest first, as threads started meanwhile by
         * the ones waited for are waited for too; never the caller (a
         * non-daemon thread that ends its process) */
        pthread_mutex_lock(&mu);
        n = NULL;
        for (pp = &running; *pp != NULL; pp = &(*pp)->next)
            if (!pthread_equal((*pp)->t, pthread_self()))
                n = *pp;
        if (n != NULL)
            for (pp = &running; *pp != n; pp = &(*pp)->next)
                ;
        if (n != NULL)
            *pp = n->next;
        pthread_mutex_unlock(&mu);
        if (n == NULL)
            return;
        pthread_join(n->t, NULL);
        free(n);
    }
}

/* A forked child has only the thread that forked: the parent's records
 * name threads it does not have, and another thread may have held the
 * mutex at the fork. */
static void forget(void)
{
    pthread_mutex_init(&mu, NULL);
    while (running != NULL) {
        node_t *n = running;
        running = n->next;
        free(n);
    }
}

__attribute__((constructor)) static void install(void)
{
    mpr__after_fork_register(forget);
}
