/*
 * manager/tcp-loopback: a SyncManager on ('127.0.0.1', 0) with authkey
 * b'secret'; four worker processes write through dict and list proxies
 * that talk TCP to it, and an intruder process with authkey b'wrong' fails
 * connect() with AuthenticationError.  The proxies go in the workers'
 * args as values, as in the Python.
 */
#include <mpr.h>

#include "support.h"

#include <stdio.h>
#include <string.h>

static mpr_proxy_t *d, *l;

static int worker(mpr_obj_t *args, mpr_obj_t *kwargs)
{
    mpr_obj_t *i = mpr_obj_item(args, 2), *sq, *t;
    int64_t n = mpr_obj_int_value(i);
    int rc = 0;

    (void)kwargs;
    if ((rc = case_proxy_of(mpr_obj_item(args, 0), &d)) < 0 ||
        (rc = case_proxy_of(mpr_obj_item(args, 1), &l)) < 0)
        return rc;
    sq = mpr_obj_int(n * n);
    rc = mpr_proxy_setitem(d, i, sq);
    mpr_obj_decref(sq);
    if (rc == 0 && (t = mpr_obj_tuple(1, i)) != NULL) {
        rc = mpr_proxy_callmethod(l, "append", t, NULL, NULL);
        mpr_obj_decref(t);
    }
    return rc;
}
MPR_TARGET(worker)

static int intruder(mpr_obj_t *args, mpr_obj_t *kwargs)
{
    mpr_obj_t *addr = mpr_obj_item(args, 0);
    mpr_manager_options_t o = {
        .host = mpr_obj_str_utf8(mpr_obj_item(addr, 0), NULL),
        .port = (int)mpr_obj_int_value(mpr_obj_item(addr, 1)),
        .authkey = "wrong",
        .authkey_len = 5};
    mpr_manager_t *m;
    const char *cls;
    int rc;

    (void)kwargs;
    if ((rc = mpr_manager_new(&m, &o)) < 0)
        return rc;
    if ((rc = mpr_manager_connect(m)) == 0) {
        printf("intruder connected\n");
    } else {
        cls = strrchr(mpr_err_pytype(rc), '.');
        printf("intruder: %s %s\n", cls ? cls + 1 : mpr_err_pytype(rc),
               mpr_last_error_detail());
    }
    mpr_manager_free(m);
    return 0;
}
MPR_TARGET(intruder)

static int start_join(mpr_target_t fn, mpr_obj_t *args, mpr_process_t **out)
{
    mpr_process_options_t o = {.target = fn, .args = args};
    int rc;

    if ((rc = mpr_process_new(out, &o)) < 0)
        return rc;
    return mpr_process_start(*out);
}

static int print_proxy(const char *label, mpr_proxy_t *p, const char *tail)
{
    char *s;
    int rc;

    if ((rc = mpr_proxy_str(p, &s, NULL)) < 0)
        return rc;
    printf("%s %s%s\n", label, s, tail);
    mpr_free(s);
    return 0;
}

static int run(mpr_manager_t *m)
{
    mpr_process_t *ps[4] = {NULL}, *p = NULL;
    mpr_obj_t *addr = NULL, *init = mpr_obj_dict();
    int rc, code[5];
    char tail[32];

    for (int i = 0; init && i < 4; i++)
        mpr_obj_dict_set_steal(init, mpr_obj_int(i), mpr_obj_none());
    if ((rc = mpr_manager_address(m, &addr)) < 0)
        goto done;
    printf("address: %s int %s\n",
           mpr_obj_str_utf8(mpr_obj_item(addr, 0), NULL),
           case_bool(mpr_obj_int_value(mpr_obj_item(addr, 1)) > 0));
    if ((rc = mpr_manager_dict(m, init, &d)) < 0 ||
        (rc = mpr_manager_list(m, NULL, &l)) < 0)
        goto done;
    for (int i = 0; i < 4; i++) {
        mpr_obj_t *args = mpr_obj_tuple_steal(
            3, mpr_obj_handle(MPR_HANDLE_PROXY, d),
            mpr_obj_handle(MPR_HANDLE_PROXY, l), mpr_obj_int(i));
        rc = args != NULL ? start_join(worker, args, &ps[i]) : mpr_last_error();
        mpr_obj_decref(args);
        if (rc < 0)
            goto done;
    }
    for (int i = 0; i < 4; i++)
        if ((rc = mpr_process_join(ps[i], MPR_TIMEOUT_NONE)) < 0)
            goto done;
    {
        mpr_obj_t *args = mpr_obj_tuple(1, addr);
        rc = start_join(intruder, args, &p);
        mpr_obj_decref(args);
    }
    if (rc < 0 || (rc = mpr_process_join(p, MPR_TIMEOUT_NONE)) < 0)
        goto done;
    for (int i = 0; i < 4; i++)
        mpr_process_exitcode(ps[i], &code[i]);
    mpr_process_exitcode(p, &code[4]);
    printf("exitcodes: [%d, %d, %d, %d] %d\n", code[0], code[1], code[2],
           code[3], code[4]);
    if ((rc = print_proxy("d:", d, "")) < 0 ||
        (rc = mpr_proxy_callmethod(l, "sort", NULL, NULL, NULL)) < 0)
        goto done;
    snprintf(tail, sizeof(tail), " %d", mpr_proxy_len(l));
    rc = print_proxy("l:", l, tail);
done:
    for (int i = 0; i < 4; i++)
        mpr_process_free(ps[i]);
    mpr_process_free(p);
    mpr_obj_decref(addr);
    mpr_obj_decref(init);
    mpr_proxy_free(d);
    mpr_proxy_free(l);
    return rc;
}

int main(int argc, char **argv)
{
    mpr_manager_options_t o = {
        .host = "127.0.0.1", .port = 0, .authkey = "secret", .authkey_len = 6};
    mpr_manager_t *m = NULL;
    int rc;

    if ((rc = mpr_main(argc, argv)) == 0 &&
        (rc = mpr_manager_new(&m, &o)) == 0 &&
        (rc = mpr_manager_enter(m)) == 0) {
        rc = run(m);
        mpr_manager_exit(m);
    }
    mpr_manager_free(m);
    return rc < 0 ? case_fail(rc) : 0;
}
