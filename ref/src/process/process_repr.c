/*
 * process_repr.c - repr() of a Process, byte for byte as CPython 3.11
 * prints it in every state, with names quoted as repr(str) quotes them and
 * exit codes of signals named as process._exitcode_to_name names them.
 *
 * Python: multiprocessing.process.BaseProcess.__repr__, CPython 3.11.
 * No state.
 */
#include "mpr/process.h"
#include "base/buf.h"
#include "process/process_internal.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* ---- repr ---------------------------------------------------------- */

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
static void put_bytes_repr(mpr__buf_t *b, const char *name)
{
    const unsigned char *s = (const unsigned char *)name;
    size_t n = strlen(name);
    char q = (strchr(name, '\'') && !strchr(name, '"')) ? '"' : '\'';
    char tmp[16];

    mpr__buf_put(b, &q, 1);
    for (size_t i = 0; i < n;) {
        size_t w = utf8_len(s + i, n - i);
        unsigned char c = s[i];
        if (w == 0) {
            snprintf(tmp, sizeof(tmp), "\\udc%02x", c);
            mpr__buf_puts(b, tmp);
            i++;
            continue;
        }
        if (w > 1)
            mpr__buf_put(b, name + i, w);
        else if (c == (unsigned char)q || c == '\\')
            mpr__buf_put(b, "\\", 1), mpr__buf_put(b, name + i, 1);
        else if (c == '\n')
            mpr__buf_puts(b, "\\n");
        else if (c == '\r')
            mpr__buf_puts(b, "\\r");
        else if (c == '\t')
            mpr__buf_puts(b, "\\t");
        else if (c < 0x20 || c == 0x7f)
            snprintf(tmp, sizeof(tmp), "\\x%02x", c), mpr__buf_puts(b, tmp);
        else
            mpr__buf_put(b, name + i, 1);
        i += w;
    }
    mpr__buf_put(b, &q, 1);
}

static void put_name_repr(mpr__buf_t *b, const char *name)
{
    mpr_obj_t *s = mpr_obj_str(name);
    char *r = NULL;
    size_t n;

    if (s != NULL && mpr_obj_repr(s, &r, &n) == 0)
        mpr__buf_put(b, r, n);
    else
        put_bytes_repr(b, name);
    mpr_free(r);
    mpr_obj_decref(s);
}

/* process._exitcode_to_name: signal.Signals names as CPython 3.11 on
 * Linux builds the table (SIGIOT, SIGCLD, SIGIO lose to later aliases). */
static const char *const signal_names[65] = {
    [1] = "SIGHUP",    [2] = "SIGINT",     [3] = "SIGQUIT",  [4] = "SIGILL",
    [5] = "SIGTRAP",   [6] = "SIGABRT",    [7] = "SIGBUS",   [8] = "SIGFPE",
    [9] = "SIGKILL",   [10] = "SIGUSR1",   [11] = "SIGSEGV", [12] = "SIGUSR2",
    [13] = "SIGPIPE",  [14] = "SIGALRM",   [15] = "SIGTERM", [16] = "SIGSTKFLT",
    [17] = "SIGCHLD",  [18] = "SIGCONT",   [19] = "SIGSTOP", [20] = "SIGTSTP",
    [21] = "SIGTTIN",  [22] = "SIGTTOU",   [23] = "SIGURG",  [24] = "SIGXCPU",
    [25] = "SIGXFSZ",  [26] = "SIGVTALRM", [27] = "SIGPROF", [28] = "SIGWINCH",
    [29] = "SIGPOLL",  [30] = "SIGPWR",    [31] = "SIGSYS",  [34] = "SIGRTMIN",
    [64] = "SIGRTMAX",
};

int mpr_process_repr(mpr_process_t *p, char **out, size_t *len)
{
    mpr__buf_t b = {0};
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
    mpr__buf_puts(&b, "<");
    mpr__buf_puts(&b, p->type_name);
    mpr__buf_puts(&b, " name=");
    put_name_repr(&b, p->name);
    if (p->started && p->kind == MPR__PROC_CHILD) {
        snprintf(tmp, sizeof(tmp), " pid=%ld", (long)p->pid);
        mpr__buf_puts(&b, tmp);
    }
    if (p->parent_pid)
        snprintf(tmp, sizeof(tmp), " parent=%ld ", (long)p->parent_pid);
    else
        snprintf(tmp, sizeof(tmp), " parent=None ");
    mpr__buf_puts(&b, tmp);
    mpr__buf_puts(&b, status);
    if (has_code == 1) {
        int c = p->returncode;
        if (c < 0 && c >= -64 && signal_names[-c])
            snprintf(tmp, sizeof(tmp), " exitcode=-%s", signal_names[-c]);
        else
            snprintf(tmp, sizeof(tmp), " exitcode=%d", c);
        mpr__buf_puts(&b, tmp);
    }
    if (p->daemon)
        mpr__buf_puts(&b, " daemon");
    mpr__buf_puts(&b, ">");
    return mpr__buf_finish(&b, out, len);
}
