/*
 * process/naming: a named and a default-named process report their names
 * through current_process().name.
 */
#include <mpr.h>

#include <stdio.h>

static int myFunc(mpr_obj_t *args, mpr_obj_t *kwargs)
{
    const char *name = mpr_process_name(mpr_current_process());

    (void)args, (void)kwargs;
    printf("Starting process name = %s \n\n", name);
    mpr_sleep(3);
    printf("Exiting process name = %s \n\n", name);
    return 0;
}
MPR_TARGET(myFunc)

int main(int argc, char **argv)
{
    mpr_process_t *with_name, *with_default_name;
    mpr_process_options_t named = {.name = "myFunc process", .target = myFunc};
    mpr_process_options_t unnamed = {.target = myFunc};

    if (mpr_main(argc, argv) < 0 || mpr_process_new(&with_name, &named) < 0 ||
        mpr_process_new(&with_default_name, &unnamed) < 0)
        return 1;
    if (mpr_process_start(with_name) < 0 ||
        mpr_process_start(with_default_name) < 0)
        return 1;
    mpr_process_join(with_name, MPR_TIMEOUT_NONE);
    mpr_process_join(with_default_name, MPR_TIMEOUT_NONE);
    mpr_process_free(with_name);
    mpr_process_free(with_default_name);
    return 0;
}
