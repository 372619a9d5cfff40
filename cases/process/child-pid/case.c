/*
 * process/child-pid: the parent prints its pid, starts a child that
 * prints its own, and joins it.
 */
#include <mpr.h>

#include <stdio.h>
#include <unistd.h>

static int run_proc(mpr_obj_t *args, mpr_obj_t *kwargs)
{
    (void)kwargs;
    printf("Run child process %s (%d)...\n",
           mpr_obj_str_utf8(mpr_obj_item(args, 0), NULL), (int)getpid());
    return 0;
}
MPR_TARGET(run_proc)

static int create_child_pro(void)
{
    mpr_process_t *p;
    mpr_obj_t *args = mpr_obj_tuple_steal(1, mpr_obj_str("test"));
    mpr_process_options_t o = {.target = run_proc, .args = args};

    printf("Parent process %d.\n", (int)getpid());
    if (args == NULL || mpr_process_new(&p, &o) < 0)
        return -1;
    mpr_obj_decref(args);
    printf("Process will start.\n");
    if (mpr_process_start(p) < 0)
        return -1;
    mpr_process_join(p, MPR_TIMEOUT_NONE);
    printf("Process end.\n");
    mpr_process_free(p);
    return 0;
}

int main(int argc, char **argv)
{
    if (mpr_main(argc, argv) < 0 || create_child_pro() < 0)
        return 1;
    return 0;
}
