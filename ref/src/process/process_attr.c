/*
 * process_attr.c - the attributes of a Process (name, daemon, pid, exitcode,
 * sentinel, authkey), repr(), and the conversions Process() applies to its
 * args and kwargs (tuple(), dict()).
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

/* tuple(o): tuples, lists, dicts (their keys), str (characters) and bytes
 * (ints) iterate; the other types raise. */
int mpr__obj_to_tuple(const mpr_obj_t *o, mpr_obj_t **out)
{
    mpr_obj_t *t = NULL;
    size_t n = mpr_obj_len(o);

    switch (mpr_obj_type(o)) {
    case MPR_OBJ_TUPLE:
        *out = mpr_obj_incref((mpr_obj_t *)o);
        return 0;
    case MPR_OBJ_LIST:
        t = mpr_obj_tuple_new(n);
        for (size_t i = 0; t != NULL && i < n; i++)
            mpr_obj_tuple_set_steal(t, i, mpr_obj_incref(mpr_obj_item(o, i)));
        break;
    case MPR_OBJ_DICT: {
        size_t pos = 0, i = 0;
        mpr_obj_t *k;
        t = mpr_obj_tuple_new(n);
        while (t != NULL && mpr_obj_dict_next(o, &pos, &k, NULL))
            mpr_obj_tuple_set_steal(t, i++, mpr_obj_incref(k));
        break;
    }
    case MPR_OBJ_BYTES: {
        const unsigned char *b = mpr_obj_bytes_data(o, &n);
        t = mpr_obj_tuple_new(n);
        for (size_t i = 0; t != NULL && i < n; i++)
            if (mpr_obj_tuple_set_steal(t, i, mpr_obj_int(b[i])) < 0) {
                mpr_obj_decref(t);
                t = NULL;
            }
        break;
    }
    case MPR_OBJ_STR: {
        size_t len;
        const char *s = mpr_obj_str_utf8(o, &len);
        t = mpr_obj_tuple_new(n);
        for (size_t i = 0, at = 0; t != NULL && i < n; i++) {
            size_t w = 1;
            while (at + w < len && ((unsigned char)s[at + w] & 0xc0) == 0x80)
                w++;
            if (mpr_obj_tuple_set_steal(t, i, mpr_obj_strn(s + at, w)) < 0) {
                mpr_obj_decref(t);
                t = NULL;
            }
            at += w;
        }
        break;
    }
    default:
        return mpr__error(MPR_ETYPE, "'%s' object is not iterable",
                          mpr_obj_type_name(o));
    }
    if (t == NULL)
        return nomem();
    *out = t;
    return 0;
}

/* dict(o): a dict is copied; a sequence must hold pairs. */
int mpr__obj_to_dict(const mpr_obj_t *o, mpr_obj_t **out)
{
    mpr_obj_t *d = mpr_obj_dict(), *k, *v, *items = NULL;
    size_t pos = 0;
    int rc = 0;

    if (d == NULL)
        return nomem();
    if (mpr_obj_type(o) == MPR_OBJ_DICT) {
        while (rc == 0 && mpr_obj_dict_next(o, &pos, &k, &v))
            rc = mpr_obj_dict_set(d, k, v);
    } else if ((rc = mpr__obj_to_tuple(o, &items)) == 0) {
        for (size_t i = 0; rc == 0 && i < mpr_obj_len(items); i++) {
            mpr_obj_t *e = mpr_obj_item(items, i);
            mpr_obj_type_t t = mpr_obj_type(e);
            if (t != MPR_OBJ_TUPLE && t != MPR_OBJ_LIST)
                rc = mpr__error(MPR_ETYPE,
                                "cannot convert dictionary update "
                                "sequence element #%zu to a sequence",
                                i);
            else if (mpr_obj_len(e) != 2)
                rc = mpr__error(MPR_EVALUE,
                                "dictionary update sequence "
                                "element #%zu has length %zu; 2 is required",
                                i, mpr_obj_len(e));
            else
                rc =
                    mpr_obj_dict_set(d, mpr_obj_item(e, 0), mpr_obj_item(e, 1));
        }
        mpr_obj_decref(items);
    }
    if (rc < 0) {
        mpr_obj_decref(d);
        return rc;
    }
    *out = d;
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
