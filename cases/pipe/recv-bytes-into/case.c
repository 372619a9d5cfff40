/*
 * pipe/recv-bytes-into: a child sends seven messages and closes its end;
 * the parent receives them with recv_bytes_into at various offsets:
 * BufferTooShort carries the whole message (consumed, buffer untouched),
 * bad offsets are ValueErrors before any read, EOFError at the end.
 * Connections go in args as values, as in the Python.
 */
#include <mpr.h>

#include "support.h"

#include <stdio.h>
#include <string.h>

static mpr_conn_t *a, *b;

static int child(mpr_obj_t *args, mpr_obj_t *kwargs)
{
    static const char *const msgs[] = {"hi",         "hello world", "abc", "",
                                       "0123456789", "0123456789",  "z"};
    int rc;

    (void)kwargs;
    if ((rc = case_conns_of(args, 1, &b)) < 0)
        return rc;
    for (size_t i = 0; i < sizeof(msgs) / sizeof(msgs[0]); i++)
        if ((rc = mpr_conn_send_bytes(b, msgs[i], strlen(msgs[i]), 0,
                                      MPR_SIZE_NONE)) < 0)
            return rc;
    return mpr_conn_close(b);
}
MPR_TARGET(child)

static char buf[10];

/* prints bytearray(buf)'s repr, then end */
static int print_buf(const char *end)
{
    mpr_obj_t *o = mpr_obj_bytes(buf, sizeof(buf));
    char *r;
    int rc;

    if (o == NULL)
        return mpr_last_error();
    rc = mpr_obj_repr(o, &r, NULL);
    mpr_obj_decref(o);
    if (rc < 0)
        return rc;
    printf("bytearray(%s)%s", r, end);
    mpr_free(r);
    return 0;
}

/* print(label, a.recv_bytes_into(buf, offset), buf) */
static int into(const char *label, int64_t offset)
{
    size_t n;
    int rc;

    if ((rc = mpr_conn_recv_bytes_into(a, buf, sizeof(buf), offset, &n)) < 0)
        return rc;
    printf("%s %zu ", label, n);
    return print_buf("\n");
}

/* The class name of an exception, as type(e).__name__. */
static const char *short_type(int rc)
{
    const char *t = mpr_err_pytype(rc), *dot = strrchr(t, '.');

    return dot ? dot + 1 : t;
}

int main(int argc, char **argv)
{
    mpr_process_options_t o = {.target = child};
    mpr_process_t *p;
    size_t n;
    int rc;

    if ((rc = mpr_main(argc, argv)) < 0 || (rc = mpr_pipe(&a, &b, 1)) < 0)
        return case_fail(rc);
    if ((o.args = case_conns_value(1, &b)) == NULL)
        return case_fail(mpr_last_error());
    if ((rc = mpr_process_new(&p, &o)) < 0 || (rc = mpr_process_start(p)) < 0)
        return case_fail(rc);
    mpr_obj_decref((mpr_obj_t *)o.args);
    mpr_conn_close(b);
    if ((rc = into("into offset 3:", 3)) < 0)
        return case_fail(rc);
    rc = mpr_conn_recv_bytes_into(a, buf, sizeof(buf), 0, &n);
    if (rc != MPR_EBUFTOOSHORT)
        return case_fail(rc < 0 ? rc : MPR_EASSERT);
    /* BufferTooShort is a ProcessError; its args hold the whole message */
    printf("too short: %s True (%s,) ", short_type(rc),
           mpr_last_error_detail());
    if ((rc = print_buf("\n")) < 0 || (rc = into("next message:", 0)) < 0)
        return case_fail(rc);
    for (int i = 0; i < 2; i++) {
        int64_t off = i == 0 ? 11 : -1;
        rc = mpr_conn_recv_bytes_into(a, buf, sizeof(buf), off, &n);
        if (rc != MPR_EVALUE)
            return case_fail(rc < 0 ? rc : MPR_EASSERT);
        printf("offset %d: ValueError %s\n", (int)off, mpr_last_error_detail());
    }
    if ((rc = into("empty at offset 10:", 10)) < 0)
        return case_fail(rc);
    rc = mpr_conn_recv_bytes_into(a, buf, sizeof(buf), 1, &n);
    if (rc != MPR_EBUFTOOSHORT)
        return case_fail(rc < 0 ? rc : MPR_EASSERT);
    printf("10 bytes at offset 1: %s %s\n", short_type(rc),
           mpr_last_error_detail());
    if ((rc = into("10 bytes at offset 0:", 0)) < 0 ||
        (rc = into("last:", 9)) < 0 ||
        (rc = mpr_process_join(p, MPR_TIMEOUT_NONE)) < 0 ||
        (rc = mpr_conn_poll(a, 0.0)) < 0)
        return case_fail(rc);
    printf("poll after the child closed: %s\n", case_bool(rc));
    rc = mpr_conn_recv_bytes_into(a, buf, sizeof(buf), 0, &n);
    if (rc != MPR_EEOF)
        return case_fail(rc < 0 ? rc : MPR_EASSERT);
    printf("EOFError EOFError() ");
    if ((rc = print_buf("\n")) < 0)
        return case_fail(rc);
    mpr_process_free(p);
    mpr_conn_free(a);
    mpr_conn_free(b);
    return 0;
}
