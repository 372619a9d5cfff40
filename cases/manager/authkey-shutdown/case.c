/*
 * manager/authkey-shutdown: a second manager object connecting to the
 * server's Unix socket with a wrong, empty or default authkey gets
 * AuthenticationError 'digest sent was rejected' (in the parent and in a
 * child), the right key connects and creates objects there; after
 * shutdown() proxies fail with BrokenPipeError, str() shows the
 * "'__str__()' failed" form, creating through the shut manager is
 * AssertionError 'server not yet started', through the connected one
 * FileNotFoundError, and shutdown() again does nothing.
 */
#include <mpr.h>

#include "support.h"

#include <stdio.h>
#include <string.h>

#define S(s) mpr_obj_str(s)
#define I(v) mpr_obj_int(v)

/* connect(address, key): a connected manager in *out; key NULL is
 * authkey=None. */
static int connect_to(const char *path, const char *key, mpr_manager_t **out)
{
    mpr_manager_options_t o = {
        .path = path, .authkey = key, .authkey_len = key ? strlen(key) : 0};
    int rc;

    *out = NULL;
    if ((rc = mpr_manager_new(out, &o)) < 0)
        return rc;
    if ((rc = mpr_manager_connect(*out)) < 0) {
        mpr_manager_free(*out);
        *out = NULL;
    }
    return rc;
}

/* case_show(what, lambda: connect(address, key) and 'connected') */
static void try_key(const char *what, const char *path, const char *key)
{
    mpr_manager_t *m;
    int rc = connect_to(path, key, &m);

    case_show(what, rc, rc < 0 ? NULL : S("connected"));
    mpr_manager_free(m);
}

static int print_str(const char *label, mpr_proxy_t *p, const char *tail)
{
    char *s;
    int rc;

    if ((rc = mpr_proxy_str(p, &s, NULL)) < 0)
        return rc;
    printf("%s %s%s\n", label, s, tail ? tail : "");
    mpr_free(s);
    return 0;
}

static mpr_proxy_t *d;

static int child(mpr_obj_t *args, mpr_obj_t *kwargs)
{
    const char *path = mpr_obj_str_utf8(mpr_obj_item(args, 0), NULL);
    mpr_obj_t *init, *v = NULL, *k, *zero;
    mpr_manager_t *m;
    mpr_proxy_t *l = NULL;
    char *ls, *ds;
    int rc;

    (void)kwargs;
    if ((rc = case_proxy_of(mpr_obj_item(args, 1), &d)) < 0)
        return rc;
    try_key("child wrong key:", path, "wrong");
    try_key("child default key:", path, NULL);
    if ((rc = connect_to(path, "secret", &m)) < 0)
        return rc;
    init = mpr_obj_list_of_steal(1, S("from child"));
    rc = mpr_manager_list(m, init, &l);
    mpr_obj_decref(init);
    zero = I(0);
    if (rc == 0)
        rc = mpr_proxy_getitem(l, zero, &v);
    mpr_obj_decref(zero);
    k = S("child");
    if (rc == 0)
        rc = mpr_proxy_setitem(d, k, v);
    mpr_obj_decref(k);
    mpr_obj_decref(v);
    if (rc == 0 && (rc = mpr_proxy_str(l, &ls, NULL)) == 0) {
        if ((rc = mpr_proxy_str(d, &ds, NULL)) == 0) {
            printf("child connected: %s %s\n", ls, ds);
            mpr_free(ds);
        }
        mpr_free(ls);
    }
    mpr_proxy_free(l);
    mpr_manager_free(m);
    return rc;
}
MPR_TARGET(child)

static int run(mpr_manager_t *m, const char *path)
{
    mpr_process_options_t po = {.target = child};
    mpr_obj_t *init, *cargs = NULL, *out = NULL, *k;
    mpr_proxy_t *d2 = NULL, *extra = NULL;
    mpr_manager_t *m2 = NULL;
    mpr_process_t *p = NULL;
    char tail[64];
    int rc, code;

    init = mpr_obj_dict();
    mpr_obj_dict_set_steal(init, S("a"), I(1));
    rc = mpr_manager_dict(m, init, &d);
    mpr_obj_decref(init);
    if (rc < 0)
        return rc;
    if ((rc = print_str("d:", d, NULL)) < 0)
        return rc;
    try_key("wrong key:", path, "wrong");
    try_key("empty key:", path, "");
    try_key("default key:", path, NULL);
    if ((rc = connect_to(path, "secret", &m2)) < 0)
        return rc;
    init = mpr_obj_dict();
    mpr_obj_dict_set_steal(init, S("b"), I(2));
    rc = mpr_manager_dict(m2, init, &d2);
    mpr_obj_decref(init);
    snprintf(tail, sizeof(tail), " %s", d2 ? mpr_proxy_type_name(d2) : "");
    if (rc < 0 || (rc = print_str("second manager:", d2, tail)) < 0)
        return rc;
    po.args = cargs =
        mpr_obj_tuple_steal(2, S(path), mpr_obj_handle(MPR_HANDLE_PROXY, d));
    if (cargs == NULL)
        return mpr_last_error();
    if ((rc = mpr_process_new(&p, &po)) < 0 ||
        (rc = mpr_process_start(p)) < 0 ||
        (rc = mpr_process_join(p, MPR_TIMEOUT_NONE)) < 0)
        return rc;
    mpr_process_exitcode(p, &code);
    printf("child exitcode: %d\n", code);
    mpr_process_free(p);
    mpr_obj_decref(cargs);
    if ((rc = print_str("d after child:", d, NULL)) < 0 ||
        (rc = mpr_manager_shutdown(m)) < 0)
        return rc;
    k = S("a");
    rc = mpr_proxy_getitem(d, k, &out);
    case_show("d[a]:", rc, out);
    out = NULL;
    rc = mpr_proxy_getitem(d, k, &out);
    case_show("d[a] again:", rc, out);
    mpr_obj_decref(k);
    if ((rc = print_str("str(d2):", d2, NULL)) < 0)
        return rc;
    rc = mpr_manager_dict(m, NULL, &extra);
    case_show("m.dict():", rc, rc < 0 ? NULL : S("a proxy"));
    mpr_proxy_free(extra);
    extra = NULL;
    rc = mpr_manager_dict(m2, NULL, &extra);
    case_show("m2.dict():", rc, rc < 0 ? NULL : S("a proxy"));
    mpr_proxy_free(extra);
    rc = mpr_manager_shutdown(m);
    case_show("m.shutdown():", rc, NULL);
    mpr_proxy_free(d2);
    mpr_proxy_free(d);
    mpr_manager_free(m2);
    return 0;
}

int main(int argc, char **argv)
{
    mpr_manager_options_t o = {.authkey = "secret", .authkey_len = 6};
    mpr_manager_t *m = NULL;
    mpr_obj_t *addr = NULL;
    int rc;

    if ((rc = mpr_main(argc, argv)) == 0 &&
        (rc = mpr_manager_new(&m, &o)) == 0 &&
        (rc = mpr_manager_start(m)) == 0 &&
        (rc = mpr_manager_address(m, &addr)) == 0)
        rc = run(m, mpr_obj_str_utf8(addr, NULL));
    mpr_obj_decref(addr);
    mpr_manager_free(m);
    return rc < 0 ? case_fail(rc) : 0;
}
