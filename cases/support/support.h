/*
 * support.h - what many case.c translations share, so that each reads like
 * its case.py: printing as Python prints (bools, reprs, a call's outcome),
 * Python's builtins over a case's values (range, sorted, set,
 * comprehensions, random, time.time), starting a Process, and the
 * handle values (mpr_obj_handle) a target reads from its args.  Linked into
 * every case executable; test-support.c checks the helpers against CPython's
 * output.
 */
#ifndef CASE_SUPPORT_H
#define CASE_SUPPORT_H

#include <mpr.h>

#include <stddef.h>

/* str(v) of a Python bool: "True" or "False". */
const char *case_bool(int v);

/*
 * print(prefix, repr(o)), with print's single space; prefix may be NULL
 * (print(repr(o))).  Returns 0, or the error of repr.
 */
int case_print_repr(const char *prefix, const mpr_obj_t *o);

/* list(range(a, b)): a new list of the ints a..b-1, or NULL when memory
 * ran out. */
mpr_obj_t *case_range_list(int a, int b);

/* time.time(): the wall clock in seconds. */
double case_now(void);

/*
 * Process(target=fn, args=args) into *p, not started.  args is stolen
 * (NULL means making it failed: that error is returned).  Returns 0 or the
 * error of creating the process.
 */
int case_process(mpr_process_t **p, mpr_target_t fn, mpr_obj_t *args);

/*
 * Process(target=fn, args=args).start() into *p.  args is stolen (NULL
 * means making it failed: that error is returned).  Returns 0 or the error
 * of creating or starting the process; after a failed start *p is set, and
 * the caller frees it.
 */
int case_start(mpr_process_t **p, mpr_target_t fn, mpr_obj_t *args);

/*
 * random.randint(lo, hi) and random.random(): drawn from the kernel's
 * generator, so each process draws its own numbers, as CPython's random
 * (reseeded in every child) does; no seeding to forget.
 */
int case_randint(int lo, int hi);
double case_random(void);

/*
 * Comprehensions, sorted() and set() over the values of a case, which are
 * small lists and tuples of ints, floats, bools, strs and tuples of those.
 * Each returns a new list (NULL when memory ran out, or for case_sorted
 * when two items cannot be ordered: TypeError, as Python raises).
 */
/* [row[k] for row in rows] */
mpr_obj_t *case_column(const mpr_obj_t *rows, size_t k);
/* sorted(seq): stable, in Python's order (numbers by value, strs by code
 * point, tuples item by item). */
mpr_obj_t *case_sorted(const mpr_obj_t *seq);
/* set(seq) as a list of its distinct items, first seen first (for len()
 * and "in"; a set's own iteration order is not kept). */
mpr_obj_t *case_set(const mpr_obj_t *seq);
/* item in seq: 1 or 0 */
int case_contains(const mpr_obj_t *seq, const mpr_obj_t *item);

/*
 * print(what, repr(result)), or print(what, type(e).__name__, e) when rc
 * is an error code (the class without its module: "Empty", not
 * "_queue.Empty").  out is stolen; NULL prints None.
 */
void case_show(const char *what, int rc, mpr_obj_t *out);

/*
 * args[i] as the primitive a handle value of kind stands for (borrowed:
 * valid while args lives), as a target reads a Lock or a Connection from
 * its args.  NULL when it is not one, with MPR_ETYPE in mpr_last_error().
 */
void *case_arg(const mpr_obj_t *args, size_t i, mpr_handle_kind_t kind);

/* Pipe()'s pair (ends[0], ends[1]) as a value: a tuple of two
 * Connections.  A new reference, or NULL when memory ran out. */
mpr_obj_t *case_pipe_value(mpr_conn_t *const ends[2]);

/* (conns[0], ..., conns[n-1]) as a tuple of Connection values, Process
 * args as the Python writes them.  A new reference, or NULL when memory
 * ran out. */
mpr_obj_t *case_conns_value(size_t n, mpr_conn_t *const *conns);

/* In the child: the first n items of args as Connections (borrowed from
 * args, which owns any the start method rebuilt: close them, never free
 * them).  Returns 0, or MPR_ETYPE when one is not a Connection. */
int case_conns_of(const mpr_obj_t *args, size_t n, mpr_conn_t **conns);

/*
 * An uncaught exception in the main program: flushes stdout, prints the
 * traceback's first and last lines ("ValueError: ...") to stderr and
 * returns 1, the exit status CPython gives it.
 */
int case_fail(int rc);

/*
 * main() of a case whose run needs a started Manager (with Manager() as
 * m: run(m)): mpr_main, the manager entered and exited around run, and
 * case_fail for an error.  Returns main's exit status.
 */
int case_main_with_manager(int argc, char **argv, int (*run)(mpr_manager_t *m));

/*
 * proxy._callmethod(method, args) as a case prints it: repr() of the
 * result ("True", "None"), or for an error its class without the module
 * and its message ("RuntimeError release unlocked lock", as case_show).
 * args is stolen (NULL: ()).  The text lives in a ring of 8 buffers
 * shared with case_str: valid until the 8th call after.
 */
const char *case_call(mpr_proxy_t *p, const char *method, mpr_obj_t *args);

/* str(proxy), the server object's repr, in case_call's ring. */
const char *case_str(mpr_proxy_t *p);

/* In the child: the manager proxy a handle value stands for (borrowed:
 * its args own a rebuilt one) into *p.  Returns 0, or MPR_ETYPE when arg
 * is not a proxy. */
int case_proxy_of(const mpr_obj_t *arg, mpr_proxy_t **p);

/*
 * The path of a file beside a case's source (a Python program it runs,
 * such as child.py) into out: CASE_SIBLING passes the case's own __FILE__,
 * which meson makes relative to the build root, the parent of the folder
 * holding the case's program (BUILD/cases/case-...).  Returns 0 when the
 * file is readable, else -1 (errno set).
 */
int case_sibling(const char *file, const char *name, char *out, size_t size);
#define CASE_SIBLING(name, out, size) case_sibling(__FILE__, name, out, size)

/* time.monotonic() */
double case_monotonic(void);

/* In the child: the Queue a handle value stands for (borrowed: its args
 * own a rebuilt one) into *queue.  Returns 0, or MPR_ETYPE when arg is
 * not a Queue. */
int case_queue_of(const mpr_obj_t *arg, mpr_queue_t **queue);

#endif /* CASE_SUPPORT_H */
