/*
 * manager/list-proxy-contract: a ListProxy's methods (append, extend,
 * insert, pop, remove, reverse, sort, index with start/stop, count, len,
 * in, indexing), the server's IndexError / ValueError / TypeError coming
 * back with their class and message, a stable sort (also reversed) over
 * equal numbers of different types; a child gets the proxy in its args
 * (a value, as in the Python) and inserts
 * at clamped positions.
 */
#include <mpr.h>

#include "support.h"

#include <stdio.h>
#include <string.h>

static mpr_proxy_t *l;

/* case_show(what, lambda: p.method(*args, **kwds)); args and kwds are stolen.
 */
static void call(mpr_proxy_t *p, const char *what, const char *method,
                 mpr_obj_t *args, mpr_obj_t *kwds)
{
    mpr_obj_t *out = NULL;
    int rc = mpr_proxy_callmethod(p, method, args, kwds, &out);

    case_show(what, rc, out);
    mpr_obj_decref(args);
    mpr_obj_decref(kwds);
}

/* p.method(*args, **kwds) whose result is not printed; args and kwds are
 * stolen. */
static int run_method(mpr_proxy_t *p, const char *method, mpr_obj_t *args,
                      mpr_obj_t *kwds)
{
    int rc = mpr_proxy_callmethod(p, method, args, kwds, NULL);

    mpr_obj_decref(args);
    mpr_obj_decref(kwds);
    return rc;
}

#define S(s)        mpr_obj_str(s)
#define I(v)        mpr_obj_int(v)
#define T1(a)       mpr_obj_tuple_steal(1, a)
#define T2(a, b)    mpr_obj_tuple_steal(2, a, b)
#define T3(a, b, c) mpr_obj_tuple_steal(3, a, b, c)

/* print(label, p, len(p)) (with_len) or print(label, p) */
static int print_str(const char *label, mpr_proxy_t *p, int with_len)
{
    char *s;
    int rc, n = 0;

    if (with_len && (n = mpr_proxy_len(p)) < 0)
        return n;
    if ((rc = mpr_proxy_str(p, &s, NULL)) < 0)
        return rc;
    if (with_len)
        printf("%s %s %d\n", label, s, n);
    else
        printf("%s %s\n", label, s);
    mpr_free(s);
    return 0;
}

static int child(mpr_obj_t *args, mpr_obj_t *kwargs)
{
    int rc;

    (void)kwargs;
    if ((rc = case_proxy_of(mpr_obj_item(args, 0), &l)) < 0)
        return rc;
    if ((rc = print_str("child sees:", l, 1)) < 0 ||
        (rc = run_method(l, "insert", T2(I(0), S("first")), NULL)) < 0 ||
        (rc = run_method(l, "insert", T2(I(-1), S("before last")), NULL)) < 0 ||
        (rc = run_method(l, "insert", T2(I(100), S("last")), NULL)) < 0 ||
        (rc = run_method(l, "insert", T2(I(-100), S("very first")), NULL)) < 0)
        return rc;
    call(l, "child pop 1:", "pop", T1(I(1)), NULL);
    call(l, "child count last:", "count", T1(S("last")), NULL);
    if ((rc = run_method(l, "append", T1(mpr_obj_list_of_steal(1, S("nested"))),
                         NULL)) < 0)
        return rc;
    call(l, "child index nested:", "index",
         T1(mpr_obj_list_of_steal(1, S("nested"))), NULL);
    return 0;
}
MPR_TARGET(child)

static mpr_obj_t *sort_kw(int reverse)
{
    mpr_obj_t *kw = mpr_obj_dict();

    if (reverse &&
        mpr_obj_dict_set_steal(kw, S("reverse"), mpr_obj_bool(1)) < 0) {
        mpr_obj_decref(kw);
        return NULL;
    }
    return kw;
}

static int run(mpr_manager_t *m)
{
    mpr_process_options_t po = {.target = child};
    mpr_obj_t *init, *cargs = NULL;
    mpr_proxy_t *e = NULL, *empty = NULL;
    mpr_process_t *p = NULL;
    char *r;
    int rc, code;

    init = mpr_obj_list_of_steal(3, I(0), I(1), I(2));
    rc = mpr_manager_list(m, init, &l);
    mpr_obj_decref(init);
    if (rc < 0)
        return rc;
    {
        mpr_obj_t *one = I(1), *five = I(5);
        int len = mpr_proxy_len(l), in1 = mpr_proxy_contains(l, one),
            in5 = mpr_proxy_contains(l, five);
        char *s;
        mpr_obj_decref(one);
        mpr_obj_decref(five);
        if (len < 0 || in1 < 0 || in5 < 0)
            return len < 0 ? len : in1 < 0 ? in1 : in5;
        if ((rc = mpr_proxy_str(l, &s, NULL)) < 0)
            return rc;
        printf("%s %d %s %s %s\n", mpr_proxy_type_name(l), len, case_bool(in1),
               case_bool(in5), s);
        mpr_free(s);
    }
    if ((rc = run_method(l, "append", T1(I(3)), NULL)) < 0 ||
        (rc = run_method(l, "extend", T1(T2(I(4), I(5))), NULL)) < 0 ||
        (rc = run_method(
             l, "extend",
             T1(mpr_obj_list_of_steal(6, I(0), I(1), I(2), I(3), I(4), I(5))),
             NULL)) < 0 ||
        (rc = print_str("l:", l, 0)) < 0)
        return rc;
    call(l, "count 4:", "count", T1(I(4)), NULL);
    call(l, "count 9:", "count", T1(I(9)), NULL);
    call(l, "index 4:", "index", T1(I(4)), NULL);
    call(l, "index 4 from 5:", "index", T2(I(4), I(5)), NULL);
    call(l, "index 4 in 5..9:", "index", T3(I(4), I(5), I(9)), NULL);
    call(l, "index 4 in -3..:", "index", T2(I(4), I(-3)), NULL);
    call(l, "index 4 in 5..6:", "index", T3(I(4), I(5), I(6)), NULL);
    call(l, "index 99:", "index", T1(I(99)), NULL);
    call(l, "l[-1]:", "__getitem__", T1(I(-1)), NULL);
    call(l, "l[12]:", "__getitem__", T1(I(12)), NULL);
    call(l, "l[-13]:", "__getitem__", T1(I(-13)), NULL);
    call(l, "l[a]:", "__getitem__", T1(S("a")), NULL);
    call(l, "l[12] = 0:", "__setitem__", T2(I(12), I(0)), NULL);
    call(l, "del l[12]:", "__delitem__", T1(I(12)), NULL);
    call(l, "pop 12:", "pop", T1(I(12)), NULL);
    call(l, "pop:", "pop", NULL, NULL);
    call(l, "pop 0:", "pop", T1(I(0)), NULL);
    call(l, "pop -2:", "pop", T1(I(-2)), NULL);
    call(l, "remove 3:", "remove", T1(I(3)), NULL);
    call(l, "remove 99:", "remove", T1(I(99)), NULL);
    call(l, "extend 5:", "extend", T1(I(5)), NULL);
    if ((rc = print_str("l:", l, 1)) < 0 ||
        (rc = run_method(l, "reverse", NULL, NULL)) < 0 ||
        (rc = print_str("reversed:", l, 0)) < 0 ||
        (rc = run_method(l, "sort", NULL, NULL)) < 0 ||
        (rc = print_str("sorted:", l, 0)) < 0 ||
        (rc = run_method(l, "sort", NULL, sort_kw(1))) < 0 ||
        (rc = print_str("sorted reverse:", l, 0)) < 0)
        return rc;
    init = mpr_obj_list_of_steal(6, mpr_obj_float(1.0), I(0), mpr_obj_bool(1),
                                 I(1), mpr_obj_bool(0), mpr_obj_float(0.0));
    rc = mpr_manager_list(m, init, &e);
    mpr_obj_decref(init);
    if (rc < 0 || (rc = run_method(e, "sort", NULL, NULL)) < 0 ||
        (rc = print_str("stable:", e, 0)) < 0 ||
        (rc = run_method(e, "sort", NULL, sort_kw(1))) < 0 ||
        (rc = print_str("stable reverse:", e, 0)) < 0 ||
        (rc = run_method(e, "append", T1(S("x")), NULL)) < 0)
        return rc;
    call(e, "sort mixed:", "sort", NULL, NULL);
    if ((rc = mpr_proxy_len(e)) < 0)
        return rc;
    printf("after failed sort: %d\n", rc);
    if ((rc = mpr_manager_list(m, NULL, &empty)) < 0)
        return rc;
    call(empty, "pop empty:", "pop", NULL, NULL);
    call(empty, "empty[0]:", "__getitem__", T1(I(0)), NULL);
    if ((rc = mpr_proxy_repr(l, &r, NULL)) < 0)
        return rc;
    printf("repr: %s\n", r);
    mpr_free(r);
    if ((po.args = cargs = T1(mpr_obj_handle(MPR_HANDLE_PROXY, l))) == NULL)
        return mpr_last_error();
    if ((rc = mpr_process_new(&p, &po)) < 0 ||
        (rc = mpr_process_start(p)) < 0 ||
        (rc = mpr_process_join(p, MPR_TIMEOUT_NONE)) < 0)
        return rc;
    mpr_process_exitcode(p, &code);
    printf("child exitcode: %d\n", code);
    mpr_process_free(p);
    mpr_obj_decref(cargs);
    if ((rc = print_str("after child:", l, 1)) < 0)
        return rc;
    mpr_proxy_free(e);
    mpr_proxy_free(empty);
    mpr_proxy_free(l);
    return 0;
}

int main(int argc, char **argv)
{
    return case_main_with_manager(argc, argv, run);
}
