/*
 * process_attr.c - the attributes of a Process (name, daemon, pid, exitcode,
 * sentinel, authkey), repr(), and the conversions Process() applies to its
 * args and kwargs (tuple(), dict()).
 *
 * Python: multiprocessing.process.BaseProcess, CPython 3.11.  No state of
 * its own.
 */
#include "mpr/process.h"
#include "process_internal.h"

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
            mpr_obj_tuple_set_steal(t, i, mpr_obj_int(b[i]));
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
            mpr_obj_tuple_set_steal(t, i, mpr_obj_strn(s + at, w));
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
                rc = mpr__error(MPR_ETYPE, "cannot convert dictionary update "
                                "sequence element #%zu to a sequence", i);
            else if (mpr_obj_len(e) != 2)
                rc = mpr__error(MPR_EVALUE, "dictionary update sequence "
                                "element #%zu has length %zu; 2 is required",
                                i, mpr_obj_len(e));
            else
                rc = mpr_obj_dict_set(d, mpr_obj_item(e, 0),
                                      mpr_obj_item(e, 1));
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

/* ---- attributes ----------------------------------------------------------------- */

const char *mpr_process_name(const mpr_process_t *p)
{
    return p->name;
}

int mpr_process_set_name(mpr_process_t *p, const char *name)
{
    char *s = strdup(name);

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
    unsigned char *k = malloc(len ? len : 1);

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

/* ---- repr --------------------------------------------------------------------- */

/* A growing NUL-terminated buffer; on allocation failure it turns into
 * an error that the final check reports. */
typedef struct {
    char *s;
    size_t len, cap;
    int failed;
} buf_t;

static void put(buf_t *b, const char *s, size_t n)
{
    if (b->failed)
        return;
    if (b->len + n + 1 > b->cap) {
        size_t cap = b->cap ? b->cap : 64;
        while (cap < b->len + n + 1)
            cap *= 2;
        char *t = realloc(b->s, cap);
        if (t == NULL) {
            b->failed = 1;
            return;
        }
        b->s = t;
        b->cap = cap;
    }
    memcpy(b->s + b->len, s, n);
    b->len += n;
    b->s[b->len] = '\0';
}

static void puts_(buf_t *b, const char *s)
{
    put(b, s, strlen(s));
}

/* Length of the valid UTF-8 sequence at s (n bytes left), 0 if invalid. */
static size_t utf8_len(const unsigned char *s, size_t n)
{
    size_t w;
    unsigned cp;

    if (s[0] < 0x80)
        return 1;
    if (s[0] >= 0xc2 && s[0] <= 0xdf)
        w = 2, cp = s[0] & 0x1f;
    else if (s[0] >= 0xe0 && s[0] <= 0xef)
        w = 3, cp = s[0] & 0x0f;
    else if (s[0] >= 0xf0 && s[0] <= 0xf4)
        w = 4, cp = s[0] & 0x07;
    else
        return 0;
    if (w > n)
        return 0;
    for (size_t i = 1; i < w; i++) {
        if ((s[i] & 0xc0) != 0x80)
            return 0;
        cp = (cp << 6) | (s[i] & 0x3f);
    }
    if ((w == 3 && (cp < 0x800 || (cp >= 0xd800 && cp <= 0xdfff))) ||
        (w == 4 && (cp < 0x10000 || cp > 0x10ffff)))
        return 0;
    return w;
}

/*
 * repr() of a name that is not UTF-8: the bytes read as os.fsdecode()
 * would (surrogateescape), so each bad byte shows as \udcXX.  Valid
 * non-ASCII characters are kept as they are.
 */
static void put_bytes_repr(buf_t *b, const char *name)
{
    const unsigned char *s = (const unsigned char *)name;
    size_t n = strlen(name);
    char q = (strchr(name, '\'') && !strchr(name, '"')) ? '"' : '\'';
    char tmp[16];

    put(b, &q, 1);
    for (size_t i = 0; i < n;) {
        size_t w = utf8_len(s + i, n - i);
        unsigned char c = s[i];
        if (w == 0) {
            snprintf(tmp, sizeof(tmp), "\\udc%02x", c);
            puts_(b, tmp);
            i++;
            continue;
        }
        if (w > 1)
            put(b, name + i, w);
        else if (c == (unsigned char)q || c == '\\')
            put(b, "\\", 1), put(b, name + i, 1);
        else if (c == '\n')
            puts_(b, "\\n");
        else if (c == '\r')
            puts_(b, "\\r");
        else if (c == '\t')
            puts_(b, "\\t");
        else if (c < 0x20 || c == 0x7f)
            snprintf(tmp, sizeof(tmp), "\\x%02x", c), puts_(b, tmp);
        else
            put(b, name + i, 1);
        i += w;
    }
    put(b, &q, 1);
}

static void put_name_repr(buf_t *b, const char *name)
{
    mpr_obj_t *s = mpr_obj_str(name);
    char *r = NULL;
    size_t n;

    if (s != NULL && mpr_obj_repr(s, &r, &n) == 0)
        put(b, r, n);
    else
        put_bytes_repr(b, name);
    mpr_free(r);
    mpr_obj_decref(s);
}

/* process._exitcode_to_name: signal.Signals names as CPython 3.11 on
 * Linux builds the table (SIGIOT, SIGCLD, SIGIO lose to later aliases). */
static const char *const signal_names[65] = {
    [1] = "SIGHUP",   [2] = "SIGINT",     [3] = "SIGQUIT",  [4] = "SIGILL",
    [5] = "SIGTRAP",  [6] = "SIGABRT",    [7] = "SIGBUS",   [8] = "SIGFPE",
    [9] = "SIGKILL",  [10] = "SIGUSR1",   [11] = "SIGSEGV", [12] = "SIGUSR2",
    [13] = "SIGPIPE", [14] = "SIGALRM",   [15] = "SIGTERM", [16] = "SIGSTKFLT",
    [17] = "SIGCHLD", [18] = "SIGCONT",   [19] = "SIGSTOP", [20] = "SIGTSTP",
    [21] = "SIGTTIN", [22] = "SIGTTOU",   [23] = "SIGURG",  [24] = "SIGXCPU",
    [25] = "SIGXFSZ", [26] = "SIGVTALRM", [27] = "SIGPROF", [28] = "SIGWINCH",
    [29] = "SIGPOLL", [30] = "SIGPWR",    [31] = "SIGSYS",  [34] = "SIGRTMIN",
    [64] = "SIGRTMAX",
};

int mpr_process_repr(mpr_process_t *p, char **out, size_t *len)
{
    buf_t b = {0};
    const char *status;
    int has_code = 0;
    char tmp[64];

    if (p == mpr__current)
        status = "started";
    else if (p->closed)
        status = "closed";
    else if (p->parent_pid != getpid())
        status = "unknown";
    else if (!p->started)
        status = "initial";
    else if ((has_code = mpr__popen_poll(p, 0)) == 1)
        status = "stopped";
    else
        status = "started";
    puts_(&b, "<");
    puts_(&b, p->type_name);
    puts_(&b, " name=");
    put_name_repr(&b, p->name);
    if (p->started && p->kind == MPR__PROC_CHILD) {
        snprintf(tmp, sizeof(tmp), " pid=%ld", (long)p->pid);
        puts_(&b, tmp);
    }
    if (p->parent_pid)
        snprintf(tmp, sizeof(tmp), " parent=%ld ", (long)p->parent_pid);
    else
        snprintf(tmp, sizeof(tmp), " parent=None ");
    puts_(&b, tmp);
    puts_(&b, status);
    if (has_code == 1) {
        int c = p->returncode;
        if (c < 0 && c >= -64 && signal_names[-c])
            snprintf(tmp, sizeof(tmp), " exitcode=-%s", signal_names[-c]);
        else
            snprintf(tmp, sizeof(tmp), " exitcode=%d", c);
        puts_(&b, tmp);
    }
    if (p->daemon)
        puts_(&b, " daemon");
    puts_(&b, ">");
    if (b.failed) {
        free(b.s);
        return nomem();
    }
    *out = b.s;
    if (len != NULL)
        *len = b.len;
    return 0;
}
