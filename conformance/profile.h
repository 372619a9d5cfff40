/*
 * profile.h - implementation profiles (PROFILES.md).
 */
#ifndef MPC_PROFILE_H
#define MPC_PROFILE_H

#include "case.h"
#include "util.h"

typedef struct {
    char *case_glob;  /* fnmatch pattern on the case id */
    char *method;     /* or "*" */
    int status;       /* mpc_status_t expected */
    int intermittent; /* STATUS written with '?': some runs pass */
    char *reason;
    /* `since X.Y: ...` (also until, python): the line holds at the
     * versions its qualifier says; has_vq 0: at every version */
    int has_vq;
    mpc_vqual_t vq;
} mpc_known_failure_t;

typedef struct {
    char *path, *dir;
    char *name, *description;
    int oracle;
    mpc_strv_t command, probe,
        version;    /* argv templates (\x20 already decoded) */
    mpc_strv_t env; /* NAME=VALUE templates */
    mpc_strv_t methods;
    char *requires;
    double timeout;       /* > 0: caps every case's timeout */
    size_t shm_size;      /* > 0: the cases' private /dev/shm (shm-size) */
    char *known_failures; /* absolute path or NULL */
    char *root;           /* root: as written (substituted when probed) */
    mpc_known_failure_t *kf;
    size_t nkf;
    /* python-version: a fixed X.Y (pyver_fixed), or a command whose first
     * output line starts with the Python language version (pyver_cmd) */
    int pyver_fixed;
    mpc_strv_t pyver_cmd;
    int cpython; /* cpython: yes (or oracle: yes) -- may be an oracle */
    /* filled by the runner */
    int probed, installed;
    char *reason, *version_str;
    char *root_dir;    /* root: resolved, absolute; NULL without one */
    int root_unusable; /* its root is not there or cannot be entered
                        * (the reason in reason) */
    int pyver;         /* the Python language version, 0 unknown */
    int judge_ver;     /* the version its cells are judged at */
    char *oracle_name; /* the CPython profile it is judged against */
    char *oracle_note; /* why that one, for reports ("" none) */
} mpc_profile_t;

/* Substitution values. */
typedef struct {
    const char *case_dir, *case_id, *slug, *build, *source, *shim, *profile_dir;
} mpc_vars_t;

/* Parse a profile file; 0, or -1 with *err = "FILE:LINE: message". */
int mpc_profile_load(const char *path, mpc_profile_t *p, char **err);
void mpc_profile_free(mpc_profile_t *p);

/* Substitute {case_dir} ... in s; unknown {names} are kept as written. */
char *mpc_subst(const char *s, const mpc_vars_t *v);
/* Substitute each template of tmpl into out (appended). */
void mpc_subst_argv(const mpc_strv_t *tmpl, const mpc_vars_t *v,
                    mpc_strv_t *out);

/* The known failure entry for (case, method) of a cell judged at Python
 * version ver, or NULL; a line qualified by a version (`since 3.10: ...`)
 * matches only where its qualifier holds.  With several matching entries
 * (e.g. `fail` and `timeout` for one cell), the one whose status is
 * `status` wins, else the first (status -1: the first). */
const mpc_known_failure_t *mpc_profile_known(const mpc_profile_t *p,
                                             const char *case_id,
                                             const char *method, int status,
                                             int ver);

int mpc_profile_has_method(const mpc_profile_t *p, const char *method);

/* The oracle of an implementation of Python version ver among CPythons of
 * versions cand[0..n): the same minor version, else the nearest newer one.
 * Returns its index, or -1 when there is none (ver unknown, or every
 * candidate older). */
int mpc_choose_oracle(int ver, const int *cand, size_t n);

#endif /* MPC_PROFILE_H */
