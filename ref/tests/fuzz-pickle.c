/*
 * fuzz-pickle.c - libFuzzer target for the pickle decoder: any bytes must
 * load or fail cleanly (no crash, no leak, no undefined behaviour), and
 * whatever loads must repr, dump and load back to an equal repr.
 *
 * Run (10 minutes; new inputs go to the first, scratch corpus directory,
 * the committed seeds are read from the second):
 *
 *   clang -g -O1 -fsanitize=fuzzer,address,undefined -D_GNU_SOURCE \
 *     -Iref/include -Iref/src ref/tests/fuzz-pickle.c ref/src/obj.c \
 *     ref/src/obj_dict.c ref/src/obj_repr.c ref/src/pickle_dump.c \
 *     ref/src/pickle_load.c ref/src/error.c \
 *     -o /tmp/fuzz-pickle && mkdir -p /tmp/fuzz-pickle-corpus && \
 *   /tmp/fuzz-pickle -max_total_time=600 -max_len=4096 \
 *     /tmp/fuzz-pickle-corpus ref/tests/data/fuzz-pickle
 */
#include "mpr/obj.h"
#include "internal.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* The value type only allocates; sys.c's table initialiser is a GNU C
 * extension clang refuses, so the fuzzer brings its own. */
mpr__syscalls_t mpr__sys = {.malloc = malloc, .calloc = calloc,
                            .realloc = realloc};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    mpr_obj_t *o = NULL, *back = NULL;
    char *r1 = NULL, *r2 = NULL, *p = NULL;
    size_t n;

    if (mpr_pickle_loads(data, size, &o) < 0)
        return 0;
    /* A loaded value is a tree or DAG of data: it must survive repr and a
     * round trip (a too-deep value may refuse with RecursionError). */
    if (mpr_obj_repr(o, &r1, NULL) == 0 &&
        mpr_pickle_dumps(o, 4, &p, &n) == 0) {
        if (mpr_pickle_loads(p, n, &back) != 0)
            abort();
        if (mpr_obj_repr(back, &r2, NULL) != 0 || strcmp(r1, r2) != 0)
            abort();
    }
    mpr_free(r1);
    mpr_free(r2);
    mpr_free(p);
    mpr_obj_decref(back);
    mpr_obj_decref(o);
    return 0;
}
