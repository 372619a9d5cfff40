/*
 * fuzz-connection.c - libFuzzer target for a Connection's framing and
 * decoding: whatever bytes arrive on the pipe (lengths that lie, the
 * large-message header, truncated frames, hostile pickles), recv and
 * recv_bytes must return a value or a clean error, never crash, hang or
 * leak.  The first input byte picks the receiving call; the rest is what
 * the peer "sent" before closing its end.
 *
 * Run: ./scripts/fuzz connection   (seeds: ref/tests/data/fuzz-connection)
 */
#include "mpr/connection.h"
#include "mpr/obj.h"

#include <stdint.h>
#include <stdlib.h>
#include <unistd.h>

/* Inputs larger than a pipe's buffer would block the writer. */
#define MAX_INPUT 60000

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    mpr_conn_t *r = NULL, *w = NULL;
    unsigned mode;
    int rc = 0;

    if (size < 1 || size > MAX_INPUT)
        return 0;
    mode = data[0] % 3;
    if (mpr_pipe(&r, &w, 0) != 0)
        abort();
    if (write(mpr_conn_fileno(w), data + 1, size - 1) != (ssize_t)(size - 1))
        abort();
    mpr_conn_free(w); /* the peer is gone: reads end in EOFError */
    /* Every frame until the first error; each error must be a library or
     * OS code, and EOF must come at the latest when the bytes run out. */
    for (int i = 0; i < 1000 && rc >= 0; i++) {
        mpr_obj_t *o = NULL;
        char *buf = NULL;
        size_t len = 0;
        char small[16];

        if (mode == 0)
            rc = mpr_conn_recv(r, &o);
        else if (mode == 1)
            rc = mpr_conn_recv_bytes(r, 1 << 16, &buf, &len);
        else
            rc = mpr_conn_recv_bytes_into(r, small, sizeof(small), 0, NULL);
        mpr_obj_decref(o);
        mpr_free(buf);
    }
    if (rc >= 0)
        abort(); /* 1000 frames cannot fit in MAX_INPUT bytes */
    mpr_conn_free(r);
    return 0;
}
