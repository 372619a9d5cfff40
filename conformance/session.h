/*
 * session.h - what one invocation of mpconform works on: its options, the
 * selected cases and the implementation profiles.  The commands (cmd_*.c)
 * get a session instead of sharing file-level globals.
 *
 * Allocation failure aborts with a message (util.h's mpc_x* functions),
 * as everywhere in the runner's commands: a command-line tool has nothing
 * sensible to do without memory.  The results model and the reporters
 * below it return -1 instead (they are a library, tested for it).
 */
#ifndef MPC_SESSION_H
#define MPC_SESSION_H

#include <pthread.h>
#include <stdio.h>

#include "case.h"
#include "profile.h"
#include "util.h"

/* The options of every command (options.c parses them; RUNNER.md). */
typedef struct {
    const char *cmd;
    char *source, *build, *cases_root, *shim, *report;
    char *mutation; /* --mutation FILE, "none", or NULL: the default */
    mpc_strv_t impls, methods, filters, areas, profiles;
    int jobs, repeat;
    double time_scale;
    double timeout; /* 0: the case's */
    double grace;
    int shard_k, shard_n;
    int oracle_live;
    int tap, no_report, verbose, list_impls, no_isolate, allow_empty;
    int versioned;   /* known-failures --versioned */
    int help;        /* --help: print the command's help, do nothing */
    int version;     /* --version */
    const char *bad; /* a usage error, said after --help had its chance */
    mpc_strv_t args; /* positional arguments */
    int argc;
    char **argv;
} mpc_opts_t;

/* A case parsed at one Python version (CASE-FORMAT.md "Versions"). */
typedef struct {
    int ver;
    int ok;
    char *err;
    mpc_case_t c;
} mpc_case_ver_t;

/* One case folder of the selection. */
typedef struct {
    char *id; /* from the folder */
    char *dir;
    char *file;
    int ok;
    char *err;
    mpc_case_t c; /* at MPC_PYVER_HOST */
    /* at every other version a cell is judged at (mpc_session_versions) */
    mpc_case_ver_t *vers;
    size_t nvers;
} mpc_case_ent_t;

/* The case as judged at Python version ver: the parse at ver when
 * mpc_session_versions made one, else the host's; *ok and *err (the parse
 * error, when not ok) as for that parse. */
const mpc_case_t *mpc_case_ent_at(const mpc_case_ent_t *ce, int ver, int *ok,
                                  const char **err);

typedef struct {
    mpc_opts_t o;
    mpc_case_ent_t *cases;
    size_t ncases;
    size_t nunsharded; /* cases the filters selected before --shard */
    mpc_profile_t *profs;
    size_t nprofs;
    int *vers; /* the versions cells are judged at (mpc_session_versions) */
    size_t nvers;
    pthread_mutex_t lock; /* probes and console output of worker threads */
} mpc_session_t;

/* Print "mpconform: MESSAGE" on stderr and exit 2 (a usage error). */
void mpc_die(const char *fmt, ...)
    __attribute__((format(printf, 1, 2), noreturn));

/* Parse argv into s->o (options.c); a usage error exits 2. */
void mpc_opts_parse(mpc_session_t *s, int argc, char **argv);
/* The options --help lists for a command, by group (options.c). */
enum {
    MPC_OPTG_SELECT = 1u << 0, /* --filter, --area, --shard */
    MPC_OPTG_IMPL = 1u << 1,   /* --impl, --profile, --build */
    MPC_OPTG_RUN = 1u << 2,    /* --method, --jobs, --repeat, --timeout ... */
    MPC_OPTG_OUT = 1u << 3,    /* --report, --tap, --verbose ... */
    MPC_OPTG_ROOT = 1u << 4,   /* --source, --cases */
};
void mpc_opts_help(FILE *f, unsigned groups);

/* Find the case.exp files under the cases root; with select, keep only the
 * ids the filters, areas and shard select.  Dies when there is no root. */
void mpc_session_load_cases(mpc_session_t *s, int select);
/* The profiles: conformance/impls, MPCONFORM_IMPLS, --profile; the oracle
 * first, then ref, then the others. */
void mpc_session_load_profiles(mpc_session_t *s);
mpc_profile_t *mpc_session_find_profile(mpc_session_t *s, const char *name);
mpc_profile_t *mpc_session_oracle(mpc_session_t *s);
/* The profiles --impl names (dies on an unknown one), or all of them.
 * Returns a calloc'd array of *n pointers. */
mpc_profile_t **mpc_session_select_profiles(mpc_session_t *s, size_t *n);
/* Run the profile's probe and version commands once (not thread-safe:
 * callers from worker threads hold s->lock). */
void mpc_session_probe(mpc_session_t *s, mpc_profile_t *p);

/* The host folders a rooted profile's commands see at their own paths
 * inside its root (PROFILES.md, root:): the source, build and cases trees,
 * the shim, the profile's folder and the report folder, absolute, without
 * one inside another (out->v is NULL-terminated). */
void mpc_session_binds(const mpc_session_t *s, const mpc_profile_t *p,
                       mpc_strv_t *out);
/* Versions (RESULTS.md): probe the Python version of the profiles sel and
 * of every CPython profile (`cpython: yes` or `oracle: yes`), choose the
 * oracle of each of sel (a CPython is its own; else the installed CPython
 * of the same minor version, else the nearest newer one, else the default
 * oracle), and parse every case at each version a cell is judged at.
 * Idempotent for one selection. */
void mpc_session_versions(mpc_session_t *s, mpc_profile_t **sel, size_t nsel);
/* The index of ver in s->vers (0 when absent). */
size_t mpc_session_ver_index(const mpc_session_t *s, int ver);

/* The environment of a case (CASE-FORMAT.md: exactly these variables). */
void mpc_build_env(mpc_strv_t *env, const mpc_profile_t *p, const char *method,
                   double scale, int unbuffered, const mpc_vars_t *v);

int mpc_file_exists(const char *dir, const char *name);
int mpc_cmp_str(const void *a, const void *b);

#endif /* MPC_SESSION_H */
