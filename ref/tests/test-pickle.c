/*
 * test-pickle.c - the pickle codec against /usr/bin/python3 in both
 * directions: CPython's pickles of a generated corpus load in C with the
 * same repr and dump back byte for byte (protocols 2-5); C's pickles load
 * in CPython with the same repr; hostile and truncated input fails with
 * CPython's exception class and message, never a crash.
 * The corpus comes from ref/tests/data/pickle_corpus.py.
 */
#include "mpr/obj.h"
#include "mpr/pickle.h"
#include "mpr/error.h"
#include "mpr/connection.h"
#include "mpr/lock.h"
#include "base/internal.h"
#include "pickle/handles.h"
#include "mprtest.h"

#include <errno.h>
#include <libgen.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

const char *mprtest_suite_name = "pickle";

#define ORACLE        "/usr/bin/python3"
#define CORPUS_SEED   4242
#define CORPUS_RANDOM 3000

typedef struct {
    unsigned char *data;
    size_t len;
} blob_t;

/* The corpus script, found from this file's path as the compiler saw it
 * (relative to the build root, two levels above the test executable). */
static const char *script_path(void)
{
    static char path[PATH_MAX];
    char exe[PATH_MAX];
    ssize_t n;

    if (path[0] != '\0')
        return path;
    if (__FILE__[0] == '/') {
        snprintf(path, sizeof(path), "%s", __FILE__);
    } else {
        n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
        if (n < 0)
            return NULL;
        exe[n] = '\0';
        snprintf(path, sizeof(path), "%s/../../%s", dirname(exe), __FILE__);
    }
    snprintf(strrchr(path, '/') + 1,
             sizeof(path) - (size_t)(strrchr(path, '/') + 1 - path),
             "data/pickle_corpus.py");
    return path;
}

/* Runs the corpus script with args and input; returns its stdout. */
static blob_t run_script(const char *args, const void *input, size_t inlen)
{
    char tmp[] = "/tmp/mpr-test-pickle-XXXXXX", *cmd = NULL;
    blob_t out = {NULL, 0};
    size_t cap = 0;
    int fd = mkstemp(tmp);
    FILE *p;

    if (fd < 0)
        return out;
    if (inlen > 0 && write(fd, input, inlen) != (ssize_t)inlen) {
        close(fd);
        unlink(tmp);
        return out;
    }
    close(fd);
    if (asprintf(&cmd, "env -u PYTHONUNBUFFERED %s %s %s < %s", ORACLE,
                 script_path(), args, tmp) < 0)
        cmd = NULL;
    p = cmd ? popen(cmd, "r") : NULL;
    while (p != NULL) {
        size_t n;
        if (out.len + 65536 > cap) {
            cap = cap ? cap * 2 : 1 << 22;
            out.data = realloc(out.data, cap);
        }
        if ((n = fread(out.data + out.len, 1, cap - out.len, p)) == 0)
            break;
        out.len += n;
    }
    if (p != NULL && pclose(p) != 0) {
        free(out.data);
        out.data = NULL;
    }
    free(cmd);
    unlink(tmp);
    return out;
}

static int read_u32(const blob_t *b, size_t *pos, uint32_t *v)
{
    if (b->len - *pos < 4)
        return -1;
    *v = (uint32_t)b->data[*pos] << 24 | (uint32_t)b->data[*pos + 1] << 16 |
         (uint32_t)b->data[*pos + 2] << 8 | b->data[*pos + 3];
    *pos += 4;
    return 0;
}

/* A length-prefixed record: *rec points into b. */
static int read_rec(const blob_t *b, size_t *pos, const unsigned char **rec,
                    uint32_t *len)
{
    if (read_u32(b, pos, len) < 0 || *len == 0xffffffffu ||
        b->len - *pos < *len)
        return -1;
    *rec = b->data + *pos;
    *pos += *len;
    return 0;
}

static void put_rec(blob_t *b, const void *data, size_t n)
{
    b->data = realloc(b->data, b->len + n + 4);
    b->data[b->len++] = (unsigned char)(n >> 24);
    b->data[b->len++] = (unsigned char)(n >> 16);
    b->data[b->len++] = (unsigned char)(n >> 8);
    b->data[b->len++] = (unsigned char)n;
    memcpy(b->data + b->len, data, n);
    b->len += n;
}

static void show_diff(const char *what, const unsigned char *a, size_t alen,
                      const unsigned char *b, size_t blen)
{
    size_t i = 0;

    while (i < alen && i < blen && a[i] == b[i])
        i++;
    printf("# %s differ at byte %zu of %zu/%zu:", what, i, alen, blen);
    for (size_t j = i; j < i + 12 && j < alen; j++)
        printf(" %02x", a[j]);
    printf(" | CPython:");
    for (size_t j = i; j < i + 12 && j < blen; j++)
        printf(" %02x", b[j]);
    printf("\n");
}

/* ---- CPython -> C ----------------------------------------------------- */

static void test_pickle_cpython_corpus_loads_and_dumps_identically(void)
{
    char args[64];
    blob_t in;
    size_t pos = 0;
    int records = 0, bad = 0;

    snprintf(args, sizeof(args), "gen %d %d", CORPUS_SEED, CORPUS_RANDOM);
    in = run_script(args, NULL, 0);
    CU_ASSERT_PTR_NOT_NULL_FATAL(in.data);
    while (pos < in.len) {
        const unsigned char *pk, *rp;
        uint32_t pklen, rplen;
        int proto = in.data[pos++];
        mpr_obj_t *o = NULL;
        char *mine = NULL, *dump = NULL;
        size_t mlen = 0, dlen = 0;
        int ok;

        if (read_rec(&in, &pos, &pk, &pklen) < 0 ||
            read_rec(&in, &pos, &rp, &rplen) < 0) {
            CU_FAIL("corpus record cut short");
            break;
        }
        records++;
        ok = mpr_pickle_loads(pk, pklen, &o) == 0 &&
             mpr_obj_repr(o, &mine, &mlen) == 0 && mlen == rplen &&
             memcmp(mine, rp, rplen) == 0;
        if (!ok && bad++ < 5)
            printf("# record %d (protocol %d): load/repr failed: %s | "
                   "CPython %.*s\n",
                   records, proto, mine ? mine : mpr_last_error_detail(),
                   (int)(rplen > 200 ? 200 : rplen), rp);
        if (ok && proto >= 2 &&
            (mpr_pickle_dumps(o, proto, &dump, &dlen) < 0 || dlen != pklen ||
             memcmp(dump, pk, pklen) != 0)) {
            if (bad++ < 5) {
                printf("# record %d (protocol %d) %.60s:\n", records, proto,
                       mine);
                if (dump != NULL)
                    show_diff("dumps", (unsigned char *)dump, dlen, pk, pklen);
                else
                    printf("# dumps failed: %s\n", mpr_last_error_detail());
            }
        }
        mpr_free(dump);
        mpr_free(mine);
        mpr_obj_decref(o);
    }
    printf("# %d CPython pickles (protocols 0-5; 2-5 dumped back) checked\n",
           records);
    CU_ASSERT(records > 5 * CORPUS_RANDOM);
    CU_ASSERT_EQUAL(bad, 0);
    free(in.data);
}

/* ---- C -> CPython ----------------------------------------------------- */

static uint64_t rng(uint64_t *s)
{
    *s = *s * 6364136223846793005u + 1442695040888963407u;
    return *s >> 17 ^ *s;
}

static mpr_obj_t *rand_str(uint64_t *s)
{
    static const char *const pieces[] = {"a",
                                         "Z",
                                         "'",
                                         "\"",
                                         "\\",
                                         "\n",
                                         "\t",
                                         "\x7f",
                                         "\xc3\xa9",
                                         "\xc2\xad",
                                         "\xe2\x82\xac",
                                         "\xe2\x80\xa8",
                                         "\xf0\x9f\x98\x80",
                                         "\xe4\xb8\x96",
                                         " ",
                                         "\x01"};
    char buf[256] = "";
    size_t n = rng(s) % 12;

    for (size_t i = 0; i < n; i++)
        strcat(buf, pieces[rng(s) % (sizeof(pieces) / sizeof(pieces[0]))]);
    return mpr_obj_str(buf);
}

static mpr_obj_t *rand_value(uint64_t *s, int depth, mpr_obj_t *shared)
{
    uint64_t k = rng(s) % (depth < 5 ? 11 : 6), n = rng(s) % 6;
    mpr_obj_t *o;
    double d;

    switch (k) {
    case 0:
        n = rng(s) % 3;
        return n == 0 ? mpr_obj_none() : mpr_obj_bool(n == 1);
    case 1:
        return mpr_obj_int((int64_t)rng(s) >> (rng(s) % 64));
    case 2: {
        uint64_t bits = rng(s);
        memcpy(&d, &bits, sizeof(d));
        return mpr_obj_float(rng(s) % 2 ? d
                                        : (double)(int64_t)(bits % 2001) / 8);
    }
    case 3:
        return rand_str(s);
    case 4: {
        unsigned char b[16];
        for (size_t i = 0; i < n * 3 && i < sizeof(b); i++)
            b[i] = (unsigned char)rng(s);
        return mpr_obj_bytes(b, n * 3 < sizeof(b) ? n * 3 : sizeof(b));
    }
    case 5:
        return mpr_obj_incref(shared);
    case 6:
    case 7:
        o = mpr_obj_list();
        for (uint64_t i = 0; i < n; i++)
            mpr_obj_list_append_steal(o, rand_value(s, depth + 1, shared));
        return o;
    case 8:
        o = mpr_obj_tuple_new(n);
        for (uint64_t i = 0; i < n; i++)
            mpr_obj_tuple_set_steal(o, i, rand_value(s, depth + 1, shared));
        return o;
    default:
        o = mpr_obj_dict();
        for (uint64_t i = 0; i < n; i++) {
            mpr_obj_t *key = rand_value(s, depth + 4, shared);
            int64_t h;
            if (mpr_obj_hash(key, &h) < 0) { /* unhashable: skip */
                mpr_obj_decref(key);
                continue;
            }
            mpr_obj_dict_set_steal(o, key, rand_value(s, depth + 1, shared));
        }
        return o;
    }
}

static void test_pickle_c_values_load_in_cpython(void)
{
    enum { N = 3000 };
    mpr_obj_t *vals[N],
        *shared = mpr_obj_tuple_steal(2, mpr_obj_str("shared"), mpr_obj_list());
    blob_t in = {NULL, 0}, out;
    uint64_t seed = 99;
    size_t pos = 0;
    int bad = 0, n = 0;

    for (int i = 0; i < N; i++) {
        char *p;
        size_t len;
        vals[i] = rand_value(&seed, 0, shared);
        CU_ASSERT_EQUAL_FATAL(mpr_pickle_dumps(vals[i], 4, &p, &len), 0);
        put_rec(&in, p, len);
        mpr_free(p);
    }
    out = run_script("check", in.data, in.len);
    CU_ASSERT_PTR_NOT_NULL_FATAL(out.data);
    for (n = 0; n < N; n++) {
        const unsigned char *rp, *pk;
        uint32_t rplen, pklen;
        char *mine = NULL, *again = NULL;
        mpr_obj_t *back = NULL;
        if (read_rec(&out, &pos, &rp, &rplen) < 0 ||
            read_rec(&out, &pos, &pk, &pklen) < 0) {
            printf("# value %d: CPython could not load it\n", n);
            bad++;
            break;
        }
        mpr_obj_repr(vals[n], &mine, NULL);
        /* and CPython's own pickle of it comes back to the same repr */
        if (mpr_pickle_loads(pk, pklen, &back) < 0 ||
            mpr_obj_repr(back, &again, NULL) < 0 || strlen(mine) != rplen ||
            memcmp(mine, rp, rplen) != 0 || strcmp(again, mine) != 0) {
            if (bad++ < 5)
                printf("# value %d: C %s | CPython %.*s\n", n, mine, (int)rplen,
                       rp);
        }
        mpr_free(mine);
        mpr_free(again);
        mpr_obj_decref(back);
    }
    CU_ASSERT_EQUAL(n, N);
    CU_ASSERT_EQUAL(bad, 0);
    for (int i = 0; i < N; i++)
        mpr_obj_decref(vals[i]);
    mpr_obj_decref(shared);
    free(in.data);
    free(out.data);
}

/* ---- hostile input ---------------------------------------------------- */

typedef struct {
    const char *data;
    size_t len;
    int code;
    const char *msg;
} bad_case_t;

#define BAD(lit, code, msg)                                                    \
    {                                                                          \
        lit, sizeof(lit) - 1, code, msg                                        \
    }

/* Messages as /usr/bin/python3 3.11 raises them for the same bytes, except
 * the refusals, which CPython would execute. */
static const bad_case_t bad_cases[] = {
    BAD("", MPR_EEOF, "Ran out of input"),
    BAD("\x80", MPR_EUNPICKLE, "pickle data was truncated"),
    BAD("\x80\x04", MPR_EEOF, "Ran out of input"),
    BAD("N", MPR_EEOF, "Ran out of input"),
    BAD("\x99", MPR_EUNPICKLE, "invalid load key, '\\x99'."),
    BAD("Z", MPR_EUNPICKLE, "invalid load key, 'Z'."),
    BAD("\x80\x06N.", MPR_EVALUE, "unsupported pickle protocol: 6"),
    BAD("\x80\x04\x95\x05\x00\x00\x00\x00\x00\x00\x00N.", MPR_EUNPICKLE,
        "pickle data was truncated"),
    BAD("\x95\xff\xff\xff\xff\xff\xff\xff\xffN.", MPR_EOVERFLOW,
        "FRAME length exceeds system's maximum of 9223372036854775807 bytes"),
    BAD("a.", MPR_EUNPICKLE, "unpickling stack underflow"),
    BAD("(a.", MPR_EUNPICKLE, "unexpected MARK found"),
    BAD("(.", MPR_EUNPICKLE, "unexpected MARK found"),
    BAD("0.", MPR_EUNPICKLE, "unpickling stack underflow"),
    BAD("(0.", MPR_EUNPICKLE, "unpickling stack underflow"),
    BAD("1.", MPR_EUNPICKLE, "could not find MARK"),
    BAD("(1.", MPR_EUNPICKLE, "unpickling stack underflow"),
    BAD("2.", MPR_EUNPICKLE, "unpickling stack underflow"),
    BAD("\x85.", MPR_EUNPICKLE, "unpickling stack underflow"),
    BAD("(Nd.", MPR_EUNPICKLE, "odd number of items for DICT"),
    BAD("}(Nu.", MPR_EUNPICKLE, "odd number of items for SETITEMS"),
    BAD("\x80\x04J\x01\x00\x00", MPR_EUNPICKLE, "pickle data was truncated"),
    BAD("q\x00.", MPR_EUNPICKLE, "unpickling stack underflow"),
    BAD("h\x05.", MPR_EUNPICKLE, "Memo value not found at index 5"),
    BAD("Nq\x00h\x01.", MPR_EUNPICKLE, "Memo value not found at index 1"),
    BAD("Np-1\n.", MPR_EVALUE, "negative PUT argument"),
    BAD("\x8b\xff\xff\xff\xff.", MPR_EUNPICKLE,
        "LONG pickle has negative byte count"),
    BAD("T\xff\xff\xff\xff.", MPR_EUNPICKLE, "pickle data was truncated"),
    BAD("X\xff\xff\xff\xff.", MPR_EUNPICKLE, "pickle data was truncated"),
    BAD("\x8e\xff\xff\xff\xff\xff\xff\xff\xff.", MPR_EUNPICKLE,
        "pickle data was truncated"),
    BAD("Iabc\n.", MPR_EVALUE, "could not convert string to int"),
    BAD("Vab\\u12zz\n.", MPR_EUNICODE,
        "'rawunicodeescape' codec can't decode bytes in position 2-5: "
        "truncated \\uXXXX escape"),
    BAD("V\\U00110000\n.", MPR_EUNICODE,
        "'rawunicodeescape' codec can't decode bytes in position 0-9: "
        "\\Uxxxxxxxx out of range"),
    BAD("Vabc", MPR_EUNPICKLE, "pickle data was truncated"),
    BAD("Fabc\n.", MPR_EVALUE, "could not convert string to float: 'abc\\n'"),
    BAD("F1e999\n.", MPR_EOVERFLOW,
        "value too large to convert to float: '1e999\\n'"),
    BAD("F0x10\n.", MPR_EVALUE, "could not convert string to float"),
    BAD("I1", MPR_EUNPICKLE, "pickle data was truncated"),
    BAD("U\x02\xc3\xa9.", MPR_EUNICODE,
        "'ascii' codec can't decode byte 0xc3 in position 0: ordinal not in "
        "range(128)"),
    BAD("\x80\x04X\x01\x00\x00\x00\xff.", MPR_EUNICODE,
        "'utf-8' codec can't decode byte 0xff in position 0: invalid start "
        "byte"),
    BAD("\x8c\x03"
        "a\xed\xa0.",
        MPR_EUNICODE,
        "'utf-8' codec can't decode byte 0xed in position 1: invalid "
        "continuation byte"),
    BAD("\x8c\x04\xf0\x90\x80"
        "A.",
        MPR_EUNICODE,
        "'utf-8' codec can't decode bytes in position 0-2: invalid "
        "continuation byte"),
    BAD("]N]s.", MPR_ETYPE,
        "list indices must be integers or slices, not NoneType"),
    BAD("}Na.", MPR_EATTR, "'dict' object has no attribute 'append'"),
    BAD("}]]s.", MPR_ETYPE, "unhashable type: 'list'"),
    BAD(")\x8c\x03"
        "abc\x94\x93.",
        MPR_EUNPICKLE, "STACK_GLOBAL requires str"),
    /* refused: CPython would import and call */
    BAD("cos\nsystem\n.", MPR_EUNPICKLE, "global 'os.system' is forbidden"),
    BAD("\x8c\x02os\x8c\x06system\x93.", MPR_EUNPICKLE,
        "global 'os.system' is forbidden"),
    BAD("NN\x85R.", MPR_EUNPICKLE,
        "opcode REDUCE is forbidden: libmpref unpickles data only"),
    BAD("}}b.", MPR_EUNPICKLE,
        "opcode BUILD is forbidden: libmpref unpickles data only"),
    BAD("(ios\nsystem\n.", MPR_EUNPICKLE,
        "opcode INST is forbidden: libmpref unpickles data only"),
    BAD("(o.", MPR_EUNPICKLE,
        "opcode OBJ is forbidden: libmpref unpickles data only"),
    BAD("N)\x81.", MPR_EUNPICKLE,
        "opcode NEWOBJ is forbidden: libmpref unpickles data only"),
    BAD("\x82\x01.", MPR_EUNPICKLE,
        "opcode EXT1 is forbidden: libmpref unpickles data only"),
    BAD("Pid\n.", MPR_EUNPICKLE,
        "opcode PERSID is forbidden: libmpref unpickles data only"),
    BAD("\x8f.", MPR_EUNPICKLE,
        "opcode EMPTY_SET is forbidden: libmpref unpickles data only"),
    BAD("\x96\x00\x00\x00\x00\x00\x00\x00\x00.", MPR_EUNPICKLE,
        "opcode BYTEARRAY8 is forbidden: libmpref unpickles data only"),
    /* an int beyond 64 bits: CPython has it, libmpref says so */
    BAD("\x8a\x09\x00\x00\x00\x00\x00\x00\x00\x00\x01.", MPR_EOVERFLOW,
        "Python int too large to convert to C int64_t"),
    BAD("\x8a\x08\x00\x00\x00\x00\x00\x00\x00\x80\x8a\x01\x01.",
        -1 /* fine: -2**63 then a stray int */, NULL),
    BAD("I99999999999999999999\n.", MPR_EOVERFLOW,
        "Python int too large to convert to C int64_t"),
    /* cycles reference counting cannot free */
    BAD("]\x94h\x00"
        "a.",
        MPR_EUNPICKLE, "libmpref cannot unpickle a recursive structure"),
    BAD("}\x94(K\x01]\x94h\x00"
        "aK\x02h\x00"
        "u.",
        MPR_EUNPICKLE, "libmpref cannot unpickle a recursive structure"),
};

static void test_pickle_hostile_bytes_fail_like_cpython(void)
{
    for (size_t i = 0; i < sizeof(bad_cases) / sizeof(bad_cases[0]); i++) {
        const bad_case_t *c = &bad_cases[i];
        mpr_obj_t *o = (mpr_obj_t *)1;
        int rc = mpr_pickle_loads(c->data, c->len, &o);
        if (c->code == -1) {
            CU_ASSERT_EQUAL(rc, 0);
            mpr_obj_decref(o);
            continue;
        }
        CU_ASSERT_EQUAL(rc, c->code);
        CU_ASSERT_PTR_NULL(o);
        CU_ASSERT_STRING_EQUAL(mpr_last_error_detail(), c->msg);
        if (rc != c->code || strcmp(mpr_last_error_detail(), c->msg) != 0)
            printf("# case %zu: got %s %s\n", i, mpr_err_name(rc),
                   mpr_last_error_detail());
    }
}

/*
 * Pickles CPython itself made of code-carrying values (a class instance,
 * a class, os.system, a __reduce__ that runs os.system('touch MARKER'),
 * set, bytearray, OrderedDict), protocols 0 to 5: every one is refused as
 * UnpicklingError and nothing ran (MARKER does not exist).
 */
static void test_pickle_cpython_code_pickles_refused(void)
{
    char marker[64], args[96];
    const unsigned char *rec;
    uint32_t len;
    size_t pos = 0;
    int n = 0, refused = 0;

    snprintf(marker, sizeof(marker), "/tmp/mpr-test-pickle-ran-%d",
             (int)getpid());
    snprintf(args, sizeof(args), "hostile %s", marker);
    blob_t b = run_script(args, NULL, 0);
    CU_ASSERT_PTR_NOT_NULL_FATAL(b.data);
    while (pos < b.len && read_rec(&b, &pos, &rec, &len) == 0) {
        mpr_obj_t *o = NULL;
        int rc = mpr_pickle_loads(rec, len, &o);
        n++;
        if (rc == MPR_EUNPICKLE && o == NULL)
            refused++;
        else
            printf("# record %d: rc %d (%s)\n", n, rc, mpr_strerror(rc));
        mpr_obj_decref(o);
    }
    CU_ASSERT_EQUAL(n, 7 * 6);
    CU_ASSERT_EQUAL(refused, n);
    CU_ASSERT_NOT_EQUAL(access(marker, F_OK), 0);
    unlink(marker);
    free(b.data);
}

static void test_pickle_int64_limits_round_trip(void)
{
    static const int64_t v[] = {INT64_MAX,           INT64_MIN,
                                INT64_MIN + 1,       ((int64_t)1 << 55) - 1,
                                -((int64_t)1 << 55), -((int64_t)1 << 55) - 1,
                                2147483648LL,        -2147483649LL};
    for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
        mpr_obj_t *o = mpr_obj_int(v[i]), *back = NULL;
        char *p = NULL;
        size_t len;
        CU_ASSERT_EQUAL(mpr_pickle_dumps(o, 4, &p, &len), 0);
        CU_ASSERT_EQUAL(mpr_pickle_loads(p, len, &back), 0);
        CU_ASSERT(back != NULL && mpr_obj_int_value(back) == v[i]);
        mpr_free(p);
        mpr_obj_decref(o);
        mpr_obj_decref(back);
    }
}

/* "ExceptionName: message" as CPython's traceback would end, or
 * "ok: repr". */
static void outcome(int rc, const mpr_obj_t *o, char *buf, size_t size)
{
    const char *type = mpr_err_pytype(rc), *dot = strrchr(type, '.');
    char *r = NULL;

    if (rc == 0) {
        mpr_obj_repr(o, &r, NULL);
        snprintf(buf, size, "ok: %s", r ? r : "?");
        mpr_free(r);
        return;
    }
    snprintf(buf, size, "%s: %s", dot ? dot + 1 : type,
             mpr_last_error_detail());
}

static void test_pickle_every_truncation_fails_like_cpython(void)
{
    mpr_obj_t *d = mpr_obj_dict();
    mpr_obj_t *o = mpr_obj_list_of_steal(
        6, mpr_obj_int(-70000), mpr_obj_str("h\xc3\xa9llo"),
        mpr_obj_tuple_steal(2, mpr_obj_float(0.5), mpr_obj_bytes("ab", 2)), d,
        mpr_obj_int(INT64_MIN), mpr_obj_str("x"));
    blob_t in = {NULL, 0}, out;
    char *p[2] = {NULL, NULL};
    size_t len[2], pos = 0;
    int n = 0, bad = 0;

    mpr_obj_dict_set_steal(d, mpr_obj_str("k"), mpr_obj_list());
    /* protocol 4 (framed) and 2 (unframed, BINPUT memo) */
    CU_ASSERT_EQUAL_FATAL(mpr_pickle_dumps(o, 4, &p[0], &len[0]), 0);
    mpr_obj_list_set_steal(o, 2, mpr_obj_none()); /* no bytes in protocol 2 */
    CU_ASSERT_EQUAL_FATAL(mpr_pickle_dumps(o, 2, &p[1], &len[1]), 0);
    for (int k = 0; k < 2; k++)
        for (size_t m = 0; m <= len[k]; m++)
            put_rec(&in, p[k], m);
    out = run_script("errors", in.data, in.len);
    CU_ASSERT_PTR_NOT_NULL_FATAL(out.data);
    for (int k = 0; k < 2; k++)
        for (size_t m = 0; m <= len[k]; m++, n++) {
            const unsigned char *want;
            uint32_t wlen;
            char got[512];
            mpr_obj_t *back = NULL;
            int rc = mpr_pickle_loads(p[k], m, &back);
            outcome(rc, back, got, sizeof(got));
            mpr_obj_decref(back);
            if (read_rec(&out, &pos, &want, &wlen) < 0) {
                bad++;
                break;
            }
            if (strlen(got) != wlen || memcmp(got, want, wlen) != 0) {
                if (bad++ < 5)
                    printf("# prefix %zu of %zu: C %s | CPython %.*s\n", m,
                           len[k], got, (int)wlen, want);
            }
        }
    printf("# %d prefixes compared with CPython\n", n);
    CU_ASSERT_EQUAL(bad, 0);
    mpr_free(p[0]);
    mpr_free(p[1]);
    mpr_obj_decref(o);
    free(in.data);
    free(out.data);
}

static void test_pickle_mutated_bytes_never_crash(void)
{
    uint64_t s = 7;
    int loaded = 0, failed = 0;
    mpr_obj_t *o = rand_value(&s, 0, mpr_obj_none());
    mpr_obj_t *l =
        mpr_obj_list_of_steal(3, o, rand_value(&s, 0, mpr_obj_none()),
                              rand_value(&s, 0, mpr_obj_none()));
    char *p = NULL;
    size_t len;

    CU_ASSERT_EQUAL_FATAL(mpr_pickle_dumps(l, 4, &p, &len), 0);
    for (int i = 0; i < 200000; i++) {
        unsigned char *m = malloc(len);
        mpr_obj_t *back = NULL;
        memcpy(m, p, len);
        for (int k = 0; k < 1 + (int)(rng(&s) % 4); k++)
            m[rng(&s) % len] = (unsigned char)rng(&s);
        if (mpr_pickle_loads(m, rng(&s) % 8 ? len : rng(&s) % len, &back) == 0)
            loaded++;
        else
            failed++;
        if (back != NULL) {
            char *r = NULL;
            mpr_obj_repr(back, &r, NULL);
            mpr_free(r);
        }
        mpr_obj_decref(back);
        free(m);
    }
    printf("# 200000 mutated pickles: %d loaded, %d refused\n", loaded, failed);
    mpr_free(p);
    mpr_obj_decref(l);
}

static void test_pickle_1000_deep_nesting(void)
{
    /* CPython 3.11 at module level: pickle.loads of any depth works;
     * pickle.dumps raises RecursionError from 501 nested lists (1000
     * nested tuples). */
    mpr_obj_t *l = mpr_obj_list(), *back = NULL;
    unsigned char *p = malloc(2 + 1000 + 999 + 1);
    char *out = NULL;
    size_t n = 0;

    p[n++] = 0x80;
    p[n++] = 4;
    memset(p + n, ']', 1000);
    n += 1000;
    memset(p + n, 'a', 999);
    n += 999;
    p[n++] = '.';
    CU_ASSERT_EQUAL(mpr_pickle_loads(p, n, &back), 0);
    CU_ASSERT_EQUAL(mpr_pickle_dumps(back, 4, &out, &n), MPR_ERECURSION);
    CU_ASSERT_STRING_EQUAL(mpr_last_error_detail(),
                           "maximum recursion depth exceeded while pickling "
                           "an object");
    CU_ASSERT_PTR_NULL(out);
    mpr_obj_decref(back);
    for (int i = 1; i < 500; i++)
        l = mpr_obj_list_of_steal(1, l);
    CU_ASSERT_EQUAL(mpr_pickle_dumps(l, 4, &out, &n), 0); /* 500 lists */
    mpr_free(out);
    l = mpr_obj_list_of_steal(1, l);
    CU_ASSERT_EQUAL(mpr_pickle_dumps(l, 4, &out, &n), MPR_ERECURSION);
    mpr_obj_decref(l);
    free(p);
}

static void test_pickle_dumps_protocol_errors(void)
{
    mpr_obj_t *b = mpr_obj_bytes("x", 1);
    char *out = NULL;
    size_t n;

    CU_ASSERT_EQUAL(mpr_pickle_dumps(b, 6, &out, &n), MPR_EVALUE);
    CU_ASSERT_STRING_EQUAL(mpr_last_error_detail(),
                           "pickle protocol must be <= 5");
    CU_ASSERT_EQUAL(mpr_pickle_dumps(b, 2, &out, &n), MPR_EPICKLE);
    CU_ASSERT_PTR_NULL(out);
    mpr_obj_decref(b);
}

/* ---- objects of a program's own class; what the pickler refuses -------- */

typedef struct {
    int reduces, frees;
    int code;         /* reduce fails with it; 0: gives value */
    mpr_obj_t *value; /* what reduce gives (NULL: nothing, a bug) */
} thing_t;

static int thing_reduce(void *data, mpr_obj_t **out)
{
    thing_t *t = data;

    t->reduces++;
    if (t->code < 0)
        return mpr__error(t->code, "cannot pickle %d", t->reduces);
    *out = mpr_obj_incref(t->value);
    return 0;
}

static void thing_free(void *data)
{
    ((thing_t *)data)->frees++;
}

static int thing_repr(void *data, char **out, size_t *len)
{
    (void)data;
    *out = strdup("<thing>");
    *len = 7;
    return *out ? 0 : -ENOMEM;
}

static const mpr_class_t thing_class = {
    .name = "Thing", .reduce = thing_reduce, .free = thing_free};
static const mpr_class_t other_class = {
    .name = "Other", .repr = thing_repr, .reduce = thing_reduce};

/* A class's reduce decides: its value pickles in the object's place
 * (once per pickle: a second occurrence is the same value again, as
 * CPython's memo makes it), or its error is the pickling's, however deep
 * the object sits; the object's name, repr, data and free are its
 * class's. */
static void test_pickle_objects_of_a_programs_own_class(void)
{
    thing_t t = {
        .value = mpr_obj_list_of_steal(2, mpr_obj_int(1), mpr_obj_str("a"))};
    mpr_obj_t *o = mpr_obj_object(&thing_class, &t), *pair, *back = NULL;
    mpr_obj_t *other = mpr_obj_object(&other_class, &t);
    char *pk = NULL, *r = NULL;
    size_t n = 0;
    int dummy;

    CU_ASSERT_FATAL(o != NULL && other != NULL);
    CU_ASSERT_STRING_EQUAL(mpr_obj_type_name(o), "Thing");
    CU_ASSERT_EQUAL(mpr_obj_type(o), MPR_OBJ_HANDLE);
    CU_ASSERT_EQUAL(mpr_obj_handle_kind(o), MPR_HANDLE_OBJECT);
    CU_ASSERT_PTR_EQUAL(mpr_obj_object_data(o, &thing_class), &t);
    CU_ASSERT_PTR_NULL(mpr_obj_object_data(o, &other_class));
    CU_ASSERT_PTR_NULL(mpr_obj_object_data(t.value, &thing_class));
    CU_ASSERT_EQUAL(mpr_obj_repr(o, &r, NULL), 0);
    CU_ASSERT(r != NULL && strncmp(r, "<Thing object at 0x", 19) == 0);
    mpr_free(r);
    CU_ASSERT_EQUAL(mpr_obj_repr(other, &r, NULL), 0);
    CU_ASSERT_STRING_EQUAL(r, "<thing>");
    mpr_free(r);
    CU_ASSERT_EQUAL(mpr_obj_eq(o, o), 1); /* by identity */
    CU_ASSERT_EQUAL(mpr_obj_eq(o, other), 0);
    /* [o, o] loads as [v, v], one list twice; reduce ran once */
    pair = mpr_obj_list_of(2, o, o);
    CU_ASSERT_EQUAL_FATAL(mpr_pickle_dumps(pair, 4, &pk, &n), 0);
    CU_ASSERT_EQUAL(t.reduces, 1);
    CU_ASSERT_EQUAL_FATAL(mpr_pickle_loads(pk, n, &back), 0);
    CU_ASSERT_EQUAL(mpr_obj_len(back), 2);
    CU_ASSERT_EQUAL(mpr_obj_eq(mpr_obj_item(back, 0), t.value), 1);
    CU_ASSERT_PTR_EQUAL(mpr_obj_item(back, 0), mpr_obj_item(back, 1));
    mpr_obj_decref(back);
    mpr_free(pk);
    /* protocol 2 too (BINPUT instead of MEMOIZE) */
    CU_ASSERT_EQUAL_FATAL(mpr_pickle_dumps(pair, 2, &pk, &n), 0);
    CU_ASSERT_EQUAL_FATAL(mpr_pickle_loads(pk, n, &back), 0);
    CU_ASSERT_PTR_EQUAL(mpr_obj_item(back, 0), mpr_obj_item(back, 1));
    mpr_obj_decref(back);
    mpr_free(pk);
    mpr_obj_decref(pair);
    /* a failing reduce, deep in a dict: its error is the pickling's */
    t.code = MPR_ERUNTIME;
    pair = mpr_obj_dict();
    mpr_obj_dict_set_steal(pair, mpr_obj_str("k"), mpr_obj_tuple(1, o));
    t.reduces = 0;
    CU_ASSERT(mprtest_dumps_refused(pair, MPR_ERUNTIME, "cannot pickle 1"));
    mpr_obj_decref(pair);
    /* a reduce that gives nothing is the class's bug: PicklingError */
    t.code = 0;
    mpr_obj_decref(t.value);
    t.value = NULL;
    CU_ASSERT(mprtest_dumps_refused(
        o, MPR_EPICKLE, "__reduce__ must return a string or tuple"));
    /* only mpr_obj_object makes one */
    CU_ASSERT_PTR_NULL(mpr_obj_handle(MPR_HANDLE_OBJECT, &dummy));
    CU_ASSERT_EQUAL(mpr_last_error(), MPR_EVALUE);
    /* freed with its last reference, once */
    CU_ASSERT_EQUAL(t.frees, 0);
    mpr_obj_decref(other); /* other_class has no free */
    mpr_obj_decref(o);
    CU_ASSERT_EQUAL(t.frees, 1);
}

/* A pickle naming the object kind never rebuilds one, hooks or not. */
static void test_pickle_object_kind_is_never_loaded(void)
{
    static const char desc[] = "\x80\x04"
                               "cmpr.handle\nobject\nX\x01\x00\x00\x00z"
                               "\x85R.";
    mpr__pickle_handles_t hooks = {0};
    mpr_obj_t *o = NULL;

    CU_ASSERT_EQUAL(
        mpr__pickle_loads_handles(desc, sizeof(desc) - 1, &hooks, &o),
        MPR_EUNPICKLE);
    CU_ASSERT_STRING_EQUAL(mpr_last_error_detail(),
                           "unknown handle kind 'object'");
    CU_ASSERT_PTR_NULL(o);
    CU_ASSERT_EQUAL(mpr_pickle_loads(desc, sizeof(desc) - 1, &o),
                    MPR_EUNPICKLE);
    CU_ASSERT_PTR_NULL(o);
}

#define INHERIT                                                                \
    " objects should only be shared between processes through "                \
    "inheritance"

/* What multiprocessing's pickler refuses outside spawning, with CPython
 * 3.11's messages: a SemLock (each class its own name), a closed
 * Connection (reduction.DupFd asks for its fileno()); an open Connection
 * is libmpref's NotImplementedError (CPython lends it through its
 * resource sharer). */
static void test_pickle_refuses_what_multiprocessing_refuses(void)
{
    mpr_lock_t *lock;
    mpr_sem_t *sem;
    mpr_conn_t *a, *b;
    mpr_obj_t *h;

    CU_ASSERT_FATAL(mpr_lock_new(&lock) == 0 && mpr_sem_new(&sem, 2) == 0 &&
                    mpr_pipe(&a, &b, 1) == 0);
    h = mpr_obj_list_of_steal(1, mpr_obj_handle(MPR_HANDLE_SEMLOCK, lock));
    CU_ASSERT(mprtest_dumps_refused(h, MPR_ERUNTIME, "Lock" INHERIT));
    mpr_obj_decref(h);
    h = mpr_obj_handle(MPR_HANDLE_SEMLOCK, sem);
    CU_ASSERT(mprtest_dumps_refused(h, MPR_ERUNTIME, "Semaphore" INHERIT));
    mpr_obj_decref(h);
    h = mpr_obj_handle(MPR_HANDLE_CONN, a);
    CU_ASSERT(mprtest_dumps_refused(h, MPR_ENOTIMPL,
                                    "libmpref pickles a Connection only into a "
                                    "Process's args"));
    mpr_conn_close(a);
    CU_ASSERT(mprtest_dumps_refused(h, MPR_ECLOSED, "handle is closed"));
    CU_ASSERT_STRING_EQUAL(mpr_err_pytype(MPR_ECLOSED), "OSError");
    /* sent through the other end, as a Pool's task handler sends it */
    CU_ASSERT_EQUAL(mpr_conn_send(b, h), MPR_ECLOSED);
    mpr_obj_decref(h);
    mpr_conn_free(a);
    mpr_conn_free(b);
    mpr_sem_free(sem);
    mpr_lock_free(lock);
}

static int dumps_hex_is(const mpr_obj_t *o, int proto, const char *want)
{
    char *out = NULL, got[256];
    size_t n = 0;
    int ok;

    if (mpr_pickle_dumps(o, proto, &out, &n) < 0 || 2 * n >= sizeof(got)) {
        mpr_free(out);
        return 0;
    }
    for (size_t i = 0; i < n; i++)
        snprintf(got + 2 * i, 3, "%02x", (unsigned char)out[i]);
    ok = strcmp(got, want) == 0;
    if (!ok)
        printf("# dumps: got %s, want %s\n", got, want);
    mpr_free(out);
    return ok;
}

/* A tuple reached again while its items are being saved (l = []; t = (l,
 * 1, 2, 3); l.append(t)) is popped and fetched from the memo: POP for up
 * to 3 items, POP_MARK beyond, as CPython's save_tuple; loads refuses the
 * cycle.  Expected bytes from /usr/bin/python3's pickle.dumps. */
static void test_pickle_dumps_recursive_tuples_as_cpython(void)
{
    mpr_obj_t *l = mpr_obj_list(), *t1, *t4, *x = NULL;
    char *out = NULL;
    size_t n;

    t1 = mpr_obj_tuple(1, l);
    CU_ASSERT_EQUAL_FATAL(mpr_obj_list_append(l, t1), 0);
    CU_ASSERT(
        dumps_hex_is(t1, 4, "8004950b000000000000005d9468008594613068012e"));
    CU_ASSERT_EQUAL(mpr_pickle_dumps(t1, 4, &out, &n), 0);
    CU_ASSERT_EQUAL(mpr_pickle_loads(out, n, &x), MPR_EUNPICKLE);
    mpr_free(out);
    CU_ASSERT_EQUAL(mpr_obj_list_pop(l, 0, &x), 0);
    mpr_obj_decref(x);
    t4 = mpr_obj_tuple_steal(4, mpr_obj_incref(l), mpr_obj_int(1),
                             mpr_obj_int(2), mpr_obj_int(3));
    CU_ASSERT_EQUAL_FATAL(mpr_obj_list_append(l, t4), 0);
    CU_ASSERT(
        dumps_hex_is(t4, 4,
                     "8004951900000000000000285d942868004b014b024b03749461"
                     "4b014b024b033168012e"));
    CU_ASSERT(
        dumps_hex_is(t4, 2,
                     "8002285d71002868004b014b024b03747101614b014b024b0331"
                     "68012e"));
    CU_ASSERT_EQUAL(mpr_obj_list_pop(l, 0, &x), 0);
    mpr_obj_decref(x);
    mpr_obj_decref(t1);
    mpr_obj_decref(t4);
    mpr_obj_decref(l);
}

/* Memo indexes from 256 are fetched with LONG_BINGET: a list of 300 str
 * objects, each twice, dumps as CPython's 2441 bytes and loads back with
 * the repeats being the same objects. */
static void test_pickle_memo_past_256_uses_long_binget(void)
{
    static const unsigned char tail[] = {
        0x01, 0x00, 0x00, 0x6a, 0x26, 0x01, 0x00, 0x00, 0x6a, 0x27,
        0x01, 0x00, 0x00, 0x6a, 0x28, 0x01, 0x00, 0x00, 0x6a, 0x29,
        0x01, 0x00, 0x00, 0x6a, 0x2a, 0x01, 0x00, 0x00, 0x6a, 0x2b,
        0x01, 0x00, 0x00, 0x6a, 0x2c, 0x01, 0x00, 0x00, 0x65, 0x2e};
    mpr_obj_t *l = mpr_obj_list(), *back = NULL, *s[300];
    char *out = NULL, num[8];
    size_t n = 0;

    for (int i = 0; i < 300; i++) {
        snprintf(num, sizeof(num), "%d", i);
        s[i] = mpr_obj_str(num);
        mpr_obj_list_append(l, s[i]);
    }
    for (int i = 0; i < 300; i++)
        mpr_obj_list_append_steal(l, s[i]);
    CU_ASSERT_EQUAL_FATAL(mpr_pickle_dumps(l, 4, &out, &n), 0);
    CU_ASSERT_EQUAL(n, 2441);
    CU_ASSERT(n >= sizeof(tail) &&
              memcmp(out + n - sizeof(tail), tail, sizeof(tail)) == 0);
    CU_ASSERT(memmem(out, n, "\xff\x6a\x00\x01\x00\x00", 6) != NULL);
    CU_ASSERT_EQUAL(mpr_pickle_loads(out, n, &back), 0);
    CU_ASSERT(back != NULL && mpr_obj_len(back) == 600 &&
              mpr_obj_item(back, 299) == mpr_obj_item(back, 599) &&
              mpr_obj_eq(back, l) == 1);
    mpr_obj_decref(back);
    mpr_free(out);
    mpr_obj_decref(l);
}

/* Text opcodes of protocol 0 and SETITEM on a list, with the repr (or
 * class and message) /usr/bin/python3's pickle.loads gives. */
static void test_pickle_text_opcodes_and_list_setitem(void)
{
    static const struct {
        const char *data;
        size_t len;
        const char *repr; /* NULL: fails with code/msg */
        int code;
        const char *msg;
    } cases[] = {
        {"I01\n.", 5, "True", 0, NULL},
        {"I00\n.", 5, "False", 0, NULL},
        {"I42\n.", 5, "42", 0, NULL},
        {"L42L\n.", 6, "42", 0, NULL},
        {"L-7\n.", 5, "-7", 0, NULL},
        {"F1.5\n.", 6, "1.5", 0, NULL},
        {"Vab\\u00E9\n.", 12, "'ab\xc3\xa9'", 0, NULL},
        {"Va\\\\b\n.", 7, "'a\\\\\\\\b'", 0, NULL},
        {"Va\\qb\n.", 7, "'a\\\\qb'", 0, NULL},
        {"]K\x01"
         "aK\x00K\ts.",
         10, "[9]", 0, NULL},
        {"]K\x01"
         "aJ\xff\xff\xff\xffK\ts.",
         13, "[9]", 0, NULL},
        {"F1.5x\n.", 7, NULL, MPR_EVALUE, "could not convert string to float"},
        {"I1x\n.", 5, NULL, MPR_EVALUE, "could not convert string to int"},
        {"]K\x01"
         "aK\x05K\ts.",
         10, NULL, MPR_EINDEX, "list assignment index out of range"},
        {"]K\x01"
         "aX\x01\x00\x00\x00"
         "aK\ts.",
         15, NULL, MPR_ETYPE,
         "list indices must be integers or slices, not str"},
    };

    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        mpr_obj_t *o = NULL;
        char *r = NULL;
        int rc = mpr_pickle_loads(cases[i].data, cases[i].len, &o);

        if (cases[i].repr != NULL) {
            CU_ASSERT_EQUAL(rc, 0);
            if (rc == 0 && mpr_obj_repr(o, &r, NULL) == 0) {
                CU_ASSERT_STRING_EQUAL(r, cases[i].repr);
                if (strcmp(r, cases[i].repr) != 0)
                    printf("# case %zu: got %s\n", i, r);
            }
            mpr_free(r);
            mpr_obj_decref(o);
        } else {
            CU_ASSERT_EQUAL(rc, cases[i].code);
            CU_ASSERT_STRING_EQUAL(mpr_last_error_detail(), cases[i].msg);
            if (rc != cases[i].code)
                printf("# case %zu: got %s %s\n", i, mpr_err_name(rc),
                       mpr_last_error_detail());
        }
    }
}

/* BINUNICODE decodes with surrogatepass: a whole surrogate loads, one cut
 * short or followed by a non-continuation byte is CPython's
 * UnicodeDecodeError. */
static void test_pickle_surrogatepass_edges(void)
{
    static const char msg[] = "'utf-8' codec can't decode byte 0xed in "
                              "position 0: invalid continuation byte";
    mpr_obj_t *o = NULL;

    CU_ASSERT_EQUAL(mpr_pickle_loads("X\x02\x00\x00\x00\xed\xa0.", 8, &o),
                    MPR_EUNICODE);
    CU_ASSERT_STRING_EQUAL(mpr_last_error_detail(), msg);
    CU_ASSERT_EQUAL(mpr_pickle_loads("X\x03\x00\x00\x00\xed\xa0"
                                     "A.",
                                     9, &o),
                    MPR_EUNICODE);
    CU_ASSERT_STRING_EQUAL(mpr_last_error_detail(), msg);
    CU_ASSERT_EQUAL(mpr_pickle_loads("X\x03\x00\x00\x00\xed\xa0\x80.", 9, &o),
                    0);
    CU_ASSERT(o != NULL && mpr_obj_len(o) == 1);
    mpr_obj_decref(o);
}

/* A value that shares a list 100 levels down ([[[...[s]...]], s]) loads
 * with the sharing kept: the cycle check walks deeper than its first
 * stack and finds no cycle. */
static void test_pickle_deep_shared_value_is_no_cycle(void)
{
    mpr_obj_t *s = mpr_obj_list(), *x, *top, *back = NULL, *inner;
    char *out = NULL;
    size_t n = 0;

    x = mpr_obj_list_of_steal(1, mpr_obj_incref(s));
    for (int i = 0; i < 100; i++)
        x = mpr_obj_list_of_steal(1, x);
    top = mpr_obj_list_of_steal(2, x, mpr_obj_incref(s));
    CU_ASSERT_EQUAL_FATAL(mpr_pickle_dumps(top, 4, &out, &n), 0);
    CU_ASSERT_EQUAL(mpr_pickle_loads(out, n, &back), 0);
    CU_ASSERT_FATAL(back != NULL);
    inner = mpr_obj_item(back, 0);
    for (int i = 0; i < 100 && inner != NULL; i++)
        inner = mpr_obj_item(inner, 0);
    CU_ASSERT(inner != NULL && mpr_obj_item(inner, 0) == mpr_obj_item(back, 1));
    CU_ASSERT_EQUAL(mpr_obj_eq(back, top), 1);
    mpr_obj_decref(back);
    mpr_free(out);
    mpr_obj_decref(top);
    mpr_obj_decref(s);
}

/* Slots the memo inspected (pickle_load.c), counted for this thread. */
extern _Thread_local unsigned long long mpr__pickle_memo_probes;

/* A peer chooses the memo keys.  100 000 keys that share their low 14
 * bits (LONG_BINPUT i << 14), each fetched back once: with a hash of the
 * key's low bits they all land in one run and each put and get walks it
 * (5e9 probes, tens of seconds); with every bit mixed in, a few probes
 * each.  Counted, not timed, so a loaded machine cannot make it flake. */
static void test_pickle_memo_colliding_keys_stay_linear(void)
{
    enum { N = 100000 };
    size_t cap = 16 + (size_t)N * 13, n = 0;
    unsigned char *p = malloc(cap);
    unsigned long long before;
    mpr_obj_t *o = NULL;

    CU_ASSERT_PTR_NOT_NULL_FATAL(p);
    p[n++] = 0x80, p[n++] = 2, p[n++] = ']'; /* PROTO 2, EMPTY_LIST */
    for (int pass = 0; pass < 2; pass++)
        for (uint32_t i = 0; i < N; i++) {
            uint32_t key = i << 14;
            if (pass == 0)
                p[n++] = 'N', p[n++] = 'r'; /* NONE, LONG_BINPUT */
            else
                p[n++] = 'j'; /* LONG_BINGET */
            for (int b = 0; b < 4; b++)
                p[n++] = (unsigned char)(key >> (8 * b));
            p[n++] = pass == 0 ? '0' : 'a'; /* POP / APPEND */
        }
    p[n++] = '.';
    before = mpr__pickle_memo_probes;
    CU_ASSERT_EQUAL_FATAL(mpr_pickle_loads(p, n, &o), 0);
    CU_ASSERT_EQUAL(mpr_obj_len(o), N);
    /* puts (with their rehashes) and gets: well under 10 probes each at
     * a load factor of at most 1/2 */
    fprintf(stderr, "# %llu probes for %d puts and %d gets\n",
            mpr__pickle_memo_probes - before, N, N);
    CU_ASSERT(mpr__pickle_memo_probes - before < 10ull * 3 * N);
    mpr_obj_decref(o);
    free(p);
}

/* A slice pickles as CPython's slice.__reduce__ (the class builtins.slice,
 * memoised once, called with its three items) byte for byte at every
 * protocol (bytes from /usr/bin/python3: [slice(1, None, -1), slice(l), l,
 * slice(2)], l = [1, 'x']), loads back equal with l shared, and follows
 * slice's rules: unhashable, equal item by item, its repr, its indices;
 * bad calls of the class fail with CPython's TypeError, and a list that
 * reaches itself through a slice is refused as any cycle. */
static void test_pickle_slices_as_cpython(void)
{
    static const char *const want[] = {
        "80025d710028635f5f6275696c74696e5f5f0a736c6963650a71014b014e4affff"
        "ffff87710252710368014e5d7104284b015801000000787105654e877106527107"
        "680468014e4b024e877108527109652e",
        "80035d710028636275696c74696e730a736c6963650a71014b014e4affffffff87"
        "710252710368014e5d7104284b015801000000787105654e877106527107680468"
        "014e4b024e877108527109652e",
        "80049544000000000000005d94288c086275696c74696e73948c05736c69636594"
        "93944b014e4affffffff8794529468034e5d94284b018c017894654e8794529468"
        "0668034e4b024e87945294652e",
        "80059544000000000000005d94288c086275696c74696e73948c05736c69636594"
        "93944b014e4affffffff8794529468034e5d94284b018c017894654e8794529468"
        "0668034e4b024e87945294652e",
    };
    mpr_obj_t *l = mpr_obj_list_of_steal(2, mpr_obj_int(1), mpr_obj_str("x"));
    mpr_obj_t *m1 = mpr_obj_int(-1), *two = mpr_obj_int(2);
    mpr_obj_t *v = mpr_obj_list_of_steal(
        4, mpr_obj_slice(m1 ? mpr_obj_item(l, 0) : NULL, NULL, m1),
        mpr_obj_slice(NULL, l, NULL), mpr_obj_incref(l),
        mpr_obj_slice(NULL, two, NULL));
    mpr_obj_t *back = NULL;
    int64_t start, stop, step, h;
    size_t count;
    char *out = NULL, *r = NULL;
    size_t n;

    CU_ASSERT_PTR_NOT_NULL_FATAL(v);
    for (int proto = 2; proto <= 5; proto++) {
        CU_ASSERT(dumps_hex_is(v, proto, want[proto - 2]));
        CU_ASSERT_EQUAL_FATAL(mpr_pickle_dumps(v, proto, &out, &n), 0);
        CU_ASSERT_EQUAL(mpr_pickle_loads(out, n, &back), 0);
        mpr_free(out);
        if (back == NULL)
            continue;
        CU_ASSERT_EQUAL(mpr_obj_eq(back, v), 1);
        CU_ASSERT_EQUAL(mpr_obj_type(mpr_obj_item(back, 0)), MPR_OBJ_SLICE);
        /* slice(l) and l are one list again */
        CU_ASSERT_PTR_EQUAL(mpr_obj_item(mpr_obj_item(back, 1), 1),
                            mpr_obj_item(back, 2));
        mpr_obj_decref(back);
        back = NULL;
    }
    CU_ASSERT(mpr_obj_repr(v, &r, NULL) == 0 && r &&
              strcmp(r, "[slice(1, None, -1), slice(None, [1, 'x'], None), "
                        "[1, 'x'], slice(None, 2, None)]") == 0);
    mpr_free(r);
    CU_ASSERT_STRING_EQUAL(mpr_obj_type_name(mpr_obj_item(v, 0)), "slice");
    CU_ASSERT_EQUAL(mpr_obj_truth(mpr_obj_item(v, 0)), 1);
    CU_ASSERT_EQUAL(mpr_obj_hash(mpr_obj_item(v, 0), &h), MPR_ETYPE);
    CU_ASSERT_STRING_EQUAL(mpr_last_error_detail(), "unhashable type: 'slice'");
    CU_ASSERT_EQUAL(mpr_obj_eq(mpr_obj_item(v, 0), mpr_obj_item(v, 3)), 0);
    /* indices: [1::-1] of 10, [:2] of 1, [:l] refused */
    CU_ASSERT(mpr_obj_slice_indices(mpr_obj_item(v, 0), 10, &start, &stop,
                                    &step, &count) == 0 &&
              start == 1 && stop == -1 && step == -1 && count == 2);
    CU_ASSERT(mpr_obj_slice_indices(mpr_obj_item(v, 3), 1, &start, &stop, &step,
                                    &count) == 0 &&
              start == 0 && stop == 1 && step == 1 && count == 1);
    CU_ASSERT_EQUAL(mpr_obj_slice_indices(mpr_obj_item(v, 1), 3, &start, &stop,
                                          &step, &count),
                    MPR_ETYPE);
    CU_ASSERT_STRING_EQUAL(mpr_last_error_detail(),
                           "slice indices must be integers or None or have "
                           "an __index__ method");
    {
        mpr_obj_t *zero = mpr_obj_int(0), *s = mpr_obj_slice(NULL, NULL, zero);
        CU_ASSERT_EQUAL(
            mpr_obj_slice_indices(s, 3, &start, &stop, &step, &count),
            MPR_EVALUE);
        CU_ASSERT_STRING_EQUAL(mpr_last_error_detail(),
                               "slice step cannot be zero");
        mpr_obj_decref(s);
        mpr_obj_decref(zero);
    }
    /* slice() and slice(1, 2, 3, 4) called by a pickle; l = [slice(l)] */
    {
        static const char none[] = "\x80\x04\x8c\x08"
                                   "builtins\x8c\x05slice\x93)R.";
        static const char four[] = "\x80\x03"
                                   "cbuiltins\nslice\n"
                                   "(K\x01K\x02K\x03K\x04tR.";
        static const char cyc[] = "\x80\x02]q\x00"
                                  "c__builtin__\nslice\nh\x00\x85R\x61.";
        CU_ASSERT_EQUAL(mpr_pickle_loads(none, sizeof(none) - 1, &back),
                        MPR_ETYPE);
        CU_ASSERT_STRING_EQUAL(mpr_last_error_detail(),
                               "slice expected at least 1 argument, got 0");
        CU_ASSERT_EQUAL(mpr_pickle_loads(four, sizeof(four) - 1, &back),
                        MPR_ETYPE);
        CU_ASSERT_STRING_EQUAL(mpr_last_error_detail(),
                               "slice expected at most 3 arguments, got 4");
        CU_ASSERT_EQUAL(mpr_pickle_loads(cyc, sizeof(cyc) - 1, &back),
                        MPR_EUNPICKLE);
        CU_ASSERT_PTR_NULL(back);
    }
    mpr_obj_decref(two);
    mpr_obj_decref(m1);
    mpr_obj_decref(v);
    mpr_obj_decref(l);
}

int mprtest_register(CU_pSuite suite)
{
    MPRTEST_ADD(suite, test_pickle_cpython_corpus_loads_and_dumps_identically,
                "CPython's pickles of the corpus (protocols 0-5) load with "
                "the same repr; protocols 2-5 dump back byte for byte");
    MPRTEST_ADD(suite, test_pickle_c_values_load_in_cpython,
                "C's pickles of 3000 random values load in CPython with the "
                "same repr");
    MPRTEST_ADD(suite, test_pickle_hostile_bytes_fail_like_cpython,
                "hostile bytes fail with CPython's class and message");
    MPRTEST_ADD(suite, test_pickle_cpython_code_pickles_refused,
                "CPython's pickles of classes, os.system and __reduce__ "
                "are refused; nothing runs");
    MPRTEST_ADD(suite, test_pickle_int64_limits_round_trip,
                "ints at the 64-bit limits round-trip");
    MPRTEST_ADD(suite, test_pickle_every_truncation_fails_like_cpython,
                "every truncation of a pickle fails with CPython's class and "
                "message");
    MPRTEST_ADD(suite, test_pickle_mutated_bytes_never_crash,
                "200000 mutated pickles never crash");
    MPRTEST_ADD(suite, test_pickle_1000_deep_nesting,
                "1000-deep nesting loads; dumps is RecursionError");
    MPRTEST_ADD(suite, test_pickle_dumps_recursive_tuples_as_cpython,
                "a tuple reached again while saved is POP/POP_MARK + GET, "
                "byte for byte; loads refuses the cycle");
    MPRTEST_ADD(suite, test_pickle_memo_past_256_uses_long_binget,
                "memo indexes past 255 use LONG_BINGET as CPython");
    MPRTEST_ADD(suite, test_pickle_text_opcodes_and_list_setitem,
                "protocol 0 INT/LONG/FLOAT/UNICODE texts and SETITEM on a "
                "list load as CPython's");
    MPRTEST_ADD(suite, test_pickle_surrogatepass_edges,
                "BINUNICODE: a lone surrogate loads; one cut short is "
                "UnicodeDecodeError");
    MPRTEST_ADD(suite, test_pickle_deep_shared_value_is_no_cycle,
                "a list shared 100 levels down loads with its sharing, no "
                "cycle found");
    MPRTEST_ADD(suite, test_pickle_memo_colliding_keys_stay_linear,
                "memo keys sharing their low bits load in linear time "
                "(probes counted)");
    MPRTEST_ADD(suite, test_pickle_slices_as_cpython,
                "a slice pickles as CPython's at protocols 2-5, loads back, "
                "and keeps slice's hash, eq, repr, indices and errors");
    MPRTEST_ADD(suite, test_pickle_objects_of_a_programs_own_class,
                "an object of a program's own class pickles as its reduce "
                "says, once per pickle, or fails with its error");
    MPRTEST_ADD(suite, test_pickle_object_kind_is_never_loaded,
                "a pickle naming the object kind is unknown handle kind");
    MPRTEST_ADD(suite, test_pickle_refuses_what_multiprocessing_refuses,
                "a Lock, a Semaphore, a closed Connection refuse with "
                "CPython's class and message");
    MPRTEST_ADD(suite, test_pickle_dumps_protocol_errors,
                "dumps refuses protocol 6 and bytes under protocol 2");
    return 0;
}
