/*
 * process/join-eintr: a parent with a SIGUSR1 handler (installed without
 * SA_RESTART, as CPython installs its handlers) joins a child that sleeps
 * 2 s while another child signals it four times; mpr_process_join()
 * neither fails nor returns early.
 */
#include <mpr.h>

#include "support.h"

#include <signal.h>
#include <stdio.h>
#include <unistd.h>

static volatile sig_atomic_t got;

static void record(int sig)
{
    (void)sig;
    got++;
}

static int killer(mpr_obj_t *args, mpr_obj_t *kwargs)
{
    pid_t pid = (pid_t)mpr_obj_int_value(mpr_obj_item(args, 0));

    (void)kwargs;
    for (int i = 0; i < 4; i++) {
        mpr_sleep(i == 0 ? 0.1 : 0.5);
        kill(pid, SIGUSR1);
    }
    return 0;
}
MPR_TARGET(killer)

static int sleeper(mpr_obj_t *args, mpr_obj_t *kwargs)
{
    (void)kwargs;
    return mpr_sleep((double)mpr_obj_int_value(mpr_obj_item(args, 0)));
}
MPR_TARGET(sleeper)

int main(int argc, char **argv)
{
    struct sigaction sa = {.sa_handler = record};
    mpr_process_t *k, *p;
    mpr_obj_t *kargs, *pargs;
    int rc, code;

    if ((rc = mpr_main(argc, argv)) < 0)
        return case_fail(rc);
    sigemptyset(&sa.sa_mask);
    sigaction(SIGUSR1, &sa, NULL);
    kargs = mpr_obj_tuple_steal(1, mpr_obj_int(getpid()));
    pargs = mpr_obj_tuple_steal(1, mpr_obj_int(2));
    mpr_process_options_t ko = {.target = killer, .args = kargs};
    mpr_process_options_t po = {.target = sleeper, .args = pargs};
    if (!kargs || !pargs || (rc = mpr_process_new(&k, &ko)) < 0 ||
        (rc = mpr_process_start(k)) < 0 ||
        (rc = mpr_process_new(&p, &po)) < 0 || (rc = mpr_process_start(p)) < 0)
        return case_fail(rc < 0 ? rc : mpr_last_error());
    double t = mpr_monotonic();
    if ((rc = mpr_process_join(p, MPR_TIMEOUT_NONE)) < 0)
        return case_fail(rc);
    double d = mpr_monotonic() - t;
    if ((rc = mpr_process_join(k, MPR_TIMEOUT_NONE)) < 0)
        return case_fail(rc);
    printf("signals handled: %d\n", (int)got);
    if (mpr_process_exitcode(p, &code) == 1)
        printf("exitcode: %d\n", code);
    else
        printf("exitcode: None\n");
    printf("is_alive: %s\n", case_bool(mpr_process_is_alive(p) == 1));
    printf("join took %.2f s\n", d);
    mpr_process_free(p);
    mpr_process_free(k);
    mpr_obj_decref(kargs);
    mpr_obj_decref(pargs);
    return 0;
}
