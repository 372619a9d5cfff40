/*
 * manager/dict-proxy-contract: a DictProxy's methods (get, keys, values,
 * items, copy, update, pop, popitem, setdefault, clear, len, in), the
 * server's KeyError / TypeError / ValueError coming back with their class
 * and message, str() and repr(); a child gets the proxy in its args (a
 * value, as in the Python), writes through it, and ends with the uncaught
 * KeyError of d['missing'].
 */
#include <mpr.h>

#include "support.h"

#include <stdio.h>
#include <string.h>

static mpr_proxy_t *d;

/* case_show(what, lambda: d.method(*args, **kwds)); args and kwds are stolen.
 */
static void call(const char *what, const char *method, mpr_obj_t *args,
                 mpr_obj_t *kwds)
{
    mpr_obj_t *out = NULL;
    int rc = mpr_proxy_callmethod(d, method, args, kwds, &out);

    case_show(what, rc, out);
    mpr_obj_decref(args);
    mpr_obj_decref(kwds);
}

#define S(s)     mpr_obj_str(s)
#define I(v)     mpr_obj_int(v)
#define T1(a)    mpr_obj_tuple_steal(1, a)
#define T2(a, b) mpr_obj_tuple_steal(2, a, b)

/* print(label, d) */
static int print_str(const char *label, const char *tail)
{
    char *s;
    int rc;

    if ((rc = mpr_proxy_str(d, &s, NULL)) < 0)
        return rc;
    printf("%s %s%s\n", label, s, tail);
    mpr_free(s);
    return 0;
}

static int child(mpr_obj_t *args, mpr_obj_t *kwargs)
{
    mpr_obj_t *kw = mpr_obj_dict(), *src = mpr_obj_dict(), *k, *v = NULL;
    int rc;

    (void)kwargs;
    if ((rc = case_proxy_of(mpr_obj_item(args, 0), &d)) < 0)
        return rc;
    if ((rc = print_str("child sees:", "")) < 0)
        return rc;
    mpr_obj_dict_set_steal(src, S("c"), I(3));
    mpr_obj_dict_set_steal(kw, S("d"), I(4));
    src = T1(src);
    rc = mpr_proxy_callmethod(d, "update", src, kw, NULL);
    mpr_obj_decref(src);
    mpr_obj_decref(kw);
    if (rc < 0)
        return rc;
    call("child setdefault a:", "setdefault", T2(S("a"), I(100)), NULL);
    call("child setdefault e:", "setdefault", T2(S("e"), I(5)), NULL);
    call("child setdefault f:", "setdefault", T1(S("f")), NULL);
    call("child pop c:", "pop", T1(S("c")), NULL);
    call("child pop zz default:", "pop", T2(S("zz"), S("dflt")), NULL);
    call("child pop zz:", "pop", T1(S("zz")), NULL);
    printf("child done\n");
    k = S("missing");
    rc = mpr_proxy_getitem(d, k, &v); /* uncaught: the child's exception */
    mpr_obj_decref(k);
    mpr_obj_decref(v);
    return rc;
}
MPR_TARGET(child)

static int run(mpr_manager_t *m)
{
    mpr_process_options_t po = {.target = child};
    mpr_obj_t *init = mpr_obj_dict(), *k12, *tmp, *v, *kw, *cargs = NULL;
    mpr_process_t *p = NULL;
    char *r;
    int rc, code;

    mpr_obj_dict_set_steal(init, S("a"), I(1));
    rc = mpr_manager_dict(m, init, &d);
    mpr_obj_decref(init);
    if (rc < 0)
        return rc;
    k12 = T2(I(1), I(2));
    tmp = S("b");
    v = I(2);
    rc = mpr_proxy_setitem(d, tmp, v);
    mpr_obj_decref(tmp);
    mpr_obj_decref(v);
    tmp = mpr_obj_list_of_steal(1, I(3));
    if (rc == 0)
        rc = mpr_proxy_setitem(d, k12, tmp);
    mpr_obj_decref(tmp);
    if (rc < 0)
        return rc;
    {
        mpr_obj_t *a = S("a"), *z = S("z");
        int len = mpr_proxy_len(d), ina = mpr_proxy_contains(d, a),
            inz = mpr_proxy_contains(d, z), ink = mpr_proxy_contains(d, k12);
        mpr_obj_decref(a);
        mpr_obj_decref(z);
        if (len < 0 || ina < 0 || inz < 0 || ink < 0)
            return len < 0 ? len : ina < 0 ? ina : inz < 0 ? inz : ink;
        printf("%s %d %s %s %s\n", mpr_proxy_type_name(d), len, case_bool(ina),
               case_bool(inz), case_bool(ink));
    }
    call("get a:", "get", T1(S("a")), NULL);
    call("get z:", "get", T1(S("z")), NULL);
    call("get z 0:", "get", T2(S("z"), I(0)), NULL);
    call("keys:", "keys", NULL, NULL);
    call("values:", "values", NULL, NULL);
    call("items:", "items", NULL, NULL);
    call("copy:", "copy", NULL, NULL);
    call("d[z]:", "__getitem__", T1(S("z")), NULL);
    call("d[(0, 1)]:", "__getitem__", T1(T2(I(0), I(1))), NULL);
    call("d[[1]]:", "__getitem__", T1(mpr_obj_list_of_steal(1, I(1))), NULL);
    call("del d[z]:", "__delitem__", T1(S("z")), NULL);
    call("update [1]:", "update", T1(mpr_obj_list_of_steal(1, I(1))), NULL);
    call("update [(1, 2, 3)]:", "update",
         T1(mpr_obj_list_of_steal(1, mpr_obj_tuple_steal(3, I(1), I(2), I(3)))),
         NULL);
    call("update 5:", "update", T1(I(5)), NULL);
    kw = mpr_obj_dict();
    mpr_obj_dict_set_steal(kw, S("y"), I(2));
    call("update pairs:", "update",
         T1(mpr_obj_list_of_steal(1, T2(S("x"), I(1)))), kw);
    if ((rc = print_str("str:", "")) < 0)
        return rc;
    if ((rc = mpr_proxy_repr(d, &r, NULL)) < 0)
        return rc;
    printf("repr: %s\n", r);
    mpr_free(r);
    rc = mpr_proxy_delitem(d, k12);
    mpr_obj_decref(k12);
    if (rc < 0)
        return rc;
    if ((po.args = cargs = T1(mpr_obj_handle(MPR_HANDLE_PROXY, d))) == NULL)
        return mpr_last_error();
    if ((rc = mpr_process_new(&p, &po)) < 0 ||
        (rc = mpr_process_start(p)) < 0 ||
        (rc = mpr_process_join(p, MPR_TIMEOUT_NONE)) < 0)
        return rc;
    mpr_process_exitcode(p, &code);
    printf("child exitcode: %d\n", code);
    mpr_process_free(p);
    mpr_obj_decref(cargs);
    {
        char tail[32];
        int len = mpr_proxy_len(d);
        if (len < 0)
            return len;
        snprintf(tail, sizeof(tail), " %d", len);
        if ((rc = print_str("after child:", tail)) < 0)
            return rc;
    }
    call("popitem:", "popitem", NULL, NULL);
    if ((rc = mpr_proxy_callmethod(d, "clear", NULL, NULL, NULL)) < 0)
        return rc;
    rc = mpr_proxy_len(d);
    case_show("len after clear:", rc, rc < 0 ? NULL : I(rc));
    call("popitem empty:", "popitem", NULL, NULL);
    if ((rc = print_str("str empty:", "")) < 0)
        return rc;
    mpr_proxy_free(d);
    return 0;
}

int main(int argc, char **argv)
{
    return case_main_with_manager(argc, argv, run);
}
