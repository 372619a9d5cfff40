/*
 * queue/concurrent-readers-writers: three writer and three reader processes
 * use one SimpleQueue, then one Queue, at once.  Every 50 000-byte item
 * reaches exactly one reader, intact, and each reader sees each writer's
 * items in put order; the readers report what they saw on a results Queue.
 * Queues go in args as values, as in the Python.
 */
#include <mpr.h>

#include "support.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SIZE 50000
#define N    20

static mpr_squeue_t *sq; /* kind 0 */
static mpr_queue_t *q;   /* kind 1 */
static mpr_queue_t *results;
static int kind;

/* payload(name, i) (new reference) */
static mpr_obj_t *payload(const char *name, int64_t i)
{
    size_t n = SIZE - (size_t)i, nl = strlen(name);
    unsigned char *b = malloc(n + nl);
    mpr_obj_t *o;

    if (b == NULL)
        return NULL;
    memset(b, (int)((i * 7 + (unsigned char)name[nl - 1]) % 256), n);
    memcpy(b + n, name, nl);
    o = mpr_obj_bytes(b, n + nl);
    free(b);
    return o;
}

/* the queue of this kind: put and get */
static int kput(mpr_obj_t *o)
{
    int rc;

    if (o == NULL)
        return mpr_last_error();
    rc = kind == 0 ? mpr_squeue_put(sq, o)
                   : mpr_queue_put(q, o, 1, MPR_TIMEOUT_NONE);
    mpr_obj_decref(o);
    return rc;
}

static int kget(mpr_obj_t **o)
{
    return kind == 0 ? mpr_squeue_get(sq, o)
                     : mpr_queue_get(q, o, 1, MPR_TIMEOUT_NONE);
}

/* The queue of this kind as a value, for a child's args. */
static mpr_obj_t *kind_arg(void)
{
    if (kind == 0)
        return mpr_obj_handle(MPR_HANDLE_SQUEUE, sq);
    return mpr_obj_handle(MPR_HANDLE_QUEUE, q);
}

/* In the child: args (kind, queue, ...) into kind and sq or q (borrowed:
 * the args own a rebuilt one). */
static int take_kind(const mpr_obj_t *args)
{
    kind = (int)mpr_obj_int_value(mpr_obj_item(args, 0));
    if (kind == 0)
        sq = case_arg(args, 1, MPR_HANDLE_SQUEUE);
    else
        q = case_arg(args, 1, MPR_HANDLE_QUEUE);
    return (kind == 0 ? (void *)sq : (void *)q) != NULL ? 0 : mpr_last_error();
}

/* writer(q, name, n) */
static int writer(mpr_obj_t *args, mpr_obj_t *kwargs)
{
    const char *name = mpr_obj_str_utf8(mpr_obj_item(args, 2), NULL);
    int rc = take_kind(args);

    (void)kwargs;
    for (int64_t i = 0; rc >= 0 && i < N; i++)
        rc = kput(mpr_obj_tuple_steal(3, mpr_obj_str(name), mpr_obj_int(i),
                                      payload(name, i)));
    return rc < 0 ? rc : 0;
}
MPR_TARGET(writer)

/* reader(q, results, k) */
static int reader(mpr_obj_t *args, mpr_obj_t *kwargs)
{
    mpr_queue_t *res_q = case_arg(args, 2, MPR_HANDLE_QUEUE);
    mpr_obj_t *seen = mpr_obj_list(), *item, *rep;
    int64_t k = mpr_obj_int_value(mpr_obj_item(args, 3)),
            last[3] = {-1, -1, -1};
    int rc = take_kind(args), intact = 1, in_order = 1;

    (void)kwargs;
    if (rc == 0 && res_q == NULL)
        rc = mpr_last_error();
    if (rc < 0 || seen == NULL) {
        mpr_obj_decref(seen);
        return rc < 0 ? rc : mpr_last_error();
    }
    while ((rc = kget(&item)) == 0 && !mpr_obj_is_none(item)) {
        const char *name = mpr_obj_str_utf8(mpr_obj_item(item, 0), NULL);
        int64_t i = mpr_obj_int_value(mpr_obj_item(item, 1));
        mpr_obj_t *want = payload(name, i);
        int eq = want ? mpr_obj_eq(mpr_obj_item(item, 2), want) : 0;
        int w = name[strlen(name) - 1] - '0';
        mpr_obj_decref(want);
        intact = intact && eq == 1;
        /* per writer, the indices this reader got only grow */
        if (w >= 0 && w < 3) {
            in_order = in_order && i > last[w];
            last[w] = i;
        }
        rc = mpr_obj_list_append_steal(
            seen, mpr_obj_tuple_steal(2, mpr_obj_str(name), mpr_obj_int(i)));
        mpr_obj_decref(item);
        if (rc < 0)
            return rc;
    }
    if (rc < 0)
        return rc;
    mpr_obj_decref(item);
    rep = mpr_obj_tuple_steal(4, mpr_obj_int(k), seen, mpr_obj_bool(intact),
                              mpr_obj_bool(in_order));
    rc =
        rep ? mpr_queue_put(res_q, rep, 1, MPR_TIMEOUT_NONE) : mpr_last_error();
    mpr_obj_decref(rep);
    return rc;
}
MPR_TARGET(reader)

static int run_kind(void)
{
    mpr_process_t *procs[6]; /* readers, then writers */
    mpr_obj_t *got[3] = {NULL, NULL, NULL}, *r;
    int count[3][N] = {{0}}, total = 0, once = 1, intact = 1, in_order = 1;
    char name[4];
    int rc, code;

    if ((rc = kind == 0 ? mpr_squeue_new(&sq) : mpr_queue_new(&q, 0)) < 0 ||
        (rc = mpr_queue_new(&results, 0)) < 0)
        return rc;
    for (int k = 0; k < 3; k++)
        if ((rc = case_start(
                 &procs[k], reader,
                 mpr_obj_tuple_steal(4, mpr_obj_int(kind), kind_arg(),
                                     mpr_obj_handle(MPR_HANDLE_QUEUE, results),
                                     mpr_obj_int(k)))) < 0)
            return rc;
    for (int k = 0; k < 3; k++) {
        snprintf(name, sizeof(name), "w%d", k);
        if ((rc = case_start(&procs[3 + k], writer,
                             mpr_obj_tuple_steal(4, mpr_obj_int(kind),
                                                 kind_arg(), mpr_obj_str(name),
                                                 mpr_obj_int(N)))) < 0)
            return rc;
    }
    for (int k = 3; k < 6; k++)
        if ((rc = mpr_process_join(procs[k], MPR_TIMEOUT_NONE)) < 0)
            return rc;
    for (int k = 0; k < 3; k++)
        if ((rc = kput(mpr_obj_none())) < 0)
            return rc;
    /* sorted(..., key=lambda r: r[0]) */
    for (int k = 0; k < 3; k++) {
        int64_t id;
        if ((rc = mpr_queue_get(results, &r, 1, 60)) < 0)
            return rc;
        id = mpr_obj_int_value(mpr_obj_item(r, 0));
        if (id < 0 || id > 2 || got[id] != NULL) {
            mpr_obj_decref(r);
            return MPR_EASSERT;
        }
        got[id] = r;
    }
    for (int k = 0; k < 3; k++)
        if ((rc = mpr_process_join(procs[k], MPR_TIMEOUT_NONE)) < 0)
            return rc;
    for (int k = 0; k < 3; k++) {
        mpr_obj_t *seen = mpr_obj_item(got[k], 1);
        for (size_t j = 0; j < mpr_obj_len(seen); j++) {
            mpr_obj_t *t = mpr_obj_item(seen, j);
            int w = mpr_obj_str_utf8(mpr_obj_item(t, 0), NULL)[1] - '0';
            int64_t i = mpr_obj_int_value(mpr_obj_item(t, 1));
            total++;
            if (w >= 0 && w < 3 && i >= 0 && i < N)
                count[w][i]++;
            else
                once = 0;
        }
        intact = intact && mpr_obj_truth(mpr_obj_item(got[k], 2));
        in_order = in_order && mpr_obj_truth(mpr_obj_item(got[k], 3));
    }
    for (int w = 0; w < 3; w++)
        for (int i = 0; i < N; i++)
            once = once && count[w][i] == 1;
    printf(
        "%s: %d items; each once: %s intact: %s in order: %s reports: [0, 1, "
        "2] exitcodes: [",
        kind == 0 ? "SimpleQueue" : "Queue", total, case_bool(once),
        case_bool(intact), case_bool(in_order));
    for (int k = 0; k < 6; k++) {
        mpr_process_exitcode(procs[k], &code);
        printf("%s%d", k ? ", " : "", code);
        mpr_process_free(procs[k]);
    }
    printf("]\n");
    for (int k = 0; k < 3; k++)
        mpr_obj_decref(got[k]);
    if (kind == 0)
        mpr_squeue_free(sq);
    else
        mpr_queue_free(q);
    mpr_queue_free(results);
    return 0;
}

int main(int argc, char **argv)
{
    int rc;

    if ((rc = mpr_main(argc, argv)) < 0)
        return case_fail(rc);
    for (kind = 0; kind < 2; kind++)
        if ((rc = run_kind()) < 0)
            return case_fail(rc);
    return 0;
}
