/*
 * queue/producers-fifo-large: three producer processes and the main
 * process put 30 numbered items each on one Queue, each producer a 4 MiB
 * bytes item among them; every producer's items come out in its order.
 * A child whose 4 MiB item is unread cannot exit until the parent reads it.
 * Queues go in args as values, as in the Python.
 */
#include <mpr.h>

#include "support.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define BIG_SIZE (4 * 1024 * 1024)

static mpr_queue_t *q;
static unsigned char *big;

/* BIG = bytes(range(256)) * (4 MiB // 256), made once per process */
static int make_big(void)
{
    if (big == NULL && (big = malloc(BIG_SIZE)) == NULL)
        return -12;
    for (size_t i = 0; i < BIG_SIZE; i++)
        big[i] = (unsigned char)i;
    return 0;
}

static int put_steal(mpr_obj_t *item)
{
    int rc =
        item ? mpr_queue_put(q, item, 1, MPR_TIMEOUT_NONE) : mpr_last_error();

    mpr_obj_decref(item);
    return rc;
}

/* producer(q, name, n, big_at) */
static int producer(mpr_obj_t *args, mpr_obj_t *kwargs)
{
    const char *name = mpr_obj_str_utf8(mpr_obj_item(args, 1), NULL);
    int64_t n = mpr_obj_int_value(mpr_obj_item(args, 2));
    int64_t big_at = mpr_obj_int_value(mpr_obj_item(args, 3));
    int rc;

    (void)kwargs;
    if ((rc = case_queue_of(mpr_obj_item(args, 0), &q)) < 0 ||
        (rc = make_big()) < 0)
        return rc;
    for (int64_t i = 0; i < n && rc == 0; i++) {
        if (i == big_at && (rc = put_steal(mpr_obj_tuple_steal(
                                3, mpr_obj_str(name), mpr_obj_str("big"),
                                mpr_obj_bytes(big, BIG_SIZE)))) < 0)
            break;
        rc = put_steal(
            mpr_obj_tuple_steal(2, mpr_obj_str(name), mpr_obj_int(i)));
    }
    free(big);
    return rc;
}
MPR_TARGET(producer)

/* show(q.get(timeout=60)) */
static int get_show(void)
{
    mpr_obj_t *item;
    int rc;

    if ((rc = mpr_queue_get(q, &item, 1, 60)) < 0)
        return rc;
    if (mpr_obj_len(item) == 3) {
        size_t len = 0;
        const unsigned char *data =
            mpr_obj_bytes_data(mpr_obj_item(item, 2), &len);
        printf(
            "%s big %zu %s\n", mpr_obj_str_utf8(mpr_obj_item(item, 0), NULL),
            mpr_obj_len(mpr_obj_item(item, 2)),
            case_bool(data && len == BIG_SIZE && memcmp(data, big, len) == 0));
    } else {
        printf("%s %d\n", mpr_obj_str_utf8(mpr_obj_item(item, 0), NULL),
               (int)mpr_obj_int_value(mpr_obj_item(item, 1)));
    }
    mpr_obj_decref(item);
    return 0;
}

/* Process(target=producer, args=(q, name, n, big_at)).start() */
static int new_producer(mpr_process_t **p, const char *name, int n, int big_at)
{
    return case_start(p, producer,
                      mpr_obj_tuple_steal(4,
                                          mpr_obj_handle(MPR_HANDLE_QUEUE, q),
                                          mpr_obj_str(name), mpr_obj_int(n),
                                          mpr_obj_int(big_at)));
}

int main(int argc, char **argv)
{
    mpr_process_t *procs[3], *p;
    char name[8];
    int rc, code;

    if ((rc = mpr_main(argc, argv)) < 0 || (rc = make_big()) < 0 ||
        (rc = mpr_queue_new(&q, 0)) < 0)
        return case_fail(rc);
    for (int k = 0; k < 3; k++) {
        snprintf(name, sizeof(name), "p%d", k);
        if ((rc = new_producer(&procs[k], name, 30, 10 * k)) < 0)
            return case_fail(rc);
    }
    for (int i = 0; i < 30; i++)
        if ((rc = put_steal(mpr_obj_tuple_steal(2, mpr_obj_str("main"),
                                                mpr_obj_int(i)))) < 0)
            return case_fail(rc);
    for (int i = 0; i < 4 * 30 + 3; i++)
        if ((rc = get_show()) < 0)
            return case_fail(rc);
    printf("exitcodes [");
    for (int k = 0; k < 3; k++) {
        if ((rc = mpr_process_join(procs[k], MPR_TIMEOUT_NONE)) < 0)
            return case_fail(rc);
        mpr_process_exitcode(procs[k], &code);
        printf("%s%d", k ? ", " : "", code);
        mpr_process_free(procs[k]);
    }
    printf("] qsize %d\n", mpr_queue_qsize(q));
    fflush(stdout);

    if ((rc = new_producer(&p, "late", 1, 0)) < 0 ||
        (rc = mpr_process_join(p, 0.5)) < 0)
        return case_fail(rc);
    rc = mpr_process_is_alive(p);
    printf("4 MiB unread: alive %s exitcode ", case_bool(rc == 1));
    if (mpr_process_exitcode(p, &code) == 1)
        printf("%d\n", code);
    else
        printf("None\n");
    fflush(stdout);
    if ((rc = get_show()) < 0 || (rc = get_show()) < 0 ||
        (rc = mpr_process_join(p, MPR_TIMEOUT_NONE)) < 0)
        return case_fail(rc);
    mpr_process_exitcode(p, &code);
    printf("after the get: exitcode %d\n", code);
    mpr_process_free(p);
    mpr_queue_free(q);
    free(big);
    return 0;
}
