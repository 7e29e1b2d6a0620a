/* test_rankcorr.c - rank correlations, bootstrap intervals and top-k
 * overlap against values worked out by hand (the working is in the
 * comments), ties included. */
#include "config.h"

#include <math.h>

#include "check.h"
#include "compare/rankcorr.h"

#define NEAR(x, want) (fabs((x) - (want)) <= 1e-12)

typedef struct {
    const char *what;
    double x[6], y[6];
    size_t n;
    double rho, tau;
} Case;

static const Case cases[] = {
    /* Two adjacent swaps.  d = -1 1 -1 1 0, sum d^2 = 4:
     * rho = 1 - 6*4/(5*24) = 0.8.  Of 10 pairs, (0,1) and (2,3) are
     * discordant: tau = (8 - 2)/10 = 0.6. */
    { "no ties", { 1, 2, 3, 4, 5 }, { 2, 1, 4, 3, 5 }, 5, 0.8, 0.6 },
    /* Ties in x.  Ranks x 1 2.5 2.5 4, y 1 3 2 4; deviations from 2.5:
     * dx -1.5 0 0 1.5, dy -1.5 .5 -.5 1.5; sum dxdy 4.5, sum dx^2 4.5,
     * sum dy^2 5: rho = 4.5/sqrt(22.5).  Pairs: 5 concordant, (1,2) tied
     * in x: tau_b = 5/sqrt((6-1)(6-0)) = 5/sqrt(30). */
    { "ties in x", { 1, 2, 2, 3 }, { 1, 3, 2, 4 }, 4, 0.94868329805051377,
      0.91287092917527690 },
    /* Ties in both.  Ranks x 1.5 1.5 3.5 3.5 5, y 1 2.5 2.5 4.5 4.5;
     * dx -1.5 -1.5 .5 .5 2, dy -2 -.5 -.5 1.5 1.5; sum dxdy 7.25,
     * sum dx^2 = sum dy^2 = 9: rho = 7.25/9.  Pairs: (0,1) (2,3) tied in
     * x, (1,2) (3,4) tied in y, the other 6 concordant:
     * tau_b = 6/sqrt(8*8) = 0.75. */
    { "ties in both", { 1, 1, 2, 2, 3 }, { 1, 2, 2, 3, 3 }, 5,
      7.25 / 9.0, 0.75 },
    /* Falling with ties in y.  Ranks y 3.5 3.5 1.5 1.5; dx -1.5 -.5 .5
     * 1.5, dy 1 1 -1 -1: rho = -4/sqrt(5*4).  Pairs: (0,1) (2,3) tied in
     * y, 4 discordant: tau_b = -4/sqrt(6*4). */
    { "falling, ties in y", { 1, 2, 3, 4 }, { 2, 2, 1, 1 }, 4,
      -0.89442719099991586, -0.81649658092772603 },
    /* A reversal. */
    { "reversed", { 1, 2, 3 }, { 3, 2, 1 }, 3, -1.0, -1.0 },
    /* Monotone but not linear: ranks agree exactly. */
    { "monotone", { 0.1, 0.2, 0.9, 5 }, { -3, 1, 1.5, 100 }, 4, 1.0, 1.0 },
};

static void test_coefficients(void)
{
    NvError err;
    for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
        const Case *k = &cases[c];
        double rho;
        int def = -1, tdef = -1;
        CHECK(rank_spearman(k->x, k->y, k->n, &rho, &def, &err) == NV_OK,
              "%s", k->what);
        CHECK(def == 1 && NEAR(rho, k->rho), "%s: rho %.17g want %.17g",
              k->what, rho, k->rho);
        double tau = rank_kendall(k->x, k->y, k->n, &tdef);
        CHECK(tdef == 1 && NEAR(tau, k->tau), "%s: tau %.17g want %.17g",
              k->what, tau, k->tau);
        /* symmetric in x and y */
        double tau2 = rank_kendall(k->y, k->x, k->n, NULL);
        CHECK(NEAR(tau, tau2), "%s: tau symmetric", k->what);
    }
}

static void test_mid_ranks(void)
{
    const double x[6] = { 10, 20, 20, 30, 20, -1 };
    const double want[6] = { 2, 4, 4, 6, 4, 1 };
    double r[6];
    NvError err;
    CHECK(rank_mid(x, 6, r, &err) == NV_OK, "rank_mid");
    for (int i = 0; i < 6; i++)
        CHECK(r[i] == want[i], "rank %d: %g want %g", i, r[i], want[i]);
}

static void test_degenerate(void)
{
    const double x[4] = { 1, 2, 3, 4 }, flat[4] = { 5, 5, 5, 5 };
    double rho = 9;
    int def = 9;
    NvError err;
    CHECK(rank_spearman(x, flat, 4, &rho, &def, &err) == NV_OK && def == 0 &&
              rho == 0.0,
          "constant y: rho undefined, 0");
    CHECK(rank_kendall(flat, x, 4, &def) == 0.0 && def == 0,
          "constant x: tau undefined, 0");
    CHECK(rank_spearman(x, x, 1, &rho, &def, &err) == NV_OK && def == 0,
          "one item: undefined");
    CHECK(rank_kendall(x, x, 0, &def) == 0.0 && def == 0, "empty");
    RankInterval ri;
    CHECK(rank_bootstrap(x, flat, 4, RANK_KENDALL, 100, 1, &ri, &err) ==
                  NV_OK &&
              ri.defined == 0 && ri.lo == 0.0 && ri.hi == 0.0 && ri.used == 0,
          "bootstrap of an undefined coefficient");
}

static void test_bootstrap(void)
{
    /* 12 items, y a noisy copy of x */
    const double x[12] = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12 };
    const double y[12] = { 2, 1, 3, 5, 4, 6, 9, 7, 8, 12, 10, 11 };
    RankInterval a, b, c;
    NvError err;
    for (int coef = RANK_SPEARMAN; coef <= RANK_KENDALL; coef++) {
        CHECK(rank_bootstrap(x, y, 12, (RankCoef)coef, 500, 7, &a, &err) ==
                  NV_OK,
              "bootstrap");
        CHECK(rank_bootstrap(x, y, 12, (RankCoef)coef, 500, 7, &b, &err) ==
                  NV_OK,
              "bootstrap again");
        CHECK(a.lo == b.lo && a.hi == b.hi, "same seed, same interval");
        CHECK(rank_bootstrap(x, y, 12, (RankCoef)coef, 500, 8, &c, &err) ==
                  NV_OK,
              "bootstrap, other seed");
        CHECK(a.lo != c.lo || a.hi != c.hi, "another seed, other draws");
        CHECK(a.defined && a.lo <= a.value && a.value <= a.hi && a.hi <= 1.0 &&
                  a.lo > 0.0,
              "coef %d: %g in [%g, %g]", coef, a.value, a.lo, a.hi);
        CHECK(a.used > 450 && a.used <= 500, "used %d", a.used);
    }
    /* Perfect agreement: every defined resample agrees perfectly. */
    CHECK(rank_bootstrap(x, x, 12, RANK_KENDALL, 200, 1, &a, &err) == NV_OK &&
              a.value == 1.0 && a.lo == 1.0 && a.hi == 1.0,
          "perfect: [1, 1]");
}

static void test_topk(void)
{
    /* top-2 of x: items 0, 1; of y: 3, 1 -> overlap 1. */
    const double x[4] = { .9, .8, .7, .1 }, y[4] = { .1, .8, .7, .9 };
    size_t ov, kk;
    NvError err;
    CHECK(rank_topk_overlap(x, y, 4, 2, &ov, &kk, &err) == NV_OK && ov == 1 &&
              kk == 2,
          "top-2 overlap %zu", ov);
    CHECK(rank_topk_overlap(x, y, 4, 9, &ov, &kk, &err) == NV_OK && ov == 4 &&
              kk == 4,
          "k clipped to n");
    /* Ties at the cut: x's top-2 are 0 and 1 (the three tied at .5 are
     * taken by lower index); y's are 2 and 3: overlap 0.  With k = 3, x
     * takes 0 1 2 and y 2 3 and 0: overlap 2. */
    const double tx[4] = { .5, .5, .5, .1 }, ty[4] = { .2, .1, .9, .8 };
    CHECK(rank_topk_overlap(tx, ty, 4, 2, &ov, NULL, &err) == NV_OK && ov == 0,
          "ties at the cut, k=2: %zu", ov);
    CHECK(rank_topk_overlap(tx, ty, 4, 3, &ov, NULL, &err) == NV_OK && ov == 2,
          "ties at the cut, k=3: %zu", ov);
    CHECK(rank_topk_overlap(tx, ty, 0, 3, &ov, &kk, &err) == NV_OK && ov == 0 &&
              kk == 0,
          "empty");
}

int main(void)
{
    test_mid_ranks();
    test_coefficients();
    test_degenerate();
    test_bootstrap();
    test_topk();
    return check_exit("test_rankcorr");
}
