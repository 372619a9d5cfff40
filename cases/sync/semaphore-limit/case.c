/*
 * sync/semaphore-limit: five processes pass a Semaphore(2); shared raw
 * Values under a Lock count how many were inside at once.
 */
#include <mpr.h>

#include "support.h"

#include <stdio.h>

static int worker(mpr_obj_t *args, mpr_obj_t *kwargs)
{
    mpr_value_t *inside, *most;
    mpr_sem_t *semaphore;
    mpr_lock_t *lock;
    int64_t in, mx;

    (void)kwargs;
    if ((semaphore = case_arg(args, 0, MPR_HANDLE_SEMLOCK)) == NULL ||
        (lock = case_arg(args, 1, MPR_HANDLE_SEMLOCK)) == NULL ||
        (inside = case_arg(args, 2, MPR_HANDLE_VALUE)) == NULL ||
        (most = case_arg(args, 3, MPR_HANDLE_VALUE)) == NULL)
        return mpr_last_error();
    mpr_sem_enter(semaphore);
    mpr_lock_enter(lock);
    mpr_value_get_int64(inside, &in);
    mpr_value_set_int64(inside, in + 1);
    mpr_value_get_int64(most, &mx);
    mpr_value_get_int64(inside, &in);
    mpr_value_set_int64(most, mx > in ? mx : in);
    mpr_lock_exit(lock);
    mpr_sleep(5);
    mpr_lock_enter(lock);
    mpr_value_get_int64(inside, &in);
    mpr_value_set_int64(inside, in - 1);
    mpr_lock_exit(lock);
    mpr_sem_exit(semaphore);
    return 0;
}
MPR_TARGET(worker)

int main(int argc, char **argv)
{
    mpr_process_options_t opts = {.target = worker};
    mpr_sync_options_t raw = {.raw = 1};
    mpr_obj_t *zero, *args;
    mpr_value_t *inside, *most;
    mpr_process_t *workers[5];
    mpr_sem_t *semaphore;
    mpr_lock_t *lock;
    int64_t v;

    if (mpr_main(argc, argv) < 0)
        return 1;
    zero = mpr_obj_int(0);
    if (mpr_sem_new(&semaphore, 2) < 0 || mpr_lock_new(&lock) < 0 ||
        mpr_value_new(&inside, "i", zero, &raw) < 0 ||
        mpr_value_new(&most, "i", zero, &raw) < 0)
        return 1;
    mpr_obj_decref(zero);
    for (int i = 0; i < 5; i++) {
        args = mpr_obj_tuple_steal(
            5, mpr_obj_handle(MPR_HANDLE_SEMLOCK, semaphore),
            mpr_obj_handle(MPR_HANDLE_SEMLOCK, lock),
            mpr_obj_handle(MPR_HANDLE_VALUE, inside),
            mpr_obj_handle(MPR_HANDLE_VALUE, most), mpr_obj_int(i));
        opts.args = args;
        if (mpr_process_new(&workers[i], &opts) < 0)
            return 1;
        mpr_obj_decref(args);
    }
    for (int i = 0; i < 5; i++)
        if (mpr_process_start(workers[i]) < 0)
            return 1;
    for (int i = 0; i < 5; i++) {
        mpr_process_join(workers[i], MPR_TIMEOUT_NONE);
        mpr_process_free(workers[i]);
    }
    mpr_value_get_int64(most, &v);
    printf("most holders at once: %lld\n", (long long)v);
    mpr_value_get_int64(inside, &v);
    printf("holders at the end: %lld\n", (long long)v);
    printf("semaphore value at the end: %d\n", mpr_sem_get_value(semaphore));
    mpr_sem_free(semaphore);
    mpr_lock_free(lock);
    mpr_value_free(inside);
    mpr_value_free(most);
    return 0;
}
