/*
 * support.c - see support.h.
 */
#include "support.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>

const char *case_bool(int v)
{
    return v ? "True" : "False";
}

int case_print_repr(const char *prefix, const mpr_obj_t *o)
{
    char *r;
    int rc = mpr_obj_repr(o, &r, NULL);

    if (rc < 0)
        return rc;
    printf("%s%s%s\n", prefix ? prefix : "", prefix ? " " : "", r);
    mpr_free(r);
    return 0;
}

mpr_obj_t *case_range_list(int a, int b)
{
    mpr_obj_t *l = mpr_obj_list();

    for (int i = a; l != NULL && i < b; i++)
        if (mpr_obj_list_append_steal(l, mpr_obj_int(i)) < 0) {
            mpr_obj_decref(l);
            return NULL;
        }
    return l;
}

double case_now(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_REALTIME, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

int case_start(mpr_process_t **p, mpr_target_t fn, mpr_obj_t *args)
{
    mpr_process_options_t o = {.target = fn};
    int rc;

    if (args == NULL)
        return mpr_last_error();
    o.args = args;
    rc = mpr_process_new(p, &o);
    mpr_obj_decref(args);
    return rc < 0 ? rc : mpr_process_start(*p);
}

static uint64_t random64(void)
{
    uint64_t r = 0;

    while (getrandom(&r, sizeof(r), 0) != sizeof(r))
        ; /* EINTR, or a short read of the pool: draw again */
    return r;
}

int case_randint(int lo, int hi)
{
    return lo + (int)(random64() % (uint64_t)(hi - lo + 1));
}

double case_random(void)
{
    return (double)(random64() >> 11) * 0x1.0p-53; /* 53 bits, as CPython */
}

void case_show(const char *what, int rc, mpr_obj_t *out)
{
    char detail[512], *r;
    const char *cls;

    if (rc < 0) {
        snprintf(detail, sizeof(detail), "%s", mpr_last_error_detail());
        cls = strrchr(mpr_err_pytype(rc), '.');
        printf("%s %s %s\n", what, cls ? cls + 1 : mpr_err_pytype(rc), detail);
        return;
    }
    if (out == NULL)
        out = mpr_obj_none();
    if (mpr_obj_repr(out, &r, NULL) == 0) {
        printf("%s %s\n", what, r);
        mpr_free(r);
    }
    mpr_obj_decref(out);
}

mpr_obj_t *case_conn_args(size_t n, mpr_conn_t *const *conns)
{
    mpr_obj_t *t;

    if (strcmp(mpr_get_start_method(), "fork") == 0)
        return mpr_obj_tuple(0);
    if ((t = mpr_obj_tuple_new(n)) == NULL)
        return NULL;
    for (size_t i = 0; i < n; i++) {
        mpr_obj_t *r;
        if (mpr_conn_reduce(conns[i], &r) < 0 ||
            mpr_obj_tuple_set_steal(t, i, r) < 0) {
            mpr_obj_decref(t);
            return NULL;
        }
    }
    return t;
}

int case_take_conns(const mpr_obj_t *args, size_t n, mpr_conn_t **conns)
{
    int rc;

    for (size_t i = 0; i < n && mpr_obj_len(args) == n; i++)
        if ((rc = mpr_conn_rebuild(&conns[i], mpr_obj_item(args, i))) < 0)
            return rc;
    return 0;
}

int case_fail(int rc)
{
    char line[512];

    mpr_err_format(rc, line, sizeof(line));
    fflush(stdout);
    fprintf(stderr, "Traceback (most recent call last):\n%s\n", line);
    return 1;
}

int case_main_with_manager(int argc, char **argv, int (*run)(mpr_manager_t *m))
{
    mpr_manager_t *m = NULL;
    int rc;

    if ((rc = mpr_main(argc, argv)) == 0 &&
        (rc = mpr_manager_new(&m, NULL)) == 0 &&
        (rc = mpr_manager_enter(m)) == 0) {
        rc = run(m);
        mpr_manager_exit(m);
    }
    mpr_manager_free(m);
    return rc < 0 ? case_fail(rc) : 0;
}

mpr_obj_t *case_queue_arg(mpr_queue_t *queue)
{
    mpr_obj_t *r;

    if (strcmp(mpr_get_start_method(), "fork") == 0)
        return mpr_obj_none();
    return mpr_queue_reduce(queue, &r) < 0 ? NULL : r;
}

int case_take_queue(const mpr_obj_t *arg, mpr_queue_t **queue)
{
    int rc;

    if (mpr_obj_is_none(arg))
        return 0; /* fork: the inherited object */
    return (rc = mpr_queue_rebuild(queue, arg)) < 0 ? rc : 1;
}
