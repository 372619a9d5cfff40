/*
 * pool/worker-lifetime: initializer(*initargs) runs once in each worker
 * before its tasks (replacements too); maxtasksperchild=k retires a worker
 * after k tasks, so a one-worker pool's tasks run in successive processes
 * with new pids and the next names of the process counter; unlimited
 * workers serve every task; workers are daemonic, their parent is the main
 * process; pools share no worker.
 */
#include <mpr.h>

#include "support.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static mpr_obj_t *INIT; /* (tag * n, pid) once the initializer ran */

static int init(mpr_obj_t *args, mpr_obj_t *kwargs)
{
    const char *tag = mpr_obj_str_utf8(mpr_obj_item(args, 0), NULL);
    int64_t n = mpr_obj_int_value(mpr_obj_item(args, 1));
    char buf[64] = "";

    (void)kwargs;
    if (INIT != NULL)
        return mpr_target_error(MPR_EASSERT, "initializer ran twice");
    for (int64_t i = 0; i < n; i++)
        strncat(buf, tag, sizeof(buf) - strlen(buf) - 1);
    INIT = mpr_obj_tuple_steal(2, mpr_obj_str(buf), mpr_obj_int(getpid()));
    return INIT ? 0 : mpr_last_error();
}
MPR_TARGET(init)

static int task(mpr_obj_t *args, mpr_obj_t *kwargs, mpr_obj_t **result)
{
    mpr_process_t *me = mpr_current_process();
    pid_t ppid = 0;

    (void)kwargs;
    mpr_process_pid(mpr_parent_process(), &ppid);
    *result = mpr_obj_tuple_steal(
        6, mpr_obj_incref(mpr_obj_item(args, 0)),
        INIT ? mpr_obj_incref(INIT) : mpr_obj_none(), mpr_obj_int(getpid()),
        mpr_obj_str(mpr_process_name(me)), mpr_obj_bool(mpr_process_daemon(me)),
        mpr_obj_int(ppid));
    return *result ? 0 : mpr_last_error();
}
MPR_TARGET(task)

#define MAXR 32

/* The pids of a report, for the set arithmetic at the end. */
typedef struct {
    int64_t v[MAXR * 2];
    size_t n;
} pidset_t;

static void add_pid(pidset_t *s, int64_t pid)
{
    for (size_t i = 0; i < s->n; i++)
        if (s->v[i] == pid)
            return;
    if (s->n < MAXR * 2)
        s->v[s->n++] = pid;
}

static int intersects(const pidset_t *a, const pidset_t *b)
{
    for (size_t i = 0; i < a->n; i++)
        for (size_t j = 0; j < b->n; j++)
            if (a->v[i] == b->v[j])
                return 1;
    return 0;
}

#define F(r, i, k) mpr_obj_item(mpr_obj_item(r, i), k)

/* name with the method's prefix replaced by "W" (buf holds it) */
static const char *short_name(const char *name, char *buf, size_t size)
{
    const char *dash = strrchr(name, '-');

    snprintf(buf, size, "W%s", dash ? dash : name);
    return buf;
}

/* report(label, results, first, names_in): the facts case.py prints.
 * names_in: NULL, or the two names allowed. */
static void report(const char *label, const mpr_obj_t *r, int first,
                   const char *const *names_in, pidset_t *pids)
{
    static const char *const kinds[] = {"fork",       "ForkPoolWorker",
                                        "spawn",      "SpawnPoolWorker",
                                        "forkserver", "ForkServerPoolWorker"};
    const char *kind = "";
    size_t n = mpr_obj_len(r);
    int in_order = 1, init_ok = 1, daemons = 1, same = 1, kind_ok = 1;
    char vals[4][64], buf[64];
    size_t nvals = 0;
    pidset_t mine = {.n = 0};

    for (size_t i = 0; i < 6; i += 2)
        if (strcmp(mpr_get_start_method(), kinds[i]) == 0)
            kind = kinds[i + 1];
    for (size_t i = 0; i < n; i++) {
        mpr_obj_t *in = F(r, i, 1);
        int64_t pid = mpr_obj_int_value(F(r, i, 2));
        const char *name = mpr_obj_str_utf8(F(r, i, 3), NULL);
        in_order &= mpr_obj_int_value(F(r, i, 0)) == first + (int64_t)i;
        kind_ok &=
            strncmp(name, kind, strlen(kind)) == 0 && name[strlen(kind)] == '-';
        if (!mpr_obj_is_none(in)) {
            const char *v = mpr_obj_str_utf8(mpr_obj_item(in, 0), NULL);
            size_t k = 0;
            init_ok &= mpr_obj_int_value(mpr_obj_item(in, 1)) == pid;
            while (k < nvals && strcmp(vals[k], v) != 0)
                k++;
            if (k == nvals && nvals < 4)
                snprintf(vals[nvals++], sizeof(vals[0]), "%s", v);
        }
        daemons &= mpr_obj_truth(F(r, i, 4)) &&
                   mpr_obj_int_value(F(r, i, 5)) == getpid();
        for (size_t j = 0; j < n; j++)
            if (strcmp(name, mpr_obj_str_utf8(F(r, j, 3), NULL)) == 0)
                same &= mpr_obj_int_value(F(r, j, 2)) == pid;
        add_pid(&mine, pid);
        add_pid(pids, pid);
    }
    printf("%s inputs in order: %s\n", label, case_bool(in_order));
    printf("%s initializer ran in the worker: %s\n", label, case_bool(init_ok));
    printf("%s initializer values: [", label); /* at most one here */
    for (size_t k = 0; k < nvals; k++)
        printf("%s'%s'", k ? ", " : "", vals[k]);
    printf("]\n");
    printf("%s daemonic children of main: %s\n", label, case_bool(daemons));
    if (names_in == NULL) {
        printf("%s names: [", label);
        for (size_t i = 0; i < n; i++)
            printf("%s'%s'", i ? ", " : "",
                   short_name(mpr_obj_str_utf8(F(r, i, 3), NULL), buf,
                              sizeof(buf)));
        printf("]\n");
    } else {
        int all_in = kind_ok;
        for (size_t i = 0; i < n; i++) {
            short_name(mpr_obj_str_utf8(F(r, i, 3), NULL), buf, sizeof(buf));
            all_in &=
                strcmp(buf, names_in[0]) == 0 || strcmp(buf, names_in[1]) == 0;
        }
        /* sorted() of the str names */
        printf("%s names among ['%s', '%s'] %s\n", label,
               strcmp(names_in[0], names_in[1]) < 0 ? names_in[0] : names_in[1],
               strcmp(names_in[0], names_in[1]) < 0 ? names_in[1] : names_in[0],
               case_bool(all_in));
    }
    if (names_in == NULL)
        printf("%s pids per worker name: %s distinct pids: %zu\n", label,
               case_bool(same && kind_ok), mine.n);
    else
        printf("%s pids per worker name: %s distinct pids: %s\n", label,
               case_bool(same), case_bool(mine.n <= 2));
}

static int run(void)
{
    static const char *const nine_ten[] = {"W-9", "W-10"};
    mpr_obj_t *ia1 = mpr_obj_tuple_steal(2, mpr_obj_str("ab"), mpr_obj_int(2));
    mpr_obj_t *ia2 = mpr_obj_tuple_steal(2, mpr_obj_str("x"), mpr_obj_int(3));
    mpr_pool_options_t o1 = {.processes = 1,
                             .initializer = init,
                             .initargs = ia1,
                             .maxtasksperchild = 2},
                       o2 = {.processes = 1, .maxtasksperchild = 3},
                       o3 = {.processes = 2,
                             .initializer = init,
                             .initargs = ia2};
    pidset_t a = {.n = 0}, b = {.n = 0}, c = {.n = 0}, c2 = {.n = 0};
    mpr_obj_t *in = case_range_list(0, 7), *in10 = case_range_list(0, 10),
              *in20 = case_range_list(10, 20), *r = NULL, *x;
    mpr_pool_t *p = NULL;
    mpr_imap_t *it = NULL;
    int rc;

    if (ia1 == NULL || ia2 == NULL || in == NULL || in10 == NULL ||
        in20 == NULL)
        return mpr_last_error();
    /* with Pool(1, initializer=init, initargs=('ab', 2),
     * maxtasksperchild=2) as p: */
    if ((rc = mpr_pool_new(&p, &o1)) < 0 ||
        (rc = mpr_pool_map(p, task, in, 1, &r)) < 0)
        return rc;
    report("max2:", r, 0, NULL, &a);
    mpr_obj_decref(r);
    r = mpr_obj_list();
    for (int i = 0; r != NULL && i < 2; i++) {
        mpr_obj_t *args = mpr_obj_tuple_steal(1, mpr_obj_int(i));
        rc = args ? mpr_pool_apply(p, task, args, NULL, &x) : mpr_last_error();
        mpr_obj_decref(args);
        if (rc < 0 || (rc = mpr_obj_list_append_steal(r, x)) < 0)
            return rc;
    }
    report("max2 again:", r, 0, NULL, &a);
    mpr_obj_decref(r);
    mpr_pool_terminate(p);
    mpr_pool_free(p);
    /* with Pool(1, maxtasksperchild=3) as p: list(p.imap(task, range(7))) */
    if ((rc = mpr_pool_new(&p, &o2)) < 0 ||
        (rc = mpr_pool_imap(p, task, in, 1, &it)) < 0)
        return rc;
    r = mpr_obj_list();
    while (r != NULL && (rc = mpr_imap_next(it, MPR_TIMEOUT_NONE, &x)) == 1)
        mpr_obj_list_append_steal(r, x);
    if (r == NULL || rc < 0)
        return r == NULL ? mpr_last_error() : rc;
    mpr_imap_free(it);
    report("max3 no init:", r, 0, NULL, &b);
    mpr_obj_decref(r);
    mpr_pool_terminate(p);
    mpr_pool_free(p);
    /* with Pool(2, initializer=init, initargs=('x', 3)) as p: */
    if ((rc = mpr_pool_new(&p, &o3)) < 0 ||
        (rc = mpr_pool_map(p, task, in10, 1, &r)) < 0)
        return rc;
    report("unlimited:", r, 0, nine_ten, &c);
    mpr_obj_decref(r);
    if ((rc = mpr_pool_map(p, task, in20, 1, &r)) < 0)
        return rc;
    report("unlimited again:", r, 10, nine_ten, &c2);
    mpr_obj_decref(r);
    {
        pidset_t both = c;
        for (size_t i = 0; i < c2.n; i++)
            add_pid(&both, c2.v[i]);
        printf("at most two workers for both maps: %s\n",
               case_bool(both.n <= 2));
    }
    mpr_pool_terminate(p);
    mpr_pool_free(p);
    printf("pools share no worker: %s\n",
           case_bool(!intersects(&a, &b) && !intersects(&a, &c) &&
                     !intersects(&b, &c)));
    mpr_obj_decref(in);
    mpr_obj_decref(in10);
    mpr_obj_decref(in20);
    mpr_obj_decref(ia1);
    mpr_obj_decref(ia2);
    return 0;
}

int main(int argc, char **argv)
{
    int rc;

    if ((rc = mpr_main(argc, argv)) == 0)
        rc = run();
    return rc < 0 ? case_fail(rc) : 0;
}
