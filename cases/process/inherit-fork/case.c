/*
 * process/inherit-fork (and process/inherit-spawn, which cases/meson.build
 * builds from this file): a global changed in main and a close-on-exec
 * descriptor at 100.  A fork child has both; a spawn or forkserver child is
 * a fresh copy of the program that runs only the target, so it sees the
 * global's initial value and no descriptor 100.  The Python module-level
 * "G = 'import-time'" is the static initialiser here, the main block's
 * assignment is main's.
 */
#include <mpr.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

static const char *g = "import-time";

static int show(mpr_obj_t *args, mpr_obj_t *kwargs)
{
    struct stat st;
    int64_t fd = -1;

    (void)kwargs;
    mpr_obj_as_int64(mpr_obj_item(args, 0), &fd);
    printf("child sees G = %s\n", g);
    if (fstat((int)fd, &st) < 0)
        printf("child fstat(fd): %s %s\n", mpr_err_pytype(-errno),
               mpr_strerror(-errno));
    else
        printf("child fstat(fd): ok\n");
    return 0;
}
MPR_TARGET(show)

int main(int argc, char **argv)
{
    mpr_process_t *p;
    mpr_obj_t *args;
    int fd0, fd, code = -1;

    if (mpr_main(argc, argv) < 0)
        return 1;
    g = "changed-in-main";
    if ((fd0 = open("/dev/null", O_RDONLY | O_CLOEXEC)) < 0 ||
        (fd = dup3(fd0, 100, O_CLOEXEC)) < 0)
        return 1;
    close(fd0);
    args = mpr_obj_tuple_steal(1, mpr_obj_int(fd));
    mpr_process_options_t o = {.target = show, .args = args};
    if (args == NULL || mpr_process_new(&p, &o) < 0)
        return 1;
    mpr_obj_decref(args);
    if (mpr_process_start(p) < 0)
        return 1;
    mpr_process_join(p, MPR_TIMEOUT_NONE);
    close(fd);
    mpr_process_exitcode(p, &code);
    printf("exitcode: %d\n", code);
    mpr_process_free(p);
    return 0;
}
