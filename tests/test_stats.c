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
    NvError err;
    char text[400];

    /* {1,2,3} vs {4,5,6}: U1 = 0.  Exact: of the C(6,3) = 20 orderings
     * one has U = 0, so P(U <= 0) = 1/20 and p = 2/20 = 0.1.  A12 = 0. */
    {
        const double a[3] = { 1, 2, 3 }, b[3] = { 4, 5, 6 };
        CHECK(stats_mann_whitney(a, 3, b, 3, &mw, &err) == NV_OK, "mw");
        CHECK(mw.exact && !mw.ties && mw.u1 == 0 && mw.u2 == 9, "U %g", mw.u1);
        CHECK(NEAR(mw.p, 0.1, 1e-12), "p %g", mw.p);
        CHECK(mw.a12 == 0.0, "a12 %g", mw.a12);
        CHECK(stats_verdict(&mw) == STATS_VERDICT_NONE, "3 vs 3 not enough");
        stats_verdict_text(&mw, "rl", "random", 20, text, sizeof text);
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
    /* With ties, normal approximation.  a = {1,2,2,3}, b = {2,3,4,5}.
     * Pooled, sorted: 1a 2a 2a 2b 3a 3b 4b 5b; mid-ranks 1, 3,3,3, 5.5,5.5,
     * 7, 8.  R1 = 1+3+3+5.5 = 12.5, U1 = 12.5 - 4*5/2 = 2.5 (pairs: 0 +
     * 0.5 + 0.5 + 1.5).  E[U] = 8.  Tie groups of 3 and 2:
     * sum(t^3 - t) = 24 + 6 = 30.  sigma^2 = 16/12 (9 - 30/56) = 11.2857143,
     * sigma = 3.35942172.  z = (2.5 - 8 + 0.5)/sigma = -1.48835139,
     * p = 2 Phi(-1.48835139) = 0.13665825.  A12 = 2.5/16 = 0.15625. */
    {
        const double a[4] = { 1, 2, 2, 3 }, b[4] = { 2, 3, 4, 5 };
        CHECK(stats_mann_whitney(a, 4, b, 4, &mw, &err) == NV_OK, "mw ties");
        CHECK(!mw.exact && mw.ties && mw.u1 == 2.5, "U %g", mw.u1);
        CHECK(NEAR(mw.z, -1.48835139, 1e-7), "z %.8f", mw.z);
        CHECK(NEAR(mw.p, 0.13665825, 1e-7), "p %.8f", mw.p);
        CHECK(NEAR(mw.a12, 0.15625, 1e-15), "a12 %g", mw.a12);
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
        CHECK(stats_verdict(&mw) == STATS_VERDICT_A_BETTER, "a better");
    }
    /* 5 vs 5 fully separated: exact p = 2/C(10,5) = 2/252 = 0.00793651 */
    {
        const double a[5] = { .91, .92, .93, .94, .95 };
        const double b[5] = { .81, .82, .83, .84, .85 };
        CHECK(stats_mann_whitney(a, 5, b, 5, &mw, &err) == NV_OK, "mw 5");
        CHECK(NEAR(mw.p, 2.0 / 252.0, 1e-12), "p %g", mw.p);
        CHECK(stats_verdict(&mw) == STATS_VERDICT_A_BETTER, "verdict");
        stats_verdict_text(&mw, "rl", "random", 100, text, sizeof text);
        CHECK(strncmp(text, "rl better than random at 100 samples (p = 0.00794, "
                            "A12 = 1.00 large; n = 5 vs 5)", 200) == 0,
              "text: %s", text);
        /* the same data the other way round: B better */
        CHECK(stats_mann_whitney(b, 5, a, 5, &mw, &err) == NV_OK, "mw 5'");
        CHECK(stats_verdict(&mw) == STATS_VERDICT_B_BETTER, "verdict b");
        stats_verdict_text(&mw, "random", "rl", 100, text, sizeof text);
        CHECK(strncmp(text, "rl better than random", 21) == 0, "text: %s",
              text);
    }
    /* n = 1 each: exact, U1 = 1 > E = 0.5, P(U >= 1) = 1/2, p = 1 */
    {
        const double a[1] = { 0.9 }, b[1] = { 0.8 };
        CHECK(stats_mann_whitney(a, 1, b, 1, &mw, &err) == NV_OK, "mw 1");
        CHECK(mw.exact && mw.p == 1.0 && mw.a12 == 1.0, "p %g", mw.p);
        CHECK(stats_verdict(&mw) == STATS_VERDICT_NONE, "n=1 no verdict");
    }
    /* all values equal: U at its mean, z 0, p 1, A12 0.5, no NaN */
    {
        const double a[2] = { 0.5, 0.5 }, b[3] = { 0.5, 0.5, 0.5 };
        CHECK(stats_mann_whitney(a, 2, b, 3, &mw, &err) == NV_OK, "mw eq");
        CHECK(mw.ties && mw.u1 == 3 && mw.z == 0 && mw.p == 1.0 &&
                  mw.a12 == 0.5,
              "all equal: U %g z %g p %g", mw.u1, mw.z, mw.p);
    }
    /* an empty side */
    {
        const double a[2] = { 0.5, 0.6 };
        CHECK(stats_mann_whitney(a, 2, NULL, 0, &mw, &err) == NV_OK, "mw 0");
        CHECK(mw.n1 == 2 && mw.n2 == 0 && mw.p == 1.0 && mw.a12 == 0.5,
              "empty side");
        stats_verdict_text(&mw, "rl", "random", 10, text, sizeof text);
        CHECK(strstr(text, "nothing to compare") != NULL, "text: %s", text);
    }
    /* smallest attainable p: 2/C(6,3) = 0.1, 2/C(8,4) = 0.0285714 */
    CHECK(NEAR(stats_mw_min_p(3, 3), 0.1, 1e-15), "minp 3 3");
    CHECK(NEAR(stats_mw_min_p(4, 4), 2.0 / 70.0, 1e-15), "minp 4 4");
    CHECK(stats_mw_min_p(1, 1) == 1.0 && stats_mw_min_p(0, 5) == 1.0, "minp");
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
    test_a12();
    return check_exit("test_stats");
}
