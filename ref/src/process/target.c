/*
 * target.c - the registry of targets that spawn and forkserver children
 * look up by name (mpr_target_register, MPR_TARGET), and
 * mpr_target_error, a target's `raise`.
 *
 * State, per process: the registry, built by constructors before main and
 * so identical in every copy of the program.
 */
#include "mpr/process.h"
#include "process/target.h"
#include "base/internal.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

typedef struct {
    char *name;
    void (*fn)(void);
} target_entry_t;

static target_entry_t *targets;
static size_t n_targets, cap_targets;

int mpr_target_register(const char *name, void (*fn)(void))
{
    for (size_t i = 0; i < n_targets; i++) {
        if (strcmp(targets[i].name, name) == 0) {
            if (targets[i].fn == fn)
                return 0;
            return mpr__error(MPR_EVALUE,
                              "target name '%s' is already "
                              "registered to another function",
                              name);
        }
    }
    if (n_targets == cap_targets) {
        size_t cap = cap_targets ? 2 * cap_targets : 16;
        target_entry_t *t = mpr__sys.realloc(targets, cap * sizeof(*t));
        if (t == NULL)
            return mpr__error(MPR__ERR(ENOMEM), NULL);
        targets = t;
        cap_targets = cap;
    }
    targets[n_targets].name = mpr__strdup(name);
    if (targets[n_targets].name == NULL)
        return mpr__error(MPR__ERR(ENOMEM), NULL);
    targets[n_targets++].fn = fn;
    return 0;
}

int mpr_target_error(int code, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    code = mpr__verror(code, fmt, ap);
    va_end(ap);
    return code;
}

const char *mpr__target_name(void (*fn)(void))
{
    for (size_t i = 0; i < n_targets; i++)
        if (targets[i].fn == fn)
            return targets[i].name;
    return NULL;
}

void (*mpr__target_lookup(const char *name))(void)
{
    for (size_t i = 0; i < n_targets; i++)
        if (strcmp(targets[i].name, name) == 0)
            return targets[i].fn;
    return NULL;
}
