/*
 * process/inherit-spawn: the same program as process/inherit-fork; the two
 * cases differ only in the start methods they run under and in what the
 * child sees.  cases/meson.build (case_source_of) builds this case from
 * ../inherit-fork/case.c, so this file holds no code.
 */
