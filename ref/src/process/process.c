/*
 * process.c - Process objects: construction, names and counters, the
 * lifecycle (start, join, is_alive, terminate, kill, close), attributes,
 * current_process / parent_process / active_children, and the child side
 * of every start method (becoming the child, running it, ending it).
 *
 * Python: multiprocessing.process.BaseProcess and friends, CPython 3.11.
 * State, per process (never shared): the current and parent objects, the
 * counter of children constructed, the list of started children
 * (_children), all guarded by one mutex so threads may start processes.
 */
#include "mpr/process.h"
#include "mpr/timeout.h"
#include "obj/objimpl.h"
#include "process/process_internal.h"

#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <unistd.h>

static mpr_process_t main_process = {
    .refs = 1,
    .kind = MPR__PROC_MAIN,
    .type_name = "_MainProcess",
    .name = "MainProcess",
    .sentinel = -1,
    .parent_w = -1,
};

mpr_process_t *mpr__current = &main_process;
static mpr_process_t *parent_process;
static uint32_t counter = 1;     /* _process_counter */
static mpr_process_t **children; /* _children, in start order */
static size_t n_children, cap_children;
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static int child_uses_exit; /* a spawn child ends with exit() */

/* ---- helpers ------------------------------------------------------- */

static int nomem(void)
{
    return mpr__error(MPR__ERR(ENOMEM), NULL);
}

/* The main process's authkey: os.urandom(32), drawn on first use. */
void mpr__main_authkey(void)
{
    static unsigned char key[32];

    if (main_process.authkey != NULL)
        return;
    for (size_t got = 0; got < sizeof(key);) {
        ssize_t n = getrandom(key + got, sizeof(key) - got, 0);
        if (n > 0)
            got += (size_t)n;
    }
    main_process.authkey = key;
    main_process.authkey_len = sizeof(key);
}

mpr_process_t *mpr__process_alloc(void)
{
    mpr_process_t *p = mpr__sys.calloc(1, sizeof(*p));

    if (p == NULL)
        return NULL;
    p->refs = 1;
    p->sentinel = -1;
    p->parent_w = -1;
    return p;
}

void mpr__process_release(mpr_process_t *p)
{
    if (p == NULL || p->kind == MPR__PROC_MAIN || --p->refs > 0)
        return;
    mpr__popen_close(p);
    mpr_obj_decref(p->args);
    mpr_obj_decref(p->kwargs);
    free(p->type_name);
    free(p->name);
    free(p->parent_name);
    free(p->authkey);
    free(p);
}

/* _children.discard(p); the caller holds the lock. */
static void children_discard(mpr_process_t *p)
{
    for (size_t i = 0; i < n_children; i++) {
        if (children[i] == p) {
            memmove(children + i, children + i + 1,
                    (n_children - i - 1) * sizeof(*children));
            n_children--;
            p->in_children = 0;
            mpr__process_release(p);
            return;
        }
    }
}

static void discard(mpr_process_t *p)
{
    pthread_mutex_lock(&lock);
    if (p->in_children)
        children_discard(p);
    pthread_mutex_unlock(&lock);
}

/* Makes room for one more child (and keeps it reserved: the caller
 * appends under the lock, and n_reserved counts starts in progress). */
static size_t n_reserved;

static int reserve_child_slot(void)
{
    int rc = 0;

    pthread_mutex_lock(&lock);
    if (n_children + n_reserved + 1 > cap_children) {
        /* n_children + n_reserved never exceeds cap_children (one slot is
         * taken at a time), so doubling always makes room. */
        size_t cap = cap_children ? 2 * cap_children : 16;
        mpr_process_t **c = mpr__sys.realloc(children, cap * sizeof(*c));
        if (c == NULL)
            rc = nomem();
        else
            children = c, cap_children = cap;
    }
    if (rc == 0)
        n_reserved++;
    pthread_mutex_unlock(&lock);
    return rc;
}

static void release_child_slot(void)
{
    pthread_mutex_lock(&lock);
    n_reserved--;
    pthread_mutex_unlock(&lock);
}

/* process._cleanup(): forgets children that ended. */
static void cleanup(void)
{
    pthread_mutex_lock(&lock);
    for (size_t i = 0; i < n_children;) {
        mpr_process_t *c = children[i];
        if (mpr__popen_poll(c, 0) == 1)
            children_discard(c);
        else
            i++;
    }
    pthread_mutex_unlock(&lock);
}

static const char *class_name(const char *method)
{
    const mpr__launcher_t *l = mpr__launcher(method);

    return l != NULL ? l->process_class : "Process";
}

static char *default_name(const mpr_process_t *p)
{
    size_t size = strlen(p->type_name) + 2 + 11 * p->identity_len;
    char *s = mpr__sys.malloc(size), *at;

    if (s == NULL)
        return NULL;
    at = s + sprintf(s, "%s-", p->type_name);
    for (size_t i = 0; i < p->identity_len; i++)
        at += sprintf(at, i ? ":%u" : "%u", (unsigned)p->identity[i]);
    return s;
}

static int check_closed(const mpr_process_t *p)
{
    if (p->closed)
        return mpr__error(MPR_EVALUE, "process object is closed");
    return 0;
}

/* ---- construction -------------------------------------------------- */

static int fill(mpr_process_t *p, const mpr_process_options_t *o,
                const char *method)
{
    mpr_process_t *cur = mpr__current;
    int rc;

    if (cur->identity_len + 1 > MPR__MAX_IDENTITY)
        return mpr__error(MPR_ERUNTIME, "process nesting too deep");
    pthread_mutex_lock(&lock);
    uint32_t count = counter++;
    pthread_mutex_unlock(&lock);
    memcpy(p->identity, cur->identity, cur->identity_len * sizeof(uint32_t));
    p->identity[cur->identity_len] = count;
    p->identity_len = cur->identity_len + 1;
    mpr__main_authkey();
    p->authkey = mpr__sys.malloc(cur->authkey_len ? cur->authkey_len : 1);
    if (p->authkey == NULL)
        return nomem();
    memcpy(p->authkey, cur->authkey, cur->authkey_len);
    p->authkey_len = cur->authkey_len;
    p->daemon = cur->daemon;
    p->parent_pid = getpid();
    p->method = method;
    p->target = o->target;
    p->run = o->run;
    p->parent_name = mpr__strdup(cur->name);
    p->type_name =
        mpr__strdup(o->type_name ? o->type_name : class_name(method));
    if (p->parent_name == NULL || p->type_name == NULL)
        return nomem();
    /* CPython converts args and kwargs after taking the counter number. */
    rc = o->args ? mpr__obj_to_tuple(o->args, &p->args)
                 : ((p->args = mpr_obj_tuple_new(0)) ? 0 : nomem());
    if (rc == 0)
        rc = o->kwargs ? mpr__obj_to_dict(o->kwargs, &p->kwargs)
                       : ((p->kwargs = mpr_obj_dict()) ? 0 : nomem());
    if (rc < 0)
        return rc;
    p->name = (o->name && *o->name) ? mpr__strdup(o->name) : default_name(p);
    if (p->name == NULL)
        return nomem();
    if (o->daemon != MPR_INHERIT)
        p->daemon = o->daemon == MPR_TRUE;
    if (o->n_pass_fds > MPR_PROCESS_MAX_FDS)
        return mpr__error(MPR_EVALUE, "too many descriptors to pass");
    for (size_t i = 0; i < o->n_pass_fds; i++)
        p->pass_fds[i] = o->pass_fds[i];
    p->n_pass_fds = o->n_pass_fds;
    return 0;
}

int mpr_process_new(mpr_process_t **out, const mpr_process_options_t *opts)
{
    static const mpr_process_options_t defaults;
    const mpr_process_options_t *o = opts ? opts : &defaults;
    const char *method = NULL;
    mpr_process_t *p;
    int rc;

    if (o->context != NULL && (method = mpr__method_canon(o->context)) == NULL)
        return mpr__error(MPR_EVALUE, "cannot find context for '%s'",
                          o->context);
    p = mpr__process_alloc();
    if (p == NULL)
        return nomem();
    p->kind = MPR__PROC_CHILD;
    rc = fill(p, o, method);
    if (rc < 0) {
        mpr__process_release(p);
        return rc;
    }
    *out = p;
    return 0;
}

void mpr_process_free(mpr_process_t *p)
{
    mpr__process_release(p);
}

/* ---- lifecycle ----------------------------------------------------- */

int mpr_process_start(mpr_process_t *p)
{
    const char *method;
    int rc;

    if ((rc = check_closed(p)) < 0)
        return rc;
    if (p->started)
        return mpr__error(MPR_EASSERT, "cannot start a process twice");
    if (p->parent_pid != getpid())
        return mpr__error(MPR_EASSERT, "can only start a process object "
                                       "created by current process");
    if (mpr__current->daemon)
        return mpr__error(MPR_EASSERT, "daemonic processes are not allowed "
                                       "to have children");
    cleanup();
    /* Room in _children first: a started child must always be tracked.
     * Another thread may take the slot; each start reserves its own. */
    if ((rc = reserve_child_slot()) < 0)
        return rc;
    method = p->method ? p->method : mpr__context_resolve();
    /* Importing a popen module imports multiprocessing.util, which
     * registers the exit handler; Popen() then flushes stdout and stderr
     * so nothing buffered before start() is written twice (fork) or after
     * the child's output. */
    mpr__finalize_init();
    fflush(stdout);
    fflush(stderr);
    rc = mpr__popen_launch(p, method);
    if (rc < 0) {
        release_child_slot();
        return rc;
    }
    p->started = 1;
    /* start() drops target, args and kwargs (bpo-30775). */
    p->target = NULL;
    mpr_obj_decref(p->args);
    mpr_obj_decref(p->kwargs);
    p->args = p->kwargs = NULL;
    p->dropped_target = 1;
    pthread_mutex_lock(&lock);
    n_reserved--;
    children[n_children++] = p;
    p->in_children = 1;
    p->refs++;
    pthread_mutex_unlock(&lock);
    return 0;
}

int mpr_process_run(mpr_process_t *p)
{
    if (p->run != NULL)
        return p->run(p);
    if (p->dropped_target)
        return mpr__error(MPR_EATTR, "'%s' object has no attribute '_target'",
                          p->type_name);
    if (p->target == NULL)
        return 0;
    return p->target(p->args, p->kwargs);
}

/* multiprocessing.connection.wait([fd], timeout) for one fd: 1 if ready,
 * 0 on timeout, -errno when poll fails (as wait() raises OSError). */
static int wait_fd(int fd, double timeout)
{
    mpr_deadline_t d;
    struct timespec rel;

    if (mpr_deadline_init(&d, 1, timeout) < 0)
        return 0;
    for (;;) {
        struct pollfd pfd = {.fd = fd, .events = POLLIN};
        int ms = -1;
        if (!d.infinite) {
            /* Round up, so a wake-up never comes before the deadline, and
             * cap: the loop waits again for what remains. */
            mpr_deadline_remaining(&d, &rel);
            long long t =
                (long long)rel.tv_sec * 1000 + (rel.tv_nsec + 999999) / 1000000;
            ms = t > (1 << 30) ? (1 << 30) : (int)t;
        }
        int n = mpr__sys.poll(&pfd, 1, ms);
        if (n > 0)
            return 1;
        if (n == 0 && !d.infinite && !mpr_deadline_remaining(&d, &rel))
            return 0;
        if (n < 0 && errno != EINTR)
            return mpr__oserror();
    }
}

int mpr_process_join(mpr_process_t *p, double timeout)
{
    int rc;

    if (p->kind == MPR__PROC_PARENT)
        return (rc = wait_fd(p->sentinel, timeout)) < 0 ? rc : 0;
    if ((rc = check_closed(p)) < 0)
        return rc;
    if (p->parent_pid != getpid())
        return mpr__error(MPR_EASSERT, "can only join a child process");
    if (!p->started)
        return mpr__error(MPR_EASSERT, "can only join a started process");
    if (!p->has_returncode) {
        if (timeout != MPR_TIMEOUT_NONE &&
            (rc = wait_fd(p->sentinel, timeout)) <= 0)
            return rc;
        /* The sentinel is ready, so this does not block for long. */
        mpr__popen_poll(p, timeout != 0.0);
    }
    if (p->has_returncode)
        discard(p);
    return 0;
}

int mpr_process_is_alive(mpr_process_t *p)
{
    int rc;

    if (p->kind == MPR__PROC_PARENT)
        return (rc = wait_fd(p->sentinel, 0)) < 0 ? rc : !rc;
    if ((rc = check_closed(p)) < 0)
        return rc;
    if (p == mpr__current)
        return 1;
    if (p->parent_pid != getpid())
        return mpr__error(MPR_EASSERT, "can only test a child process");
    if (!p->started)
        return 0;
    if (mpr__popen_poll(p, 0) == 0)
        return 1;
    discard(p);
    return 0;
}

static int send_signal(mpr_process_t *p, int sig, const char *what)
{
    int rc;

    if ((rc = check_closed(p)) < 0)
        return rc;
    if (!p->started)
        return mpr__error(MPR_EATTR, "'NoneType' object has no attribute '%s'",
                          what);
    if (!p->has_returncode && kill(p->pid, sig) < 0 && errno != ESRCH) {
        rc = mpr__oserror();
        if (wait_fd(p->sentinel, 0.1) != 1)
            return rc;
        mpr__popen_poll(p, 1);
    }
    return 0;
}

int mpr_process_terminate(mpr_process_t *p)
{
    return send_signal(p, SIGTERM, "terminate");
}

int mpr_process_kill(mpr_process_t *p)
{
    return send_signal(p, SIGKILL, "kill");
}

int mpr_process_close(mpr_process_t *p)
{
    if (p->kind == MPR__PROC_MAIN)
        return 0;
    if (p->started) {
        if (mpr__popen_poll(p, 0) == 0)
            return mpr__error(MPR_EVALUE,
                              "Cannot close a process while it "
                              "is still running. You should first call "
                              "join() or terminate().");
        mpr__popen_close(p);
        p->started = 0;
        discard(p);
    }
    p->closed = 1;
    return 0;
}

/* ---- module functions ---------------------------------------------- */

static const char *current_name(void)
{
    return mpr__current != NULL ? mpr_process_name(mpr__current)
                                : "MainProcess";
}

/* The hooks the lower layers call back through: the Lock repr's owner
 * name, and the exit handler that also joins children.  Installed before
 * main, so they are in place whenever Process code is linked in. */
__attribute__((constructor)) static void install_hooks(void)
{
    mpr__current_process_name = current_name;
    mpr__exit_init();
}

mpr_process_t *mpr_current_process(void)
{
    return mpr__current;
}

mpr_process_t *mpr_parent_process(void)
{
    return parent_process;
}

int mpr_active_children(mpr_process_t ***list)
{
    mpr_process_t **l = NULL;
    int n;

    cleanup();
    pthread_mutex_lock(&lock);
    n = (int)n_children;
    if (list != NULL) {
        l = mpr__sys.malloc((n_children ? n_children : 1) * sizeof(*l));
        if (l != NULL && n_children > 0)
            memcpy(l, children, n_children * sizeof(*l));
    }
    pthread_mutex_unlock(&lock);
    if (list != NULL) {
        if (l == NULL)
            return nomem();
        *list = l;
    }
    return n;
}

/* ---- the child side ------------------------------------------------ */

void mpr__process_reset_state(mpr_process_t *current, mpr_process_t *parent)
{
    /* Another thread may have held the lock when we forked. */
    pthread_mutex_init(&lock, NULL);
    counter = 1;
    /* The parent's children are not ours: forget them without touching
     * their descriptors, which belong to the parent's copies. */
    n_children = 0;
    n_reserved = 0;
    mpr__current = current;
    /* A grandchild: the child's own parent is nobody's now (its sentinel
     * here is this process's copy). */
    if (parent_process != NULL && parent_process != parent)
        mpr__process_release(parent_process);
    parent_process = parent;
}

void mpr__process_set_use_exit(int use_exit)
{
    child_uses_exit = use_exit;
}

int mpr__process_uses_exit(void)
{
    return child_uses_exit;
}
