/*
 * fuzz-pickle.c - libFuzzer target for the pickle decoder: any bytes must
 * load or fail cleanly (no crash, no leak, no undefined behaviour), and
 * whatever loads must repr, dump and load back to an equal repr.
 *
 * Run: ./scripts/fuzz --time 600 pickle   (seeds: ref/tests/data/fuzz-pickle;
 * the seeds are also replayed by the unit test fuzz-pickle)
 */
#include "mpr/obj.h"
#include "mpr/pickle.h"
#include "base/internal.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* Whether o, expanded as a tree (shared values counted each time), has at
 * most limit nodes.  repr and == walk that tree, as CPython's do: a pickle
 * of a few hundred bytes can share its way to 2**100 nodes, which would
 * hang CPython's repr too, so such values skip the round trip. */
static int small_tree(const mpr_obj_t *o, long *budget)
{
    size_t n;

    if (--*budget < 0)
        return 0;
    switch (mpr_obj_type(o)) {
    case MPR_OBJ_TUPLE:
    case MPR_OBJ_LIST:
        n = mpr_obj_len(o);
        for (size_t i = 0; i < n; i++)
            if (!small_tree(mpr_obj_item(o, i), budget))
                return 0;
        return 1;
    case MPR_OBJ_DICT: {
        size_t pos = 0;
        mpr_obj_t *k, *v;
        while (mpr_obj_dict_next(o, &pos, &k, &v))
            if (!small_tree(k, budget) || !small_tree(v, budget))
                return 0;
        return 1;
    }
    default:
        return 1;
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    mpr_obj_t *o = NULL, *back = NULL;
    char *r1 = NULL, *r2 = NULL, *p = NULL;
    size_t n;

    if (mpr_pickle_loads(data, size, &o) < 0)
        return 0;
    /* A loaded value is a tree or DAG of data: it must survive repr and a
     * round trip (a too-deep value may refuse with RecursionError). */
    long budget = 100000;

    /* (small_tree recurses at most as deep as the value, which repr
     * limits to MPR_OBJ_MAX_DEPTH anyway: the pickle's own nesting is
     * bounded by max_len.) */
    if (small_tree(o, &budget) && mpr_obj_repr(o, &r1, NULL) == 0 &&
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
