/* compare.c - group searches by strategy and compare them (see compare.h).
 * Pure computation: rewards in, a Comparison out. */
#include "config.h"

#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/text.h"
#include "compare/compare.h"

static const char *const metric_names[COMPARE_NMETRICS] = { "best", "top5",
                                                            "top25" };
static const char *const metric_labels[COMPARE_NMETRICS] = {
    "best", "top-5 mean", "top-25 mean"
};
static const size_t metric_k[COMPARE_NMETRICS] = { 1, 5, 25 };

const char *compare_metric_name(CompareMetric m)
{
    return m < COMPARE_NMETRICS ? metric_names[m] : "?";
}

const char *compare_metric_label(CompareMetric m)
{
    return m < COMPARE_NMETRICS ? metric_labels[m] : "?";
}

size_t compare_metric_k(CompareMetric m)
{
    return m < COMPARE_NMETRICS ? metric_k[m] : 1;
}

int compare_metric_parse(const char *s, CompareMetric *out)
{
    for (int m = 0; m < COMPARE_NMETRICS; m++)
        if (strcmp(s, metric_names[m]) == 0) {
            *out = (CompareMetric)m;
            return 0;
        }
    return -1;
}

void compare_free(Comparison *c)
{
    if (!c)
        return;
    for (size_t g = 0; g < c->ngroup; g++) {
        CompareGroup *gr = &c->group[g];
        for (size_t s = 0; s < gr->nsearch; s++) {
            free(gr->search[s].name);
            for (int m = 0; m < COMPARE_NMETRICS; m++)
                free(gr->search[s].curve[m]);
        }
        free(gr->search);
        for (int m = 0; m < COMPARE_NMETRICS; m++)
            free(gr->curve[m]);
        free(gr->cpu);
        free(gr->strategy);
    }
    free(c->group);
    free(c->pair);
    free(c);
}

/* Rank of a strategy name in the display order: the paper's two first. */
static int strategy_rank(const char *s)
{
    static const char *const known[] = { "rl", "random", "evolution" };
    for (int i = 0; i < 3; i++)
        if (strcmp(s, known[i]) == 0)
            return i;
    return 3;
}

/* The groups in display order: known strategies first, then the others
 * in the order they first appear.  Fills names[] (borrowed from in) and
 * returns how many. */
static size_t order_groups(const CompareInput *in, size_t n,
                           const char **names)
{
    size_t ng = 0;
    for (int pass = 0; pass <= 3; pass++)
        for (size_t i = 0; i < n; i++) {
            const char *s = in[i].strategy ? in[i].strategy : "?";
            int seen = 0;
            if (strategy_rank(s) != pass)
                continue;
            for (size_t g = 0; g < ng; g++)
                seen |= strcmp(names[g], s) == 0;
            if (!seen)
                names[ng++] = s;
        }
    return ng;
}

/* dup_str - a copy of s as printed: control characters and bytes that are
 * not UTF-8 escaped (base/text.h), since names come from database files. */
static char *dup_str(const char *s)
{
    size_t len = 4 * strlen(s) + 1;
    char *d = malloc(len);
    if (d)
        text_clean(s, d, len);
    return d;
}

/* The curves of one search at budget B into cur[m][0..B-1] and its final
 * values; scratch r[B], dup[B]. */
static NvStatus search_curves(const CompareInput *in, size_t B,
                              double *cur[COMPARE_NMETRICS], double *r,
                              unsigned char *dup, CompareSearch *out,
                              NvError *err)
{
    NvStatus st = stats_dedup(in->reward, in->key, B, r, dup,
                              &out->duplicates, err);
    if (st != NV_OK)
        return st;
    for (int m = 0; m < COMPARE_NMETRICS; m++) {
        st = stats_topk_so_far(r, dup, B, metric_k[m], cur[m], err);
        if (st != NV_OK)
            return st;
        out->final[m] = cur[m][B - 1];
    }
    out->auc = stats_auc(r, B, B);
    out->samples = in->n;
    out->seed = in->seed;
    out->common_streams = in->common_streams != 0;
    return NV_OK;
}

static NvStatus build_group(const CompareInput *in, size_t n, size_t B,
                            int has_cost, CompareGroup *g, NvError *err)
{
    size_t K = 0, k = 0;
    double *cum = NULL; /* K x B CPU-seconds */
    double *r = NULL, *col = NULL, *aucs = NULL, tq;
    unsigned char *dup = NULL;
    NvStatus st = NV_OK;

    for (size_t i = 0; i < n; i++)
        K += strcmp(in[i].strategy ? in[i].strategy : "?", g->strategy) == 0;
    g->search = calloc(K, sizeof *g->search);
    r = malloc(B * sizeof *r);
    dup = malloc(B);
    col = malloc(K * sizeof *col);
    aucs = malloc(K * sizeof *aucs);
    if (!g->search || !r || !dup || !col || !aucs)
        goto nomem;
    if (has_cost) {
        cum = malloc(K * B * sizeof *cum);
        g->cpu = malloc(B * sizeof *g->cpu);
        if (!cum || !g->cpu)
            goto nomem;
    }
    g->nsearch = K;
    for (int m = 0; m < COMPARE_NMETRICS; m++) {
        g->curve[m] = malloc(B * sizeof *g->curve[m]);
        if (!g->curve[m])
            goto nomem;
        for (size_t j = 0; j < K; j++) {
            g->search[j].curve[m] = malloc(B * sizeof *g->search[j].curve[m]);
            if (!g->search[j].curve[m])
                goto nomem;
        }
    }

    for (size_t i = 0; i < n; i++) {
        double *cur[COMPARE_NMETRICS];
        CompareSearch *s = &g->search[k];
        if (strcmp(in[i].strategy ? in[i].strategy : "?", g->strategy) != 0)
            continue;
        s->name = dup_str(in[i].name ? in[i].name : "?");
        if (!s->name)
            goto nomem;
        for (int m = 0; m < COMPARE_NMETRICS; m++)
            cur[m] = s->curve[m];
        st = search_curves(&in[i], B, cur, r, dup, s, err);
        if (st != NV_OK)
            goto done;
        g->duplicates += s->duplicates;
        aucs[k] = s->auc;
        if (cum) {
            double sum = 0;
            for (size_t j = 0; j < B; j++) {
                double v = in[i].cpu[j];
                sum += v > 0 ? v : 0; /* NaN and negatives cost nothing */
                cum[k * B + j] = sum;
            }
        }
        k++;
    }

    tq = K > 1 ? stats_t_quantile(0.975, (double)(K - 1)) : 0;
    for (int m = 0; m < COMPARE_NMETRICS; m++) {
        for (size_t step = 0; step < B; step++) {
            for (size_t j = 0; j < K; j++)
                col[j] = g->search[j].curve[m][step];
            stats_summarize_t(col, K, tq, &g->curve[m][step]);
        }
        for (size_t j = 0; j < K; j++)
            col[j] = g->search[j].final[m];
        stats_summarize_t(col, K, tq, &g->final[m]);
    }
    stats_summarize_t(aucs, K, tq, &g->auc);
    for (size_t step = 0; cum && step < B; step++) {
        for (size_t j = 0; j < K; j++)
            col[j] = cum[j * B + step];
        stats_summarize_t(col, K, tq, &g->cpu[step]);
    }
    goto done;

nomem:
    st = nv_error_set(err, NV_ERR_NOMEM,
                      "out of memory comparing %zu samples of strategy %s", B,
                      g->strategy);
done:
    free(cum);
    free(r);
    free(dup);
    free(col);
    free(aucs);
    return st;
}

CompareBand compare_band(const StatsSummary *s)
{
    CompareBand b = { s->mean, s->mean, s->n >= 2, 0 };
    if (!b.has_interval)
        return b;
    b.lo = s->lo;
    b.hi = s->hi;
    if (b.lo < 0) {
        b.lo = 0;
        b.clipped = 1;
    }
    if (b.hi > 1) {
        b.hi = 1;
        b.clipped = 1;
    }
    /* a mean outside [0,1] (not an accuracy) still gets an ordered band */
    if (b.lo > b.hi)
        b.lo = b.hi;
    return b;
}

int compare_pair_caveat(const ComparePair *p, char *buf, size_t size)
{
    /* the evidence the verdict used: the floor of the test that ran
     * (Mann-Whitney or Wilcoxon), not a second computation of one */
    const StatsEvidence *ev = &p->ev;
    double floor_p = ev->min_p;
    const char *mag = stats_a12_magnitude(ev->a12);
    if (size)
        buf[0] = '\0';
    /* only a medium or large effect reads as a contradiction beside p */
    if (floor_p < STATS_ALPHA || strcmp(mag, "negligible") == 0 ||
        strcmp(mag, "small") == 0)
        return 0;
    snprintf(buf, size,
             "A12 %.2f %s but with %zu vs %zu seeds p cannot go below %.3f: "
             "more seeds are needed for a verdict",
             ev->a12, mag, ev->n1, ev->n2, floor_p);
    return 1;
}

void compare_verdict_word(const Comparison *c, const ComparePair *p,
                          char *buf, size_t size)
{
    if (p->verdict == STATS_VERDICT_A_BETTER)
        snprintf(buf, size, "%s better", c->group[p->a].strategy);
    else if (p->verdict == STATS_VERDICT_B_BETTER)
        snprintf(buf, size, "%s better", c->group[p->b].strategy);
    else
        snprintf(buf, size, "no evidence of a difference");
}

/* pair_order - when groups ga and gb can be paired by seed (every search
 * drawn with common streams, seeds distinct within each and the same in
 * both), ib[j] = the index in gb of the search with ga's j-th seed and 1
 * is returned; 0 otherwise. */
static int pair_order(const CompareGroup *ga, const CompareGroup *gb,
                      size_t *ib)
{
    if (ga->nsearch != gb->nsearch || ga->nsearch == 0)
        return 0;
    for (size_t j = 0; j < ga->nsearch; j++) {
        size_t hits = 0;
        if (!ga->search[j].common_streams)
            return 0;
        for (size_t k = 0; k < ga->nsearch; k++)
            if (k != j && ga->search[k].seed == ga->search[j].seed)
                return 0;
        for (size_t k = 0; k < gb->nsearch; k++) {
            if (!gb->search[k].common_streams)
                return 0;
            if (gb->search[k].seed == ga->search[j].seed) {
                ib[j] = k;
                hits++;
            }
        }
        if (hits != 1)
            return 0;
    }
    return 1;
}

const char *compare_test_summary(const Comparison *c)
{
    if (c->npair == 0)
        return "none";
    for (size_t i = 1; i < c->npair; i++)
        if (c->pair[i].test != c->pair[0].test)
            return "mixed";
    return stats_test_key(c->pair[0].test);
}

static NvStatus build_pairs(Comparison *c, NvError *err)
{
    size_t np = c->ngroup * (c->ngroup - 1) / 2, k = 0;
    c->pair = calloc(np ? np : 1, sizeof *c->pair);
    if (!c->pair)
        return nv_error_set(err, NV_ERR_NOMEM, "out of memory");
    for (size_t a = 0; a < c->ngroup; a++)
        for (size_t b = a + 1; b < c->ngroup; b++) {
            const CompareGroup *ga = &c->group[a], *gb = &c->group[b];
            double *xa = malloc((ga->nsearch + 1) * sizeof *xa);
            double *xb = malloc((gb->nsearch + 1) * sizeof *xb);
            double *yb = malloc((gb->nsearch + 1) * sizeof *yb);
            size_t *ib = malloc((ga->nsearch + 1) * sizeof *ib);
            ComparePair *p = &c->pair[k];
            NvStatus st;
            if (!xa || !xb || !yb || !ib) {
                free(xa);
                free(xb);
                free(yb);
                free(ib);
                return nv_error_set(err, NV_ERR_NOMEM, "out of memory");
            }
            for (size_t j = 0; j < ga->nsearch; j++)
                xa[j] = ga->search[j].final[c->metric];
            for (size_t j = 0; j < gb->nsearch; j++)
                xb[j] = gb->search[j].final[c->metric];
            p->a = a;
            p->b = b;
            st = stats_mann_whitney(xa, ga->nsearch, xb, gb->nsearch, &p->mw,
                                    err);
            p->test = STATS_TEST_MANN_WHITNEY;
            if (st == NV_OK && pair_order(ga, gb, ib)) {
                for (size_t j = 0; j < ga->nsearch; j++)
                    yb[j] = xb[ib[j]];
                st = stats_wilcoxon(xa, yb, ga->nsearch, &p->wx, err);
                p->test = STATS_TEST_WILCOXON;
            }
            free(xa);
            free(xb);
            free(yb);
            free(ib);
            if (st != NV_OK)
                return st;
            if (p->test == STATS_TEST_WILCOXON)
                stats_evidence_wilcoxon(&p->wx, p->mw.a12, &p->ev);
            else
                stats_evidence_mw(&p->mw, &p->ev);
            p->verdict = stats_verdict(&p->ev);
            stats_verdict_text(&p->ev, ga->strategy, gb->strategy, c->budget,
                               p->text, sizeof p->text);
            c->npair = ++k;
        }
    return NV_OK;
}

NvStatus compare_build(const CompareInput *in, size_t n, size_t budget,
                       CompareMetric metric, Comparison **out, NvError *err)
{
    Comparison *c;
    const char **names;
    size_t smallest = 0, ng;
    int defaulted = budget == 0;
    NvStatus st;

    *out = NULL;
    if (n == 0)
        return nv_error_set(err, NV_ERR_USAGE, "no searches to compare");
    for (size_t i = 0; i < n; i++) {
        if (in[i].n == 0)
            return nv_error_set(err, NV_ERR_USAGE,
                                "search '%s' has no finished samples yet; "
                                "leave it out of the comparison",
                                in[i].name ? in[i].name : "?");
        if (i == 0 || in[i].n < smallest)
            smallest = in[i].n;
    }
    if (budget == 0)
        budget = smallest;
    for (size_t i = 0; i < n; i++)
        if (in[i].n < budget)
            return nv_error_set(err, NV_ERR_USAGE,
                                "search '%s' has only %zu finished samples, "
                                "fewer than the budget %zu; give --budget %zu "
                                "or less, or leave it out",
                                in[i].name ? in[i].name : "?", in[i].n, budget,
                                smallest);

    c = calloc(1, sizeof *c);
    names = calloc(n, sizeof *names);
    if (!c || !names) {
        free(c);
        free(names);
        return nv_error_set(err, NV_ERR_NOMEM, "out of memory");
    }
    c->budget = budget;
    c->budget_is_default = defaulted;
    c->metric = metric < COMPARE_NMETRICS ? metric : COMPARE_BEST;
    c->has_cost = 1;
    for (size_t i = 0; i < n; i++)
        c->has_cost &= in[i].cpu != NULL;
    ng = order_groups(in, n, names);
    c->group = calloc(ng, sizeof *c->group);
    if (!c->group) {
        free(names);
        compare_free(c);
        return nv_error_set(err, NV_ERR_NOMEM, "out of memory");
    }
    for (size_t g = 0; g < ng; g++) {
        c->group[g].strategy = dup_str(names[g]);
        c->ngroup = g + 1;
        if (!c->group[g].strategy) {
            st = nv_error_set(err, NV_ERR_NOMEM, "out of memory");
            goto fail;
        }
        st = build_group(in, n, budget, c->has_cost, &c->group[g], err);
        if (st != NV_OK)
            goto fail;
    }
    st = build_pairs(c, err);
    if (st != NV_OK)
        goto fail;
    free(names);
    *out = c;
    return NV_OK;

fail:
    free(names);
    compare_free(c);
    return st;
}

/* ---- like with like ------------------------------------------------ */

typedef enum {
    LIKE_INT, LIKE_ONOFF, LIKE_INT64, LIKE_REAL, LIKE_TEXT, LIKE_KIND
} LikeType;

/* The fields that must agree, in the order they are reported.  LIKE_KIND
 * is text where NULL or "" reads "standalone". */
static const struct {
    const char *name;
    LikeType type;
    size_t offset;
    int hard; /* 1: --force cannot override (the numbers are not alike) */
} like_fields[] = {
    { "search space version", LIKE_INT,
      offsetof(CompareProtocol, space_version), 0 },
    { "dataset", LIKE_TEXT, offsetof(CompareProtocol, dataset), 0 },
    { "reward kind", LIKE_KIND, offsetof(CompareProtocol, reward_kind), 0 },
    { "reward metric", LIKE_TEXT, offsetof(CompareProtocol, reward_metric),
      1 },
    { "F", LIKE_INT, offsetof(CompareProtocol, F), 0 },
    { "N", LIKE_INT, offsetof(CompareProtocol, N), 0 },
    { "epochs", LIKE_INT, offsetof(CompareProtocol, epochs), 0 },
    { "batch", LIKE_INT, offsetof(CompareProtocol, batch), 0 },
    { "lr", LIKE_REAL, offsetof(CompareProtocol, lr), 0 },
    { "train size", LIKE_INT64, offsetof(CompareProtocol, train_size), 0 },
    { "validation size", LIKE_INT64, offsetof(CompareProtocol, val_size), 0 },
    { "batch-norm recalibration", LIKE_ONOFF,
      offsetof(CompareProtocol, bn_recalibrate), 0 },
};

/* The value of field f of p as text into buf[size]. */
static void like_value(const CompareProtocol *p, size_t f, char *buf,
                       size_t size)
{
    const char *base = (const char *)p + like_fields[f].offset;
    const char *t;
    switch (like_fields[f].type) {
    case LIKE_INT:
        snprintf(buf, size, "%d", *(const int *)base);
        break;
    case LIKE_ONOFF:
        snprintf(buf, size, "%s", *(const int *)base ? "on" : "off");
        break;
    case LIKE_INT64:
        snprintf(buf, size, "%lld", (long long)*(const int64_t *)base);
        break;
    case LIKE_REAL:
        snprintf(buf, size, "%.9g", *(const double *)base);
        break;
    case LIKE_TEXT:
    case LIKE_KIND:
        t = *(const char *const *)base;
        if (!t || !*t)
            t = like_fields[f].type == LIKE_KIND ? "standalone" : "";
        text_clean(t, buf, size);
        break;
    }
}

size_t compare_check_like(const CompareProtocol *p, size_t n,
                          CompareDiff *out, size_t max)
{
    size_t nd = 0;
    for (size_t f = 0; f < sizeof like_fields / sizeof like_fields[0]; f++) {
        char v0[64], vi[64];
        like_value(&p[0], f, v0, sizeof v0);
        for (size_t i = 1; i < n; i++) {
            like_value(&p[i], f, vi, sizeof vi);
            if (strcmp(v0, vi) == 0)
                continue;
            if (nd < max) {
                CompareDiff *d = &out[nd];
                d->field = like_fields[f].name;
                d->hard = like_fields[f].hard;
                d->a = 0;
                d->b = i;
                snprintf(d->va, sizeof d->va, "%s", v0);
                snprintf(d->vb, sizeof d->vb, "%s", vi);
            }
            nd++;
            break;
        }
    }
    return nd;
}

void compare_diff_text(const CompareProtocol *p, const CompareDiff *d,
                       char *buf, size_t size)
{
    char a[256], b[256];
    text_clean(p[d->a].name ? p[d->a].name : "?", a, sizeof a);
    text_clean(p[d->b].name ? p[d->b].name : "?", b, sizeof b);
    snprintf(buf, size, "'%s' and '%s' differ in %s (%s vs %s)", a, b,
             d->field, d->va, d->vb);
}
