/*
 * process/many-processes: 100 children (5 under spawn) started at once all
 * exit 0; 100 terminated 1 ms (scaled) after their start all report -15.
 */
#include <mpr.h>

#include "support.h"

#include <stdio.h>
#include <string.h>

#define NMAX 100

static int short_sleep(mpr_obj_t *args, mpr_obj_t *kwargs)
{
    (void)args;
    (void)kwargs;
    return mpr_sleep(0.01);
}
MPR_TARGET(short_sleep)

static int sleep_some(mpr_obj_t *args, mpr_obj_t *kwargs)
{
    (void)args;
    (void)kwargs;
    return mpr_sleep(100);
}
MPR_TARGET(sleep_some)

/* sorted(set(exit codes)) of the n processes, as "[0]" or "[-15, 0]" */
static void print_codes(const char *what, mpr_process_t **procs, int n)
{
    int codes[NMAX], ncodes = 0;

    for (int i = 0; i < n; i++) {
        int c = 1000;
        mpr_process_exitcode(procs[i], &c);
        int k = 0;
        while (k < ncodes && codes[k] < c)
            k++;
        if (k < ncodes && codes[k] == c)
            continue;
        memmove(&codes[k + 1], &codes[k], (size_t)(ncodes - k) * sizeof *codes);
        codes[k] = c;
        ncodes++;
    }
    printf("%s, exit codes: [", what);
    for (int k = 0; k < ncodes; k++)
        printf("%s%d", k ? ", " : "", codes[k]);
    printf("] count True\n");
}

static int round_(mpr_target_t target, int n, int terminate, const char *what)
{
    mpr_process_t *procs[NMAX];
    int rc;

    for (int i = 0; i < n; i++) {
        mpr_process_options_t o = {.target = target};
        if ((rc = mpr_process_new(&procs[i], &o)) < 0)
            return rc;
    }
    for (int i = 0; i < n; i++)
        if ((rc = mpr_process_start(procs[i])) < 0)
            return rc;
    if (terminate) {
        mpr_sleep(0.001);
        for (int i = 0; i < n; i++)
            if ((rc = mpr_process_terminate(procs[i])) < 0)
                return rc;
    }
    for (int i = 0; i < n; i++)
        if ((rc = mpr_process_join(procs[i], MPR_TIMEOUT_NONE)) < 0)
            return rc;
    print_codes(what, procs, n);
    for (int i = 0; i < n; i++)
        mpr_process_free(procs[i]);
    return 0;
}

int main(int argc, char **argv)
{
    int rc;

    if ((rc = mpr_main(argc, argv)) < 0)
        return case_fail(rc);
    int n = strcmp(mpr_get_start_method(), "spawn") == 0 ? 5 : NMAX;
    if ((rc = round_(short_sleep, n, 0, "short children")) < 0 ||
        (rc = round_(sleep_some, n, 1, "terminated children")) < 0)
        return case_fail(rc);
    return 0;
}
