/*
 * manager/dict-list-reverse: document 003's Manager example.  A child sets
 * three keys of a Manager dict and reverses a Manager list; the parent
 * prints both through their proxies (str() is the server object's repr).
 * The proxies go in args as values, as in the Python.
 */
#include <mpr.h>

#include "support.h"

#include <stdio.h>
#include <string.h>

static int f(mpr_obj_t *args, mpr_obj_t *kwargs)
{
    mpr_proxy_t *d, *l;
    mpr_obj_t *k, *v;
    int rc;

    (void)kwargs;
    if ((rc = case_proxy_of(mpr_obj_item(args, 0), &d)) < 0 ||
        (rc = case_proxy_of(mpr_obj_item(args, 1), &l)) < 0)
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
    mpr_proxy_t *d = NULL, *l = NULL;
    mpr_obj_t *range;
    int rc;

    if ((rc = mpr_manager_new(&m, NULL)) < 0 || (rc = mpr_manager_enter(m)) < 0)
        return rc;
    range = mpr_obj_list();
    for (int i = 0; range && i < 10; i++)
        mpr_obj_list_append_steal(range, mpr_obj_int(i));
    if ((rc = mpr_manager_dict(m, NULL, &d)) < 0 ||
        (rc = mpr_manager_list(m, range, &l)) < 0)
        goto done;
    if ((o.args = mpr_obj_tuple_steal(2, mpr_obj_handle(MPR_HANDLE_PROXY, d),
                                      mpr_obj_handle(MPR_HANDLE_PROXY, l))) ==
        NULL) {
        rc = mpr_last_error();
        goto done;
    }
    if ((rc = mpr_process_new(&p, &o)) < 0 || (rc = mpr_process_start(p)) < 0 ||
        (rc = mpr_process_join(p, MPR_TIMEOUT_NONE)) < 0)
        goto done;
    if ((rc = print_proxy(d)) == 0)
        rc = print_proxy(l);
done:
    mpr_obj_decref((mpr_obj_t *)o.args);
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
