/*
 * process/stdio-broken: a child exits 0 (and runs its target) when stdout
 * or stderr is None or a closed stream, broken by the parent before
 * start() (inherited under fork) or by the child itself.
 *
 * glibc's stdout and stderr are variables a program may set, as Python's
 * sys.stdout and sys.stderr are (the glibc manual's "Standard Streams"):
 * None is NULL there, and a closed stream is one whose every flush fails,
 * as a closed Python stream's flush raises ValueError: a stream whose
 * writes are refused (fopencookie) holding output it cannot write.  The
 * library flushes both at start() and at the child's end, and must go on
 * as CPython's util._flush_std_streams does when they fail.
 */
#include <mpr.h>

#include "support.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

static ssize_t refuse(void *cookie, const char *buf, size_t size)
{
    (void)cookie, (void)buf, (void)size;
    errno = EBADF;
    return -1;
}

/* A closed stream: every write and flush of it fails. */
static FILE *closed(void)
{
    cookie_io_functions_t io = {.write = refuse};
    FILE *s = fopencookie(NULL, "w", io);

    if (s != NULL)
        fputs("never written", s); /* buffered: the next flush fails */
    return s;
}

/* &stdout or &stderr, by name */
static FILE **stream(const char *name)
{
    return strcmp(name, "stdout") == 0 ? &stdout : &stderr;
}

/* child(evt, name=None, action=None) */
static int child(mpr_obj_t *args, mpr_obj_t *kwargs)
{
    mpr_event_t *evt = case_arg(args, 0, MPR_HANDLE_EVENT);

    (void)kwargs;
    if (evt == NULL)
        return mpr_last_error();
    if (mpr_obj_len(args) > 1) {
        const char *name = mpr_obj_str_utf8(mpr_obj_item(args, 1), NULL);
        const char *action = mpr_obj_str_utf8(mpr_obj_item(args, 2), NULL);
        /* left set when the child ends: its end flushes what is there */
        *stream(name) = strcmp(action, "remove") == 0 ? NULL : closed();
    }
    return mpr_event_set(evt);
}
MPR_TARGET(child)

/* run(*args): the line's "ran %s, exitcode %s" part into out */
static int run(const char *name, const char *action, char *out, size_t size)
{
    mpr_event_t *evt;
    mpr_process_t *p = NULL;
    mpr_obj_t *ev;
    int rc, code, set;

    if ((rc = mpr_event_new(&evt)) < 0)
        return rc;
    ev = mpr_obj_handle(MPR_HANDLE_EVENT, evt);
    rc = case_start(&p, child,
                    name ? mpr_obj_tuple_steal(3, ev, mpr_obj_str(name),
                                               mpr_obj_str(action))
                         : mpr_obj_tuple_steal(1, ev));
    if (rc == 0)
        rc = mpr_process_join(p, MPR_TIMEOUT_NONE);
    if (rc == 0 && (set = mpr_event_is_set(evt)) >= 0) {
        if (mpr_process_exitcode(p, &code) == 1)
            snprintf(out, size, "ran %s, exitcode %d", case_bool(set), code);
        else
            snprintf(out, size, "ran %s, exitcode None", case_bool(set));
    } else if (rc == 0) {
        rc = set;
    }
    mpr_process_free(p);
    mpr_event_free(evt);
    return rc;
}

int main(int argc, char **argv)
{
    static const char *const names[] = {"stdout", "stderr"};
    char results[8][128], r[64] = "";
    size_t n = 0;
    int rc = 0;

    if (mpr_main(argc, argv) < 0)
        return 1;
    for (size_t i = 0; i < 2 && rc == 0; i++)
        for (int none = 0; none < 2 && rc == 0; none++) {
            FILE **s = stream(names[i]), *old = *s, *broken = NULL;
            if (!none && (broken = closed()) == NULL)
                return case_fail(-errno);
            *s = broken;
            rc = run(NULL, NULL, r, sizeof(r));
            *s = old;
            if (broken != NULL)
                fclose(broken); /* fails to write what it holds */
            snprintf(results[n++], sizeof(results[0]),
                     "parent broke %s (%s): %s", names[i],
                     none ? "None" : "closed", r);
        }
    for (size_t i = 0; i < 2 && rc == 0; i++)
        for (int remove = 0; remove < 2 && rc == 0; remove++) {
            const char *action = remove ? "remove" : "close";
            rc = run(names[i], action, r, sizeof(r));
            snprintf(results[n++], sizeof(results[0]),
                     "child broke %s (%s): %s", names[i], action, r);
        }
    if (rc < 0)
        return case_fail(rc);
    for (size_t i = 0; i < n; i++)
        printf("%s\n", results[i]);
    return 0;
}
