/*
 * process_attr.c - the attributes of a Process (name, daemon, pid, exitcode,
 * sentinel, authkey).
 *
 * Python: multiprocessing.process.BaseProcess, CPython 3.11.  No state of
 * its own.
 */
#include "mpr/process.h"
#include "process/process_internal.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int nomem(void)
{
    return mpr__error(MPR__ERR(ENOMEM), NULL);
}

static int check_closed(const mpr_process_t *p)
{
    if (p->closed)
        return mpr__error(MPR_EVALUE, "process object is closed");
    return 0;
}

/* ---- attributes ---------------------------------------------------- */

const char *mpr_process_name(const mpr_process_t *p)
{
    return p->name;
}

int mpr_process_set_name(mpr_process_t *p, const char *name)
{
    char *s = mpr__strdup(name);

    if (s == NULL)
        return nomem();
    if (p->kind != MPR__PROC_MAIN || p->heap_name)
        free(p->name);
    p->name = s;
    p->heap_name = 1;
    return 0;
}

int mpr_process_daemon(const mpr_process_t *p)
{
    return p->daemon;
}

int mpr_process_set_daemon(mpr_process_t *p, int daemonic)
{
    if (p->started)
        return mpr__error(MPR_EASSERT, "process has already started");
    p->daemon = daemonic != 0;
    return 0;
}

int mpr_process_pid(mpr_process_t *p, pid_t *pid)
{
    int rc;

    if (p->kind == MPR__PROC_PARENT) {
        *pid = p->pid;
        return 1;
    }
    if ((rc = check_closed(p)) < 0)
        return rc;
    if (p == mpr__current) {
        *pid = getpid();
        return 1;
    }
    if (!p->started)
        return 0;
    *pid = p->pid;
    return 1;
}

int mpr_process_ident(mpr_process_t *p, pid_t *pid)
{
    return mpr_process_pid(p, pid);
}

int mpr_process_exitcode(mpr_process_t *p, int *code)
{
    int rc;

    if ((rc = check_closed(p)) < 0)
        return rc;
    if (!p->started || mpr__popen_poll(p, 0) == 0)
        return 0;
    *code = p->returncode;
    return 1;
}

int mpr_process_sentinel(mpr_process_t *p)
{
    int rc;

    if ((rc = check_closed(p)) < 0)
        return rc;
    if (p->kind == MPR__PROC_PARENT || (p->started && p->sentinel >= 0))
        return p->sentinel;
    return mpr__error(MPR_EVALUE, "process not started");
}

const unsigned char *mpr_process_authkey(const mpr_process_t *p, size_t *len)
{
    if (p->kind == MPR__PROC_MAIN)
        mpr__main_authkey();
    if (len != NULL)
        *len = p->authkey_len;
    return p->authkey;
}

int mpr_process_set_authkey(mpr_process_t *p, const void *key, size_t len)
{
    unsigned char *k = mpr__sys.malloc(len ? len : 1);

    if (k == NULL)
        return nomem();
    memcpy(k, key, len);
    if (p->kind == MPR__PROC_MAIN)
        mpr__main_authkey(); /* the static key is replaced, not freed */
    else
        free(p->authkey);
    p->authkey = k;
    p->authkey_len = len;
    return 0;
}

mpr_obj_t *mpr_process_args(const mpr_process_t *p)
{
    return p->args;
}

mpr_obj_t *mpr_process_kwargs(const mpr_process_t *p)
{
    return p->kwargs;
}

const char *mpr_process_type_name(const mpr_process_t *p)
{
    return p->type_name;
}
