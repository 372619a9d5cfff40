/*
 * fuzz-case.c - libFuzzer target for the case-file parser and the output
 * matcher.  The input is a case file, optionally followed by a line
 * "====" and an output to judge against it: any bytes must parse or fail
 * with a FILE:LINE message, and any parsed case must judge any output to
 * pass, fail or error within the matcher's step bound -- never crash, hang
 * or leak.
 *
 * Run: ./scripts/fuzz case   (seeds: conformance/tests/fuzz/case)
 */
#include "case.h"
#include "match.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = malloc(size + 1), *out, *sep;
    char *err = NULL, *detail = NULL;
    mpc_mismatch_t *mm = NULL;
    mpc_captures_t caps = {0};
    mpc_case_t c;

    if (text == NULL)
        return 0;
    memcpy(text, data, size);
    text[size] = '\0';
    /* The case text ends at the separator; a NUL inside ends it early,
     * as it would for a file read as a C string. */
    sep = strstr(text, "\n====\n");
    out = sep != NULL ? sep + 6 : text + strlen(text);
    if (sep != NULL)
        sep[1] = '\0';
    if (mpc_case_parse("fuzz/case/case.exp", text, &c, &err) == 0) {
        mpc_run_output_t run = {.out = out,
                                .outlen = strlen(out),
                                .err = "",
                                .errlen = 0,
                                .exit_status = 0,
                                .wall = 0.5,
                                .time_scale = 0.1};
        mpc_judge(&c, &run, NULL, &caps, &mm, &detail);
        mpc_captures_free(&caps);
        mpc_mismatch_free(mm);
        free(detail);
        mpc_case_free(&c);
    } else if (err == NULL || strncmp(err, "fuzz/case/case.exp:", 19) != 0) {
        abort(); /* every parse error names the file and line */
    }
    free(err);
    free(text);
    return 0;
}
