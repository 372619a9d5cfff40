/*
 * manager/nested-namespace: a value read through a proxy is a copy
 * (getitem / getattr give a new mpr_obj_t), so changing it is lost until
 * it is assigned back; Namespace attributes, '_' names kept on the local
 * proxy (a fork child inherits them, a spawn/forkserver child gets the
 * proxy, a value in its args, rebuilt without them), deletion and the
 * AttributeError messages.
 */
#include <mpr.h>

#include "support.h"

#include <stdio.h>
#include <string.h>

static mpr_proxy_t *d, *ns;

#define S(s) mpr_obj_str(s)
#define I(v) mpr_obj_int(v)

static void show_getattr(const char *what, const char *name)
{
    mpr_obj_t *v = NULL;
    int rc = mpr_proxy_getattr(ns, name, &v);

    case_show(what, rc, v);
}

/* print(label, p[, tail]) */
static int print_str(const char *label, mpr_proxy_t *p, const char *tail)
{
    char *s;
    int rc;

    if ((rc = mpr_proxy_str(p, &s, NULL)) < 0)
        return rc;
    printf("%s %s%s\n", label, s, tail ? tail : "");
    mpr_free(s);
    return 0;
}

/* p[key].append(v) on the copy p[key] returns: lost.  Steals v. */
static int append_to_copy(mpr_proxy_t *p, const char *key, mpr_obj_t *v)
{
    mpr_obj_t *k = S(key), *t = NULL;
    int rc = mpr_proxy_getitem(p, k, &t);

    mpr_obj_decref(k);
    if (rc == 0)
        rc = mpr_obj_list_append(t, v);
    mpr_obj_decref(v);
    mpr_obj_decref(t);
    return rc;
}

/* p[k] with a str or int key (new reference in *out). */
static int getk(mpr_proxy_t *p, mpr_obj_t *k, mpr_obj_t **out)
{
    int rc = mpr_proxy_getitem(p, k, out);

    mpr_obj_decref(k);
    return rc;
}

static int setk(mpr_proxy_t *p, mpr_obj_t *k, mpr_obj_t *v)
{
    int rc = mpr_proxy_setitem(p, k, v);

    mpr_obj_decref(k);
    return rc;
}

static int set_attr(const char *name, mpr_obj_t *v) /* steals v */
{
    int rc = v ? mpr_proxy_setattr(ns, name, v) : mpr_last_error();

    mpr_obj_decref(v);
    return rc;
}

static int child(mpr_obj_t *args, mpr_obj_t *kwargs)
{
    mpr_obj_t *t = NULL;
    int rc;

    (void)kwargs;
    if ((rc = case_proxy_of(mpr_obj_item(args, 0), &d)) < 0 ||
        (rc = case_proxy_of(mpr_obj_item(args, 1), &ns)) < 0)
        return rc;
    if ((rc = append_to_copy(d, "l", S("lost in child"))) < 0 ||
        (rc = getk(d, S("l"), &t)) < 0 ||
        (rc = mpr_obj_list_append_steal(t, S("child"))) < 0 ||
        (rc = setk(d, S("l"), t)) < 0)
        return rc;
    mpr_obj_decref(t);
    t = NULL;
    if ((rc = mpr_proxy_getattr(ns, "l", &t)) < 0 ||
        (rc = mpr_obj_list_append_steal(t, S("lost in child"))) < 0)
        return rc;
    mpr_obj_decref(t);
    if ((rc = set_attr("y", S("from child"))) < 0)
        return rc;
    show_getattr("child ns.x:", "x");
    show_getattr("child ns._p:", "_p");
    if ((rc = set_attr("_c", S("child private"))) < 0 ||
        (rc = print_str("child ns:", ns, NULL)) < 0)
        return rc;
    return 0;
}
MPR_TARGET(child)

static int run(mpr_manager_t *m)
{
    mpr_process_options_t po = {.target = child};
    mpr_obj_t *init, *t = NULL, *t2 = NULL, *cargs = NULL, *pv = NULL;
    mpr_proxy_t *nl = NULL, *empty = NULL;
    mpr_process_t *p = NULL;
    char tail[64], *r;
    int rc, code;

    /* d = m.dict({'l': [1], 'd': {'k': 0}}) */
    init = mpr_obj_dict();
    t = mpr_obj_dict();
    mpr_obj_dict_set_steal(t, S("k"), I(0));
    mpr_obj_dict_set_steal(init, S("l"), mpr_obj_list_of_steal(1, I(1)));
    mpr_obj_dict_set_steal(init, S("d"), t);
    rc = mpr_manager_dict(m, init, &d);
    mpr_obj_decref(init);
    if (rc < 0)
        return rc;
    /* d['l'].append(2); d['d']['k'] = 5: both on copies */
    if ((rc = append_to_copy(d, "l", I(2))) < 0 ||
        (rc = getk(d, S("d"), &t)) < 0 ||
        (rc = mpr_obj_dict_set_steal(t, S("k"), I(5))) < 0)
        return rc;
    mpr_obj_decref(t);
    if ((rc = print_str("in place:", d, NULL)) < 0)
        return rc;
    /* t = d['l']; t.append(2); d['l'] = t (and the same for d['d']) */
    if ((rc = getk(d, S("l"), &t)) < 0 ||
        (rc = mpr_obj_list_append_steal(t, I(2))) < 0 ||
        (rc = setk(d, S("l"), t)) < 0)
        return rc;
    mpr_obj_decref(t);
    if ((rc = getk(d, S("d"), &t)) < 0 ||
        (rc = mpr_obj_dict_set_steal(t, S("k"), I(5))) < 0 ||
        (rc = setk(d, S("d"), t)) < 0)
        return rc;
    mpr_obj_decref(t);
    if ((rc = getk(d, S("l"), &t)) < 0 || (rc = getk(d, S("d"), &t2)) < 0)
        return rc;
    snprintf(tail, sizeof(tail), " %s %s", mpr_obj_type_name(t),
             mpr_obj_type_name(t2));
    mpr_obj_decref(t);
    mpr_obj_decref(t2);
    if ((rc = print_str("reassigned:", d, tail)) < 0)
        return rc;
    /* nl = m.list([[1], {'k': 0}]) */
    t = mpr_obj_dict();
    mpr_obj_dict_set_steal(t, S("k"), I(0));
    init = mpr_obj_list_of_steal(2, mpr_obj_list_of_steal(1, I(1)), t);
    rc = mpr_manager_list(m, init, &nl);
    mpr_obj_decref(init);
    if (rc < 0 || (rc = getk(nl, I(0), &t)) < 0 ||
        (rc = mpr_obj_list_append_steal(t, I(2))) < 0)
        return rc;
    mpr_obj_decref(t);
    if ((rc = getk(nl, I(1), &t)) < 0 ||
        (rc = mpr_obj_dict_set_steal(t, S("k"), I(5))) < 0)
        return rc;
    mpr_obj_decref(t);
    if ((rc = print_str("list in place:", nl, NULL)) < 0 ||
        (rc = getk(nl, I(0), &t)) < 0 ||
        (rc = mpr_obj_list_append_steal(t, I(2))) < 0 ||
        (rc = setk(nl, I(0), t)) < 0)
        return rc;
    mpr_obj_decref(t);
    if ((rc = print_str("list reassigned:", nl, NULL)) < 0)
        return rc;
    /* ns = m.Namespace(x=1, l=[1]) */
    init = mpr_obj_dict();
    mpr_obj_dict_set_steal(init, S("x"), I(1));
    mpr_obj_dict_set_steal(init, S("l"), mpr_obj_list_of_steal(1, I(1)));
    rc = mpr_manager_namespace(m, init, &ns);
    mpr_obj_decref(init);
    if (rc < 0 || (rc = mpr_proxy_getattr(ns, "l", &t)) < 0 ||
        (rc = mpr_obj_list_append_steal(t, I(2))) < 0)
        return rc;
    mpr_obj_decref(t);
    if ((rc = print_str("ns in place:", ns, NULL)) < 0 ||
        (rc = mpr_proxy_getattr(ns, "l", &t)) < 0 ||
        (rc = mpr_obj_list_append_steal(t, I(2))) < 0 ||
        (rc = set_attr("l", t)) < 0 || (rc = set_attr("b", I(2))) < 0 ||
        (rc = set_attr("a", I(1))) < 0 ||
        (rc = print_str("ns:", ns, NULL)) < 0 ||
        (rc = set_attr("_p", S("private"))) < 0 ||
        (rc = mpr_proxy_getattr(ns, "_p", &pv)) < 0)
        return rc;
    snprintf(tail, sizeof(tail), " %s", mpr_obj_str_utf8(pv, NULL));
    mpr_obj_decref(pv);
    if ((rc = print_str("ns with _p:", ns, tail)) < 0)
        return rc;
    show_getattr("ns.missing:", "missing");
    show_getattr("ns._q:", "_q");
    rc = mpr_proxy_delattr(ns, "missing");
    case_show("del ns.missing:", rc, NULL);
    po.args = cargs =
        mpr_obj_tuple_steal(2, mpr_obj_handle(MPR_HANDLE_PROXY, d),
                            mpr_obj_handle(MPR_HANDLE_PROXY, ns));
    if (cargs == NULL)
        return mpr_last_error();
    if ((rc = mpr_process_new(&p, &po)) < 0 ||
        (rc = mpr_process_start(p)) < 0 ||
        (rc = mpr_process_join(p, MPR_TIMEOUT_NONE)) < 0)
        return rc;
    mpr_process_exitcode(p, &code);
    printf("child exitcode: %d\n", code);
    mpr_process_free(p);
    mpr_obj_decref(cargs);
    if ((rc = print_str("d after child:", d, NULL)) < 0 ||
        (rc = print_str("ns after child:", ns, NULL)) < 0)
        return rc;
    show_getattr("ns._c:", "_c");
    if ((rc = mpr_proxy_delattr(ns, "x")) < 0 ||
        (rc = mpr_proxy_delattr(ns, "_p")) < 0 ||
        (rc = print_str("ns after del:", ns, NULL)) < 0)
        return rc;
    show_getattr("ns.x:", "x");
    show_getattr("ns._p:", "_p");
    if ((rc = mpr_proxy_repr(ns, &r, NULL)) < 0)
        return rc;
    printf("repr: %s\n", r);
    mpr_free(r);
    if ((rc = mpr_manager_namespace(m, NULL, &empty)) < 0 ||
        (rc = print_str("empty:", empty, NULL)) < 0)
        return rc;
    mpr_proxy_free(empty);
    mpr_proxy_free(nl);
    mpr_proxy_free(ns);
    mpr_proxy_free(d);
    return 0;
}

int main(int argc, char **argv)
{
    return case_main_with_manager(argc, argv, run);
}
