/*
 * fuzz-sharedctypes-token.c - libFuzzer target for the Value and Array
 * token parser (mpr__sct_body_from_token, with the SemLock and segment
 * parsers it calls): any token must rebuild an object whose every element
 * lies inside its segment, or fail cleanly; never a crash, never a
 * mapping of a file that is not the library's own shared memory.  Inputs
 * are templates (see fuzz-token.h: "Ai1024|-|$A" is the fixture Array).
 *
 * Run: ./scripts/fuzz sharedctypes-token   (seeds:
 * ref/tests/data/fuzz-sharedctypes-token, also replayed by the unit suite)
 */
#include "fuzz-token.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    mpr_obj_t *tok = fuzz_token_expand(data, size), *o;
    mpr_value_t *v;
    mpr_array_t *a;
    char *repr;

    if (tok == NULL)
        return 0;
    if (mpr_value_rebuild(&v, tok) == 0) {
        if (mpr_value_get(v, &o) == 0)
            mpr_obj_decref(o);
        if (mpr_value_repr(v, &repr, NULL) == 0)
            mpr_free(repr);
        mpr_value_free(v);
    }
    if (mpr_array_rebuild(&a, tok) == 0) {
        size_t n = mpr_array_len(a);
        unsigned char *buf = mpr_array_buffer(a);
        /* The first, last and middle elements must be readable (ASan sees a
         * read past the mapping), and a write must not reach the file. */
        if (n > 0) {
            if (mpr_array_get_item(a, 0, &o) == 0)
                mpr_obj_decref(o);
            if (mpr_array_get_item(a, (ptrdiff_t)n - 1, &o) == 0)
                mpr_obj_decref(o);
            if (mpr_array_get_item(a, (ptrdiff_t)(n / 2), &o) == 0)
                mpr_obj_decref(o);
            unsigned char b0 = buf[0];
            buf[0] = (unsigned char)~b0;
            if (!fuzz_token_file_intact())
                abort();
            buf[0] = b0;
        }
        if (mpr_array_get_lock(a) != NULL && mpr_array_acquire(a, 0, 0) == 1)
            mpr_array_release(a);
        mpr_array_free(a);
    }
    mpr_obj_decref(tok);
    return 0;
}
