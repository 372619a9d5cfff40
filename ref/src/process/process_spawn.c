/*
 * process_spawn.c - what a spawn or forkserver child does first
 * (multiprocessing.spawn.spawn_main / _main): read the description its
 * parent wrote (a 4-byte big-endian length and a pickle of a dict, see
 * process_popen.c), rebuild the process object, find the target and run
 * override by their registered names, move to the parent's directory,
 * become the child and run.
 *
 * Python: multiprocessing.spawn, CPython 3.11.  No state.
 */
#include "mpr/process.h"
#include "mpr/pickle.h"
#include "base/io.h"
#include "process/process_internal.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* ---- the child of spawn and forkserver ----------------------------- */

static char *dup_bytes(mpr_obj_t *d, const char *key)
{
    mpr_obj_t *v;
    const unsigned char *b;
    size_t n;
    char *s;

    if (mpr_obj_dict_get_str(d, key, &v) != 1 ||
        mpr_obj_type(v) != MPR_OBJ_BYTES)
        return NULL;
    b = mpr_obj_bytes_data(v, &n);
    s = mpr__sys.malloc(n + 1);
    if (s != NULL) {
        memcpy(s, b, n);
        s[n] = '\0';
    }
    return s;
}

static void (*fn_of(mpr_obj_t *d, const char *key, int *bad))(void)
{
    mpr_obj_t *v;
    void (*fn)(void);

    if (mpr_obj_dict_get_str(d, key, &v) != 1 || mpr_obj_is_none(v))
        return NULL;
    fn = mpr__target_lookup(mpr_obj_str_utf8(v, NULL));
    if (fn == NULL) {
        fprintf(stderr,
                "libmpref: this program has no target registered as "
                "'%s'\n",
                mpr_obj_str_utf8(v, NULL));
        *bad = 1;
    }
    return fn;
}

static mpr_process_t *from_description(mpr_obj_t *d, const char **method)
{
    mpr_process_t *p = mpr__process_alloc();
    mpr_obj_t *v;
    int bad = 0;

    if (p == NULL)
        return NULL;
    p->kind = MPR__PROC_CHILD;
    p->name = dup_bytes(d, "name");
    p->type_name = dup_bytes(d, "type");
    p->parent_name = dup_bytes(d, "parent_name");
    p->authkey = (unsigned char *)dup_bytes(d, "authkey");
    if (mpr_obj_dict_get_str(d, "authkey", &v) == 1)
        mpr_obj_bytes_data(v, &p->authkey_len);
    if (mpr_obj_dict_get_str(d, "identity", &v) == 1)
        for (size_t i = 0; i < mpr_obj_len(v) && i < MPR__MAX_IDENTITY; i++)
            p->identity[p->identity_len++] =
                (uint32_t)mpr_obj_int_value(mpr_obj_item(v, i));
    if (mpr_obj_dict_get_str(d, "daemon", &v) == 1)
        p->daemon = mpr_obj_truth(v);
    if (mpr_obj_dict_get_str(d, "parent_pid", &v) == 1)
        p->parent_pid = (pid_t)mpr_obj_int_value(v);
    if (mpr_obj_dict_get_str(d, "method", &v) == 1 && !mpr_obj_is_none(v))
        p->method = mpr__method_canon(mpr_obj_str_utf8(v, NULL));
    if (mpr_obj_dict_get_str(d, "start_method", &v) == 1)
        *method = mpr__method_canon(mpr_obj_str_utf8(v, NULL));
    if (mpr_obj_dict_get_str(d, "args", &v) == 1)
        p->args = mpr_obj_incref(v);
    if (mpr_obj_dict_get_str(d, "kwargs", &v) == 1)
        p->kwargs = mpr_obj_incref(v);
    p->target = (mpr_target_t)fn_of(d, "target", &bad);
    p->run = (mpr_run_t)fn_of(d, "run", &bad);
    if (bad || !p->name || !p->type_name || !p->parent_name || !p->authkey ||
        !p->args || !p->kwargs) {
        mpr__process_release(p);
        return NULL;
    }
    return p;
}

_Noreturn void mpr__spawn_child_main(int fd, int use_exit)
{
    unsigned char hdr[4];
    char *buf = NULL, *dir;
    size_t n = 0;
    mpr_obj_t *d = NULL;
    mpr_process_t *p = NULL;
    const char *method = NULL;

    fcntl(fd, F_SETFD, FD_CLOEXEC);
    if (mpr__read_full(fd, hdr, 4) == 4) {
        n = (size_t)hdr[0] << 24 | (size_t)hdr[1] << 16 | (size_t)hdr[2] << 8 |
            hdr[3];
        buf = mpr__sys.malloc(n ? n : 1);
    }
    if (buf != NULL && mpr__read_full(fd, buf, n) == (ssize_t)n &&
        /* spawn and forkserver share one table */
        mpr__reduction_loads(&mpr__reduction_spawning, buf, n, &d) == 0 &&
        mpr_obj_type(d) == MPR_OBJ_DICT)
        p = from_description(d, &method);
    free(buf);
    if (p == NULL || method == NULL) {
        /* The parent died before sending everything, or the program is
         * not the one that started us. */
        fprintf(stderr, "libmpref: could not read the process description\n");
        mpr__child_exit(1);
    }
    dir = dup_bytes(d, "dir");
    if (dir != NULL && *dir != '\0' && chdir(dir) < 0) {
        /* CPython's prepare() would raise here; keep going like a child
         * whose directory is gone. */
    }
    free(dir);
    mpr_obj_decref(d);
    mpr__process_become_child(p, fd, method);
    mpr__process_set_use_exit(use_exit);
    mpr__process_bootstrap(p);
}
