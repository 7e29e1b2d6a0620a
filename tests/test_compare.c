/* test_compare.c - grouping searches by strategy, the curves across seeds
 * and the pairwise tests, on small inputs worked out by hand.  With a
 * directory argument it also writes the comparison there as
 * compare.{txt,json,csv,svg} for tests/compare_files.sh to validate. */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "compare/compare.h"
#include "compare/compare_like.h"
#include "compare/compare_report.h"
#include "compare/compare_svg.h"

#define NEAR(x, want, tol) (fabs((x) - (want)) <= (tol))

/* Five searches, given out of display order:
 *   random-1  random     0.4 0.5 0.9   (sample 2 repeats sample 1's
 *                                        architecture: its reward is 0.5)
 *   rl-1      rl         0.5 0.6 0.7
 *   evo-1     evolution  0.55 0.65 0.75
 *   rl-2      rl         0.6 0.5 0.8
 *   random-2  random     0.3 0.6 0.4 0.9  (one sample more)
 * The default budget is 3, the smallest count. */
static const double r_rand1[3] = { 0.4, 0.5, 0.9 };
static const uint64_t k_rand1[3] = { 1, 2, 2 };
static const double r_rl1[3] = { 0.5, 0.6, 0.7 };
static const double r_evo1[3] = { 0.55, 0.65, 0.75 };
static const double r_rl2[3] = { 0.6, 0.5, 0.8 };
static const double r_rand2[4] = { 0.3, 0.6, 0.4, 0.9 };

static const CompareInput inputs[5] = {
    { "random-1", "random", r_rand1, k_rand1, 3, 1, 0, NULL },
    { "rl-1", "rl", r_rl1, NULL, 3, 1, 0, NULL },
    { "evo-1", "evolution", r_evo1, NULL, 3, 1, 0, NULL },
    { "rl-2", "rl", r_rl2, NULL, 3, 2, 0, NULL },
    { "random-2", "random", r_rand2, NULL, 4, 2, 0, NULL },
};

static void test_build(Comparison *c)
{
    const CompareGroup *rl = &c->group[0], *rnd = &c->group[1],
                       *evo = &c->group[2];
    CHECK(c->budget == 3 && c->budget_is_default, "budget %zu", c->budget);
    CHECK(c->ngroup == 3 && c->npair == 3, "groups %zu pairs %zu", c->ngroup,
          c->npair);
    CHECK(strcmp(rl->strategy, "rl") == 0 && strcmp(rnd->strategy, "random") == 0 &&
              strcmp(evo->strategy, "evolution") == 0,
          "order %s %s %s", rl->strategy, rnd->strategy, evo->strategy);
    CHECK(rl->nsearch == 2 && rnd->nsearch == 2 && evo->nsearch == 1, "K");
    CHECK(strcmp(rl->search[0].name, "rl-1") == 0 &&
              strcmp(rl->search[1].name, "rl-2") == 0,
          "search order within a group");

    /* rl best-so-far: rl-1 0.5 0.6 0.7, rl-2 0.6 0.6 0.8.
     * Step 1: mean 0.55, sd = 0.0707107, half width = t_{.975,1} * sd /
     * sqrt(2) = 12.7062047 * 0.05 = 0.6353102.  Step 2: both 0.6, no
     * width.  Step 3: mean 0.75. */
    CHECK(NEAR(rl->curve[COMPARE_BEST][0].mean, 0.55, 1e-12), "rl step1");
    CHECK(NEAR(rl->curve[COMPARE_BEST][0].hi - 0.55, 0.6353102, 1e-6),
          "rl step1 half %g", rl->curve[COMPARE_BEST][0].hi - 0.55);
    CHECK(rl->curve[COMPARE_BEST][1].lo == 0.6 &&
              rl->curve[COMPARE_BEST][1].hi == 0.6,
          "rl step2 no width");
    CHECK(NEAR(rl->final[COMPARE_BEST].mean, 0.75, 1e-12) &&
              rl->final[COMPARE_BEST].n == 2,
          "rl final");
    /* top-5 with 3 samples = mean of all so far: rl-1 0.5 0.55 0.6,
     * rl-2 0.6 0.55 0.63333; final mean (0.6 + 0.633333)/2 = 0.6166667 */
    CHECK(NEAR(rl->curve[COMPARE_TOP5][1].mean, 0.55, 1e-12), "rl top5 step2");
    CHECK(NEAR(rl->final[COMPARE_TOP5].mean, 0.6166667, 1e-6), "rl top5");
    /* AUC: rl-1 (0.5+0.6+0.7)/3 = 0.6, rl-2 (0.6+0.6+0.8)/3 = 0.6666667 */
    CHECK(NEAR(rl->search[0].auc, 0.6, 1e-12) &&
              NEAR(rl->search[1].auc, 2.0 / 3.0, 1e-12) &&
              NEAR(rl->auc.mean, 0.6333333, 1e-6),
          "rl auc");

    /* random-1 after the duplicates rule: 0.4 0.5 0.5 (one duplicate),
     * best 0.4 0.5 0.5, top-5 0.4 0.45 0.45 (the duplicate not entered).
     * random-2 at budget 3: 0.3 0.6 0.4, best 0.3 0.6 0.6, top-5 0.3 0.45
     * 0.43333.  Final best 0.5 and 0.6. */
    CHECK(rnd->search[0].duplicates == 1 && rnd->duplicates == 1, "dups");
    CHECK(rnd->search[1].samples == 4, "samples kept");
    CHECK(NEAR(rnd->search[0].final[COMPARE_BEST], 0.5, 1e-12), "dup reward");
    CHECK(NEAR(rnd->search[0].final[COMPARE_TOP5], 0.45, 1e-12), "dup top5");
    CHECK(NEAR(rnd->search[1].final[COMPARE_TOP5], 1.3 / 3.0, 1e-12),
          "random-2 top5");
    CHECK(NEAR(rnd->final[COMPARE_BEST].mean, 0.55, 1e-12), "random final");

    /* evolution: one seed, no interval */
    CHECK(evo->final[COMPARE_BEST].n == 1 &&
              evo->final[COMPARE_BEST].lo == evo->final[COMPARE_BEST].hi,
          "n=1");

    /* rl vs random: {0.7,0.8} vs {0.5,0.6}: U1 = 4; counts of U for 2 vs 2
     * over u = 0..4: 1 1 2 1 1 (6 orderings); P(U >= 4) = 1/6, p = 1/3.
     * rl vs evolution: {0.7,0.8} vs {0.75}: U1 = 1 = E[U]; counts for 2 vs
     * 1: 1 1 1; P(U <= 1) = 2/3, p = min(1, 4/3) = 1, A12 = 0.5.
     * random vs evolution: {0.5,0.6} vs {0.75}: U1 = 0, p = 2/3, A12 = 0. */
    CHECK(c->pair[0].a == 0 && c->pair[0].b == 1, "pair 0");
    CHECK(c->pair[0].mw.u1 == 4 && NEAR(c->pair[0].mw.p, 1.0 / 3.0, 1e-12) &&
              c->pair[0].mw.a12 == 1.0,
          "rl vs random p %g", c->pair[0].mw.p);
    CHECK(c->pair[1].mw.p == 1.0 && c->pair[1].mw.a12 == 0.5, "rl vs evo");
    CHECK(NEAR(c->pair[2].mw.p, 2.0 / 3.0, 1e-12) && c->pair[2].mw.a12 == 0,
          "random vs evo");
    for (size_t i = 0; i < 3; i++)
        CHECK(c->pair[i].verdict == STATS_VERDICT_NONE, "no verdict %zu", i);
    CHECK(strstr(c->pair[0].text, "no evidence of a difference between rl and "
                                  "random at 3 samples") != NULL,
          "text %s", c->pair[0].text);
}

/* The band every output shows: the t interval cut to [0,1], none at n=1. */
static void test_band(const Comparison *c)
{
    const CompareGroup *rl = &c->group[0], *evo = &c->group[2];
    /* rl step 1: 0.55 -+ 0.6353 reaches both ends */
    CompareBand b = compare_band(&rl->curve[COMPARE_BEST][0]);
    CHECK(b.has_interval && b.clipped && b.lo == 0.0 && b.hi == 1.0,
          "cut both ends: [%g, %g] clipped %d", b.lo, b.hi, b.clipped);
    /* the summary itself keeps the interval as computed */
    CHECK(rl->curve[COMPARE_BEST][0].lo < 0 && rl->curve[COMPARE_BEST][0].hi > 1,
          "raw summary unchanged");
    /* step 2: no width, nothing cut */
    b = compare_band(&rl->curve[COMPARE_BEST][1]);
    CHECK(b.has_interval && !b.clipped && b.lo == 0.6 && b.hi == 0.6, "no width");
    /* one seed: no interval */
    b = compare_band(&evo->final[COMPARE_BEST]);
    CHECK(!b.has_interval && !b.clipped && b.lo == 0.75 && b.hi == 0.75, "n=1");
    /* hand-made summaries: inside, only the top cut, empty */
    StatsSummary in = { 3, 0.5, 0.1, 0.4, 0.6 }, top = { 2, 0.9, 0.1, 0.7, 1.3 },
                 none = { 0, 0, 0, 0, 0 };
    b = compare_band(&in);
    CHECK(b.lo == 0.4 && b.hi == 0.6 && !b.clipped, "inside");
    b = compare_band(&top);
    CHECK(b.lo == 0.7 && b.hi == 1.0 && b.clipped, "top cut");
    b = compare_band(&none);
    CHECK(!b.has_interval && b.lo == 0 && b.hi == 0, "empty");
    /* what the table and the screen print */
    char buf[64];
    compare_report_summary(buf, sizeof buf, &rl->curve[COMPARE_BEST][0]);
    CHECK(strcmp(buf, "0.5500 [0.0000, 1.0000]*") == 0, "printed %s", buf);
    compare_report_summary(buf, sizeof buf, &evo->final[COMPARE_BEST]);
    CHECK(strcmp(buf, "0.7500 (n=1)") == 0, "printed %s", buf);
    compare_report_summary(buf, sizeof buf, &in);
    CHECK(strcmp(buf, "0.5000 [0.4000, 0.6000]") == 0, "printed %s", buf);
    /* every interval the CSV writes lies in [0,1] */
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    compare_report_csv(f, c);
    fclose(f);
    int rows = 0, bad = 0;
    for (char *line = strchr(text, '\n'); line && line[1]; line = strchr(line + 1, '\n')) {
        char strategy[32];
        size_t step, n;
        double v[9];
        if (sscanf(line + 1, "%31[^,],%zu,%zu,%lf,%lf,%lf,%lf,%lf,%lf,%lf,%lf,%lf",
                   strategy, &step, &n, &v[0], &v[1], &v[2], &v[3], &v[4], &v[5],
                   &v[6], &v[7], &v[8]) == 12) {
            rows++;
            for (int k = 0; k < 9; k++)
                bad += v[k] < 0 || v[k] > 1;
        }
    }
    CHECK(rows == 9 && bad == 0, "csv rows %d, values outside [0,1] %d", rows, bad);
    free(text);
    /* per-run curves: rl-2's best so far 0.6 0.6 0.8 */
    CHECK(rl->search[1].curve[COMPARE_BEST][0] == 0.6 &&
              rl->search[1].curve[COMPARE_BEST][2] == 0.8,
          "per-run curve");
}

/* A large A12 beside a p that cannot be small is explained; a small or
 * reachable one is not. */
static void test_caveat(const Comparison *c)
{
    char buf[300];
    /* rl vs random: A12 1.00 large, 2 vs 2: p >= 1/3 */
    CHECK(compare_pair_caveat(&c->pair[0], buf, sizeof buf) == 1 &&
              strstr(buf, "A12 1.00 large but with 2 vs 2 seeds p cannot go "
                          "below 0.333") != NULL,
          "caveat: %s", buf);
    /* rl vs evolution: A12 0.5 negligible: nothing to explain */
    CHECK(compare_pair_caveat(&c->pair[1], buf, sizeof buf) == 0 && !buf[0],
          "no caveat: %s", buf);
    ComparePair p = c->pair[0];
    p.ev.n1 = p.ev.n2 = 5; /* p can reach 0.008 */
    p.ev.min_p = stats_mw_min_p(5, 5);
    CHECK(compare_pair_caveat(&p, buf, sizeof buf) == 0, "reachable p");
}

/* Searches on the same task are alike; another dataset, proxy setting or
 * reward kind is named. */
static void test_like_stored(void)
{
    static StoreSearch s[3];
    char why[600];
    for (int i = 0; i < 3; i++) {
        memset(&s[i], 0, sizeof s[i]);
        snprintf(s[i].name, sizeof s[i].name, "s-%d", i + 1);
        snprintf(s[i].dataset, sizeof s[i].dataset, "fashion-mnist");
        s[i].F = 8;
        s[i].N = 1;
        s[i].epochs = 1;
        s[i].batch = 64;
        s[i].lr = 0.05;
        s[i].train_size = 10000;
        s[i].val_size = 5000;
        s[i].bn_recalibrate = 1;
    }
    snprintf(s[0].strategy, sizeof s[0].strategy, "rl");
    snprintf(s[1].strategy, sizeof s[1].strategy, "random");
    snprintf(s[2].reward_kind, sizeof s[2].reward_kind, "standalone");
    CHECK(compare_like_text(s, 3, why, sizeof why) == 0 && !why[0],
          "alike (strategy may differ, \"\" is standalone): %s", why);
    CHECK(compare_like_text(s, 1, why, sizeof why) == 0, "one search");
    s[2].val_size = 48;
    CHECK(compare_like_text(s, 3, why, sizeof why) == 1 &&
              strcmp(why, "'s-1' and 's-3' differ in validation size "
                          "(5000 vs 48)") == 0,
          "val size: %s", why);
    s[2].F = 4;
    CHECK(compare_like_text(s, 3, why, sizeof why) == 2 &&
              strstr(why, "; and 1 more") != NULL,
          "two fields: %s", why);
    s[2].F = 8;
    s[2].val_size = 5000;
    snprintf(s[1].dataset, sizeof s[1].dataset, "cifar10:/d");
    CHECK(compare_like_text(s, 3, why, sizeof why) == 1 &&
              strstr(why, "'s-1' and 's-2'") != NULL,
          "dataset: %s", why);
    snprintf(s[1].dataset, sizeof s[1].dataset, "fashion-mnist");
    snprintf(s[1].reward_kind, sizeof s[1].reward_kind, "shared");
    CHECK(compare_like_text(s, 3, why, sizeof why) == 1 &&
              strstr(why, "reward kind") != NULL,
          "reward kind: %s", why);
}

static void test_errors(void)
{
    Comparison *c = (Comparison *)1;
    NvError err;
    const CompareInput none = { "empty", "rl", NULL, NULL, 0, 0, 0, NULL };
    CHECK(compare_build(inputs, 0, 0, COMPARE_BEST, &c, &err) == NV_ERR_USAGE &&
              c == NULL,
          "no inputs");
    CHECK(compare_build(inputs, 5, 4, COMPARE_BEST, &c, &err) == NV_ERR_USAGE,
          "budget too large");
    CHECK(strstr(err.msg, "'random-1' has only 3 finished samples") != NULL &&
              strstr(err.msg, "--budget 3") != NULL,
          "message: %s", err.msg);
    CHECK(compare_build(&none, 1, 0, COMPARE_BEST, &c, &err) == NV_ERR_USAGE &&
              strstr(err.msg, "no finished samples") != NULL,
          "empty search: %s", err.msg);
    /* explicit budget 2, metric top5, one strategy only: no pairs */
    CHECK(compare_build(inputs + 1, 1, 2, COMPARE_TOP5, &c, &err) == NV_OK,
          "one search: %s", err.msg);
    CHECK(c->budget == 2 && !c->budget_is_default && c->npair == 0 &&
              c->ngroup == 1 && c->metric == COMPARE_TOP5,
          "one search");
    compare_free(c);
    compare_free(NULL);
}

static void test_metrics(void)
{
    CompareMetric m;
    CHECK(compare_metric_parse("top25", &m) == 0 && m == COMPARE_TOP25, "p");
    CHECK(compare_metric_parse("top7", &m) == -1, "bad metric");
    CHECK(compare_metric_k(COMPARE_TOP5) == 5, "k");
}

static int write_files(const Comparison *c, const char *dir)
{
    char path[1024];
    NvError err;
    FILE *f;
    snprintf(path, sizeof path, "%s/compare.svg", dir);
    if (compare_svg_save(path, c, &err) != NV_OK) {
        fprintf(stderr, "%s\n", err.msg);
        return 1;
    }
    snprintf(path, sizeof path, "%s/compare.json", dir);
    if (!(f = fopen(path, "w")))
        return 1;
    compare_report_json(f, c);
    fclose(f);
    snprintf(path, sizeof path, "%s/compare.csv", dir);
    if (!(f = fopen(path, "w")))
        return 1;
    compare_report_csv(f, c);
    fclose(f);
    snprintf(path, sizeof path, "%s/compare.txt", dir);
    if (!(f = fopen(path, "w")))
        return 1;
    compare_report_table(f, c);
    fclose(f);
    return 0;
}

/* Which test: independent runs are tested unpaired; searches drawn with
 * common random numbers whose seeds pair up, paired by seed. */
static void test_pairing(void)
{
    /* Five seeds of rl and random, rl better by 0.01..0.05 on every seed
     * (seed s: random 0.5 + s/100, rl 0.5 + 2s/100), given in a shuffled
     * seed order for random so that pairing has to match seeds. */
    static const double rl[5][1] = { { .52 }, { .54 }, { .56 }, { .58 }, { .60 } };
    static const double rnd[5][1] = { { .53 }, { .51 }, { .55 }, { .52 }, { .54 } };
    static const uint64_t rnd_seed[5] = { 3, 1, 5, 2, 4 };
    CompareInput in[10];
    Comparison *c = NULL;
    NvError err;
    memset(in, 0, sizeof in);
    for (int i = 0; i < 5; i++) {
        in[i].name = "rl";
        in[i].strategy = "rl";
        in[i].reward = rl[i];
        in[i].n = 1;
        in[i].seed = (uint64_t)i + 1;
        in[5 + i].name = "random";
        in[5 + i].strategy = "random";
        in[5 + i].reward = rnd[i];
        in[5 + i].n = 1;
        in[5 + i].seed = rnd_seed[i];
    }
    /* independent: Mann-Whitney on {.52..,.60} vs {.51..,.55} */
    CHECK(compare_build(in, 10, 0, COMPARE_BEST, &c, &err) == NV_OK, "%s",
          err.msg);
    CHECK(c && c->pair[0].test == STATS_TEST_MANN_WHITNEY &&
              strcmp(compare_test_summary(c), "mann-whitney") == 0,
          "independent runs: Mann-Whitney");
    CHECK(c && strstr(c->pair[0].text, "Wilcoxon") == NULL, "text %s",
          c ? c->pair[0].text : "");
    compare_free(c);
    /* common, pairing by seed: d = rl - random = .01 .02 .03 .04 .05, all
     * positive: W+ = 15, exact p = 2/32 (so no verdict with 5 pairs) */
    for (int i = 0; i < 10; i++)
        in[i].common_streams = 1;
    CHECK(compare_build(in, 10, 0, COMPARE_BEST, &c, &err) == NV_OK, "%s",
          err.msg);
    CHECK(c && c->pair[0].test == STATS_TEST_WILCOXON &&
              strcmp(compare_test_summary(c), "wilcoxon") == 0,
          "common streams: Wilcoxon");
    CHECK(c && c->pair[0].wx.w_plus == 15 && c->pair[0].wx.n == 5 &&
              NEAR(c->pair[0].ev.p, 0.0625, 1e-12),
          "W+ %g p %g", c ? c->pair[0].wx.w_plus : 0, c ? c->pair[0].ev.p : 0);
    CHECK(c && strstr(c->pair[0].text, "paired by seed, Wilcoxon signed-rank "
                                       "p = 0.0625") != NULL,
          "text %s", c ? c->pair[0].text : "");
    compare_free(c);
    /* common, but a seed twice on one side: they do not pair up */
    in[9].seed = 3;
    CHECK(compare_build(in, 10, 0, COMPARE_BEST, &c, &err) == NV_OK, "%s",
          err.msg);
    CHECK(c && c->pair[0].test == STATS_TEST_MANN_WHITNEY,
          "seeds that do not pair: Mann-Whitney");
    compare_free(c);
    /* one independent search among common ones: unpaired */
    in[9].seed = 4;
    in[2].common_streams = 0;
    CHECK(compare_build(in, 10, 0, COMPARE_BEST, &c, &err) == NV_OK, "%s",
          err.msg);
    CHECK(c && c->pair[0].test == STATS_TEST_MANN_WHITNEY,
          "a mixed set: Mann-Whitney");
    compare_free(c);
}

/* Like with like: every field that differs is named, with both values. */
static void test_like(void)
{
    CompareProtocol p[3];
    CompareDiff d[8];
    char text[400];
    memset(p, 0, sizeof p);
    for (int i = 0; i < 3; i++) {
        p[i].space_version = 1;
        p[i].dataset = "fashion-mnist";
        p[i].F = 8;
        p[i].N = 1;
        p[i].epochs = 1;
        p[i].batch = 64;
        p[i].train_size = 1000;
        p[i].val_size = 500;
        p[i].lr = 0.05;
        p[i].bn_recalibrate = 1;
    }
    p[0].name = "rl-1";
    p[1].name = "random-1";
    p[2].name = "random-2";
    p[1].reward_kind = "standalone"; /* the same as NULL */
    CHECK(compare_check_like(p, 3, d, 8) == 0, "like with like");
    p[2].F = 4;
    p[2].bn_recalibrate = 0;
    p[1].reward_kind = "shared";
    p[2].space_version = 2;
    CHECK(compare_check_like(p, 3, d, 8) == 4, "four fields differ");
    CHECK(strcmp(d[0].field, "search space version") == 0 && d[0].b == 2 &&
              strcmp(d[0].va, "1") == 0 && strcmp(d[0].vb, "2") == 0,
          "space: %s %s %s", d[0].field, d[0].va, d[0].vb);
    CHECK(strcmp(d[1].field, "reward kind") == 0 && d[1].b == 1 &&
              strcmp(d[1].va, "standalone") == 0 &&
              strcmp(d[1].vb, "shared") == 0,
          "reward kind: %s %s", d[1].va, d[1].vb);
    CHECK(strcmp(d[2].field, "F") == 0, "F: %s", d[2].field);
    CHECK(strcmp(d[3].field, "batch-norm recalibration") == 0 &&
              strcmp(d[3].va, "on") == 0 && strcmp(d[3].vb, "off") == 0,
          "bn: %s %s", d[3].va, d[3].vb);
    compare_diff_text(p, &d[2], text, sizeof text);
    CHECK(strcmp(text, "'rl-1' and 'random-2' differ in F (8 vs 4)") == 0,
          "text %s", text);
    /* fewer slots than differences: the count is still all of them */
    CHECK(compare_check_like(p, 3, d, 1) == 4, "count beyond max");
    p[1].dataset = "cifar10:/data";
    CHECK(compare_check_like(p, 3, d, 8) == 5 &&
              strcmp(d[1].field, "dataset") == 0,
          "dataset named");
}

int main(int argc, char **argv)
{
    test_like();
    test_pairing();
    Comparison *c = NULL;
    NvError err;
    test_metrics();
    test_errors();
    if (compare_build(inputs, 5, 0, COMPARE_BEST, &c, &err) != NV_OK) {
        fprintf(stderr, "compare_build: %s\n", err.msg);
        return 1;
    }
    test_build(c);
    test_band(c);
    test_caveat(c);
    test_like_stored();
    if (argc > 1 && write_files(c, argv[1]) != 0)
        check_failures++;
    compare_free(c);
    return check_exit("test_compare");
}
