/*
 * fuzz-semlock-token.c - libFuzzer target for the SemLock token parser
 * (mpr__semlock_from_token and the segment part, mpr__shm_attach) and the
 * handles built on it (Event, Condition, Barrier): any token must rebuild
 * an object that works or fail cleanly, never crash, and never map a file
 * that is not the library's own shared memory.  Inputs are templates (see
 * fuzz-token.h: "S0@$L" is the fixture Lock's token).
 *
 * Run: ./scripts/fuzz semlock-token   (seeds:
 * ref/tests/data/fuzz-semlock-token, also replayed by the unit suite)
 */
#include "fuzz-token.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    mpr_obj_t *tok = fuzz_token_expand(data, size);
    mpr_semlock_t *s;
    mpr_event_t *e;
    mpr_cond_t *c;
    mpr_barrier_t *b;
    char *repr;

    if (tok == NULL)
        return 0;
    if (mpr_semlock_rebuild(&s, tok) == 0) {
        /* An acquire writes to the block: the ordinary file must not be
         * what was mapped. */
        if (mpr_semlock_acquire(s, 0, 0) == 1) {
            if (!fuzz_token_file_intact())
                abort();
            mpr_semlock_release(s);
        }
        if (mpr_semlock_repr(s, &repr, NULL) == 0)
            mpr_free(repr);
        mpr_semlock_free(s);
    }
    if (mpr_event_rebuild(&e, tok) == 0) {
        mpr_event_is_set(e);
        mpr_event_free(e);
    }
    if (mpr_cond_rebuild(&c, tok) == 0) {
        if (mpr_cond_acquire(c, 0, 0) == 1)
            mpr_cond_release(c);
        mpr_cond_free(c);
    }
    if (mpr_barrier_rebuild(&b, tok, NULL) == 0) {
        if (mpr_barrier_repr(b, &repr, NULL) == 0)
            mpr_free(repr);
        mpr_barrier_free(b);
    }
    if (!fuzz_token_file_intact())
        abort();
    mpr_obj_decref(tok);
    return 0;
}
