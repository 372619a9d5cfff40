/*
 * connection_auth.c - the connection handshake of CPython 3.11.2's
 * multiprocessing.connection (deliver_challenge / answer_challenge):
 * b'#CHALLENGE#' + 20 random bytes, answered with the 16-byte HMAC-MD5
 * (RFC 2104 over RFC 1321) of the 20 bytes under the authkey, then
 * b'#WELCOME#' or b'#FAILURE#'.  Replies are read with maxlength 256.
 * No shared state.
 */
#include "mpr/connection.h"
#include "base/internal.h"
#include "conn/conn_internal.h"

#include <stdint.h>
#include <string.h>
#include <sys/random.h>

/* ---- MD5 (RFC 1321) ----------------------------------------------------- */

typedef struct {
    uint32_t h[4];
    uint64_t n;            /* bytes hashed so far */
    unsigned char buf[64]; /* partial block */
} md5_t;

static const uint32_t md5_k[64] = {
    0xd76aa478, 0xe8c7b756, 0x242070db, 0xc1bdceee, 0xf57c0faf, 0x4787c62a,
    0xa8304613, 0xfd469501, 0x698098d8, 0x8b44f7af, 0xffff5bb1, 0x895cd7be,
    0x6b901122, 0xfd987193, 0xa679438e, 0x49b40821, 0xf61e2562, 0xc040b340,
    0x265e5a51, 0xe9b6c7aa, 0xd62f105d, 0x02441453, 0xd8a1e681, 0xe7d3fbc8,
    0x21e1cde6, 0xc33707d6, 0xf4d50d87, 0x455a14ed, 0xa9e3e905, 0xfcefa3f8,
    0x676f02d9, 0x8d2a4c8a, 0xfffa3942, 0x8771f681, 0x6d9d6122, 0xfde5380c,
    0xa4beea44, 0x4bdecfa9, 0xf6bb4b60, 0xbebfbc70, 0x289b7ec6, 0xeaa127fa,
    0xd4ef3085, 0x04881d05, 0xd9d4d039, 0xe6db99e5, 0x1fa27cf8, 0xc4ac5665,
    0xf4292244, 0x432aff97, 0xab9423a7, 0xfc93a039, 0x655b59c3, 0x8f0ccc92,
    0xffeff47d, 0x85845dd1, 0x6fa87e4f, 0xfe2ce6e0, 0xa3014314, 0x4e0811a1,
    0xf7537e82, 0xbd3af235, 0x2ad7d2bb, 0xeb86d391};

static const unsigned char md5_r[64] = {
    7, 12, 17, 22, 7, 12, 17, 22, 7, 12, 17, 22, 7, 12, 17, 22,
    5, 9,  14, 20, 5, 9,  14, 20, 5, 9,  14, 20, 5, 9,  14, 20,
    4, 11, 16, 23, 4, 11, 16, 23, 4, 11, 16, 23, 4, 11, 16, 23,
    6, 10, 15, 21, 6, 10, 15, 21, 6, 10, 15, 21, 6, 10, 15, 21};

static void md5_block(md5_t *s, const unsigned char *p)
{
    uint32_t w[16], a = s->h[0], b = s->h[1], c = s->h[2], d = s->h[3];

    for (int i = 0; i < 16; i++)
        w[i] = (uint32_t)p[4 * i] | (uint32_t)p[4 * i + 1] << 8 |
               (uint32_t)p[4 * i + 2] << 16 | (uint32_t)p[4 * i + 3] << 24;
    for (int i = 0; i < 64; i++) {
        uint32_t f, g, t;
        if (i < 16) {
            f = (b & c) | (~b & d);
            g = (uint32_t)i;
        } else if (i < 32) {
            f = (d & b) | (~d & c);
            g = (5u * (uint32_t)i + 1) % 16;
        } else if (i < 48) {
            f = b ^ c ^ d;
            g = (3u * (uint32_t)i + 5) % 16;
        } else {
            f = c ^ (b | ~d);
            g = (7u * (uint32_t)i) % 16;
        }
        t = d;
        d = c;
        c = b;
        f += a + md5_k[i] + w[g];
        b += (f << md5_r[i]) | (f >> (32 - md5_r[i]));
        a = t;
    }
    s->h[0] += a;
    s->h[1] += b;
    s->h[2] += c;
    s->h[3] += d;
}

static void md5_init(md5_t *s)
{
    s->h[0] = 0x67452301;
    s->h[1] = 0xefcdab89;
    s->h[2] = 0x98badcfe;
    s->h[3] = 0x10325476;
    s->n = 0;
}

static void md5_update(md5_t *s, const void *data, size_t len)
{
    const unsigned char *p = data;

    while (len > 0) {
        size_t used = s->n % 64, take = 64 - used < len ? 64 - used : len;
        memcpy(s->buf + used, p, take);
        s->n += take;
        p += take;
        len -= take;
        if (s->n % 64 == 0)
            md5_block(s, s->buf);
    }
}

static void md5_final(md5_t *s, unsigned char out[16])
{
    uint64_t bits = s->n * 8;
    unsigned char pad = 0x80, zero = 0, len[8];

    md5_update(s, &pad, 1);
    while (s->n % 64 != 56)
        md5_update(s, &zero, 1);
    for (int i = 0; i < 8; i++)
        len[i] = (unsigned char)(bits >> (8 * i));
    md5_update(s, len, 8);
    for (int i = 0; i < 16; i++)
        out[i] = (unsigned char)(s->h[i / 4] >> (8 * (i % 4)));
}

void mpr__hmac_md5(const void *key, size_t keylen, const void *msg,
                   size_t msglen, unsigned char out[16])
{
    unsigned char k[64] = {0}, pad[64], inner[16];
    md5_t s;

    if (keylen > 64) { /* RFC 2104: long keys are hashed first */
        md5_init(&s);
        md5_update(&s, key, keylen);
        md5_final(&s, k);
    } else if (keylen > 0) {
        memcpy(k, key, keylen);
    }
    for (int i = 0; i < 64; i++)
        pad[i] = k[i] ^ 0x36;
    md5_init(&s);
    md5_update(&s, pad, 64);
    md5_update(&s, msg, msglen);
    md5_final(&s, inner);
    for (int i = 0; i < 64; i++)
        pad[i] = k[i] ^ 0x5c;
    md5_init(&s);
    md5_update(&s, pad, 64);
    md5_update(&s, inner, 16);
    md5_final(&s, out);
}

/* ---- the handshake ------------------------------------------------------ */

#define CHALLENGE      "#CHALLENGE#"
#define CHALLENGE_LEN  11
#define WELCOME        "#WELCOME#"
#define FAILURE        "#FAILURE#"
#define MESSAGE_LENGTH 20
#define MAX_REPLY      256 /* recv_bytes(256): reject large messages */

/* hmac.compare_digest: time depends on the lengths only. */
static int same_digest(const void *a, size_t alen, const void *b, size_t blen)
{
    const unsigned char *x = a, *y = b;
    unsigned char diff = alen != blen;

    for (size_t i = 0; i < alen && i < blen; i++)
        diff |= x[i] ^ y[i];
    return diff == 0;
}

int mpr_conn_deliver_challenge(mpr_conn_t *c, const void *key, size_t keylen)
{
    unsigned char msg[CHALLENGE_LEN + MESSAGE_LENGTH], digest[16];
    char *resp = NULL;
    size_t n = 0, got;
    int rc, ok;

    memcpy(msg, CHALLENGE, CHALLENGE_LEN);
    while (n < MESSAGE_LENGTH) {
        ssize_t r = getrandom(msg + CHALLENGE_LEN + n, MESSAGE_LENGTH - n, 0);
        if (r < 0)
            return mpr__oserror();
        n += (size_t)r;
    }
    if ((rc = mpr_conn_send_bytes(c, msg, sizeof(msg), 0, MPR_SIZE_NONE)) < 0)
        return rc;
    mpr__hmac_md5(key, keylen, msg + CHALLENGE_LEN, MESSAGE_LENGTH, digest);
    if ((rc = mpr_conn_recv_bytes(c, MAX_REPLY, &resp, &got)) < 0)
        return rc;
    ok = same_digest(resp, got, digest, sizeof(digest));
    mpr_free(resp);
    rc = mpr_conn_send_bytes(c, ok ? WELCOME : FAILURE, 9, 0, MPR_SIZE_NONE);
    if (rc < 0)
        return rc;
    return ok ? 0 : mpr__error(MPR_EAUTH, "digest received was wrong");
}

int mpr_conn_answer_challenge(mpr_conn_t *c, const void *key, size_t keylen)
{
    unsigned char digest[16];
    char *msg = NULL;
    size_t got;
    int rc, ok;

    if ((rc = mpr_conn_recv_bytes(c, MAX_REPLY, &msg, &got)) < 0)
        return rc;
    if (got < CHALLENGE_LEN || memcmp(msg, CHALLENGE, CHALLENGE_LEN) != 0) {
        /* assert ..., 'message = %r' % message */
        mpr_obj_t *b = mpr_obj_bytes(msg, got);
        char *r = NULL;
        mpr_free(msg);
        if (b == NULL || mpr_obj_repr(b, &r, NULL) < 0)
            rc = mpr_last_error();
        else
            rc = mpr__error(MPR_EASSERT, "message = %s", r);
        mpr_free(r);
        mpr_obj_decref(b);
        return rc;
    }
    mpr__hmac_md5(key, keylen, msg + CHALLENGE_LEN, got - CHALLENGE_LEN,
                  digest);
    mpr_free(msg);
    if ((rc = mpr_conn_send_bytes(c, digest, 16, 0, MPR_SIZE_NONE)) < 0)
        return rc;
    if ((rc = mpr_conn_recv_bytes(c, MAX_REPLY, &msg, &got)) < 0)
        return rc;
    ok = got == 9 && memcmp(msg, WELCOME, 9) == 0;
    mpr_free(msg);
    return ok ? 0 : mpr__error(MPR_EAUTH, "digest sent was rejected");
}
