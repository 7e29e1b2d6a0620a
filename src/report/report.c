/* report.c - tables, JSON and CSV of stored rows (see report.h). */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "space/genotype.h"
#include "base/jsonw.h"
#include "base/text.h"
#include "train/reward_metric.h"
#include "report/report.h"
#include "compare/rankcorr.h"

void report_time(long long t, char *buf, size_t n)
{
    time_t tt = (time_t)t;
    struct tm tm;
    if (t <= 0 || !gmtime_r(&tt, &tm)) {
        snprintf(buf, n, "-");
        return;
    }
    strftime(buf, n, "%Y-%m-%d %H:%M:%S", &tm);
}

static void iso_time(FILE *f, long long t)
{
    char buf[40];
    time_t tt = (time_t)t;
    struct tm tm;
    if (t <= 0 || !gmtime_r(&tt, &tm)) {
        fputs("null", f);
        return;
    }
    strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
    json_string(f, buf);
}

static void csv_number(FILE *f, double x)
{
    char buf[40];
    if (!isnan(x)) {
        num_text(buf, sizeof buf, x);
        fputs(buf, f);
    }
}

static void csv_int(FILE *f, long long x)
{
    if (x >= 0)
        fprintf(f, "%lld", x);
}

static void json_int_or_null(FILE *f, long long x)
{
    if (x >= 0)
        fprintf(f, "%lld", x);
    else
        fputs("null", f);
}

void report_search_json(FILE *f, const StoreSearch *s)
{
    fprintf(f, "{\"id\":%lld,\"name\":", (long long)s->id);
    json_string(f, s->name);
    fputs(",\"strategy\":", f);
    json_string(f, s->strategy);
    fprintf(f, ",\"seed\":%llu,\"budget\":%d,\"samples_done\":%d,"
               "\"best_reward\":",
            (unsigned long long)s->seed, s->budget, s->samples_done);
    json_number(f, s->best_reward);
    fputs(",\"best_idx\":", f);
    json_int_or_null(f, s->best_idx);
    fputs(",\"status\":", f);
    json_string(f, store_search_status_name(s->status));
    fputs(",\"message\":", f);
    json_string(f, s->message[0] ? s->message : NULL);
    fputs(",\"dataset\":", f);
    json_string(f, s->dataset);
    fprintf(f, ",\"F\":%d,\"N\":%d,\"epochs\":%d,\"train_size\":%lld,"
               "\"val_size\":%lld,\"batch\":%d,\"lr\":",
            s->F, s->N, s->epochs, (long long)s->train_size,
            (long long)s->val_size, s->batch);
    json_number(f, s->lr);
    fprintf(f, ",\"threads\":%d,\"retrain_duplicates\":%s,"
               "\"bn_recalibrate\":%s,\"reward_kind\":",
            s->threads, s->retrain_duplicates ? "true" : "false",
            s->bn_recalibrate ? "true" : "false");
    json_string(f, s->reward_kind[0] ? s->reward_kind : "standalone");
    fputs(",\"reward_metric\":", f);
    json_string(f, s->reward_metric[0] ? s->reward_metric : "accuracy");
    fputs(",\"reward_label\":", f);
    json_string(f, reward_metric_is_accuracy(s->reward_metric)
                       ? NULL
                       : reward_metric_label(s->reward_metric));
    fprintf(f, ",\"ws_steps\":%d,\"ws_samples\":%d,\"ws_panel\":%d,"
               "\"pid\":%lld,\"host\":",
            s->ws_steps, s->ws_samples, s->ws_panel, (long long)s->pid);
    json_string(f, s->host);
    fputs(",\"streams\":", f);
    json_string(f, s->streams[0] ? s->streams : "common");
    fprintf(f, ",\"space_version\":%d", s->space_version);
    fprintf(f, ",\"workers\":%d,\"samples_per_hour\":", s->workers);
    json_number(f, s->samples_per_hour);
    fputs(",\"created\":", f);
    iso_time(f, s->created);
    fputs(",\"updated\":", f);
    iso_time(f, s->updated);
    fputs(",\"finished\":", f);
    iso_time(f, s->finished);
    fputs(",\"version\":", f);
    json_string(f, s->version);
    /* The settings column is JSON that nasview wrote; a cell edited into
     * something else is passed on as a string. */
    fputs(",\"settings\":", f);
    if (s->settings[0] == '{' && s->settings[strlen(s->settings) - 1] == '}')
        fputs(s->settings, f);
    else
        json_string(f, s->settings);
    fputc('}', f);
}

void report_searches_csv(FILE *f, const StoreSearch *rows, size_t n)
{
    fputs("id,name,strategy,seed,budget,samples_done,best_reward,best_idx,"
          "status,dataset,F,N,epochs,train_size,val_size,batch,lr,threads,"
          "bn_recalibrate,workers,samples_per_hour,created,finished,"
          "version,reward_kind,reward_metric\n", f);
    for (size_t i = 0; i < n; i++) {
        const StoreSearch *s = &rows[i];
        char c[40], e[40];
        report_time(s->created, c, sizeof c);
        report_time(s->finished, e, sizeof e);
        fprintf(f, "%lld,", (long long)s->id);
        csv_field(f, s->name);
        fputc(',', f);
        csv_field(f, s->strategy);
        fprintf(f, ",%llu,%d,%d,",
                (unsigned long long)s->seed, s->budget, s->samples_done);
        csv_number(f, s->best_reward);
        fputc(',', f);
        csv_int(f, s->best_idx);
        fprintf(f, ",%s,", store_search_status_name(s->status));
        csv_field(f, s->dataset);
        fprintf(f, ",%d,%d,%d,%lld,%lld,%d,%.9g,%d,%d,%d,", s->F, s->N,
                s->epochs, (long long)s->train_size, (long long)s->val_size,
                s->batch, s->lr, s->threads, s->bn_recalibrate != 0,
                s->workers);
        csv_number(f, s->samples_per_hour);
        fprintf(f, ",%s,%s,", c, s->finished ? e : "");
        csv_field(f, s->version);
        fputc(',', f);
        csv_field(f, s->reward_kind[0] ? s->reward_kind : "standalone");
        fputc(',', f);
        csv_field(f, s->reward_metric[0] ? s->reward_metric : "accuracy");
        fputc('\n', f);
    }
}

/* report_rate - samples per hour as a person reads it ("-" unknown). */
static void report_rate(double per_hour, char *buf, size_t n)
{
    if (isnan(per_hour) || per_hour < 0)
        snprintf(buf, n, "-");
    else if (per_hour < 10)
        snprintf(buf, n, "%.2f", per_hour);
    else
        snprintf(buf, n, "%.0f", per_hour);
}

void report_searches_table(FILE *f, const StoreSearch *rows, size_t n)
{
    char name[STORE_NAME_MAX * 4], strategy[sizeof rows->strategy * 4];
    int w = 4;
    for (size_t i = 0; i < n; i++)
        if ((int)strlen(text_clean(rows[i].name, name, sizeof name)) > w)
            w = (int)strlen(name);
    fprintf(f, "%4s  %-*s  %-9s  %6s  %11s  %7s  %-11s  %7s  %9s  %s\n", "ID",
            w, "NAME", "STRATEGY", "SEED", "SAMPLES", "BEST", "STATUS",
            "WORKERS", "SAMPLES/H", "CREATED (UTC)");
    for (size_t i = 0; i < n; i++) {
        const StoreSearch *s = &rows[i];
        char done[32], best[16], c[40], rate[32];
        snprintf(done, sizeof done, "%d/%d", s->samples_done, s->budget);
        const int zc = !reward_metric_is_accuracy(s->reward_metric);
        if (isnan(s->best_reward))
            snprintf(best, sizeof best, "-");
        else if (zc)
            snprintf(best, sizeof best, "%.5g*", s->best_reward);
        else
            snprintf(best, sizeof best, "%.4f", s->best_reward);
        report_time(s->created, c, sizeof c);
        report_rate(s->samples_per_hour, rate, sizeof rate);
        fprintf(f, "%4lld  %-*s  %-9s  %6llu  %11s  %7s  %-11s  %7d  %9s  %s\n",
                (long long)s->id, w, text_clean(s->name, name, sizeof name),
                text_clean(s->strategy, strategy, sizeof strategy),
                (unsigned long long)s->seed, done, best,
                store_search_status_name(s->status), s->workers, rate, c);
    }
    for (size_t i = 0; i < n; i++)
        if (!reward_metric_is_accuracy(rows[i].reward_metric))
            fprintf(f, "* %s: %s\n",
                    text_clean(rows[i].name, name, sizeof name),
                    reward_metric_label(rows[i].reward_metric));
}

void report_search_table(FILE *f, const StoreSearch *s)
{
    char c[40], u[40], e[40];
    report_time(s->created, c, sizeof c);
    report_time(s->updated, u, sizeof u);
    report_time(s->finished, e, sizeof e);
    fprintf(f, "search      %lld  ", (long long)s->id);
    text_put(f, s->name);
    fputs("\nstrategy    ", f);
    text_put(f, s->strategy);
    fprintf(f, "  seed %llu  budget %d\n", (unsigned long long)s->seed,
            s->budget);
    fprintf(f, "status      %s%s", store_search_status_name(s->status),
            s->message[0] ? ": " : "");
    text_put(f, s->message);
    fputc('\n', f);
    fprintf(f, "samples     %d done", s->samples_done);
    if (!isnan(s->best_reward) && reward_metric_is_accuracy(s->reward_metric))
        fprintf(f, ", best reward %.4f (sample %d)", s->best_reward,
                s->best_idx);
    else if (!isnan(s->best_reward))
        fprintf(f, ", best %.6g (sample %d; %s)", s->best_reward,
                s->best_idx, reward_metric_label(s->reward_metric));
    fputc('\n', f);
    if (!reward_metric_is_accuracy(s->reward_metric))
        fprintf(f, "reward      %s: a score at initialisation, no child "
                   "trained\n", reward_metric_label(s->reward_metric));
    fputs("dataset     ", f);
    text_put(f, s->dataset);
    fprintf(f, "  train %lld  validation %lld\n", (long long)s->train_size,
            (long long)s->val_size);
    fprintf(f, "child       F=%d N=%d epochs %d batch %d lr %g threads %d%s\n",
            s->F, s->N, s->epochs, s->batch, s->lr, s->threads,
            s->retrain_duplicates ? "  (duplicates retrained)" : "");
    {
        char rate[32];
        report_rate(s->samples_per_hour, rate, sizeof rate);
        fprintf(f, "workers     %d child%s at once  %s samples/hour (last "
                   "50 samples)\n",
                s->workers, s->workers == 1 ? "" : "ren", rate);
    }
    fprintf(f, "streams     %s  (%s)  search space version %d\n",
            s->streams[0] ? s->streams : "common",
            strcmp(s->streams, "independent") == 0
                ? "drawn from the seed and the strategy: compared unpaired"
                : "drawn from the seed alone: common random numbers, "
                  "compared paired by seed",
            s->space_version);
    if (strcmp(s->reward_kind, "shared") == 0) {
        fprintf(f, "reward      shared-weight: accuracy on one validation "
                   "batch through the search's shared weights (not "
                   "comparable with stand-alone rewards)\n");
        fprintf(f, "rounds      %d shared-weight steps, then %d samples; "
                   "panel of %d best and %d random trained stand-alone\n",
                s->ws_steps, s->ws_samples, s->ws_panel, s->ws_panel);
        fprintf(f, "batch norm  batch statistics (shared weights)\n");
    } else {
        fprintf(f, "batch norm  %s\n",
                s->bn_recalibrate ? "recalibrated before scoring"
                                  : "not recalibrated (running statistics)");
    }
    fputs("settings    ", f);
    text_put(f, s->settings);
    fprintf(f, "\nprocess     %lld on ", (long long)s->pid);
    text_put(f, s->host);
    fputs(", nasview ", f);
    text_put(f, s->version);
    fputc('\n', f);
    fprintf(f, "time (UTC)  created %s  updated %s  finished %s\n", c, u, e);
}

void report_sample_json(FILE *f, const StoreSample *x, const StoreDecision *dec,
                        int n_dec)
{
    fprintf(f, "{\"idx\":%d,\"status\":", x->idx);
    json_string(f, store_sample_status_name(x->status));
    fputs(",\"reward\":", f);
    json_number(f, x->reward);
    fputs(",\"train_loss\":", f);
    json_number(f, x->train_loss);
    fputs(",\"params\":", f);
    json_int_or_null(f, x->params);
    fputs(",\"mult_adds\":", f);
    json_int_or_null(f, x->mult_adds);
    fputs(",\"seconds\":", f);
    json_number(f, x->seconds);
    fputs(",\"duplicate_of\":", f);
    json_int_or_null(f, x->duplicate_of);
    fputs(",\"log_prob\":", f);
    json_number(f, x->log_prob);
    fputs(",\"entropy\":", f);
    json_number(f, x->entropy);
    fputs(",\"hash\":", f);
    json_string(f, x->hash);
    fputs(",\"genotype\":", f);
    json_string(f, x->genotype);
    fputs(",\"created\":", f);
    iso_time(f, x->created);
    fputs(",\"finished\":", f);
    iso_time(f, x->finished);
    fputs(",\"message\":", f);
    json_string(f, x->message[0] ? x->message : NULL);
    if (dec) {
        fputs(",\"decisions\":[", f);
        for (int t = 0; t < n_dec; t++) {
            const StoreDecision *d = &dec[t];
            fprintf(f, "%s{\"step\":%d,\"cell\":", t ? "," : "", d->step);
            json_string(f, geno_cell_name(d->cell));
            fprintf(f, ",\"block\":%d,\"field\":", d->block);
            json_string(f, geno_field_name(d->field));
            fprintf(f, ",\"chosen\":%d,\"label\":", d->chosen);
            json_string(f, geno_decision_label(d->step, d->chosen));
            fputs(",\"probs\":[", f);
            for (int v = 0; v < d->support; v++) {
                if (v)
                    fputc(',', f);
                json_number(f, d->probs[v]);
            }
            fputs("]}", f);
        }
        fputc(']', f);
    }
    fputc('}', f);
}

void report_samples_csv(FILE *f, const StoreSample *rows, size_t n,
                        int with_genotype, int header, const char *metric)
{
    if (header) {
        if (reward_metric_is_accuracy(metric))
            fputs("idx,status,reward,", f);
        else
            fprintf(f, "idx,status,reward_%s,", metric);
        fputs("train_loss,params,mult_adds,seconds,"
              "duplicate_of,log_prob,entropy,hash", f);
        fputs(with_genotype ? ",genotype\n" : "\n", f);
    }
    for (size_t i = 0; i < n; i++) {
        const StoreSample *x = &rows[i];
        fprintf(f, "%d,%s,", x->idx, store_sample_status_name(x->status));
        csv_number(f, x->reward);
        fputc(',', f);
        csv_number(f, x->train_loss);
        fputc(',', f);
        csv_int(f, x->params);
        fputc(',', f);
        csv_int(f, x->mult_adds);
        fputc(',', f);
        csv_number(f, x->seconds);
        fputc(',', f);
        csv_int(f, x->duplicate_of);
        fputc(',', f);
        csv_number(f, x->log_prob);
        fputc(',', f);
        csv_number(f, x->entropy);
        fputc(',', f);
        csv_field(f, x->hash);
        if (with_genotype) {
            fputc(',', f);
            csv_field(f, x->genotype);
        }
        fputc('\n', f);
    }
}

/* fmt_or_dash - x with prec decimals and a unit, or "-" when unknown. */
static void fmt_or_dash(char *buf, size_t n, int prec, const char *unit,
                        double x)
{
    if (isnan(x))
        snprintf(buf, n, "-");
    else
        snprintf(buf, n, "%.*f%s", prec, x, unit);
}

void report_samples_table(FILE *f, const StoreSample *rows, size_t n)
{
    fprintf(f, "%4s  %5s  %-11s  %7s  %9s  %8s  %s\n", "RANK", "IDX", "STATUS",
            "REWARD", "PARAMS", "SECONDS", "HASH");
    for (size_t i = 0; i < n; i++) {
        const StoreSample *x = &rows[i];
        char rw[16], sec[16], par[24], hash[sizeof x->hash * 4];
        fmt_or_dash(rw, sizeof rw, 4, "", x->reward);
        fmt_or_dash(sec, sizeof sec, 1, "", x->seconds);
        if (x->params >= 0)
            snprintf(par, sizeof par, "%lld", (long long)x->params);
        else
            snprintf(par, sizeof par, "-");
        fprintf(f, "%4zu  %5d  %-11s  %7s  %9s  %8s  %s\n", i + 1, x->idx,
                store_sample_status_name(x->status), rw, par, sec,
                text_clean(x->hash, hash, sizeof hash));
    }
}

static int argmax(const StoreDecision *d)
{
    int best = 0;
    for (int v = 1; v < d->support; v++)
        if (d->probs[v] > d->probs[best])
            best = v;
    return best;
}

void report_decisions_table(FILE *f, const StoreDecision *dec, int n)
{
    fprintf(f, "%4s  %-6s  %5s  %-5s  %-13s  %6s  %-13s  %6s\n", "STEP", "CELL",
            "BLOCK", "FIELD", "CHOSEN", "P", "MOST LIKELY", "P");
    for (int t = 0; t < n; t++) {
        const StoreDecision *d = &dec[t];
        int m = argmax(d);
        fprintf(f, "%4d  %-6s  %5d  %-5s  %-13s  %6.4f  %-13s  %6.4f\n",
                d->step, geno_cell_name(d->cell), d->block,
                geno_field_name(d->field),
                geno_decision_label(d->step, d->chosen),
                (double)d->probs[d->chosen], geno_decision_label(d->step, m),
                (double)d->probs[m]);
    }
}

void report_decisions_csv(FILE *f, const StoreDecision *dec, int n)
{
    fputs("step,cell,block,field,chosen,label,prob,probs\n", f);
    for (int t = 0; t < n; t++) {
        const StoreDecision *d = &dec[t];
        char probs[GENO_MAX_SUPPORT * 18 + 4];
        size_t len = 0;
        probs[len++] = '[';
        for (int v = 0; v < d->support; v++)
            len += (size_t)snprintf(probs + len, sizeof probs - len, "%s%.9g",
                                    v ? "," : "", (double)d->probs[v]);
        snprintf(probs + len, sizeof probs - len, "]");
        fprintf(f, "%d,%s,%d,%s,%d,", d->step, geno_cell_name(d->cell),
                d->block, geno_field_name(d->field), d->chosen);
        csv_field(f, geno_decision_label(d->step, d->chosen));
        fprintf(f, ",%.9g,", (double)d->probs[d->chosen]);
        csv_field(f, probs);
        fputc('\n', f);
    }
}

void report_curve_table(FILE *f, const StoreProgress *pts, size_t n)
{
    fprintf(f, "%5s  %11s  %8s  %7s  %8s\n", "EPOCH", "STEP", "LOSS", "ACC",
            "ELAPSED");
    for (size_t i = 0; i < n; i++) {
        const StoreProgress *p = &pts[i];
        char step[32], loss[16], acc[16], el[16];
        snprintf(step, sizeof step, "%lld/%lld", (long long)p->step,
                 (long long)p->steps);
        fmt_or_dash(loss, sizeof loss, 4, "", p->loss);
        fmt_or_dash(acc, sizeof acc, 4, "", p->acc);
        fmt_or_dash(el, sizeof el, 1, " s", p->elapsed_s);
        const char *note = p->epoch_end ? "  end of epoch"
                                        : (p->evaluating ? "  validating" : "");
        fprintf(f, "%5d  %11s  %8s  %7s  %8s%s\n", p->epoch + 1, step, loss,
                acc, el, note);
    }
}

void report_curve_json(FILE *f, const StoreProgress *pts, size_t n)
{
    fputc('[', f);
    for (size_t i = 0; i < n; i++) {
        const StoreProgress *p = &pts[i];
        fprintf(f, "%s{\"epoch\":%d,\"epochs\":%d,\"step\":%lld,\"steps\":%lld,"
                   "\"loss\":",
                i ? "," : "", p->epoch, p->epochs, (long long)p->step,
                (long long)p->steps);
        json_number(f, p->loss);
        fputs(",\"acc\":", f);
        json_number(f, p->acc);
        fputs(",\"elapsed_s\":", f);
        json_number(f, p->elapsed_s);
        fprintf(f, ",\"evaluating\":%s,\"epoch_end\":%s,\"time\":%lld}",
                p->evaluating ? "true" : "false",
                p->epoch_end ? "true" : "false", (long long)p->time);
    }
    fputc(']', f);
}

/* A panel's correlation: its value and 95% bootstrap interval, as
 * `nasview fidelity` reports them (rankcorr.h); undefined reads as "-". */
typedef struct {
    double r, lo, hi; /* r NaN: undefined (too few, or one side constant) */
} PanelCorr;

/* The seed of the panel intervals' resamples: fixed, so `show` prints the
 * same interval every time. */
#define PANEL_BOOT_SEED 1u
#define PANEL_BOOT_REPS 1000

/* The two correlations of a panel's rewards (diverged children count with
 * their stand-alone reward, 0). */
static void panel_corr(const StoreWsPanel *rows, size_t n, PanelCorr *tau,
                       PanelCorr *rho)
{
    *tau = *rho = (PanelCorr){ NAN, -1.0, 1.0 };
    double *x = malloc(sizeof *x * (n ? n : 1));
    double *y = malloc(sizeof *y * (n ? n : 1));
    if (!x || !y) {
        free(x);
        free(y);
        return;
    }
    for (size_t i = 0; i < n; i++) {
        x[i] = rows[i].shared_reward;
        y[i] = rows[i].reward;
    }
    RankInterval ri;
    if (rank_bootstrap(x, y, n, RANK_KENDALL, PANEL_BOOT_REPS,
                       PANEL_BOOT_SEED, &ri, NULL) == NV_OK && ri.defined)
        *tau = (PanelCorr){ ri.value, ri.lo, ri.hi };
    if (rank_bootstrap(x, y, n, RANK_SPEARMAN, PANEL_BOOT_REPS,
                       PANEL_BOOT_SEED, &ri, NULL) == NV_OK && ri.defined)
        *rho = (PanelCorr){ ri.value, ri.lo, ri.hi };
    free(x);
    free(y);
}

static void corr_str(char *buf, size_t size, const char *name,
                     const PanelCorr *c)
{
    if (isnan(c->r))
        snprintf(buf, size, "%s -", name);
    else
        snprintf(buf, size, "%s %+.3f [%+.3f, %+.3f]", name, c->r, c->lo,
                 c->hi);
}

static void corr_text(FILE *f, const char *name, const PanelCorr *c)
{
    char buf[96];
    corr_str(buf, sizeof buf, name, c);
    fputs(buf, f);
}

void report_ws_panel_line(char *buf, size_t size, const StoreWsPanel *rows,
                          size_t n)
{
    PanelCorr tau, rho;
    char t[96], r[96];
    if (size)
        buf[0] = '\0';
    if (n == 0 || size == 0)
        return;
    panel_corr(rows, n, &tau, &rho);
    corr_str(t, sizeof t, "Kendall tau", &tau);
    corr_str(r, sizeof r, "Spearman rho", &rho);
    snprintf(buf, size, "fidelity: %zu trained stand-alone, %s, %s (95%%)",
             n, t, r);
}

void report_ws_panel_table(FILE *f, const StoreWsPanel *rows, size_t n)
{
    PanelCorr tau, rho;
    size_t top = 0;
    if (n == 0)
        return;
    panel_corr(rows, n, &tau, &rho);
    for (size_t i = 0; i < n; i++)
        top += rows[i].top != 0;
    fprintf(f, "fidelity    %zu architectures trained stand-alone (%zu best "
               "by shared-weight reward, %zu at random): ",
            n, top, n - top);
    corr_text(f, "Kendall tau", &tau);
    fputs("  ", f);
    corr_text(f, "Spearman rho", &rho);
    fputs(" (95%)\n", f);
    fputs("            SHARED: with the final shared weights, on the same "
          "validation images\n            for every architecture\n\n", f);
    fputs("   IDX  PICK     SHARED  STAND-ALONE     PARAMS   SECONDS\n", f);
    for (size_t i = 0; i < n; i++) {
        const StoreWsPanel *p = &rows[i];
        fprintf(f, "%6d  %-6s  %.4f       %.4f%s %10lld %9.1f\n",
                p->sample_idx, p->top ? "top" : "random", p->shared_reward,
                p->reward, p->status == SAMPLE_DIVERGED ? "*" : " ",
                (long long)p->params, p->seconds);
    }
}

static void corr_json(FILE *f, const PanelCorr *c)
{
    fputs("{\"r\":", f);
    json_number(f, c->r);
    fputs(",\"lo\":", f);
    json_number(f, c->lo);
    fputs(",\"hi\":", f);
    json_number(f, c->hi);
    fputc('}', f);
}

void report_ws_panel_json(FILE *f, const StoreWsPanel *rows, size_t n)
{
    PanelCorr tau, rho;
    panel_corr(rows, n, &tau, &rho);
    fprintf(f, "{\"n\":%zu,\"kendall_tau\":", n);
    corr_json(f, &tau);
    fputs(",\"spearman_rho\":", f);
    corr_json(f, &rho);
    fputs(",\"architectures\":[", f);
    for (size_t i = 0; i < n; i++) {
        const StoreWsPanel *p = &rows[i];
        fprintf(f, "%s{\"idx\":%d,\"pick\":\"%s\",\"shared_reward\":",
                i ? "," : "", p->sample_idx, p->top ? "top" : "random");
        json_number(f, p->shared_reward);
        fputs(",\"reward\":", f);
        json_number(f, p->reward);
        fprintf(f, ",\"status\":\"%s\",\"params\":%lld,\"seconds\":",
                store_sample_status_name(p->status), (long long)p->params);
        json_number(f, p->seconds);
        fputc('}', f);
    }
    fputs("]}", f);
}

void report_picture_title(char *buf, size_t n, const StoreSearch *s,
                          const StoreSample *x)
{
    if (n == 0)
        return;
    int k = snprintf(buf, n, "search %s (%s, seed %llu), sample #%d", s->name,
                     s->strategy, (unsigned long long)s->seed, x->idx);
    if (k < 0 || (size_t)k >= n)
        return;
    const char *kind = strcmp(s->reward_kind, "shared") == 0
                           ? "shared-weight reward" : "reward";
    if (!isnan(x->reward) && !reward_metric_is_accuracy(s->reward_metric))
        k += snprintf(buf + k, n - (size_t)k, ": %s %.6g",
                      reward_metric_label(s->reward_metric), x->reward);
    else if (!isnan(x->reward))
        k += snprintf(buf + k, n - (size_t)k, ": %s %.4f", kind, x->reward);
    else
        k += snprintf(buf + k, n - (size_t)k, ": %s",
                      store_sample_status_name(x->status));
    if (k >= 0 && (size_t)k < n && x->params >= 0)
        snprintf(buf + k, n - (size_t)k, ", %lld parameters",
                 (long long)x->params);
}

void report_env_table(FILE *f, const StoreEnv *e)
{
    if (!e) {
        fputs("environment not recorded (made before schema version 9)\n", f);
        return;
    }
    fputs("built       nasview ", f);
    text_put(f, e->version);
    fputs(" (", f);
    text_put(f, e->revision);
    fputs("), ", f);
    text_put(f, e->compiler);
    fputs("\nblas        ", f);
    text_put(f, e->blas);
    fputs("\ncpu         ", f);
    text_put(f, e->cpu[0] ? e->cpu : "unknown");
    fprintf(f, ", %d cores; %d worker%s, %d thread%s per child\n", e->cores,
            e->workers, e->workers == 1 ? "" : "s", e->threads,
            e->threads == 1 ? "" : "s");
    if (isfinite(e->load[0]))
        fprintf(f, "load        %.2f %.2f %.2f at the start\n", e->load[0],
                e->load[1], e->load[2]);
    else
        fputs("load        unknown at the start\n", f);
}

void report_env_json(FILE *f, const StoreEnv *e)
{
    if (!e) {
        fputs("null", f);
        return;
    }
    fputs("{\"version\":", f);
    json_string(f, e->version);
    fputs(",\"revision\":", f);
    json_string(f, e->revision);
    fputs(",\"compiler\":", f);
    json_string(f, e->compiler);
    fputs(",\"blas\":", f);
    json_string(f, e->blas);
    fputs(",\"cpu\":", f);
    json_string(f, e->cpu);
    fprintf(f, ",\"cores\":%d,\"workers\":%d,\"threads\":%d,\"load\":[",
            e->cores, e->workers, e->threads);
    for (int i = 0; i < 3; i++) {
        if (i)
            fputc(',', f);
        json_number(f, e->load[i]);
    }
    fputs("]}", f);
}
