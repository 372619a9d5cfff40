/*
 * pipe/duplex-squares: create_items sends 0..9 into pipe_1; multiply_items
 * reads them and sends their squares into pipe_2 until EOFError; the main
 * program prints what comes out of pipe_2, then "End" at EOFError.
 * The pipes go in args as values, tuples of two Connections, as in
 * Python (args=(pipe_1,) and args=(pipe_1, pipe_2)).
 */
#include <mpr.h>

#include "support.h"

#include <stdio.h>
#include <string.h>

static int create_items(mpr_obj_t *args, mpr_obj_t *kwargs)
{
    mpr_conn_t *output_pipe =
        case_arg(mpr_obj_item(args, 0), 0, MPR_HANDLE_CONN);
    int rc = output_pipe != NULL ? 0 : mpr_last_error();

    (void)kwargs;
    for (int item = 0; item < 10 && rc == 0; item++) {
        mpr_obj_t *o = mpr_obj_int(item);
        rc = o ? mpr_conn_send(output_pipe, o) : mpr_last_error();
        mpr_obj_decref(o);
    }
    if (rc < 0)
        return rc;
    return mpr_conn_close(output_pipe);
}
MPR_TARGET(create_items)

static int multiply_items(mpr_obj_t *args, mpr_obj_t *kwargs)
{
    mpr_obj_t *pipe_1 = mpr_obj_item(args, 0), *pipe_2 = mpr_obj_item(args, 1);
    mpr_conn_t *close_end = case_arg(pipe_1, 0, MPR_HANDLE_CONN);
    mpr_conn_t *input_pipe = case_arg(pipe_1, 1, MPR_HANDLE_CONN);
    mpr_conn_t *output_pipe = case_arg(pipe_2, 0, MPR_HANDLE_CONN);
    int rc;

    (void)kwargs;
    if (!close_end || !input_pipe || !output_pipe)
        return mpr_last_error();
    mpr_conn_close(close_end);
    for (;;) {
        mpr_obj_t *item, *sq;
        int64_t v;
        if ((rc = mpr_conn_recv(input_pipe, &item)) == MPR_EEOF)
            break; /* except EOFError: output_pipe.close() */
        if (rc < 0 || (rc = mpr_obj_as_int64(item, &v)) < 0) {
            mpr_obj_decref(item);
            return rc;
        }
        mpr_obj_decref(item);
        sq = mpr_obj_int(v * v);
        rc = sq ? mpr_conn_send(output_pipe, sq) : mpr_last_error();
        mpr_obj_decref(sq);
        if (rc < 0)
            return rc;
    }
    return mpr_conn_close(output_pipe);
}
MPR_TARGET(multiply_items)

int main(int argc, char **argv)
{
    mpr_process_options_t o1 = {.target = create_items};
    mpr_process_options_t o2 = {.target = multiply_items};
    mpr_process_t *process_pipe_1, *process_pipe_2;
    mpr_conn_t *pipe_1[2], *pipe_2[2];
    mpr_obj_t *p1 = NULL, *p2 = NULL;
    int rc = 0;

    if ((rc = mpr_main(argc, argv)) < 0 ||
        (rc = mpr_pipe(&pipe_1[0], &pipe_1[1], 1)) < 0 ||
        (p1 = case_pipe_value(pipe_1)) == NULL ||
        (o1.args = mpr_obj_tuple(1, p1)) == NULL ||
        (rc = mpr_process_new(&process_pipe_1, &o1)) < 0 ||
        (rc = mpr_process_start(process_pipe_1)) < 0 ||
        (rc = mpr_pipe(&pipe_2[0], &pipe_2[1], 1)) < 0 ||
        (p2 = case_pipe_value(pipe_2)) == NULL ||
        (o2.args = mpr_obj_tuple(2, p1, p2)) == NULL ||
        (rc = mpr_process_new(&process_pipe_2, &o2)) < 0 ||
        (rc = mpr_process_start(process_pipe_2)) < 0)
        return case_fail(rc < 0 ? rc : mpr_last_error());
    mpr_obj_decref((mpr_obj_t *)o1.args);
    mpr_obj_decref((mpr_obj_t *)o2.args);
    mpr_obj_decref(p1);
    mpr_obj_decref(p2);
    mpr_conn_close(pipe_1[0]);
    mpr_conn_close(pipe_2[0]);
    for (;;) {
        mpr_obj_t *o;
        char *r;
        if ((rc = mpr_conn_recv(pipe_2[1], &o)) == MPR_EEOF) {
            printf("End\n");
            break;
        }
        if (rc < 0 || (rc = mpr_obj_repr(o, &r, NULL)) < 0)
            return case_fail(rc);
        printf("%s\n", r);
        mpr_free(r);
        mpr_obj_decref(o);
    }
    /* The script ends: the exit handler joins both children. */
    mpr_process_free(process_pipe_1);
    mpr_process_free(process_pipe_2);
    for (int i = 0; i < 2; i++) {
        mpr_conn_free(pipe_1[i]);
        mpr_conn_free(pipe_2[i]);
    }
    return 0;
}
