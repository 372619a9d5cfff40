/*
 * pipe/send-bytes-slices: a child sends slices with send_bytes(buf, offset,
 * size) and reports the four misuses' ValueErrors through the pipe; the
 * parent checks recv_bytes(maxlength) and the state 'bad message length'
 * leaves: a duplex end becomes write-only, a read-only end is closed.
 * Connections go in args as values, as in the Python.
 */
#include <mpr.h>

#include "support.h"

#include <stdio.h>
#include <string.h>

static mpr_conn_t *a, *b;

/* print(obj): a str as its text, anything else as its repr. */
static int print_obj(const char *prefix, const mpr_obj_t *o)
{
    char *r;
    int rc;

    if (mpr_obj_type(o) == MPR_OBJ_STR) {
        printf("%s%s\n", prefix, mpr_obj_str_utf8(o, NULL));
        return 0;
    }
    if ((rc = mpr_obj_repr(o, &r, NULL)) < 0)
        return rc;
    printf("%s%s\n", prefix, r);
    mpr_free(r);
    return 0;
}

/* print(prefix, bytes) for a received buffer */
static int print_bytes(const char *prefix, const char *buf, size_t len)
{
    mpr_obj_t *o = mpr_obj_bytes(buf, len);
    int rc;

    if (o == NULL)
        return mpr_last_error();
    rc = print_obj(prefix, o);
    mpr_obj_decref(o);
    return rc;
}

static int child(mpr_obj_t *args, mpr_obj_t *kwargs)
{
    static const char buf[] = "abcdefghij";
    static const struct {
        int n;
        int64_t offset, size;
    } bad[] = {{1, -1, 0}, {1, 11, 0}, {2, 0, -1}, {2, 5, 6}, {2, 10, 1}};
    mpr_obj_t *got;
    int rc;

    (void)kwargs;
    if ((rc = case_conns_of(args, 1, &b)) < 0 ||
        (rc = mpr_conn_send_bytes(b, buf, 10, 0, MPR_SIZE_NONE)) < 0 ||
        (rc = mpr_conn_send_bytes(b, buf, 10, 2, MPR_SIZE_NONE)) < 0 ||
        (rc = mpr_conn_send_bytes(b, buf, 10, 2, 3)) < 0 ||
        (rc = mpr_conn_send_bytes(b, buf, 10, 10, MPR_SIZE_NONE)) < 0 ||
        (rc = mpr_conn_send_bytes(b, buf, 10, 4, 0)) < 0 ||
        (rc = mpr_conn_send_bytes(b, buf, 10, 0, 10)) < 0 ||
        (rc = mpr_conn_send_bytes(b, "xyz", 3, 1, MPR_SIZE_NONE)) < 0)
        return rc;
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        mpr_obj_t *t, *targs;
        targs = bad[i].n == 1
                    ? mpr_obj_tuple_steal(1, mpr_obj_int(bad[i].offset))
                    : mpr_obj_tuple_steal(2, mpr_obj_int(bad[i].offset),
                                          mpr_obj_int(bad[i].size));
        rc = mpr_conn_send_bytes(b, buf, 10, bad[i].offset,
                                 bad[i].n == 1 ? MPR_SIZE_NONE : bad[i].size);
        if (rc == MPR_EVALUE)
            t = mpr_obj_tuple_steal(3, mpr_obj_str("ValueError"), targs,
                                    mpr_obj_str(mpr_last_error_detail()));
        else if (rc == 0)
            t = mpr_obj_tuple_steal(2, mpr_obj_str("sent"), targs);
        else {
            mpr_obj_decref(targs);
            return rc;
        }
        rc = t ? mpr_conn_send(b, t) : mpr_last_error();
        mpr_obj_decref(t);
        if (rc < 0)
            return rc;
    }
    if ((rc = mpr_conn_send_bytes(b, "0123456789", 10, 0, MPR_SIZE_NONE)) < 0 ||
        (rc = mpr_conn_send_bytes(b, "0123456789!", 11, 0, MPR_SIZE_NONE)) <
            0 ||
        (rc = mpr_conn_recv(b, &got)) < 0)
        return rc;
    rc = print_obj("child got ", got);
    fflush(stdout);
    mpr_obj_decref(got);
    if (rc < 0)
        return rc;
    return mpr_conn_close(b);
}
MPR_TARGET(child)

/* except E as e: print(label, type(e).__name__, e) -- any other error is
 * uncaught */
static int expect(int rc, int code, const char *label)
{
    if (rc != code)
        return rc < 0 ? rc : MPR_EASSERT;
    printf("%s %s %s\n", label, mpr_err_pytype(rc), mpr_last_error_detail());
    return 0;
}

int main(int argc, char **argv)
{
    mpr_process_options_t o = {.target = child};
    mpr_process_t *p;
    mpr_conn_t *r, *w;
    mpr_obj_t *obj;
    char label[32], *buf;
    size_t len;
    int rc, code;

    if ((rc = mpr_main(argc, argv)) < 0 || (rc = mpr_pipe(&a, &b, 1)) < 0)
        return case_fail(rc);
    if ((o.args = case_conns_value(1, &b)) == NULL)
        return case_fail(mpr_last_error());
    if ((rc = mpr_process_new(&p, &o)) < 0 || (rc = mpr_process_start(p)) < 0)
        return case_fail(rc);
    mpr_obj_decref((mpr_obj_t *)o.args);
    for (int i = 0; i < 7; i++) {
        if ((rc = mpr_conn_recv_bytes(a, MPR_SIZE_NONE, &buf, &len)) < 0)
            return case_fail(rc);
        snprintf(label, sizeof(label), "slice %d ", i);
        rc = print_bytes(label, buf, len);
        mpr_free(buf);
        if (rc < 0)
            return case_fail(rc);
    }
    for (int i = 0; i < 5; i++) {
        if ((rc = mpr_conn_recv(a, &obj)) < 0 || (rc = print_obj("", obj)) < 0)
            return case_fail(rc);
        mpr_obj_decref(obj);
    }
    rc = mpr_conn_recv_bytes(a, -1, &buf, &len);
    if ((rc = expect(rc, MPR_EVALUE, "recv_bytes(-1):")) < 0)
        return case_fail(rc);
    if ((rc = mpr_conn_recv_bytes(a, 10, &buf, &len)) < 0 ||
        (rc = print_bytes("maxlength 10: ", buf, len)) < 0)
        return case_fail(rc);
    mpr_free(buf);
    rc = mpr_conn_recv_bytes(a, 10, &buf, &len);
    if ((rc = expect(rc, MPR_EBADLEN, "maxlength 10:")) < 0)
        return case_fail(rc);
    printf("duplex end: closed=%s readable=%s writable=%s\n",
           case_bool(mpr_conn_closed(a)), case_bool(mpr_conn_readable(a)),
           case_bool(mpr_conn_writable(a)));
    rc = mpr_conn_recv(a, &obj);
    if ((rc = expect(rc, MPR_EWRITEONLY, "recv:")) < 0)
        return case_fail(rc);
    rc = mpr_conn_poll(a, 0.0);
    if ((rc = expect(rc, MPR_EWRITEONLY, "poll:")) < 0)
        return case_fail(rc);
    fflush(stdout);
    obj = mpr_obj_str("still writable");
    if (obj == NULL || (rc = mpr_conn_send(a, obj)) < 0)
        return case_fail(obj ? rc : mpr_last_error());
    mpr_obj_decref(obj);
    if ((rc = mpr_process_join(p, MPR_TIMEOUT_NONE)) < 0)
        return case_fail(rc);
    if (mpr_process_exitcode(p, &code) == 1)
        printf("child exitcode %d\n", code);
    mpr_process_free(p);

    if ((rc = mpr_pipe(&r, &w, 0)) < 0)
        return case_fail(rc);
    {
        char big[100];
        memset(big, 'x', sizeof(big));
        if ((rc = mpr_conn_send_bytes(w, big, 100, 0, MPR_SIZE_NONE)) < 0 ||
            (rc = mpr_conn_send_bytes(w, "y", 1, 0, MPR_SIZE_NONE)) < 0)
            return case_fail(rc);
    }
    rc = mpr_conn_recv_bytes(r, 99, &buf, &len);
    if ((rc = expect(rc, MPR_EBADLEN, "maxlength 99:")) < 0)
        return case_fail(rc);
    printf("read-only end: closed=%s\n", case_bool(mpr_conn_closed(r)));
    rc = mpr_conn_recv_bytes(r, MPR_SIZE_NONE, &buf, &len);
    if ((rc = expect(rc, MPR_ECLOSED, "recv_bytes:")) < 0)
        return case_fail(rc);
    mpr_conn_free(r);
    mpr_conn_free(w);
    mpr_conn_free(a);
    mpr_conn_free(b);
    return 0;
}
