/*
 * process/child-basics: a child's main thread has a native id of its own
 * (gettid(), threading's native_id); a child makes a Queue and a daemonic
 * grandchild that puts into it, and both end cleanly (the grandchild's item
 * and its exit code come back); set_executable() naming the program: its
 * children still exit 0.  C has one type for a path, char * (bytes): the
 * str, bytes and os.PathLike of either that case.py passes are what
 * os.fsencode turns into that one path, so the four calls of the last loop
 * pass the program's path (sys.executable's analogue, /proc/self/exe
 * resolved) and each line comes from its own start and join.
 */
#include <mpr.h>

#include "support.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

/* args[0].put(o): o is stolen (NULL: making it failed) */
static int put_in_arg(mpr_obj_t *args, mpr_obj_t *o)
{
    mpr_queue_t *q;
    int rc = o ? case_queue_of(mpr_obj_item(args, 0), &q) : mpr_last_error();

    if (rc == 0)
        rc = mpr_queue_put(q, o, 1, MPR_TIMEOUT_NONE);
    mpr_obj_decref(o);
    return rc;
}

/* q.put(threading.main_thread().native_id): the target runs in the
 * child's main thread */
static int native_id(mpr_obj_t *args, mpr_obj_t *kwargs)
{
    (void)kwargs;
    return put_in_arg(args, mpr_obj_int(gettid()));
}
MPR_TARGET(native_id)

static int grandchild(mpr_obj_t *args, mpr_obj_t *kwargs)
{
    (void)kwargs;
    return put_in_arg(args, mpr_obj_str("from the grandchild"));
}
MPR_TARGET(grandchild)

/* A Queue made here, and a daemonic grandchild that puts into it; the
 * grandchild's item and exit code go to out. */
static int child_with_queue(mpr_obj_t *args, mpr_obj_t *kwargs)
{
    mpr_queue_t *out, *q;
    mpr_process_t *p = NULL;
    mpr_obj_t *a, *item = NULL, *res;
    int rc = case_queue_of(mpr_obj_item(args, 0), &out), code;

    (void)kwargs;
    if (rc < 0 || (rc = mpr_queue_new(&q, 0)) < 0)
        return rc;
    a = mpr_obj_tuple_steal(1, mpr_obj_handle(MPR_HANDLE_QUEUE, q));
    mpr_process_options_t o = {
        .target = grandchild, .args = a, .daemon = MPR_TRUE};
    if (a == NULL)
        rc = mpr_last_error();
    else if ((rc = mpr_process_new(&p, &o)) == 0 &&
             (rc = mpr_process_start(p)) == 0 &&
             (rc = mpr_process_join(p, MPR_TIMEOUT_NONE)) == 0 &&
             (rc = mpr_queue_get(q, &item, 1, 30)) == 0) {
        res = mpr_obj_tuple_steal(2, item,
                                  mpr_process_exitcode(p, &code) == 1
                                      ? mpr_obj_int(code)
                                      : mpr_obj_none());
        rc = res ? mpr_queue_put(out, res, 1, MPR_TIMEOUT_NONE)
                 : mpr_last_error();
        mpr_obj_decref(res);
    }
    mpr_process_free(p);
    mpr_obj_decref(a);
    mpr_queue_free(q);
    return rc;
}
MPR_TARGET(child_with_queue)

static int nothing(mpr_obj_t *args, mpr_obj_t *kwargs)
{
    (void)args;
    (void)kwargs;
    return 0;
}
MPR_TARGET(nothing)

/* p = Process(target=fn, args=(q,)); p.start() */
static int start_with_queue(mpr_process_t **p, mpr_target_t fn, mpr_queue_t *q)
{
    return case_start(
        p, fn, mpr_obj_tuple_steal(1, mpr_obj_handle(MPR_HANDLE_QUEUE, q)));
}

static int run(void)
{
    static const char *const kinds[] = {"str", "bytes", "PathLike str",
                                        "PathLike bytes"};
    mpr_queue_t *q, *out;
    mpr_process_t *p = NULL;
    mpr_obj_t *o;
    char exe[PATH_MAX];
    int rc, code;

    if ((rc = mpr_queue_new(&q, 1)) < 0)
        return rc;
    if ((rc = start_with_queue(&p, native_id, q)) < 0 ||
        (rc = mpr_queue_get(q, &o, 1, MPR_TIMEOUT_NONE)) < 0)
        goto out_q;
    rc = mpr_process_join(p, MPR_TIMEOUT_NONE);
    printf("child main thread native_id differs: %s\n",
           case_bool(mpr_obj_int_value(o) != gettid()));
    mpr_obj_decref(o);
    mpr_process_free(p);
    p = NULL;
    if (rc < 0)
        goto out_q;

    if ((rc = mpr_queue_new(&out, 0)) < 0)
        goto out_q;
    if ((rc = start_with_queue(&p, child_with_queue, out)) < 0 ||
        (rc = mpr_queue_get(out, &o, 1, 60)) < 0)
        goto out_out;
    rc = case_print_repr("queue made in a child, used by its grandchild:", o);
    mpr_obj_decref(o);
    if (rc < 0 || (rc = mpr_process_join(p, MPR_TIMEOUT_NONE)) < 0)
        goto out_out;
    if (mpr_process_exitcode(p, &code) == 1)
        printf("child exitcode: %d\n", code);
    else
        printf("child exitcode: None\n");
    mpr_process_free(p);
    p = NULL;

    /* sys.executable: the program's own path */
    if (realpath("/proc/self/exe", exe) == NULL) {
        rc = -errno;
        goto out_out;
    }
    for (size_t i = 0; i < 4; i++) {
        if ((rc = mpr_set_executable(exe)) < 0 ||
            (rc = case_start(&p, nothing, mpr_obj_tuple_new(0))) < 0 ||
            (rc = mpr_process_join(p, MPR_TIMEOUT_NONE)) < 0)
            goto out_out;
        if (mpr_process_exitcode(p, &code) == 1)
            printf("set_executable(%s): exitcode %d\n", kinds[i], code);
        else
            printf("set_executable(%s): exitcode None\n", kinds[i]);
        mpr_process_free(p);
        p = NULL;
    }
out_out:
    mpr_queue_free(out);
out_q:
    mpr_process_free(p);
    mpr_queue_free(q);
    return rc;
}

int main(int argc, char **argv)
{
    int rc;

    if (mpr_main(argc, argv) < 0)
        return 1;
    rc = run();
    return rc < 0 ? case_fail(rc) : 0;
}
