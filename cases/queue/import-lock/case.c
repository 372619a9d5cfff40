/*
 * queue/import-lock: a module that, while it is being imported, makes a
 * Queue, puts an item and gets it back with a 3 s timeout does not
 * deadlock.  Python's import lock is held while a module's top level
 * runs; in C a module is a shared object, its top level its constructor,
 * which dlopen runs holding the dynamic loader's lock.  The module
 * (imported_by_an_imported_module.c) is built beside this program, as
 * case.py writes its module to a folder on sys.path.
 */
#include <mpr.h>

#include "support.h"

#include <dlfcn.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#define MODULE "case-queue-import-lock-imported_by_an_imported_module.so"

/* the module's path: beside this program */
static int module_path(char *buf, size_t size)
{
    ssize_t n = readlink("/proc/self/exe", buf, size - 1);
    char *slash;

    if (n < 0)
        return -1;
    buf[n] = '\0';
    if ((slash = strrchr(buf, '/')) == NULL ||
        (size_t)(slash + 1 - buf) + sizeof(MODULE) > size)
        return -1;
    strcpy(slash + 1, MODULE);
    return 0;
}

int main(int argc, char **argv)
{
    char path[PATH_MAX];
    const int *import_error;
    void *mod;
    int rc;

    if ((rc = mpr_main(argc, argv)) < 0)
        return case_fail(rc);
    if (module_path(path, sizeof path) < 0)
        return case_fail(-ENAMETOOLONG);
    /* __import__('imported_by_an_imported_module') */
    if ((mod = dlopen(path, RTLD_NOW)) == NULL) {
        fflush(stdout);
        fprintf(stderr, "ModuleNotFoundError: %s\n", dlerror());
        return 1;
    }
    if ((import_error = dlsym(mod, "import_error")) == NULL)
        return case_fail(MPR_EATTR);
    if (*import_error == 0)
        printf("a Queue used while its module is imported: no deadlock\n");
    else if (*import_error == MPR_EEMPTY)
        printf("Empty: probable import lock contention (issue #22853)\n");
    else
        return case_fail(*import_error);
    /* the module stays imported, as in sys.modules */
    return 0;
}
