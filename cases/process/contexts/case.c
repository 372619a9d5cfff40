/*
 * process/contexts: mpr_context_get_context(default, m) is a context whose
 * get_start_method() is m, whose get_context() is itself, whose
 * set_start_method() raises ValueError, and whose Process children run
 * under m; set_start_method(m, force=True) switches the default context
 * (its type and Process class named after m); get_all_start_methods()
 * lists the three methods of Linux.
 * The write end reaches the child as CPython's does under the context's
 * method: inherited under fork, reduced and rebuilt otherwise.
 */
#include <mpr.h>

#include "support.h"

#include <stdio.h>
#include <string.h>

static mpr_context_t *mp; /* import multiprocessing as mp */

/* report(conn): conn.send(mp.get_start_method()) */
static int report(mpr_obj_t *args, mpr_obj_t *kwargs)
{
    mpr_conn_t *conn;
    mpr_obj_t *m;
    int rc;

    (void)kwargs;
    if ((conn = case_arg(args, 0, MPR_HANDLE_CONN)) == NULL)
        return mpr_last_error();
    m = mpr_obj_str(mpr_context_get_start_method(mpr_default_context(), 0));
    rc = m ? mpr_conn_send(conn, m) : mpr_last_error();
    mpr_obj_decref(m);
    return rc;
}
MPR_TARGET(report)

/* child_method(ctx): the method a ctx.Process child reports. */
static int child_method(mpr_context_t *ctx, mpr_obj_t **out)
{
    mpr_process_options_t o = {.target = report,
                               .context = mpr_context_method(ctx)};
    mpr_conn_t *r, *w;
    mpr_obj_t *args = NULL;
    mpr_process_t *p;
    int rc;

    if ((rc = mpr_pipe(&r, &w, 0)) < 0)
        return rc;
    /* the child gets w as the context's own method passes it (inherited
     * by a fork child, pickled for the others), as CPython's Process args
     * are */
    args = mpr_obj_tuple_steal(1, mpr_obj_handle(MPR_HANDLE_CONN, w));
    if ((o.args = args) == NULL)
        return mpr_last_error();
    if ((rc = mpr_process_new(&p, &o)) < 0 || (rc = mpr_process_start(p)) < 0)
        return rc;
    mpr_obj_decref(args);
    mpr_conn_free(w);
    rc = mpr_conn_recv(r, out);
    mpr_conn_free(r);
    if (rc == 0)
        rc = mpr_process_join(p, MPR_TIMEOUT_NONE);
    mpr_process_free(p);
    return rc;
}

/* ctx.Process.__name__: the type a Process of ctx gets */
static const char *process_class(mpr_context_t *ctx, char *buf, size_t n)
{
    mpr_process_options_t o = {.context = mpr_context_method(ctx)};
    mpr_process_t *p;

    if (mpr_process_new(&p, &o) < 0)
        return "?";
    snprintf(buf, n, "%s", mpr_process_type_name(p));
    mpr_process_free(p);
    return buf;
}

static int print_child(const char *prefix, const char *method,
                       mpr_context_t *ctx)
{
    mpr_obj_t *m;
    int rc;

    if ((rc = child_method(ctx, &m)) < 0)
        return rc;
    printf("%s%s child reports: %s\n", prefix, method,
           mpr_obj_str_utf8(m, NULL));
    mpr_obj_decref(m);
    return 0;
}

int main(int argc, char **argv)
{
    static const char *const methods[] = {"fork", "spawn", "forkserver"};
    const char *const *all;
    mpr_context_t *ctx, *again;
    mpr_obj_t *list;
    const char *old;
    char what[128], cls[64];
    size_t n;
    int rc;

    if ((rc = mpr_main(argc, argv)) < 0)
        return case_fail(rc);
    mp = mpr_default_context();
    all = mpr_get_all_start_methods(&n);
    if ((list = mpr_obj_list()) == NULL)
        return case_fail(mpr_last_error());
    for (size_t i = 0; i < n; i++)
        if ((rc = mpr_obj_list_append_steal(list, mpr_obj_str(all[i]))) < 0)
            return case_fail(rc);
    case_show("get_all_start_methods():", 0, list);
    for (size_t i = 0; i < 3; i++) {
        const char *m = methods[i];

        if ((rc = mpr_context_get_context(mp, m, &ctx)) < 0)
            return case_fail(rc);
        printf("%s get_start_method(): %s\n", m,
               mpr_context_get_start_method(ctx, 0));
        if ((rc = mpr_context_get_context(ctx, NULL, &again)) < 0)
            return case_fail(rc);
        printf("%s get_context() is ctx: %s\n", m, case_bool(again == ctx));
        snprintf(what, sizeof(what), "%s set_start_method('spawn'):", m);
        case_show(what, mpr_context_set_start_method(ctx, "spawn", 0), NULL);
        snprintf(what, sizeof(what), "%s set_start_method(None):", m);
        case_show(what, mpr_context_set_start_method(ctx, NULL, 0), NULL);
        if ((rc = print_child("", m, ctx)) < 0)
            return case_fail(rc);
    }
    case_show("get_context('thread'):",
              mpr_context_get_context(mp, "thread", &ctx), NULL);
    old = mpr_context_get_start_method(mp, 0);
    for (size_t i = 0; i < 3; i++) {
        const char *m = methods[i];

        if ((rc = mpr_context_set_start_method(mp, m, 1)) < 0 ||
            (rc = mpr_context_get_context(mp, NULL, &ctx)) < 0)
            return case_fail(rc);
        printf("force %s get_start_method(): %s %s %s %s\n", m,
               mpr_context_get_start_method(mp, 0),
               mpr_context_get_start_method(ctx, 0), mpr_context_type_name(ctx),
               process_class(ctx, cls, sizeof(cls)));
        if ((rc = print_child("force ", m, mp)) < 0)
            return case_fail(rc);
    }
    case_show("set_start_method('spawn') without force:",
              mpr_context_set_start_method(mp, "spawn", 0), NULL);
    if ((rc = mpr_context_set_start_method(mp, old, 1)) < 0)
        return case_fail(rc);
    return 0;
}
