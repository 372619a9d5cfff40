/*
 * reduction.c - how handle values in a process's args (obj.h: a Lock, a
 * Queue, a Connection... held by value) reach the child, one table per
 * start method, chosen through the launcher table (launcher.h).  fork
 * has none: the child inherits the args, primitives included, as they
 * are.  spawn and forkserver pickle the args with the spawning table,
 * CPython's pickling with the spawning Popen set: a Connection's
 * descriptor is duplicated for the child (popen.duplicate_for_child: it
 * goes in pass_fds and reaches the child at the same number); every other
 * kind goes as its own token (a SemLock's name, a Queue's pipe and locks).
 * The kinds themselves register in obj/ (objimpl.h), so nothing here
 * depends on a transport's internals.
 *
 * Python: multiprocessing.reduction (DupFd), popen_spawn_posix
 * (duplicate_for_child), context.assert_spawning, CPython 3.11.
 */
#include "mpr/connection.h"
#include "mpr/pickle.h"
#include "obj/objimpl.h"
#include "pickle/handles.h"
#include "process/process_internal.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>

/* ---- Connection: duplicate_for_child --------------------------------- */

/* The parent's side: the descriptor joins p's pass_fds (once), and the
 * token names it: (fd, readable, writable). */
static int conn_reduce(mpr_process_t *p, const mpr_obj_t *h, mpr_obj_t **tok)
{
    const mpr_conn_t *c = mpr_obj_handle_ptr(h, MPR_HANDLE_CONN);
    int fd = mpr_conn_fileno(c);
    size_t i;

    if (fd < 0)
        return fd; /* MPR_ECLOSED "handle is closed" */
    for (i = 0; i < p->n_pass_fds && p->pass_fds[i] != fd; i++)
        ;
    if (i == p->n_pass_fds) {
        if (p->n_pass_fds == MPR_PROCESS_MAX_FDS)
            return mpr__error(MPR_EVALUE, "too many descriptors to pass");
        p->pass_fds[p->n_pass_fds++] = fd;
    }
    *tok = mpr_obj_tuple_steal(3, mpr_obj_int(fd),
                               mpr_obj_bool(mpr_conn_readable(c)),
                               mpr_obj_bool(mpr_conn_writable(c)));
    return *tok != NULL ? 0 : mpr_last_error();
}

/* The child's rebuilt Connections, so that one passed twice is one
 * object here too (CPython's pickle memo). */
typedef struct {
    mpr_obj_t *conns[MPR_PROCESS_MAX_FDS];
    size_t n;
} rebuilt_t;

static int conn_rebuild(rebuilt_t *r, const mpr_obj_t *tok, mpr_obj_t **out)
{
    mpr_obj_t *o;
    mpr_conn_t *c;
    int64_t fd;
    int rc;

    if (mpr_obj_type(tok) != MPR_OBJ_TUPLE || mpr_obj_len(tok) != 3 ||
        mpr_obj_as_int64(mpr_obj_item(tok, 0), &fd) < 0 || fd < 0 ||
        fd > INT32_MAX)
        return mpr__error(MPR_EUNPICKLE, "bad Connection token");
    for (size_t i = 0; i < r->n; i++)
        if (mpr_conn_fileno(mpr_obj_handle_ptr(r->conns[i], MPR_HANDLE_CONN)) ==
            fd) {
            *out = mpr_obj_incref(r->conns[i]);
            return 0;
        }
    if (r->n == MPR_PROCESS_MAX_FDS)
        return mpr__error(MPR_EUNPICKLE, "bad Connection token");
    /* exec cleared close-on-exec on the passed descriptor; set it again,
     * so that this child's own children do not inherit it. */
    if (fcntl((int)fd, F_SETFD, FD_CLOEXEC) < 0)
        return mpr__error(MPR__ERR(errno), NULL);
    rc = mpr_conn_new(&c, (int)fd, mpr_obj_truth(mpr_obj_item(tok, 1)),
                      mpr_obj_truth(mpr_obj_item(tok, 2)));
    if (rc < 0)
        return rc;
    if ((o = mpr__obj_handle_owned(MPR_HANDLE_CONN, c)) == NULL) {
        mpr_conn_free(c);
        return mpr_last_error();
    }
    r->conns[r->n++] = o; /* borrowed: the args hold it */
    *out = o;
    return 0;
}

/* ---- the tables ------------------------------------------------------ */

struct mpr__reduction_s {
    const char *name;
    /* per kind, the parent's side; NULL: the kind's own reduce (ops) */
    int (*reduce[MPR_HANDLE_KINDS])(mpr_process_t *p, const mpr_obj_t *h,
                                    mpr_obj_t **tok);
    /* per kind, the child's side; NULL: the kind's own rebuild (ops) */
    int (*rebuild[MPR_HANDLE_KINDS])(rebuilt_t *r, const mpr_obj_t *tok,
                                     mpr_obj_t **out);
};

const mpr__reduction_t mpr__reduction_spawning = {
    .name = "spawning",
    .reduce = {[MPR_HANDLE_CONN] = conn_reduce},
    .rebuild = {[MPR_HANDLE_CONN] = conn_rebuild},
};

typedef struct {
    const mpr__reduction_t *table;
    mpr_process_t *p; /* parent: the child being started */
    rebuilt_t rebuilt;
} ctx_t;

static int reduce_hook(void *ctx, const mpr_obj_t *h, mpr_obj_t **tok)
{
    ctx_t *c = ctx;
    int kind = mpr_obj_handle_kind(h);
    const mpr__handle_ops_t *ops = mpr__handle_ops(kind);

    if (c->table->reduce[kind] != NULL)
        return c->table->reduce[kind](c->p, h, tok);
    return ops->reduce(mpr_obj_handle_ptr(h, kind), tok);
}

static int rebuild_hook(void *ctx, int kind, const mpr_obj_t *tok,
                        mpr_obj_t **out)
{
    ctx_t *c = ctx;
    const mpr__handle_ops_t *ops = mpr__handle_ops(kind);
    void *ptr = NULL;
    int rc;

    if (c->table->rebuild[kind] != NULL)
        return c->table->rebuild[kind](&c->rebuilt, tok, out);
    if ((rc = ops->rebuild(tok, &ptr)) < 0)
        return rc;
    if ((*out = mpr__obj_handle_owned(kind, ptr)) == NULL) {
        ops->free(ptr);
        return mpr_last_error();
    }
    return 0;
}

int mpr__reduction_dumps(const mpr__reduction_t *table, mpr_process_t *p,
                         const mpr_obj_t *o, char **out, size_t *len)
{
    ctx_t c = {.table = table, .p = p};
    mpr__pickle_handles_t hooks = {.reduce = reduce_hook, .ctx = &c};

    return mpr__pickle_dumps_handles(o, 4, &hooks, out, len);
}

int mpr__reduction_loads(const mpr__reduction_t *table, const void *data,
                         size_t len, mpr_obj_t **out)
{
    ctx_t c = {.table = table};
    mpr__pickle_handles_t hooks = {.rebuild = rebuild_hook, .ctx = &c};

    return mpr__pickle_loads_handles(data, len, &hooks, out);
}
