/*
 * sync/barrier-timestamps: p1 and p2 wait at a Barrier(2) and print the
 * time they were released, one at a time under a Lock; p3 and p4 print at
 * once.  The main program does not join (the exit handler does).
 */
#include <mpr.h>

#include "support.h"

#include <math.h>
#include <stdio.h>
#include <time.h>

/* print("...%s" % datetime.fromtimestamp(now)): local time, microseconds
 * (half-even, as CPython rounds), the fraction left out when it is 0. */
static void print_line(const char *name, double now)
{
    double whole = floor(now);
    long usec = (long)nearbyint((now - whole) * 1e6);
    time_t secs = (time_t)whole;
    struct tm tm;
    char buf[32];

    if (usec >= 1000000) {
        secs++;
        usec -= 1000000;
    }
    localtime_r(&secs, &tm);
    strftime(buf, sizeof(buf), "%Y-%m-%d %H:%M:%S", &tm);
    if (usec != 0)
        printf("process %s ----> %s.%06ld\n", name, buf, usec);
    else
        printf("process %s ----> %s\n", name, buf);
}

static double time_now(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_REALTIME, &ts);
    return (double)ts.tv_sec + ts.tv_nsec * 1e-9;
}

static int test_with_barrier(mpr_obj_t *args, mpr_obj_t *kwargs)
{
    const char *name = mpr_process_name(mpr_current_process());
    mpr_barrier_t *synchronizer;
    mpr_lock_t *serializer;
    double now;
    int r;

    (void)kwargs;
    if ((synchronizer = case_arg(args, 0, MPR_HANDLE_BARRIER)) == NULL ||
        (serializer = case_arg(args, 1, MPR_HANDLE_SEMLOCK)) == NULL)
        return mpr_last_error();
    if ((r = mpr_barrier_wait(synchronizer, MPR_TIMEOUT_NONE)) < 0)
        return r;
    now = time_now();
    mpr_lock_enter(serializer);
    print_line(name, now);
    mpr_lock_exit(serializer);
    return 0;
}
MPR_TARGET(test_with_barrier)

static int test_without_barrier(mpr_obj_t *args, mpr_obj_t *kwargs)
{
    const char *name = mpr_process_name(mpr_current_process());

    (void)args, (void)kwargs;
    print_line(name, time_now());
    return 0;
}
MPR_TARGET(test_without_barrier)

static int start(const char *name, mpr_target_t target, mpr_obj_t *args)
{
    mpr_process_options_t opts = {.name = name, .target = target, .args = args};
    mpr_process_t *p;

    if (mpr_process_new(&p, &opts) < 0 || mpr_process_start(p) < 0)
        return -1;
    mpr_process_free(p);
    return 0;
}

int main(int argc, char **argv)
{
    mpr_barrier_t *synchronizer;
    mpr_lock_t *serializer;
    mpr_obj_t *args;

    if (mpr_main(argc, argv) < 0 ||
        mpr_barrier_new(&synchronizer, 2, NULL) < 0 ||
        mpr_lock_new(&serializer) < 0)
        return 1;
    args =
        mpr_obj_tuple_steal(2, mpr_obj_handle(MPR_HANDLE_BARRIER, synchronizer),
                            mpr_obj_handle(MPR_HANDLE_SEMLOCK, serializer));
    if (start("p1 - test_with_barrier", test_with_barrier, args) < 0 ||
        start("p2 - test_with_barrier", test_with_barrier, args) < 0 ||
        start("p3 - test_without_barrier", test_without_barrier, NULL) < 0 ||
        start("p4 - test_without_barrier", test_without_barrier, NULL) < 0)
        return 1;
    mpr_obj_decref(args);
    /* The Barrier and the Lock live until the children are joined, as the
     * Python program's module-level objects do: run the exit handler's
     * work here (it runs once), then free them. */
    mpr_exit_function();
    mpr_barrier_free(synchronizer);
    mpr_lock_free(serializer);
    return 0;
}
