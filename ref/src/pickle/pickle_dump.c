/*
 * pickle_dump.c - pickle.dumps() of mpr_obj_t, byte for byte as CPython
 * 3.11's C pickler (Modules/_pickle.c) writes it for protocols 2 to 5:
 * the same opcodes, the same memo (by object identity, MEMOIZE from
 * protocol 4, BINPUT before), the same batches of 1000 for APPENDS and
 * SETITEMS, and the same 64 KiB framing (FRAME from protocol 4; a frame
 * under 4 bytes is dropped; payloads of 64 KiB or more go unframed).
 */
#include "mpr/obj.h"
#include "mpr/pickle.h"
#include "base/buf.h"
#include "base/internal.h"
#include "obj/objimpl.h"
#include "pickle/handles.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#define FRAME_SIZE_MIN    4
#define FRAME_SIZE_TARGET (64 * 1024)
#define FRAME_HEADER_SIZE 9
#define BATCHSIZE         1000

typedef struct {
    const mpr_obj_t *obj;
    size_t index;
} memo_slot_t;

typedef struct {
    mpr__buf_t out;
    int proto;
    int framing;
    size_t frame_start;          /* SIZE_MAX: no open frame */
    memo_slot_t *memo;           /* open addressing on the object's address */
    size_t memo_size;            /* slots, a power of two */
    size_t memo_len;             /* objects memoised = next memo index */
    memo_slot_t inline_memo[32]; /* the memo of a small value: no malloc */
    const mpr__pickle_handles_t *hooks; /* NULL: handles are refused */
    /* the handles' tokens, alive until the end: the memo goes by address,
     * and a freed token's address could come back as another object */
    mpr_obj_t *tokens;
} pickler_t;

/* ---- output and frames (_Pickler_Write, _Pickler_CommitFrame) --------- */

static void put_le(unsigned char *p, uint64_t v, int n)
{
    for (int i = 0; i < n; i++)
        p[i] = (unsigned char)(v >> (8 * i));
}

static void write_raw(pickler_t *p, const void *data, size_t n)
{
    if (p->framing && p->frame_start == SIZE_MAX) {
        static const unsigned char hole[FRAME_HEADER_SIZE];
        p->frame_start = p->out.len;
        mpr__buf_put(&p->out, hole, FRAME_HEADER_SIZE);
    }
    mpr__buf_put(&p->out, data, n);
}

static void commit_frame(pickler_t *p)
{
    size_t len;
    unsigned char *q;

    if (!p->framing || p->frame_start == SIZE_MAX || p->out.err)
        return;
    len = p->out.len - p->frame_start - FRAME_HEADER_SIZE;
    q = (unsigned char *)p->out.data + p->frame_start;
    if (len >= FRAME_SIZE_MIN) {
        q[0] = 0x95; /* FRAME */
        put_le(q + 1, len, 8);
    } else {
        memmove(q, q + FRAME_HEADER_SIZE, len);
        p->out.len -= FRAME_HEADER_SIZE;
    }
    p->frame_start = SIZE_MAX;
}

/* Before each object: a frame that reached 64 KiB is closed. */
static void opcode_boundary(pickler_t *p)
{
    if (p->framing && p->frame_start != SIZE_MAX && !p->out.err &&
        p->out.len - p->frame_start - FRAME_HEADER_SIZE >= FRAME_SIZE_TARGET)
        commit_frame(p);
}

static void write_op(pickler_t *p, unsigned char op)
{
    write_raw(p, &op, 1);
}

/* An opcode with an n-byte little-endian argument. */
static void write_op_arg(pickler_t *p, unsigned char op, uint64_t arg, int n)
{
    unsigned char b[9];

    b[0] = op;
    put_le(b + 1, arg, n);
    write_raw(p, b, (size_t)n + 1);
}

/* _Pickler_write_bytes: a payload of 64 KiB or more bypasses framing. */
static void write_payload(pickler_t *p, const unsigned char *hdr, size_t hn,
                          const char *data, size_t n)
{
    int framing = p->framing;

    if (n >= FRAME_SIZE_TARGET) {
        commit_frame(p);
        p->framing = 0;
    }
    write_raw(p, hdr, hn);
    write_raw(p, data, n);
    p->framing = framing;
}

/* ---- memo ------------------------------------------------------------- */

static size_t memo_slot(const pickler_t *p, const mpr_obj_t *o)
{
    size_t i = ((uintptr_t)o >> 4) * 0x9E3779B97F4A7C15u;

    i &= p->memo_size - 1;
    while (p->memo[i].obj != NULL && p->memo[i].obj != o)
        i = (i + 1) & (p->memo_size - 1);
    return i;
}

static int memo_find(const pickler_t *p, const mpr_obj_t *o, size_t *index)
{
    size_t i;

    if (p->memo_size == 0)
        return 0;
    i = memo_slot(p, o);
    if (p->memo[i].obj == NULL)
        return 0;
    *index = p->memo[i].index;
    return 1;
}

static int memo_grow(pickler_t *p)
{
    memo_slot_t *old = p->memo;
    size_t n = p->memo_size;

    if (n == 0) {
        p->memo = p->inline_memo;
        p->memo_size = sizeof(p->inline_memo) / sizeof(p->inline_memo[0]);
        return 0;
    }
    p->memo_size = n * 2;
    p->memo = mpr__sys.calloc(p->memo_size, sizeof(*p->memo));
    if (p->memo == NULL) {
        p->memo = old;
        p->memo_size = n;
        return p->out.err = mpr__error(MPR__ERR(ENOMEM), NULL);
    }
    for (size_t i = 0; i < n; i++)
        if (old[i].obj != NULL)
            p->memo[memo_slot(p, old[i].obj)] = old[i];
    if (old != p->inline_memo)
        free(old);
    return 0;
}

/* memo_put: remembers o (NULL: an index no value is fetched by) and
 * writes MEMOIZE or BINPUT/LONG_BINPUT. */
static void memo_put(pickler_t *p, const mpr_obj_t *o)
{
    size_t idx = p->memo_len;

    if ((p->memo_len + 1) * 2 > p->memo_size && memo_grow(p) < 0)
        return;
    if (o != NULL)
        p->memo[memo_slot(p, o)] = (memo_slot_t){o, idx};
    p->memo_len++;
    if (p->proto >= 4)
        write_op(p, 0x94); /* MEMOIZE */
    else if (idx < 256)
        write_op_arg(p, 'q', idx, 1); /* BINPUT */
    else
        write_op_arg(p, 'r', idx, 4); /* LONG_BINPUT */
}

static void memo_get(pickler_t *p, size_t idx)
{
    if (idx < 256)
        write_op_arg(p, 'h', idx, 1); /* BINGET */
    else
        write_op_arg(p, 'j', idx, 4); /* LONG_BINGET */
}

/* ---- scalars ---------------------------------------------------------- */

static void save_int(pickler_t *p, int64_t v)
{
    unsigned char b[12];
    int n;

    if (v >= 0 && v <= 0xff)
        write_op_arg(p, 'K', (uint64_t)v, 1); /* BININT1 */
    else if (v >= 0 && v <= 0xffff)
        write_op_arg(p, 'M', (uint64_t)v, 2); /* BININT2 */
    else if (v >= INT32_MIN && v <= INT32_MAX)
        write_op_arg(p, 'J', (uint64_t)v, 4); /* BININT */
    else {
        /* LONG1: minimal little-endian two's complement, (bits / 8) + 1
         * bytes, one fewer for a negative value whose top byte is a
         * redundant 0xff (save_long). */
        uint64_t mag = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
        int bits = 64 - __builtin_clzll(mag);
        n = bits / 8 + 1;
        b[0] = 0x8a;
        b[1] = 0;
        put_le(b + 2, (uint64_t)v, n > 8 ? 8 : n);
        if (n > 8)
            b[2 + 8] = v < 0 ? 0xff : 0;
        if (v < 0 && n > 1 && b[1 + n] == 0xff && (b[n] & 0x80))
            n--;
        b[1] = (unsigned char)n;
        write_raw(p, b, (size_t)n + 2);
    }
}

static void save_float(pickler_t *p, double f)
{
    unsigned char b[9];
    uint64_t bits;

    memcpy(&bits, &f, sizeof(bits));
    b[0] = 'G'; /* BINFLOAT, big-endian */
    for (int i = 0; i < 8; i++)
        b[1 + i] = (unsigned char)(bits >> (56 - 8 * i));
    write_raw(p, b, 9);
}

static int save_buffer(pickler_t *p, const mpr_obj_t *o)
{
    unsigned char hdr[9];
    size_t n = o->u.s.len, hn;
    int str = o->type == MPR_OBJ_STR;

    if (!str && p->proto < 3)
        return mpr__error(MPR_EPICKLE, "libmpref pickles bytes with "
                                       "protocol 3 or later only");
    if (n <= 0xff && (!str || p->proto >= 4)) {
        hdr[0] = str ? 0x8c : 'C'; /* SHORT_BINUNICODE, SHORT_BINBYTES */
        hdr[1] = (unsigned char)n;
        hn = 2;
    } else if (n <= 0xffffffffu) {
        hdr[0] = str ? 'X' : 'B'; /* BINUNICODE, BINBYTES */
        put_le(hdr + 1, n, 4);
        hn = 5;
    } else if (p->proto >= 4) {
        hdr[0] = str ? 0x8d : 0x8e; /* BINUNICODE8, BINBYTES8 */
        put_le(hdr + 1, n, 8);
        hn = 9;
    } else {
        return mpr__error(MPR_EOVERFLOW,
                          "cannot serialize a %s larger "
                          "than 4 GiB",
                          str ? "string" : "bytes object");
    }
    write_payload(p, hdr, hn, o->u.s.data, n);
    memo_put(p, o);
    return 0;
}

/* ---- containers ------------------------------------------------------- */

static int save(pickler_t *p, const mpr_obj_t *o, int depth);

static int save_tuple(pickler_t *p, const mpr_obj_t *o, int depth)
{
    size_t n = o->u.seq.len, idx;
    int rc;

    if (n == 0) {
        write_op(p, ')'); /* EMPTY_TUPLE, never memoised */
        return 0;
    }
    if (n > 3)
        write_op(p, '('); /* MARK */
    for (size_t i = 0; i < n; i++)
        if ((rc = save(p, o->u.seq.items[i], depth + 1)) < 0)
            return rc;
    /* In the memo now: the tuple was reached through its own items (a
     * cycle through a list); drop the items and fetch it. */
    if (memo_find(p, o, &idx)) {
        if (n > 3)
            write_op(p, '1'); /* POP_MARK */
        else
            for (size_t i = 0; i < n; i++)
                write_op(p, '0'); /* POP */
        memo_get(p, idx);
        return 0;
    }
    write_op(p, n > 3 ? 't' : (unsigned char)(0x84 + n)); /* TUPLE[123] */
    memo_put(p, o);
    return 0;
}

static int save_list(pickler_t *p, const mpr_obj_t *o, int depth)
{
    size_t n = o->u.seq.len, total = 0;
    int rc;

    write_op(p, ']'); /* EMPTY_LIST */
    memo_put(p, o);
    if (n == 1) {
        if ((rc = save(p, o->u.seq.items[0], depth + 2)) < 0)
            return rc;
        write_op(p, 'a'); /* APPEND */
        return 0;
    }
    while (total < o->u.seq.len) {
        write_op(p, '(');
        for (int batch = 0; batch < BATCHSIZE && total < o->u.seq.len; batch++)
            if ((rc = save(p, o->u.seq.items[total++], depth + 2)) < 0)
                return rc;
        write_op(p, 'e'); /* APPENDS */
    }
    return 0;
}

static int save_dict(pickler_t *p, const mpr_obj_t *o, int depth)
{
    size_t pos = 0;
    mpr_obj_t *k, *v;
    int rc, i;

    write_op(p, '}'); /* EMPTY_DICT */
    memo_put(p, o);
    if (o->u.d.len == 0)
        return 0;
    if (o->u.d.len == 1) {
        mpr_obj_dict_next(o, &pos, &k, &v);
        if ((rc = save(p, k, depth + 2)) < 0 ||
            (rc = save(p, v, depth + 2)) < 0)
            return rc;
        write_op(p, 's'); /* SETITEM */
        return 0;
    }
    /* batch_dict_exact loops while a batch came out full: a dict of
     * exactly 1000 items ends with an empty MARK SETITEMS, as CPython's. */
    do {
        write_op(p, '(');
        for (i = 0; i < BATCHSIZE && mpr_obj_dict_next(o, &pos, &k, &v); i++)
            if ((rc = save(p, k, depth + 2)) < 0 ||
                (rc = save(p, v, depth + 2)) < 0)
                return rc;
        write_op(p, 'u'); /* SETITEMS */
    } while (i == BATCHSIZE);
    return 0;
}

/*
 * An object of the program's own class: what its reduce gives, in its
 * place (save_reduce), then memoised under the object itself, so that a
 * second occurrence is the same value again, as in CPython.
 */
static int save_object(pickler_t *p, const mpr_obj_t *o, int depth)
{
    mpr_obj_t *v;
    int rc;

    if (p->tokens == NULL && (p->tokens = mpr_obj_list()) == NULL)
        return mpr_last_error();
    if ((rc = mpr__object_reduce(o, &v)) < 0)
        return rc;
    /* kept until the end: the memo goes by address */
    if ((rc = mpr_obj_list_append_steal(p->tokens, v)) < 0)
        return rc;
    if ((rc = save(p, v, depth + 1)) < 0)
        return rc;
    memo_put(p, o);
    return 0;
}

/*
 * A handle, when the process layer reduces handles: GLOBAL 'mpr.handle'
 * KIND, the token, TUPLE1, REDUCE (handles.h).  Not memoised: each
 * occurrence is reduced on its own, as a child rebuilds each once.
 */
static int save_handle(pickler_t *p, const mpr_obj_t *o, int depth)
{
    const mpr__handle_ops_t *ops = mpr__handle_ops(o->u.h.kind);
    mpr_obj_t *tok = NULL;
    int rc;

    if (o->u.h.kind == MPR_HANDLE_OBJECT)
        return save_object(p, o, depth);
    if (p->hooks == NULL || p->hooks->reduce == NULL || ops == NULL)
        return mpr__handle_refuse(o);
    if (p->tokens == NULL && (p->tokens = mpr_obj_list()) == NULL)
        return mpr_last_error();
    if ((rc = p->hooks->reduce(p->hooks->ctx, o, &tok)) < 0)
        return rc;
    if ((rc = mpr_obj_list_append_steal(p->tokens, tok)) < 0)
        return rc;
    write_op(p, 'c');
    write_raw(p, "mpr.handle\n", 11);
    write_raw(p, ops->name, strlen(ops->name));
    write_raw(p, "\n", 1);
    rc = save(p, tok, depth + 1);
    write_op(p, 0x85); /* TUPLE1 */
    write_op(p, 'R');  /* REDUCE */
    return rc;
}

/*
 * A slice, as save_reduce writes slice.__reduce__()'s (slice, (start,
 * stop, step)): the global builtins.slice (memoised: a second slice
 * fetches it), the 3-tuple of arguments (memoised though nothing fetches
 * it again), REDUCE; save() memoises the slice.  Protocol 2 names the
 * module __builtin__ (fix_imports), 3 writes GLOBAL, 4 on STACK_GLOBAL.
 * The memo goes by address: the class is keyed by a static of its own,
 * the arguments (a tuple CPython makes on the fly) by an address inside
 * the slice, which no other object can have.
 */
static int save_slice(pickler_t *p, const mpr_obj_t *o, int depth)
{
    static const char names[3]; /* keys: 'builtins', 'slice', the class */
    const mpr_obj_t *cls = (const mpr_obj_t *)&names[2];
    const mpr_obj_t *args = (const mpr_obj_t *)&o->u.seq;
    size_t idx;
    int rc;

    if (memo_find(p, cls, &idx))
        memo_get(p, idx);
    else if (p->proto >= 4) {
        write_op_arg(p, 0x8c, 8, 1); /* SHORT_BINUNICODE */
        write_raw(p, "builtins", 8);
        memo_put(p, (const mpr_obj_t *)&names[0]);
        write_op_arg(p, 0x8c, 5, 1);
        write_raw(p, "slice", 5);
        memo_put(p, (const mpr_obj_t *)&names[1]);
        write_op(p, 0x93); /* STACK_GLOBAL */
        memo_put(p, cls);
    } else {
        write_op(p, 'c'); /* GLOBAL */
        if (p->proto == 2)
            write_raw(p, "__builtin__\nslice\n", 18);
        else
            write_raw(p, "builtins\nslice\n", 15);
        memo_put(p, cls);
    }
    for (size_t i = 0; i < 3; i++)
        if ((rc = save(p, o->u.seq.items[i], depth + 1)) < 0)
            return rc;
    write_op(p, 0x87); /* TUPLE3 */
    memo_put(p, args);
    write_op(p, 'R'); /* REDUCE */
    memo_put(p, o);
    return 0;
}

/*
 * A value the hooks' as_call says stands for mod.name(*args), as
 * CPython's save_reduce writes an exception: the class (save_global:
 * STACK_GLOBAL from protocol 4, GLOBAL before, memoised), the args
 * tuple, REDUCE, and the value memoised.
 */
static int save_call(pickler_t *p, const mpr_obj_t *o, const mpr_obj_t *mod,
                     const mpr_obj_t *name, const mpr_obj_t *args, int depth)
{
    int rc;

    if (mod->type != MPR_OBJ_STR || name->type != MPR_OBJ_STR ||
        args->type != MPR_OBJ_TUPLE)
        return mpr__error(MPR_EPICKLE, "libmpref: a call pickles as (str, "
                                       "str, tuple)");
    if (p->proto >= 4) {
        if ((rc = save(p, mod, depth + 1)) < 0 ||
            (rc = save(p, name, depth + 1)) < 0)
            return rc;
        write_op(p, 0x93); /* STACK_GLOBAL */
    } else {
        if (memchr(mod->u.s.data, '\n', mod->u.s.len) != NULL ||
            memchr(name->u.s.data, '\n', name->u.s.len) != NULL)
            return mpr__error(MPR_EPICKLE, "libmpref: a global's name holds "
                                           "a newline");
        write_op(p, 'c'); /* GLOBAL */
        write_raw(p, mod->u.s.data, mod->u.s.len);
        write_raw(p, "\n", 1);
        write_raw(p, name->u.s.data, name->u.s.len);
        write_raw(p, "\n", 1);
    }
    /* the class: memoised as CPython does, never fetched again here (one
     * call per class in the values libmpref writes): no key kept */
    memo_put(p, NULL);
    if ((rc = save(p, args, depth + 1)) < 0)
        return rc;
    write_op(p, 'R'); /* REDUCE */
    memo_put(p, o);
    return 0;
}

/*
 * save(): depth counts Py_EnterRecursiveCall as CPython 3.11 does at
 * module level: one per object, one more for the items of a list or dict,
 * so 500 nested lists pickle and 501 raise, as do 1000 nested tuples.
 */
static int save(pickler_t *p, const mpr_obj_t *o, int depth)
{
    size_t idx;
    int rc = 0;

    /* pickle.py's save() starts with framer.commit_frame(): a frame that
     * reached 64 KiB closes before the next object, never after the
     * last one (the C pickler agrees byte for byte). */
    opcode_boundary(p);
    if (depth > MPR_OBJ_MAX_DEPTH - 1)
        return mpr__error(MPR_ERECURSION, "maximum recursion depth exceeded "
                                          "while pickling an object");
    switch (o->type) {
    case MPR_OBJ_NONE:
        write_op(p, 'N');
        break;
    case MPR_OBJ_BOOL:
        write_op(p, o->u.i ? 0x88 : 0x89); /* NEWTRUE, NEWFALSE */
        break;
    case MPR_OBJ_INT:
        save_int(p, o->u.i);
        break;
    case MPR_OBJ_FLOAT:
        save_float(p, o->u.f);
        break;
    default:
        if (memo_find(p, o, &idx) &&
            !(o->type == MPR_OBJ_TUPLE && o->u.seq.len == 0)) {
            memo_get(p, idx);
            break;
        }
        const mpr_obj_t *mod, *name, *args;
        if (o->type == MPR_OBJ_TUPLE && p->hooks != NULL &&
            p->hooks->as_call != NULL &&
            p->hooks->as_call(p->hooks->ctx, o, &mod, &name, &args) == 1)
            rc = save_call(p, o, mod, name, args, depth);
        else if (o->type == MPR_OBJ_STR || o->type == MPR_OBJ_BYTES)
            rc = save_buffer(p, o);
        else if (o->type == MPR_OBJ_TUPLE)
            rc = save_tuple(p, o, depth);
        else if (o->type == MPR_OBJ_LIST)
            rc = save_list(p, o, depth);
        else if (o->type == MPR_OBJ_HANDLE)
            rc = save_handle(p, o, depth);
        else if (o->type == MPR_OBJ_SLICE)
            rc = save_slice(p, o, depth);
        else
            rc = save_dict(p, o, depth);
    }
    return rc < 0 ? rc : p->out.err;
}

int mpr__pickle_dumps_handles(const mpr_obj_t *o, int protocol,
                              const mpr__pickle_handles_t *hooks, char **out,
                              size_t *len)
{
    pickler_t p = {.proto = protocol, .frame_start = SIZE_MAX, .hooks = hooks};
    unsigned char hdr[2] = {0x80, (unsigned char)protocol};
    int rc;

    *out = NULL;
    if (protocol > 5)
        return mpr__error(MPR_EVALUE, "pickle protocol must be <= 5");
    if (protocol < 2)
        return mpr__error(MPR_EVALUE, "libmpref pickles with protocol 2 "
                                      "or later only");
    write_raw(&p, hdr, 2);
    p.framing = protocol >= 4;
    rc = save(&p, o, 1);
    if (rc == 0) {
        write_op(&p, '.'); /* STOP */
        commit_frame(&p);
    }
    if (p.memo != p.inline_memo)
        free(p.memo);
    mpr_obj_decref(p.tokens);
    if (rc < 0) {
        free(p.out.data);
        return rc;
    }
    return mpr__buf_finish(&p.out, out, len);
}

int mpr_pickle_dumps(const mpr_obj_t *o, int protocol, char **out, size_t *len)
{
    return mpr__pickle_dumps_handles(o, protocol, NULL, out, len);
}
