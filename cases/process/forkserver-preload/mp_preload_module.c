/*
 * mp_preload_module: the module of process/forkserver-preload, as case.py
 * writes Lib/test/mp_preload.py's module.  A C module is a shared object;
 * importing it (dlopen) runs this constructor, its top level: it makes a
 * Lock, as `multiprocessing.Lock()` does, and defines f (registered, so
 * that a process started in this program can run it).
 */
#include <mpr.h>

#include <stdio.h>

/* def f(): print("ok"); found by the importer as mod.f (dlsym) */
int f(mpr_obj_t *args, mpr_obj_t *kwargs);

int f(mpr_obj_t *args, mpr_obj_t *kwargs)
{
    (void)args, (void)kwargs;
    printf("ok\n");
    return 0;
}

__attribute__((constructor)) static void mp_preload_module(void)
{
    mpr_lock_t *lock;

    /* multiprocessing.Lock(): made, and dropped at once (its value is not
     * kept); an error would be an ImportError, which the forkserver
     * ignores */
    if (mpr_lock_new(&lock) == 0)
        mpr_lock_free(lock);
    mpr_target_register("f", (void (*)(void))f);
}
