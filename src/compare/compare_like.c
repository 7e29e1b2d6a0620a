/* compare_like.c - like-with-like check of searches (see compare_like.h). */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "base/text.h"
#include "compare/compare_like.h"

static const char *kind_name(const char *k)
{
    return k[0] ? k : "standalone";
}

int compare_check_like(const StoreSearch *s, size_t n, char *why,
                       size_t whylen)
{
    if (whylen)
        why[0] = '\0';
    for (size_t i = 1; i < n; i++) {
        const StoreSearch *a = &s[0], *b = &s[i];
        char an[4 * STORE_NAME_MAX], bn[4 * STORE_NAME_MAX];
        if (strcmp(kind_name(a->reward_kind), kind_name(b->reward_kind)) != 0) {
            snprintf(why, whylen,
                     "'%s' has %s rewards and '%s' %s ones; they measure "
                     "different things and are not comparable",
                     text_clean(a->name, an, sizeof an),
                     kind_name(a->reward_kind),
                     text_clean(b->name, bn, sizeof bn),
                     kind_name(b->reward_kind));
            return 1;
        }
        if (strcmp(a->dataset, b->dataset) != 0 || a->F != b->F ||
            a->N != b->N || a->epochs != b->epochs ||
            a->train_size != b->train_size || a->val_size != b->val_size ||
            a->batch != b->batch || a->lr != b->lr ||
            a->bn_recalibrate != b->bn_recalibrate) {
            snprintf(why, whylen,
                     "searches '%s' and '%s' differ in dataset or proxy "
                     "settings; the comparison is not of strategies alone",
                     text_clean(a->name, an, sizeof an),
                     text_clean(b->name, bn, sizeof bn));
            return 1;
        }
    }
    return 0;
}
