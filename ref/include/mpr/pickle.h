/*
 * pickle.h - pickle.dumps and pickle.loads over libmpref's values (obj.h):
 * the wire format of connections, queues, pools and managers.
 * Implemented in ref/src/pickle/.
 */
#ifndef MPR_PICKLE_H
#define MPR_PICKLE_H

#include "common.h"
#include "obj.h"

#include <stddef.h>

/*
 * pickle.dumps(o, protocol) as CPython 3.11's C pickler writes it, byte for
 * byte, for protocols 2 to 5 (4 is what multiprocessing's ForkingPickler
 * uses).  The buffer is freed with mpr_free().  (pickle_dump.c)
 * Errors: MPR_EVALUE ("pickle protocol must be <= 5"), -ENOMEM,
 * MPR_ERECURSION ("maximum recursion depth exceeded while pickling an
 * object").
 */
MPR_EXTERN int mpr_pickle_dumps(const mpr_obj_t *o, int protocol, char **out,
                                size_t *len);

/*
 * pickle.loads(data) restricted to data: reads the opcodes of protocols 0
 * to 5 that build these types (binary ones, and the text INT, LONG,
 * FLOAT, UNICODE, PUT and GET), and refuses every opcode that would look up or
 * call code (GLOBAL, STACK_GLOBAL, REDUCE, BUILD, INST, OBJ, NEWOBJ, NEWOBJ_EX,
 * EXT1/2/4, PERSID, BINPERSID), sets and frozensets, bytearray, out-of-band
 * buffers and Python 2's escaped-text STRING.  A value that
 * would reach itself (a list appended into itself) is refused too:
 * reference counting could not free it.  Never crashes on hostile input.
 * *out receives a new reference.  (pickle_load.c)
 * Errors: MPR_EUNPICKLE (UnpicklingError, CPython's message where it has
 * one: "pickle data was truncated", "invalid load key, '\\x99'."), MPR_EEOF
 * ("Ran out of input"), MPR_EOVERFLOW for an int outside int64_t,
 * MPR_EUNICODE for a str that is not UTF-8, -ENOMEM.
 */
MPR_EXTERN int mpr_pickle_loads(const void *data, size_t len, mpr_obj_t **out);

#endif /* MPR_PICKLE_H */
