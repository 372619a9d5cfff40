/*
 * case.h - a parsed case (`case.exp`, CASE-FORMAT.md).
 *
 * mpc_case_load() reads and checks a case file; every error is one line
 * `FILE:LINE: message`.  The parsed case owns all its memory.
 */
#ifndef MPC_CASE_H
#define MPC_CASE_H

#include <stddef.h>
#include <stdio.h>

#include "util.h"

typedef enum {
    MPC_CAP_INT,
    MPC_CAP_FLOAT,
    MPC_CAP_PID,
    MPC_CAP_HEX,
    MPC_CAP_TS,
    MPC_CAP_WORD,
    MPC_CAP_TEXT
} mpc_captype_t;

const char *mpc_captype_name(mpc_captype_t t);
/* 1 when values of the type are numbers (int, float, pid, ts). */
int mpc_captype_numeric(mpc_captype_t t);

/* One piece of a pattern: literal text, or a capture. */
typedef struct {
    char *lit;  /* literal text (NULL for a capture) */
    char *name; /* capture name, NULL for `_` */
    mpc_captype_t type;
} mpc_seg_t;

typedef struct {
    mpc_seg_t *segs;
    size_t nsegs;
} mpc_pattern_t;

typedef enum {
    MPC_IT_EQ,         /* = TEXT */
    MPC_IT_PAT,        /* ~ PATTERN */
    MPC_IT_ANY,        /* ... */
    MPC_IT_REPEAT,     /* repeat N[..M] { } */
    MPC_IT_UNORDERED,  /* unordered { } */
    MPC_IT_INTERLEAVE, /* interleave { stream { } ... } */
    MPC_IT_EITHER      /* either { } or { } ... */
} mpc_item_kind_t;

typedef struct mpc_item mpc_item_t;

typedef struct {
    mpc_item_t *v;
    size_t n;
} mpc_items_t;

struct mpc_item {
    mpc_item_kind_t kind;
    int line;          /* line in case.exp */
    int optional;      /* `?` prefix */
    char *src;         /* the item as written (trimmed), for reports */
    char *text;        /* EQ: the exact text */
    mpc_pattern_t pat; /* PAT */
    int min, max;      /* REPEAT */
    mpc_items_t body;  /* REPEAT, UNORDERED */
    mpc_items_t *alts; /* EITHER alternatives, INTERLEAVE streams */
    size_t nalts;
};

typedef enum {
    MPC_REL_EQ,
    MPC_REL_NE,
    MPC_REL_LT,
    MPC_REL_LE,
    MPC_REL_GT,
    MPC_REL_GE,
    MPC_REL_ABSDIFF, /* abs(a - b) <= tol */
    MPC_REL_IN,
    MPC_REL_SET,
    MPC_REL_LIST,
    MPC_REL_COUNT,
    MPC_REL_DISTINCT,
    MPC_REL_SORTED
} mpc_rel_kind_t;

typedef struct {
    mpc_rel_kind_t kind;
    int line;
    char *src;        /* the relation as written */
    char *a;          /* left capture */
    char *b;          /* right capture (EQ..GE, ABSDIFF, SET, LIST), or NULL */
    char *lit;        /* right literal (EQ..GE) when b is NULL */
    double tol;       /* ABSDIFF */
    mpc_strv_t vals;  /* IN, SET, LIST literal values */
    int range;        /* SET/LIST written N..M */
    long long lo, hi; /* the range */
    long long count;  /* COUNT */
} mpc_rel_t;

typedef struct {
    char *title;
    char *doc, *cpython, *why;
    int line;
} mpc_erratum_t;

/* A Python language version is major * 100 + minor (3.11 is 311); 0 is
 * none or unknown. */
#define MPC_PYVER(major, minor) ((major)*100 + (minor))
/* The project's host CPython (Debian bookworm's 3.11.2): the version a case
 * is resolved at when nothing else says one, and the version whose oracle
 * values are kept in `oracle.rec` (others in `oracle-X.Y.rec`). */
#define MPC_PYVER_HOST MPC_PYVER(3, 11)

/* Parse "X.Y" at s (X 1..99, Y 0..99); returns the version and sets *end
 * past it, or 0 when s does not start with one. */
int mpc_pyver_parse(const char *s, const char **end);
/* "3.11" into buf (at least 16 bytes); "?" for 0. */
const char *mpc_pyver_str(int v, char *buf);

/* A version qualifier: `since X.Y` (X.Y and newer), `until X.Y` (X.Y and
 * older), `python X.Y` (exactly X.Y). */
typedef enum { MPC_VQ_SINCE, MPC_VQ_UNTIL, MPC_VQ_EXACT } mpc_vq_kind_t;
typedef struct {
    mpc_vq_kind_t kind;
    int ver;
} mpc_vqual_t;

/* A qualifier at the start of s ("since 3.12", then the rest at *rest);
 * returns 1, or 0 when s does not start with one. */
int mpc_vqual_parse(const char *s, mpc_vqual_t *q, const char **rest);
/* Does the qualifier hold at version ver? */
int mpc_vqual_holds(const mpc_vqual_t *q, int ver);

/* change: TITLE -- a behaviour CPython changed, in which version, why. */
typedef struct {
    char *title;
    int version;
    char *before, *after, *why;
    int line;
} mpc_change_t;

typedef struct {
    char *path; /* the case.exp file */
    char *dir;  /* its folder */
    char *id, *title, *source, *ref;
    mpc_strv_t primitives, methods, tags, oracle;
    /* covers: CPython test methods (`Class.test_method`) whose principal
     * assertions the case checks (conformance/cpython-suite.txt) */
    mpc_strv_t covers;
    /* not-applicable: IMPL REASON -- the contract is a Python-language
     * detail that IMPL cannot express; its cell is `n/a`, never a pass */
    char *na_impl, *na_reason;
    int unbuffered;
    int tty;         /* buffering: tty -- stdout a terminal */
    int exit_status; /* expected; -N = killed by signal N */
    double timeout;  /* real seconds */
    int has_wall;
    double wall_d, wall_s;
    size_t shm_size; /* > 0: its private /dev/shm (shm-size) */
    int has_time_scale;
    double time_scale;
    char *document; /* verbatim, lines joined with \n, "" if none */
    mpc_erratum_t *errata;
    size_t nerrata;
    int has_stdout, has_stderr;
    mpc_items_t out, err;
    mpc_rel_t *checks;
    size_t nchecks;
    mpc_strv_t capnames;     /* every capture name used by a pattern */
    mpc_captype_t *captypes; /* the type of each capnames entry */
    /* the version blocks and qualified lines were resolved at this Python
     * version (CASE-FORMAT.md "Versions") */
    int pyver;
    int since, until; /* the case applies to these versions (0: unbounded) */
    mpc_change_t *changes;
    size_t nchanges;
} mpc_case_t;

/* Parse text (the contents of path) at Python version pyver: the version
 * blocks and qualified lines that hold at pyver apply, the others vanish
 * (both are checked).  Returns 0, or -1 with *err set to a malloc'd
 * `FILE:LINE: message` (c is then freed). */
int mpc_case_parse_at(const char *path, const char *text, int pyver,
                      mpc_case_t *c, char **err);
/* The same at MPC_PYVER_HOST. */
int mpc_case_parse(const char *path, const char *text, mpc_case_t *c,
                   char **err);
/* Read path and parse it at pyver; also checks that the id matches the
 * folder when cases_root is not NULL (the id must be the path below it). */
int mpc_case_load_at(const char *path, const char *cases_root, int pyver,
                     mpc_case_t *c, char **err);
int mpc_case_load(const char *path, const char *cases_root, mpc_case_t *c,
                  char **err);

/* When the case does not apply at its version (`since:`, `until:`), the
 * reason (malloc'd), else NULL. */
char *mpc_case_version_skip(const mpc_case_t *c);

/* The oracle record of the case folder dir for Python version pyver:
 * `DIR/oracle.rec` at MPC_PYVER_HOST, `DIR/oracle-X.Y.rec` otherwise
 * (malloc'd). */
char *mpc_oracle_rec_path(const char *dir, int pyver);
void mpc_case_free(mpc_case_t *c);

/* Compile a pattern; returns 0 or -1 with *err (no FILE:LINE prefix). */
int mpc_pattern_compile(const char *src, mpc_pattern_t *p, char **err);
void mpc_pattern_free(mpc_pattern_t *p);

/* Is `name` a well-formed CPython test method name, `Class.test_method`? */
int mpc_covers_name_ok(const char *name);

/* The reason when the case says it is not applicable to implementation impl
 * (`not-applicable: IMPL REASON`), else NULL. */
const char *mpc_case_not_applicable(const mpc_case_t *c, const char *impl);

/* Does the case apply to this start method? */
int mpc_case_has_method(const mpc_case_t *c, const char *method);

/* Print the parsed case (mpconform show). */
void mpc_case_print(const mpc_case_t *c, FILE *f);

#endif /* MPC_CASE_H */
