/*
 * process/process-contracts: the main process's attributes; a Process with
 * args, kwargs and a name before start, running and after join, the child
 * reporting what it got; args as a list or a tuple; join(0)/join(-1) on a
 * live child; terminate()/kill() exit codes and active_children().
 */
#include <mpr.h>

#include "support.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>

static mpr_queue_t *q;

static const char *tf(int v)
{
    return v ? "True" : "False";
}

static int put_steal(mpr_obj_t *o)
{
    int rc = o ? mpr_queue_put(q, o, 1, MPR_TIMEOUT_NONE) : mpr_last_error();

    mpr_obj_decref(o);
    return rc;
}

static int child(mpr_obj_t *args, mpr_obj_t *kwargs)
{
    mpr_process_t *cur = mpr_current_process();
    size_t n = mpr_obj_len(args), len;
    const unsigned char *key = mpr_process_authkey(cur, &len);
    pid_t pid;
    int rc = case_queue_of(mpr_obj_item(args, 0), &q);

    if (rc < 0)
        return rc;
    mpr_obj_t *rest = mpr_obj_tuple_new(n - 1);
    for (size_t i = 1; rest && i < n; i++)
        mpr_obj_tuple_set_steal(rest, i - 1,
                                mpr_obj_incref(mpr_obj_item(args, i)));
    mpr_process_pid(cur, &pid);
    if ((rc = put_steal(rest)) < 0 ||
        (rc = put_steal(mpr_obj_incref(kwargs))) < 0 ||
        (rc = put_steal(mpr_obj_str(mpr_process_name(cur)))) < 0 ||
        (rc = put_steal(mpr_obj_bytes(key, len))) < 0 ||
        (rc = put_steal(mpr_obj_int(pid))) < 0)
        return rc;
    return 0;
}
MPR_TARGET(child)

static int put_arg(mpr_obj_t *args, mpr_obj_t *kwargs)
{
    int rc = case_queue_of(mpr_obj_item(args, 0), &q);

    (void)kwargs;
    if (rc < 0)
        return rc;
    return put_steal(mpr_obj_incref(mpr_obj_item(args, 1)));
}
MPR_TARGET(put_arg)

static int sleep_some(mpr_obj_t *args, mpr_obj_t *kwargs)
{
    (void)args;
    (void)kwargs;
    return mpr_sleep(100);
}
MPR_TARGET(sleep_some)

static int in_active(mpr_process_t *p)
{
    mpr_process_t **list;
    int n = mpr_active_children(&list), found = 0;

    for (int i = 0; i < n; i++)
        found |= list[i] == p;
    if (n >= 0)
        mpr_free(list);
    return found;
}

static const char *exitcode(mpr_process_t *p, char *buf, size_t size)
{
    int c;

    if (mpr_process_exitcode(p, &c) != 1)
        return "None";
    snprintf(buf, size, "%d", c);
    return buf;
}

/* print(what, q.get()): a str as it is, anything else as its repr */
static int print_get(const char *what)
{
    mpr_obj_t *o;
    char *r;
    int rc = mpr_queue_get(q, &o, 1, MPR_TIMEOUT_NONE);

    if (rc < 0)
        return rc;
    if (mpr_obj_type(o) == MPR_OBJ_STR) {
        printf("%s %s\n", what, mpr_obj_str_utf8(o, NULL));
    } else if ((rc = mpr_obj_repr(o, &r, NULL)) == 0) {
        printf("%s %s\n", what, r);
        mpr_free(r);
    }
    mpr_obj_decref(o);
    return rc;
}

static int kill_process(const char *meth)
{
    mpr_process_options_t o = {.target = sleep_some, .daemon = MPR_TRUE};
    mpr_process_t *p;
    char b[16];
    int rc;

    if ((rc = mpr_process_new(&p, &o)) < 0 || (rc = mpr_process_start(p)) < 0)
        return rc;
    printf("%s running: is_alive %s in active_children %s exitcode %s\n", meth,
           tf(mpr_process_is_alive(p) == 1), tf(in_active(p)),
           exitcode(p, b, sizeof b));
    double t = mpr_monotonic();
    rc = mpr_process_join(p, 0);
    double d0 = mpr_monotonic() - t;
    printf("%s join(0): %s is_alive %s\n", meth, rc >= 0 ? "None" : "error",
           tf(mpr_process_is_alive(p) == 1));
    t = mpr_monotonic();
    rc = mpr_process_join(p, -1);
    double d1 = mpr_monotonic() - t;
    printf("%s join(-1): %s is_alive %s\n", meth, rc >= 0 ? "None" : "error",
           tf(mpr_process_is_alive(p) == 1));
    printf("%s join(0) and join(-1) took %.3f %.3f s\n", meth, d0, d1);
    mpr_sleep(1);
    rc = strcmp(meth, "kill") == 0 ? mpr_process_kill(p)
                                   : mpr_process_terminate(p);
    if (rc < 0)
        return rc;
    rc = mpr_process_join(p, MPR_TIMEOUT_NONE);
    printf("%s then join(): %s\n", meth, rc >= 0 ? "None" : "error");
    printf("%s ended: is_alive %s in active_children %s exitcode %s\n", meth,
           tf(mpr_process_is_alive(p) == 1), tf(in_active(p)),
           exitcode(p, b, sizeof b));
    mpr_process_free(p);
    return 0;
}

int main(int argc, char **argv)
{
    mpr_process_t *cur, *p;
    const unsigned char *key, *pkey;
    size_t klen, plen;
    mpr_obj_t *o;
    pid_t ident, pid;
    char b[16];
    int rc;

    if ((rc = mpr_main(argc, argv)) < 0)
        return case_fail(rc);
    cur = mpr_current_process();
    key = mpr_process_authkey(cur, &klen);
    printf("current: is_alive %s daemon %s exitcode %s\n",
           tf(mpr_process_is_alive(cur) == 1), tf(mpr_process_daemon(cur)),
           exitcode(cur, b, sizeof b));
    mpr_process_ident(cur, &ident);
    printf("current: ident == os.getpid() %s authkey bytes %s non-empty %s\n",
           tf(ident == getpid()), tf(key != NULL), tf(klen > 0));

    if ((rc = mpr_queue_new(&q, 1)) < 0)
        return case_fail(rc);
    mpr_obj_t *args = mpr_obj_tuple_steal(
        3, mpr_obj_handle(MPR_HANDLE_QUEUE, q), mpr_obj_int(1), mpr_obj_int(2));
    mpr_obj_t *kwargs = mpr_obj_dict();
    if (!args || !kwargs ||
        mpr_obj_dict_set_steal(kwargs, mpr_obj_str("hello"), mpr_obj_int(23)) <
            0 ||
        mpr_obj_dict_set_steal(kwargs, mpr_obj_str("bye"),
                               mpr_obj_float(2.54)) < 0)
        return case_fail(mpr_last_error());
    mpr_process_options_t po = {
        .target = child, .args = args, .kwargs = kwargs, .name = "SomeProcess"};
    if ((rc = mpr_process_new(&p, &po)) < 0 ||
        (rc = mpr_process_set_daemon(p, 1)) < 0)
        return case_fail(rc);
    pkey = mpr_process_authkey(p, &plen);
    mpr_process_t **list;
    int nactive = mpr_active_children(&list);
    if (nactive >= 0)
        mpr_free(list);
    printf("before start: authkey same %s is_alive %s daemon %s "
           "in active_children %s active_children is list %s exitcode %s\n",
           tf(plen == klen && memcmp(pkey, key, klen) == 0),
           tf(mpr_process_is_alive(p) == 1), tf(mpr_process_daemon(p)),
           tf(in_active(p)), tf(nactive >= 0), exitcode(p, b, sizeof b));
    if ((rc = mpr_process_start(p)) < 0)
        return case_fail(rc);
    printf("running: exitcode %s is_alive %s in active_children %s\n",
           exitcode(p, b, sizeof b), tf(mpr_process_is_alive(p) == 1),
           tf(in_active(p)));
    if ((rc = print_get("child args:")) < 0 ||
        (rc = print_get("child kwargs:")) < 0 ||
        (rc = print_get("child name:")) < 0)
        return case_fail(rc);
    if ((rc = mpr_queue_get(q, &o, 1, MPR_TIMEOUT_NONE)) < 0)
        return case_fail(rc);
    size_t glen;
    const unsigned char *got = mpr_obj_bytes_data(o, &glen);
    printf("child authkey same: %s\n",
           tf(glen == klen && memcmp(got, key, klen) == 0));
    mpr_obj_decref(o);
    if ((rc = mpr_queue_get(q, &o, 1, MPR_TIMEOUT_NONE)) < 0 ||
        (rc = mpr_process_pid(p, &pid)) < 0)
        return case_fail(rc);
    printf("child pid == p.pid: %s\n", tf(mpr_obj_int_value(o) == pid));
    mpr_obj_decref(o);
    if ((rc = mpr_process_join(p, MPR_TIMEOUT_NONE)) < 0)
        return case_fail(rc);
    printf("joined: exitcode %s is_alive %s in active_children %s\n",
           exitcode(p, b, sizeof b), tf(mpr_process_is_alive(p) == 1),
           tf(in_active(p)));
    mpr_process_free(p);
    mpr_obj_decref(args);
    mpr_obj_decref(kwargs);
    mpr_queue_close(q);
    mpr_queue_join_thread(q);
    mpr_queue_free(q);

    mpr_obj_t *values[] = {mpr_obj_int(1), mpr_obj_str("str"),
                           mpr_obj_list_of_steal(1, mpr_obj_int(1)),
                           mpr_obj_tuple_steal(1, mpr_obj_int(1))};
    for (size_t v = 0; v < 4; v++) {
        for (int as_list = 1; as_list >= 0; as_list--) {
            if ((rc = mpr_queue_new(&q, 1)) < 0)
                return case_fail(rc);
            mpr_obj_t *qa = mpr_obj_handle(MPR_HANDLE_QUEUE, q);
            mpr_obj_t *a =
                as_list
                    ? mpr_obj_list_of_steal(2, qa, mpr_obj_incref(values[v]))
                    : mpr_obj_tuple_steal(2, qa, mpr_obj_incref(values[v]));
            mpr_process_options_t ao = {
                .target = put_arg, .args = a, .daemon = MPR_TRUE};
            char *r1, *r2;
            if (!a || (rc = mpr_process_new(&p, &ao)) < 0 ||
                (rc = mpr_process_start(p)) < 0 ||
                (rc = mpr_queue_get(q, &o, 1, MPR_TIMEOUT_NONE)) < 0 ||
                (rc = mpr_process_join(p, MPR_TIMEOUT_NONE)) < 0 ||
                (rc = mpr_obj_repr(values[v], &r1, NULL)) < 0 ||
                (rc = mpr_obj_repr(o, &r2, NULL)) < 0)
                return case_fail(rc < 0 ? rc : mpr_last_error());
            printf("args as %s with %s: child got %s, equal %s, exitcode %s\n",
                   as_list ? "list" : "tuple", r1, r2,
                   tf(mpr_obj_eq(o, values[v]) == 1), exitcode(p, b, sizeof b));
            mpr_free(r1);
            mpr_free(r2);
            mpr_obj_decref(o);
            mpr_obj_decref(a);
            mpr_process_free(p);
            mpr_queue_close(q);
            mpr_queue_join_thread(q);
            mpr_queue_free(q);
        }
    }
    for (size_t v = 0; v < 4; v++)
        mpr_obj_decref(values[v]);
    if ((rc = kill_process("terminate")) < 0 || (rc = kill_process("kill")) < 0)
        return case_fail(rc);
    return 0;
}
