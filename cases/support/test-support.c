/*
 * test-support.c - the case support library's helpers give what the
 * Python they stand for gives (the expected strings are CPython 3.11's
 * output for the same values).
 */
#include "support.h"

#include "mprtest.h"

#include <stdlib.h>
#include <string.h>

const char *mprtest_suite_name = "case-support";

/* repr(o) equals want; o is stolen (NULL fails). */
static void assert_repr(mpr_obj_t *o, const char *want)
{
    char *r = NULL;

    CU_ASSERT_PTR_NOT_NULL_FATAL(o);
    CU_ASSERT_EQUAL(mpr_obj_repr(o, &r, NULL), 0);
    CU_ASSERT_STRING_EQUAL(r, want);
    mpr_free(r);
    mpr_obj_decref(o);
}

static void test_bool(void)
{
    CU_ASSERT_STRING_EQUAL(case_bool(0), "False");
    CU_ASSERT_STRING_EQUAL(case_bool(2), "True");
}

static void test_sorted_numbers_stable(void)
{
    /* sorted([3, 1.5, True, 2, 1]): True == 1 keeps its place first */
    mpr_obj_t *l =
        mpr_obj_list_of_steal(5, mpr_obj_int(3), mpr_obj_float(1.5),
                              mpr_obj_bool(1), mpr_obj_int(2), mpr_obj_int(1));

    assert_repr(case_sorted(l), "[True, 1, 1.5, 2, 3]");
    mpr_obj_decref(l);
}

static void test_sorted_strs_and_tuples(void)
{
    mpr_obj_t *s = mpr_obj_list_of_steal(4, mpr_obj_str("b"), mpr_obj_str("é"),
                                         mpr_obj_str("a"), mpr_obj_str("ab"));
    mpr_obj_t *t = mpr_obj_list_of_steal(
        4, mpr_obj_tuple_steal(2, mpr_obj_int(2), mpr_obj_str("x")),
        mpr_obj_tuple_steal(2, mpr_obj_int(1), mpr_obj_str("z")),
        mpr_obj_tuple_steal(2, mpr_obj_int(1), mpr_obj_str("y")),
        mpr_obj_tuple_steal(1, mpr_obj_int(1)));

    assert_repr(case_sorted(s), "['a', 'ab', 'b', 'é']");
    assert_repr(case_sorted(t), "[(1,), (1, 'y'), (1, 'z'), (2, 'x')]");
    mpr_obj_decref(t);
    mpr_obj_decref(s);
}

static void test_sorted_unorderable(void)
{
    /* sorted([1, 'a']): TypeError */
    mpr_obj_t *l = mpr_obj_list_of_steal(2, mpr_obj_int(1), mpr_obj_str("a"));

    CU_ASSERT_PTR_NULL(case_sorted(l));
    mpr_obj_decref(l);
}

static void test_set_column_contains(void)
{
    /* set([3, 1, 3, 1.0, True, 2]) == {1, 2, 3}, first seen first */
    mpr_obj_t *l = mpr_obj_list_of_steal(6, mpr_obj_int(3), mpr_obj_int(1),
                                         mpr_obj_int(3), mpr_obj_float(1.0),
                                         mpr_obj_bool(1), mpr_obj_int(2));
    mpr_obj_t *rows = mpr_obj_list_of_steal(
        2, mpr_obj_tuple_steal(2, mpr_obj_int(1), mpr_obj_str("a")),
        mpr_obj_tuple_steal(2, mpr_obj_int(2), mpr_obj_str("b")));
    mpr_obj_t *four = mpr_obj_int(4), *two = mpr_obj_float(2.0);

    assert_repr(case_set(l), "[3, 1, 2]");
    assert_repr(case_column(rows, 1), "['a', 'b']");
    CU_ASSERT_EQUAL(case_contains(l, two), 1);
    CU_ASSERT_EQUAL(case_contains(l, four), 0);
    mpr_obj_decref(two);
    mpr_obj_decref(four);
    mpr_obj_decref(rows);
    mpr_obj_decref(l);
}

static void test_range_list(void)
{
    assert_repr(case_range_list(2, 5), "[2, 3, 4]");
    assert_repr(case_range_list(5, 5), "[]");
}

static void test_random_ranges(void)
{
    int seen[3] = {0, 0, 0}, in_range = 1;

    /* randint(3, 5) is inclusive at both ends; random() in [0, 1) */
    for (int i = 0; i < 3000; i++) {
        int r = case_randint(3, 5);
        double f = case_random();
        if (r < 3 || r > 5 || !(f >= 0.0 && f < 1.0))
            in_range = 0;
        else
            seen[r - 3]++;
    }
    CU_ASSERT_TRUE(in_range);
    CU_ASSERT_TRUE(seen[0] > 0 && seen[1] > 0 && seen[2] > 0);
}

int mprtest_register(CU_pSuite suite)
{
    MPRTEST_ADD(suite, test_bool, "case_bool is str(bool)");
    MPRTEST_ADD(suite, test_sorted_numbers_stable,
                "case_sorted orders numbers by value and is stable");
    MPRTEST_ADD(suite, test_sorted_strs_and_tuples,
                "case_sorted orders strs by code point, tuples item by item");
    MPRTEST_ADD(suite, test_sorted_unorderable,
                "case_sorted fails on items Python cannot order");
    MPRTEST_ADD(suite, test_set_column_contains,
                "case_set keeps distinct items; case_column; case_contains");
    MPRTEST_ADD(suite, test_range_list, "case_range_list is list(range(a, b))");
    MPRTEST_ADD(suite, test_random_ranges,
                "case_randint is inclusive; case_random is in [0, 1)");
    return 0;
}
