/*
 * manager/dict-list-reverse: document 003's Manager example.  A child sets
 * three keys of a Manager dict and reverses a Manager list; the parent
 * prints both through their proxies (str() is the server object's repr).
 * The proxies reach the child inherited under fork and reduced/rebuilt
 * (CPython's RebuildProxy) under spawn and forkserver.
 */
#include <mpr.h>

#include "support.h"

#include <stdio.h>
#include <string.h>

static mpr_proxy_t *d, *l;

/* In a spawn or forkserver child: the proxies from the args. */
static int take(const mpr_obj_t *args)
{
    int rc;

    if (mpr_obj_len(args) == 0) /* fork: inherited */
        return 0;
    if ((rc = mpr_proxy_rebuild(&d, mpr_obj_item(args, 0))) < 0)
        return rc;
    return mpr_proxy_rebuild(&l, mpr_obj_item(args, 1));
}

static int f(mpr_obj_t *args, mpr_obj_t *kwargs)
{
    mpr_obj_t *k, *v;
    int rc;

    (void)kwargs;
    if ((rc = take(args)) < 0)
        return rc;
    k = mpr_obj_int(1), v = mpr_obj_str("1");
    rc = mpr_proxy_setitem(d, k, v);
    mpr_obj_decref(k), mpr_obj_decref(v);
    k = mpr_obj_str("2"), v = mpr_obj_int(2);
    if (rc == 0)
        rc = mpr_proxy_setitem(d, k, v);
    mpr_obj_decref(k), mpr_obj_decref(v);
    k = mpr_obj_float(0.25);
    if (rc == 0)
        rc = mpr_proxy_setitem(d, k, mpr_obj_none());
    mpr_obj_decref(k);
    if (rc == 0)
        rc = mpr_proxy_callmethod(l, "reverse", NULL, NULL, NULL);
    mpr_proxy_free(d);
    mpr_proxy_free(l);
    return rc;
}
MPR_TARGET(f)

static int print_proxy(mpr_proxy_t *p)
{
    char *s;
    int rc;

    if ((rc = mpr_proxy_str(p, &s, NULL)) < 0)
        return rc;
    printf("%s\n", s);
    mpr_free(s);
    return 0;
}

static int run(void)
{
    mpr_process_options_t o = {.target = f};
    mpr_manager_t *m;
    mpr_process_t *p = NULL;
    mpr_obj_t *range, *r1 = NULL, *r2 = NULL;
    int rc;

    if ((rc = mpr_manager_new(&m, NULL)) < 0 || (rc = mpr_manager_enter(m)) < 0)
        return rc;
    range = mpr_obj_list();
    for (int i = 0; range && i < 10; i++)
        mpr_obj_list_append_steal(range, mpr_obj_int(i));
    if ((rc = mpr_manager_dict(m, NULL, &d)) < 0 ||
        (rc = mpr_manager_list(m, range, &l)) < 0)
        goto done;
    if (strcmp(mpr_get_start_method(), "fork") != 0) {
        if ((rc = mpr_proxy_reduce(d, &r1)) < 0 ||
            (rc = mpr_proxy_reduce(l, &r2)) < 0 ||
            (o.args = mpr_obj_tuple(2, r1, r2)) == NULL)
            goto done;
    }
    if ((rc = mpr_process_new(&p, &o)) < 0 || (rc = mpr_process_start(p)) < 0 ||
        (rc = mpr_process_join(p, MPR_TIMEOUT_NONE)) < 0)
        goto done;
    if ((rc = print_proxy(d)) == 0)
        rc = print_proxy(l);
done:
    mpr_obj_decref((mpr_obj_t *)o.args);
    mpr_obj_decref(r1);
    mpr_obj_decref(r2);
    mpr_obj_decref(range);
    mpr_process_free(p);
    mpr_proxy_free(d);
    mpr_proxy_free(l);
    mpr_manager_exit(m);
    mpr_manager_free(m);
    return rc;
}

int main(int argc, char **argv)
{
    int rc;

    if ((rc = mpr_main(argc, argv)) < 0 || (rc = run()) < 0)
        return case_fail(rc);
    return 0;
}
