/*
 * process/forkserver-preload: set_forkserver_preload() with a module that
 * makes a Lock when it is imported; the forkserver imports it and a child
 * it forks runs the module's f.  A C module is a shared object, imported
 * with dlopen (mp_preload_module.c, built beside this program as
 * case-process-forkserver-preload-mp_preload_module.so, as case.py writes
 * its module to a folder on sys.path); mod.f is dlsym(mod, "f").
 */
#include <mpr.h>

#include "support.h"

#include <dlfcn.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

/* the module's path: beside this program */
static int module_path(char *buf, size_t size)
{
    ssize_t n = readlink("/proc/self/exe", buf, size - 1);
    char *slash;

    if (n < 0)
        return -1;
    buf[n] = '\0';
    if ((slash = strrchr(buf, '/')) == NULL)
        return -1;
    slash[1] = '\0';
    if (strlen(buf) + 64 > size)
        return -1;
    strcat(buf, "case-process-forkserver-preload-mp_preload_module.so");
    return 0;
}

int main(int argc, char **argv)
{
    char modname[PATH_MAX];
    const char *names[1] = {modname};
    mpr_context_t *ctx;
    mpr_process_t *proc;
    mpr_target_t f;
    void *mod;
    int rc, code = 0;

    if ((rc = mpr_main(argc, argv)) < 0)
        return case_fail(rc);
    if (module_path(modname, sizeof modname) < 0)
        return case_fail(-ENAMETOOLONG);
    if ((rc = mpr_context_get_context(mpr_default_context(), "forkserver",
                                      &ctx)) < 0)
        return case_fail(rc);
    /* mod = __import__(modname) */
    if ((mod = dlopen(modname, RTLD_NOW | RTLD_GLOBAL)) == NULL) {
        fflush(stdout);
        fprintf(stderr, "ModuleNotFoundError: %s\n", dlerror());
        return 1;
    }
    *(void **)&f = dlsym(mod, "f");
    if ((rc = mpr_context_set_forkserver_preload(ctx, names, 1)) < 0)
        return case_fail(rc);
    mpr_process_options_t o = {.target = f, .context = mpr_context_method(ctx)};
    if ((rc = mpr_process_new(&proc, &o)) < 0)
        return case_fail(rc);
    if ((rc = mpr_process_start(proc)) < 0 ||
        (rc = mpr_process_join(proc, MPR_TIMEOUT_NONE)) < 0) {
        mpr_process_free(proc);
        return case_fail(rc);
    }
    mpr_process_exitcode(proc, &code);
    printf("exitcode: %d\n", code);
    mpr_process_free(proc);
    return 0;
}
