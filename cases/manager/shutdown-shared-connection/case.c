/*
 * manager/shutdown-shared-connection: after shutdown(), the proxies the
 * main thread made fail with BrokenPipeError even when never called since
 * they were made (CPython shares one connection per address and thread,
 * opened by print(d)); str() shows the "'__str__()' failed" form; a new
 * thread opens a new connection and finds no socket.
 */
#include <mpr.h>

#include "support.h"

#include <pthread.h>
#include <stdio.h>
#include <string.h>

static mpr_proxy_t *d, *l, *ns;

static void *thread_main(void *arg)
{
    int rc = mpr_proxy_len(l);

    (void)arg;
    case_show("len(l) in a new thread:", rc, rc < 0 ? NULL : mpr_obj_int(rc));
    return NULL;
}

static int print_str(const char *label, mpr_proxy_t *p)
{
    char *s;
    int rc;

    if ((rc = mpr_proxy_str(p, &s, NULL)) < 0)
        return rc;
    printf("%s %s\n", label, s);
    mpr_free(s);
    return 0;
}

static int run(mpr_manager_t *m)
{
    mpr_obj_t *init, *k, *v = NULL, *t;
    pthread_t th;
    int rc;

    init = mpr_obj_dict();
    mpr_obj_dict_set_steal(init, mpr_obj_str("a"), mpr_obj_int(1));
    rc = mpr_manager_dict(m, init, &d);
    mpr_obj_decref(init);
    if (rc < 0)
        return rc;
    init = mpr_obj_list_of_steal(1, mpr_obj_int(1));
    rc = mpr_manager_list(m, init, &l);
    mpr_obj_decref(init);
    if (rc < 0)
        return rc;
    init = mpr_obj_dict();
    mpr_obj_dict_set_steal(init, mpr_obj_str("x"), mpr_obj_int(1));
    rc = mpr_manager_namespace(m, init, &ns);
    mpr_obj_decref(init);
    if (rc < 0 || (rc = print_str("d:", d)) < 0 ||
        (rc = mpr_manager_shutdown(m)) < 0)
        return rc;
    k = mpr_obj_str("a");
    rc = mpr_proxy_getitem(d, k, &v);
    mpr_obj_decref(k);
    case_show("d[a]:", rc, v);
    rc = mpr_proxy_len(l);
    case_show("len(l):", rc, rc < 0 ? NULL : mpr_obj_int(rc));
    t = mpr_obj_tuple_steal(1, mpr_obj_int(2));
    rc = mpr_proxy_callmethod(l, "append", t, NULL, NULL);
    mpr_obj_decref(t);
    case_show("l.append(2):", rc, NULL);
    v = NULL;
    rc = mpr_proxy_getattr(ns, "x", &v);
    case_show("ns.x:", rc, v);
    if ((rc = print_str("str(l):", l)) < 0)
        return rc;
    if ((rc = pthread_create(&th, NULL, thread_main, NULL)) != 0)
        return -rc;
    pthread_join(th, NULL);
    mpr_proxy_free(ns);
    mpr_proxy_free(l);
    mpr_proxy_free(d);
    return 0;
}

int main(int argc, char **argv)
{
    mpr_manager_t *m = NULL;
    int rc;

    if ((rc = mpr_main(argc, argv)) == 0 &&
        (rc = mpr_manager_new(&m, NULL)) == 0 &&
        (rc = mpr_manager_start(m)) == 0)
        rc = run(m);
    mpr_manager_free(m);
    return rc < 0 ? case_fail(rc) : 0;
}
