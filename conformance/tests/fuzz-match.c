/*
 * fuzz-match.c - libFuzzer target for the line matcher alone.  The input
 * is a pattern (its first line) and an output (the rest); the output's
 * lines are matched against `repeat 0..100000 { ~ PATTERN }`.  Any pattern
 * compiles or fails with a message; any output passes, fails or is an
 * error within the matcher's bounds, never a crash, a leak or a hang; and
 * the work grows with the output's length, not its square (the seeds hold
 * lines of 100 kB that once took seconds each).
 *
 * Run: ./scripts/fuzz match   (seeds: conformance/tests/fuzz/match)
 */
#include "case.h"
#include "match.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = malloc(size + 1), *nl, *err = NULL;
    mpc_pattern_t pat;

    if (text == NULL)
        return 0;
    memcpy(text, data, size);
    text[size] = '\0';
    nl = memchr(text, '\n', size);
    const char *out = nl != NULL ? nl + 1 : text + size;
    size_t outlen = (size_t)(text + size - out);
    if (nl != NULL)
        *nl = '\0';
    if (mpc_pattern_compile(text, &pat, &err) == 0) {
        mpc_item_t line = {.kind = MPC_IT_PAT, .src = text, .pat = pat};
        mpc_item_t rep = {.kind = MPC_IT_REPEAT,
                          .src = "repeat",
                          .min = 0,
                          .max = 100000,
                          .body = {&line, 1}};
        mpc_items_t items = {&rep, 1};
        mpc_captures_t caps = {0};
        mpc_mismatch_t *mm = NULL;
        mpc_match_cost_t cost = {0, 0};
        char *merr = NULL;
        int r = mpc_match_stream_cost(&items, "stdout", out, outlen, &caps, &mm,
                                      &merr, &cost);
        size_t lines = 1;
        for (size_t i = 0; i < outlen; i++)
            lines += out[i] == '\n';
        /* A pattern has at most some 30 states per byte of its source (a
         * `ts` capture, 27 states in 6 bytes); each byte of the output
         * advances and adds each state a few times at most. */
        long bound = 8 * 32 * (long)(strlen(text) + 2) * (long)(outlen + lines);
        if ((r != MPC_M_PASS && r != MPC_M_FAIL && r != MPC_M_ERROR) ||
            (r == MPC_M_ERROR) != (merr != NULL) ||
            (r == MPC_M_FAIL) != (mm != NULL) ||
            cost.work > MPC_MATCH_WORK + bound ||
            (cost.work > bound && r != MPC_M_ERROR))
            abort();
        mpc_captures_free(&caps);
        mpc_mismatch_free(mm);
        free(merr);
        mpc_pattern_free(&pat);
    } else if (err == NULL) {
        abort(); /* a pattern that does not compile says why */
    }
    free(err);
    free(text);
    return 0;
}
