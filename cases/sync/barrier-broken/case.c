/*
 * sync/barrier-broken: Barrier timeouts (the wait's and the constructor's),
 * a party's timeout breaking it for all, abort(), reset() with and without
 * waiters, an action that fails, Barrier(0) and Barrier(-1).
 */
#include <mpr.h>

#include "support.h"

#include <stdio.h>
#include <string.h>

/* the part of repr(b) after ": " */
static const char *rep_tail(mpr_barrier_t *b)
{
    static char buf[128];
    char *r, *p;

    buf[0] = '\0';
    if (mpr_barrier_repr(b, &r, NULL) == 0) {
        p = strstr(r, ": ");
        snprintf(buf, sizeof(buf), "%s", p != NULL ? p + 2 : r);
        mpr_free(r);
    }
    return buf;
}

/* outcome(): the index as an int, or "<Exception name> '<message>'" as a
 * str (new reference) */
static mpr_obj_t *outcome(int r)
{
    const char *type, *dot;
    char *msg = NULL, text[256];
    mpr_obj_t *m;

    if (r >= 0)
        return mpr_obj_int(r);
    type = mpr_err_pytype(r);
    dot = strrchr(type, '.');
    m = mpr_obj_str(mpr_last_error_detail());
    if (m == NULL || mpr_obj_repr(m, &msg, NULL) < 0) {
        mpr_obj_decref(m);
        return NULL;
    }
    snprintf(text, sizeof(text), "%s %s", dot != NULL ? dot + 1 : type, msg);
    mpr_free(msg);
    mpr_obj_decref(m);
    return mpr_obj_str(text);
}

/* print's text of an outcome */
static void print_outcome(const char *fmt_before, mpr_obj_t *o,
                          const char *after)
{
    char *r = NULL;

    if (o == NULL)
        return;
    if (mpr_obj_type(o) == MPR_OBJ_STR)
        printf("%s%s%s", fmt_before, mpr_obj_str_utf8(o, NULL), after);
    else if (mpr_obj_repr(o, &r, NULL) == 0)
        printf("%s%s%s", fmt_before, r, after);
    mpr_free(r);
}

static void timed(const char *label, mpr_barrier_t *b, double timeout)
{
    double t0 = mpr_monotonic();
    mpr_obj_t *o = outcome(mpr_barrier_wait(b, timeout));
    char after[64];

    snprintf(after, sizeof(after), " after %.3f s\n", mpr_monotonic() - t0);
    printf("%s: ", label);
    print_outcome("", o, after);
    mpr_obj_decref(o);
}

static int boom(void *arg)
{
    (void)arg;
    return mpr_target_error(MPR_EVALUE, "boom");
}

/* party(b, results, name, timeout, has_action) */
static int party(mpr_obj_t *args, mpr_obj_t *kwargs)
{
    mpr_barrier_options_t bo = {0};
    mpr_obj_t *to = mpr_obj_item(args, 3), *res;
    mpr_queue_t *results;
    mpr_barrier_t *b;
    double t0;
    int r;

    (void)kwargs;
    if (mpr_obj_truth(mpr_obj_item(args, 4)))
        bo.action = boom;
    if ((r = mpr_barrier_rebuild(&b, mpr_obj_item(args, 0), &bo)) < 0 ||
        (r = mpr_queue_rebuild(&results, mpr_obj_item(args, 1))) < 0)
        return r;
    t0 = mpr_monotonic();
    r = mpr_barrier_wait(b, mpr_obj_is_none(to) ? MPR_TIMEOUT_NONE
                                                : mpr_obj_float_value(to));
    res = mpr_obj_tuple_steal(3, mpr_obj_incref(mpr_obj_item(args, 2)),
                              outcome(r), mpr_obj_float(mpr_monotonic() - t0));
    r = res == NULL ? mpr_last_error()
                    : mpr_queue_put(results, res, 1, MPR_TIMEOUT_NONE);
    mpr_obj_decref(res);
    mpr_queue_free(results);
    mpr_barrier_free(b);
    return r;
}
MPR_TARGET(party)

struct kids {
    int n;
    mpr_process_t *ps[2];
    mpr_obj_t *got[2]; /* (name, outcome, elapsed), sorted by name */
};

/* starts a child per timeout (< 0: None) */
static int start(struct kids *k, mpr_barrier_t *b, mpr_queue_t *results, int n,
                 const double *timeouts, int has_action)
{
    k->n = n;
    for (int i = 0; i < n; i++) {
        mpr_obj_t *bt = NULL, *qt = NULL, *args;
        char name[16];
        snprintf(name, sizeof(name), "child%d", i + 1);
        mpr_barrier_reduce(b, &bt);
        mpr_queue_reduce(results, &qt);
        args = mpr_obj_tuple_steal(5, bt, qt, mpr_obj_str(name),
                                   timeouts[i] < 0 ? mpr_obj_none()
                                                   : mpr_obj_float(timeouts[i]),
                                   mpr_obj_bool(has_action));
        mpr_process_options_t o = {.target = party, .args = args};
        if (args == NULL || mpr_process_new(&k->ps[i], &o) < 0 ||
            mpr_process_start(k->ps[i]) < 0)
            return -1;
        mpr_obj_decref(args);
    }
    return 0;
}

static int collect(struct kids *k, mpr_queue_t *results)
{
    for (int i = 0; i < k->n; i++) {
        mpr_obj_t *o = NULL;
        const char *name;
        if (mpr_queue_get(results, &o, 1, MPR_TIMEOUT_NONE) < 0)
            return -1;
        name = mpr_obj_str_utf8(mpr_obj_item(o, 0), NULL);
        k->got[(name[5] - '1') & 1] = o;
    }
    for (int i = 0; i < k->n; i++) {
        mpr_process_join(k->ps[i], MPR_TIMEOUT_NONE);
        mpr_process_free(k->ps[i]);
    }
    return 0;
}

static void drop(struct kids *k)
{
    for (int i = 0; i < k->n; i++)
        mpr_obj_decref(k->got[i]);
}

/* [r for _, r, _ in got] */
static void print_outcomes(const char *label, struct kids *k)
{
    mpr_obj_t *list = mpr_obj_list();
    char *r = NULL;

    for (int i = 0; i < k->n; i++)
        mpr_obj_list_append(list, mpr_obj_item(k->got[i], 1));
    if (mpr_obj_repr(list, &r, NULL) == 0)
        printf("%s %s\n", label, r);
    mpr_free(r);
    mpr_obj_decref(list);
}

/* sorted([i] + [r for _, r, _ in got]) for two children */
static void print_reused(const char *label, int i, struct kids *k,
                         mpr_barrier_t *b)
{
    int v[3] = {i, (int)mpr_obj_int_value(mpr_obj_item(k->got[0], 1)),
                (int)mpr_obj_int_value(mpr_obj_item(k->got[1], 1))};

    for (int x = 0; x < 3; x++)
        for (int y = x + 1; y < 3; y++)
            if (v[y] < v[x]) {
                int t = v[x];
                v[x] = v[y];
                v[y] = t;
            }
    printf("%s [%d, %d, %d] %s\n", label, v[0], v[1], v[2],
           case_bool(mpr_barrier_broken(b)));
}

static void wait_for_waiters(mpr_barrier_t *b, int n)
{
    while (mpr_barrier_n_waiting(b) < n)
        mpr_sleep(0.01);
}

int main(int argc, char **argv)
{
    static const double none2[2] = {-1, -1}, late[2] = {-1, 0.3};
    mpr_barrier_options_t bo = {0};
    mpr_queue_t *results;
    mpr_barrier_t *b, *t, *z, *m;
    struct kids k;
    int i;

    if (mpr_main(argc, argv) < 0 || mpr_queue_new(&results, 0) < 0 ||
        mpr_barrier_new(&b, 2, NULL) < 0)
        return 1;
    timed("wait(0.2) alone", b, 0.2);
    printf("broken: %s %d %s\n", case_bool(mpr_barrier_broken(b)),
           mpr_barrier_n_waiting(b), rep_tail(b));
    timed("wait() on a broken barrier", b, MPR_TIMEOUT_NONE);
    if (mpr_barrier_reset(b) == 0)
        printf("reset(): None %s %s\n", case_bool(mpr_barrier_broken(b)),
               rep_tail(b));
    timed("wait(-1) alone", b, -1);
    printf("broken: %s\n", case_bool(mpr_barrier_broken(b)));
    mpr_barrier_free(b);
    bo.has_timeout = 1;
    bo.timeout = 0.2;
    if (mpr_barrier_new(&t, 2, &bo) < 0)
        return 1;
    timed("Barrier(2, timeout=0.2).wait()", t, MPR_TIMEOUT_NONE);
    mpr_barrier_free(t);

    /* one party's timeout breaks it for all */
    if (mpr_barrier_new(&b, 3, NULL) < 0 ||
        start(&k, b, results, 2, late, 0) < 0 || collect(&k, results) < 0)
        return 1;
    print_outcome("child1 (no timeout): ", mpr_obj_item(k.got[0], 1), "\n");
    print_outcome("child2 (timeout 0.3): ", mpr_obj_item(k.got[1], 1), "");
    printf(", not early: %s\n",
           case_bool(mpr_obj_float_value(mpr_obj_item(k.got[1], 2)) >= 0.299));
    drop(&k);
    timed("the late parent wait()", b, MPR_TIMEOUT_NONE);
    printf("broken: %s\n", case_bool(mpr_barrier_broken(b)));
    mpr_barrier_free(b);

    /* abort() with two parties waiting; then reset() */
    if (mpr_barrier_new(&b, 3, NULL) < 0 ||
        start(&k, b, results, 2, none2, 0) < 0)
        return 1;
    wait_for_waiters(b, 2);
    if (mpr_barrier_abort(b) == 0)
        printf("abort(): None %s %s\n", case_bool(mpr_barrier_broken(b)),
               rep_tail(b));
    if (collect(&k, results) < 0)
        return 1;
    print_outcomes("waiters after abort():", &k);
    drop(&k);
    timed("wait() after abort()", b, MPR_TIMEOUT_NONE);
    if (mpr_barrier_reset(b) == 0)
        printf("reset(): None %s\n", case_bool(mpr_barrier_broken(b)));
    if (start(&k, b, results, 2, none2, 0) < 0)
        return 1;
    i = mpr_barrier_wait(b, MPR_TIMEOUT_NONE);
    if (collect(&k, results) < 0)
        return 1;
    print_reused("reused after abort and reset:", i, &k, b);
    drop(&k);
    mpr_barrier_free(b);

    /* reset() with two parties waiting */
    if (mpr_barrier_new(&b, 3, NULL) < 0 ||
        start(&k, b, results, 2, none2, 0) < 0)
        return 1;
    wait_for_waiters(b, 2);
    if (mpr_barrier_reset(b) == 0)
        printf("reset() with two waiting: None\n");
    if (collect(&k, results) < 0)
        return 1;
    print_outcomes("waiters after reset():", &k);
    drop(&k);
    printf("broken: %s %d\n", case_bool(mpr_barrier_broken(b)),
           mpr_barrier_n_waiting(b));
    if (start(&k, b, results, 2, none2, 0) < 0)
        return 1;
    i = mpr_barrier_wait(b, MPR_TIMEOUT_NONE);
    if (collect(&k, results) < 0)
        return 1;
    print_reused("reused after reset:", i, &k, b);
    drop(&k);
    mpr_barrier_free(b);

    /* an action that raises */
    bo.has_timeout = 0;
    bo.action = boom;
    if (mpr_barrier_new(&b, 2, &bo) < 0 ||
        start(&k, b, results, 1, none2, 1) < 0)
        return 1;
    wait_for_waiters(b, 1);
    timed("the parent runs the action", b, MPR_TIMEOUT_NONE);
    if (collect(&k, results) < 0)
        return 1;
    print_outcome("child1: ", mpr_obj_item(k.got[0], 1), "\n");
    drop(&k);
    printf("broken: %s\n", case_bool(mpr_barrier_broken(b)));
    mpr_barrier_free(b);

    if (mpr_barrier_new(&z, 0, NULL) < 0 || mpr_barrier_new(&m, -1, NULL) < 0)
        return 1;
    printf("Barrier(0): %d %s", mpr_barrier_parties(z), rep_tail(z));
    printf(" Barrier(-1): %s\n", rep_tail(m));
    mpr_barrier_free(m);
    timed("Barrier(0).wait(0.2)", z, 0.2);
    mpr_barrier_free(z);
    mpr_queue_free(results);
    return 0;
}
