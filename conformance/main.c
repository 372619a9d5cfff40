/*
 * main.c - mpconform: list, run, show, merge, bless.
 *
 * `run` expands the selection into tasks (case x implementation x start
 * method), runs them on a pool of worker threads (each task forks its case
 * through exec.c), judges each run with match.c, and fills the results
 * model of results.h for the reporters.
 */
#include <dirent.h>
#include <errno.h>
#include <fnmatch.h>
#include <ftw.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "case.h"
#include "exec.h"
#include "match.h"
#include "profile.h"
#include "results.h"
#include "util.h"

#ifndef MPC_VERSION
#define MPC_VERSION "0.1.0"
#endif
#ifndef MPC_SOURCE_ROOT
#define MPC_SOURCE_ROOT "."
#endif
#ifndef MPC_BUILD_ROOT
#define MPC_BUILD_ROOT "build"
#endif

#define WORKER_STACK (256u * 1024 * 1024)

/* ---------------------------------------------------------------- options */

typedef struct {
    const char *cmd;
    char *source, *build, *cases_root, *shim, *report;
    mpc_strv_t impls, methods, filters, areas, profiles;
    int jobs, repeat;
    double time_scale;
    double timeout; /* 0: the case's */
    int shard_k, shard_n;
    int oracle_live;
    int tap, no_report, verbose, list_impls, no_isolate;
    double grace;
    mpc_strv_t args; /* positional */
    int argc;
    char **argv;
} opts_t;

static opts_t O;

static void usage(FILE *f)
{
    fputs(
        "usage: mpconform COMMAND [OPTIONS]\n"
        "\n"
        "commands:\n"
        "  list [--impls]        the cases (or the implementations) selected\n"
        "  run                   run cases on implementations and report\n"
        "  show CASE             print a parsed case (id, folder or case.exp)\n"
        "  merge OUT.json IN.json...  join shard results, rewrite the reports "
        "beside OUT\n"
        "  bless                 run the oracle and write each case's "
        "oracle.rec\n"
        "\n"
        "options (LIST is comma separated; options may be repeated):\n"
        "  --source DIR          source root (cases in DIR/cases, profiles in\n"
        "                        DIR/conformance/impls, shim "
        "DIR/conformance/shim)\n"
        "  --build DIR           meson build root (ref binaries: "
        "DIR/cases/case-SLUG)\n"
        "  --cases DIR           cases root (default SOURCE/cases)\n"
        "  --impl LIST           implementations (default: every profile)\n"
        "  --method LIST         fork, spawn, forkserver (default: fork)\n"
        "  --filter GLOB         case ids to run (fnmatch; !GLOB excludes)\n"
        "  --area LIST           case areas to run\n"
        "  --jobs N              parallel cases (default: online cores)\n"
        "  --repeat N            run each cell N times (FLAKY when outcomes "
        "differ)\n"
        "  --time-scale F        MP_TIME_SCALE for the cases (default 0.1)\n"
        "  --timeout S           override every case's timeout (real seconds)\n"
        "  --shard K/N           run the K-th of N stable shards (by case id)\n"
        "  --report DIR          where the reports go (default BUILD/report)\n"
        "  --no-report           write no report\n"
        "  --profile FILE        add an implementation profile (also "
        "MPCONFORM_IMPLS)\n"
        "  --oracle live|recorded  oracle captures from a live CPython run or "
        "oracle.rec\n"
        "  --tap                 TAP output (for meson test)\n"
        "  --verbose             show the output and the mismatch of failures\n"
        "  --grace S             time a case's leftovers get to exit (default "
        "3)\n"
        "  --no-isolate          no private mount namespace: diff the shared "
        "/dev/shm\n",
        f);
}

static void die(const char *fmt, ...)
    __attribute__((format(printf, 1, 2), noreturn));

static void die(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fputs("mpconform: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
    exit(2);
}

static long parse_long(const char *opt, const char *v, long lo, long hi)
{
    char *e;
    errno = 0;
    long n = strtol(v, &e, 10);
    if (e == v || *e || errno || n < lo || n > hi)
        die("%s: bad value '%s'", opt, v);
    return n;
}

static double parse_dbl(const char *opt, const char *v)
{
    char *e;
    double d = strtod(v, &e);
    if (e == v || *e || !(d > 0) || d > 1e6)
        die("%s: bad value '%s'", opt, v);
    return d;
}

static void parse_opts(int argc, char **argv)
{
    O.cmd = argc > 1 ? argv[1] : NULL;
    O.source = mpc_xstrdup(MPC_SOURCE_ROOT);
    O.build = mpc_xstrdup(MPC_BUILD_ROOT);
    O.jobs = (int)sysconf(_SC_NPROCESSORS_ONLN);
    if (O.jobs < 1)
        O.jobs = 1;
    O.repeat = 1;
    O.time_scale = 0.1;
    O.shard_k = O.shard_n = 1;
    O.grace = 3.0;
    O.argc = argc;
    O.argv = argv;
    for (int i = 2; i < argc; i++) {
        const char *a = argv[i];
        if (a[0] != '-' || strcmp(a, "-") == 0) {
            mpc_strv_pushdup(&O.args, a);
            continue;
        }
        char *eq = NULL, *val = NULL;
        char name[64];
        if (strncmp(a, "--", 2) == 0 && (eq = strchr(a, '=')) != NULL) {
            snprintf(name, sizeof name, "%.*s", (int)(eq - a), a);
            val = eq + 1;
        } else {
            snprintf(name, sizeof name, "%s", a);
        }
        static const char *const flags[] = {
            "--tap",  "--no-report", "--verbose", "--impls",
            "--help", "-h",          "--version", "--no-isolate"};
        int is_flag = 0;
        for (size_t k = 0; k < sizeof flags / sizeof *flags; k++)
            is_flag |= strcmp(name, flags[k]) == 0;
        if (!is_flag && !val) {
            if (i + 1 >= argc)
                die("%s needs a value", name);
            val = argv[++i];
        }
        if (strcmp(name, "--tap") == 0)
            O.tap = 1;
        else if (strcmp(name, "--no-report") == 0)
            O.no_report = 1;
        else if (strcmp(name, "--verbose") == 0)
            O.verbose = 1;
        else if (strcmp(name, "--impls") == 0)
            O.list_impls = 1;
        else if (strcmp(name, "--no-isolate") == 0)
            O.no_isolate = 1;
        else if (strcmp(name, "--help") == 0 || strcmp(name, "-h") == 0) {
            usage(stdout);
            exit(0);
        } else if (strcmp(name, "--version") == 0) {
            printf("mpconform %s\n", MPC_VERSION);
            exit(0);
        } else if (strcmp(name, "--source") == 0) {
            free(O.source);
            O.source = mpc_xstrdup(val);
        } else if (strcmp(name, "--build") == 0) {
            free(O.build);
            O.build = mpc_xstrdup(val);
        } else if (strcmp(name, "--cases") == 0) {
            free(O.cases_root);
            O.cases_root = mpc_xstrdup(val);
        } else if (strcmp(name, "--report") == 0) {
            free(O.report);
            O.report = mpc_xstrdup(val);
        } else if (strcmp(name, "--impl") == 0)
            mpc_strv_split(&O.impls, val, ", ");
        else if (strcmp(name, "--method") == 0) {
            mpc_strv_split(&O.methods, val, ", ");
        } else if (strcmp(name, "--filter") == 0)
            mpc_strv_split(&O.filters, val, ", ");
        else if (strcmp(name, "--area") == 0)
            mpc_strv_split(&O.areas, val, ", ");
        else if (strcmp(name, "--profile") == 0)
            mpc_strv_pushdup(&O.profiles, val);
        else if (strcmp(name, "--jobs") == 0 || strcmp(name, "-j") == 0)
            O.jobs = (int)parse_long(name, val, 1, 1024);
        else if (strcmp(name, "--repeat") == 0)
            O.repeat = (int)parse_long(name, val, 1, 100000);
        else if (strcmp(name, "--time-scale") == 0)
            O.time_scale = parse_dbl(name, val);
        else if (strcmp(name, "--timeout") == 0)
            O.timeout = parse_dbl(name, val);
        else if (strcmp(name, "--grace") == 0)
            O.grace = parse_dbl(name, val);
        else if (strcmp(name, "--shard") == 0) {
            int k, n, used = 0;
            if (sscanf(val, "%d/%d%n", &k, &n, &used) != 2 || val[used] ||
                n < 1 || k < 1 || k > n)
                die("--shard: want K/N with 1 <= K <= N, got '%s'", val);
            O.shard_k = k;
            O.shard_n = n;
        } else if (strcmp(name, "--oracle") == 0) {
            if (strcmp(val, "live") == 0)
                O.oracle_live = 1;
            else if (strcmp(val, "recorded") == 0)
                O.oracle_live = 0;
            else
                die("--oracle: live or recorded, not '%s'", val);
        } else {
            die("unknown option '%s' (see mpconform --help)", name);
        }
    }
    for (size_t i = 0; i < O.methods.n; i++)
        if (strcmp(O.methods.v[i], "fork") && strcmp(O.methods.v[i], "spawn") &&
            strcmp(O.methods.v[i], "forkserver"))
            die("--method: unknown start method '%s' (fork, spawn, forkserver)",
                O.methods.v[i]);
    if (!O.cases_root)
        O.cases_root = mpc_xasprintf("%s/cases", O.source);
    O.shim = mpc_xasprintf("%s/conformance/shim", O.source);
    if (!O.report)
        O.report = mpc_xasprintf("%s/report", O.build);
    /* absolute paths: cases run in their own folder */
    char **paths[] = {&O.source, &O.build, &O.cases_root, &O.shim};
    for (size_t i = 0; i < sizeof paths / sizeof *paths; i++) {
        char *abs = realpath(*paths[i], NULL);
        if (abs) {
            free(*paths[i]);
            *paths[i] = abs;
        }
    }
}

/* ------------------------------------------------------------------ cases */

typedef struct {
    char *id; /* from the folder */
    char *dir;
    char *file;
    int ok;
    char *err;
    mpc_case_t c;
} case_ent_t;

static case_ent_t *CASES;
static size_t NCASES;
static mpc_strv_t FOUND;

static int found_cb(const char *path, const struct stat *st, int flag,
                    struct FTW *ftw)
{
    (void)st;
    (void)ftw;
    if (flag == FTW_F) {
        const char *b = strrchr(path, '/');
        if (b && strcmp(b + 1, "case.exp") == 0)
            mpc_strv_pushdup(&FOUND, path);
    }
    return 0;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static uint64_t fnv1a(const char *s)
{
    uint64_t h = 1469598103934665603ull;
    for (; *s; s++) {
        h ^= (unsigned char)*s;
        h *= 1099511628211ull;
    }
    return h;
}

static int selected_id(const char *id)
{
    /* --filter GLOB selects, --filter '!GLOB' excludes */
    int includes = 0, any = 0;
    for (size_t i = 0; i < O.filters.n; i++) {
        const char *g = O.filters.v[i];
        if (g[0] == '!') {
            if (fnmatch(g + 1, id, 0) == 0)
                return 0;
            continue;
        }
        includes++;
        any |= fnmatch(g, id, 0) == 0;
    }
    if (includes && !any)
        return 0;
    if (O.areas.n) {
        const char *slash = strchr(id, '/');
        size_t al = slash ? (size_t)(slash - id) : strlen(id);
        int any = 0;
        for (size_t i = 0; i < O.areas.n && !any; i++)
            any = strlen(O.areas.v[i]) == al &&
                  strncmp(O.areas.v[i], id, al) == 0;
        if (!any)
            return 0;
    }
    if (O.shard_n > 1 &&
        (int)(fnv1a(id) % (uint64_t)O.shard_n) != O.shard_k - 1)
        return 0;
    return 1;
}

static void load_cases(int select)
{
    struct stat st;
    if (stat(O.cases_root, &st) < 0 || !S_ISDIR(st.st_mode))
        die("no cases folder '%s' (use --source or --cases)", O.cases_root);
    nftw(O.cases_root, found_cb, 32, FTW_PHYS);
    qsort(FOUND.v, FOUND.n, sizeof *FOUND.v, cmp_str);
    CASES = mpc_xcalloc(FOUND.n + 1, sizeof *CASES);
    size_t rl = strlen(O.cases_root);
    for (size_t i = 0; i < FOUND.n; i++) {
        const char *path = FOUND.v[i];
        const char *slash = strrchr(path, '/');
        char *dir = mpc_xstrndup(path, (size_t)(slash - path));
        const char *id = strlen(dir) > rl ? dir + rl + 1 : dir;
        if (select && !selected_id(id)) {
            free(dir);
            continue;
        }
        case_ent_t *ce = &CASES[NCASES++];
        ce->id = mpc_xstrdup(id);
        ce->dir = dir;
        ce->file = mpc_xstrdup(path);
        ce->ok = mpc_case_load(path, O.cases_root, &ce->c, &ce->err) == 0;
    }
}

/* --------------------------------------------------------------- profiles */

static mpc_profile_t *PROFS;
static size_t NPROFS;

static void add_profile(const char *path, int explicit_)
{
    mpc_profile_t p;
    char *err = NULL;
    if (mpc_profile_load(path, &p, &err) < 0) {
        if (explicit_)
            die("%s", err);
        fprintf(stderr, "mpconform: %s (profile ignored)\n", err);
        free(err);
        return;
    }
    for (size_t i = 0; i < NPROFS; i++) {
        if (strcmp(PROFS[i].name, p.name) ==
            0) { /* a later profile overrides */
            mpc_profile_free(&PROFS[i]);
            PROFS[i] = p;
            return;
        }
    }
    PROFS = mpc_xrealloc(PROFS, (NPROFS + 1) * sizeof *PROFS);
    PROFS[NPROFS++] = p;
}

static void add_profile_dir(const char *dir)
{
    mpc_strv_t files = {0};
    DIR *d = opendir(dir);
    if (d) {
        struct dirent *e;
        while ((e = readdir(d)) != NULL) {
            size_t n = strlen(e->d_name);
            if (n > 8 && strcmp(e->d_name + n - 8, ".profile") == 0)
                mpc_strv_push(&files, mpc_xasprintf("%s/%s", dir, e->d_name));
        }
        closedir(d);
    }
    if (files.n)
        qsort(files.v, files.n, sizeof *files.v, cmp_str);
    for (size_t i = 0; i < files.n; i++)
        add_profile(files.v[i], 0);
    mpc_strv_free(&files);
}

static int profile_rank(const mpc_profile_t *p)
{
    return p->oracle ? 0 : strcmp(p->name, "ref") == 0 ? 1 : 2;
}

static void load_profiles(void)
{
    char *d = mpc_xasprintf("%s/conformance/impls", O.source);
    add_profile_dir(d);
    free(d);
    const char *env = getenv("MPCONFORM_IMPLS");
    if (env) {
        mpc_strv_t dirs = {0};
        mpc_strv_split(&dirs, env, ":");
        for (size_t i = 0; i < dirs.n; i++)
            add_profile_dir(dirs.v[i]);
        mpc_strv_free(&dirs);
    }
    for (size_t i = 0; i < O.profiles.n; i++)
        add_profile(O.profiles.v[i], 1);
    /* the oracle first, then ref, then the others (insertion sort: stable) */
    for (size_t i = 1; i < NPROFS; i++) {
        mpc_profile_t p = PROFS[i];
        int rank = profile_rank(&p);
        size_t j = i;
        while (j > 0 && profile_rank(&PROFS[j - 1]) > rank) {
            PROFS[j] = PROFS[j - 1];
            j--;
        }
        PROFS[j] = p;
    }
}

static mpc_profile_t *find_profile(const char *name)
{
    for (size_t i = 0; i < NPROFS; i++)
        if (strcmp(PROFS[i].name, name) == 0)
            return &PROFS[i];
    return NULL;
}

static mpc_profile_t *oracle_profile(void)
{
    for (size_t i = 0; i < NPROFS; i++)
        if (PROFS[i].oracle)
            return &PROFS[i];
    return NULL;
}

/* The environment of a case (CASE-FORMAT.md: exactly these variables). */
static void build_env(mpc_strv_t *env, const mpc_profile_t *p,
                      const char *method, double scale, int unbuffered,
                      const mpc_vars_t *v)
{
    const char *home = getenv("HOME");
    mpc_strv_pushdup(env, "PATH=/usr/local/bin:/usr/bin:/bin");
    mpc_strv_push(env, mpc_xasprintf("HOME=%s", home && *home ? home : "/"));
    mpc_strv_pushdup(env, "LANG=C.UTF-8");
    mpc_strv_pushdup(env, "LC_ALL=C.UTF-8");
    if (scale > 0)
        mpc_strv_push(env, mpc_xasprintf("MP_TIME_SCALE=%g", scale));
    if (method)
        mpc_strv_push(env, mpc_xasprintf("MP_START_METHOD=%s", method));
    if (unbuffered) {
        mpc_strv_pushdup(env, "MP_UNBUFFERED=1");
        mpc_strv_pushdup(env, "PYTHONUNBUFFERED=1");
    }
    for (size_t i = 0; p && i < p->env.n; i++) {
        char *kv = mpc_subst(p->env.v[i], v);
        size_t kl = (size_t)(strchr(kv, '=') - kv);
        size_t j;
        for (j = 0; j < env->n; j++)
            if (strncmp(env->v[j], kv, kl + 1) == 0)
                break;
        if (j < env->n) {
            free(env->v[j]);
            env->v[j] = kv;
        } else {
            mpc_strv_push(env, kv);
        }
    }
}

static char *first_line(const char *a, const char *b)
{
    const char *s = (a && *a) ? a : (b ? b : "");
    size_t n = strcspn(s, "\n");
    return mpc_xstrndup(s, n > 200 ? 200 : n);
}

static void probe_profile(mpc_profile_t *p)
{
    if (p->probed)
        return;
    p->probed = 1;
    mpc_vars_t v = {"", "", "", O.build, O.source, O.shim, p->dir};
    mpc_strv_t env = {0};
    build_env(&env, p, NULL, 0, 0, &v);
    p->installed = 1;
    if (p->probe.n) {
        mpc_strv_t argv = {0};
        mpc_subst_argv(&p->probe, &v, &argv);
        mpc_exec_opts_t eo = {argv.v, env.v, NULL, 60, 0.5, 0, 0, 0};
        mpc_exec_result_t r;
        mpc_exec_run(&eo, &r);
        if (r.start_error || r.timed_out || r.exit_status != 0) {
            p->installed = 0;
            char *l = first_line(r.out.s, r.err.s);
            free(p->reason);
            p->reason =
                r.start_error ? mpc_xasprintf("probe failed: %s", r.start_error)
                : r.timed_out ? mpc_xstrdup("probe failed: timeout")
                : *l          ? mpc_xasprintf("probe failed: %s", l)
                     : mpc_xasprintf("probe failed: exit %d", r.exit_status);
            free(l);
        }
        mpc_exec_result_free(&r);
        mpc_strv_free(&argv);
    }
    if (p->installed && p->version.n) {
        mpc_strv_t argv = {0};
        mpc_subst_argv(&p->version, &v, &argv);
        mpc_exec_opts_t eo = {argv.v, env.v, NULL, 60, 0.5, 0, 0, 0};
        mpc_exec_result_t r;
        if (mpc_exec_run(&eo, &r) == 0 && r.exit_status == 0)
            p->version_str = first_line(r.out.s, r.err.s);
        mpc_exec_result_free(&r);
        mpc_strv_free(&argv);
    }
    mpc_strv_free(&env);
}

/* ------------------------------------------------------------------- tasks */

typedef struct {
    size_t ci;
    mpc_profile_t *p;
    const char *method;
    mpc_result_t res;
    mpc_captures_t caps; /* bless */
} task_t;

static task_t *TASKS;
static size_t NTASKS, NEXT_TASK, NDONE;
static pthread_mutex_t LOCK = PTHREAD_MUTEX_INITIALIZER;
static int TAPN;
static int TTY;
static int COUNTS[MPC_NSTATUS];
static int BLESS;

/* Live oracle runs, one per (case, method). */
typedef struct {
    pthread_mutex_t m;
    int done, ok;
    mpc_oracle_vals_t vals;
    char *err;
} oracle_slot_t;

static oracle_slot_t *ORACLE_SLOTS; /* NCASES x 3 */

static int method_index(const char *m)
{
    return strcmp(m, "fork") == 0 ? 0 : strcmp(m, "spawn") == 0 ? 1 : 2;
}

/* One execution of a case: status, detail, mismatch and (optionally) captures.
 */
typedef struct {
    mpc_status_t status;
    char *detail;
    mpc_mismatch_t *mm;
    mpc_exec_result_t ex;
    mpc_captures_t caps;
} one_t;

static void one_free(one_t *o)
{
    free(o->detail);
    mpc_mismatch_free(o->mm);
    mpc_exec_result_free(&o->ex);
    mpc_captures_free(&o->caps);
}

static void run_once(const case_ent_t *ce, const mpc_profile_t *p,
                     const char *method, const mpc_oracle_vals_t *oracle,
                     one_t *o)
{
    memset(o, 0, sizeof *o);
    const mpc_case_t *c = &ce->c;
    char *slug = mpc_xstrdup(ce->id);
    for (char *q = slug; *q; q++)
        if (*q == '/')
            *q = '-';
    mpc_vars_t v = {ce->dir, ce->id, slug, O.build, O.source, O.shim, p->dir};
    double scale = c->has_time_scale ? c->time_scale : O.time_scale;
    mpc_strv_t argv = {0}, env = {0};
    mpc_subst_argv(&p->command, &v, &argv);
    build_env(&env, p, method, scale, c->unbuffered, &v);
    double timeout = c->timeout;
    if (p->timeout > 0 && p->timeout < timeout)
        timeout = p->timeout;
    if (O.timeout > 0)
        timeout = O.timeout;
    mpc_exec_opts_t eo = {argv.v,  env.v,         ce->dir, timeout,
                          O.grace, !O.no_isolate, 1,       0};
    mpc_exec_run(&eo, &o->ex);
    mpc_strv_free(&argv);
    mpc_strv_free(&env);
    free(slug);
    if (o->ex.start_error) {
        o->status = MPC_ERROR;
        o->detail =
            p->requires && strstr(o->ex.start_error, "No such file")
                ? mpc_xasprintf(
                      "%s (not built: %s is new since meson configured? "
                      "run meson setup --reconfigure, then ninja)",
                      o->ex.start_error, p->requires)
                : mpc_xstrdup(o->ex.start_error);
        return;
    }
    if (o->ex.timed_out) {
        o->status = MPC_TIMEOUT;
        o->detail =
            mpc_xasprintf("timeout after %g s (process group killed)", timeout);
        return;
    }
    int st = o->ex.exit_status;
    if (st < 0 && st != c->exit_status) {
        o->status = MPC_CRASH;
        o->detail = mpc_xasprintf("killed by %s", mpc_signal_name(-st));
        o->mm = mpc_mismatch_new("exit", 0, "", mpc_signal_name(-st), "", "");
        return;
    }
    mpc_run_output_t ro = {o->ex.out.s,   o->ex.err.s, o->ex.out.len,
                           o->ex.err.len, st,          o->ex.wall,
                           scale};
    int j = mpc_judge(c, &ro, oracle, &o->caps, &o->mm, &o->detail);
    o->status = j == MPC_M_PASS   ? MPC_PASS
                : j == MPC_M_FAIL ? MPC_FAIL
                                  : MPC_ERROR;
    if (o->ex.truncated) {
        char *d = mpc_xasprintf("%s%s(output cut at %d bytes per stream)",
                                o->detail ? o->detail : "",
                                o->detail ? " " : "", MPC_EXEC_CAP);
        free(o->detail);
        o->detail = d;
    }
}

/* The oracle's values for (case, method), or an error. */
static int get_oracle(size_t ci, const char *method, const mpc_profile_t *p,
                      const mpc_oracle_vals_t **out, char **err)
{
    case_ent_t *ce = &CASES[ci];
    *out = NULL;
    if (!ce->c.oracle.n || BLESS)
        return 0;
    oracle_slot_t *s = &ORACLE_SLOTS[ci * 3 + (size_t)method_index(method)];
    if (O.oracle_live && p->oracle)
        return 0; /* the oracle's live run is its own reference */
    pthread_mutex_lock(&s->m);
    if (!s->done) {
        s->done = 1;
        if (O.oracle_live) {
            mpc_profile_t *op = oracle_profile();
            if (!op) {
                s->err =
                    mpc_xstrdup("--oracle live: no profile says 'oracle: yes'");
            } else {
                probe_profile(op);
                if (!op->installed) {
                    s->err = mpc_xasprintf("oracle %s not installed: %s",
                                           op->name, op->reason);
                } else {
                    one_t o;
                    run_once(ce, op, method, NULL, &o);
                    if (o.status != MPC_PASS) {
                        s->err =
                            mpc_xasprintf("the oracle's live run is %s: %s",
                                          mpc_status_name(o.status),
                                          o.detail ? o.detail : "");
                    } else {
                        s->ok = 1;
                        for (size_t i = 0; i < o.caps.n; i++)
                            if (mpc_strv_has(&ce->c.oracle, o.caps.v[i].name)) {
                                mpc_strv_pushdup(&s->vals.names,
                                                 o.caps.v[i].name);
                                mpc_strv_pushdup(&s->vals.values,
                                                 o.caps.v[i].text);
                            }
                    }
                    one_free(&o);
                }
            }
        } else {
            char *path = mpc_xasprintf("%s/oracle.rec", ce->dir);
            size_t found = 0;
            if (mpc_oracle_read(path, method, &s->vals, &found) < 0)
                s->err = mpc_xasprintf(
                    "no oracle record %s (run: mpconform bless --filter %s)",
                    path, ce->id);
            else if (!found)
                s->err = mpc_xasprintf(
                    "%s has no values for %s (run: mpconform bless "
                    "--method %s --filter %s)",
                    path, method, method, ce->id);
            else
                s->ok = 1;
            free(path);
        }
    }
    pthread_mutex_unlock(&s->m);
    if (!s->ok) {
        *err = mpc_xstrdup(s->err ? s->err : "oracle unavailable");
        return -1;
    }
    *out = &s->vals;
    return 0;
}

static int file_exists(const char *dir, const char *name)
{
    char *p = mpc_xasprintf("%s/%s", dir, name);
    int ok = access(p, F_OK) == 0;
    free(p);
    return ok;
}

static void set_detail(mpc_result_t *r, char *d)
{
    free(r->detail);
    r->detail = d ? d : mpc_xstrdup("");
}

static void do_task(task_t *t)
{
    case_ent_t *ce = &CASES[t->ci];
    mpc_profile_t *p = t->p;
    mpc_result_t *r = &t->res;
    r->runs = 0;
    if (!ce->ok) {
        r->status = MPC_ERROR;
        set_detail(r, mpc_xstrdup(ce->err));
        return;
    }
    pthread_mutex_lock(&LOCK);
    probe_profile(p);
    pthread_mutex_unlock(&LOCK);
    if (!p->installed) {
        r->status = MPC_SKIP;
        set_detail(r,
                   mpc_xasprintf("%s not installed: %s", p->name, p->reason));
        return;
    }
    if (!mpc_profile_has_method(p, t->method)) {
        r->status = MPC_SKIP;
        set_detail(r,
                   mpc_xasprintf("%s does not support %s", p->name, t->method));
        return;
    }
    if (!mpc_case_has_method(&ce->c, t->method)) {
        r->status = MPC_SKIP;
        set_detail(r,
                   mpc_xasprintf("the case does not apply to %s", t->method));
        return;
    }
    if (p->requires && !file_exists(ce->dir, p->requires)) {
        r->status = MPC_MISSING;
        set_detail(r, mpc_xasprintf("no %s", p->requires));
        return;
    }
    const mpc_oracle_vals_t *ov = NULL;
    char *oerr = NULL;
    if (get_oracle(t->ci, t->method, p, &ov, &oerr) < 0) {
        r->status = MPC_ERROR;
        set_detail(r, oerr);
        return;
    }
    int passes = 0;
    mpc_status_t first = MPC_PASS;
    int differ = 0, have_fail = 0;
    for (int i = 0; i < O.repeat; i++) {
        one_t o;
        run_once(ce, p, t->method, ov, &o);
        r->runs++;
        if (o.status == MPC_PASS)
            passes++;
        if (i == 0)
            first = o.status;
        else if (o.status != first)
            differ = 1;
        /* keep the first failing run (or the last run when all pass) */
        if (!have_fail || o.status != MPC_PASS) {
            if (!have_fail) {
                r->duration_s = o.ex.wall;
                r->exit_status = o.ex.exit_status;
                free(r->out);
                free(r->err);
                r->out = mpc_buf_take(&o.ex.out);
                r->err = mpc_buf_take(&o.ex.err);
                r->truncated = o.ex.truncated;
                set_detail(r, o.detail);
                o.detail = NULL;
                mpc_mismatch_free(r->mismatch);
                r->mismatch = o.mm;
                o.mm = NULL;
                if (BLESS) {
                    mpc_captures_free(&t->caps);
                    t->caps = o.caps;
                    memset(&o.caps, 0, sizeof o.caps);
                }
            }
            if (o.status != MPC_PASS)
                have_fail = 1;
        }
        for (size_t k = 0; k < o.ex.leaks.n; k++) {
            int dup = 0;
            for (size_t m = 0; m < r->nleaks && !dup; m++)
                dup = strcmp(r->leaks[m], o.ex.leaks.v[k]) == 0;
            if (!dup && r->nleaks < 50) {
                r->leaks =
                    mpc_xrealloc(r->leaks, (r->nleaks + 1) * sizeof *r->leaks);
                r->leaks[r->nleaks++] = mpc_xstrdup(o.ex.leaks.v[k]);
            }
        }
        one_free(&o);
    }
    r->passes = passes;
    r->status = first;
    if (differ) {
        r->status = MPC_FLAKY;
        set_detail(r,
                   mpc_xasprintf("passed %d of %d runs; first failure: %s",
                                 passes, r->runs, r->detail ? r->detail : ""));
    } else if (O.repeat > 1 && first == MPC_PASS) {
        set_detail(r, mpc_xasprintf("passed %d of %d runs", passes, r->runs));
    }
    const mpc_known_failure_t *kf =
        mpc_profile_known(p, ce->id, t->method, (int)r->status);
    if (kf) {
        if ((int)r->status == kf->status) {
            r->status = MPC_XFAIL;
            set_detail(r, mpc_xasprintf("known failure (%s): %s", kf->reason,
                                        r->detail));
        } else if (r->status == MPC_PASS && kf->intermittent) {
            set_detail(r,
                       mpc_xasprintf(
                           "known intermittent failure did not happen (%s)%s%s",
                           kf->reason, r->detail && *r->detail ? ": " : "",
                           r->detail ? r->detail : ""));
        } else if (r->status == MPC_FLAKY && kf->intermittent) {
            r->status = MPC_XFAIL;
            set_detail(r, mpc_xasprintf("known intermittent failure (%s): %s",
                                        kf->reason, r->detail));
        } else if (r->status == MPC_PASS) {
            r->status = MPC_XPASS;
            set_detail(r,
                       mpc_xasprintf("known failure passes: %s", kf->reason));
        } else {
            set_detail(r, mpc_xasprintf("%s (known failure expected %s: %s)",
                                        r->detail, mpc_status_name(kf->status),
                                        kf->reason));
        }
    }
}

/* ------------------------------------------------------------------ output */

static int is_bad(mpc_status_t s)
{
    return s == MPC_FAIL || s == MPC_TIMEOUT || s == MPC_CRASH ||
           s == MPC_ERROR || s == MPC_XPASS || s == MPC_FLAKY;
}

static const char *upper_status(mpc_status_t s)
{
    static const char *const up[] = {"pass",  "FAIL", "TIMEOUT", "CRASH",
                                     "ERROR", "skip", "missing", "xfail",
                                     "XPASS", "FLAKY"};
    return up[s];
}

static void print_tap_comment(const char *label, const char *text)
{
    const char *s = text;
    int first = 1;
    while (*s) {
        size_t n = strcspn(s, "\n");
        printf("# %s%.*s\n", first ? label : "  ", (int)n, s);
        first = 0;
        s += n;
        if (*s)
            s++;
    }
}

static void print_output_block(const char *name, const char *text, int mark)
{
    printf("    --- %s ---\n", name);
    int no = 1;
    const char *s = text ? text : "";
    while (*s) {
        size_t n = strcspn(s, "\n");
        printf("    %s%4d| %.*s\n", no == mark ? ">" : " ", no, (int)n, s);
        no++;
        s += n;
        if (*s)
            s++;
    }
}

static void report_one(const task_t *t)
{
    const mpc_result_t *r = &t->res;
    COUNTS[r->status]++;
    NDONE++;
    if (O.tap) {
        TAPN++;
        const char *name_fmt = "%s %d - %s/%s/%s";
        int ok = !is_bad(r->status) && r->status != MPC_XFAIL;
        printf(name_fmt, ok ? "ok" : "not ok", TAPN, r->impl, r->method,
               r->case_id);
        if (r->status == MPC_SKIP || r->status == MPC_MISSING)
            printf(" # SKIP %s%s", r->status == MPC_MISSING ? "missing: " : "",
                   r->detail);
        else if (r->status == MPC_XFAIL || r->status == MPC_XPASS)
            printf(" # TODO %s", r->detail);
        printf("\n");
        if (is_bad(r->status)) {
            char *line =
                mpc_xasprintf("%s: %s", mpc_status_name(r->status), r->detail);
            print_tap_comment("", line);
            free(line);
            if (r->mismatch && r->mismatch->stream[0]) {
                const mpc_mismatch_t *m = r->mismatch;
                if (m->relation[0]) {
                    print_tap_comment("relation: ", m->relation);
                    print_tap_comment("values:   ", m->values);
                } else {
                    print_tap_comment("expected: ", m->expected);
                    print_tap_comment("actual:   ", m->actual);
                }
            }
            if (O.verbose) {
                print_tap_comment("stdout: ", r->out ? r->out : "");
                print_tap_comment("stderr: ", r->err ? r->err : "");
            }
        }
        for (size_t i = 0; i < r->nleaks; i++)
            printf("# LEAK %s\n", r->leaks[i]);
        fflush(stdout);
        return;
    }
    int show = is_bad(r->status) || r->nleaks || !TTY;
    if (TTY)
        fputs("\r\033[K", stderr);
    if (show) {
        printf("%-7s %s/%s %s", upper_status(r->status), r->impl, r->method,
               r->case_id);
        if (r->runs)
            printf(" (%.2fs)", r->duration_s);
        if (r->detail && *r->detail)
            printf(": %s", r->detail);
        printf("\n");
        for (size_t i = 0; i < r->nleaks; i++)
            printf("  LEAK %s\n", r->leaks[i]);
        if (O.verbose && is_bad(r->status)) {
            const mpc_mismatch_t *m = r->mismatch;
            if (m && m->relation[0])
                printf("    relation %s: %s\n", m->relation, m->values);
            else if (m)
                printf("    %s line %d\n    expected: %s\n    actual:   %s\n",
                       m->stream, m->line, m->expected, m->actual);
            print_output_block("stdout", r->out,
                               m && strcmp(m->stream, "stdout") == 0 ? m->line
                                                                     : 0);
            print_output_block("stderr", r->err,
                               m && strcmp(m->stream, "stderr") == 0 ? m->line
                                                                     : 0);
        }
        fflush(stdout);
    }
    if (TTY) {
        int bad = 0;
        for (int s = 0; s < MPC_NSTATUS; s++)
            if (is_bad((mpc_status_t)s))
                bad += COUNTS[s];
        fprintf(stderr, "[%zu/%zu] %d failed  %s/%s %s", NDONE, NTASKS, bad,
                r->impl, r->method, r->case_id);
        fflush(stderr);
    }
}

static void *worker(void *arg)
{
    (void)arg;
    for (;;) {
        pthread_mutex_lock(&LOCK);
        size_t i = NEXT_TASK++;
        pthread_mutex_unlock(&LOCK);
        if (i >= NTASKS)
            break;
        do_task(&TASKS[i]);
        pthread_mutex_lock(&LOCK);
        report_one(&TASKS[i]);
        pthread_mutex_unlock(&LOCK);
    }
    return NULL;
}

static void run_tasks(void)
{
    int n = O.jobs < (int)NTASKS ? O.jobs : (int)NTASKS;
    if (n < 1)
        n = 1;
    pthread_t *th = mpc_xcalloc((size_t)n, sizeof *th);
    pthread_attr_t attr;
    pthread_attr_init(&attr);
    pthread_attr_setstacksize(&attr, WORKER_STACK);
    for (int i = 0; i < n; i++)
        if (pthread_create(&th[i], &attr, worker, NULL) != 0)
            die("cannot start a worker thread");
    for (int i = 0; i < n; i++)
        pthread_join(th[i], NULL);
    pthread_attr_destroy(&attr);
    free(th);
    if (TTY && !O.tap)
        fputs("\r\033[K", stderr);
}

/* Build tasks for the selected cases x impls x methods. */
static void make_tasks(mpc_profile_t **sel, size_t nsel,
                       const mpc_strv_t *methods)
{
    NTASKS = NCASES * nsel * methods->n;
    TASKS = mpc_xcalloc(NTASKS + 1, sizeof *TASKS);
    ORACLE_SLOTS = mpc_xcalloc(NCASES * 3 + 1, sizeof *ORACLE_SLOTS);
    for (size_t i = 0; i < NCASES * 3; i++)
        pthread_mutex_init(&ORACLE_SLOTS[i].m, NULL);
    size_t k = 0;
    for (size_t ci = 0; ci < NCASES; ci++)
        for (size_t pi = 0; pi < nsel; pi++)
            for (size_t mi = 0; mi < methods->n; mi++) {
                task_t *t = &TASKS[k++];
                t->ci = ci;
                t->p = sel[pi];
                t->method = methods->v[mi];
                t->res.case_id = mpc_xstrdup(CASES[ci].id);
                t->res.impl = mpc_xstrdup(sel[pi]->name);
                t->res.method = mpc_xstrdup(methods->v[mi]);
                t->res.detail = mpc_xstrdup("");
                t->res.out = mpc_xstrdup("");
                t->res.err = mpc_xstrdup("");
            }
}

static char *iso_now(void)
{
    time_t now = time(NULL);
    struct tm tm;
    gmtime_r(&now, &tm);
    char buf[32];
    strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
    return mpc_xstrdup(buf);
}

static char **dup_strv(const mpc_strv_t *sv, size_t *n)
{
    *n = sv->n;
    char **v = mpc_xcalloc(sv->n + 1, sizeof *v);
    for (size_t i = 0; i < sv->n; i++)
        v[i] = mpc_xstrdup(sv->v[i]);
    return v;
}

static void fill_run(mpc_run_t *run, mpc_profile_t **sel, size_t nsel)
{
    memset(run, 0, sizeof *run);
    run->generated = iso_now();
    run->runner_version = mpc_xstrdup(MPC_VERSION);
    run->time_scale = O.time_scale;
    run->jobs = O.jobs;
    run->repeat = O.repeat;
    run->shard = mpc_xasprintf("%d/%d", O.shard_k, O.shard_n);
    run->argc = (size_t)(O.argc - 1);
    run->argv = mpc_xcalloc(run->argc + 1, sizeof *run->argv);
    for (size_t i = 0; i < run->argc; i++)
        run->argv[i] = mpc_xstrdup(O.argv[i + 1]);
    mpc_profile_t *op = oracle_profile();
    if (op) {
        pthread_mutex_lock(&LOCK);
        probe_profile(op);
        pthread_mutex_unlock(&LOCK);
    }
    run->oracle_impl = mpc_xstrdup(op ? op->name : "");
    run->oracle_version =
        mpc_xstrdup(op && op->version_str ? op->version_str : "");
    run->oracle_mode = mpc_xstrdup(O.oracle_live ? "live" : "recorded");
    run->nimpls = nsel;
    run->impls = mpc_xcalloc(nsel + 1, sizeof *run->impls);
    for (size_t i = 0; i < nsel; i++) {
        mpc_profile_t *p = sel[i];
        probe_profile(p);
        mpc_impl_info_t *im = &run->impls[i];
        im->name = mpc_xstrdup(p->name);
        im->description =
            p->version_str
                ? mpc_xasprintf("%s [%s]", p->description, p->version_str)
                : mpc_xstrdup(p->description);
        im->installed = p->installed;
        im->reason = mpc_xstrdup(p->reason ? p->reason : "");
        im->methods = dup_strv(&p->methods, &im->nmethods);
    }
    run->ncases = NCASES;
    run->cases = mpc_xcalloc(NCASES + 1, sizeof *run->cases);
    for (size_t i = 0; i < NCASES; i++) {
        case_ent_t *ce = &CASES[i];
        mpc_case_info_t *ci = &run->cases[i];
        ci->id = mpc_xstrdup(ce->id);
        ci->title = mpc_xstrdup(ce->ok ? ce->c.title : ce->err);
        ci->area = mpc_xstrndup(ce->id, strcspn(ce->id, "/"));
        ci->source = mpc_xstrdup(ce->ok ? ce->c.source : "");
        if (ce->ok)
            ci->primitives = dup_strv(&ce->c.primitives, &ci->nprimitives);
    }
    run->nresults = NTASKS;
    run->results = mpc_xcalloc(NTASKS + 1, sizeof *run->results);
    for (size_t i = 0; i < NTASKS; i++) {
        run->results[i] = TASKS[i].res; /* moved */
        memset(&TASKS[i].res, 0, sizeof TASKS[i].res);
    }
}

static void print_matrix(mpc_profile_t **sel, size_t nsel,
                         const mpc_strv_t *methods)
{
    size_t idw = 4;
    for (size_t i = 0; i < NCASES; i++)
        if (strlen(CASES[i].id) > idw)
            idw = strlen(CASES[i].id);
    size_t ncol = nsel * methods->n;
    size_t *w = mpc_xcalloc(ncol + 1, sizeof *w);
    printf("\n%-*s", (int)idw, "case");
    for (size_t pi = 0; pi < nsel; pi++)
        for (size_t mi = 0; mi < methods->n; mi++) {
            char *h = mpc_xasprintf("%s/%s", sel[pi]->name, methods->v[mi]);
            size_t c = pi * methods->n + mi;
            w[c] = strlen(h) > 7 ? strlen(h) : 7;
            printf("  %-*s", (int)w[c], h);
            free(h);
        }
    printf("\n");
    for (size_t ci = 0; ci < NCASES; ci++) {
        printf("%-*s", (int)idw, CASES[ci].id);
        for (size_t c = 0; c < ncol; c++) {
            const mpc_result_t *r = &TASKS[ci * ncol + c].res;
            char cell[32];
            snprintf(cell, sizeof cell, "%s%s", upper_status(r->status),
                     r->nleaks ? "+LEAK" : "");
            printf("  %-*s", (int)w[c], cell);
        }
        printf("\n");
    }
    free(w);
}

static void print_totals(void)
{
    int passed = COUNTS[MPC_PASS] + COUNTS[MPC_XFAIL];
    int skipped = COUNTS[MPC_SKIP] + COUNTS[MPC_MISSING];
    int failed = 0;
    for (int s = 0; s < MPC_NSTATUS; s++)
        if (is_bad((mpc_status_t)s))
            failed += COUNTS[s];
    const char *pfx = O.tap ? "# " : "";
    printf("%s", pfx);
    int any = 0;
    for (int s = 0; s < MPC_NSTATUS; s++)
        if (COUNTS[s]) {
            printf("%s%d %s", any ? ", " : "", COUNTS[s],
                   mpc_status_name((mpc_status_t)s));
            any = 1;
        }
    if (!any)
        printf("nothing ran");
    printf("\n%s%d passed, %d failed, %d skipped\n", pfx, passed, failed,
           skipped);
}

/* Interrupted: the worker threads' cases are killed by the exec loop. */
static void on_signal(int sig)
{
    (void)sig;
    mpc_exec_interrupted = 1;
}

static void select_profiles(mpc_profile_t ***sel, size_t *nsel)
{
    *sel = mpc_xcalloc(NPROFS + O.impls.n + 1, sizeof **sel);
    *nsel = 0;
    if (O.impls.n) {
        for (size_t i = 0; i < O.impls.n; i++) {
            mpc_profile_t *p = find_profile(O.impls.v[i]);
            if (!p) {
                fprintf(stderr, "mpconform: no profile named '%s'; known:",
                        O.impls.v[i]);
                for (size_t k = 0; k < NPROFS; k++)
                    fprintf(stderr, " %s", PROFS[k].name);
                fputc('\n', stderr);
                exit(2);
            }
            (*sel)[(*nsel)++] = p;
        }
    } else {
        for (size_t i = 0; i < NPROFS; i++)
            (*sel)[(*nsel)++] = &PROFS[i];
    }
}

static int cmd_run(void)
{
    load_cases(1);
    load_profiles();
    mpc_profile_t **sel;
    size_t nsel;
    select_profiles(&sel, &nsel);
    if (!O.methods.n)
        mpc_strv_pushdup(&O.methods, "fork");
    make_tasks(sel, nsel, &O.methods);
    TTY = isatty(2) && !O.tap;
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGHUP, &sa, NULL);
    /* probe first (sequentially): the per-task probe then only reads */
    for (size_t i = 0; i < nsel; i++)
        probe_profile(sel[i]);
    if (oracle_profile())
        probe_profile(oracle_profile());
    if (NTASKS == 0) {
        fprintf(
            stderr,
            "mpconform: no case selected (cases in %s; check --filter, --area, "
            "--shard)\n",
            O.cases_root);
        return 2;
    }
    if (O.tap)
        printf("1..%zu\n", NTASKS);
    else
        printf("mpconform %s: %zu cases x %zu implementations x %zu methods = "
               "%zu runs, "
               "%d jobs, time scale %g\n",
               MPC_VERSION, NCASES, nsel, O.methods.n, NTASKS, O.jobs,
               O.time_scale);
    for (size_t i = 0; i < nsel && !O.tap; i++)
        if (!sel[i]->installed)
            printf("skip    %s: %s\n", sel[i]->name, sel[i]->reason);
    fflush(stdout);
    double t0 = mpc_now();
    run_tasks();
    double elapsed = mpc_now() - t0;
    if (!O.tap && NTASKS)
        print_matrix(sel, nsel, &O.methods);
    int bad = 0;
    for (int s = 0; s < MPC_NSTATUS; s++)
        if (is_bad((mpc_status_t)s))
            bad += COUNTS[s];
    if (!O.tap)
        printf("\nelapsed %.1f s\n", elapsed);
    mpc_run_t run;
    fill_run(&run, sel, nsel);
    int rc = bad ? 1 : 0;
    if (!O.no_report) {
        if (mpc_report_write_all(&run, O.report) < 0)
            rc = 2;
        else if (!O.tap)
            printf(
                "reports: %s/{results.json,junit.xml,summary.md,index.html}\n",
                O.report);
    }
    print_totals();
    mpc_run_free(&run);
    free(sel);
    if (mpc_exec_interrupted) {
        fprintf(stderr, "mpconform: interrupted\n");
        return 130;
    }
    return rc;
}

static int cmd_list(void)
{
    if (O.list_impls) {
        load_profiles();
        for (size_t i = 0; i < NPROFS; i++) {
            mpc_profile_t *p = &PROFS[i];
            probe_profile(p);
            printf("%-14s %-9s %s%s%s%s%s\n", p->name,
                   p->installed ? "installed" : "absent", p->description,
                   p->version_str ? " [" : "",
                   p->version_str ? p->version_str : "",
                   p->version_str ? "]" : "", p->installed ? "" : " -- ");
            if (!p->installed)
                printf("%-14s %-9s %s\n", "", "", p->reason);
        }
        return 0;
    }
    load_cases(1);
    int bad = 0;
    for (size_t i = 0; i < NCASES; i++) {
        case_ent_t *ce = &CASES[i];
        if (!ce->ok) {
            printf("%-36s ERROR %s\n", ce->id, ce->err);
            bad = 1;
            continue;
        }
        char methods[64] = "";
        for (size_t m = 0; m < ce->c.methods.n; m++) {
            strncat(methods, m ? "," : "",
                    sizeof methods - strlen(methods) - 1);
            strncat(methods, ce->c.methods.v[m],
                    sizeof methods - strlen(methods) - 1);
        }
        printf("%-36s %-22s %s%s\n", ce->id, methods, ce->c.title,
               file_exists(ce->dir, "case.c") ? "" : " [no case.c]");
    }
    return bad;
}

static int cmd_show(void)
{
    if (O.args.n != 1)
        die("show: want one CASE (an id, a folder or a case.exp)");
    const char *a = O.args.v[0];
    char *path;
    struct stat st;
    if (stat(a, &st) == 0 && S_ISREG(st.st_mode))
        path = mpc_xstrdup(a);
    else if (stat(a, &st) == 0 && S_ISDIR(st.st_mode))
        path = mpc_xasprintf("%s/case.exp", a);
    else
        path = mpc_xasprintf("%s/%s/case.exp", O.cases_root, a);
    mpc_case_t c;
    char *err = NULL;
    char *root = NULL;
    if (strncmp(path, O.cases_root, strlen(O.cases_root)) == 0)
        root = O.cases_root;
    if (mpc_case_load(path, root, &c, &err) < 0) {
        fprintf(stderr, "%s\n", err);
        free(err);
        free(path);
        return 1;
    }
    mpc_case_print(&c, stdout);
    printf("\nfiles:%s%s%s\n", file_exists(c.dir, "case.py") ? " case.py" : "",
           file_exists(c.dir, "case.c") ? " case.c" : "",
           file_exists(c.dir, "oracle.rec") ? " oracle.rec" : "");
    mpc_case_free(&c);
    free(path);
    return 0;
}

static int cmd_merge(void)
{
    if (O.args.n < 2)
        die("merge: want OUT.json IN.json...");
    mpc_run_t out;
    memset(&out, 0, sizeof out);
    for (size_t i = 1; i < O.args.n; i++) {
        mpc_run_t in;
        memset(&in, 0, sizeof in);
        if (mpc_results_load_json(O.args.v[i], &in) < 0)
            return 2;
        if (i == 1) {
            out = in;
            continue;
        }
        if (mpc_run_merge(&out, &in) < 0) {
            mpc_run_free(&in);
            return 2;
        }
        mpc_run_free(&in);
    }
    free(out.shard);
    out.shard = mpc_xasprintf("merged %zu", O.args.n - 1);
    const char *outp = O.args.v[0];
    const char *slash = strrchr(outp, '/');
    char *dir =
        slash ? mpc_xstrndup(outp, (size_t)(slash - outp)) : mpc_xstrdup(".");
    int rc = mpc_report_write_all(&out, dir) < 0 ? 2 : 0;
    if (rc == 0 && strcmp(slash ? slash + 1 : outp, "results.json") != 0)
        rc = mpc_results_write_json(&out, outp) < 0 ? 2 : 0;
    if (rc == 0)
        printf("merged %zu results into %s (reports in %s)\n", out.nresults,
               outp, dir);
    free(dir);
    mpc_run_free(&out);
    return rc;
}

static int cmd_bless(void)
{
    BLESS = 1;
    load_cases(1);
    load_profiles();
    mpc_profile_t *op = oracle_profile();
    if (!op)
        die("bless: no profile says 'oracle: yes'");
    probe_profile(op);
    if (!op->installed)
        die("bless: the oracle %s is not installed: %s", op->name, op->reason);
    mpc_strv_t methods = {0};
    if (O.methods.n)
        for (size_t i = 0; i < O.methods.n; i++)
            mpc_strv_pushdup(&methods, O.methods.v[i]);
    else {
        mpc_strv_pushdup(&methods, "fork");
        mpc_strv_pushdup(&methods, "spawn");
        mpc_strv_pushdup(&methods, "forkserver");
    }
    /* only the cases with oracle captures */
    size_t keep = 0;
    for (size_t i = 0; i < NCASES; i++)
        if (CASES[i].ok && CASES[i].c.oracle.n)
            CASES[keep++] = CASES[i];
    NCASES = keep;
    mpc_profile_t *sel[1] = {op};
    make_tasks(sel, 1, &methods);
    O.no_report = 1;
    O.tap = 0;
    TTY = 0;
    run_tasks();
    int rc = 0;
    for (size_t ci = 0; ci < NCASES; ci++) {
        case_ent_t *ce = &CASES[ci];
        char *path = mpc_xasprintf("%s/oracle.rec", ce->dir);
        /* keep the lines of methods not blessed now */
        mpc_buf_t b;
        mpc_buf_init(&b);
        mpc_buf_printf(
            &b, "# oracle values of %s, written by mpconform bless (%s %s)\n",
            ce->id, op->name, op->version_str ? op->version_str : "");
        char *old = mpc_read_file(path, NULL);
        int wrote = 0;
        for (size_t mi = 0; mi < 3; mi++) {
            static const char *const all[] = {"fork", "spawn", "forkserver"};
            const char *m = all[mi];
            task_t *t = NULL;
            for (size_t k = 0; k < methods.n; k++)
                if (strcmp(methods.v[k], m) == 0)
                    t = &TASKS[ci * methods.n + k];
            if (t && t->res.status == MPC_PASS) {
                for (size_t i = 0; i < t->caps.n; i++)
                    if (mpc_strv_has(&ce->c.oracle, t->caps.v[i].name))
                        mpc_buf_printf(&b, "%s %s %s\n", m, t->caps.v[i].name,
                                       t->caps.v[i].text);
                wrote++;
            } else if (old) {
                if (t && t->res.status != MPC_SKIP) {
                    fprintf(stderr, "bless: %s %s is %s: %s\n", ce->id, m,
                            mpc_status_name(t->res.status), t->res.detail);
                    rc = 1;
                }
                size_t ml = strlen(m);
                for (const char *s = old; *s;) {
                    size_t n = strcspn(s, "\n");
                    if (strncmp(s, m, ml) == 0 && s[ml] == ' ')
                        mpc_buf_printf(&b, "%.*s\n", (int)n, s);
                    s += n + (s[n] ? 1 : 0);
                }
            } else if (t && t->res.status != MPC_SKIP) {
                fprintf(stderr, "bless: %s %s is %s: %s\n", ce->id, m,
                        mpc_status_name(t->res.status), t->res.detail);
                rc = 1;
            }
        }
        free(old);
        if (wrote) {
            FILE *f = fopen(path, "w");
            if (!f || fputs(b.s, f) < 0 || fclose(f) != 0) {
                fprintf(stderr, "bless: cannot write %s: %s\n", path,
                        strerror(errno));
                rc = 2;
            } else {
                printf("blessed %s (%d method%s)\n", ce->id, wrote,
                       wrote == 1 ? "" : "s");
            }
        }
        mpc_buf_free(&b);
        free(path);
    }
    if (!NCASES)
        printf("no selected case has oracle captures\n");
    mpc_strv_free(&methods);
    return rc;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        usage(stderr);
        return 2;
    }
    if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 ||
        strcmp(argv[1], "help") == 0) {
        usage(stdout);
        return 0;
    }
    if (strcmp(argv[1], "--version") == 0) {
        printf("mpconform %s\n", MPC_VERSION);
        return 0;
    }
    mpc_exec_init();
    parse_opts(argc, argv);
    if (strcmp(O.cmd, "run") == 0)
        return cmd_run();
    if (strcmp(O.cmd, "list") == 0)
        return cmd_list();
    if (strcmp(O.cmd, "show") == 0)
        return cmd_show();
    if (strcmp(O.cmd, "merge") == 0)
        return cmd_merge();
    if (strcmp(O.cmd, "bless") == 0)
        return cmd_bless();
    fprintf(stderr, "mpconform: unknown command '%s'\n", O.cmd);
    usage(stderr);
    return 2;
}
