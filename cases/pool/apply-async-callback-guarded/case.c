/*
 * pool/apply-async-callback-guarded: the same C program as
 * pool/apply-async-callback (a C program needs no __main__ guard, so the
 * guarded Python script and the document's unguarded one translate alike;
 * this case runs it under spawn and forkserver).  cases/meson.build
 * (case_source_of) builds this case from ../apply-async-callback/case.c, so
 * this file holds no code.
 */
