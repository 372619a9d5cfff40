/*
 * manager_condproxy.c - ConditionProxy.wait_for of CPython 3.11's
 * managers.py: the predicate runs in the caller, between wait() calls on
 * the server's Condition (which the caller holds), until it is true or
 * the timeout has passed.  No state.
 */
#include "mpr/manager.h"
#include "manager/manager_internal.h"

#include <math.h>

/* self.wait(waittime): None when waittime is infinite */
static int wait_once(mpr_proxy_t *p, double waittime)
{
    mpr_obj_t *args = mpr_obj_tuple_steal(
        1, isinf(waittime) ? mpr_obj_none() : mpr_obj_float(waittime));
    int rc;

    if (args == NULL)
        return mpr_last_error();
    rc = mpr_proxy_callmethod(p, "wait", args, NULL, NULL);
    mpr_obj_decref(args);
    return rc;
}

int mpr_proxy_wait_for(mpr_proxy_t *p, mpr_predicate_t predicate, void *arg,
                       double timeout)
{
    double endtime = 0, waittime = MPR_TIMEOUT_NONE;
    int result, rc;

    if ((result = predicate(arg)) != 0)
        return result;
    if (!isinf(timeout))
        endtime = mpr_monotonic() + timeout;
    while (result == 0) {
        if (!isinf(timeout)) {
            waittime = endtime - mpr_monotonic();
            if (waittime <= 0)
                break;
        }
        if ((rc = wait_once(p, waittime)) < 0)
            return rc;
        result = predicate(arg);
    }
    return result;
}
