/*
 * process/square-four-parallel: four children square 3 in parallel; the parent
 * joins them all. random.case_randint(3, 5) draws from the OS (Python reseeds
 * its generator in every child); time.sleep is mpr_sleep, scaled by
 * MP_TIME_SCALE like the shim's; int(time.time()) is time(NULL).
 */
#include <mpr.h>

#include "support.h"

#include <inttypes.h>
#include <stdio.h>
#include <time.h>

static int square(mpr_obj_t *args, mpr_obj_t *kwargs)
{
    int64_t n = mpr_obj_int_value(mpr_obj_item(args, 0));
    int rand_int = case_randint(3, 5);

    (void)kwargs;
    mpr_sleep(rand_int);
    printf("Sleep %d Seconds......\n", rand_int);
    printf("%" PRId64 " squared is %" PRId64 "\n", n, n * n);
    return 0;
}
MPR_TARGET(square)

int main(int argc, char **argv)
{
    long start_time, end_time;

    if (mpr_main(argc, argv) < 0)
        return 1;
    start_time = (long)time(NULL);
    printf("Start Time....%ld\n", start_time);
    mpr_process_t *process[4];

    for (int i = 0; i < 4; i++)
        if (case_process(&process[i], square,
                         mpr_obj_tuple_steal(1, mpr_obj_int(3))) < 0)
            return 1;
    for (int i = 0; i < 4; i++)
        if (mpr_process_start(process[i]) < 0)
            return 1;
    for (int i = 0; i < 4; i++) {
        mpr_process_join(process[i], MPR_TIMEOUT_NONE);
        mpr_process_free(process[i]);
    }
    end_time = (long)time(NULL);
    printf("End Time......%ld\n", end_time);
    printf("Execute Time......%ld\n", end_time - start_time);
    return 0;
}
