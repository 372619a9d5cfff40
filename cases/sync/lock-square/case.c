/*
 * sync/lock-square: the document's fragment as written: square(n) takes
 * one parameter but each Process passes (n, lock), so each of the four
 * children fails with CPython's TypeError before it sleeps or prints.
 */
#include <mpr.h>

static int square(mpr_obj_t *args, mpr_obj_t *kwargs)
{
    (void)kwargs;
    /* def square(n): called with two positional arguments */
    if (mpr_obj_len(args) != 1)
        return mpr_target_error(MPR_ETYPE,
                                "square() takes 1 positional argument but "
                                "%zu were given",
                                (size_t)mpr_obj_len(args));
    return 0;
}
MPR_TARGET(square)

int main(int argc, char **argv)
{
    mpr_process_options_t opts = {.target = square};
    mpr_process_t *process_list[4];
    mpr_obj_t *args;
    mpr_lock_t *lock;

    if (mpr_main(argc, argv) < 0 || mpr_lock_new(&lock) < 0)
        return 1;
    for (int n = 0; n < 4; n++) {
        args = mpr_obj_tuple_steal(2, mpr_obj_int(n),
                                   mpr_obj_handle(MPR_HANDLE_SEMLOCK, lock));
        opts.args = args;
        if (mpr_process_new(&process_list[n], &opts) < 0)
            return 1;
        mpr_obj_decref(args);
    }
    for (int n = 0; n < 4; n++)
        if (mpr_process_start(process_list[n]) < 0)
            return 1;
    for (int n = 0; n < 4; n++) {
        mpr_process_join(process_list[n], MPR_TIMEOUT_NONE);
        mpr_process_free(process_list[n]);
    }
    mpr_lock_free(lock);
    return 0;
}
