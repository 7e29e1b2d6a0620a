/* compare_report.c - a Comparison as a table, JSON or CSV (see
 * compare_report.h). */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "compare/compare_report.h"
#include "base/jsonw.h"

static const char dup_rule[] =
    "every sampled architecture counts toward the budget; a duplicate "
    "carries the reward of its first training and is not entered twice in "
    "a top-k mean";

void compare_report_summary(char *buf, size_t size, const StatsSummary *s)
{
    CompareBand b = compare_band(s);
    if (b.has_interval)
        snprintf(buf, size, "%.4f [%.4f, %.4f]%s", s->mean, b.lo, b.hi,
                 b.clipped ? "*" : "");
    else if (s->n == 1)
        snprintf(buf, size, "%.4f (n=1)", s->mean);
    else
        snprintf(buf, size, "-");
}

void compare_report_caveats(FILE *f, const Comparison *c)
{
    char line[300];
    for (size_t i = 0; i < c->npair; i++)
        if (compare_pair_caveat(&c->pair[i], line, sizeof line))
            fprintf(f, "  %s vs %s: %s\n", c->group[c->pair[i].a].strategy,
                    c->group[c->pair[i].b].strategy, line);
}

void compare_report_table(FILE *f, const Comparison *c)
{
    size_t nsearch = 0;
    char cell[4][64];
    for (size_t g = 0; g < c->ngroup; g++)
        nsearch += c->group[g].nsearch;

    fprintf(f, "Comparing %zu search%s at a budget of %zu samples each%s.\n",
            nsearch, nsearch == 1 ? "" : "es", c->budget,
            c->budget_is_default
                ? " (the smallest number of finished samples among them; "
                  "--budget K to choose)"
                : "");
    fprintf(f, "Reward = validation accuracy (0-1). Mean across seeds with a "
               "95%% Student t interval cut to [0,1] (* where it was cut); "
               "n = seeds.\n");
    fprintf(f, "AUC = mean of the best-so-far reward over samples 1..%zu.\n",
            c->budget);
    fprintf(f, "Duplicates: %s.\n\n", dup_rule);

    fprintf(f, "%-12s %3s  %-25s %-25s %-25s %-25s %s\n", "strategy", "n",
            "best", "top-5 mean", "top-25 mean", "AUC", "dups");
    for (size_t g = 0; g < c->ngroup; g++) {
        const CompareGroup *gr = &c->group[g];
        for (int m = 0; m < COMPARE_NMETRICS; m++)
            compare_report_summary(cell[m], sizeof cell[m], &gr->final[m]);
        compare_report_summary(cell[3], sizeof cell[3], &gr->auc);
        fprintf(f, "%-12s %3zu  %-25s %-25s %-25s %-25s %zu\n", gr->strategy,
                gr->nsearch, cell[0], cell[1], cell[2], cell[3],
                gr->duplicates);
    }

    fprintf(f, "\n%-24s %-12s %8s %5s %7s %7s %7s %7s\n", "search", "strategy",
            "samples", "dups", "best", "top-5", "top-25", "AUC");
    for (size_t g = 0; g < c->ngroup; g++)
        for (size_t s = 0; s < c->group[g].nsearch; s++) {
            const CompareSearch *se = &c->group[g].search[s];
            fprintf(f, "%-24s %-12s %8zu %5zu %7.4f %7.4f %7.4f %7.4f\n",
                    se->name, c->group[g].strategy, se->samples,
                    se->duplicates, se->final[COMPARE_BEST],
                    se->final[COMPARE_TOP5], se->final[COMPARE_TOP25],
                    se->auc);
        }

    if (c->npair == 0) {
        fprintf(f, "\nOnly one strategy (%s): nothing to test against.\n",
                c->ngroup ? c->group[0].strategy : "none");
        return;
    }
    fprintf(f,
            "\nTests on the %s at %zu samples, two-sided: Mann-Whitney U "
            "for independent runs, Wilcoxon signed-rank over seeds for runs "
            "drawn with common random numbers (statistic U of the first, or "
            "W+ = rank sum of its wins); A12 = probability that a run of "
            "the first beats a run of the second.\n",
            compare_metric_label(c->metric), c->budget);
    fprintf(f, "%-28s %-10s %-20s %8s %9s %-7s %5s  %s\n", "pair", "n",
            "test", "stat", "p", "p from", "A12", "effect");
    for (size_t i = 0; i < c->npair; i++) {
        const ComparePair *p = &c->pair[i];
        int wx = p->test == STATS_TEST_WILCOXON;
        char pair[64], n[32];
        snprintf(pair, sizeof pair, "%s vs %s", c->group[p->a].strategy,
                 c->group[p->b].strategy);
        if (wx)
            snprintf(n, sizeof n, "%zu pairs", p->wx.n);
        else
            snprintf(n, sizeof n, "%zu vs %zu", p->mw.n1, p->mw.n2);
        fprintf(f, "%-28s %-10s %-20s %8.1f %9.4g %-7s %5.2f  %s\n", pair, n,
                stats_test_name(p->test), wx ? p->wx.w_plus : p->mw.u1,
                p->ev.p, (wx ? p->wx.exact : p->mw.exact) ? "exact" : "normal",
                p->mw.a12, stats_a12_magnitude(p->mw.a12));
    }
    fprintf(f, "\nVerdict (p < %.2f):\n", STATS_ALPHA);
    for (size_t i = 0; i < c->npair; i++)
        fprintf(f, "  %s\n", c->pair[i].text);
    compare_report_caveats(f, c);
}

static void json_summary(FILE *f, const StatsSummary *s)
{
    CompareBand b = compare_band(s);
    fprintf(f, "{\"n\":%zu,\"mean\":", s->n);
    json_number(f, s->mean);
    fputs(",\"sd\":", f);
    json_number(f, s->sd);
    fputs(",\"ci_low\":", f);
    json_number(f, b.lo);
    fputs(",\"ci_high\":", f);
    json_number(f, b.hi);
    fprintf(f, ",\"ci_clipped\":%s}", b.clipped ? "true" : "false");
}

static void json_curve(FILE *f, const StatsSummary *s, size_t n)
{
    static const char *const keys[3] = { "mean", "ci_low", "ci_high" };
    fputc('{', f);
    for (int k = 0; k < 3; k++) {
        fprintf(f, "%s\"%s\":[", k ? "," : "", keys[k]);
        for (size_t i = 0; i < n; i++) {
            if (i)
                fputc(',', f);
            CompareBand b = compare_band(&s[i]);
            json_number(f, k == 0 ? s[i].mean : k == 1 ? b.lo : b.hi);
        }
        fputc(']', f);
    }
    fputc('}', f);
}

void compare_report_json(FILE *f, const Comparison *c)
{
    fprintf(f, "{\"budget\":%zu,\"budget_is_default\":%s,\"metric\":",
            c->budget, c->budget_is_default ? "true" : "false");
    json_string(f, compare_metric_name(c->metric));
    fputs(",\"alpha\":", f);
    json_number(f, STATS_ALPHA);
    fputs(",\"interval\":\"95% Student t across seeds, cut to [0,1]\","
          "\"duplicates_rule\":",
          f);
    json_string(f, dup_rule);
    fputs(",\"strategies\":[", f);
    for (size_t g = 0; g < c->ngroup; g++) {
        const CompareGroup *gr = &c->group[g];
        fputs(g ? ",{\"strategy\":" : "{\"strategy\":", f);
        json_string(f, gr->strategy);
        fprintf(f, ",\"n\":%zu,\"duplicates\":%zu", gr->nsearch,
                gr->duplicates);
        for (int m = 0; m < COMPARE_NMETRICS; m++) {
            fprintf(f, ",\"%s\":", compare_metric_name((CompareMetric)m));
            json_summary(f, &gr->final[m]);
        }
        fputs(",\"auc\":", f);
        json_summary(f, &gr->auc);
        fputs(",\"searches\":[", f);
        for (size_t s = 0; s < gr->nsearch; s++) {
            const CompareSearch *se = &gr->search[s];
            fputs(s ? ",{\"name\":" : "{\"name\":", f);
            json_string(f, se->name);
            fprintf(f, ",\"samples\":%zu,\"duplicates\":%zu", se->samples,
                    se->duplicates);
            for (int m = 0; m < COMPARE_NMETRICS; m++) {
                fprintf(f, ",\"%s\":", compare_metric_name((CompareMetric)m));
                json_number(f, se->final[m]);
            }
            fputs(",\"auc\":", f);
            json_number(f, se->auc);
            fputc('}', f);
        }
        fputs("],\"curves\":{", f);
        for (int m = 0; m < COMPARE_NMETRICS; m++) {
            fprintf(f, "%s\"%s\":", m ? "," : "",
                    compare_metric_name((CompareMetric)m));
            json_curve(f, gr->curve[m], c->budget);
        }
        fputs("},\"cpu_seconds\":", f);
        if (gr->cpu)
            json_curve(f, gr->cpu, c->budget);
        else
            fputs("null", f);
        fputc('}', f);
    }
    fputs("],\"pairs\":[", f);
    for (size_t i = 0; i < c->npair; i++) {
        const ComparePair *p = &c->pair[i];
        char word[96];
        compare_verdict_word(c, p, word, sizeof word);
        fputs(i ? ",{\"a\":" : "{\"a\":", f);
        json_string(f, c->group[p->a].strategy);
        fputs(",\"b\":", f);
        json_string(f, c->group[p->b].strategy);
        fputs(",\"metric\":", f);
        json_string(f, compare_metric_name(c->metric));
        fprintf(f, ",\"n_a\":%zu,\"n_b\":%zu,\"u_a\":", p->mw.n1, p->mw.n2);
        json_number(f, p->mw.u1);
        fputs(",\"u_b\":", f);
        json_number(f, p->mw.u2);
        fputs(",\"test\":", f);
        json_string(f, stats_test_key(p->test));
        fprintf(f, ",\"paired\":%s",
                p->test == STATS_TEST_WILCOXON ? "true" : "false");
        if (p->test == STATS_TEST_WILCOXON) {
            fprintf(f, ",\"pairs\":%zu,\"zero_pairs\":%zu,\"w_plus\":",
                    p->wx.n, p->wx.nzero);
            json_number(f, p->wx.w_plus);
            fputs(",\"w_minus\":", f);
            json_number(f, p->wx.w_minus);
        }
        fputs(",\"z\":", f);
        json_number(f, p->test == STATS_TEST_WILCOXON ? p->wx.z : p->mw.z);
        fputs(",\"p\":", f);
        json_number(f, p->ev.p);
        fputs(",\"min_p\":", f);
        json_number(f, p->ev.min_p);
        fprintf(f, ",\"exact\":%s,\"ties\":%s,\"a12\":",
                (p->test == STATS_TEST_WILCOXON ? p->wx.exact : p->mw.exact)
                    ? "true" : "false",
                (p->test == STATS_TEST_WILCOXON ? p->wx.ties : p->mw.ties)
                    ? "true" : "false");
        json_number(f, p->mw.a12);
        fputs(",\"magnitude\":", f);
        json_string(f, stats_a12_magnitude(p->mw.a12));
        fputs(",\"seeds_needed\":", f);
        {
            size_t need = stats_seeds_needed(p->mw.a12);
            if (need == 0 || need == SIZE_MAX)
                fputs("null", f);
            else
                fprintf(f, "%zu", need);
        }
        fputs(",\"verdict\":", f);
        json_string(f, word);
        fputs(",\"text\":", f);
        json_string(f, p->text);
        fputc('}', f);
    }
    fputs("]}\n", f);
}

void compare_report_csv(FILE *f, const Comparison *c)
{
    fputs("strategy,samples,n", f);
    for (int m = 0; m < COMPARE_NMETRICS; m++) {
        const char *name = compare_metric_name((CompareMetric)m);
        fprintf(f, ",%s_mean,%s_ci_low,%s_ci_high", name, name, name);
    }
    fputs(",cpu_seconds_mean,cpu_seconds_ci_low,cpu_seconds_ci_high,test\n",
          f);
    for (size_t g = 0; g < c->ngroup; g++) {
        const CompareGroup *gr = &c->group[g];
        for (size_t i = 0; i < c->budget; i++) {
            csv_field(f, gr->strategy);
            fprintf(f, ",%zu,%zu", i + 1, gr->curve[COMPARE_BEST][i].n);
            for (int m = 0; m < COMPARE_NMETRICS; m++) {
                const StatsSummary *s = &gr->curve[m][i];
                CompareBand b = compare_band(s);
                fprintf(f, ",%.6f,%.6f,%.6f", s->mean, b.lo, b.hi);
            }
            if (gr->cpu)
                fprintf(f, ",%.3f,%.3f,%.3f", gr->cpu[i].mean, gr->cpu[i].lo,
                        gr->cpu[i].hi);
            else
                fputs(",,,", f);
            fprintf(f, ",%s\n", compare_test_summary(c));
        }
    }
}
