/*
 * process/parent-process: mpr_parent_process() is NULL (None) in the main
 * process and the parent's pid and name in a child; a grandchild sees its
 * parent alive, then, once the main process terminated that parent, join
 * with a timeout returns and is_alive() is false.
 */
#include <mpr.h>

#include "support.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>

/* the write end, from the target's args */
static mpr_conn_t *w;

static int send_str(const char *s)
{
    mpr_obj_t *o = mpr_obj_str(s);
    int rc = o ? mpr_conn_send(w, o) : mpr_last_error();

    mpr_obj_decref(o);
    return rc;
}

static int send_parent(mpr_obj_t *args, mpr_obj_t *kwargs)
{
    mpr_process_t *pp;
    pid_t pid;
    int rc;

    (void)kwargs;
    if ((rc = case_conns_of(args, 1, &w)) < 0)
        return rc;
    pp = mpr_parent_process();
    if (pp == NULL || (rc = mpr_process_pid(pp, &pid)) < 0)
        return rc < 0 ? rc : -1;
    mpr_obj_t *l = mpr_obj_list_of_steal(2, mpr_obj_int(pid),
                                         mpr_obj_str(mpr_process_name(pp)));
    rc = l ? mpr_conn_send(w, l) : mpr_last_error();
    mpr_obj_decref(l);
    return rc;
}
MPR_TARGET(send_parent)

static int report_parent_status(mpr_obj_t *args, mpr_obj_t *kwargs)
{
    mpr_process_t *pp;
    int rc;

    (void)kwargs;
    if ((rc = case_conns_of(args, 1, &w)) < 0)
        return rc;
    if ((pp = mpr_parent_process()) == NULL)
        return -1;
    rc = send_str(mpr_process_is_alive(pp) == 1 ? "alive" : "not alive");
    if (rc < 0 || (rc = mpr_process_join(pp, 60)) < 0)
        return rc;
    return send_str(mpr_process_is_alive(pp) == 1 ? "alive" : "not alive");
}
MPR_TARGET(report_parent_status)

static int create_grandchild(mpr_obj_t *args, mpr_obj_t *kwargs)
{
    mpr_process_t *p;
    mpr_obj_t *gargs;
    int rc;

    (void)kwargs;
    if ((rc = case_conns_of(args, 1, &w)) < 0)
        return rc;
    if ((gargs = case_conns_value(1, &w)) == NULL)
        return mpr_last_error();
    mpr_process_options_t o = {.target = report_parent_status, .args = gargs};
    if ((rc = mpr_process_new(&p, &o)) < 0 || (rc = mpr_process_start(p)) < 0)
        return rc;
    mpr_sleep(3000);
    return 0;
}
MPR_TARGET(create_grandchild)

/* r.recv() if r.poll(60) else 'nothing', printed as a str */
static int print_status(mpr_conn_t *r, const char *what)
{
    mpr_obj_t *o;
    int rc = mpr_conn_poll(r, 60);

    if (rc < 0)
        return rc;
    if (rc == 0) {
        printf("%s nothing\n", what);
        return 0;
    }
    if ((rc = mpr_conn_recv(r, &o)) < 0)
        return rc;
    printf("%s %s\n", what, mpr_obj_str_utf8(o, NULL));
    mpr_obj_decref(o);
    return 0;
}

int main(int argc, char **argv)
{
    mpr_conn_t *r;
    mpr_process_t *p;
    mpr_obj_t *args, *got;
    int rc;

    if ((rc = mpr_main(argc, argv)) < 0)
        return case_fail(rc);
    printf("main parent_process(): %s\n",
           mpr_parent_process() == NULL ? "None" : "not None");

    if ((rc = mpr_pipe(&r, &w, 0)) < 0 ||
        (args = case_conns_value(1, &w)) == NULL)
        return case_fail(rc < 0 ? rc : mpr_last_error());
    mpr_process_options_t o1 = {.target = send_parent, .args = args};
    if ((rc = mpr_process_new(&p, &o1)) < 0 ||
        (rc = mpr_process_start(p)) < 0 ||
        (rc = mpr_process_join(p, MPR_TIMEOUT_NONE)) < 0 ||
        (rc = mpr_conn_recv(r, &got)) < 0)
        return case_fail(rc);
    int64_t pid = mpr_obj_int_value(mpr_obj_item(got, 0));
    pid_t me;
    mpr_process_pid(mpr_current_process(), &me);
    printf("child sees parent pid == os.getpid(): %s\n",
           case_bool(pid == getpid()));
    printf("child sees parent pid == current_process().pid: %s\n",
           case_bool(pid == me));
    printf("child sees parent name: %s\n",
           mpr_obj_str_utf8(mpr_obj_item(got, 1), NULL));
    mpr_obj_decref(got);
    mpr_obj_decref(args);
    mpr_process_free(p);
    mpr_conn_free(r);
    mpr_conn_free(w);

    if ((rc = mpr_pipe(&r, &w, 0)) < 0 ||
        (args = case_conns_value(1, &w)) == NULL)
        return case_fail(rc < 0 ? rc : mpr_last_error());
    mpr_process_options_t o2 = {.target = create_grandchild, .args = args};
    if ((rc = mpr_process_new(&p, &o2)) < 0 || (rc = mpr_process_start(p)) < 0)
        return case_fail(rc);
    if ((rc = print_status(r, "grandchild first sees its parent:")) < 0 ||
        (rc = mpr_process_terminate(p)) < 0 ||
        (rc = mpr_process_join(p, MPR_TIMEOUT_NONE)) < 0 ||
        (rc = print_status(r, "grandchild then sees its parent:")) < 0)
        return case_fail(rc);
    mpr_obj_decref(args);
    mpr_process_free(p);
    mpr_conn_free(r);
    mpr_conn_free(w);
    return 0;
}
