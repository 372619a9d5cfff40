/*
 * process/sys-exit: sys.exit(reason) in a daemonic child.  A reason that is
 * not an int ([1, 2, 3], a str) is exitcode 1 with str(reason) on stderr;
 * True is 1, False 0, 8 is 8, None and no argument 0.  The child passes
 * the value it got to mpr_process_exit_obj, sys.exit's C form, which reads
 * it as _bootstrap reads SystemExit's code: the target is sys.exit itself
 * in case.py's second loop, exit_with(reason) in its first.
 */
#include <mpr.h>

#include "support.h"

#include <stdio.h>

/* sys.exit(*args) */
static int sys_exit(mpr_obj_t *args, mpr_obj_t *kwargs)
{
    (void)kwargs;
    mpr_process_exit_obj(mpr_obj_len(args) ? mpr_obj_item(args, 0) : NULL);
}
MPR_TARGET(sys_exit)

/* Process(target=sys_exit, args=args, daemon=True), started and joined:
 * prints "sys.exit" what ": exitcode N" with what the repr of reason or of
 * args (as case.py's two formats do).  args is stolen. */
static int run(mpr_obj_t *args, const mpr_obj_t *shown)
{
    mpr_process_options_t o = {
        .target = sys_exit, .args = args, .daemon = MPR_TRUE};
    mpr_process_t *p;
    char *r;
    int rc, code;

    if (args == NULL)
        return mpr_last_error();
    if ((rc = mpr_process_new(&p, &o)) < 0)
        goto out;
    if ((rc = mpr_process_start(p)) < 0 ||
        (rc = mpr_process_join(p, MPR_TIMEOUT_NONE)) < 0 ||
        (rc = mpr_obj_repr(shown ? shown : args, &r, NULL)) < 0)
        goto out_p;
    if (mpr_process_exitcode(p, &code) == 1)
        printf("sys.exit%s%s%s: exitcode %d\n", shown ? "(" : "", r,
               shown ? ")" : "", code);
    else
        printf("sys.exit%s%s%s: exitcode None\n", shown ? "(" : "", r,
               shown ? ")" : "");
    /* sys.stdout.flush(): the child's message and these lines interleave
     * in order on a terminal */
    fflush(stdout);
    mpr_free(r);
out_p:
    mpr_process_free(p);
out:
    mpr_obj_decref(args);
    return rc;
}

int main(int argc, char **argv)
{
    mpr_obj_t *reasons[2];
    int rc = 0;

    if (mpr_main(argc, argv) < 0)
        return 1;
    reasons[0] = mpr_obj_list_of_steal(3, mpr_obj_int(1), mpr_obj_int(2),
                                       mpr_obj_int(3));
    reasons[1] = mpr_obj_str("ignore this");
    for (int i = 0; i < 2 && rc == 0; i++)
        rc = reasons[i] ? run(mpr_obj_tuple(1, reasons[i]), reasons[i])
                        : mpr_last_error();
    mpr_obj_decref(reasons[0]);
    mpr_obj_decref(reasons[1]);
    /* (True,), (False,), (8,), (None,), () */
    if (rc == 0)
        rc = run(mpr_obj_tuple_steal(1, mpr_obj_bool(1)), NULL);
    if (rc == 0)
        rc = run(mpr_obj_tuple_steal(1, mpr_obj_bool(0)), NULL);
    if (rc == 0)
        rc = run(mpr_obj_tuple_steal(1, mpr_obj_int(8)), NULL);
    if (rc == 0)
        rc = run(mpr_obj_tuple_steal(1, mpr_obj_none()), NULL);
    if (rc == 0)
        rc = run(mpr_obj_tuple_new(0), NULL);
    return rc < 0 ? case_fail(rc) : 0;
}
