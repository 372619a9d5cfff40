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
 * hang CPython's repr too, so such values skip the round trip.  A work
 * list, not recursion: the decoder builds 10**6 levels of nesting from a
 * 1 MB input without recursing, and this walk must not overflow the
 * stack on them either (every node waiting in the list will be counted,
 * so the list never holds more than limit entries). */
static int small_tree(const mpr_obj_t *root, size_t limit)
{
    const mpr_obj_t **todo = malloc(limit * sizeof(*todo));
    size_t n = 0, seen = 0;
    int ok = 1;

    if (todo == NULL)
        abort();
    todo[n++] = root;
    while (ok && n > 0) {
        const mpr_obj_t *o = todo[--n];
        seen++;
        switch (mpr_obj_type(o)) {
        case MPR_OBJ_TUPLE:
        case MPR_OBJ_LIST:
            for (size_t i = 0; ok && i < mpr_obj_len(o); i++) {
                if ((ok = seen + n < limit))
                    todo[n++] = mpr_obj_item(o, i);
            }
            break;
        case MPR_OBJ_DICT: {
            size_t pos = 0;
            mpr_obj_t *k, *v;
            while (ok && mpr_obj_dict_next(o, &pos, &k, &v)) {
                if ((ok = seen + n + 1 < limit)) {
                    todo[n++] = k;
                    todo[n++] = v;
                }
            }
            break;
        }
        default:
            break;
        }
    }
    free(todo);
    return ok;
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
    if (small_tree(o, 100000) && mpr_obj_repr(o, &r1, NULL) == 0 &&
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
