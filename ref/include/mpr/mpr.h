/*
 * mpr.h - libmpref, a C reference implementation of Python's
 * multiprocessing primitives.  The umbrella header: it only includes the
 * others.
 */
#ifndef MPR_H
#define MPR_H

#include "common.h"
#include "error.h"
#include "main.h"
#include "timeout.h"
/* mpr.h includes: add one line per primitive header below. */
#include "manager.h"
#include "lock.h"
#include "condition.h"
#include "event.h"
#include "barrier.h"
#include "sharedctypes.h"
#include "process.h"
#include "obj.h"
#include "connection.h"
#include "queue.h"
#include "pool.h"

#endif /* MPR_H */
