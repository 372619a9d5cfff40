/*
 * manager/container-iter: iter() over a ListProxy and a DictProxy.  A
 * ListProxy exposes no __iter__: Python's iter() falls back to
 * __getitem__(0), __getitem__(1), ... until IndexError, and an exhausted
 * iterator stays exhausted; here that loop is written out.  A DictProxy's
 * iterator lives in the server (mpr_proxy_iter, an IteratorProxy).
 */
#include <mpr.h>

#include "support.h"

#include <stdio.h>
#include <string.h>

/* the sequence iterator CPython makes for an object without __iter__ */
typedef struct {
    mpr_proxy_t *seq; /* NULL once IndexError ended it */
    int64_t i;
} seqiter_t;

/* next(it): 0 and the item, 1 at the end, or an error */
static int seq_next(seqiter_t *it, mpr_obj_t **out)
{
    mpr_obj_t *i;
    int rc;

    if (it->seq == NULL)
        return 1;
    if ((i = mpr_obj_int(it->i)) == NULL)
        return mpr_last_error();
    rc = mpr_proxy_getitem(it->seq, i, out);
    mpr_obj_decref(i);
    if (rc == MPR_EINDEX) {
        it->seq = NULL;
        return 1;
    }
    it->i++;
    return rc < 0 ? rc : 0;
}

/* print(what, list(it)) over a sequence iterator */
static int print_seq(const char *what, seqiter_t *it)
{
    mpr_obj_t *l = mpr_obj_list(), *x;
    int rc;

    while (l != NULL && (rc = seq_next(it, &x)) == 0)
        mpr_obj_list_append_steal(l, x);
    if (l == NULL)
        return mpr_last_error();
    if (rc == 1)
        rc = case_print_repr(what, l);
    mpr_obj_decref(l);
    return rc < 0 ? rc : 0;
}

/* print(what, list(it)) over an IteratorProxy: __next__ until
 * StopIteration */
static int print_iter(const char *what, mpr_proxy_t *it)
{
    mpr_obj_t *l = mpr_obj_list(), *x;
    int rc;

    while (l != NULL &&
           (rc = mpr_proxy_callmethod(it, "__next__", NULL, NULL, &x)) == 0)
        mpr_obj_list_append_steal(l, x);
    if (l == NULL)
        return mpr_last_error();
    if (rc == MPR_ESTOPITERATION)
        rc = case_print_repr(what, l);
    mpr_obj_decref(l);
    return rc < 0 ? rc : 0;
}

static int run(mpr_manager_t *m)
{
    mpr_proxy_t *a = NULL, *d = NULL, *it = NULL;
    mpr_obj_t *init = case_range_list(0, 10), *x = NULL, *k, *v;
    seqiter_t sit;
    int rc;

    if ((rc = mpr_manager_list(m, init, &a)) < 0)
        goto done;
    sit = (seqiter_t){a, 0};
    if ((rc = print_seq("list(it):", &sit)) < 0 ||
        (rc = print_seq("list(it) again:", &sit)) < 0)
        goto done;
    sit = (seqiter_t){a, 0};
    k = mpr_obj_int(0);
    v = mpr_obj_int(100);
    rc = mpr_proxy_setitem(a, k, v);
    mpr_obj_decref(k);
    mpr_obj_decref(v);
    if (rc < 0 || (rc = seq_next(&sit, &x)) != 0)
        goto done;
    case_print_repr("next(it) after a[0] = 100:", x);
    if ((rc = mpr_manager_dict(m, NULL, &d)) < 0)
        goto done;
    for (int i = 65; i < 70; i++) {
        char c[2] = {(char)i, 0};
        k = mpr_obj_int(i);
        v = mpr_obj_str(c);
        rc = mpr_proxy_setitem(d, k, v);
        mpr_obj_decref(k);
        mpr_obj_decref(v);
        if (rc < 0)
            goto done;
    }
    if ((rc = mpr_proxy_iter(d, &it)) < 0)
        goto done;
    printf("iter(d): %s\n", mpr_proxy_type_name(it));
    if ((rc = print_iter("list(it):", it)) < 0 ||
        (rc = print_iter("list(it) again:", it)) < 0)
        goto done;
    mpr_proxy_free(it);
    if ((rc = mpr_proxy_iter(d, &it)) < 0 ||
        (rc = mpr_proxy_callmethod(d, "clear", NULL, NULL, NULL)) < 0)
        goto done;
    mpr_obj_decref(x);
    x = NULL;
    rc = mpr_proxy_callmethod(it, "__next__", NULL, NULL, &x);
    case_show("next(it) after d.clear():", rc, x);
    x = NULL;
    rc = 0;
done:
    mpr_obj_decref(x);
    mpr_obj_decref(init);
    mpr_proxy_free(it);
    mpr_proxy_free(d);
    mpr_proxy_free(a);
    return rc;
}

int main(int argc, char **argv)
{
    return case_main_with_manager(argc, argv, run);
}
