/*
 * process/exitcode-rules: what a target does and the exit code it gives:
 * a return value is ignored (0), sys.exit(3) is 3, sys.exit() 0,
 * sys.exit('bye') 1 with the message on stderr, an exception 1 with a
 * report on stderr, a signal -N; terminate/kill give -15/-9.
 */
#include <mpr.h>

#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static int ret(mpr_obj_t *a, mpr_obj_t *k)
{
    (void)a, (void)k;
    return 5;
}
MPR_TARGET(ret)

static int exit3(mpr_obj_t *a, mpr_obj_t *k)
{
    (void)a, (void)k;
    mpr_process_exit(3);
}
MPR_TARGET(exit3)

static int exit_none(mpr_obj_t *a, mpr_obj_t *k)
{
    (void)a, (void)k;
    mpr_process_exit(0);
}
MPR_TARGET(exit_none)

static int exit_msg(mpr_obj_t *a, mpr_obj_t *k)
{
    (void)a, (void)k;
    mpr_process_exit_msg("bye");
}
MPR_TARGET(exit_msg)

static int raiser(mpr_obj_t *a, mpr_obj_t *k)
{
    (void)a, (void)k;
    return mpr_target_error(MPR_EVALUE, "boom");
}
MPR_TARGET(raiser)

static int usr1(mpr_obj_t *a, mpr_obj_t *k)
{
    (void)a, (void)k;
    kill(getpid(), SIGUSR1);
    return 0;
}
MPR_TARGET(usr1)

static int sleeper(mpr_obj_t *a, mpr_obj_t *k)
{
    (void)a, (void)k;
    mpr_sleep(50);
    return 0;
}
MPR_TARGET(sleeper)

static void print_exitcode(const char *label, mpr_process_t *p)
{
    int code;

    if (mpr_process_exitcode(p, &code) == 1)
        printf("%s %d\n", label, code);
    else
        printf("%s None\n", label);
}

int main(int argc, char **argv)
{
    static const struct {
        const char *name;
        mpr_target_t fn;
    } targets[] = {
        {"ret", ret},           {"exit3", exit3},   {"exit_none", exit_none},
        {"exit_msg", exit_msg}, {"raiser", raiser}, {"usr1", usr1}};
    char label[64];

    if (mpr_main(argc, argv) < 0)
        return 1;
    for (size_t i = 0; i < sizeof(targets) / sizeof(targets[0]); i++) {
        mpr_process_t *p;
        mpr_process_options_t o = {.target = targets[i].fn};
        if (mpr_process_new(&p, &o) < 0 || mpr_process_start(p) < 0)
            return 1;
        mpr_process_join(p, MPR_TIMEOUT_NONE);
        snprintf(label, sizeof(label), "%s %s", targets[i].name,
                 mpr_process_name(p));
        print_exitcode(label, p);
        mpr_process_free(p);
    }
    for (int i = 0; i < 2; i++) {
        const char *how = i == 0 ? "terminate" : "kill";
        mpr_process_t *p;
        mpr_process_options_t o = {.target = sleeper};
        char *r;
        if (mpr_process_new(&p, &o) < 0 || mpr_process_start(p) < 0)
            return 1;
        snprintf(label, sizeof(label), "%s while running:", how);
        print_exitcode(label, p);
        if (i == 0)
            mpr_process_terminate(p);
        else
            mpr_process_kill(p);
        mpr_process_join(p, MPR_TIMEOUT_NONE);
        snprintf(label, sizeof(label), "%s %s", how, mpr_process_name(p));
        print_exitcode(label, p);
        if (mpr_process_repr(p, &r, NULL) == 0) {
            printf("%s\n", r);
            mpr_free(r);
        }
        mpr_process_free(p);
    }
    return 0;
}
