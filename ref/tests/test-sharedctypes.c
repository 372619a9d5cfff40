/*
 * test-sharedctypes.c - Value, Array, RawValue, RawArray: CPython 3.11's
 * typecodes, conversions, wrap-around, reprs, lock= semantics, indexing
 * and slicing with their errors, char arrays, sharing across processes.
 * Expected texts were printed by /usr/bin/python3.
 */
#include "mpr/sharedctypes.h"
#include "mpr/error.h"
#include "mpr/timeout.h"
#include "mprtest.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *mprtest_suite_name = "sharedctypes";

static mpr_value_t *val;
static mpr_array_t *arr;

/* repr(o) of an object we own (steals o). */
static char *repr_steal(mpr_obj_t *o)
{
    char *s = NULL;

    if (o != NULL)
        mpr_obj_repr(o, &s, NULL);
    mpr_obj_decref(o);
    return s;
}

#define ASSERT_STR(expr_alloc, expected)                                       \
    do {                                                                       \
        char *s_ = (expr_alloc);                                               \
        CU_ASSERT_STRING_EQUAL(s_ ? s_ : "(null)", (expected));                \
        free(s_);                                                              \
    } while (0)

static char *value_repr(mpr_value_t *v)
{
    char *s = NULL;

    mpr_value_repr(v, &s, NULL);
    return s;
}

static char *value_get(mpr_value_t *v)
{
    mpr_obj_t *o = NULL;

    mpr_value_get(v, &o);
    return repr_steal(o);
}

static char *slice(mpr_array_t *a, ptrdiff_t start, ptrdiff_t stop,
                   ptrdiff_t step)
{
    mpr_obj_t *o = NULL;

    if (mpr_array_get_slice(a, start, stop, step, &o) < 0)
        return NULL;
    return repr_steal(o);
}

#define ALL MPR_SLICE_NONE, MPR_SLICE_NONE, MPR_SLICE_NONE
#define N   MPR_SLICE_NONE

static void test_sharedctypes_zero_values_of_every_typecode(void)
{
    static const char *codes[][3] = {
        {"b", "c_byte(0)", "0"},
        {"B", "c_ubyte(0)", "0"},
        {"h", "c_short(0)", "0"},
        {"H", "c_ushort(0)", "0"},
        {"i", "c_int(0)", "0"},
        {"I", "c_uint(0)", "0"},
        {"l", "c_long(0)", "0"},
        {"L", "c_ulong(0)", "0"},
        {"q", "c_long(0)", "0"},
        {"Q", "c_ulong(0)", "0"},
        {"f", "c_float(0.0)", "0.0"},
        {"d", "c_double(0.0)", "0.0"},
        {"c", "c_char(b'\\x00')", "b'\\x00'"},
        {"u", "c_wchar('\\x00')", "'\\x00'"},
    };
    char want[128];

    for (size_t i = 0; i < sizeof(codes) / sizeof(codes[0]); i++) {
        mpr_value_t *v, *raw;
        CU_ASSERT_EQUAL_FATAL(mpr_value_new(&v, codes[i][0], NULL, NULL), 0);
        snprintf(want, sizeof(want), "<Synchronized wrapper for %s>",
                 codes[i][1]);
        ASSERT_STR(value_repr(v), want);
        ASSERT_STR(value_get(v), codes[i][2]);
        CU_ASSERT_EQUAL(mpr_value_typecode(v), codes[i][0][0]);
        CU_ASSERT_EQUAL(strncmp(codes[i][1], mpr_value_obj_type_name(v),
                                strlen(mpr_value_obj_type_name(v))),
                        0);
        CU_ASSERT_EQUAL_FATAL(mpr_rawvalue_new(&raw, codes[i][0], NULL), 0);
        ASSERT_STR(value_repr(raw), codes[i][1]);
        mpr_value_free(v);
        mpr_value_free(raw);
    }
}

static void test_sharedctypes_value_double_and_lock(void)
{
    mpr_obj_t *pi = mpr_obj_float(3.1415927);
    mpr_value_t *v;
    char *s = NULL;
    double d;

    CU_ASSERT_EQUAL_FATAL(mpr_value_new(&v, "d", pi, NULL), 0);
    ASSERT_STR(value_get(v), "3.1415927");
    ASSERT_STR(value_repr(v), "<Synchronized wrapper for c_double(3.1415927)>");
    CU_ASSERT_EQUAL(mpr_value_obj_repr(v, &s, NULL), 0);
    ASSERT_STR(s, "c_double(3.1415927)");
    CU_ASSERT_EQUAL(mpr_rlock_repr(mpr_value_get_lock(v), &s, NULL), 0);
    ASSERT_STR(s, "<RLock(None, 0)>");
    /* The wrapper's acquire is the lock's; value access nests in it. */
    CU_ASSERT_EQUAL(mpr_value_acquire(v, 1, MPR_TIMEOUT_NONE), 1);
    CU_ASSERT_EQUAL(mpr_value_get_double(v, &d), 0);
    CU_ASSERT_EQUAL(mpr_value_set_double(v, d + 1.0), 0);
    CU_ASSERT_EQUAL(mpr_value_release(v), 0);
    ASSERT_STR(value_get(v), "4.1415927");
    CU_ASSERT_EQUAL(mpr_value_release(v), MPR_EASSERT);
    mpr_value_free(v);
    mpr_obj_decref(pi);
}

static void test_sharedctypes_bad_typecode_has_no_size(void)
{
    mpr_obj_t *three = mpr_obj_int(3);
    mpr_value_t *v;
    mpr_array_t *a;
    const char *bad[] = {"x", "ii", "", "z"};

    for (size_t i = 0; i < 4; i++) {
        CU_ASSERT_EQUAL(mpr_value_new(&v, bad[i], NULL, NULL), MPR_ETYPE);
        CU_ASSERT_STRING_EQUAL(mpr_last_error_detail(),
                               "this type has no size");
        CU_ASSERT_EQUAL(mpr_rawvalue_new(&v, bad[i], NULL), MPR_ETYPE);
        CU_ASSERT_EQUAL(mpr_array_new(&a, bad[i], three, NULL), MPR_ETYPE);
        CU_ASSERT_EQUAL(mpr_rawarray_new(&a, bad[i], three), MPR_ETYPE);
        CU_ASSERT_STRING_EQUAL(mpr_last_error_detail(),
                               "this type has no size");
    }
    mpr_obj_decref(three);
}

/* Value(code, init) must fail with TypeError(msg). */
static void check_type_error(const char *code, mpr_obj_t *init, const char *msg)
{
    mpr_value_t *v = NULL;

    CU_ASSERT_EQUAL(mpr_value_new(&v, code, init, NULL), MPR_ETYPE);
    CU_ASSERT_STRING_EQUAL(mpr_last_error_detail(), msg);
    mpr_obj_decref(init);
}

static void test_sharedctypes_conversion_errors(void)
{
    check_type_error("i", mpr_obj_float(1.5),
                     "'float' object cannot be interpreted as an integer");
    check_type_error("i", mpr_obj_str("x"),
                     "'str' object cannot be interpreted as an integer");
    check_type_error("i", mpr_obj_none(),
                     "'NoneType' object cannot be interpreted as an integer");
    check_type_error("d", mpr_obj_str("x"), "must be real number, not str");
    check_type_error("d", mpr_obj_none(), "must be real number, not NoneType");
    check_type_error("c", mpr_obj_str("a"),
                     "one character bytes, bytearray or integer expected");
    check_type_error("c", mpr_obj_bytes("ab", 2),
                     "one character bytes, bytearray or integer expected");
    check_type_error("u", mpr_obj_bytes("a", 1),
                     "unicode string expected instead of bytes instance");
    check_type_error("u", mpr_obj_int(65),
                     "unicode string expected instead of int instance");
    check_type_error("u", mpr_obj_str("ab"),
                     "one character unicode string expected");
}

static char *value_of(const char *code, mpr_obj_t *init)
{
    mpr_value_t *v;
    char *s = NULL;

    if (mpr_value_new(&v, code, init, NULL) == 0) {
        s = value_get(v);
        mpr_value_free(v);
    }
    mpr_obj_decref(init);
    return s;
}

static void test_sharedctypes_values_wrap_like_ctypes(void)
{
    ASSERT_STR(value_of("i", mpr_obj_int(2147483648LL)), "-2147483648");
    ASSERT_STR(value_of("b", mpr_obj_int(200)), "-56");
    ASSERT_STR(value_of("B", mpr_obj_int(-1)), "255");
    ASSERT_STR(value_of("h", mpr_obj_int(40000)), "-25536");
    ASSERT_STR(value_of("q", mpr_obj_int(8589934592LL)), "8589934592");
    ASSERT_STR(value_of("f", mpr_obj_float(0.1)), "0.10000000149011612");
    ASSERT_STR(value_of("f", mpr_obj_float(3.1415927)), "3.1415927410125732");
    ASSERT_STR(value_of("i", mpr_obj_bool(1)), "1");
    ASSERT_STR(value_of("d", mpr_obj_bool(1)), "1.0");
    ASSERT_STR(value_of("d", mpr_obj_int(2)), "2.0");
    ASSERT_STR(value_of("c", mpr_obj_int(5)), "b'\\x05'");
    ASSERT_STR(value_of("c", mpr_obj_bytes("a", 1)), "b'a'");
    ASSERT_STR(value_of("u", mpr_obj_str("\xc3\xa9")), "'\xc3\xa9'");
}

static void test_sharedctypes_typed_accessors(void)
{
    mpr_value_t *v;
    int64_t i;
    double d;

    CU_ASSERT_EQUAL_FATAL(mpr_value_new(&v, "i", NULL, NULL), 0);
    CU_ASSERT_EQUAL(mpr_value_set_int64(v, 4294967297LL), 0); /* wraps */
    CU_ASSERT_EQUAL(mpr_value_get_int64(v, &i), 0);
    CU_ASSERT_EQUAL(i, 1);
    CU_ASSERT_EQUAL(mpr_value_get_double(v, &d), 0);
    CU_ASSERT_EQUAL(d, 1.0);
    CU_ASSERT_EQUAL(mpr_value_set_double(v, 1.5), MPR_ETYPE);
    mpr_value_free(v);
    CU_ASSERT_EQUAL_FATAL(mpr_value_new(&v, "c", NULL, NULL), 0);
    CU_ASSERT_EQUAL(mpr_value_set_int64(v, 'z'), 0);
    ASSERT_STR(value_get(v), "b'z'");
    CU_ASSERT_EQUAL(mpr_value_get_double(v, &d), MPR_ETYPE);
    mpr_value_free(v);
    CU_ASSERT_EQUAL_FATAL(mpr_value_new(&v, "d", NULL, NULL), 0);
    CU_ASSERT_EQUAL(mpr_value_get_int64(v, &i), MPR_ETYPE);
    mpr_value_free(v);
}

static void test_sharedctypes_lock_argument(void)
{
    mpr_sync_options_t raw = {.raw = 1};
    mpr_sync_options_t given = {0};
    mpr_obj_t *x = mpr_obj_float(1.5);
    mpr_value_t *v;
    mpr_lock_t *l;
    char *s = NULL;

    CU_ASSERT_EQUAL_FATAL(mpr_value_new(&v, "d", x, &raw), 0);
    ASSERT_STR(value_repr(v), "c_double(1.5)");
    CU_ASSERT_PTR_NULL(mpr_value_get_lock(v));
    CU_ASSERT_STRING_EQUAL(mpr_last_error_detail(),
                           "'c_double' object has no attribute 'get_lock'");
    CU_ASSERT_EQUAL(mpr_value_acquire(v, 1, 0), MPR_EATTR);
    mpr_value_free(v);
    CU_ASSERT_EQUAL_FATAL(mpr_lock_new(&l), 0);
    given.lock = l;
    CU_ASSERT_EQUAL_FATAL(mpr_value_new(&v, "d", x, &given), 0);
    mpr_lock_free(l); /* the value keeps its reference */
    CU_ASSERT_EQUAL(mpr_semlock_repr(mpr_value_get_lock(v), &s, NULL), 0);
    ASSERT_STR(s, "<Lock(owner=None)>");
    CU_ASSERT_EQUAL(mpr_value_acquire(v, 1, MPR_TIMEOUT_NONE), 1);
    CU_ASSERT_EQUAL(mpr_semlock_repr(mpr_value_get_lock(v), &s, NULL), 0);
    ASSERT_STR(s, "<Lock(owner=MainProcess)>");
    CU_ASSERT_EQUAL(mpr_value_release(v), 0);
    mpr_value_free(v);
    mpr_obj_decref(x);
}

/* lock= as a value, with CPython's rules (sharedctypes.Value/Array):
 * True/1/1.0/None an RLock, False raw, a lock that lock, anything else
 * AttributeError with its repr, after the initializer was converted. */
static void test_sharedctypes_lock_value(void)
{
    mpr_obj_t *five = mpr_obj_int(5), *one = mpr_obj_int(1),
              *onef = mpr_obj_float(1.0), *zero = mpr_obj_int(0),
              *no = mpr_obj_bool(0), *none = mpr_obj_none(),
              *bad = mpr_obj_str("x"), *seven = mpr_obj_int(7);
    mpr_obj_t *rlocks[] = {one, onef, none};
    mpr_sync_options_t o = {0};
    mpr_value_t *v, *obj, *obj2;
    mpr_array_t *a, *aobj, *araw;
    mpr_sem_t *sem;
    int64_t i64 = 0;
    char *s = NULL;

    for (size_t i = 0; i < 3; i++) {
        o.lock_value = rlocks[i];
        CU_ASSERT_EQUAL_FATAL(mpr_value_new(&v, "i", five, &o), 0);
        CU_ASSERT_EQUAL(mpr_semlock_repr(mpr_value_get_lock(v), &s, NULL), 0);
        ASSERT_STR(s, "<RLock(None, 0)>");
        s = NULL;
        mpr_value_free(v);
    }
    o.lock_value = zero;
    CU_ASSERT_EQUAL(mpr_value_new(&v, "i", five, &o), MPR_EATTR);
    CU_ASSERT_STRING_EQUAL(mpr_last_error_detail(),
                           "0 has no method 'acquire'");
    o.lock_value = bad;
    CU_ASSERT_EQUAL(mpr_array_new(&a, "i", five, &o), MPR_EATTR);
    CU_ASSERT_STRING_EQUAL(mpr_last_error_detail(),
                           "'x' has no method 'acquire'");
    /* RawValue's conversion error comes first */
    CU_ASSERT_EQUAL(mpr_value_new(&v, "i", bad, &o), MPR_ETYPE);
    CU_ASSERT_STRING_EQUAL(mpr_last_error_detail(),
                           "'str' object cannot be interpreted as an integer");
    o.lock_value = no;
    CU_ASSERT_EQUAL_FATAL(mpr_value_new(&v, "i", five, &o), 0);
    CU_ASSERT_PTR_NULL(mpr_value_get_lock(v));
    CU_ASSERT_EQUAL(mpr_value_get_obj(v, &obj), MPR_EATTR);
    CU_ASSERT_STRING_EQUAL(mpr_last_error_detail(),
                           "'c_int' object has no attribute 'get_obj'");
    mpr_value_free(v);
    /* a Semaphore has acquire(): it is kept */
    CU_ASSERT_EQUAL_FATAL(mpr_sem_new(&sem, 2), 0);
    o.lock_value = mpr_obj_handle(MPR_HANDLE_SEMLOCK, sem);
    CU_ASSERT_EQUAL_FATAL(mpr_value_new(&v, "i", five, &o), 0);
    CU_ASSERT_PTR_EQUAL(mpr_value_get_lock(v), sem);
    mpr_obj_decref((mpr_obj_t *)o.lock_value);
    mpr_sem_free(sem);
    /* get_obj(): one raw object over the same memory */
    CU_ASSERT_EQUAL_FATAL(mpr_value_get_obj(v, &obj), 0);
    CU_ASSERT_EQUAL(mpr_value_get_obj(v, &obj2), 0);
    CU_ASSERT_PTR_EQUAL(obj, obj2);
    CU_ASSERT_PTR_NULL(mpr_value_get_lock(obj));
    CU_ASSERT_EQUAL(mpr_value_set(obj, seven), 0);
    CU_ASSERT_EQUAL(mpr_value_get_int64(v, &i64), 0);
    CU_ASSERT_EQUAL(i64, 7);
    mpr_value_free(v);
    CU_ASSERT_EQUAL_FATAL(mpr_array_new(&a, "i", five, NULL), 0);
    CU_ASSERT_EQUAL_FATAL(mpr_array_get_obj(a, &aobj), 0);
    CU_ASSERT_STRING_EQUAL(mpr_array_obj_type_name(aobj), "c_int_Array_5");
    CU_ASSERT_EQUAL(mpr_array_set_int64(aobj, 4, 9), 0);
    CU_ASSERT_EQUAL(mpr_array_get_int64(a, -1, &i64), 0);
    CU_ASSERT_EQUAL(i64, 9);
    CU_ASSERT_EQUAL(mpr_array_get_obj(aobj, &araw), MPR_EATTR);
    CU_ASSERT_PTR_NULL(araw);
    CU_ASSERT_STRING_EQUAL(mpr_last_error_detail(),
                           "'c_int_Array_5' object has no attribute 'get_obj'");
    mpr_array_free(a);
    mpr_obj_decref(five), mpr_obj_decref(one), mpr_obj_decref(onef);
    mpr_obj_decref(zero), mpr_obj_decref(no), mpr_obj_decref(none);
    mpr_obj_decref(bad), mpr_obj_decref(seven);
}

static mpr_obj_t *range_list(int n)
{
    mpr_obj_t *l = mpr_obj_list();

    for (int i = 0; i < n; i++)
        mpr_obj_list_append_steal(l, mpr_obj_int(i));
    return l;
}

static void test_sharedctypes_array_slicing(void)
{
    mpr_obj_t *r10 = range_list(10), *o = NULL;
    mpr_array_t *a;

    CU_ASSERT_EQUAL_FATAL(mpr_array_new(&a, "i", r10, NULL), 0);
    CU_ASSERT_EQUAL(mpr_array_len(a), 10);
    ASSERT_STR(slice(a, ALL), "[0, 1, 2, 3, 4, 5, 6, 7, 8, 9]");
    ASSERT_STR(slice(a, 2, 5, N), "[2, 3, 4]");
    ASSERT_STR(slice(a, N, N, 2), "[0, 2, 4, 6, 8]");
    ASSERT_STR(slice(a, N, N, -1), "[9, 8, 7, 6, 5, 4, 3, 2, 1, 0]");
    ASSERT_STR(slice(a, 5, 2, N), "[]");
    ASSERT_STR(slice(a, 1, 8, 3), "[1, 4, 7]");
    ASSERT_STR(slice(a, -3, N, N), "[7, 8, 9]");
    ASSERT_STR(slice(a, -100, 100, N), "[0, 1, 2, 3, 4, 5, 6, 7, 8, 9]");
    CU_ASSERT_EQUAL(mpr_array_get_slice(a, N, N, 0, &o), MPR_EVALUE);
    CU_ASSERT_STRING_EQUAL(mpr_last_error_detail(),
                           "slice step cannot be zero");
    CU_ASSERT_EQUAL(mpr_array_get_item(a, -1, &o), 0);
    ASSERT_STR(repr_steal(o), "9");
    mpr_array_free(a);
    mpr_obj_decref(r10);
}

static void test_sharedctypes_array_index_errors(void)
{
    mpr_obj_t *r10 = range_list(10), *one = range_list(1), *o = NULL;
    mpr_obj_t *big = mpr_obj_int(2147483648LL), *x = mpr_obj_str("x");
    mpr_obj_t *nines = mpr_obj_list();
    mpr_array_t *a;

    for (int i = 0; i < 5; i++)
        mpr_obj_list_append_steal(nines, mpr_obj_int(9));
    CU_ASSERT_EQUAL_FATAL(mpr_array_new(&a, "i", r10, NULL), 0);
    CU_ASSERT_EQUAL(mpr_array_get_item(a, 10, &o), MPR_EINDEX);
    CU_ASSERT_STRING_EQUAL(mpr_last_error_detail(), "invalid index");
    CU_ASSERT_EQUAL(mpr_array_get_item(a, -11, &o), MPR_EINDEX);
    CU_ASSERT_EQUAL(mpr_array_set_item(a, 10, one), MPR_EINDEX);
    CU_ASSERT_EQUAL(mpr_array_set_slice(a, 0, 2, N, one), MPR_EVALUE);
    CU_ASSERT_STRING_EQUAL(mpr_last_error_detail(),
                           "Can only assign sequence of same size");
    CU_ASSERT_EQUAL(mpr_array_set_item(a, 0, x), MPR_ETYPE);
    CU_ASSERT_STRING_EQUAL(mpr_last_error_detail(),
                           "'str' object cannot be interpreted as an integer");
    CU_ASSERT_EQUAL(mpr_array_set_item(a, 0, big), 0);
    CU_ASSERT_EQUAL(mpr_array_get_item(a, 0, &o), 0);
    ASSERT_STR(repr_steal(o), "-2147483648");
    CU_ASSERT_EQUAL(mpr_array_set_slice(a, N, N, 2, nines), 0);
    ASSERT_STR(slice(a, ALL), "[9, 1, 9, 3, 9, 5, 9, 7, 9, 9]");
    CU_ASSERT_EQUAL(mpr_array_set_slice(a, N, N, 2, one), MPR_EVALUE);
    CU_ASSERT_EQUAL(mpr_array_set_slice(a, 0, 1, N, big), MPR_EVALUE);
    CU_ASSERT_STRING_EQUAL(mpr_last_error_detail(),
                           "Can only assign sequence of same size");
    CU_ASSERT_EQUAL(mpr_array_set_slice(a, N, N, -2, nines), 0);
    CU_ASSERT_EQUAL(mpr_array_get_value(a, &o), MPR_EATTR);
    CU_ASSERT_STRING_EQUAL(
        mpr_last_error_detail(),
        "'SynchronizedArray' object has no attribute 'value'");
    mpr_array_free(a);
    mpr_obj_decref(r10);
    mpr_obj_decref(one);
    mpr_obj_decref(big);
    mpr_obj_decref(x);
    mpr_obj_decref(nines);
}

static char *array_slice_of(const char *code, mpr_obj_t *init)
{
    mpr_array_t *a;
    char *s = NULL;

    if (mpr_array_new(&a, code, init, NULL) == 0) {
        s = slice(a, ALL);
        mpr_array_free(a);
    }
    mpr_obj_decref(init);
    return s;
}

static void test_sharedctypes_array_initialisers(void)
{
    mpr_array_t *a;
    mpr_obj_t *o;

    ASSERT_STR(array_slice_of("i", mpr_obj_int(3)), "[0, 0, 0]");
    ASSERT_STR(array_slice_of("i", mpr_obj_int(0)), "[]");
    ASSERT_STR(array_slice_of("d", mpr_obj_list_of_steal(2, mpr_obj_int(1),
                                                         mpr_obj_int(2))),
               "[1.0, 2.0]");
    ASSERT_STR(array_slice_of("b", mpr_obj_bytes("ab", 2)), "[97, 98]");
    ASSERT_STR(
        array_slice_of("f", mpr_obj_list_of_steal(1, mpr_obj_float(0.1))),
        "[0.10000000149011612]");
    ASSERT_STR(array_slice_of("u", mpr_obj_str("h\xc3\xa9")), "'h\xc3\xa9'");
    ASSERT_STR(array_slice_of("u", mpr_obj_int(3)), "'\\x00\\x00\\x00'");
    o = mpr_obj_int(-1);
    CU_ASSERT_EQUAL(mpr_array_new(&a, "i", o, NULL), MPR_EVALUE);
    CU_ASSERT_STRING_EQUAL(mpr_last_error_detail(),
                           "Array length must be >= 0, not -1");
    mpr_obj_decref(o);
    o = mpr_obj_float(3.0);
    CU_ASSERT_EQUAL(mpr_array_new(&a, "i", o, NULL), MPR_ETYPE);
    CU_ASSERT_STRING_EQUAL(mpr_last_error_detail(),
                           "object of type 'float' has no len()");
    mpr_obj_decref(o);
    o = mpr_obj_list_of_steal(1, mpr_obj_float(1.5));
    CU_ASSERT_EQUAL(mpr_array_new(&a, "i", o, NULL), MPR_ETYPE);
    CU_ASSERT_STRING_EQUAL(
        mpr_last_error_detail(),
        "'float' object cannot be interpreted as an integer");
    mpr_obj_decref(o);
    o = mpr_obj_str("ab");
    CU_ASSERT_EQUAL(mpr_array_new(&a, "c", o, NULL), MPR_ETYPE);
    CU_ASSERT_STRING_EQUAL(
        mpr_last_error_detail(),
        "one character bytes, bytearray or integer expected");
    mpr_obj_decref(o);
    /* Size 0 is an array; [0] is out of range. */
    o = mpr_obj_int(0);
    CU_ASSERT_EQUAL_FATAL(mpr_array_new(&a, "i", o, NULL), 0);
    mpr_obj_decref(o);
    CU_ASSERT_EQUAL(mpr_array_len(a), 0);
    CU_ASSERT_EQUAL(mpr_array_get_item(a, 0, &o), MPR_EINDEX);
    mpr_array_free(a);
}

static void test_sharedctypes_char_array_value_and_raw(void)
{
    mpr_obj_t *hello = mpr_obj_bytes("hello", 5), *o = NULL, *b;
    mpr_array_t *c;

    CU_ASSERT_EQUAL_FATAL(mpr_array_new(&c, "c", hello, NULL), 0);
    CU_ASSERT_EQUAL(mpr_array_get_value(c, &o), 0);
    ASSERT_STR(repr_steal(o), "b'hello'");
    CU_ASSERT_EQUAL(mpr_array_get_raw(c, &o), 0);
    ASSERT_STR(repr_steal(o), "b'hello'");
    ASSERT_STR(slice(c, ALL), "b'hello'");
    ASSERT_STR(slice(c, 1, N, N), "b'ello'");
    CU_ASSERT_EQUAL(mpr_array_get_item(c, 0, &o), 0);
    ASSERT_STR(repr_steal(o), "b'h'");
    b = mpr_obj_bytes("hi", 2);
    CU_ASSERT_EQUAL(mpr_array_set_value(c, b), 0);
    mpr_obj_decref(b);
    CU_ASSERT_EQUAL(mpr_array_get_raw(c, &o), 0);
    ASSERT_STR(repr_steal(o), "b'hi\\x00lo'");
    CU_ASSERT_EQUAL(mpr_array_get_value(c, &o), 0);
    ASSERT_STR(repr_steal(o), "b'hi'");
    b = mpr_obj_bytes("toolong", 7);
    CU_ASSERT_EQUAL(mpr_array_set_value(c, b), MPR_EVALUE);
    CU_ASSERT_STRING_EQUAL(mpr_last_error_detail(), "byte string too long");
    CU_ASSERT_EQUAL(mpr_array_set_raw(c, b), MPR_EVALUE);
    mpr_obj_decref(b);
    b = mpr_obj_bytes("1", 1);
    CU_ASSERT_EQUAL(mpr_array_set_raw(c, b), 0);
    mpr_obj_decref(b);
    ASSERT_STR(slice(c, ALL), "b'1i\\x00lo'");
    b = mpr_obj_bytes("xy", 2);
    CU_ASSERT_EQUAL(mpr_array_set_slice(c, 0, 2, N, b), 0);
    mpr_obj_decref(b);
    ASSERT_STR(slice(c, ALL), "b'xy\\x00lo'");
    mpr_array_free(c);
    mpr_obj_decref(hello);
    o = mpr_obj_int(10);
    CU_ASSERT_EQUAL_FATAL(mpr_array_new(&c, "c", o, NULL), 0);
    mpr_obj_decref(o);
    CU_ASSERT_EQUAL(mpr_array_get_value(c, &o), 0);
    ASSERT_STR(repr_steal(o), "b''");
    mpr_array_free(c);
}

static void check_array_repr(const char *code, int n, int raw,
                             const char *wrapper, const char *ctype)
{
    mpr_obj_t *size = mpr_obj_int(n);
    mpr_array_t *a;
    char *s = NULL, inner[128], want[192];

    if (raw)
        CU_ASSERT_EQUAL_FATAL(mpr_rawarray_new(&a, code, size), 0)
    else
        CU_ASSERT_EQUAL_FATAL(mpr_array_new(&a, code, size, NULL), 0)
    snprintf(inner, sizeof(inner),
             "<multiprocessing.sharedctypes.%s_Array_%d object at %p>", ctype,
             n, (void *)a);
    if (raw)
        snprintf(want, sizeof(want), "%s", inner);
    else
        snprintf(want, sizeof(want), "<%s wrapper for %s>", wrapper, inner);
    CU_ASSERT_EQUAL(mpr_array_repr(a, &s, NULL), 0);
    ASSERT_STR(s, want);
    CU_ASSERT_EQUAL(mpr_array_obj_repr(a, &s, NULL), 0);
    ASSERT_STR(s, inner);
    CU_ASSERT_EQUAL(mpr_array_typecode(a), code[0]);
    snprintf(want, sizeof(want), "%s_Array_%d", ctype, n);
    CU_ASSERT_STRING_EQUAL(mpr_array_obj_type_name(a), want);
    mpr_array_free(a);
    mpr_obj_decref(size);
}

static void test_sharedctypes_array_reprs(void)
{
    check_array_repr("i", 10, 0, "SynchronizedArray", "c_int");
    check_array_repr("i", 0, 0, "SynchronizedArray", "c_int");
    check_array_repr("c", 5, 0, "SynchronizedString", "c_char");
    check_array_repr("u", 3, 0, "SynchronizedArray", "c_wchar");
    check_array_repr("i", 3, 1, NULL, "c_int");
    check_array_repr("q", 2, 1, NULL, "c_long");
}

static void test_sharedctypes_huge_array(void)
{
    mpr_obj_t *n = mpr_obj_int(10000000), *o = NULL;
    mpr_array_t *a;
    double d;

    CU_ASSERT_EQUAL_FATAL(mpr_array_new(&a, "d", n, NULL), 0);
    mpr_obj_decref(n);
    CU_ASSERT_EQUAL(mpr_array_len(a), 10000000);
    CU_ASSERT_EQUAL(mpr_array_set_double(a, -1, 2.5), 0);
    CU_ASSERT_EQUAL(mpr_array_get_double(a, 9999999, &d), 0);
    CU_ASSERT_EQUAL(d, 2.5);
    CU_ASSERT_EQUAL(mpr_array_get_double(a, 5000000, &d), 0);
    CU_ASSERT_EQUAL(d, 0.0);
    CU_ASSERT_EQUAL(mpr_array_get_item(a, 10000000, &o), MPR_EINDEX);
    ASSERT_STR(slice(a, -2, N, N), "[0.0, 2.5]");
    mpr_array_free(a);
}

/* The spec case: two processes x 10000 `v.value += 1` under get_lock(). */
static int child_add(void *arg)
{
    int64_t x;

    (void)arg;
    for (int i = 0; i < 10000; i++) {
        if (mpr_value_acquire(val, 1, MPR_TIMEOUT_NONE) != 1)
            return 1;
        mpr_value_get_int64(val, &x);
        mpr_value_set_int64(val, x + 1);
        mpr_value_release(val);
    }
    return 0;
}

static void test_sharedctypes_locked_increments_across_processes(void)
{
    pid_t a, b;

    CU_ASSERT_EQUAL_FATAL(mpr_value_new(&val, "i", NULL, NULL), 0);
    a = mprtest_fork(child_add, NULL);
    b = mprtest_fork(child_add, NULL);
    CU_ASSERT_EQUAL(mprtest_wait(a, 60), 0);
    CU_ASSERT_EQUAL(mprtest_wait(b, 60), 0);
    ASSERT_STR(value_get(val), "20000");
    mpr_value_free(val);
}

/* The document's example, with the objects rebuilt from tokens. */
static int child_negate(void *arg)
{
    mpr_obj_t **toks = arg;
    mpr_value_t *n;
    mpr_array_t *a;
    int64_t x;

    if (mpr_value_rebuild(&n, toks[0]) || mpr_array_rebuild(&a, toks[1]))
        return 1;
    mpr_value_set_double(n, 3.1415927);
    for (size_t i = 0; i < mpr_array_len(a); i++) {
        mpr_array_get_int64(a, (ptrdiff_t)i, &x);
        mpr_array_set_int64(a, (ptrdiff_t)i, -x);
    }
    mpr_value_free(n);
    mpr_array_free(a);
    return 0;
}

static void test_sharedctypes_tokens_share_with_child(void)
{
    mpr_obj_t *r10 = range_list(10), *toks[2], *bad;
    mpr_value_t *raw;

    CU_ASSERT_EQUAL_FATAL(mpr_value_new(&val, "d", NULL, NULL), 0);
    CU_ASSERT_EQUAL_FATAL(mpr_array_new(&arr, "i", r10, NULL), 0);
    CU_ASSERT_EQUAL(mpr_value_reduce(val, &toks[0]), 0);
    CU_ASSERT_EQUAL(mpr_array_reduce(arr, &toks[1]), 0);
    CU_ASSERT_EQUAL(mprtest_run_child(child_negate, toks, 10), 0);
    ASSERT_STR(value_get(val), "3.1415927");
    ASSERT_STR(slice(arr, ALL), "[0, -1, -2, -3, -4, -5, -6, -7, -8, -9]");
    CU_ASSERT_EQUAL(mpr_value_rebuild(&raw, toks[1]), MPR_EVALUE);
    bad = mpr_obj_str("Vd1|-|1:2");
    CU_ASSERT_EQUAL(mpr_value_rebuild(&raw, bad), MPR_EVALUE);
    mpr_obj_decref(bad);
    mpr_obj_decref(toks[0]);
    mpr_obj_decref(toks[1]);
    mpr_obj_decref(r10);
    mpr_value_free(val);
    mpr_array_free(arr);
    /* A raw value's token carries no lock. */
    CU_ASSERT_EQUAL_FATAL(mpr_rawvalue_new(&raw, "i", NULL), 0);
    CU_ASSERT_EQUAL(mpr_value_reduce(raw, &toks[0]), 0);
    CU_ASSERT_EQUAL(mpr_value_rebuild(&val, toks[0]), 0);
    CU_ASSERT_EQUAL(mpr_value_set_int64(val, 42), 0);
    ASSERT_STR(value_get(raw), "42");
    CU_ASSERT_PTR_NULL(mpr_value_get_lock(val));
    mpr_value_free(val);
    mpr_value_free(raw);
    mpr_obj_decref(toks[0]);
}

/* ---- Structures ---------------------------------------------------------- */

static const mpr_field_t b_fields[] = {{"c", "c"}, {"d", "d"}, {"h", "h"}};
static const mpr_struct_type_t B = {"B", b_fields, 3};

static char *field_get(mpr_struct_t *s, const char *f)
{
    mpr_obj_t *o = NULL;

    if (mpr_struct_get(s, f, &o) < 0)
        return NULL;
    return repr_steal(o);
}

/* The child: foo.h = -7 through a token. */
static int child_set_h(void *tok)
{
    mpr_struct_t *s;
    mpr_obj_t *v = mpr_obj_int(-7);
    int r;

    if (mpr_struct_rebuild(&s, tok) < 0)
        return 1;
    r = mpr_struct_set(s, "h", v) < 0 ? 2 : 0;
    mpr_obj_decref(v);
    mpr_struct_free(s);
    return r;
}

/* Value(B, b'x', 2.5): ctypes' layout (sizeof 24: c at 0, d at 8, h at
 * 16), positional initialisers, SynchronizedB's field properties and its
 * errors; the token gives a child the same object; copy() is separate. */
static void test_sharedctypes_structure_value(void)
{
    mpr_obj_t *args =
        mpr_obj_tuple_steal(2, mpr_obj_bytes("x", 1), mpr_obj_float(2.5));
    mpr_obj_t *four = mpr_obj_tuple_steal(4, mpr_obj_int(1), mpr_obj_int(2),
                                          mpr_obj_int(3), mpr_obj_int(4));
    mpr_obj_t *str = mpr_obj_str("s"), *tok = NULL, *bad;
    mpr_struct_t *s, *raw, *copy;

    CU_ASSERT_EQUAL_FATAL(mpr_struct_value_new(&s, &B, args, NULL), 0);
    CU_ASSERT_EQUAL(mpr_struct_sizeof(s), 24);
    CU_ASSERT_STRING_EQUAL(mpr_struct_type_name(s), "SynchronizedB");
    ASSERT_STR(field_get(s, "c"), "b'x'");
    ASSERT_STR(field_get(s, "d"), "2.5");
    ASSERT_STR(field_get(s, "h"), "0");
    CU_ASSERT_EQUAL(mpr_struct_get(s, "w", &bad), MPR_EATTR);
    CU_ASSERT_STRING_EQUAL(mpr_last_error_detail(),
                           "'SynchronizedB' object has no attribute 'w'");
    CU_ASSERT_EQUAL(mpr_struct_set(s, "h", str), MPR_ETYPE);
    CU_ASSERT_STRING_EQUAL(mpr_last_error_detail(),
                           "'str' object cannot be interpreted as an integer");
    CU_ASSERT_PTR_NOT_NULL(mpr_struct_get_lock(s));
    CU_ASSERT_EQUAL(mpr_struct_acquire(s, 1, MPR_TIMEOUT_NONE), 1);
    CU_ASSERT_EQUAL(mpr_struct_release(s), 0);
    CU_ASSERT_EQUAL(mpr_struct_reduce(s, &tok), 0);
    CU_ASSERT_EQUAL(mprtest_run_child(child_set_h, tok, 10), 0);
    ASSERT_STR(field_get(s, "h"), "-7");
    CU_ASSERT_EQUAL(mpr_struct_copy(&copy, s), 0);
    CU_ASSERT_STRING_EQUAL(mpr_struct_type_name(copy), "B");
    CU_ASSERT_EQUAL(mpr_struct_set(s, "d", mpr_obj_item(four, 0)), 0);
    ASSERT_STR(field_get(copy, "d"), "2.5");
    ASSERT_STR(field_get(copy, "h"), "-7");
    CU_ASSERT_PTR_NULL(mpr_struct_get_lock(copy));
    CU_ASSERT_STRING_EQUAL(mpr_last_error_detail(),
                           "'B' object has no attribute 'get_lock'");
    CU_ASSERT_EQUAL(mpr_struct_release(copy), MPR_EATTR);
    mpr_struct_free(copy);
    /* errors of the type and of the initialisers */
    CU_ASSERT_EQUAL(mpr_struct_value_new(&raw, &B, four, NULL), MPR_ETYPE);
    CU_ASSERT_STRING_EQUAL(mpr_last_error_detail(), "too many initializers");
    CU_ASSERT_PTR_NULL(raw);
    {
        static const mpr_field_t badf[] = {{"a", "i"}, {"b", "x"}};
        static const mpr_field_t dup[] = {{"a", "i"}, {"a", "d"}};
        static const mpr_field_t notid[] = {{"a,b", "i"}};
        const mpr_struct_type_t t1 = {"T", badf, 2}, t2 = {"T", dup, 2},
                                t3 = {"T", notid, 1}, t4 = {"T;", badf, 1};

        CU_ASSERT_EQUAL(mpr_struct_value_new(&raw, &t1, NULL, NULL), MPR_ETYPE);
        CU_ASSERT_STRING_EQUAL(mpr_last_error_detail(),
                               "second item in _fields_ tuple (index 1) must "
                               "be a C type");
        CU_ASSERT_EQUAL(mpr_struct_value_new(&raw, &t2, NULL, NULL),
                        MPR_EVALUE);
        CU_ASSERT_EQUAL(mpr_struct_value_new(&raw, &t3, NULL, NULL),
                        MPR_EVALUE);
        CU_ASSERT_EQUAL(mpr_struct_value_new(&raw, &t4, NULL, NULL),
                        MPR_EVALUE);
    }
    /* tokens: another object's, a layout larger than the segment, a
     * malformed layout */
    {
        const char *text = mpr_obj_str_utf8(tok, NULL);
        const char *body = strchr(text, ';');
        char forged[512];
        mpr_obj_t *t;
        mpr_value_t *v;

        CU_ASSERT_EQUAL(mpr_value_new(&v, "i", NULL, NULL), 0);
        CU_ASSERT_EQUAL(mpr_value_reduce(v, &t), 0);
        CU_ASSERT_EQUAL(mpr_struct_rebuild(&raw, t), MPR_EVALUE);
        mpr_obj_decref(t);
        mpr_value_free(v);
        snprintf(forged, sizeof(forged), "SB:c=c,d=d,h=h,e=d%s", body);
        t = mpr_obj_str(forged); /* 32 bytes over a 24-byte segment */
        CU_ASSERT_EQUAL(mpr_struct_rebuild(&raw, t), MPR_EVALUE);
        CU_ASSERT_STRING_EQUAL(mpr_last_error_detail(), "bad shared handle");
        mpr_obj_decref(t);
        snprintf(forged, sizeof(forged), "SB:c=c,d=,h=h%s", body);
        t = mpr_obj_str(forged);
        CU_ASSERT_EQUAL(mpr_struct_rebuild(&raw, t), MPR_EVALUE);
        mpr_obj_decref(t);
        snprintf(forged, sizeof(forged), "SB:c=c,d=d,h=h");
        t = mpr_obj_str(forged);
        CU_ASSERT_EQUAL(mpr_struct_rebuild(&raw, t), MPR_EVALUE);
        mpr_obj_decref(t);
    }
    mpr_obj_decref(tok);
    mpr_obj_decref(args);
    mpr_obj_decref(four);
    mpr_obj_decref(str);
    mpr_struct_free(s);
}

/* v.value = x converts as ctypes does on assignment; a failed assignment
 * leaves the old value. */
static void test_sharedctypes_value_set_converts_like_ctypes(void)
{
    mpr_value_t *v;
    mpr_obj_t *o;

    CU_ASSERT_EQUAL_FATAL(mpr_value_new(&v, "i", NULL, NULL), 0);
    o = mpr_obj_int(INT64_C(2147483648));
    CU_ASSERT_EQUAL(mpr_value_set(v, o), 0); /* wraps */
    mpr_obj_decref(o);
    ASSERT_STR(value_get(v), "-2147483648");
    CU_ASSERT_EQUAL(mpr_value_set(v, mpr_obj_bool(1)), 0);
    ASSERT_STR(value_get(v), "1");
    o = mpr_obj_float(1.5);
    CU_ASSERT_EQUAL(mpr_value_set(v, o), MPR_ETYPE);
    CU_ASSERT_STRING_EQUAL(mpr_last_error_detail(),
                           "'float' object cannot be interpreted as an "
                           "integer");
    mpr_obj_decref(o);
    ASSERT_STR(value_get(v), "1");
    mpr_value_free(v);

    /* 'u' is a 4-byte wchar_t: every UTF-8 length round-trips */
    CU_ASSERT_EQUAL_FATAL(mpr_value_new(&v, "u", NULL, NULL), 0);
    {
        static const char *chars[][2] = {
            {"\xc3\xa9", "'\xc3\xa9'"},
            {"\xe2\x82\xac", "'\xe2\x82\xac'"},
            {"\xf0\x9f\x98\x80", "'\xf0\x9f\x98\x80'"}};
        for (size_t i = 0; i < 3; i++) {
            o = mpr_obj_str(chars[i][0]);
            CU_ASSERT_EQUAL(mpr_value_set(v, o), 0);
            mpr_obj_decref(o);
            ASSERT_STR(value_get(v), chars[i][1]);
        }
    }
    ASSERT_STR(value_repr(v),
               "<Synchronized wrapper for c_wchar('\xf0\x9f\x98\x80')>");
    o = mpr_obj_bytes("x", 1);
    CU_ASSERT_EQUAL(mpr_value_set(v, o), MPR_ETYPE);
    CU_ASSERT_STRING_EQUAL(mpr_last_error_detail(),
                           "unicode string expected instead of bytes "
                           "instance");
    mpr_obj_decref(o);
    o = mpr_obj_str("ab");
    CU_ASSERT_EQUAL(mpr_value_set(v, o), MPR_ETYPE);
    CU_ASSERT_STRING_EQUAL(mpr_last_error_detail(),
                           "one character unicode string expected");
    mpr_obj_decref(o);
    mpr_value_free(v);

    /* 'c' takes one byte or an int in range(256), not a str */
    CU_ASSERT_EQUAL_FATAL(mpr_value_new(&v, "c", NULL, NULL), 0);
    o = mpr_obj_int(65);
    CU_ASSERT_EQUAL(mpr_value_set(v, o), 0);
    mpr_obj_decref(o);
    ASSERT_STR(value_get(v), "b'A'");
    o = mpr_obj_str("x");
    CU_ASSERT_EQUAL(mpr_value_set(v, o), MPR_ETYPE);
    CU_ASSERT_STRING_EQUAL(mpr_last_error_detail(),
                           "one character bytes, bytearray or integer "
                           "expected");
    mpr_obj_decref(o);
    mpr_value_free(v);

    /* a raw 'd' takes ints and refuses str */
    CU_ASSERT_EQUAL_FATAL(mpr_rawvalue_new(&v, "d", NULL), 0);
    o = mpr_obj_int(2);
    CU_ASSERT_EQUAL(mpr_value_set(v, o), 0);
    mpr_obj_decref(o);
    ASSERT_STR(value_repr(v), "c_double(2.0)");
    o = mpr_obj_str("x");
    CU_ASSERT_EQUAL(mpr_value_set(v, o), MPR_ETYPE);
    CU_ASSERT_STRING_EQUAL(mpr_last_error_detail(),
                           "must be real number, not str");
    mpr_obj_decref(o);
    mpr_value_free(v);
}

/* The lock methods of an Array, the wrapper's and a raw array's
 * AttributeErrors, the shared buffer, and the setters' type errors
 * (.value and .raw of c_char arrays differ), as /usr/bin/python3 says. */
static void test_sharedctypes_array_lock_buffer_and_setter_errors(void)
{
    mpr_array_t *a, *r, *c;
    mpr_obj_t *three = mpr_obj_int(3), *o = NULL, *s = mpr_obj_str("x"),
              *one = mpr_obj_int(1);
    int *p;

    CU_ASSERT_EQUAL_FATAL(mpr_array_new(&a, "i", three, NULL), 0);
    CU_ASSERT_EQUAL(mpr_array_acquire(a, 1, MPR_TIMEOUT_NONE), 1);
    CU_ASSERT_EQUAL(mpr_array_acquire(a, 0, 0), 1); /* an RLock */
    CU_ASSERT_EQUAL(mpr_array_release(a), 0);
    CU_ASSERT_EQUAL(mpr_array_release(a), 0);
    CU_ASSERT_EQUAL(mpr_array_get_raw(a, &o), MPR_EATTR);
    CU_ASSERT_STRING_EQUAL(mpr_last_error_detail(),
                           "'SynchronizedArray' object has no attribute 'raw'");
    /* the buffer is the shared memory the items live in */
    p = mpr_array_buffer(a);
    CU_ASSERT_FATAL(p != NULL);
    p[2] = 42;
    CU_ASSERT_EQUAL(mpr_array_get_item(a, -1, &o), 0);
    ASSERT_STR(repr_steal(o), "42");

    CU_ASSERT_EQUAL_FATAL(mpr_rawarray_new(&r, "i", three), 0);
    CU_ASSERT_PTR_NULL(mpr_array_get_lock(r));
    CU_ASSERT_STRING_EQUAL(mpr_last_error_detail(),
                           "'c_int_Array_3' object has no attribute "
                           "'get_lock'");
    CU_ASSERT_EQUAL(mpr_array_acquire(r, 1, MPR_TIMEOUT_NONE), MPR_EATTR);
    CU_ASSERT_STRING_EQUAL(mpr_last_error_detail(),
                           "'c_int_Array_3' object has no attribute "
                           "'acquire'");
    CU_ASSERT_EQUAL(mpr_array_release(r), MPR_EATTR);
    CU_ASSERT_STRING_EQUAL(mpr_last_error_detail(),
                           "'c_int_Array_3' object has no attribute "
                           "'release'");
    CU_ASSERT_EQUAL(mpr_array_get_raw(r, &o), MPR_EATTR);
    CU_ASSERT_STRING_EQUAL(mpr_last_error_detail(),
                           "'c_int_Array_3' object has no attribute 'raw'");

    CU_ASSERT_EQUAL_FATAL(mpr_rawarray_new(&c, "c", three), 0);
    CU_ASSERT_EQUAL(mpr_array_set_value(c, s), MPR_ETYPE);
    CU_ASSERT_STRING_EQUAL(mpr_last_error_detail(),
                           "bytes expected instead of str instance");
    CU_ASSERT_EQUAL(mpr_array_set_value(c, one), MPR_ETYPE);
    CU_ASSERT_STRING_EQUAL(mpr_last_error_detail(),
                           "bytes expected instead of int instance");
    CU_ASSERT_EQUAL(mpr_array_set_raw(c, s), MPR_ETYPE);
    CU_ASSERT_STRING_EQUAL(mpr_last_error_detail(),
                           "a bytes-like object is required, not 'str'");
    mpr_array_free(a);
    mpr_array_free(r);
    mpr_array_free(c);
    mpr_obj_decref(three);
    mpr_obj_decref(s);
    mpr_obj_decref(one);
}

/* The int64 accessors of 'c' (the byte) and 'u' (the code point), the
 * float codes refusing them, a 'Q' past 2**63-1 (the documented
 * OverflowError), and a raw value's lock methods. */
static void test_sharedctypes_typed_accessors_of_chars_and_unsigned(void)
{
    mpr_value_t *v;
    int64_t i = 0;
    char *r;
    size_t n;

    CU_ASSERT_EQUAL_FATAL(mpr_value_new(&v, "c", NULL, NULL), 0);
    CU_ASSERT_EQUAL(mpr_value_set_int64(v, 'A'), 0);
    CU_ASSERT_EQUAL(mpr_value_get_int64(v, &i), 0);
    CU_ASSERT_EQUAL(i, 65);
    mpr_value_free(v);
    CU_ASSERT_EQUAL_FATAL(mpr_value_new(&v, "u", NULL, NULL), 0);
    CU_ASSERT_EQUAL(mpr_value_set_int64(v, 0x20ac), 0);
    ASSERT_STR(value_get(v), "'\xe2\x82\xac'");
    CU_ASSERT_EQUAL(mpr_value_get_int64(v, &i), 0);
    CU_ASSERT_EQUAL(i, 0x20ac);
    mpr_value_free(v);
    CU_ASSERT_EQUAL_FATAL(mpr_value_new(&v, "d", NULL, NULL), 0);
    CU_ASSERT_EQUAL(mpr_value_set_int64(v, 1), MPR_ETYPE);
    CU_ASSERT_STRING_EQUAL(mpr_last_error_detail(),
                           "c_double is not an integer type");
    mpr_value_free(v);
    CU_ASSERT_EQUAL_FATAL(mpr_value_new(&v, "Q", NULL, NULL), 0);
    CU_ASSERT_EQUAL(mpr_value_set_int64(v, -1), 0); /* 2**64 - 1 */
    CU_ASSERT_EQUAL(mpr_value_get_int64(v, &i), MPR_EOVERFLOW);
    CU_ASSERT_STRING_EQUAL(mpr_last_error_detail(),
                           "int too large for libmpref");
    mpr_value_free(v);
    CU_ASSERT_EQUAL_FATAL(mpr_rawvalue_new(&v, "i", NULL), 0);
    CU_ASSERT_EQUAL(mpr_value_acquire(v, 1, MPR_TIMEOUT_NONE), MPR_EATTR);
    CU_ASSERT_STRING_EQUAL(mpr_last_error_detail(),
                           "'c_int' object has no attribute 'acquire'");
    CU_ASSERT_EQUAL(mpr_value_release(v), MPR_EATTR);
    CU_ASSERT_STRING_EQUAL(mpr_last_error_detail(),
                           "'c_int' object has no attribute 'release'");
    CU_ASSERT_EQUAL(mpr_value_repr(v, &r, &n), 0);
    CU_ASSERT_STRING_EQUAL(r, "c_int(0)");
    CU_ASSERT_EQUAL(n, 8);
    mpr_free(r);
    mpr_value_free(v);
}

static int rebuild_array_str(const char *tok)
{
    mpr_obj_t *o = mpr_obj_str(tok);
    mpr_array_t *a = NULL;
    int rc = mpr_array_rebuild(&a, o);

    if (rc == 0)
        mpr_array_free(a);
    mpr_obj_decref(o);
    return rc;
}

/* An Array token is "A" <typecode> <length> "|" <lock or -> "|" <segment>:
 * a raw array's rebuilds without a lock, and each malformed part (tag,
 * typecode, separators, lock, trailing bytes, a length past the segment)
 * is "bad shared handle". */
static void test_sharedctypes_array_tokens_checked(void)
{
    mpr_array_t *a, *raw, *back = NULL;
    mpr_obj_t *ten = mpr_obj_int(10), *tok, *rtok, *o = NULL;
    char t[256], v[300];
    const char *bar1, *bar2;

    CU_ASSERT_EQUAL_FATAL(mpr_array_new(&a, "i", ten, NULL), 0);
    CU_ASSERT_EQUAL_FATAL(mpr_rawarray_new(&raw, "d", ten), 0);
    CU_ASSERT_EQUAL_FATAL(mpr_array_reduce(a, &tok), 0);
    CU_ASSERT_EQUAL_FATAL(mpr_array_reduce(raw, &rtok), 0);
    CU_ASSERT_NSTRING_EQUAL(mpr_obj_str_utf8(rtok, NULL), "Ad10|-|", 7);
    CU_ASSERT_EQUAL(mpr_array_set_double(raw, 9, 2.5), 0);
    CU_ASSERT_EQUAL_FATAL(mpr_array_rebuild(&back, rtok), 0);
    CU_ASSERT_PTR_NULL(mpr_array_get_lock(back));
    CU_ASSERT_EQUAL(mpr_array_get_item(back, 9, &o), 0);
    ASSERT_STR(repr_steal(o), "2.5");
    mpr_array_free(back);

    snprintf(t, sizeof(t), "%s", mpr_obj_str_utf8(tok, NULL));
    bar1 = strchr(t, '|');
    bar2 = bar1 ? strchr(bar1 + 1, '|') : NULL;
    CU_ASSERT_FATAL(t[0] == 'A' && t[1] == 'i' && bar2 != NULL);
    CU_ASSERT_EQUAL(rebuild_array_str(t), 0);
    snprintf(v, sizeof(v), "V%s", t + 1);
    CU_ASSERT_EQUAL(rebuild_array_str(v), MPR_EVALUE);
    snprintf(v, sizeof(v), "Az%s", t + 2);
    CU_ASSERT_EQUAL(rebuild_array_str(v), MPR_EVALUE);
    snprintf(v, sizeof(v), "Ai10#%s", bar1 + 1);
    CU_ASSERT_EQUAL(rebuild_array_str(v), MPR_EVALUE);
    snprintf(v, sizeof(v), "Ai10|Sx@1:2:3:4%s", bar2);
    CU_ASSERT_EQUAL(rebuild_array_str(v), MPR_EVALUE);
    snprintf(v, sizeof(v), "%.*s#%s", (int)(bar2 - t), t, bar2 + 1);
    CU_ASSERT_EQUAL(rebuild_array_str(v), MPR_EVALUE);
    snprintf(v, sizeof(v), "%s~", t);
    CU_ASSERT_EQUAL(rebuild_array_str(v), MPR_EVALUE);
    snprintf(v, sizeof(v), "Ai100000%s", bar1);
    CU_ASSERT_EQUAL(rebuild_array_str(v), MPR_EVALUE);
    CU_ASSERT_STRING_EQUAL(mpr_last_error_detail(), "bad shared handle");
    mpr_obj_decref(tok);
    mpr_obj_decref(rtok);
    mpr_obj_decref(ten);
    mpr_array_free(a);
    mpr_array_free(raw);
}

int mprtest_register(CU_pSuite s)
{
    MPRTEST_ADD(s, test_sharedctypes_value_set_converts_like_ctypes,
                "Value.value = x converts, wraps and refuses as ctypes");
    MPRTEST_ADD(s, test_sharedctypes_zero_values_of_every_typecode,
                "every typecode's zero Value and RawValue repr as CPython");
    MPRTEST_ADD(s, test_sharedctypes_value_double_and_lock,
                "Value('d', 3.1415927): value, repr, get_obj, RLock");
    MPRTEST_ADD(s, test_sharedctypes_bad_typecode_has_no_size,
                "a bad typecode is TypeError 'this type has no size'");
    MPRTEST_ADD(s, test_sharedctypes_conversion_errors,
                "wrong initial values give ctypes' TypeErrors");
    MPRTEST_ADD(s, test_sharedctypes_values_wrap_like_ctypes,
                "out-of-range values wrap and floats round as ctypes");
    MPRTEST_ADD(s, test_sharedctypes_typed_accessors_of_chars_and_unsigned,
                "int64 accessors of 'c' and 'u', 'd' refuses them, 'Q' past "
                "2**63-1, raw value lock methods");
    MPRTEST_ADD(s, test_sharedctypes_typed_accessors,
                "int64 and double accessors convert and refuse like ctypes");
    MPRTEST_ADD(s, test_sharedctypes_lock_value,
                "lock= as a value (True, None, False, a lock, a non-lock), "
                "get_obj()");
    MPRTEST_ADD(s, test_sharedctypes_lock_argument,
                "lock=False is raw; lock=<Lock> is used as is");
    MPRTEST_ADD(s, test_sharedctypes_array_slicing,
                "Array indexing and slicing follow Python's rules");
    MPRTEST_ADD(s, test_sharedctypes_array_index_errors,
                "Array index, slice-size and type errors as CPython");
    MPRTEST_ADD(s, test_sharedctypes_array_initialisers,
                "Array from a size or a sequence, and its errors");
    MPRTEST_ADD(s, test_sharedctypes_char_array_value_and_raw,
                "char arrays: value, raw and their errors");
    MPRTEST_ADD(s, test_sharedctypes_array_lock_buffer_and_setter_errors,
                "Array lock methods, raw arrays' AttributeErrors, the buffer, "
                "value/raw type errors");
    MPRTEST_ADD(s, test_sharedctypes_array_reprs,
                "Array reprs: SynchronizedArray, SynchronizedString, raw");
    MPRTEST_ADD(s, test_sharedctypes_huge_array,
                "an Array of 10**7 doubles is zero-filled and indexable");
    MPRTEST_ADD(s, test_sharedctypes_locked_increments_across_processes,
                "two processes x 10000 locked increments give 20000");
    MPRTEST_ADD(s, test_sharedctypes_array_tokens_checked,
                "a raw Array's token rebuilds lockless; each malformed part "
                "of a token is 'bad shared handle'");
    MPRTEST_ADD(s, test_sharedctypes_structure_value,
                "Value of a Structure: ctypes' layout, fields, errors, a "
                "token to a child, copy()");
    MPRTEST_ADD(s, test_sharedctypes_tokens_share_with_child,
                "tokens give a child the same Value and Array");
    return 0;
}
