/* report.h - stored searches, samples, decisions and curves written for
 * people (aligned tables) and programs (JSON, CSV with a header), shared by
 * `nasview ls`, `show` and `export`.  Writes only; reads nothing. */
#ifndef NASVIEW_REPORT_H
#define NASVIEW_REPORT_H

#include <stddef.h>
#include <stdio.h>

#include "store/store.h"

/* report_time - unix seconds t as "2026-11-28 09:40:12" (UTC) into buf
 * (at least 24 bytes); "-" for 0. */
void report_time(long long t, char *buf, size_t n);

/* report_search_json - one search as a JSON object (settings, status,
 * summary; the settings column embedded as an object). */
void report_search_json(FILE *f, const StoreSearch *s);

/* report_searches_csv - a CSV header and one row per search. */
void report_searches_csv(FILE *f, const StoreSearch *rows, size_t n);

/* report_searches_table - the aligned table of `nasview ls`. */
void report_searches_table(FILE *f, const StoreSearch *rows, size_t n);

/* report_search_table - one search's settings as "key  value" lines. */
void report_search_table(FILE *f, const StoreSearch *s);

/* report_sample_json - one sample as a JSON object; when dec is not NULL,
 * with "decisions" (n_dec of them, each with its probability vector). */
void report_sample_json(FILE *f, const StoreSample *x, const StoreDecision *dec,
                        int n_dec);

/* report_samples_csv - one CSV row per sample, after the header line when
 * header is set; with_genotype adds the canonical genotype column.  The
 * reward column is "reward" for an accuracy, and "reward_METRIC" when
 * metric (the search's reward_metric; NULL or "" for accuracy) is a
 * zero-cost score, so that it is not read as an accuracy. */
void report_samples_csv(FILE *f, const StoreSample *rows, size_t n,
                        int with_genotype, int header, const char *metric);

/* report_samples_table - ranked samples (rank, idx, status, reward,
 * params, seconds, hash). */
void report_samples_table(FILE *f, const StoreSample *rows, size_t n);

/* report_decisions_table / _csv / report_curve_* - one sample's 50
 * decisions (chosen value, its probability, the most likely value) and
 * its training curve. */
void report_decisions_table(FILE *f, const StoreDecision *dec, int n);
void report_decisions_csv(FILE *f, const StoreDecision *dec, int n);
void report_curve_table(FILE *f, const StoreProgress *pts, size_t n);
void report_curve_json(FILE *f, const StoreProgress *pts, size_t n);

/* report_picture_title - the caption of a sample's cell picture, into
 * buf (n bytes, always NUL-terminated, cut when short): "search alpha
 * (random, seed 3), sample #4: reward 0.8361, 1703 parameters"; a
 * shared-weight reward is called so, a missing reward or parameter count
 * is left out and the sample's state said instead. */
void report_picture_title(char *buf, size_t n, const StoreSearch *s,
                          const StoreSample *x);

/* The fidelity panel of a weight-sharing search (rows[n], by sample):
 * Kendall's tau and Spearman's rho between shared-weight and stand-alone
 * rewards with 95% intervals, then one line per architecture (table), or
 * the same as one JSON object {"n":..,"kendall_tau":{"r":..,"lo":..,
 * "hi":..},"spearman_rho":{..},"architectures":[..]} (r null when
 * undefined).  Nothing in the table when n is 0. */
void report_ws_panel_table(FILE *f, const StoreWsPanel *rows, size_t n);
void report_ws_panel_json(FILE *f, const StoreWsPanel *rows, size_t n);

/* report_ws_panel_line - the panel's correlations as one line into
 * buf[size] ("" when n is 0): "fidelity: N trained stand-alone, Kendall
 * tau +0.333 [-0.263, +0.784], Spearman rho ... (95%)", as the table's
 * first line says them; for the terminal UI's Live view. */
void report_ws_panel_line(char *buf, size_t size, const StoreWsPanel *rows,
                          size_t n);

/* report_env_table - a search's recorded environment as "key  value"
 * lines (version and revision, compiler, BLAS, CPU, cores, workers and
 * threads, load); e NULL: one line saying none was recorded. */
void report_env_table(FILE *f, const StoreEnv *e);

/* report_env_json - the same as a JSON object, or null for e NULL. */
void report_env_json(FILE *f, const StoreEnv *e);

#endif
