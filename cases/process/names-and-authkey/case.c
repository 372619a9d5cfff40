/*
 * process/names-and-authkey: default and explicit names, nested counters
 * in children (Process-N:M), the authkey a child inherits (the creator's
 * at construction, or the one set before start), renaming.
 */
#include <mpr.h>

#include "support.h"

#include <stdio.h>
#include <string.h>

static int grandchild(mpr_obj_t *args, mpr_obj_t *kwargs)
{
    (void)args, (void)kwargs;
    printf("grandchild: %s\n", mpr_process_name(mpr_current_process()));
    return 0;
}
MPR_TARGET(grandchild)

static int child(mpr_obj_t *args, mpr_obj_t *kwargs)
{
    mpr_process_t *me = mpr_current_process();
    size_t n, klen;
    const unsigned char *want = mpr_obj_bytes_data(mpr_obj_item(args, 0), &n);
    const unsigned char *key = mpr_process_authkey(me, &klen);
    mpr_process_options_t o = {.target = grandchild};

    (void)kwargs;
    printf("child: %s authkey inherited: %s\n", mpr_process_name(me),
           case_bool(n == klen && memcmp(want, key, n) == 0));
    for (int i = 0; i < 2; i++) {
        mpr_process_t *g;
        int rc = mpr_process_new(&g, &o);
        if (rc < 0 || (rc = mpr_process_start(g)) < 0)
            return rc;
        mpr_process_join(g, MPR_TIMEOUT_NONE);
        mpr_process_free(g);
    }
    return 0;
}
MPR_TARGET(child)

int main(int argc, char **argv)
{
    mpr_process_t *p1, *p2, *a, *b, *all[4];
    const unsigned char *key, *k1;
    size_t klen, k1len;
    mpr_obj_t *with_key, *with_secret;

    if (mpr_main(argc, argv) < 0)
        return 1;
    key = mpr_process_authkey(mpr_current_process(), &klen);
    printf("main authkey: AuthenticationString %zu\n", klen);
    with_key = mpr_obj_tuple_steal(1, mpr_obj_bytes(key, klen));
    with_secret = mpr_obj_tuple_steal(1, mpr_obj_bytes("secret", 6));
    mpr_process_options_t o1 = {.target = child, .args = with_key};
    mpr_process_options_t o2 = {.target = child, .args = with_secret};
    mpr_process_options_t oa = {
        .target = child, .args = with_key, .name = "worker"};
    if (with_key == NULL || with_secret == NULL ||
        mpr_process_new(&p1, &o1) < 0 || mpr_process_new(&p2, &o2) < 0 ||
        mpr_process_set_authkey(p2, "secret", 6) < 0 ||
        mpr_process_new(&a, &oa) < 0 || mpr_process_new(&b, &oa) < 0)
        return 1;
    printf("names: %s %s %s %s\n", mpr_process_name(p1), mpr_process_name(p2),
           mpr_process_name(a), mpr_process_name(b));
    k1 = mpr_process_authkey(p1, &k1len);
    printf("p1 authkey equals main: %s\n",
           case_bool(k1len == klen && memcmp(k1, key, klen) == 0));
    all[0] = p1, all[1] = p2, all[2] = a, all[3] = b;
    for (int i = 0; i < 4; i++) {
        if (mpr_process_start(all[i]) < 0)
            return 1;
        mpr_process_join(all[i], MPR_TIMEOUT_NONE);
    }
    mpr_process_set_name(a, "renamed");
    printf("renamed: %s\n", mpr_process_name(a));
    for (int i = 0; i < 4; i++)
        mpr_process_free(all[i]);
    mpr_obj_decref(with_key);
    mpr_obj_decref(with_secret);
    return 0;
}
