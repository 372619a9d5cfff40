/*
 * main.c - mpr_main(), the entry point of every libmpref program, and the
 * start method in force.
 *
 * Python: the `if __name__ == '__main__':` guard plus what the interpreter
 * does with PYTHONUNBUFFERED.  Spawn and forkserver children re-enter the
 * program through here (process.c adds that path).
 */
#include "mpr/main.h"
#include "mpr/timeout.h"
#include "internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const methods[] = {"fork", "spawn", "forkserver"};

static const char *method_from_env(void)
{
    const char *env = getenv("MP_START_METHOD");

    if (env == NULL || *env == '\0')
        return methods[0];
    for (size_t i = 0; i < sizeof(methods) / sizeof(methods[0]); i++)
        if (strcmp(env, methods[i]) == 0)
            return methods[i];
    return NULL;
}

const char *mpr_get_start_method(void)
{
    const char *m = method_from_env();

    return m != NULL ? m : methods[0];
}

int mpr_main(int argc, char **argv)
{
    const char *unbuffered = getenv("MP_UNBUFFERED");

    (void)argc;
    (void)argv;
    /* Python's stdout is block-buffered on a pipe and unbuffered under
     * PYTHONUNBUFFERED; C's stdio has the same default, so only the second
     * case needs work.  stderr is unbuffered in C and line-buffered in
     * Python 3.11: both write each line at once. */
    if (unbuffered != NULL && *unbuffered != '\0' && strcmp(unbuffered, "0"))
        setvbuf(stdout, NULL, _IONBF, 0);
    mpr_time_scale();
    if (method_from_env() == NULL)
        return mpr__error(MPR_EVALUE, "cannot find context for '%s'",
                          getenv("MP_START_METHOD"));
    return 0;
}
