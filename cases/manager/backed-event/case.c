/*
 * manager/backed-event: _TestEvent on a manager's Event proxy: wait()
 * returns the server's flag (False after the full timeout, True at once
 * once set), a child sets the server's Event through its own proxy
 * (inherited under fork, rebuilt under spawn and forkserver); repr() is
 * the proxy's, str() the server object's.
 */
#include <mpr.h>

#include "support.h"

#include <stdio.h>

static mpr_proxy_t *event;

static int set_later(mpr_obj_t *args, mpr_obj_t *kwargs)
{
    int rc;

    (void)kwargs;
    if ((rc = case_proxy_of(mpr_obj_item(args, 0), &event)) < 0)
        return rc;
    mpr_sleep(0.35);
    return mpr_proxy_callmethod(event, "set", NULL, NULL, NULL);
}
MPR_TARGET(set_later)

/* timed(label, lambda: event.wait(*timeout)): timeout < 0 means none */
static void timed(const char *label, double timeout)
{
    double t0 = case_monotonic();
    const char *r = case_call(
        event, "wait",
        timeout < 0 ? NULL : mpr_obj_tuple_steal(1, mpr_obj_float(timeout)));

    printf("%s: %s after %.3f s\n", label, r, case_monotonic() - t0);
}

static void show_repr(void)
{
    char *s;

    if (mpr_proxy_repr(event, &s, NULL) < 0)
        return;
    printf("repr: %s %s\n", s, case_str(event));
    mpr_free(s);
}

static int run(mpr_manager_t *m)
{
    mpr_process_t *p = NULL;
    int rc, code;

    /* test_event */
    if ((rc = mpr_manager_event(m, &event)) < 0)
        return rc;
    printf("is_set(): %s\n", case_call(event, "is_set", NULL));
    timed("wait(0.0)", 0.0);
    timed("wait(0.2)", 0.2);
    printf("set(): %s\n", case_call(event, "set", NULL));
    printf("is_set(): %s\n", case_call(event, "is_set", NULL));
    timed("wait()", -1);
    timed("wait(0.2)", 0.2);
    printf("clear(): %s\n", case_call(event, "clear", NULL));
    printf("is_set(): %s\n", case_call(event, "is_set", NULL));
    if ((rc = case_start(&p, set_later,
                         mpr_obj_tuple_steal(
                             1, mpr_obj_handle(MPR_HANDLE_PROXY, event)))) < 0)
        goto done;
    timed("wait() for the child", -1);
    if ((rc = mpr_process_join(p, MPR_TIMEOUT_NONE)) < 0)
        goto done;
    mpr_process_exitcode(p, &code);
    printf("exitcode: %d\n", code);

    /* test_repr, on a new Event */
    mpr_proxy_free(event);
    if ((rc = mpr_manager_event(m, &event)) < 0)
        goto done;
    show_repr();
    case_call(event, "set", NULL);
    show_repr();
done:
    mpr_process_free(p);
    mpr_proxy_free(event);
    return rc;
}

int main(int argc, char **argv)
{
    return case_main_with_manager(argc, argv, run);
}
