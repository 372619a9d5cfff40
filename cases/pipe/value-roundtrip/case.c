/*
 * pipe/value-roundtrip: a child echoes every object it receives until
 * EOFError (after 'raw' it takes one message with recv_bytes); the parent
 * sends values on the edges of pickle's encodings and prints what comes
 * back, its type and whether it equals what was sent; shared references
 * keep their identity; 16 MiB messages both ways.
 * Connections go in args as values, as in the Python (args=(b, a)).
 */
#include <mpr.h>

#include "support.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static mpr_conn_t *ends[2]; /* a, b */

/* echo(conn, other): args are (b, a) */
static int echo(mpr_obj_t *args, mpr_obj_t *kwargs)
{
    mpr_conn_t *mine[2];
    mpr_conn_t *conn, *other;
    int rc;

    (void)kwargs;
    if ((rc = case_conns_of(args, 2, mine)) < 0)
        return rc;
    conn = mine[0], other = mine[1];
    mpr_conn_close(other);
    for (;;) {
        mpr_obj_t *x;
        if ((rc = mpr_conn_recv(conn, &x)) == MPR_EEOF)
            break;
        if (rc < 0)
            return rc;
        if (mpr_obj_type(x) == MPR_OBJ_STR &&
            strcmp(mpr_obj_str_utf8(x, NULL), "raw") == 0) {
            char *buf;
            size_t len;
            mpr_obj_decref(x);
            if ((rc = mpr_conn_recv_bytes(conn, MPR_SIZE_NONE, &buf, &len)) < 0)
                return rc;
            x = mpr_obj_bytes(buf, len);
            mpr_free(buf);
            if (x == NULL)
                return mpr_last_error();
        }
        rc = mpr_conn_send(conn, x);
        mpr_obj_decref(x);
        if (rc < 0)
            return rc;
    }
    rc = mpr_conn_close(conn);
    return rc;
}
MPR_TARGET(echo)

/* VALUES, in order (new reference) */
static mpr_obj_t *values(void)
{
    unsigned char all[256];
    char x300[301], y300[300];

    for (int i = 0; i < 256; i++)
        all[i] = (unsigned char)i;
    memset(x300, 'x', 300);
    x300[300] = '\0';
    memset(y300, 'y', 300);
    return mpr_obj_list_of_steal(
        41, mpr_obj_none(), mpr_obj_bool(1), mpr_obj_bool(0), mpr_obj_int(0),
        mpr_obj_int(1), mpr_obj_int(-1), mpr_obj_int(255), mpr_obj_int(256),
        mpr_obj_int(65535), mpr_obj_int(65536), mpr_obj_int(2147483647),
        mpr_obj_int(2147483648), mpr_obj_int(-2147483648LL),
        mpr_obj_int(-2147483649LL), mpr_obj_int(INT64_MAX),
        mpr_obj_int(INT64_MIN), mpr_obj_float(0.0), mpr_obj_float(-0.0),
        mpr_obj_float(1.5), mpr_obj_float(1e-310),
        mpr_obj_float(1.7976931348623157e308), mpr_obj_float(INFINITY),
        mpr_obj_float(-INFINITY), mpr_obj_str(""), mpr_obj_str("hello"),
        mpr_obj_strn("a\0b", 3),
        mpr_obj_str("\xc3\xbc\xc3\xb1\xc3\xad\xe2\x82\xac\xf0\x9d\x84\x9e"),
        mpr_obj_str(x300), mpr_obj_bytes(NULL, 0), mpr_obj_bytes(all, 256),
        mpr_obj_bytes(y300, 300), mpr_obj_tuple(0),
        mpr_obj_tuple_steal(1, mpr_obj_int(1)),
        mpr_obj_tuple_steal(2, mpr_obj_int(1), mpr_obj_int(2)),
        mpr_obj_tuple_steal(3, mpr_obj_int(1), mpr_obj_int(2), mpr_obj_int(3)),
        mpr_obj_tuple_steal(4, mpr_obj_int(1), mpr_obj_int(2), mpr_obj_int(3),
                            mpr_obj_int(4)),
        mpr_obj_list(),
        mpr_obj_list_of_steal(
            2, mpr_obj_int(1),
            mpr_obj_list_of_steal(
                2, mpr_obj_int(2),
                mpr_obj_list_of_steal(2, mpr_obj_int(3), mpr_obj_list()))),
        mpr_obj_dict(), mpr_obj_dict(), mpr_obj_dict());
}

/* fills the two dicts at the end of VALUES */
static int fill_dicts(mpr_obj_t *vals)
{
    mpr_obj_t *d1 = mpr_obj_item(vals, 39), *d2 = mpr_obj_item(vals, 40);
    int rc;

    if ((rc = mpr_obj_dict_set_steal(d1, mpr_obj_str("b"), mpr_obj_int(1))) <
            0 ||
        (rc = mpr_obj_dict_set_steal(d1, mpr_obj_str("a"), mpr_obj_int(2))) <
            0 ||
        (rc = mpr_obj_dict_set_steal(
             d1, mpr_obj_str("c"), mpr_obj_list_of_steal(1, mpr_obj_none()))) <
            0 ||
        (rc = mpr_obj_dict_set_steal(d2, mpr_obj_int(1),
                                     mpr_obj_str("int key"))) < 0 ||
        (rc = mpr_obj_dict_set_steal(
             d2, mpr_obj_tuple_steal(2, mpr_obj_int(1), mpr_obj_int(2)),
             mpr_obj_str("tuple key"))) < 0 ||
        (rc = mpr_obj_dict_set_steal(d2, mpr_obj_none(), mpr_obj_int(0))) < 0 ||
        (rc = mpr_obj_dict_set_steal(d2, mpr_obj_float(2.5), mpr_obj_bool(1))) <
            0)
        return rc;
    return 0;
}

/* send(v), then got = recv() (new reference in *got) */
static int roundtrip(const mpr_obj_t *v, mpr_obj_t **got)
{
    int rc;

    if ((rc = mpr_conn_send(ends[0], v)) < 0)
        return rc;
    return mpr_conn_recv(ends[0], got);
}

/* print(repr(got)[:80], ...): the repr cut at 80 code points */
static int print_repr80(const mpr_obj_t *o)
{
    char *r;
    size_t i, cps = 0;
    int rc;

    if ((rc = mpr_obj_repr(o, &r, NULL)) < 0)
        return rc;
    for (i = 0; r[i] != '\0'; i++)
        if (((unsigned char)r[i] & 0xc0) != 0x80 && cps++ == 80)
            break;
    printf("%.*s", (int)i, r);
    mpr_free(r);
    return 0;
}

int main(int argc, char **argv)
{
    mpr_process_options_t o = {.target = echo};
    mpr_conn_t *ab[2];
    mpr_process_t *p;
    mpr_obj_t *vals, *got, *v, *deep, *x, *d, *shared;
    unsigned char *big;
    size_t bigsize = 16 * 1024 * 1024;
    int rc, eq, code;

    if ((rc = mpr_main(argc, argv)) < 0 ||
        (rc = mpr_pipe(&ends[0], &ends[1], 1)) < 0)
        return case_fail(rc);
    ab[0] = ends[1], ab[1] = ends[0];
    if ((o.args = case_conns_value(2, ab)) == NULL)
        return case_fail(mpr_last_error());
    if ((rc = mpr_process_new(&p, &o)) < 0 || (rc = mpr_process_start(p)) < 0)
        return case_fail(rc);
    mpr_obj_decref((mpr_obj_t *)o.args);
    mpr_conn_close(ends[1]);
    if ((rc = mpr_conn_fileno(ends[0])) < 0)
        return case_fail(rc);
    printf("fileno is int: True\n");
    if ((vals = values()) == NULL)
        return case_fail(mpr_last_error());
    if ((rc = fill_dicts(vals)) < 0)
        return case_fail(rc);
    for (size_t i = 0; i < mpr_obj_len(vals); i++) {
        v = mpr_obj_item(vals, i);
        if ((rc = roundtrip(v, &got)) < 0 || (rc = print_repr80(got)) < 0 ||
            (eq = mpr_obj_eq(got, v)) < 0)
            return case_fail(rc < 0 ? rc : eq);
        printf(" %s %s None\n", mpr_obj_type_name(got), case_bool(eq));
        mpr_obj_decref(got);
    }
    mpr_obj_decref(vals);

    v = mpr_obj_float(NAN);
    if ((rc = roundtrip(v, &got)) < 0 || (rc = print_repr80(got)) < 0 ||
        (eq = mpr_obj_eq(got, got)) < 0)
        return case_fail(rc < 0 ? rc : eq);
    printf(" %s %s\n", mpr_obj_type_name(got), case_bool(!eq));
    mpr_obj_decref(got);
    mpr_obj_decref(v);

    deep = mpr_obj_list();
    for (int i = 0; i < 200 && deep != NULL; i++)
        deep = mpr_obj_list_of_steal(1, deep);
    if (deep == NULL)
        return case_fail(mpr_last_error());
    if ((rc = roundtrip(deep, &got)) < 0 || (eq = mpr_obj_eq(got, deep)) < 0)
        return case_fail(rc < 0 ? rc : eq);
    printf("200 levels deep: %s\n", case_bool(eq));
    mpr_obj_decref(got);
    mpr_obj_decref(deep);

    x = mpr_obj_list_of_steal(2, mpr_obj_int(1), mpr_obj_int(2));
    d = mpr_obj_dict();
    if (x == NULL || d == NULL ||
        (rc = mpr_obj_dict_set_steal(d, mpr_obj_str("k"), mpr_obj_incref(x))) <
            0)
        return case_fail(mpr_last_error());
    shared = mpr_obj_list_of_steal(4, mpr_obj_incref(x), mpr_obj_incref(x),
                                   mpr_obj_tuple(2, x, d), mpr_obj_incref(d));
    if (shared == NULL)
        return case_fail(mpr_last_error());
    if ((rc = roundtrip(shared, &got)) < 0)
        return case_fail(rc);
    printf("shared: ");
    if ((rc = print_repr80(got)) < 0 ||
        (rc = mpr_obj_dict_get_str(mpr_obj_item(got, 3), "k", &v)) < 0)
        return case_fail(rc);
    printf(" %s %s %s %s\n",
           case_bool(mpr_obj_item(got, 0) == mpr_obj_item(got, 1)),
           case_bool(mpr_obj_item(mpr_obj_item(got, 2), 0) ==
                     mpr_obj_item(got, 0)),
           case_bool(mpr_obj_item(mpr_obj_item(got, 2), 1) ==
                     mpr_obj_item(got, 3)),
           case_bool(v == mpr_obj_item(got, 0)));
    mpr_obj_decref(got);
    mpr_obj_decref(shared);
    mpr_obj_decref(x);
    mpr_obj_decref(d);

    if ((big = malloc(bigsize)) == NULL)
        return case_fail(-12);
    for (size_t i = 0; i < bigsize; i++)
        big[i] = (unsigned char)i;
    v = mpr_obj_str("raw");
    if ((rc = mpr_conn_send(ends[0], v)) < 0 ||
        (rc = mpr_conn_send_bytes(ends[0], big, bigsize, 0, MPR_SIZE_NONE)) <
            0 ||
        (rc = mpr_conn_recv(ends[0], &got)) < 0)
        return case_fail(rc);
    mpr_obj_decref(v);
    {
        size_t len = 0;
        const unsigned char *data = mpr_obj_type(got) == MPR_OBJ_BYTES
                                        ? mpr_obj_bytes_data(got, &len)
                                        : NULL;
        printf(
            "16 MiB by send_bytes, echoed by send: %s %zu %s\n",
            mpr_obj_type_name(got), mpr_obj_len(got),
            case_bool(data && len == bigsize && memcmp(data, big, len) == 0));
    }
    mpr_obj_decref(got);
    if ((v = mpr_obj_bytes(big, bigsize)) == NULL)
        return case_fail(mpr_last_error());
    if ((rc = roundtrip(v, &got)) < 0 || (eq = mpr_obj_eq(got, v)) < 0)
        return case_fail(rc < 0 ? rc : eq);
    printf("16 MiB bytes object: %zu %s\n", mpr_obj_len(got), case_bool(eq));
    mpr_obj_decref(got);
    mpr_obj_decref(v);
    free(big);
    mpr_conn_close(ends[0]);
    if ((rc = mpr_process_join(p, MPR_TIMEOUT_NONE)) < 0)
        return case_fail(rc);
    if (mpr_process_exitcode(p, &code) == 1)
        printf("echo exitcode %d\n", code);
    mpr_process_free(p);
    mpr_conn_free(ends[0]);
    mpr_conn_free(ends[1]);
    return 0;
}
