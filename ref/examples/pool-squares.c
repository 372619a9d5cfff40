/*
 * pool-squares.c - an example of libmpref: Python's
 *
 *     def square(x): return x * x
 *     if __name__ == '__main__':
 *         with Pool(4) as pool:
 *             print(pool.map(square, range(10)))
 *
 * in C.  Build it against an installed libmpref:
 *
 *     cc pool-squares.c $(pkg-config --cflags --libs mpref)
 *
 * Two things every libmpref program does: call mpr_main() first in main()
 * (spawn and forkserver children enter there, as a spawned Python re-imports
 * the main module under its __main__ guard), and register each function a
 * child runs with MPR_TARGET (a spawn child finds it by name).  Run it with
 * MP_START_METHOD=spawn or forkserver to try the other start methods; the
 * output is the same.
 */
#include <mpr.h>

#include <stdio.h>

static int square(mpr_obj_t *args, mpr_obj_t *kwargs, mpr_obj_t **result)
{
    int64_t x = mpr_obj_int_value(mpr_obj_item(args, 0));

    (void)kwargs;
    *result = mpr_obj_int(x * x);
    return *result ? 0 : mpr_last_error();
}
MPR_TARGET(square)

int main(int argc, char **argv)
{
    mpr_pool_options_t opts = {.processes = 4};
    mpr_pool_t *pool = NULL;
    mpr_obj_t *inputs = NULL, *outputs = NULL;
    char *text = NULL;
    int rc;

    if ((rc = mpr_main(argc, argv)) < 0)
        goto fail;
    if ((inputs = mpr_obj_list()) == NULL) {
        rc = mpr_last_error();
        goto fail;
    }
    for (int i = 0; i < 10; i++)
        if ((rc = mpr_obj_list_append_steal(inputs, mpr_obj_int(i))) < 0)
            goto fail;
    if ((rc = mpr_pool_new(&pool, &opts)) < 0 ||
        (rc = mpr_pool_map(pool, square, inputs, MPR_CHUNKSIZE_NONE,
                           &outputs)) < 0 ||
        (rc = mpr_pool_close(pool)) < 0 || (rc = mpr_pool_join(pool)) < 0 ||
        (rc = mpr_obj_repr(outputs, &text, NULL)) < 0)
        goto fail;
    printf("%s\n", text);
    rc = 0;
fail:
    if (rc < 0) /* as Python prints an uncaught exception's last line */
        fprintf(stderr, "%s: %s\n", mpr_err_pytype(rc),
                mpr_last_error_detail());
    mpr_free(text);
    mpr_obj_decref(outputs);
    mpr_obj_decref(inputs);
    mpr_pool_free(pool);
    return rc < 0;
}
