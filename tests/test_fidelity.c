/* test_fidelity.c - the fidelity report (compare/fidelity.h) on a small
 * hand-made panel: members without a score at one level are left out of
 * that level's correlation, the reference row, costs and their ratio, and
 * the JSON and CSV it writes. */
#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "compare/fidelity.h"

int main(void)
{
    /* 5 members x 3 levels: ref, cheap (member 4 not scored yet), zc.
     * cheap against ref over members 0-3: ref 0.5 0.6 0.7 0.8, cheap
     * 0.2 0.1 0.3 0.4 -> one discordant pair of 6: tau = 4/6, rho = 0.8
     * (d = 1 -1 0 0). zc ranks exactly as ref: rho = tau = 1. */
    const double N = NAN;
    const double score[15] = { 0.5, 0.2, 10, 0.6, 0.1, 20, 0.7, 0.3, 30,
                               0.8, 0.4, 40, 0.9, N,   50 };
    const double secs[15] = { 10, 1, 0.1, 10, 1, 0.1, 10, 1, 0.1,
                              10, 1, 0.1, 10, N, 0.1 };
    const FidelityMember mem[5] = { { "random:0", "g0" }, { "random:1", "g1" },
                                    { "random:2", "g2" }, { "random:3", "g3" },
                                    { "nasnet-a", "g4" } };
    const FidelityLevel lev[3] = { { "ref", "val_acc", "train=10" },
                                   { "cheap", "val_acc", "train=1" },
                                   { "zc", "params", "F=8" } };
    FidelityInput in = { "p", 3, 5, 3, mem, lev, score, secs, 0, 2, 200 };
    FidelityRow rows[3];
    NvError err;
    CHECK(fidelity_analyse(&in, rows, &err) == NV_OK, "analyse");
    CHECK(rows[0].results == 5 && rows[0].n == 5 &&
              rows[0].cost_ratio == 1.0 && fabs(rows[0].seconds - 10) < 1e-12,
          "reference row");
    CHECK(rows[1].results == 4 && rows[1].n == 4, "cheap: n %zu", rows[1].n);
    CHECK(fabs(rows[1].rho.value - 0.8) < 1e-12 &&
              fabs(rows[1].tau.value - 4.0 / 6.0) < 1e-12,
          "cheap: rho %g tau %g", rows[1].rho.value, rows[1].tau.value);
    CHECK(fabs(rows[1].cost_ratio - 0.1) < 1e-12, "cheap: cost %g",
          rows[1].cost_ratio);
    /* top-2 of ref among 0-3: members 3, 2; of cheap: 3, 2 -> 2 */
    CHECK(rows[1].k == 2 && rows[1].overlap == 2, "cheap: top-2 %zu/%zu",
          rows[1].overlap, rows[1].k);
    CHECK(rows[2].n == 5 && rows[2].rho.value == 1.0 &&
              rows[2].tau.value == 1.0 && rows[2].tau.lo == 1.0,
          "zc: perfect");
    /* against another reference */
    in.ref = 1;
    CHECK(fidelity_analyse(&in, rows, &err) == NV_OK && rows[0].n == 4 &&
              fabs(rows[0].cost_ratio - 10) < 1e-12,
          "cheap as the reference");
    in.ref = 0;
    fidelity_analyse(&in, rows, &err);

    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    fidelity_print_csv(f, &in, rows);
    fclose(f);
    CHECK(strstr(buf, "panel,fidelity,score,reference,results,n,") == buf,
          "csv header: %s", buf);
    CHECK(strstr(buf, "\np,cheap,val_acc,0,4,4,0.8,") != NULL, "csv row: %s",
          buf);
    free(buf);
    f = open_memstream(&buf, &len);
    fidelity_print_json(f, &in, rows);
    fclose(f);
    CHECK(strstr(buf, "\"scores\":{\"ref\":0.9,\"cheap\":null,\"zc\":50}") !=
              NULL,
          "json: a missing score is null: %s", buf);
    free(buf);
    f = open_memstream(&buf, &len);
    fidelity_print_table(f, &in, rows, 1);
    fclose(f);
    CHECK(strstr(buf, "missing      1 of 15 scores") != NULL, "table: %s",
          buf);
    free(buf);
    return check_exit("test_fidelity");
}
