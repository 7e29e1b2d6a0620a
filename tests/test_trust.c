/* test_trust.c - the warnings of trust.h: chance level of the first
 * rewards, the Kendall tau of a panel's levels (only members done at
 * both), and the line they make. */
#include "config.h"

#include <math.h>
#include <string.h>

#include "check.h"
#include "compare/trust.h"

static void test_chance(void)
{
    const double at[6] = { 0.10, 0.088, 0.122, 0.11, 0.095, 0.6 };
    const double one_off[5] = { 0.10, 0.088, 0.20, 0.11, 0.095 };
    const double failed[5] = { 0.10, NAN, 0.10, 0.10, 0.10 };
    CHECK(trust_chance(at, 6, 10) == 1, "the first five at chance");
    CHECK(trust_chance(at, 4, 10) == 0, "four samples are too few");
    CHECK(trust_chance(one_off, 5, 10) == 0, "one learned something");
    CHECK(trust_chance(failed, 5, 10) == 0, "a failed one is not chance");
    CHECK(trust_chance(at, 6, 2) == 0, "0.1 is far from 1/2");
}

static StorePanelResult res(int m, int l, const char *status, double score)
{
    StorePanelResult r;
    memset(&r, 0, sizeof r);
    r.member_idx = m;
    r.level_idx = l;
    snprintf(r.status, sizeof r.status, "%s", status);
    r.score = score;
    return r;
}

static void test_tau(void)
{
    /* level 0 ranks members 0..5 as 1 2 3 4 5 6; level 1 as 2 1 3 4 6 5
     * (two swapped pairs: C = 13, D = 2 of 15, tau = 11/15); member 6 is
     * failed at level 1 and left out. */
    StorePanelResult r[14];
    const double b[6] = { 2, 1, 3, 4, 6, 5 };
    size_t n = 0;
    for (int m = 0; m < 6; m++) {
        r[n++] = res(m, 0, "done", m + 1);
        r[n++] = res(m, 1, "done", b[m]);
    }
    r[n++] = res(6, 0, "done", 100);
    r[n++] = res(6, 1, "failed", NAN);
    double tau = trust_tau(r, n, 1, 0);
    CHECK(fabs(tau - 11.0 / 15.0) < 1e-12, "tau %.6f, want 11/15", tau);
    CHECK(isnan(trust_tau(r, 4, 1, 0)), "two pairs: too few");
    CHECK(isnan(trust_tau(r, n, 1, 2)), "no such level");
}

static void test_line(void)
{
    const double at[5] = { 0.1, 0.1, 0.1, 0.1, 0.1 };
    const double good[5] = { 0.8, 0.8, 0.8, 0.8, 0.8 };
    char buf[256];
    CHECK(trust_line(1, good, 5, 10, 0.7, "p", buf, sizeof buf) == 0 &&
              buf[0] == '\0',
          "nothing to say: '%s'", buf);
    CHECK(trust_line(1, at, 5, 10, NAN, "", buf, sizeof buf) == 1 &&
              strstr(buf, "at chance (1/10)"),
          "chance: '%s'", buf);
    CHECK(trust_line(0, at, 5, 10, NAN, "", buf, sizeof buf) == 0,
          "a zero-cost search is not checked for chance");
    CHECK(trust_line(1, good, 5, 10, 0.12, "p1", buf, sizeof buf) == 1 &&
              strstr(buf, "proxy tau 0.12 < 0.3 vs the default (panel p1)"),
          "weak proxy: '%s'", buf);
    CHECK(trust_line(1, at, 5, 10, 0.12, "p1", buf, sizeof buf) == 1 &&
              strstr(buf, "chance") && strstr(buf, "; proxy tau"),
          "both: '%s'", buf);
}

int main(void)
{
    test_chance();
    test_tau();
    test_line();
    return check_exit("test_trust");
}
