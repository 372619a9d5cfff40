/*
 * target.h - the registry of targets (target.c): spawn and forkserver
 * children are fresh copies of the program and find the function to run
 * by the name its parent registered it under.  The process layer's
 * interface to Pool, whose workers run registered functions too.
 */
#ifndef MPR_PROCESS_TARGET_H
#define MPR_PROCESS_TARGET_H

/* Returns the registered name of fn, or NULL. */
const char *mpr__target_name(void (*fn)(void));

/* Returns the function registered under name, or NULL. */
void (*mpr__target_lookup(const char *name))(void);

#endif /* MPR_PROCESS_TARGET_H */
