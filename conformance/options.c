/*
 * options.c - the command line: one table of options (name, kind, field,
 * help), the parser over it and the help it prints.  Every command accepts
 * every option; a command's --help lists the groups that mean something
 * to it.  Adding an option is one table row.
 */
#include <errno.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "session.h"

#ifndef MPC_SOURCE_ROOT
#define MPC_SOURCE_ROOT "."
#endif
#ifndef MPC_BUILD_ROOT
#define MPC_BUILD_ROOT "build"
#endif

typedef enum {
    K_FLAG,   /* int field set to 1 */
    K_PATH,   /* char * field, replaced */
    K_LIST,   /* mpc_strv_t field, comma or space separated, appended */
    K_PUSH,   /* mpc_strv_t field, the value appended as one */
    K_INT,    /* int field in [lo, hi] */
    K_DBL,    /* double field, > 0 and <= 1e6 */
    K_SHARD,  /* K/N */
    K_ORACLE, /* live | recorded */
} kind_t;

typedef struct {
    const char *name, *alias;
    kind_t kind;
    size_t off;
    unsigned groups; /* MPC_OPTG_*: where --help lists it; 0 nowhere */
    const char *arg, *help;
    long lo, hi;
} opt_t;

#define F(field) offsetof(mpc_opts_t, field)
#define SEL      MPC_OPTG_SELECT
#define IMP      MPC_OPTG_IMPL
#define RUN      MPC_OPTG_RUN
#define OUT      MPC_OPTG_OUT
#define ROOT     MPC_OPTG_ROOT

static const opt_t opts[] = {
    {.name = "--source",
     .kind = K_PATH,
     .off = F(source),
     .groups = ROOT,
     .arg = "DIR",
     .help = "source root: cases in DIR/cases, profiles in\n"
             "DIR/conformance/impls, shim DIR/conformance/shim\n"
             "(default: the tree it was built from; installed:\n"
             "DATADIR/mpconform)"},
    {.name = "--cases",
     .kind = K_PATH,
     .off = F(cases_root),
     .groups = ROOT,
     .arg = "DIR",
     .help = "cases root (default SOURCE/cases)"},
    {.name = "--filter",
     .kind = K_LIST,
     .off = F(filters),
     .groups = SEL,
     .arg = "GLOB",
     .help = "case ids to run (fnmatch; !GLOB excludes)"},
    {.name = "--area",
     .kind = K_LIST,
     .off = F(areas),
     .groups = SEL,
     .arg = "LIST",
     .help = "case areas to run"},
    {.name = "--shard",
     .kind = K_SHARD,
     .groups = SEL,
     .arg = "K/N",
     .help = "run the K-th of N stable shards (by case id)"},
    {.name = "--impl",
     .kind = K_LIST,
     .off = F(impls),
     .groups = IMP,
     .arg = "LIST",
     .help = "implementations (default: every profile)"},
    {.name = "--profile",
     .kind = K_PUSH,
     .off = F(profiles),
     .groups = IMP,
     .arg = "FILE",
     .help = "add an implementation profile (also MPCONFORM_IMPLS)"},
    {.name = "--build",
     .kind = K_PATH,
     .off = F(build),
     .groups = IMP,
     .arg = "DIR",
     .help = "meson build root (ref binaries: DIR/cases/case-SLUG;\n"
             "installed: LIBEXECDIR/mpconform)"},
    {.name = "--method",
     .kind = K_LIST,
     .off = F(methods),
     .groups = RUN,
     .arg = "LIST",
     .help = "fork, spawn, forkserver (default: fork; bless: all three)"},
    {.name = "--jobs",
     .alias = "-j",
     .kind = K_INT,
     .off = F(jobs),
     .groups = RUN,
     .arg = "N",
     .help = "parallel cases (default: online cores)",
     .lo = 1,
     .hi = 1024},
    {.name = "--repeat",
     .kind = K_INT,
     .off = F(repeat),
     .groups = RUN,
     .arg = "N",
     .help = "run each cell N times (FLAKY when outcomes differ)",
     .lo = 1,
     .hi = 100000},
    {.name = "--time-scale",
     .kind = K_DBL,
     .off = F(time_scale),
     .groups = RUN,
     .arg = "F",
     .help = "MP_TIME_SCALE for the cases (default 0.1)"},
    {.name = "--timeout",
     .kind = K_DBL,
     .off = F(timeout),
     .groups = RUN,
     .arg = "S",
     .help = "override every case's timeout (real seconds)"},
    {.name = "--grace",
     .kind = K_DBL,
     .off = F(grace),
     .groups = RUN,
     .arg = "S",
     .help = "time a case's leftovers get to exit (default 3)"},
    {.name = "--no-isolate",
     .kind = K_FLAG,
     .off = F(no_isolate),
     .groups = RUN,
     .help = "no private mount namespace: diff the shared /dev/shm"},
    {.name = "--oracle",
     .kind = K_ORACLE,
     .groups = RUN,
     .arg = "live|recorded",
     .help = "oracle captures from a live CPython run or oracle.rec\n"
             "(default: recorded)"},
    {.name = "--report",
     .kind = K_PATH,
     .off = F(report),
     .groups = OUT,
     .arg = "DIR",
     .help = "where the reports go (default BUILD/report;\n"
             "installed: ./mpconform-report)"},
    {.name = "--mutation",
     .kind = K_PATH,
     .off = F(mutation),
     .groups = OUT,
     .arg = "FILE",
     .help = "./scripts/mutation's results.json, its score in the reports\n"
             "(default: BUILD/mutation/results.json when it exists;\n"
             "none: no mutation score)"},
    {.name = "--no-report",
     .kind = K_FLAG,
     .off = F(no_report),
     .groups = OUT,
     .help = "write no report"},
    {.name = "--tap",
     .kind = K_FLAG,
     .off = F(tap),
     .groups = OUT,
     .help = "TAP output (for meson test)"},
    {.name = "--verbose",
     .kind = K_FLAG,
     .off = F(verbose),
     .groups = OUT,
     .help = "show the output and the mismatch of failures"},
    {.name = "--allow-empty",
     .kind = K_FLAG,
     .off = F(allow_empty),
     .groups = OUT,
     .help = "exit 0 when no cell ran (every cell skipped or no case\n"
             "selected); without it that is exit 2"},
    {.name = "--impls", .kind = K_FLAG, .off = F(list_impls)},
    /* known-failures: qualify each line by the version judged at */
    {.name = "--versioned", .kind = K_FLAG, .off = F(versioned)},
    {.name = "--help", .alias = "-h", .kind = K_FLAG, .off = F(help)},
    {.name = "--version", .kind = K_FLAG, .off = F(version)},
};

#undef F

static const opt_t *find_opt(const char *name)
{
    for (size_t i = 0; i < sizeof opts / sizeof *opts; i++)
        if (strcmp(name, opts[i].name) == 0 ||
            (opts[i].alias && strcmp(name, opts[i].alias) == 0))
            return &opts[i];
    return NULL;
}

void mpc_opts_help(FILE *f, unsigned groups)
{
    for (size_t i = 0; i < sizeof opts / sizeof *opts; i++) {
        const opt_t *op = &opts[i];
        if (!(op->groups & groups))
            continue;
        char head[64];
        snprintf(head, sizeof head, "%s%s%s", op->name, op->arg ? " " : "",
                 op->arg ? op->arg : "");
        /* the help's continuation lines align under its first line */
        fprintf(f, "  %-22s", head);
        if (strlen(head) > 21) /* no room for a space */
            fprintf(f, "\n  %-22s", "");
        for (const char *h = op->help; *h;) {
            size_t n = strcspn(h, "\n");
            fprintf(f, "%.*s\n", (int)n, h);
            h += n;
            if (*h) {
                h++;
                fprintf(f, "  %-22s", "");
            }
        }
    }
}

static long parse_long(const char *opt, const char *v, long lo, long hi)
{
    char *e;
    errno = 0;
    long n = strtol(v, &e, 10);
    if (e == v || *e || errno || n < lo || n > hi)
        mpc_die("%s: bad value '%s'", opt, v);
    return n;
}

static double parse_dbl(const char *opt, const char *v)
{
    char *e;
    double d = strtod(v, &e);
    if (e == v || *e || !(d > 0) || d > 1e6)
        mpc_die("%s: bad value '%s'", opt, v);
    return d;
}

static void set_opt(mpc_opts_t *o, const opt_t *op, const char *name,
                    const char *val)
{
    void *field = (char *)o + op->off;
    switch (op->kind) {
    case K_FLAG:
        *(int *)field = 1;
        break;
    case K_PATH:
        free(*(char **)field);
        *(char **)field = mpc_xstrdup(val);
        break;
    case K_LIST:
        mpc_strv_split(field, val, ", ");
        break;
    case K_PUSH:
        mpc_strv_pushdup(field, val);
        break;
    case K_INT:
        *(int *)field = (int)parse_long(name, val, op->lo, op->hi);
        break;
    case K_DBL:
        *(double *)field = parse_dbl(name, val);
        break;
    case K_SHARD: {
        int k, n, used = 0;
        if (sscanf(val, "%d/%d%n", &k, &n, &used) != 2 || val[used] || n < 1 ||
            k < 1 || k > n)
            mpc_die("--shard: want K/N with 1 <= K <= N, got '%s'", val);
        o->shard_k = k;
        o->shard_n = n;
        break;
    }
    case K_ORACLE:
        if (strcmp(val, "live") == 0)
            o->oracle_live = 1;
        else if (strcmp(val, "recorded") == 0)
            o->oracle_live = 0;
        else
            mpc_die("--oracle: live or recorded, not '%s'", val);
        break;
    }
}

/*
 * An installed runner (meson install) finds its data beside itself:
 * BINDIR/MPC_DATA_FROM_BIN holds cases/ and conformance/{impls,shim,
 * examples} as the source tree does, BINDIR/MPC_LIBEXEC_FROM_BIN the ref
 * translations (cases/case-SLUG, what the ref profile runs from {build}).
 * Returns 1 and sets both roots when this binary is such an installed one;
 * a runner in its build tree has no DATA/cases beside it and keeps the
 * roots compiled in.  The report then goes to the current folder, since
 * the installed tree need not be writable.
 */
static int installed_roots(mpc_opts_t *o)
{
#if defined(MPC_DATA_FROM_BIN) && defined(MPC_LIBEXEC_FROM_BIN)
    char *exe = realpath("/proc/self/exe", NULL);
    if (!exe)
        return 0;
    char *slash = strrchr(exe, '/');
    *slash = '\0';
    char *data = mpc_xasprintf("%s/%s", exe, MPC_DATA_FROM_BIN);
    char *cases = mpc_xasprintf("%s/cases", data);
    int found = access(cases, R_OK | X_OK) == 0;
    if (found) {
        o->source = data;
        o->build = mpc_xasprintf("%s/%s", exe, MPC_LIBEXEC_FROM_BIN);
        o->report = mpc_xstrdup("mpconform-report");
    } else {
        free(data);
    }
    free(cases);
    free(exe);
    return found;
#else
    (void)o;
    return 0;
#endif
}

static void set_defaults(mpc_opts_t *o, int argc, char **argv)
{
    o->cmd = argc > 1 ? argv[1] : NULL;
    if (!installed_roots(o)) {
        o->source = mpc_xstrdup(MPC_SOURCE_ROOT);
        o->build = mpc_xstrdup(MPC_BUILD_ROOT);
    }
    o->jobs = (int)sysconf(_SC_NPROCESSORS_ONLN);
    if (o->jobs < 1)
        o->jobs = 1;
    o->repeat = 1;
    o->time_scale = 0.1;
    o->shard_k = o->shard_n = 1;
    o->grace = 3.0;
    o->argc = argc;
    o->argv = argv;
}

/* The derived paths, made absolute: cases run in their own folder. */
static void finish(mpc_opts_t *o)
{
    for (size_t i = 0; i < o->methods.n; i++)
        if (strcmp(o->methods.v[i], "fork") &&
            strcmp(o->methods.v[i], "spawn") &&
            strcmp(o->methods.v[i], "forkserver"))
            mpc_die("--method: unknown start method '%s' (fork, spawn, "
                    "forkserver)",
                    o->methods.v[i]);
    if (!o->cases_root)
        o->cases_root = mpc_xasprintf("%s/cases", o->source);
    o->shim = mpc_xasprintf("%s/conformance/shim", o->source);
    if (!o->report)
        o->report = mpc_xasprintf("%s/report", o->build);
    char **paths[] = {&o->source, &o->build, &o->cases_root, &o->shim};
    for (size_t i = 0; i < sizeof paths / sizeof *paths; i++) {
        char *abs = realpath(*paths[i], NULL);
        if (abs) {
            free(*paths[i]);
            *paths[i] = abs;
        }
    }
}

void mpc_opts_parse(mpc_session_t *s, int argc, char **argv)
{
    mpc_opts_t *o = &s->o;
    set_defaults(o, argc, argv);
    for (int i = 2; i < argc; i++) {
        const char *a = argv[i];
        if (a[0] != '-' || strcmp(a, "-") == 0) {
            mpc_strv_pushdup(&o->args, a);
            continue;
        }
        char name[64];
        const char *eq = strncmp(a, "--", 2) == 0 ? strchr(a, '=') : NULL;
        const char *val = eq ? eq + 1 : NULL;
        snprintf(name, sizeof name, "%.*s", eq ? (int)(eq - a) : (int)strlen(a),
                 a);
        const opt_t *op = find_opt(name);
        if (!op)
            mpc_die("unknown option '%s' (see mpconform %s --help)", name,
                    o->cmd);
        if (op->kind == K_FLAG && val)
            mpc_die("%s takes no value", name);
        if (op->kind != K_FLAG && !val) {
            if (i + 1 >= argc)
                mpc_die("%s needs a value", name);
            val = argv[++i];
        }
        set_opt(o, op, name, val);
    }
    if (o->help || o->version)
        return; /* they print and exit: nothing else is checked or done */
    finish(o);
}
