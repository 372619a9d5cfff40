/*
 * common.h - what every libmpref header needs: the export macro and the
 * library version.  Self-contained; included by every public header.
 */
#ifndef MPR_COMMON_H
#define MPR_COMMON_H

#define MPR_VERSION_MAJOR 0
#define MPR_VERSION_MINOR 1
#define MPR_VERSION_PATCH 0

/* The library is built with -fvisibility=hidden; only MPR_EXTERN symbols
 * are exported from the shared object. */
#if defined(__GNUC__) || defined(__clang__)
#define MPR_EXTERN __attribute__((visibility("default")))
#else
#define MPR_EXTERN
#endif

#endif /* MPR_COMMON_H */
