/* reward_metric.c - names, labels and zero-cost scores of search rewards
 * (see reward_metric.h). */
#include "config.h"

#include <math.h>
#include <string.h>

#include "train/reward_metric.h"
#include "train/zerocost.h"

static const char *const metrics[] = { "accuracy", "naswot", "synflow",
                                       "params", "mult_adds" };
static const char *const labels[] = {
    "", "reward naswot (not an accuracy)",
    "reward synflow, natural log (not an accuracy)",
    "reward params (not an accuracy)", "reward mult_adds (not an accuracy)"
};

static int metric_index(const char *m)
{
    if (!m || !*m)
        return 0;
    for (int i = 0; i < (int)(sizeof metrics / sizeof *metrics); i++)
        if (strcmp(m, metrics[i]) == 0)
            return i;
    return -1;
}

int reward_metric_valid(const char *m)
{
    return m && *m && metric_index(m) >= 0;
}

int reward_metric_is_accuracy(const char *m)
{
    return metric_index(m) == 0;
}

const char *reward_metric_label(const char *m)
{
    int i = metric_index(m);
    return i < 0 ? "reward of an unknown kind (not an accuracy)" : labels[i];
}

double reward_metric_rank(const double *h, size_t n, double x)
{
    if (isnan(x))
        return 0.0;
    if (n == 0)
        return 0.5;
    double below = 0.0;
    for (size_t i = 0; i < n; i++)
        below += h[i] < x ? 1.0 : h[i] == x ? 0.5 : 0.0;
    return below / (double)n;
}

NvStatus reward_metric_score(const char *m, const Genotype *g,
                             const TrainConfig *cfg, const Dataset *train,
                             uint64_t seed, double *score, int64_t *params,
                             int64_t *mult_adds, NvError *err)
{
    NvStatus st;
    if (metric_index(m) <= 0)
        return nv_error_set(err, NV_ERR_USAGE,
                            "'%s' is not a zero-cost reward", m ? m : "");
    if ((st = train_measure(g, cfg->F, cfg->N, train->c, train->h, train->w,
                            train->classes, params, mult_adds, err)))
        return st;
    if (strcmp(m, "params") == 0)
        *score = (double)*params;
    else if (strcmp(m, "mult_adds") == 0)
        *score = (double)*mult_adds;
    else if (strcmp(m, "synflow") == 0)
        st = zc_synflow(g, cfg->F, cfg->N, train->c, train->h, train->w,
                        train->classes, seed, score, err);
    else
        st = zc_naswot(g, cfg->F, cfg->N, train, cfg->batch, seed, score,
                       err);
    return st;
}
