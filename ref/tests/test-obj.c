/*
 * test-obj.c - mpr_obj_t: construction and reference counting, Python's
 * equality and hashing (1 == 1.0 == True), the dict, and repr() byte for
 * byte against /usr/bin/python3 (floats, strings, containers).
 */
#include "mpr/obj.h"
#include "mpr/error.h"
#include "base/internal.h"
#include "mprtest.h"

#include <errno.h>
#include <pthread.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

const char *mprtest_suite_name = "obj";

#define ORACLE "/usr/bin/python3"

static char *repr_of(const mpr_obj_t *o)
{
    char *s = NULL;
    size_t len;

    if (mpr_obj_repr(o, &s, &len) < 0)
        return NULL;
    CU_ASSERT_EQUAL(strlen(s), len);
    return s;
}

/* Asserts repr(o) == want and drops o. */
#define CHECK_REPR(o, want)                                                    \
    do {                                                                       \
        mpr_obj_t *o_ = (o);                                                   \
        char *r_ = o_ ? repr_of(o_) : NULL;                                    \
        CU_ASSERT_PTR_NOT_NULL(r_);                                            \
        if (r_ != NULL) {                                                      \
            CU_ASSERT_STRING_EQUAL(r_, want);                                  \
            if (strcmp(r_, want) != 0)                                         \
                printf("# repr: got %s want %s\n", r_, want);                  \
        }                                                                      \
        mpr_free(r_);                                                          \
        mpr_obj_decref(o_);                                                    \
    } while (0)

/*
 * Runs ORACLE -c script with input on stdin (through a temporary file, so
 * neither side can block on a full pipe) and returns its whole stdout
 * (malloc'd), or NULL.
 */
static char *run_oracle(const char *script, const char *input, size_t inlen)
{
    char path[] = "/tmp/mpr-test-obj-XXXXXX", *cmd = NULL, *out = NULL;
    size_t len = 0, cap = 0;
    int fd = mkstemp(path);
    FILE *p;

    if (fd < 0)
        return NULL;
    if (write(fd, input, inlen) != (ssize_t)inlen) {
        close(fd);
        unlink(path);
        return NULL;
    }
    close(fd);
    if (asprintf(&cmd, "env -u PYTHONUNBUFFERED %s -c '%s' < %s", ORACLE,
                 script, path) < 0)
        cmd = NULL;
    p = cmd ? popen(cmd, "r") : NULL;
    while (p != NULL) {
        if (len + 65536 > cap) {
            cap = cap ? cap * 2 : 1 << 20;
            out = realloc(out, cap);
        }
        size_t n = fread(out + len, 1, cap - len - 1, p);
        if (n == 0)
            break;
        len += n;
    }
    if (p != NULL && pclose(p) != 0) {
        free(out);
        out = NULL;
    } else if (out != NULL) {
        out[len] = '\0';
    }
    free(cmd);
    unlink(path);
    return out;
}

/* ---- construction and reference counting ------------------------------ */

static void test_obj_scalars_have_their_types(void)
{
    mpr_obj_t *i = mpr_obj_int(-5), *f = mpr_obj_float(2.5);
    mpr_obj_t *s = mpr_obj_str("h\xc3\xa9"), *b = mpr_obj_bytes("a\0b", 3);
    size_t len;

    CU_ASSERT_EQUAL(mpr_obj_type(mpr_obj_none()), MPR_OBJ_NONE);
    CU_ASSERT_EQUAL(mpr_obj_type(mpr_obj_bool(7)), MPR_OBJ_BOOL);
    CU_ASSERT_EQUAL(mpr_obj_int_value(mpr_obj_bool(7)), 1);
    CU_ASSERT_EQUAL(mpr_obj_int_value(i), -5);
    CU_ASSERT_EQUAL(mpr_obj_float_value(f), 2.5);
    CU_ASSERT_STRING_EQUAL(mpr_obj_str_utf8(s, &len), "h\xc3\xa9");
    CU_ASSERT_EQUAL(len, 3);
    CU_ASSERT_EQUAL(mpr_obj_len(s), 2); /* code points */
    CU_ASSERT_EQUAL(memcmp(mpr_obj_bytes_data(b, &len), "a\0b", 3), 0);
    CU_ASSERT_EQUAL(len, 3);
    CU_ASSERT_EQUAL(mpr_obj_len(b), 3);
    CU_ASSERT_STRING_EQUAL(mpr_obj_type_name(mpr_obj_none()), "NoneType");
    CU_ASSERT_STRING_EQUAL(mpr_obj_type_name(b), "bytes");
    CU_ASSERT_FALSE(mpr_obj_truth(mpr_obj_none()));
    CU_ASSERT_TRUE(mpr_obj_truth(i));
    CU_ASSERT_TRUE(mpr_obj_truth(s));
    mpr_obj_decref(i);
    mpr_obj_decref(f);
    mpr_obj_decref(s);
    mpr_obj_decref(b);
}

static void test_obj_refcount_incref_decref(void)
{
    mpr_obj_t *s = mpr_obj_str("x"), *l = mpr_obj_list();

    CU_ASSERT_EQUAL(mpr_obj_refcount(s), 1);
    CU_ASSERT_PTR_EQUAL(mpr_obj_incref(s), s);
    CU_ASSERT_EQUAL(mpr_obj_refcount(s), 2);
    CU_ASSERT_EQUAL(mpr_obj_list_append(l, s), 0); /* borrows: +1 */
    CU_ASSERT_EQUAL(mpr_obj_refcount(s), 3);
    CU_ASSERT_EQUAL(mpr_obj_list_append_steal(l, s), 0); /* takes ours */
    CU_ASSERT_EQUAL(mpr_obj_refcount(s), 3);
    mpr_obj_decref(s);
    CU_ASSERT_EQUAL(mpr_obj_refcount(s), 2);
    mpr_obj_decref(l); /* frees s too */
    mpr_obj_decref(NULL);
    CU_ASSERT_EQUAL(mpr_obj_refcount(mpr_obj_none()), SIZE_MAX);
    mpr_obj_decref(mpr_obj_none()); /* immortal */
    CU_ASSERT_EQUAL(mpr_obj_type(mpr_obj_none()), MPR_OBJ_NONE);
}

static void test_obj_steal_propagates_null(void)
{
    mpr_obj_t *t;

    /* A failed inner constructor makes the outer one fail cleanly, dropping
     * what it was given (the leak check and ASan see to the rest). */
    t = mpr_obj_tuple_steal(3, mpr_obj_int(1), mpr_obj_str("\xff"),
                            mpr_obj_str("ok"));
    CU_ASSERT_PTR_NULL(t);
    CU_ASSERT_EQUAL(mpr_last_error(), MPR_EUNICODE);
    t = mpr_obj_tuple_steal(2, mpr_obj_int(1), mpr_obj_str("a"));
    CU_ASSERT_PTR_NOT_NULL(t);
    CU_ASSERT_EQUAL(mpr_obj_len(t), 2);
    CU_ASSERT_EQUAL(mpr_obj_int_value(mpr_obj_item(t, 0)), 1);
    CU_ASSERT_PTR_NULL(mpr_obj_item(t, 2));
    mpr_obj_decref(t);
}

static void test_obj_str_rejects_bad_utf8_like_cpython(void)
{
    static const struct {
        const char *bytes;
        const char *msg;
    } bad[] = {
        {"\xff", "'utf-8' codec can't decode byte 0xff in position 0: "
                 "invalid start byte"},
        {"ab\xc0\x80", "'utf-8' codec can't decode byte 0xc0 in position 2: "
                       "invalid start byte"},
        {"\xe2\x82", "'utf-8' codec can't decode bytes in position 0-1: "
                     "unexpected end of data"},
        {"\xe2\x82\x41", "'utf-8' codec can't decode bytes in position 0-1: "
                         "invalid continuation byte"},
        {"\xed\xa0\x80", "'utf-8' codec can't decode byte 0xed in position 0: "
                         "invalid continuation byte"},
        {"\xf4\x90\x80\x80", "'utf-8' codec can't decode byte 0xf4 in "
                             "position 0: invalid continuation byte"},
    };

    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        CU_ASSERT_PTR_NULL(mpr_obj_str(bad[i].bytes));
        CU_ASSERT_EQUAL(mpr_last_error(), MPR_EUNICODE);
        CU_ASSERT_STRING_EQUAL(mpr_last_error_detail(), bad[i].msg);
    }
    CU_ASSERT_STRING_EQUAL(mpr_err_pytype(MPR_EUNICODE), "UnicodeDecodeError");
}

static void test_obj_list_set_pop_and_index_errors(void)
{
    mpr_obj_t *l = mpr_obj_list_of_steal(2, mpr_obj_int(1), mpr_obj_int(2));
    mpr_obj_t *v = NULL;

    CU_ASSERT_EQUAL(mpr_obj_list_set_steal(l, 5, mpr_obj_int(3)), MPR_EINDEX);
    CU_ASSERT_STRING_EQUAL(mpr_last_error_detail(),
                           "list assignment index out of range");
    CU_ASSERT_EQUAL(mpr_obj_list_set_steal(l, 1, mpr_obj_int(3)), 0);
    CU_ASSERT_EQUAL(mpr_obj_list_pop(l, -1, &v), 0);
    CU_ASSERT_EQUAL(mpr_obj_int_value(v), 3);
    mpr_obj_decref(v);
    CU_ASSERT_EQUAL(mpr_obj_list_pop(l, 4, &v), MPR_EINDEX);
    CU_ASSERT_STRING_EQUAL(mpr_last_error_detail(), "pop index out of range");
    CU_ASSERT_EQUAL(mpr_obj_list_pop(l, 0, &v), 0);
    mpr_obj_decref(v);
    CU_ASSERT_EQUAL(mpr_obj_list_pop(l, 0, &v), MPR_EINDEX);
    CU_ASSERT_STRING_EQUAL(mpr_last_error_detail(), "pop from empty list");
    mpr_obj_decref(l);
}

static void test_obj_deep_value_frees_without_recursion(void)
{
    mpr_obj_t *l = mpr_obj_list();

    /* A million levels would overflow the C stack if freeing recursed. */
    for (int i = 0; i < 1000000 && l != NULL; i++)
        l = mpr_obj_list_of_steal(1, l);
    CU_ASSERT_PTR_NOT_NULL(l);
    mpr_obj_decref(l);
}

/* ---- equality and hashing --------------------------------------------- */

static void test_obj_numbers_compare_across_types(void)
{
    mpr_obj_t *one = mpr_obj_int(1), *onef = mpr_obj_float(1.0);
    mpr_obj_t *big = mpr_obj_int(((int64_t)1 << 53) + 1);
    mpr_obj_t *bigf = mpr_obj_float(9007199254740992.0); /* 2**53 */
    mpr_obj_t *nan = mpr_obj_float(NAN), *l1, *l2;

    CU_ASSERT_EQUAL(mpr_obj_eq(one, onef), 1);
    CU_ASSERT_EQUAL(mpr_obj_eq(one, mpr_obj_bool(1)), 1);
    CU_ASSERT_EQUAL(mpr_obj_eq(onef, mpr_obj_bool(1)), 1);
    CU_ASSERT_EQUAL(mpr_obj_eq(big, bigf), 0); /* exact, not rounded */
    CU_ASSERT_EQUAL(mpr_obj_eq(nan, nan), 0);
    CU_ASSERT_EQUAL(mpr_obj_eq(mpr_obj_none(), mpr_obj_bool(0)), 0);
    /* [nan] == [nan] holds for the same nan object (identity first). */
    l1 = mpr_obj_list_of(1, nan);
    l2 = mpr_obj_list_of(1, nan);
    CU_ASSERT_EQUAL(mpr_obj_eq(l1, l2), 1);
    mpr_obj_decref(l2);
    l2 = mpr_obj_list_of_steal(1, mpr_obj_float(NAN));
    CU_ASSERT_EQUAL(mpr_obj_eq(l1, l2), 0);
    mpr_obj_decref(l1);
    mpr_obj_decref(l2);
    mpr_obj_decref(one);
    mpr_obj_decref(onef);
    mpr_obj_decref(big);
    mpr_obj_decref(bigf);
    mpr_obj_decref(nan);
}

static void test_obj_containers_compare_by_value(void)
{
    mpr_obj_t *a = mpr_obj_tuple_steal(2, mpr_obj_str("x"), mpr_obj_int(1));
    mpr_obj_t *b = mpr_obj_tuple_steal(2, mpr_obj_str("x"), mpr_obj_float(1));
    mpr_obj_t *l = mpr_obj_list_of_steal(2, mpr_obj_str("x"), mpr_obj_int(1));
    mpr_obj_t *d1 = mpr_obj_dict(), *d2 = mpr_obj_dict();

    CU_ASSERT_EQUAL(mpr_obj_eq(a, b), 1);
    CU_ASSERT_EQUAL(mpr_obj_eq(a, l), 0); /* tuple != list */
    mpr_obj_dict_set_steal(d1, mpr_obj_int(1), mpr_obj_str("a"));
    mpr_obj_dict_set_steal(d1, mpr_obj_str("b"), mpr_obj_int(2));
    mpr_obj_dict_set_steal(d2, mpr_obj_str("b"), mpr_obj_float(2));
    CU_ASSERT_EQUAL(mpr_obj_eq(d1, d2), 0);
    mpr_obj_dict_set_steal(d2, mpr_obj_bool(1), mpr_obj_str("a"));
    CU_ASSERT_EQUAL(mpr_obj_eq(d1, d2), 1); /* order does not matter */
    CU_ASSERT_EQUAL(mpr_obj_eq(mpr_obj_item(a, 0), mpr_obj_item(l, 0)), 1);
    mpr_obj_decref(a);
    mpr_obj_decref(b);
    mpr_obj_decref(l);
    mpr_obj_decref(d1);
    mpr_obj_decref(d2);
}

static void test_obj_hash_matches_cpython_for_numbers(void)
{
    /* Values printed by /usr/bin/python3 (3.11): hash(1.5), hash(-2.25),
     * hash(1e300), hash(2**62), hash(-2**63), hash((1, 2)),
     * hash((1, (2.5, -1))), hash(()), hash(-1), hash(2.0**70),
     * hash(1e-300). */
    static const struct {
        double f;
        int is_float;
        int64_t want;
    } nums[] = {
        {1.5, 1, 1152921504606846977},
        {-2.25, 1, -576460752303423490},
        {1e300, 1, 1224995262755759164},
        {0, 0, 2},
        {0, 0, -4},
        {-1, 0, -2},
        {1180591620717411303424.0, 1, 512},
        {1e-300, 1, 482449582752280463},
        {INFINITY, 1, 314159},
    };
    int64_t ints[] = {0, 0, 0, (int64_t)1 << 62, INT64_MIN, -1};
    mpr_obj_t *t;
    int64_t h;

    for (size_t i = 0; i < sizeof(nums) / sizeof(nums[0]); i++) {
        mpr_obj_t *o =
            nums[i].is_float ? mpr_obj_float(nums[i].f) : mpr_obj_int(ints[i]);
        CU_ASSERT_EQUAL(mpr_obj_hash(o, &h), 0);
        CU_ASSERT_EQUAL(h, nums[i].want);
        mpr_obj_decref(o);
    }
    t = mpr_obj_tuple_steal(2, mpr_obj_int(1), mpr_obj_int(2));
    CU_ASSERT_EQUAL(mpr_obj_hash(t, &h), 0);
    CU_ASSERT_EQUAL(h, -3550055125485641917);
    mpr_obj_decref(t);
    t = mpr_obj_tuple_steal(
        2, mpr_obj_int(1),
        mpr_obj_tuple_steal(2, mpr_obj_float(2.5), mpr_obj_int(-1)));
    CU_ASSERT_EQUAL(mpr_obj_hash(t, &h), 0);
    CU_ASSERT_EQUAL(h, 5356097903715399607);
    mpr_obj_decref(t);
    t = mpr_obj_tuple(0);
    CU_ASSERT_EQUAL(mpr_obj_hash(t, &h), 0);
    CU_ASSERT_EQUAL(h, 5740354900026072187);
    mpr_obj_decref(t);
}

static void test_obj_list_is_unhashable(void)
{
    mpr_obj_t *l = mpr_obj_list(), *d = mpr_obj_dict(), *v;
    mpr_obj_t *t = mpr_obj_tuple(1, l);
    int64_t h;

    CU_ASSERT_EQUAL(mpr_obj_hash(l, &h), MPR_ETYPE);
    CU_ASSERT_STRING_EQUAL(mpr_last_error_detail(), "unhashable type: 'list'");
    CU_ASSERT_EQUAL(mpr_obj_hash(t, &h), MPR_ETYPE);
    CU_ASSERT_EQUAL(mpr_obj_dict_set(d, d, l), MPR_ETYPE);
    CU_ASSERT_STRING_EQUAL(mpr_last_error_detail(), "unhashable type: 'dict'");
    CU_ASSERT_EQUAL(mpr_obj_dict_get(d, t, &v), MPR_ETYPE);
    CU_ASSERT_EQUAL(mpr_obj_len(d), 0);
    mpr_obj_decref(t);
    mpr_obj_decref(l);
    mpr_obj_decref(d);
}

/* ---- dict ------------------------------------------------------------- */

static void test_obj_dict_one_key_for_1_and_1_0_and_true(void)
{
    mpr_obj_t *d = mpr_obj_dict(), *v, *k;
    size_t pos = 0;

    /* {1: 'a', 1.0: 'b', True: 'c'} == {1: 'c'}: the first key object
     * stays, the last value wins. */
    CU_ASSERT_EQUAL(mpr_obj_dict_set_steal(d, mpr_obj_int(1), mpr_obj_str("a")),
                    0);
    CU_ASSERT_EQUAL(
        mpr_obj_dict_set_steal(d, mpr_obj_float(1), mpr_obj_str("b")), 0);
    CU_ASSERT_EQUAL(
        mpr_obj_dict_set_steal(d, mpr_obj_bool(1), mpr_obj_str("c")), 0);
    CU_ASSERT_EQUAL(mpr_obj_len(d), 1);
    CU_ASSERT_EQUAL(mpr_obj_dict_next(d, &pos, &k, &v), 1);
    CU_ASSERT_EQUAL(mpr_obj_type(k), MPR_OBJ_INT);
    CU_ASSERT_STRING_EQUAL(mpr_obj_str_utf8(v, NULL), "c");
    CU_ASSERT_EQUAL(mpr_obj_dict_next(d, &pos, &k, &v), 0);
    CHECK_REPR(d, "{1: 'c'}");
}

static void test_obj_dict_keeps_insertion_order_through_growth(void)
{
    mpr_obj_t *d = mpr_obj_dict(), *k, *v;
    size_t pos = 0;
    int64_t expect = 0, n = 0;

    for (int64_t i = 0; i < 5000; i++)
        CU_ASSERT_EQUAL_FATAL(
            mpr_obj_dict_set_steal(d, mpr_obj_int(i * 7919 % 5000),
                                   mpr_obj_int(i)),
            0);
    /* delete the even keys, then re-add 0: it goes to the end */
    for (int64_t i = 0; i < 5000; i += 2) {
        k = mpr_obj_int(i);
        CU_ASSERT_EQUAL(mpr_obj_dict_del(d, k), 0);
        mpr_obj_decref(k);
    }
    CU_ASSERT_EQUAL(mpr_obj_len(d), 2500);
    mpr_obj_dict_set_steal(d, mpr_obj_int(0), mpr_obj_none());
    while (mpr_obj_dict_next(d, &pos, &k, &v)) {
        int64_t kv = mpr_obj_int_value(k);
        n++;
        if (n == 2501) {
            CU_ASSERT_EQUAL(kv, 0);
            continue;
        }
        while (expect * 7919 % 5000 % 2 == 0)
            expect++;
        CU_ASSERT_EQUAL(kv, expect * 7919 % 5000);
        CU_ASSERT_EQUAL(mpr_obj_int_value(v), expect);
        expect++;
    }
    CU_ASSERT_EQUAL(n, 2501);
    CU_ASSERT_EQUAL(mpr_obj_dict_get_str(d, "0", &v), 0);
    CU_ASSERT_PTR_NULL(v);
    k = mpr_obj_float(3.0);
    CU_ASSERT_EQUAL(mpr_obj_dict_get(d, k, &v), 1);
    CU_ASSERT_EQUAL(mpr_obj_dict_del(d, k), 0);
    CU_ASSERT_EQUAL(mpr_obj_dict_del(d, k), MPR_EKEY);
    CU_ASSERT_STRING_EQUAL(mpr_last_error_detail(), "3.0");
    mpr_obj_decref(k);
    mpr_obj_decref(d);
}

/* ---- repr ------------------------------------------------------------- */

static void test_obj_repr_examples_from_the_documents(void)
{
    mpr_obj_t *d = mpr_obj_dict();

    CHECK_REPR(mpr_obj_list_of_steal(3, mpr_obj_int(42), mpr_obj_none(),
                                     mpr_obj_str("hello")),
               "[42, None, 'hello']");
    mpr_obj_dict_set_steal(d, mpr_obj_int(1), mpr_obj_str("1"));
    mpr_obj_dict_set_steal(d, mpr_obj_str("2"), mpr_obj_int(2));
    mpr_obj_dict_set_steal(d, mpr_obj_float(0.25), mpr_obj_none());
    CHECK_REPR(d, "{1: '1', '2': 2, 0.25: None}");
    CHECK_REPR(mpr_obj_tuple_steal(1, mpr_obj_int(1)), "(1,)");
    CHECK_REPR(mpr_obj_tuple(0), "()");
    CHECK_REPR(mpr_obj_list(), "[]");
    CHECK_REPR(mpr_obj_dict(), "{}");
    CHECK_REPR(mpr_obj_float(3.1415927), "3.1415927");
    CHECK_REPR(mpr_obj_float(0.1), "0.1");
    CHECK_REPR(mpr_obj_float(1e16), "1e+16");
    CHECK_REPR(mpr_obj_float(1e15), "1000000000000000.0");
    CHECK_REPR(mpr_obj_float(1e-5), "1e-05");
    CHECK_REPR(mpr_obj_float(0.0001), "0.0001");
    CHECK_REPR(mpr_obj_float(INFINITY), "inf");
    CHECK_REPR(mpr_obj_float(-INFINITY), "-inf");
    CHECK_REPR(mpr_obj_float(NAN), "nan");
    CHECK_REPR(mpr_obj_float(-0.0), "-0.0");
    CHECK_REPR(mpr_obj_int(INT64_MIN), "-9223372036854775808");
    CHECK_REPR(mpr_obj_bool(0), "False");
    CHECK_REPR(mpr_obj_tuple_steal(2, mpr_obj_bool(1), mpr_obj_list()),
               "(True, [])");
}

static void test_obj_repr_strings_quote_and_escape_like_cpython(void)
{
    CHECK_REPR(mpr_obj_str("a'b"), "\"a'b\"");
    CHECK_REPR(mpr_obj_str("a\"b'"), "'a\"b\\''");
    /* control, DEL, C1, NBSP, soft hyphen, U+2028, an emoji */
    CHECK_REPR(mpr_obj_str("\x01\x7f\xc2\x80\xc2\xa0\xc2\xad\xe2\x80\xa8"
                           "\xf0\x9f\x98\x80\t\\"),
               "'\\x01\\x7f\\x80\\xa0\\xad\\u2028\xf0\x9f\x98\x80\\t\\\\'");
    CHECK_REPR(mpr_obj_strn("a\0b", 3), "'a\\x00b'");
    CHECK_REPR(mpr_obj_str("h\xc3\xa9llo \xe4\xb8\x96"),
               "'h\xc3\xa9llo \xe4\xb8\x96'");
    CHECK_REPR(mpr_obj_bytes("\0'\"\x80\\\n", 6), "b'\\x00\\'\"\\x80\\\\\\n'");
    CHECK_REPR(mpr_obj_bytes("it's", 4), "b\"it's\"");
}

static void test_obj_repr_1000_deep_is_recursion_error(void)
{
    mpr_obj_t *l = mpr_obj_list();
    char *s = NULL;

    for (int i = 0; i < 999; i++)
        l = mpr_obj_list_of_steal(1, l);
    CU_ASSERT_EQUAL(mpr_obj_repr(l, &s, NULL), MPR_ERECURSION);
    CU_ASSERT_PTR_NULL(s);
    CU_ASSERT_STRING_EQUAL(mpr_last_error_detail(),
                           "maximum recursion depth exceeded while getting "
                           "the repr of an object");
    mpr_obj_decref(l);
}

/* One line per value: hex bits in, repr out. */
static const char *float_script =
    "import sys,struct\n"
    "for l in sys.stdin:\n"
    "    print(repr(struct.unpack(\"<d\", bytes.fromhex(l.strip()))[0]))\n";

static double gen_double(uint64_t *state, int kind)
{
    uint64_t x;
    double d;

    *state = *state * 6364136223846793005u + 1442695040888963407u;
    x = *state ^ (*state >> 29);
    switch (kind % 6) {
    case 0: /* any bit pattern */
        memcpy(&d, &x, sizeof(d));
        return d;
    case 1: /* powers of two and neighbours: lopsided intervals */
        d = ldexp(1.0, (int)(x % 2098) - 1074);
        return (x >> 20) % 3 == 0 ? nextafter(d, 0) : d;
    case 2: /* short decimals */
        return (double)(int64_t)(x % 2000001 - 1000000) /
               pow(10, (double)((x >> 32) % 12));
    case 3: /* around the fixed/exponent switch points */
        return ldexp((double)(x >> 11), -53) *
               pow(10, (double)((x >> 8) % 40) - 20);
    case 4: /* integers near 2**53 */
        return (double)(((int64_t)1 << 53) + (int64_t)(x % 1000) - 500);
    default: /* subnormals */
        x &= 0x800fffffffffffffu;
        memcpy(&d, &x, sizeof(d));
        return d;
    }
}

static void test_obj_repr_float_matches_cpython_200k(void)
{
    enum { N = 200000 };
    char *in = malloc((size_t)N * 17 + 1), *out, *line, *save = NULL;
    double *vals = malloc(N * sizeof(double));
    uint64_t state = 20261123, bits;
    int mismatches = 0, n = 0;

    for (int i = 0; i < N; i++) {
        vals[i] = gen_double(&state, i);
        memcpy(&bits, &vals[i], sizeof(bits));
        for (int b = 0; b < 8; b++)
            sprintf(in + i * 17 + b * 2, "%02x",
                    (unsigned)(bits >> (8 * b)) & 0xff);
        in[i * 17 + 16] = '\n';
    }
    out = run_oracle(float_script, in, (size_t)N * 17);
    CU_ASSERT_PTR_NOT_NULL_FATAL(out);
    for (line = strtok_r(out, "\n", &save); line != NULL && n < N;
         line = strtok_r(NULL, "\n", &save), n++) {
        mpr_obj_t *f = mpr_obj_float(vals[n]);
        char *r = repr_of(f);
        if (r == NULL || strcmp(r, line) != 0) {
            if (mismatches++ < 5)
                printf("# float %d: C %s, CPython %s\n", n, r, line);
        }
        mpr_free(r);
        mpr_obj_decref(f);
    }
    CU_ASSERT_EQUAL(n, N);
    CU_ASSERT_EQUAL(mismatches, 0);
    free(out);
    free(in);
    free(vals);
}

/* Every code point through repr(chr(c)), in chunks of 64. */
static const char *str_script =
    "import sys\n"
    "for c in range(0, 0x110000, 64):\n"
    "    r = repr(\"\".join(chr(x) for x in range(c, c + 64)))\n"
    "    sys.stdout.buffer.write(r.encode() + b\"\\n\")\n";

static void test_obj_repr_str_matches_cpython_all_code_points(void)
{
    char *out = run_oracle(str_script, "", 0), *line, *save = NULL;
    int mismatches = 0;
    unsigned c = 0;

    CU_ASSERT_PTR_NOT_NULL_FATAL(out);
    for (line = strtok_r(out, "\n", &save); line != NULL && c < 0x110000;
         line = strtok_r(NULL, "\n", &save), c += 64) {
        /* Build the chunk in UTF-8 (surrogates as surrogatepass would). */
        char utf8[64 * 4], *p = utf8, *r, *asc;
        mpr_obj_t *s;
        for (unsigned x = c; x < c + 64; x++) {
            if (x < 0x80) {
                *p++ = (char)x;
            } else if (x < 0x800) {
                *p++ = (char)(0xC0 | x >> 6);
                *p++ = (char)(0x80 | (x & 0x3F));
            } else if (x < 0x10000) {
                *p++ = (char)(0xE0 | x >> 12);
                *p++ = (char)(0x80 | (x >> 6 & 0x3F));
                *p++ = (char)(0x80 | (x & 0x3F));
            } else {
                *p++ = (char)(0xF0 | x >> 18);
                *p++ = (char)(0x80 | (x >> 12 & 0x3F));
                *p++ = (char)(0x80 | (x >> 6 & 0x3F));
                *p++ = (char)(0x80 | (x & 0x3F));
            }
        }
        s = mpr_obj_strn(utf8, (size_t)(p - utf8));
        if (s == NULL) { /* the surrogate block: strict UTF-8 refuses it */
            CU_ASSERT(c >= 0xD800 && c < 0xE000);
            continue;
        }
        r = repr_of(s);
        asc = r;
        if (strcmp(asc, line) != 0 && mismatches++ < 5)
            printf("# chunk U+%04X: C %s, CPython %s\n", c, asc, line);
        mpr_free(r);
        mpr_obj_decref(s);
    }
    CU_ASSERT_EQUAL(c, 0x110000);
    CU_ASSERT_EQUAL(mismatches, 0);
    free(out);
}

/* Float hashes whose mantissa wraps the 2**61 - 1 modulus, as
 * /usr/bin/python3's hash() prints them. */
static void test_obj_hash_floats_modulo_mersenne_prime(void)
{
    static const struct {
        double f;
        int64_t want;
    } rows[] = {
        {0.1, 230584300921369408},    {-0.1, -230584300921369408},
        {1e300, 1224995262755759164}, {3.141592653589793, 326490430436040707},
        {1.5e-5, 945790509392942365}, {-2.5, -1152921504606846978},
    };
    int64_t h;

    for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
        mpr_obj_t *o = mpr_obj_float(rows[i].f);
        CU_ASSERT_EQUAL(mpr_obj_hash(o, &h), 0);
        CU_ASSERT_EQUAL(h, rows[i].want);
        mpr_obj_decref(o);
    }
}

/* == as Python: None, lengths, dicts after deletions, int against a
 * float past int64 (9223372036854775807 == 2.0**63 is False), and
 * RecursionError past 1000 levels of nesting, for == and hash(). */
static void test_obj_eq_edges_and_recursion(void)
{
    mpr_obj_t *a, *b, *deep_a, *deep_b;
    int64_t h;

    CU_ASSERT_EQUAL(mpr_obj_eq(mpr_obj_none(), mpr_obj_none()), 1);
    a = mpr_obj_list_of_steal(2, mpr_obj_int(1), mpr_obj_int(2));
    b = mpr_obj_list_of_steal(1, mpr_obj_int(1));
    CU_ASSERT_EQUAL(mpr_obj_eq(a, b), 0);
    mpr_obj_decref(a);
    mpr_obj_decref(b);
    a = mpr_obj_int(INT64_MAX);
    b = mpr_obj_float(9223372036854775808.0);
    CU_ASSERT_EQUAL(mpr_obj_eq(a, b), 0);
    CU_ASSERT_EQUAL(mpr_obj_eq(b, a), 0);
    mpr_obj_decref(a);
    mpr_obj_decref(b);
    a = mpr_obj_dict();
    b = mpr_obj_dict();
    mpr_obj_dict_set_steal(a, mpr_obj_str("x"), mpr_obj_int(1));
    mpr_obj_dict_set_steal(a, mpr_obj_str("y"), mpr_obj_int(2));
    mpr_obj_dict_set_steal(b, mpr_obj_str("y"), mpr_obj_int(2));
    mpr_obj_dict_set_steal(b, mpr_obj_str("z"), mpr_obj_int(1));
    CU_ASSERT_EQUAL(mpr_obj_eq(a, b), 0); /* 'x' not in b */
    {
        mpr_obj_t *k = mpr_obj_str("x"), *z = mpr_obj_str("z");
        CU_ASSERT_EQUAL(mpr_obj_dict_del(a, k), 0);
        CU_ASSERT_EQUAL(mpr_obj_dict_del(b, z), 0);
        CU_ASSERT_EQUAL(mpr_obj_eq(a, b), 1); /* skips deleted entries */
        mpr_obj_dict_set_steal(b, mpr_obj_str("y"), mpr_obj_int(3));
        CU_ASSERT_EQUAL(mpr_obj_eq(a, b), 0); /* same key, other value */
        mpr_obj_decref(k);
        mpr_obj_decref(z);
    }
    mpr_obj_decref(a);
    mpr_obj_decref(b);
    deep_a = mpr_obj_int(0);
    deep_b = mpr_obj_int(0);
    for (int i = 0; i < MPR_OBJ_MAX_DEPTH + 5; i++) {
        deep_a = mpr_obj_tuple_steal(1, deep_a);
        deep_b = mpr_obj_tuple_steal(1, deep_b);
    }
    CU_ASSERT_EQUAL(mpr_obj_eq(deep_a, deep_b), MPR_ERECURSION);
    CU_ASSERT_STRING_EQUAL(mpr_last_error_detail(),
                           "maximum recursion depth exceeded in comparison");
    CU_ASSERT_EQUAL(mpr_obj_hash(deep_a, &h), MPR_ERECURSION);
    mpr_obj_decref(deep_a);
    mpr_obj_decref(deep_b);
}

/* bool() of floats: only zeros are false (NaN is true). */
static void test_obj_truth_of_floats(void)
{
    static const struct {
        double f;
        int want;
    } rows[] = {{0.0, 0}, {-0.0, 0}, {1e-300, 1}, {NAN, 1}, {-2.5, 1}};

    for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
        mpr_obj_t *o = mpr_obj_float(rows[i].f);
        CU_ASSERT_EQUAL(mpr_obj_truth(o), rows[i].want);
        mpr_obj_decref(o);
    }
}

/* Values made in one thread and freed in another (a Pool's result
 * handler boxes, the caller frees), threads that end holding free cells,
 * and a failing slab allocation (obj_alloc.c). */
enum { XT_N = 20000 };

static void *make_ints(void *arg)
{
    mpr_obj_t **v = arg;

    for (int i = 0; i < XT_N; i++)
        v[i] = mpr_obj_int(i);
    return NULL;
}

static void *free_ints(void *arg)
{
    mpr_obj_t **v = arg;

    for (int i = 0; i < XT_N; i++)
        mpr_obj_decref(v[i]);
    return NULL;
}

static void *no_memory(size_t n)
{
    (void)n;
    errno = ENOMEM;
    return NULL;
}

static void test_obj_values_cross_threads(void)
{
    static mpr_obj_t *v[XT_N];
    int ok = 1, failed = 0;

    for (int round = 0; round < 4; round++) {
        pthread_t t;

        CU_ASSERT_FATAL(pthread_create(&t, NULL, make_ints, v) == 0);
        pthread_join(t, NULL);
        for (int i = 0; i < XT_N; i++)
            ok &= v[i] != NULL && mpr_obj_int_value(v[i]) == i &&
                  mpr_obj_refcount(v[i]) == 1;
        if (round % 2 == 0)
            free_ints(v);
        else {
            CU_ASSERT_FATAL(pthread_create(&t, NULL, free_ints, v) == 0);
            pthread_join(t, NULL);
        }
    }
    CU_ASSERT(ok);
    /* Out of memory: once the free cells run out (the XT_N above and
     * the rest of their slabs), NULL and ENOMEM. */
    mpr_obj_t **w = calloc(4 * XT_N, sizeof(*w));
    CU_ASSERT_FATAL(w != NULL);
    mpr__sys.malloc = no_memory;
    for (int i = 0; i < 4 * XT_N && !failed; i++)
        if ((w[i] = mpr_obj_int(i)) == NULL)
            failed = i + 1;
    mpr__sys_reset();
    CU_ASSERT(failed > 0);
    CU_ASSERT_EQUAL(mpr_last_error(), -ENOMEM);
    for (int i = 0; i + 1 < failed; i++)
        mpr_obj_decref(w[i]);
    free(w);
}

int mprtest_register(CU_pSuite suite)
{
    MPRTEST_ADD(suite, test_obj_values_cross_threads,
                "values made in one thread and freed in another come back "
                "whole; an allocation that fails is MemoryError");
    MPRTEST_ADD(suite, test_obj_scalars_have_their_types,
                "scalars have their types and values");
    MPRTEST_ADD(suite, test_obj_refcount_incref_decref,
                "incref/decref/_steal count references; None is immortal");
    MPRTEST_ADD(suite, test_obj_steal_propagates_null,
                "a NULL item makes a _steal constructor fail cleanly");
    MPRTEST_ADD(suite, test_obj_str_rejects_bad_utf8_like_cpython,
                "bad UTF-8 is UnicodeDecodeError with CPython's message");
    MPRTEST_ADD(suite, test_obj_list_set_pop_and_index_errors,
                "list set/pop and their IndexErrors");
    MPRTEST_ADD(suite, test_obj_deep_value_frees_without_recursion,
                "a million-deep list frees without recursion");
    MPRTEST_ADD(suite, test_obj_numbers_compare_across_types,
                "1 == 1.0 == True, exact int/float comparison, nan");
    MPRTEST_ADD(suite, test_obj_containers_compare_by_value,
                "tuples, lists and dicts compare by value");
    MPRTEST_ADD(suite, test_obj_hash_matches_cpython_for_numbers,
                "numeric and tuple hashes equal CPython's");
    MPRTEST_ADD(suite, test_obj_list_is_unhashable,
                "list and dict are unhashable: TypeError");
    MPRTEST_ADD(suite, test_obj_dict_one_key_for_1_and_1_0_and_true,
                "1, 1.0 and True are one dict key");
    MPRTEST_ADD(suite, test_obj_dict_keeps_insertion_order_through_growth,
                "dict keeps insertion order through growth and deletion");
    MPRTEST_ADD(suite, test_obj_repr_examples_from_the_documents,
                "repr of the documents' values");
    MPRTEST_ADD(suite, test_obj_repr_strings_quote_and_escape_like_cpython,
                "str and bytes repr quote and escape as CPython");
    MPRTEST_ADD(suite, test_obj_truth_of_floats,
                "bool() of floats: zeros false, NaN true");
    MPRTEST_ADD(suite, test_obj_hash_floats_modulo_mersenne_prime,
                "float hashes wrap modulo 2**61-1 as CPython's");
    MPRTEST_ADD(suite, test_obj_eq_edges_and_recursion,
                "== of None, lengths, dicts with deletions, int vs 2.0**63; "
                "RecursionError past 1000 levels");
    MPRTEST_ADD(suite, test_obj_repr_1000_deep_is_recursion_error,
                "repr of a 1000-deep list is RecursionError");
    MPRTEST_ADD(suite, test_obj_repr_float_matches_cpython_200k,
                "float repr equals CPython's over 200000 values");
    MPRTEST_ADD(suite, test_obj_repr_str_matches_cpython_all_code_points,
                "str repr equals CPython's for every code point");
    return 0;
}
