/* bench_strategies.c - learning curves of every strategy on the synthetic
 * objective (tests/synthetic.h): for each strategy and seed, the best and
 * the mean (over the last 50 samples) reward at every 50 samples, and how
 * many samples each needed to reach a best of 0.5 / 0.6 / 0.8.  Not part of
 * `make check`; build with `make tests/bench_strategies`.
 *
 *   bench_strategies [-b BUDGET] [-n SEEDS] [-s LIST] [NAME=VALUE ...]
 *
 * LIST is a comma-separated subset of ppo,reinforce,random,evolution;
 * NAME=VALUE pairs go to strategy_config_set (for tuning). */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "synthetic.h"

static int first_at(const double *r, int n, double level)
{
    double best = 0;
    for (int i = 0; i < n; i++) {
        if (r[i] > best)
            best = r[i];
        if (best >= level - 1e-9)
            return i + 1;
    }
    return -1;
}

int main(int argc, char **argv)
{
    int budget = 500, seeds = 5, window = 50;
    const char *list = "ppo,reinforce,random,evolution";
    int first = 1;
    for (; first < argc; first++) {
        if (strcmp(argv[first], "-b") == 0 && first + 1 < argc)
            budget = atoi(argv[++first]);
        else if (strcmp(argv[first], "-n") == 0 && first + 1 < argc)
            seeds = atoi(argv[++first]);
        else if (strcmp(argv[first], "-s") == 0 && first + 1 < argc)
            list = argv[++first];
        else
            break;
    }
    if (budget < window || seeds < 1) {
        fprintf(stderr, "bench_strategies: budget >= %d, seeds >= 1\n", window);
        return 2;
    }
    double *r = malloc((size_t)budget * sizeof *r);
    char names[256];
    snprintf(names, sizeof names, "%s", list);
    printf("# synthetic objective: fraction of 50 decisions equal to a hidden "
           "target; budget %d, %d seeds\n", budget, seeds);
    printf("# per row: best / mean of the last %d rewards at each %d samples\n",
           window, window);
    for (char *tok = strtok(names, ","); tok; tok = strtok(NULL, ",")) {
        StrategyKind kind = STRATEGY_RL;
        int reinforce = strcmp(tok, "reinforce") == 0;
        if (strcmp(tok, "random") == 0)
            kind = STRATEGY_RANDOM;
        else if (strcmp(tok, "evolution") == 0)
            kind = STRATEGY_EVOLUTION;
        else if (strcmp(tok, "ppo") != 0 && !reinforce) {
            fprintf(stderr, "bench_strategies: unknown strategy %s\n", tok);
            return 2;
        }
        double sum_best = 0, sum_mean = 0, sum_last = 0, secs = 0;
        int need[3] = { 0, 0, 0 }, reached[3] = { 0, 0, 0 };
        const double levels[3] = { 0.5, 0.6, 0.8 };
        printf("\n== %s\n", tok);
        for (int sd = 1; sd <= seeds; sd++) {
            StrategyConfig cfg = strategy_config_default(kind, (uint64_t)sd);
            NvError err;
            if (reinforce)
                cfg.update = RL_REINFORCE;
            for (int a = first; a < argc; a++) {
                char kv[128], *eq;
                snprintf(kv, sizeof kv, "%s", argv[a]);
                eq = strchr(kv, '=');
                if (!eq) {
                    fprintf(stderr, "bench_strategies: NAME=VALUE: %s\n", kv);
                    return 2;
                }
                *eq = '\0';
                if (strategy_config_set(&cfg, kv, eq + 1, &err) != NV_OK) {
                    fprintf(stderr, "bench_strategies: %s\n", err.msg);
                    return 2;
                }
            }
            Synthetic o;
            synthetic_init(&o, 1000 + (uint64_t)sd);
            double best, mean;
            clock_t t0 = clock();
            if (synthetic_run(&cfg, &o, budget, &best, &mean, r) != 0) {
                fprintf(stderr, "bench_strategies: %s seed %d failed\n", tok,
                        sd);
                return 1;
            }
            secs += (double)(clock() - t0) / CLOCKS_PER_SEC;
            printf("seed %d:", sd);
            double bs = 0, last = 0;
            for (int i = 0; i < budget; i++) {
                if (r[i] > bs)
                    bs = r[i];
                if ((i + 1) % window == 0) {
                    double m = 0;
                    for (int k = i + 1 - window; k <= i; k++)
                        m += r[k];
                    last = m / window;
                    printf(" %d:%.2f/%.2f", i + 1, bs, last);
                }
            }
            printf("\n");
            for (int l = 0; l < 3; l++) {
                int at = first_at(r, budget, levels[l]);
                if (at > 0)
                    need[l] += at, reached[l]++;
            }
            sum_best += best, sum_mean += mean, sum_last += last;
        }
        printf("%s: mean over seeds: best %.3f, mean reward %.3f, mean of "
               "last %d %.3f; %.2f s/run\n",
               tok, sum_best / seeds, sum_mean / seeds, window,
               sum_last / seeds, secs / seeds);
        for (int l = 0; l < 3; l++)
            printf("  best >= %.1f reached by %d/%d seeds, after %.0f samples "
                   "on average\n",
                   levels[l], reached[l], seeds,
                   reached[l] ? (double)need[l] / reached[l] : 0.0);
    }
    free(r);
    return 0;
}
