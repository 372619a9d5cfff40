/*
 * model.h - internals of the results model (conformance/model/), shared
 * with the reporters (report/), which depend on the model and never the
 * other way round.
 *
 * Output files are written to "PATH.tmp" and renamed over PATH on success,
 * so a crash or a full disk never leaves a half-written report that a CI
 * page would then publish as if it were complete.
 *
 * Allocation failure: every function here returns NULL or -1 and leaves
 * nothing allocated (test-oom.c fails each allocation in turn).
 */
#ifndef MPC_MODEL_H
#define MPC_MODEL_H

#include <stdio.h>

#include "results.h"

typedef struct {
    FILE *f;
    char *tmp;        /* PATH.tmp, renamed on mdl_close */
    const char *path; /* borrowed from the caller */
} mdl_file_t;

/* Open PATH.tmp for writing.  Returns 0, or -1 with a message on stderr. */
int mdl_open(mdl_file_t *out, const char *path);
/* Flush, check for write errors, rename over the final path.  On any error
 * (or when failed != 0) the temporary file is removed instead.  Returns 0 or
 * -1 with a message on stderr. */
int mdl_close(mdl_file_t *rf, int failed);

/* Heap copy of s, treating NULL as "".  NULL only when out of memory. */
char *mdl_strdup(const char *s);
/* s, or "" when s is NULL: the model allows NULL for empty strings. */
const char *mdl_str(const char *s);

/*
 * Decode one UTF-8 sequence at s (n bytes available).  Returns its length
 * (1..4) and stores the code point in *cp, or returns 0 for an invalid
 * sequence (overlong, surrogate, beyond U+10FFFF, truncated, stray byte).
 */
int mdl_utf8_decode(const unsigned char *s, size_t n, unsigned *cp);

/* Freeing and deep copies of the model's parts (model/results.c).  A dup
 * returns 0, or -1 when out of memory with nothing left allocated; NULL
 * strings are copied as "". */
void mdl_free_strv(char **v, size_t n);
void mdl_free_mismatch(mpc_mismatch_t *m);
void mdl_free_result(mpc_result_t *r);
void mdl_free_impl(mpc_impl_info_t *im);
void mdl_free_case(mpc_case_info_t *c);
int mdl_dup_strv(char ***out, char *const *v, size_t n);
int mdl_dup_result(mpc_result_t *d, const mpc_result_t *s);
int mdl_dup_impl(mpc_impl_info_t *d, const mpc_impl_info_t *s);
int mdl_dup_case(mpc_case_info_t *d, const mpc_case_info_t *s);

#endif /* MPC_MODEL_H */
