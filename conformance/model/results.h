/*
 * results.h - the in-memory results model (conformance/model/), below
 * both the runner's commands (cmd_*.c, task.c) and the reporters
 * (report/, report.h), which render it.
 *
 * One mpc_run_t per invocation of `mpconform run` or `merge`; it owns every
 * string it points to (heap copies), freed by mpc_run_free().  The JSON form
 * is documented in RESULTS.md (schema "mpconform-results/1").
 */
#ifndef MPC_RESULTS_H
#define MPC_RESULTS_H

#include <stddef.h>

typedef enum {
    MPC_PASS,
    MPC_FAIL,
    MPC_TIMEOUT,
    MPC_CRASH,
    MPC_ERROR,   /* malformed case or profile */
    MPC_SKIP,    /* implementation not installed, method unsupported */
    MPC_MISSING, /* no translation for that implementation */
    MPC_XFAIL,
    MPC_XPASS,
    MPC_FLAKY,
    MPC_NOT_APPLICABLE, /* not applicable: the case says the implementation
               cannot express its contract (a Python-language detail) */
    MPC_NSTATUS
} mpc_status_t;

/* "pass", "fail", ... as in RESULTS.md; NULL for an out-of-range value. */
const char *mpc_status_name(mpc_status_t s);
/* Inverse of mpc_status_name; returns -1 for an unknown name. */
int mpc_status_parse(const char *name);

typedef struct {
    char *stream;   /* "stdout", "stderr", "exit", "wall", "checks", "" */
    int line;       /* 1-based output line, 0 when not about a line */
    char *expected; /* the item or value expected, "" if none */
    char *actual;   /* the output line or value seen, "" if none */
    char *relation; /* the relation that broke, "" if none */
    char *values;   /* "t1=... t2=...", "" if none */
} mpc_mismatch_t;

typedef struct {
    char *case_id;
    char *impl;
    char *method;
    mpc_status_t status;
    double duration_s;
    int exit_status;  /* -N when killed by signal N */
    int runs, passes; /* --repeat */
    char *detail;     /* one line, "" if none */
    char **leaks;     /* nleaks strings */
    size_t nleaks;
    mpc_mismatch_t *mismatch; /* NULL unless it failed a check */
    char *out;                /* captured stdout (capped) */
    char *err;                /* captured stderr (capped) */
    int truncated;            /* an output stream hit the cap */
    /* Bytes in out and err, NUL bytes included (a program may print
     * them); 0 means strlen, for results built without a length. */
    size_t out_len, err_len;
    /* The known-failures entry that made the cell xfail (or a known
     * intermittent one): "STATUS REASON" as its line says them (STATUS
     * with its '?'), "" if none.  Divergences are grouped by it. */
    char *known;
} mpc_result_t;

/* The byte length of a result's out or err: len, or strlen(s) when 0. */
size_t mpc_output_len(const char *s, size_t len);

typedef struct {
    char *name;
    char *description;
    int installed;
    char *reason; /* why not installed, "" otherwise */
    char **methods;
    size_t nmethods;
    char *profile; /* the profile file it came from, "" if unknown */
    char *root;    /* the root its commands ran in (root:), "" for none */
    /* versions (RESULTS.md): its Python language version ("3.9", "" when
     * unknown), the CPython profile it is judged against (its own name for
     * a CPython) and why that one when it is not of the same version */
    char *python_version, *oracle, *oracle_note;
    char *judged_at; /* the version its cells were judged at ("" unknown) */
} mpc_impl_info_t;

/* A case's `change:` section (CASE-FORMAT.md). */
typedef struct {
    char *title, *version, *before, *after, *why;
} mpc_change_info_t;

typedef struct {
    char *id;
    char *title;
    char *area;
    char *source;
    char **primitives;
    size_t nprimitives;
    char *dir;      /* the case's folder, absolute; "" if unknown */
    char *document; /* its `document:` output (lines joined with \n), "" */
    mpc_change_info_t *changes; /* its `change:` sections */
    size_t nchanges;
} mpc_case_info_t;

/* One shard of a merged run: its "K/N" and its command. */
typedef struct {
    char *shard;
    char **argv;
    size_t argc;
} mpc_shard_info_t;

/* The suite's own power (RESULTS.md, "power"). */
typedef struct {
    char *case_id, *method;
    size_t tried, rejected, free_, allowed, accepted;
} mpc_strength_cell_info_t;

typedef struct {
    int measured; /* the run had passing oracle cells to measure */
    mpc_strength_cell_info_t *per_cell; /* ncells_info entries, run order */
    size_t ncells_info;
    size_t cells; /* passing oracle cells whose output was mutated */
    size_t variants, rejected, free_, allowed;
    size_t accepted; /* accepted with no reason: a weak case */
    size_t stale;    /* oracle cells that no longer pass their case */
} mpc_strength_info_t;

typedef struct {
    char *file; /* the ./scripts/mutation results attached, or NULL */
    char *generated, *commit;
    size_t mutants, killed, total; /* total: mutants x methods */
    double elapsed_s;
    char **methods;
    size_t nmethods;
    char **survivors; /* "NAME (METHOD)" */
    size_t nsurvivors;
} mpc_mutation_info_t;

typedef struct {
    char *generated; /* ISO 8601 UTC */
    char *runner_version;
    double time_scale;
    int jobs, repeat;
    char *shard; /* "K/N" */
    char **argv;
    size_t argc;
    mpc_shard_info_t *shards; /* merge: every shard's command, else none */
    size_t nshards;
    char *oracle_impl, *oracle_version, *oracle_mode;
    mpc_impl_info_t *impls;
    size_t nimpls;
    mpc_case_info_t *cases;
    size_t ncases;
    mpc_result_t *results;
    size_t nresults;
    mpc_strength_info_t strength; /* of this run's oracle cells */
    mpc_mutation_info_t mutation; /* the last mutant run, when attached */
} mpc_run_t;

void mpc_run_free(mpc_run_t *run);

/* power.c: read ./scripts/mutation's results.json into *m (0), or -1 with
 * a message on stderr; free it. */
int mpc_mutation_read(const char *path, mpc_mutation_info_t *m);
void mpc_mutation_free(mpc_mutation_info_t *m);
/* Add one measured cell to s (copies of the strings) and its counts to the
 * totals; append: the cell alone, for totals read or summed elsewhere.
 * -1: out of memory. */
int mpc_strength_add(mpc_strength_info_t *s, const mpc_strength_cell_info_t *c);
int mpc_strength_append(mpc_strength_info_t *s,
                        const mpc_strength_cell_info_t *c);
void mpc_strength_free(mpc_strength_info_t *s);

/* JSON (results_json.c).  Return 0, or -1 with a message on stderr. */
int mpc_results_write_json(const mpc_run_t *run, const char *path);
int mpc_results_load_json(const char *path, mpc_run_t *out);
/* Append the impls, cases and results of src to dst (deep copies, no
 * duplicates for impls and cases). */
int mpc_run_merge(mpc_run_t *dst, const mpc_run_t *src);

#endif /* MPC_RESULTS_H */
