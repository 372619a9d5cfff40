/*
 * process/inherit-spawn: the same program as process/inherit-fork, whose
 * case.c it compiles; the two cases differ only in the start methods they
 * run under and in what the child sees.
 */
#include "../inherit-fork/case.c"
