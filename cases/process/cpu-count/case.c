/*
 * process/cpu-count: multiprocessing.cpu_count() is os.cpu_count(), the
 * number of CPUs online (sysconf(_SC_NPROCESSORS_ONLN), which is what
 * CPython's os.cpu_count() asks).
 */
#include <mpr.h>

#include "support.h"

#include <stdio.h>
#include <unistd.h>

int main(int argc, char **argv)
{
    int n;

    if (mpr_main(argc, argv) < 0 || (n = mpr_cpu_count()) < 0)
        return 1;
    printf("%d\n", n);
    printf("%s\n", case_bool(n == sysconf(_SC_NPROCESSORS_ONLN)));
    return 0;
}
