/* compare_like.c - like-with-like over stored searches (compare_like.h). */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>

#include "compare/compare_like.h"

void compare_protocol_of(const StoreSearch *s, CompareProtocol *p)
{
    p->name = s->name;
    p->space_version = s->space_version;
    p->dataset = s->dataset;
    p->F = s->F;
    p->N = s->N;
    p->epochs = s->epochs;
    p->batch = s->batch;
    p->train_size = s->train_size;
    p->val_size = s->val_size;
    p->lr = s->lr;
    p->bn_recalibrate = s->bn_recalibrate;
    p->reward_kind = s->reward_kind;
    p->reward_metric = s->reward_metric[0] ? s->reward_metric : "accuracy";
}

size_t compare_like_text(const StoreSearch *s, size_t n, char *why,
                         size_t whylen)
{
    if (whylen)
        why[0] = '\0';
    if (n < 2)
        return 0;
    CompareProtocol *p = calloc(n, sizeof *p);
    CompareDiff d;
    if (!p) {
        snprintf(why, whylen, "out of memory checking the searches' settings");
        return 1;
    }
    for (size_t i = 0; i < n; i++)
        compare_protocol_of(&s[i], &p[i]);
    size_t nd = compare_check_like(p, n, &d, 1);
    if (nd) {
        char line[600];
        compare_diff_text(p, &d, line, sizeof line);
        if (nd > 1)
            snprintf(why, whylen, "%s; and %zu more", line, nd - 1);
        else
            snprintf(why, whylen, "%s", line);
    }
    free(p);
    return nd;
}
