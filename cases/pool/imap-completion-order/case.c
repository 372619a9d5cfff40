/*
 * pool/imap-completion-order: task 0 waits on a Manager Event the parent
 * sets after reading the other results, so imap_unordered yields 1..5 then
 * 0, imap's next(timeout) is TimeoutError until the event is set and then
 * gives every result in input order; after the pool is terminated (the end
 * of `with Pool(2)`), a task still waiting never completes.
 */
#include <mpr.h>

#include "support.h"

#include <stdio.h>
#include <string.h>

/* task((ev, i)): i * 10; task 0 first waits for the event (60 s) */
static int task(mpr_obj_t *args, mpr_obj_t *kwargs, mpr_obj_t **result)
{
    mpr_obj_t *a = mpr_obj_item(args, 0), *t, *ok = NULL;
    int64_t i = mpr_obj_int_value(mpr_obj_item(a, 1));
    mpr_proxy_t *ev;
    int rc;

    (void)kwargs;
    if (i == 0) {
        if ((rc = mpr_proxy_rebuild(&ev, mpr_obj_item(a, 0))) < 0)
            return rc;
        t = mpr_obj_tuple_steal(1, mpr_obj_int(60));
        rc = t ? mpr_proxy_callmethod(ev, "wait", t, NULL, &ok)
               : mpr_last_error();
        mpr_obj_decref(t);
        mpr_proxy_free(ev);
        if (rc < 0)
            return rc;
        rc = mpr_obj_truth(ok);
        mpr_obj_decref(ok);
        if (!rc) {
            *result = mpr_obj_str("event not set");
            return *result ? 0 : mpr_last_error();
        }
    }
    *result = mpr_obj_int(i * 10);
    return *result ? 0 : mpr_last_error();
}
MPR_TARGET(task)

/* case_show(what, lambda: it.next(timeout)), StopIteration included */
static void show_next(const char *what, mpr_imap_t *it, double timeout)
{
    mpr_obj_t *out = NULL;
    int rc = mpr_imap_next(it, timeout, &out);

    if (rc == 0)
        printf("%s StopIteration \n", what);
    else
        case_show(what, rc, out);
}

/* print(label, [it.next(timeout=60) for _ in range(n)]) */
static int print_next_n(const char *label, mpr_imap_t *it, int n)
{
    mpr_obj_t *l = mpr_obj_list(), *x;
    char *r;
    int rc = 0;

    for (int i = 0; l != NULL && rc == 0 && i < n; i++) {
        if ((rc = mpr_imap_next(it, 60, &x)) == 1)
            rc = mpr_obj_list_append_steal(l, x);
        else if (rc == 0)
            rc = MPR_EASSERT; /* StopIteration too early */
    }
    if (l == NULL)
        return mpr_last_error();
    if (rc == 0 && (rc = mpr_obj_repr(l, &r, NULL)) == 0) {
        printf("%s %s\n", label, r);
        mpr_free(r);
    }
    mpr_obj_decref(l);
    return rc;
}

static int event(mpr_proxy_t *ev, const char *method)
{
    return mpr_proxy_callmethod(ev, method, NULL, NULL, NULL);
}

static int run(mpr_manager_t *m)
{
    mpr_pool_options_t po = {.processes = 2};
    mpr_obj_t *red = NULL, *tasks = NULL, *out = NULL, *a, *one;
    mpr_asyncresult_t *r = NULL;
    mpr_proxy_t *ev = NULL;
    mpr_imap_t *it = NULL;
    mpr_pool_t *p = NULL;
    int rc;

    if ((rc = mpr_manager_event(m, &ev)) < 0 ||
        (rc = mpr_proxy_reduce(ev, &red)) < 0)
        return rc;
    tasks = mpr_obj_list();
    for (int i = 0; tasks != NULL && i < 6; i++)
        mpr_obj_list_append_steal(
            tasks, mpr_obj_tuple_steal(2, mpr_obj_incref(red), mpr_obj_int(i)));
    if (tasks == NULL)
        return mpr_last_error();
    /* with mp.Pool(2) as p: */
    if ((rc = mpr_pool_new(&p, &po)) < 0 ||
        (rc = mpr_pool_imap_unordered(p, task, tasks, 1, &it)) < 0 ||
        (rc = print_next_n("imap_unordered first five:", it, 5)) < 0)
        return rc;
    show_next("imap_unordered next(timeout=0.2):", it, 0.2);
    if ((rc = event(ev, "set")) < 0)
        return rc;
    show_next("imap_unordered next:", it, 60);
    show_next("imap_unordered next at end:", it, MPR_TIMEOUT_NONE);
    mpr_imap_free(it);
    it = NULL;
    if ((rc = event(ev, "clear")) < 0 ||
        (rc = mpr_pool_imap(p, task, tasks, 1, &it)) < 0)
        return rc;
    show_next("imap next(timeout=0.2):", it, 0.2);
    show_next("imap next(timeout=0.2) again:", it, 0.2);
    if ((rc = event(ev, "set")) < 0 ||
        (rc = print_next_n("imap rest:", it, 6)) < 0 ||
        (rc = event(ev, "clear")) < 0)
        return rc;
    mpr_imap_free(it);
    a = mpr_obj_tuple_steal(1, mpr_obj_incref(mpr_obj_item(tasks, 0)));
    if ((rc = mpr_pool_apply_async(p, task, a, NULL, NULL, NULL, NULL, &r)) < 0)
        return rc;
    mpr_obj_decref(a);
    rc = mpr_asyncresult_get(r, 0.2, &out);
    case_show("waiting task get(timeout=0.2):", rc, out);
    mpr_pool_terminate(p); /* the end of the with block */
    out = NULL;
    rc = mpr_asyncresult_get(r, 0.5, &out);
    case_show("after with: get(timeout=0.5):", rc, out);
    case_show("after with: ready():", 0,
              mpr_obj_bool(mpr_asyncresult_ready(r)));
    mpr_asyncresult_free(r);
    one = mpr_obj_list_of_steal(
        1, mpr_obj_tuple_steal(2, mpr_obj_incref(red), mpr_obj_int(1)));
    out = NULL;
    rc = mpr_pool_map(p, task, one, MPR_CHUNKSIZE_NONE, &out);
    case_show("after with: map:", rc, out);
    mpr_obj_decref(one);
    mpr_pool_free(p);
    mpr_obj_decref(tasks);
    mpr_obj_decref(red);
    mpr_proxy_free(ev);
    return 0;
}

int main(int argc, char **argv)
{
    return case_main_with_manager(argc, argv, run);
}
