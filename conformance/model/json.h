/*
 * json.h - a small, strict JSON reader (RFC 8259) for results.json.
 *
 * Internal to conformance/report/.  It builds a tree of jv_t; inputs are
 * untrusted (a shard from another machine, a hand-edited file), so it
 * rejects anything malformed with "line L, column C: what", never reads
 * past the buffer, and bounds nesting to JSON_MAX_DEPTH so hostile input
 * cannot exhaust the stack.
 */
#ifndef MPC_JSON_H
#define MPC_JSON_H

#include <stddef.h>

#define JSON_MAX_DEPTH 64

typedef enum { J_NULL, J_BOOL, J_NUM, J_STR, J_ARR, J_OBJ } jtype_t;

typedef struct jv {
    jtype_t type;
    int b;            /* J_BOOL */
    double num;       /* J_NUM */
    char *str;        /* J_STR: UTF-8, NUL-terminated; \u0000 gives a NUL */
    size_t len;       /* J_STR: bytes before the terminating NUL */
    struct jv *items; /* J_ARR elements, J_OBJ values */
    char **keys;      /* J_OBJ keys, parallel to items */
    size_t n;         /* element / member count */
} jv_t;

/*
 * Parse text[0..len) into *out.  Returns 0, or -1 with a message in err
 * (always NUL-terminated) and *out zeroed.  A string may contain \u0000
 * (captured output can): str then holds a NUL byte, len counts it, and a
 * reader that takes str as a C string sees it cut there (object keys are
 * taken so); lone surrogates become U+FFFD.
 */
int json_parse(const char *text, size_t len, jv_t *out, char *err,
               size_t errlen);

/* Free the tree below v (not v itself) and zero it. */
void json_free(jv_t *v);

/* The member KEY of an object, or NULL (also when v is not an object). */
const jv_t *json_get(const jv_t *v, const char *key);

/* "null", "boolean", ... for messages. */
const char *json_type_name(jtype_t t);

#endif /* MPC_JSON_H */
