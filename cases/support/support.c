/*
 * support.c - see support.h.
 */
#include "support.h"

#include <libgen.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>
#include <unistd.h>

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

int case_process(mpr_process_t **p, mpr_target_t fn, mpr_obj_t *args)
{
    mpr_process_options_t o = {.target = fn};
    int rc;

    if (args == NULL)
        return mpr_last_error();
    o.args = args;
    rc = mpr_process_new(p, &o);
    mpr_obj_decref(args);
    return rc;
}

int case_start(mpr_process_t **p, mpr_target_t fn, mpr_obj_t *args)
{
    int rc = case_process(p, fn, args);

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

mpr_obj_t *case_column(const mpr_obj_t *rows, size_t k)
{
    mpr_obj_t *l = mpr_obj_list();

    for (size_t i = 0; l != NULL && i < mpr_obj_len(rows); i++)
        if (mpr_obj_list_append(l, mpr_obj_item(mpr_obj_item(rows, i), k)) <
            0) {
            mpr_obj_decref(l);
            return NULL;
        }
    return l;
}

static int is_number(const mpr_obj_t *o)
{
    mpr_obj_type_t t = mpr_obj_type(o);

    return t == MPR_OBJ_BOOL || t == MPR_OBJ_INT || t == MPR_OBJ_FLOAT;
}

/* a < b as Python orders them: -1, 0 or 1 in *order, or MPR_ETYPE. */
static int compare(const mpr_obj_t *a, const mpr_obj_t *b, int *order)
{
    mpr_obj_type_t ta = mpr_obj_type(a), tb = mpr_obj_type(b);

    if (is_number(a) && is_number(b)) {
        double x = 0, y = 0;
        int64_t i = 0, j = 0;
        if (ta != MPR_OBJ_FLOAT && tb != MPR_OBJ_FLOAT) { /* exact */
            mpr_obj_as_int64(a, &i);
            mpr_obj_as_int64(b, &j);
            *order = (i > j) - (i < j);
        } else {
            mpr_obj_as_double(a, &x);
            mpr_obj_as_double(b, &y);
            *order = (x > y) - (x < y);
        }
        return 0;
    }
    if (ta != tb)
        return MPR_ETYPE;
    if (ta == MPR_OBJ_STR) { /* UTF-8 byte order is code point order */
        int c = strcmp(mpr_obj_str_utf8(a, NULL), mpr_obj_str_utf8(b, NULL));
        *order = (c > 0) - (c < 0);
        return 0;
    }
    if (ta != MPR_OBJ_TUPLE && ta != MPR_OBJ_LIST)
        return MPR_ETYPE;
    for (size_t i = 0; i < mpr_obj_len(a) && i < mpr_obj_len(b); i++) {
        int rc = compare(mpr_obj_item(a, i), mpr_obj_item(b, i), order);
        if (rc < 0 || *order != 0)
            return rc;
    }
    *order =
        (mpr_obj_len(a) > mpr_obj_len(b)) - (mpr_obj_len(a) < mpr_obj_len(b));
    return 0;
}

mpr_obj_t *case_sorted(const mpr_obj_t *seq)
{
    size_t n = mpr_obj_len(seq);
    mpr_obj_t *l = mpr_obj_list();
    int order;

    /* insertion sort: stable like list.sort, and the lists are short */
    for (size_t i = 0; l != NULL && i < n; i++) {
        mpr_obj_t *x = mpr_obj_item(seq, i);
        size_t at = i;
        if (mpr_obj_list_append(l, x) < 0)
            goto fail;
        while (at > 0) {
            if (compare(mpr_obj_item(l, at - 1), x, &order) < 0)
                goto fail;
            if (order <= 0)
                break;
            if (mpr_obj_list_set(l, at, mpr_obj_item(l, at - 1)) < 0)
                goto fail;
            at--;
        }
        if (mpr_obj_list_set(l, at, x) < 0)
            goto fail;
    }
    return l;
fail:
    mpr_obj_decref(l);
    return NULL;
}

int case_contains(const mpr_obj_t *seq, const mpr_obj_t *item)
{
    for (size_t i = 0; i < mpr_obj_len(seq); i++)
        if (mpr_obj_eq(mpr_obj_item(seq, i), item) == 1)
            return 1;
    return 0;
}

mpr_obj_t *case_set(const mpr_obj_t *seq)
{
    mpr_obj_t *l = mpr_obj_list();

    for (size_t i = 0; l != NULL && i < mpr_obj_len(seq); i++)
        if (!case_contains(l, mpr_obj_item(seq, i)) &&
            mpr_obj_list_append(l, mpr_obj_item(seq, i)) < 0) {
            mpr_obj_decref(l);
            return NULL;
        }
    return l;
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

/* the next of case_call's 8 buffers */
static char *ring_next(void)
{
    static char ring[8][512];
    static int k;

    return ring[k++ % 8];
}

const char *case_call(mpr_proxy_t *p, const char *method, mpr_obj_t *args)
{
    char *text = ring_next(), *r;
    mpr_obj_t *out = NULL;
    const char *cls;
    int rc = mpr_proxy_callmethod(p, method, args, NULL, &out);

    mpr_obj_decref(args);
    if (rc < 0) {
        cls = strrchr(mpr_err_pytype(rc), '.');
        snprintf(text, 512, "%s %s", cls ? cls + 1 : mpr_err_pytype(rc),
                 mpr_last_error_detail());
    } else if (out == NULL) {
        snprintf(text, 512, "None");
    } else if (mpr_obj_repr(out, &r, NULL) == 0) {
        snprintf(text, 512, "%s", r);
        mpr_free(r);
    } else {
        snprintf(text, 512, "<repr failed>");
    }
    mpr_obj_decref(out);
    return text;
}

const char *case_str(mpr_proxy_t *p)
{
    char *text = ring_next(), *s;

    if (mpr_proxy_str(p, &s, NULL) < 0)
        return "<str failed>";
    snprintf(text, 512, "%s", s);
    mpr_free(s);
    return text;
}

void *case_arg(const mpr_obj_t *args, size_t i, mpr_handle_kind_t kind)
{
    mpr_obj_t *o = mpr_obj_item(args, i);
    void *ptr = o != NULL ? mpr_obj_handle_ptr(o, kind) : NULL;

    if (ptr == NULL)
        mpr_target_error(MPR_ETYPE, "args[%zu] is not a handle of kind %d", i,
                         (int)kind);
    return ptr;
}

mpr_obj_t *case_pipe_value(mpr_conn_t *const ends[2])
{
    return mpr_obj_tuple_steal(2, mpr_obj_handle(MPR_HANDLE_CONN, ends[0]),
                               mpr_obj_handle(MPR_HANDLE_CONN, ends[1]));
}

mpr_obj_t *case_conns_value(size_t n, mpr_conn_t *const *conns)
{
    mpr_obj_t *t = mpr_obj_tuple_new(n);

    for (size_t i = 0; t != NULL && i < n; i++)
        if (mpr_obj_tuple_set_steal(
                t, i, mpr_obj_handle(MPR_HANDLE_CONN, conns[i])) < 0) {
            mpr_obj_decref(t);
            t = NULL;
        }
    return t;
}

int case_conns_of(const mpr_obj_t *args, size_t n, mpr_conn_t **conns)
{
    for (size_t i = 0; i < n; i++)
        if ((conns[i] = case_arg(args, i, MPR_HANDLE_CONN)) == NULL)
            return mpr_last_error();
    return 0;
}

int case_fail(int rc)
{
    char line[1024]; /* the bootstrapping RuntimeError is 533 */

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

int case_queue_of(const mpr_obj_t *arg, mpr_queue_t **queue)
{
    *queue = arg != NULL ? mpr_obj_handle_ptr(arg, MPR_HANDLE_QUEUE) : NULL;
    if (*queue == NULL)
        return mpr_target_error(MPR_ETYPE, "not a Queue");
    return 0;
}

int case_proxy_of(const mpr_obj_t *arg, mpr_proxy_t **p)
{
    *p = arg != NULL ? mpr_obj_handle_ptr(arg, MPR_HANDLE_PROXY) : NULL;
    if (*p == NULL)
        return mpr_target_error(MPR_ETYPE, "not a proxy");
    return 0;
}

double case_monotonic(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int case_sibling(const char *file, const char *name, char *out, size_t size)
{
    char exe[PATH_MAX], src[PATH_MAX];
    ssize_t n;

    if (file[0] == '/') {
        snprintf(src, sizeof(src), "%s", file);
    } else {
        if ((n = readlink("/proc/self/exe", exe, sizeof(exe) - 1)) < 0)
            return -1;
        exe[n] = '\0';
        snprintf(src, sizeof(src), "%s/%s", dirname(dirname(exe)), file);
    }
    snprintf(out, size, "%s/%s", dirname(src), name);
    return access(out, R_OK);
}
