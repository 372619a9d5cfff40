/*
 * obj_object.c - objects of the program's own classes (mpr_obj_object):
 * a C object with a __reduce__ of its own, held in a handle value of kind
 * MPR_HANDLE_OBJECT, as CPython's suite pickles `class A` whose
 * __reduce__ raises (_TestPool.test_map_unplicklable).
 *
 * Python: object.__reduce_ex__ calling a class's __reduce__ (CPython
 * 3.11).  State: the handle's pointer is an instance_t, owned by the
 * value.
 */
#include "mpr/obj.h"
#include "base/internal.h"
#include "obj/objimpl.h"

#include <assert.h>
#include <errno.h>
#include <stdlib.h>

typedef struct {
    const mpr_class_t *cls;
    void *data;
} instance_t;

static const char *object_type_name(const void *ptr)
{
    return ((const instance_t *)ptr)->cls->name;
}

static int object_repr(void *ptr, char **out, size_t *len)
{
    instance_t *in = ptr;
    int n;

    if (in->cls->repr != NULL)
        return in->cls->repr(in->data, out, len);
    /* object.__repr__ */
    if ((n = mpr__asprintf(out, "<%s object at %p>", in->cls->name, ptr)) < 0)
        return mpr__error(MPR__ERR(ENOMEM), NULL);
    if (len != NULL)
        *len = (size_t)n;
    return 0;
}

static void object_free(void *ptr)
{
    instance_t *in = ptr;

    if (in->cls->free != NULL)
        in->cls->free(in->data);
    free(in);
}

/* No reduce nor rebuild: an instance pickles as what its class's reduce
 * gives (pickle_dump.c), so no pickle ever names this kind. */
MPR__HANDLE_INIT static void object_handle_init(void)
{
    static const mpr__handle_ops_t ops = {
        .name = "object",
        .type_name = object_type_name,
        .repr = object_repr,
        .free = object_free,
    };
    mpr__handle_register(MPR_HANDLE_OBJECT, &ops);
}

int mpr__object_reduce(const mpr_obj_t *o, mpr_obj_t **out)
{
    const instance_t *in = o->u.h.ptr;
    int rc;

    *out = NULL;
    if ((rc = in->cls->reduce(in->data, out)) < 0) {
        mpr_obj_decref(*out);
        *out = NULL;
        return rc;
    }
    /* __reduce__ must return a string or tuple: a reduce that gave
     * nothing is the class's bug, reported as CPython's pickler does */
    if (*out == NULL)
        return mpr__error(MPR_EPICKLE, "__reduce__ must return a string or "
                                       "tuple");
    return 0;
}

mpr_obj_t *mpr_obj_object(const mpr_class_t *cls, void *data)
{
    instance_t *in;
    mpr_obj_t *o;

    assert(cls != NULL && cls->name != NULL && cls->reduce != NULL);
    if ((in = mpr__sys.malloc(sizeof(*in))) == NULL) {
        if (cls->free != NULL)
            cls->free(data);
        mpr__error(MPR__ERR(ENOMEM), NULL);
        return NULL;
    }
    in->cls = cls;
    in->data = data;
    if ((o = mpr__obj_handle_owned(MPR_HANDLE_OBJECT, in)) == NULL)
        object_free(in);
    return o;
}

void *mpr_obj_object_data(const mpr_obj_t *o, const mpr_class_t *cls)
{
    const instance_t *in = mpr_obj_handle_ptr(o, MPR_HANDLE_OBJECT);

    return in != NULL && in->cls == cls ? in->data : NULL;
}
