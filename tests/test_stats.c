/* test_stats.c - the statistics of `nasview compare` against values
 * worked out by hand (the working is in the comments) and against
 * published tables and textbook examples. */
#include "config.h"

#include <math.h>
#include <string.h>

#include "check.h"
#include "compare/stats.h"

#define NEAR(x, want, tol) (fabs((x) - (want)) <= (tol))

static void test_curves(void)
{
    /* rewards 0.5 0.3 0.7 0.6 0.7
     * best-so-far: 0.5 0.5 0.7 0.7 0.7
     * AUC (budget 5) = (0.5+0.5+0.7+0.7+0.7)/5 = 3.1/5 = 0.62
     * AUC (budget 2) = (0.5+0.5)/2 = 0.5; budget 9 > n uses n = 5.
     * top-2 mean so far: step1 0.5 (one sample only), step2 (0.5+0.3)/2
     * = 0.4, step3 (0.7+0.5)/2 = 0.6, step4 (0.7+0.6)/2 = 0.65,
     * step5 (0.7+0.7)/2 = 0.7 (a second architecture with 0.7). */
    const double r[5] = { 0.5, 0.3, 0.7, 0.6, 0.7 };
    const double best_want[5] = { 0.5, 0.5, 0.7, 0.7, 0.7 };
    const double top2_want[5] = { 0.5, 0.4, 0.6, 0.65, 0.7 };
    double out[5];
    NvError err;

    stats_best_so_far(r, 5, out);
    for (int i = 0; i < 5; i++)
        CHECK(out[i] == best_want[i], "best[%d] = %g", i, out[i]);
    CHECK(NEAR(stats_auc(r, 5, 5), 0.62, 1e-12), "auc5 %g", stats_auc(r, 5, 5));
    CHECK(NEAR(stats_auc(r, 5, 2), 0.5, 1e-12), "auc2");
    CHECK(NEAR(stats_auc(r, 5, 9), 0.62, 1e-12), "auc past n");
    CHECK(stats_auc(r, 0, 5) == 0.0, "auc of nothing is 0");
    CHECK(stats_auc(r, 5, 0) == 0.0, "auc at budget 0 is 0");

    CHECK(stats_topk_so_far(r, NULL, 5, 2, out, &err) == NV_OK, "top2");
    for (int i = 0; i < 5; i++)
        CHECK(NEAR(out[i], top2_want[i], 1e-12), "top2[%d] = %g", i, out[i]);

    /* top-1 is best-so-far */
    CHECK(stats_topk_so_far(r, NULL, 5, 1, out, &err) == NV_OK, "top1");
    for (int i = 0; i < 5; i++)
        CHECK(out[i] == best_want[i], "top1[%d] = %g", i, out[i]);

    /* top-25 of 5 samples: mean of all so far: 0.5, 0.4, 0.5, 0.525, 0.56 */
    {
        const double want[5] = { 0.5, 0.4, 0.5, 0.525, 0.56 };
        CHECK(stats_topk_so_far(r, NULL, 5, 25, out, &err) == NV_OK, "top25");
        for (int i = 0; i < 5; i++)
            CHECK(NEAR(out[i], want[i], 1e-12), "top25[%d] = %g", i, out[i]);
    }

    /* n = 1 and n = 0 */
    stats_best_so_far(r + 2, 1, out);
    CHECK(out[0] == 0.7, "best of one");
    CHECK(NEAR(stats_auc(r + 2, 1, 1), 0.7, 1e-15), "auc of one");
}

static void test_dedup(void)
{
    /* Sample 4 repeats the architecture of sample 2 (key 30) and was
     * recorded with 0.9; it carries 0.7, the reward of its first training.
     * Sample 3 repeats sample 0 (key 10) with the same reward.
     * top-2 with duplicates not entered twice:
     *   step1 0.5, step2 (0.5+0.3)/2 = 0.4, step3 (0.7+0.5)/2 = 0.6,
     *   step4 sample 3 is a duplicate: still 0.6,
     *   step5 duplicate: still 0.6.  Best-so-far stays 0.5 0.5 0.7 0.7 0.7. */
    const double r[5] = { 0.5, 0.3, 0.7, 0.5, 0.9 };
    const uint64_t key[5] = { 10, 20, 30, 10, 30 };
    const double want_r[5] = { 0.5, 0.3, 0.7, 0.5, 0.7 };
    const unsigned char want_dup[5] = { 0, 0, 0, 1, 1 };
    const double top2_want[5] = { 0.5, 0.4, 0.6, 0.6, 0.6 };
    double out[5], top[5];
    unsigned char dup[5];
    size_t ndup = 99;
    NvError err;

    CHECK(stats_dedup(r, key, 5, out, dup, &ndup, &err) == NV_OK, "dedup");
    CHECK(ndup == 2, "two duplicates, got %zu", ndup);
    for (int i = 0; i < 5; i++) {
        CHECK(out[i] == want_r[i], "reward[%d] = %g", i, out[i]);
        CHECK(dup[i] == want_dup[i], "dup[%d] = %d", i, dup[i]);
    }
    CHECK(stats_topk_so_far(out, dup, 5, 2, top, &err) == NV_OK, "top2 dup");
    for (int i = 0; i < 5; i++)
        CHECK(NEAR(top[i], top2_want[i], 1e-12), "top2dup[%d] = %g", i, top[i]);
    CHECK(NEAR(stats_auc(out, 5, 5), 0.62, 1e-12), "auc with duplicates");

    /* one architecture sampled three times: 0.2 then two reuses of 0.2 */
    {
        const double r3[3] = { 0.2, 0.9, 0.4 };
        const uint64_t k3[3] = { 7, 7, 7 };
        CHECK(stats_dedup(r3, k3, 3, out, dup, &ndup, &err) == NV_OK, "x3");
        CHECK(ndup == 2 && out[0] == 0.2 && out[1] == 0.2 && out[2] == 0.2 &&
                  !dup[0] && dup[1] && dup[2],
              "three of one: %zu %g %g", ndup, out[1], out[2]);
    }
    /* no keys: a copy, nothing flagged */
    CHECK(stats_dedup(r, NULL, 5, out, dup, &ndup, &err) == NV_OK, "nokey");
    CHECK(ndup == 0 && out[4] == 0.9 && dup[4] == 0, "no keys, no dups");
    CHECK(stats_dedup(r, key, 0, out, dup, &ndup, &err) == NV_OK && ndup == 0,
          "empty dedup");
}

static void test_t_quantile(void)
{
    /* Student t table (two-sided 95% and others), e.g. NIST/SEMATECH
     * e-Handbook 1.3.6.7.2. */
    static const struct {
        double p, df, t;
    } tab[] = {
        { 0.975, 1, 12.706 },  { 0.975, 2, 4.303 },   { 0.975, 4, 2.776 },
        { 0.975, 10, 2.228 },  { 0.975, 29, 2.045 },  { 0.975, 100, 1.984 },
        { 0.95, 10, 1.812 },   { 0.995, 10, 3.169 },  { 0.995, 1, 63.657 },
        { 0.90, 5, 1.476 },
    };
    for (size_t i = 0; i < sizeof tab / sizeof tab[0]; i++) {
        double t = stats_t_quantile(tab[i].p, tab[i].df);
        CHECK(NEAR(t, tab[i].t, 0.0006), "t_{%g,%g} = %.6f, table %.3f",
              tab[i].p, tab[i].df, t, tab[i].t);
        CHECK(NEAR(stats_t_quantile(1 - tab[i].p, tab[i].df), -t, 1e-9),
              "symmetry");
    }
    /* more digits: t_{0.975,1} = tan(0.475 pi) = 12.7062047361747 */
    CHECK(NEAR(stats_t_quantile(0.975, 1), tan(0.475 * M_PI), 1e-8),
          "t_{.975,1} = %.10f", stats_t_quantile(0.975, 1));
    /* t with df = 2 has the closed form t = (2p-1) sqrt(2 / (1 - (2p-1)^2));
     * p = 0.975: 0.95 sqrt(2/0.0975) = 4.30265272974946 */
    CHECK(NEAR(stats_t_quantile(0.975, 2), 4.30265272974946, 1e-8), "t df2");
    /* large df tends to the normal 1.959964 */
    CHECK(NEAR(stats_t_quantile(0.975, 1e6), 1.959966, 1e-5), "t df 1e6");
    CHECK(stats_t_quantile(0.5, 3) == 0.0, "median 0");
    CHECK(stats_t_quantile(0.0, 3) == 0.0 && stats_t_quantile(1.0, 3) == 0.0,
          "p outside (0,1) gives 0, not NaN");
    CHECK(stats_t_quantile(0.975, 0) == 0.0, "df 0 gives 0");
    /* cdf: t_cdf(0) = 0.5; df = 1 is Cauchy: F(1) = 0.75 */
    CHECK(NEAR(stats_t_cdf(0, 7), 0.5, 1e-15), "cdf 0");
    CHECK(NEAR(stats_t_cdf(1, 1), 0.75, 1e-12), "cauchy");
    /* I_x(1,1) = x; I_x(a,1) = x^a */
    CHECK(NEAR(stats_betainc(1, 1, 0.3), 0.3, 1e-13), "beta 1 1");
    CHECK(NEAR(stats_betainc(3, 1, 0.5), 0.125, 1e-13), "beta 3 1");
    CHECK(NEAR(stats_normal_cdf(1.959963984540054), 0.975, 1e-12), "Phi");
}

static void test_summary(void)
{
    StatsSummary s;
    /* {1,2,3,4,5}: mean 3, sd = sqrt(10/4) = 1.58113883,
     * half width = t_{.975,4} sd/sqrt(5) = 2.77644511 * 0.70710678
     * = 1.96324316, interval [1.03675684, 4.96324316] */
    const double x[5] = { 1, 2, 3, 4, 5 };
    stats_summarize(x, 5, &s);
    CHECK(s.n == 5 && NEAR(s.mean, 3, 1e-15), "mean");
    CHECK(NEAR(s.sd, 1.5811388300841898, 1e-12), "sd %g", s.sd);
    CHECK(NEAR(s.lo, 1.03675684, 1e-7) && NEAR(s.hi, 4.96324316, 1e-7),
          "ci [%.8f, %.8f]", s.lo, s.hi);

    /* {0, 1}: mean 0.5, sd sqrt(0.5) = 0.70710678, se = 0.5,
     * half = 12.7062047 * 0.5 = 6.35310237: [-5.85310237, 6.85310237]
     * (not clipped) */
    {
        const double y[2] = { 0, 1 };
        stats_summarize(y, 2, &s);
        CHECK(NEAR(s.lo, -5.85310237, 1e-7) && NEAR(s.hi, 6.85310237, 1e-7),
              "ci2 [%.8f, %.8f]", s.lo, s.hi);
    }
    /* n = 1: mean is the value, no interval */
    stats_summarize(x + 3, 1, &s);
    CHECK(s.n == 1 && s.mean == 4 && s.sd == 0 && s.lo == 4 && s.hi == 4,
          "n=1 %g %g %g %g", s.mean, s.sd, s.lo, s.hi);
    /* all equal: sd 0, zero-width interval, no NaN */
    {
        const double z[3] = { 0.8, 0.8, 0.8 };
        stats_summarize(z, 3, &s);
        CHECK(s.n == 3 && NEAR(s.mean, 0.8, 1e-15) && s.sd == 0 &&
                  s.lo == s.mean && s.hi == s.mean,
              "all equal %g %g %g", s.sd, s.lo, s.hi);
    }
    /* empty */
    stats_summarize(NULL, 0, &s);
    CHECK(s.n == 0 && s.mean == 0 && s.sd == 0 && s.lo == 0 && s.hi == 0,
          "empty summary");
}

static void test_mann_whitney(void)
{
    StatsMannWhitney mw;
    StatsEvidence ev;
    NvError err;
    char text[512];

    /* {1,2,3} vs {4,5,6}: U1 = 0.  Exact: of the C(6,3) = 20 orderings
     * one has U = 0, so P(U <= 0) = 1/20 and p = 2/20 = 0.1.  A12 = 0. */
    {
        const double a[3] = { 1, 2, 3 }, b[3] = { 4, 5, 6 };
        CHECK(stats_mann_whitney(a, 3, b, 3, &mw, &err) == NV_OK, "mw");
        CHECK(mw.exact && !mw.ties && mw.u1 == 0 && mw.u2 == 9, "U %g", mw.u1);
        CHECK(NEAR(mw.p, 0.1, 1e-12), "p %g", mw.p);
        CHECK(mw.a12 == 0.0, "a12 %g", mw.a12);
        CHECK((stats_evidence_mw(&mw, &ev), stats_verdict(&ev)) == STATS_VERDICT_NONE, "3 vs 3 not enough");
        stats_verdict_text(&ev, "rl", "random", 20, text, sizeof text);
        CHECK(strstr(text, "no evidence of a difference between rl and random "
                           "at 20 samples") != NULL &&
                  strstr(text, "n = 3 vs 3") != NULL &&
                  strstr(text, "cannot go below 0.100") != NULL,
              "text: %s", text);
    }
    /* {1,2,4} vs {3,5,6}: U1 = #(a > b) = 1 (4 > 3).  Counts of U for
     * 3 vs 3, u = 0..9: 1 1 2 3 3 3 3 2 1 1 (sum 20).  P(U <= 1) = 2/20,
     * p = 0.2.  A12 = 1/9. */
    {
        const double a[3] = { 1, 2, 4 }, b[3] = { 3, 5, 6 };
        CHECK(stats_mann_whitney(a, 3, b, 3, &mw, &err) == NV_OK, "mw2");
        CHECK(mw.u1 == 1 && NEAR(mw.p, 0.2, 1e-12), "U %g p %g", mw.u1, mw.p);
        CHECK(NEAR(mw.a12, 1.0 / 9.0, 1e-15), "a12");
    }
    /* R's ?wilcox.test example (Hollander & Wolfe 1973, p. 110):
     * x = 0.80 0.83 1.89 1.04 1.45 1.38 1.91 1.64 0.73 1.46,
     * y = 1.15 0.88 0.90 0.74 1.21.  Counting the y below each x:
     * 1+1+5+3+5+5+5+5+0+5 = 35 = W.  One-sided p = 0.1272 (382 of the
     * 3003 orderings have U >= 35), two-sided 764/3003 = 0.2544123. */
    {
        const double x[10] = { 0.80, 0.83, 1.89, 1.04, 1.45,
                               1.38, 1.91, 1.64, 0.73, 1.46 };
        const double y[5] = { 1.15, 0.88, 0.90, 0.74, 1.21 };
        CHECK(stats_mann_whitney(x, 10, y, 5, &mw, &err) == NV_OK, "mw R");
        CHECK(mw.exact && mw.u1 == 35, "W %g", mw.u1);
        CHECK(NEAR(mw.p, 764.0 / 3003.0, 1e-12), "p %.7f", mw.p);
        CHECK(NEAR(mw.a12, 0.7, 1e-15), "a12 %g", mw.a12);
        /* swapped: same p, U and A12 mirrored */
        CHECK(stats_mann_whitney(y, 5, x, 10, &mw, &err) == NV_OK, "mw R'");
        CHECK(mw.u1 == 15 && NEAR(mw.p, 764.0 / 3003.0, 1e-12), "swap");
        CHECK(NEAR(mw.a12, 0.3, 1e-15), "a12 swap");
    }
    /* With ties, exact.  a = {1,2,2,3}, b = {2,3,4,5}.  Pooled, sorted:
     * 1a 2a 2a 2b 3a 3b 4b 5b; mid-ranks 1, 3,3,3, 5.5,5.5, 7, 8.
     * R1 = 1+3+3+5.5 = 12.5, U1 = 12.5 - 4*5/2 = 2.5 (pairs: 0 + 0.5 +
     * 0.5 + 1.5), below its mean 8.  Of the C(8,4) = 70 ways to choose
     * four of the pooled mid-ranks, 7 sum to 12.5 or less (1+3+3+3 = 10,
     * three of 1+3+3+5.5 = 12.5 ... counted by enumeration), so
     * p = 2 * 7/70 = 0.2; the normal approximation said 0.1367.  The
     * smallest sum, 10, is one choice, the largest, 1 way of 5.5+5.5+7+8:
     * the floor stays 2/70.  A12 = 2.5/16 = 0.15625. */
    {
        const double a[4] = { 1, 2, 2, 3 }, b[4] = { 2, 3, 4, 5 };
        CHECK(stats_mann_whitney(a, 4, b, 4, &mw, &err) == NV_OK, "mw ties");
        CHECK(mw.exact && mw.ties && mw.u1 == 2.5, "U %g", mw.u1);
        CHECK(mw.z == 0, "exact: z %g", mw.z);
        CHECK(NEAR(mw.p, 0.2, 1e-12), "p %.8f", mw.p);
        CHECK(NEAR(mw.min_p, 2.0 / 70.0, 1e-12), "min p %g", mw.min_p);
        CHECK(NEAR(mw.a12, 0.15625, 1e-15), "a12 %g", mw.a12);
    }
    /* The case of issue 18: 3 vs 3 with ties inside a and b, fully
     * separated.  a = {.9,.9,.85}, b = {.8,.8,.7}: mid-ranks .7 1,
     * .8 2.5 2.5, .85 4, .9 5.5 5.5; R1 = 15, U1 = 9, the largest.  One
     * of the 20 choices reaches 15, so the exact p = 2/20 = 0.1 (the
     * normal approximation gave 0.0722, below the floor the sentence
     * states); p and the sentence agree. */
    {
        const double a[3] = { .9, .9, .85 }, b[3] = { .8, .8, .7 };
        CHECK(stats_mann_whitney(a, 3, b, 3, &mw, &err) == NV_OK, "mw 18");
        CHECK(mw.exact && mw.ties && mw.u1 == 9, "U %g", mw.u1);
        CHECK(NEAR(mw.p, 0.1, 1e-12), "p %.8f", mw.p);
        CHECK(NEAR(mw.min_p, 0.1, 1e-12), "min p %g", mw.min_p);
        CHECK(mw.p >= mw.min_p, "p below its floor");
        stats_evidence_mw(&mw, &ev);
        stats_verdict_text(&ev, "rl", "random", 10, text, sizeof text);
        CHECK(strstr(text, "p = 0.1,") != NULL &&
                  strstr(text, "cannot go below 0.100") != NULL,
              "text: %s", text);
    }
    /* Ties raise the floor.  a = {1,2,2}, b = {2,3,3}: mid-ranks 1,
     * 3,3,3, 5.5,5.5; R1 = 1+3+3 = 7 is the smallest sum a can have, and
     * three of the 20 choices give it (1 with two of the three 3s): p =
     * 2 * 3/20 = 0.3.  The largest, 5.5+5.5+3, is also three choices, so
     * no outcome could give p below 0.3 (not 2/20). */
    {
        const double a[3] = { 1, 2, 2 }, b[3] = { 2, 3, 3 };
        CHECK(stats_mann_whitney(a, 3, b, 3, &mw, &err) == NV_OK, "mw floor");
        CHECK(mw.exact && NEAR(mw.p, 0.3, 1e-12), "p %.8f", mw.p);
        CHECK(NEAR(mw.min_p, 0.3, 1e-12), "min p %g", mw.min_p);
        stats_evidence_mw(&mw, &ev);
        stats_verdict_text(&ev, "rl", "random", 10, text, sizeof text);
        CHECK(strstr(text, "cannot go below 0.300") != NULL, "text: %s",
              text);
    }
    /* Past STATS_MW_EXACT_TIES_MAX values with ties: the tie-corrected
     * normal approximation.  a = 21 copies of {1,2} minus one..., here
     * a = {1,1,2,...}: 21 values 1,2,1,2,... against 20 of 2,3,2,3,...
     * checked against the formula computed here. */
    {
        double a[21], b[20];
        for (int i = 0; i < 21; i++)
            a[i] = 1 + (i % 2);
        for (int i = 0; i < 20; i++)
            b[i] = 2 + (i % 2);
        CHECK(stats_mann_whitney(a, 21, b, 20, &mw, &err) == NV_OK, "mw big");
        CHECK(!mw.exact && mw.ties && mw.z < 0, "approx: z %g", mw.z);
        {
            /* a: 11 ones, 10 twos; b: 10 twos, 10 threes.  Wins of a:
             * ties 10*10*0.5 = 50.  Tie groups 11, 20, 10. */
            double N = 41, t = (11.0 * 11 * 11 - 11) + (20.0 * 20 * 20 - 20) +
                               (10.0 * 10 * 10 - 10);
            double var = 21.0 * 20 / 12 * (N + 1 - t / (N * (N - 1)));
            double z = (50 - 210 + 0.5) / sqrt(var);
            CHECK(mw.u1 == 50 && NEAR(mw.z, z, 1e-12), "z %g vs %g", mw.z, z);
        }
    }
    /* Large samples without ties use the approximation: 1..60 vs 61..120,
     * U1 = 0, E = 1800, sigma^2 = 3600 * 121 / 12 = 36300,
     * z = (0 - 1800 + 0.5)/190.525589 = -9.44492, p = 3.5566e-21. */
    {
        double a[60], b[60];
        for (int i = 0; i < 60; i++) {
            a[i] = i + 1;
            b[i] = i + 61;
        }
        CHECK(stats_mann_whitney(b, 60, a, 60, &mw, &err) == NV_OK, "mw 60");
        CHECK(!mw.exact && mw.u1 == 3600 && mw.a12 == 1.0, "U %g", mw.u1);
        CHECK(NEAR(mw.z, 9.44492, 1e-4), "z %g", mw.z);
        CHECK(NEAR(mw.p / 3.5566e-21, 1.0, 1e-3), "p %g", mw.p);
        CHECK((stats_evidence_mw(&mw, &ev), stats_verdict(&ev)) == STATS_VERDICT_A_BETTER, "a better");
    }
    /* 5 vs 5 fully separated: exact p = 2/C(10,5) = 2/252 = 0.00793651 */
    {
        const double a[5] = { .91, .92, .93, .94, .95 };
        const double b[5] = { .81, .82, .83, .84, .85 };
        CHECK(stats_mann_whitney(a, 5, b, 5, &mw, &err) == NV_OK, "mw 5");
        CHECK(NEAR(mw.p, 2.0 / 252.0, 1e-12), "p %g", mw.p);
        CHECK((stats_evidence_mw(&mw, &ev), stats_verdict(&ev)) == STATS_VERDICT_A_BETTER, "verdict");
        stats_verdict_text(&ev, "rl", "random", 100, text, sizeof text);
        CHECK(strncmp(text, "rl better than random at 100 samples (p = 0.00794, "
                            "A12 = 1.00 large; n = 5 vs 5)", 200) == 0,
              "text: %s", text);
        /* the same data the other way round: B better */
        CHECK(stats_mann_whitney(b, 5, a, 5, &mw, &err) == NV_OK, "mw 5'");
        CHECK((stats_evidence_mw(&mw, &ev), stats_verdict(&ev)) == STATS_VERDICT_B_BETTER, "verdict b");
        stats_verdict_text(&ev, "random", "rl", 100, text, sizeof text);
        CHECK(strncmp(text, "rl better than random", 21) == 0, "text: %s",
              text);
    }
    /* n = 1 each: exact, U1 = 1 > E = 0.5, P(U >= 1) = 1/2, p = 1 */
    {
        const double a[1] = { 0.9 }, b[1] = { 0.8 };
        CHECK(stats_mann_whitney(a, 1, b, 1, &mw, &err) == NV_OK, "mw 1");
        CHECK(mw.exact && mw.p == 1.0 && mw.a12 == 1.0, "p %g", mw.p);
        CHECK((stats_evidence_mw(&mw, &ev), stats_verdict(&ev)) == STATS_VERDICT_NONE, "n=1 no verdict");
    }
    /* all values equal: U at its mean, z 0, p 1, A12 0.5, no NaN */
    {
        const double a[2] = { 0.5, 0.5 }, b[3] = { 0.5, 0.5, 0.5 };
        CHECK(stats_mann_whitney(a, 2, b, 3, &mw, &err) == NV_OK, "mw eq");
        CHECK(mw.ties && mw.all_tied && mw.u1 == 3 && mw.z == 0 &&
                  mw.p == 1.0 && mw.a12 == 0.5,
              "all equal: U %g z %g p %g", mw.u1, mw.z, mw.p);
        stats_evidence_mw(&mw, &ev);
        stats_verdict_text(&ev, "rl", "random", 10, text, sizeof text);
        CHECK(strstr(text, "every run scored the same") != NULL &&
                  strstr(text, "cannot go below") == NULL,
              "text: %s", text);
    }
    /* an empty side */
    {
        const double a[2] = { 0.5, 0.6 };
        CHECK(stats_mann_whitney(a, 2, NULL, 0, &mw, &err) == NV_OK, "mw 0");
        CHECK(mw.n1 == 2 && mw.n2 == 0 && mw.p == 1.0 && mw.a12 == 0.5,
              "empty side");
        stats_evidence_mw(&mw, &ev);
        stats_verdict_text(&ev, "rl", "random", 10, text, sizeof text);
        CHECK(strstr(text, "nothing to compare") != NULL, "text: %s", text);
    }
    /* smallest attainable p: 2/C(6,3) = 0.1, 2/C(8,4) = 0.0285714 */
    CHECK(NEAR(stats_mw_min_p(3, 3), 0.1, 1e-15), "minp 3 3");
    CHECK(NEAR(stats_mw_min_p(4, 4), 2.0 / 70.0, 1e-15), "minp 4 4");
    CHECK(stats_mw_min_p(1, 1) == 1.0 && stats_mw_min_p(0, 5) == 1.0, "minp");
}

static void test_wilcoxon(void)
{
    StatsWilcoxon w;
    StatsEvidence ev;
    NvError err;
    char text[512];

    /* d = {4,2,3,1,5}: all positive, W+ = 15, W- = 0.  One of the 2^5 =
     * 32 sign patterns reaches 15: p = 2/32 = 0.0625, which is also the
     * floor with 5 pairs (so 5 seeds paired can never reach p < 0.05). */
    {
        const double a[5] = { 5, 3, 4, 2, 6 }, b[5] = { 1, 1, 1, 1, 1 };
        CHECK(stats_wilcoxon(a, b, 5, &w, &err) == NV_OK, "wx");
        CHECK(w.exact && !w.ties && w.nzero == 0, "exact");
        CHECK(w.w_plus == 15 && w.w_minus == 0, "W+ %g", w.w_plus);
        CHECK(NEAR(w.p, 0.0625, 1e-12) && NEAR(w.min_p, 0.0625, 1e-12),
              "p %g min %g", w.p, w.min_p);
        stats_evidence_wilcoxon(&w, 1.0, &ev);
        CHECK(ev.dir == 1 && stats_verdict(&ev) == STATS_VERDICT_NONE,
              "no verdict at 0.0625");
        stats_verdict_text(&ev, "rl", "random", 10, text, sizeof text);
        CHECK(strstr(text, "paired by seed, Wilcoxon signed-rank p = 0.0625")
                      != NULL &&
                  strstr(text, "with 5 seed pairs p cannot go below 0.062")
                      != NULL,
              "text: %s", text);
    }
    /* Zeros and ties: a - b = {2, 0, 2, -1, 1, 2}.  The zero is dropped
     * (m = 5); |d| = 2,2,1,1,2 take mid-ranks 4,4,1.5,1.5,4.  W+ = 4+4+1.5
     * +4 = 13.5, W- = 1.5.  Sign patterns with W+ >= 13.5: 13.5 twice
     * (drop either 1.5) and 15 once, 3 of 32: p = 6/32 = 0.1875. */
    {
        const double a[6] = { 3, 1, 4, 1, 2, 4 }, b[6] = { 1, 1, 2, 2, 1, 2 };
        CHECK(stats_wilcoxon(a, b, 6, &w, &err) == NV_OK, "wx ties");
        CHECK(w.exact && w.ties && w.n == 6 && w.nzero == 1, "zeros %zu",
              w.nzero);
        CHECK(w.w_plus == 13.5 && w.w_minus == 1.5, "W+ %g W- %g", w.w_plus,
              w.w_minus);
        CHECK(NEAR(w.p, 0.1875, 1e-12), "p %g", w.p);
        /* the other way round: same p, W+ and W- swapped, direction -1 */
        CHECK(stats_wilcoxon(b, a, 6, &w, &err) == NV_OK, "wx swap");
        CHECK(w.w_plus == 1.5 && NEAR(w.p, 0.1875, 1e-12), "swap");
        stats_evidence_wilcoxon(&w, 0.3, &ev);
        CHECK(ev.dir == -1, "dir %d", ev.dir);
    }
    /* 8 pairs all positive: p = 2/256 < 0.05, A better. */
    {
        const double a[8] = { 9, 8, 7, 6, 5, 4, 3, 2 };
        const double b[8] = { 1, 1, 1, 1, 1, 1, 1, 1.5 };
        CHECK(stats_wilcoxon(a, b, 8, &w, &err) == NV_OK, "wx 8");
        CHECK(NEAR(w.p, 2.0 / 256.0, 1e-12), "p %g", w.p);
        stats_evidence_wilcoxon(&w, 1.0, &ev);
        CHECK(stats_verdict(&ev) == STATS_VERDICT_A_BETTER, "a better");
    }
    /* every pair equal, and no pairs: p = 1, nothing ranked */
    {
        const double a[3] = { .5, .6, .7 };
        CHECK(stats_wilcoxon(a, a, 3, &w, &err) == NV_OK, "wx eq");
        CHECK(w.p == 1.0 && w.nzero == 3 && w.w_plus == 0, "all zero");
        CHECK(stats_wilcoxon(NULL, NULL, 0, &w, &err) == NV_OK, "wx 0");
        CHECK(w.p == 1.0 && w.n == 0, "empty");
    }
    /* 60 pairs, d = 1..60 with d = 1 negative: the normal approximation.
     * W- = 1, W+ = 1829, mean 915, var 60*61*121/24 = 18452.5,
     * z = (1829 - 915 - 0.5)/135.8400 = 6.72478. */
    {
        double a[60], b[60];
        for (int i = 0; i < 60; i++) {
            a[i] = i == 0 ? 0 : i + 1;
            b[i] = i == 0 ? 1 : 0;
        }
        CHECK(stats_wilcoxon(a, b, 60, &w, &err) == NV_OK, "wx 60");
        CHECK(!w.exact && w.w_plus == 1829 && w.w_minus == 1, "W+ %g",
              w.w_plus);
        CHECK(NEAR(w.z, 913.5 / sqrt(18452.5), 1e-12), "z %g", w.z);
    }
}

static void test_power(void)
{
    StatsMannWhitney mw;
    StatsEvidence ev;
    NvError err;
    char text[512];
    /* Noether: N = (1.959964 + 0.841621)^2 / (3 d^2) = 7.848879 / (3 d^2)
     * in all, half per strategy.  A12 = 0.75: N = 41.86, 21 per side;
     * A12 = 0.9: N = 16.35, 9; A12 = 1 (or 0): N = 10.47, 6; A12 = 0.6:
     * 261.6, 131.  A12 = 0.5: 0 (no effect). */
    CHECK(stats_seeds_needed(0.75) == 21, "0.75: %zu", stats_seeds_needed(0.75));
    CHECK(stats_seeds_needed(0.9) == 9, "0.9: %zu", stats_seeds_needed(0.9));
    CHECK(stats_seeds_needed(1.0) == 6 && stats_seeds_needed(0.0) == 6, "1");
    CHECK(stats_seeds_needed(0.6) == 131, "0.6: %zu", stats_seeds_needed(0.6));
    CHECK(stats_seeds_needed(0.5) == 0, "0.5");
    /* 3 vs 3 separated: the sentence gives the floor and the estimate */
    {
        const double a[3] = { 4, 5, 6 }, b[3] = { 1, 2, 3 };
        CHECK(stats_mann_whitney(a, 3, b, 3, &mw, &err) == NV_OK, "mw");
        stats_evidence_mw(&mw, &ev);
        stats_verdict_text(&ev, "rl", "random", 10, text, sizeof text);
        CHECK(strstr(text, "about 6 seeds per strategy would detect A12 = "
                           "1.00 at p < 0.05 with 80% power)") != NULL,
              "text: %s", text);
    }
    /* 10 vs 10: no estimate any more */
    {
        double a[10], b[10];
        for (int i = 0; i < 10; i++) {
            a[i] = i + 0.5;
            b[i] = i;
        }
        CHECK(stats_mann_whitney(a, 10, b, 10, &mw, &err) == NV_OK, "mw10");
        stats_evidence_mw(&mw, &ev);
        stats_verdict_text(&ev, "rl", "random", 10, text, sizeof text);
        CHECK(strstr(text, "seeds per strategy") == NULL, "text: %s", text);
    }
}

static void test_a12(void)
{
    /* A12 known cases: identical samples 0.5, a always above 1, below 0;
     * {1,2,3} vs {2}: (0 + 0.5 + 1)/3 = 0.5; {3,4} vs {1,3}: pairs
     * 3>1 1, 3=3 0.5, 4>1 1, 4>3 1 -> 3.5/4 = 0.875. */
    const double a[3] = { 1, 2, 3 }, b[1] = { 2 }, c[2] = { 3, 4 },
                 d[2] = { 1, 3 };
    CHECK(stats_a12(a, 3, a, 3) == 0.5, "identical");
    CHECK(stats_a12(c, 2, a, 2) == 1.0, "all above");
    CHECK(stats_a12(a, 2, c, 2) == 0.0, "all below");
    CHECK(stats_a12(a, 3, b, 1) == 0.5, "balanced");
    CHECK(stats_a12(c, 2, d, 2) == 0.875, "0.875");
    CHECK(stats_a12(a, 0, b, 1) == 0.5, "empty");
    CHECK(strcmp(stats_a12_magnitude(0.5), "negligible") == 0, "neg");
    CHECK(strcmp(stats_a12_magnitude(0.60), "small") == 0, "small");
    CHECK(strcmp(stats_a12_magnitude(0.30), "medium") == 0, "medium");
    CHECK(strcmp(stats_a12_magnitude(0.875), "large") == 0, "large");
}

int main(void)
{
    test_curves();
    test_dedup();
    test_t_quantile();
    test_summary();
    test_mann_whitney();
    test_wilcoxon();
    test_power();
    test_a12();
    return check_exit("test_stats");
}
