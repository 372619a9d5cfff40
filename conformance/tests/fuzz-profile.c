/*
 * fuzz-profile.c - libFuzzer target for the profile parser: any bytes in a
 * profile file load or fail with a message, never crash or leak.  The
 * parser reads from a path, so the input goes through a memfd.
 *
 * Run: ./scripts/fuzz profile   (seeds: the shipped profiles in
 * conformance/impls)
 */
#include "profile.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char path[64], *err = NULL;
    mpc_profile_t p;
    int fd = memfd_create("fuzz-profile", MFD_CLOEXEC);

    if (fd < 0)
        abort();
    if (write(fd, data, size) != (ssize_t)size)
        abort();
    snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
    if (mpc_profile_load(path, &p, &err) == 0)
        mpc_profile_free(&p);
    else if (err == NULL)
        abort(); /* a refused profile always says why */
    free(err);
    close(fd);
    return 0;
}
