/*
 * sharedctypes_struct.c - Value and RawValue of a ctypes Structure
 * (CPython 3.11 sharedctypes: RawValue(Foo, *args) is a Foo in shared
 * memory; Value wraps it in SynchronizedFoo, whose field properties take
 * the lock; copy() makes a raw duplicate).
 *
 * Shared state: the structure's bytes only, laid out as ctypes (and the C
 * compiler) lays them out: each field at the next multiple of its size,
 * the whole rounded up to its largest field.  The layout (field names,
 * types, offsets) lives in each process's own object; a token carries it
 * as text, never as a pointer.
 */
#include "mpr/sharedctypes.h"
#include "shared/sharedctypes_internal.h"
#include "sync/semlock.h"
#include "base/buf.h"
#include "base/internal.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NAME_MAX_LEN 64 /* a type's or a field's name, in a token */
#define FIELDS_MAX   64

typedef struct {
    char name[NAME_MAX_LEN + 1];
    const mpr__sct_type_t *tc;
    size_t offset;
} field_t;

struct mpr_struct_s {
    mpr__sct_body_t b; /* over the bytes as c_ubyte[max(size, 1)] */
    char name[NAME_MAX_LEN + 1];
    char sync_name[NAME_MAX_LEN + 13]; /* "Synchronized" + name */
    field_t fields[FIELDS_MAX];
    size_t n_fields;
    size_t size; /* sizeof(Foo) */
};

/* A name a token can carry: [A-Za-z0-9_]{1,64}, not starting with a
 * digit (an identifier, as the attribute access needs). */
static int is_name(const char *s, size_t n)
{
    if (n == 0 || n > NAME_MAX_LEN || (s[0] >= '0' && s[0] <= '9'))
        return 0;
    for (size_t i = 0; i < n; i++)
        if (!(s[i] == '_' || (s[i] >= '0' && s[i] <= '9') ||
              (s[i] >= 'a' && s[i] <= 'z') || (s[i] >= 'A' && s[i] <= 'Z')))
            return 0;
    return 1;
}

static int add_field(mpr_struct_t *s, const char *name, size_t n,
                     const char *code)
{
    const mpr__sct_type_t *tc = mpr__sct_find_tc(code);
    field_t *f = &s->fields[s->n_fields];

    if (tc == NULL)
        return mpr__error(MPR_ETYPE,
                          "second item in _fields_ tuple (index %zu) must be "
                          "a C type",
                          s->n_fields);
    if (!is_name(name, n))
        return mpr__error(MPR_EVALUE, "field name '%.*s' is not an identifier",
                          (int)n, name);
    if (s->n_fields == FIELDS_MAX)
        return mpr__error(MPR_EVALUE, "more than %d fields", FIELDS_MAX);
    for (size_t i = 0; i < s->n_fields; i++)
        if (strlen(s->fields[i].name) == n &&
            memcmp(s->fields[i].name, name, n) == 0)
            return mpr__error(MPR_EVALUE, "duplicate field name '%.*s'", (int)n,
                              name);
    memcpy(f->name, name, n);
    f->name[n] = '\0';
    f->tc = tc;
    /* natural alignment: every ctypes scalar is aligned to its size */
    f->offset = (s->size + tc->size - 1) / tc->size * tc->size;
    s->size = f->offset + tc->size;
    s->n_fields++;
    return 0;
}

/* sizeof(): rounded up to the largest alignment. */
static void finish_layout(mpr_struct_t *s)
{
    size_t align = 1;

    for (size_t i = 0; i < s->n_fields; i++)
        if (s->fields[i].tc->size > align)
            align = s->fields[i].tc->size;
    s->size = (s->size + align - 1) / align * align;
}

static int set_name(mpr_struct_t *s, const char *name, size_t n)
{
    if (!is_name(name, n))
        return mpr__error(MPR_EVALUE, "type name '%.*s' is not an identifier",
                          (int)n, name);
    memcpy(s->name, name, n);
    s->name[n] = '\0';
    snprintf(s->sync_name, sizeof(s->sync_name), "Synchronized%s", s->name);
    return 0;
}

static const field_t *find_field(const mpr_struct_t *s, const char *name)
{
    for (size_t i = 0; i < s->n_fields; i++)
        if (strcmp(s->fields[i].name, name) == 0)
            return &s->fields[i];
    return NULL;
}

/* AttributeError "'SynchronizedFoo' object has no attribute 'w'" */
static int no_attribute(const mpr_struct_t *s, const char *what)
{
    return mpr__error(MPR_EATTR, "'%s' object has no attribute '%s'",
                      mpr_struct_type_name(s), what);
}

/* The struct's bytes as c_ubyte[max(size, 1)]: a segment cannot be
 * empty. */
static int init_body(mpr_struct_t *s)
{
    return mpr__sct_body_init(&s->b, mpr__sct_find_tc("B"),
                              s->size ? s->size : 1);
}

/* Structure.__init__(*args): the fields in order. */
static int init_fields(mpr_struct_t *s, const mpr_obj_t *args)
{
    size_t n = args != NULL ? mpr_obj_len(args) : 0;
    int r;

    if (n > s->n_fields)
        return mpr__error(MPR_ETYPE, "too many initializers");
    for (size_t i = 0; i < n; i++)
        if ((r = mpr__sct_put_elem(s->fields[i].tc,
                                   s->b.data + s->fields[i].offset,
                                   mpr_obj_item(args, i))) < 0)
            return r;
    return 0;
}

int mpr_struct_value_new(mpr_struct_t **out, const mpr_struct_type_t *type,
                         const mpr_obj_t *args, const mpr_sync_options_t *opts)
{
    mpr_struct_t *s;
    int r;

    *out = NULL;
    if (args != NULL && mpr_obj_type(args) != MPR_OBJ_TUPLE)
        return mpr__error(MPR_ETYPE, "args must be a tuple");
    if ((s = mpr__sys.calloc(1, sizeof(*s))) == NULL)
        return mpr__error(MPR__ERR(ENOMEM), NULL);
    if ((r = set_name(s, type->name, strlen(type->name))) < 0)
        goto fail;
    for (size_t i = 0; i < type->n_fields; i++)
        if ((r = add_field(s, type->fields[i].name,
                           strlen(type->fields[i].name),
                           type->fields[i].typecode)) < 0)
            goto fail;
    finish_layout(s);
    if ((r = init_body(s)) < 0 || (r = init_fields(s, args)) < 0 ||
        (r = mpr__sct_body_lock(&s->b, opts)) < 0)
        goto fail;
    *out = s;
    return 0;
fail:
    mpr_struct_free(s);
    return r;
}

int mpr_struct_rawvalue_new(mpr_struct_t **out, const mpr_struct_type_t *type,
                            const mpr_obj_t *args)
{
    mpr_sync_options_t raw = {.raw = 1};

    return mpr_struct_value_new(out, type, args, &raw);
}

void mpr_struct_free(mpr_struct_t *s)
{
    if (s == NULL)
        return;
    if (s->b.shm != NULL)
        mpr__sct_body_free(&s->b);
    free(s);
}

int mpr_struct_get(mpr_struct_t *s, const char *field, mpr_obj_t **out)
{
    const field_t *f = find_field(s, field);
    int r;

    if (f == NULL)
        return no_attribute(s, field);
    mpr__sct_lock_body(&s->b);
    r = mpr__sct_get_elem(f->tc, s->b.data + f->offset, out);
    mpr__sct_unlock_body(&s->b);
    return r;
}

int mpr_struct_set(mpr_struct_t *s, const char *field, const mpr_obj_t *value)
{
    const field_t *f = find_field(s, field);
    int r;

    if (f == NULL)
        return no_attribute(s, field);
    mpr__sct_lock_body(&s->b);
    r = mpr__sct_put_elem(f->tc, s->b.data + f->offset, value);
    mpr__sct_unlock_body(&s->b);
    return r;
}

int mpr_struct_copy(mpr_struct_t **out, mpr_struct_t *s)
{
    mpr_struct_t *c;
    int r;

    *out = NULL;
    if ((c = mpr__sys.calloc(1, sizeof(*c))) == NULL)
        return mpr__error(MPR__ERR(ENOMEM), NULL);
    memcpy(c->name, s->name, sizeof(c->name));
    memcpy(c->sync_name, s->sync_name, sizeof(c->sync_name));
    memcpy(c->fields, s->fields, sizeof(c->fields));
    c->n_fields = s->n_fields;
    c->size = s->size;
    if ((r = init_body(c)) < 0) {
        mpr_struct_free(c);
        return r;
    }
    /* pointer(new_obj)[0] = obj: a plain byte copy, without the lock, as
     * copy() of a synchronized object's raw part would be */
    memcpy(c->b.data, s->b.data, s->size);
    *out = c;
    return 0;
}

const char *mpr_struct_type_name(const mpr_struct_t *s)
{
    return s->b.lock != NULL ? s->sync_name : s->name;
}

size_t mpr_struct_sizeof(const mpr_struct_t *s)
{
    return s->size;
}

mpr_semlock_t *mpr_struct_get_lock(mpr_struct_t *s)
{
    if (s->b.lock == NULL)
        no_attribute(s, "get_lock");
    return s->b.lock;
}

int mpr_struct_acquire(mpr_struct_t *s, int block, double timeout)
{
    if (s->b.lock == NULL)
        return no_attribute(s, "acquire");
    return mpr_semlock_acquire(s->b.lock, block, timeout);
}

int mpr_struct_release(mpr_struct_t *s)
{
    if (s->b.lock == NULL)
        return no_attribute(s, "release");
    return mpr_semlock_release(s->b.lock);
}

/* ---- tokens: "S<name>:<field>=<code>,...;" + the body's "TB<len>|..." */

int mpr_struct_reduce(const mpr_struct_t *s, mpr_obj_t **out)
{
    mpr_obj_t *body;
    char *layout = NULL, *tok = NULL;
    size_t at = 0, cap = (size_t)(NAME_MAX_LEN + 4) * (FIELDS_MAX + 1);
    int r;

    *out = NULL;
    if ((r = mpr__sct_body_token(&s->b, 'T', &body)) < 0)
        return r;
    if ((layout = mpr__sys.malloc(cap)) == NULL) {
        mpr_obj_decref(body);
        return mpr__error(MPR__ERR(ENOMEM), NULL);
    }
    at = (size_t)snprintf(layout, cap, "S%s:", s->name);
    for (size_t i = 0; i < s->n_fields; i++)
        at += (size_t)snprintf(layout + at, cap - at, "%s%s=%c", i ? "," : "",
                               s->fields[i].name, s->fields[i].tc->code);
    r = mpr__sprintf(&tok, NULL, "%s;%s", layout, mpr_obj_str_utf8(body, NULL));
    free(layout);
    mpr_obj_decref(body);
    if (r < 0)
        return r;
    *out = mpr_obj_str(tok);
    free(tok);
    return *out != NULL ? 0 : mpr__error(MPR__ERR(ENOMEM), NULL);
}

/* The layout part of a token, up to the ';'; returns what follows it. */
static const char *parse_layout(mpr_struct_t *s, const char *p)
{
    const char *colon = strchr(p, ':'), *end;

    if (*p++ != 'S' || colon == NULL || set_name(s, p, (size_t)(colon - p)) < 0)
        return NULL;
    for (p = colon + 1; *p != ';'; p = *end == ',' ? end + 1 : end) {
        const char *eq = strchr(p, '=');
        char code[2] = {0, 0};

        if (eq == NULL || eq[1] == '\0')
            return NULL;
        code[0] = eq[1];
        end = eq + 2;
        if ((*end != ',' && *end != ';') ||
            add_field(s, p, (size_t)(eq - p), code) < 0)
            return NULL;
    }
    finish_layout(s);
    return p + 1;
}

int mpr_struct_rebuild(mpr_struct_t **out, const mpr_obj_t *tok)
{
    mpr_struct_t *s;
    mpr_obj_t *body;
    const char *rest;
    int r;

    *out = NULL;
    if (mpr_obj_type(tok) != MPR_OBJ_STR)
        return mpr__error(MPR_EVALUE, "bad shared handle");
    if ((s = mpr__sys.calloc(1, sizeof(*s))) == NULL)
        return mpr__error(MPR__ERR(ENOMEM), NULL);
    if ((rest = parse_layout(s, mpr_obj_str_utf8(tok, NULL))) == NULL) {
        free(s);
        return mpr__error(MPR_EVALUE, "bad shared handle");
    }
    if ((body = mpr_obj_str(rest)) == NULL) {
        free(s);
        return mpr__error(MPR__ERR(ENOMEM), NULL);
    }
    r = mpr__sct_body_from_token(&s->b, 'T', body);
    mpr_obj_decref(body);
    if (r == 0 && (s->b.tc->code != 'B' || s->b.len < (s->size ? s->size : 1)))
        r = mpr__error(MPR_EVALUE, "bad shared handle");
    if (r < 0) {
        mpr_struct_free(s);
        return r;
    }
    *out = s;
    return 0;
}
