/*
 * manager/deliver-challenge: deliver_challenge() on a connection whose
 * peer answers with a bogus digest.  CPython's suite uses a fake
 * connection object (every recv_bytes() gives the bogus digest, every
 * send_bytes() is dropped); C has no duck typing, so that one is a Pipe
 * too, whose other end has the bogus answer queued and drops what it is
 * sent.
 */
#include <mpr.h>

#include "support.h"

#include <stdio.h>
#include <string.h>

#define BOGUS "something bogus"

/* print(what, result) or the AuthenticationError */
static void attempt(const char *what, mpr_conn_t *c)
{
    int rc = mpr_conn_deliver_challenge(c, "abc", 3);

    if (rc == MPR_EAUTH)
        printf("%s: AuthenticationError %s\n", what, mpr_last_error_detail());
    else
        printf("%s: %d\n", what, rc);
}

/* print(what, repr(bytes)) */
static void show_bytes(const char *what, const char *buf, size_t n,
                       const char *tail)
{
    mpr_obj_t *b = mpr_obj_bytes(buf, n);
    char *r = NULL;

    if (b != NULL && mpr_obj_repr(b, &r, NULL) == 0)
        printf("%s: %s%s\n", what, r, tail);
    mpr_free(r);
    mpr_obj_decref(b);
}

int main(int argc, char **argv)
{
    mpr_conn_t *a, *b;
    char *msg = NULL, tail[32];
    size_t n = 0;
    int rc;

    if ((rc = mpr_main(argc, argv)) < 0)
        return case_fail(rc);
    /* the fake connection: the bogus answer is all it says */
    if ((rc = mpr_pipe(&a, &b, 1)) < 0 ||
        (rc = mpr_conn_send_bytes(b, BOGUS, strlen(BOGUS), 0, MPR_SIZE_NONE)) <
            0)
        return case_fail(rc);
    attempt("deliver_challenge(fake)", a);
    mpr_conn_free(a);
    mpr_conn_free(b);
    /* a real Pipe: what the side being challenged receives */
    if ((rc = mpr_pipe(&a, &b, 1)) < 0 ||
        (rc = mpr_conn_send_bytes(b, BOGUS, strlen(BOGUS), 0, MPR_SIZE_NONE)) <
            0)
        return case_fail(rc);
    attempt("deliver_challenge(pipe)", a);
    if ((rc = mpr_conn_recv_bytes(b, MPR_SIZE_NONE, &msg, &n)) < 0)
        return case_fail(rc);
    snprintf(tail, sizeof(tail), " %zu", n);
    show_bytes("challenge sent", msg, n < 11 ? n : 11, tail);
    mpr_free(msg);
    if ((rc = mpr_conn_recv_bytes(b, MPR_SIZE_NONE, &msg, &n)) < 0)
        return case_fail(rc);
    show_bytes("then", msg, n, "");
    mpr_free(msg);
    mpr_conn_close(a);
    mpr_conn_close(b);
    mpr_conn_free(a);
    mpr_conn_free(b);
    return 0;
}
