/*
 * process/forkserver-restart: after the forkserver got SIGINT or SIGKILL,
 * the next start() works (a new server after SIGKILL), its child runs, and
 * the child the old server forked completes.  The server is found as this
 * process's child whose command line names the forkserver.
 */
#include <mpr.h>

#include "support.h"

#include <dirent.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int sleep_and_set_event(mpr_obj_t *args, mpr_obj_t *kwargs)
{
    mpr_event_t *evt;

    (void)kwargs;
    if ((evt = case_arg(args, 0, MPR_HANDLE_EVENT)) == NULL)
        return mpr_last_error();
    mpr_sleep(mpr_obj_float_value(mpr_obj_item(args, 1)));
    mpr_event_set(evt);
    return 0;
}
MPR_TARGET(sleep_and_set_event)

/* the pids of this process's children whose command line names the
 * forkserver; returns their count, the pids in out */
static int forkserver_pids(pid_t *out, int max)
{
    DIR *d = opendir("/proc");
    struct dirent *e;
    int n = 0;

    if (d == NULL)
        return 0;
    while ((e = readdir(d)) != NULL && n < max) {
        char path[64], buf[4096];
        pid_t pid = (pid_t)atoi(e->d_name);
        if (pid <= 0)
            continue;
        snprintf(path, sizeof path, "/proc/%d/stat", (int)pid);
        FILE *f = fopen(path, "re");
        if (!f)
            continue;
        size_t len = fread(buf, 1, sizeof buf - 1, f);
        fclose(f);
        buf[len] = '\0';
        char *rp = strrchr(buf, ')');
        int ppid = 0;
        if (!rp || sscanf(rp + 1, " %*c %d", &ppid) != 1 || ppid != getpid())
            continue;
        snprintf(path, sizeof path, "/proc/%d/cmdline", (int)pid);
        if (!(f = fopen(path, "re")))
            continue;
        len = fread(buf, 1, sizeof buf - 1, f);
        fclose(f);
        int found = 0;
        for (size_t i = 0; i + 10 <= len && !found; i++)
            found = memcmp(buf + i, "forkserver", 10) == 0;
        if (found)
            out[n++] = pid;
    }
    closedir(d);
    return n;
}

/* a started child that sleeps delay and sets a new Event (in *evt) */
static int start_child(double delay, mpr_event_t **evt, mpr_process_t **p,
                       mpr_obj_t **args)
{
    int rc;

    if ((rc = mpr_event_new(evt)) < 0)
        return rc;
    if ((*args = mpr_obj_tuple_steal(2, mpr_obj_handle(MPR_HANDLE_EVENT, *evt),
                                     mpr_obj_float(delay))) == NULL)
        return mpr_last_error();
    mpr_process_options_t o = {.target = sleep_and_set_event, .args = *args};
    if ((rc = mpr_process_new(p, &o)) < 0)
        return rc;
    return mpr_process_start(*p);
}

static int check(int signum, const char *name)
{
    mpr_event_t *evt, *evt2;
    mpr_process_t *proc, *proc2;
    mpr_obj_t *a1, *a2;
    pid_t servers[8], after[8];
    int rc, code = 1000;

    if ((rc = start_child(0.5, &evt, &proc, &a1)) < 0)
        return rc;
    int n = forkserver_pids(servers, 8);
    printf("%s forkservers running: %d\n", name, n);
    if (n < 1)
        return -1;
    kill(servers[0], signum);
    mpr_sleep(1.0);
    if ((rc = start_child(0.0, &evt2, &proc2, &a2)) < 0 ||
        (rc = mpr_process_join(proc2, MPR_TIMEOUT_NONE)) < 0)
        return rc;
    mpr_process_exitcode(proc2, &code);
    printf("%s next child ran: %s exitcode %d\n", name,
           mpr_event_is_set(evt2) == 1 ? "True" : "False", code);
    if ((rc = mpr_process_join(proc, MPR_TIMEOUT_NONE)) < 0)
        return rc;
    code = 1000;
    mpr_process_exitcode(proc, &code);
    printf("%s first child ran: %s exitcode in (0, 255): %s\n", name,
           mpr_event_is_set(evt) == 1 ? "True" : "False",
           code == 0 || code == 255 ? "True" : "False");
    if (signum == SIGKILL) {
        int m = forkserver_pids(after, 8);
        printf("%s a new forkserver: %s\n", name,
               m != n || (m > 0 && after[0] != servers[0]) ? "True" : "False");
    }
    mpr_process_free(proc);
    mpr_process_free(proc2);
    mpr_obj_decref(a1);
    mpr_obj_decref(a2);
    mpr_event_free(evt);
    mpr_event_free(evt2);
    return 0;
}

int main(int argc, char **argv)
{
    int rc;

    if ((rc = mpr_main(argc, argv)) < 0 || (rc = check(SIGINT, "SIGINT")) < 0 ||
        (rc = check(SIGKILL, "SIGKILL")) < 0)
        return case_fail(rc);
    return 0;
}
