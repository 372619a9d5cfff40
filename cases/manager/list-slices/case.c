/*
 * manager/list-slices: a ListProxy takes slices in getitem, setitem and
 * delitem with the list's own errors, + and * give plain lists, += and
 * *= change the list in the server and keep the proxy, and a child slices
 * the same list (the proxy in its args as a value, as in the Python).
 * A slice travels as CPython pickles one (mpr_obj_slice).
 */
#include <mpr.h>

#include "support.h"

#include <stdio.h>
#include <string.h>

/* slice(a, b, c) from ints, NONE standing for None */
#define NONE INT64_MIN
static mpr_obj_t *sl(int64_t a, int64_t b, int64_t c)
{
    mpr_obj_t *v[3] = {NULL, NULL, NULL}, *s;
    int64_t x[3] = {a, b, c};

    for (int i = 0; i < 3; i++)
        v[i] = x[i] == NONE ? mpr_obj_none() : mpr_obj_int(x[i]);
    s = mpr_obj_slice(v[0], v[1], v[2]);
    for (int i = 0; i < 3; i++)
        mpr_obj_decref(v[i]);
    return s;
}

/* show(what, lambda: l.method(*args)): "what TYPE repr" or "what CLASS
 * message".  args stolen. */
static void show(const char *what, mpr_proxy_t *l, const char *method,
                 mpr_obj_t *args)
{
    mpr_obj_t *out = NULL;
    int rc = args ? mpr_proxy_callmethod(l, method, args, NULL, &out)
                  : mpr_last_error();
    char *r;

    mpr_obj_decref(args);
    if (rc < 0) {
        const char *cls = strrchr(mpr_err_pytype(rc), '.');
        printf("%s %s %s\n", what, cls ? cls + 1 : mpr_err_pytype(rc),
               mpr_last_error_detail());
        return;
    }
    if (out == NULL)
        out = mpr_obj_none();
    if (mpr_obj_repr(out, &r, NULL) == 0) {
        printf("%s %s %s\n", what, mpr_obj_type_name(out), r);
        mpr_free(r);
    }
    mpr_obj_decref(out);
}

static mpr_obj_t *strs(int n, const char *const *s)
{
    mpr_obj_t *l = mpr_obj_list();

    for (int i = 0; l != NULL && i < n; i++)
        if (mpr_obj_list_append_steal(l, mpr_obj_str(s[i])) < 0) {
            mpr_obj_decref(l);
            return NULL;
        }
    return l;
}

/* l.method(*args) for its effect; args stolen. */
static int call(mpr_proxy_t *l, const char *method, mpr_obj_t *args)
{
    int rc = args ? mpr_proxy_callmethod(l, method, args, NULL, NULL)
                  : mpr_last_error();

    mpr_obj_decref(args);
    return rc;
}

static int child(mpr_obj_t *args, mpr_obj_t *kwargs)
{
    static const char *const c[] = {"c"};
    mpr_proxy_t *l;
    int rc;

    (void)kwargs;
    if ((rc = case_proxy_of(mpr_obj_item(args, 0), &l)) < 0)
        return rc;
    show("child l[2:5]:", l, "__getitem__",
         mpr_obj_tuple_steal(1, sl(2, 5, NONE)));
    /* l[:2] = ['c']; del l[-1:] */
    if ((rc = call(l, "__setitem__",
                   mpr_obj_tuple_steal(2, sl(NONE, 2, NONE), strs(1, c)))) < 0)
        return rc;
    return call(l, "__delitem__", mpr_obj_tuple_steal(1, sl(-1, NONE, NONE)));
}
MPR_TARGET(child)

static int run(mpr_manager_t *m)
{
    static const char *const abc[] = {"a", "b", "c"}, *const xyz[] = {"x", "y",
                                                                      "z"};
    static const char *const end[] = {"end"};
    mpr_obj_t *range = case_range_list(0, 10), *zero = mpr_obj_int(0);
    mpr_proxy_t *l = NULL, *l2;
    mpr_process_t *p = NULL;
    int rc;

    if ((rc = mpr_manager_list(m, range, &l)) < 0)
        goto done;
#define GET(what, s) show(what, l, "__getitem__", mpr_obj_tuple_steal(1, s))
#define SET(what, s, v)                                                        \
    show(what, l, "__setitem__", mpr_obj_tuple_steal(2, s, v))
    GET("l[1:3]:", sl(1, 3, NONE));
    GET("l[::-1]:", sl(NONE, NONE, -1));
    GET("l[-3:]:", sl(-3, NONE, NONE));
    GET("l[8:100]:", sl(8, 100, NONE));
    GET("l[5:2]:", sl(5, 2, NONE));
    GET("l[::0]:", sl(NONE, NONE, 0));
    {
        mpr_obj_t *one = mpr_obj_int(1), *a = mpr_obj_str("a");
        GET("l[1:a]:", mpr_obj_slice(one, a, NULL));
        mpr_obj_decref(one);
        mpr_obj_decref(a);
    }
    SET("l[1:3] = [a, b, c]:", sl(1, 3, NONE), strs(3, abc));
    printf("l: %s %d\n", case_str(l), mpr_proxy_len(l));
    SET("l[::2] = [0]:", sl(NONE, NONE, 2), mpr_obj_list_of(1, zero));
    SET("l[::5] = [x, y, z]:", sl(NONE, NONE, 5), strs(3, xyz));
    SET("l[::5] = [x, y]:", sl(NONE, NONE, 5), strs(2, xyz));
    SET("l[1:2] = 5:", sl(1, 2, NONE), mpr_obj_int(5));
    show("del l[::2]:", l, "__delitem__",
         mpr_obj_tuple_steal(1, sl(NONE, NONE, 2)));
    printf("l: %s %d\n", case_str(l), mpr_proxy_len(l));
    show("l + [0]:", l, "__add__",
         mpr_obj_tuple_steal(1, mpr_obj_list_of(1, zero)));
    show("l * 2:", l, "__mul__", mpr_obj_tuple_steal(1, mpr_obj_int(2)));
    show("l + (0,):", l, "__add__",
         mpr_obj_tuple_steal(1, mpr_obj_tuple(1, zero)));
    /* l2 = l; l += ['end'] (ListProxy.__iadd__: extend); l *= 2 */
    l2 = l;
    if ((rc = call(l, "extend", mpr_obj_tuple_steal(1, strs(1, end)))) < 0 ||
        (rc = call(l, "__imul__", mpr_obj_tuple_steal(1, mpr_obj_int(2)))) < 0)
        goto done;
    printf("l is l2: %s %s %d\n", case_bool(l == l2), mpr_proxy_type_name(l),
           mpr_proxy_len(l));
    if ((rc = case_start(&p, child,
                         mpr_obj_tuple_steal(
                             1, mpr_obj_handle(MPR_HANDLE_PROXY, l)))) < 0 ||
        (rc = mpr_process_join(p, MPR_TIMEOUT_NONE)) < 0)
        goto done;
    {
        int code = -1;
        mpr_process_exitcode(p, &code);
        printf("child exitcode: %d\n", code);
    }
    printf("l: %s\n", case_str(l));
done:
    mpr_process_free(p);
    mpr_proxy_free(l);
    mpr_obj_decref(zero);
    mpr_obj_decref(range);
    return rc;
}

int main(int argc, char **argv)
{
    return case_main_with_manager(argc, argv, run);
}
