/* tui_fake_search.c - a stand-in for `nasview search` in the TUI tests:
 * takes the same options, writes a search, samples with 50 decisions and
 * their distributions, progress points and rewards through the real
 * store, quickly and deterministically, and obeys the same signals
 * (SIGUSR1 pause, SIGUSR2 resume, SIGTERM stop).  With --fill it writes
 * every sample at once (no progress, no waiting) for scale tests.
 * It trains nothing: rewards are drawn from the seed. */
#include "config.h"

#include <getopt.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "genotype.h"
#include "rng.h"
#include "store.h"

static volatile sig_atomic_t paused, stop;

static void on_signal(int sig)
{
    if (sig == SIGUSR1)
        paused = 1;
    else if (sig == SIGUSR2)
        paused = 0;
    else
        stop = sig;
}

static void nap(int ms)
{
    struct timespec ts = { ms / 1000, (long)(ms % 1000) * 1000000L };
    nanosleep(&ts, NULL);
}

static int die(const NvError *err)
{
    fprintf(stderr, "tui_fake_search: %s\n", err->msg);
    return 1;
}

int main(int argc, char **argv)
{
    static const struct option opts[] = {
        { "db", 1, NULL, 1 },       { "strategy", 1, NULL, 2 },
        { "budget", 1, NULL, 3 },   { "seed", 1, NULL, 4 },
        { "name", 1, NULL, 5 },     { "F", 1, NULL, 6 },
        { "N", 1, NULL, 7 },        { "epochs", 1, NULL, 8 },
        { "train-size", 1, NULL, 9 }, { "val-size", 1, NULL, 10 },
        { "dataset", 1, NULL, 11 }, { "step-ms", 1, NULL, 12 },
        { "fill", 0, NULL, 13 },    { NULL, 0, NULL, 0 },
    };
    StoreSearch in;
    memset(&in, 0, sizeof in);
    const char *db = NULL;
    snprintf(in.strategy, sizeof in.strategy, "random");
    snprintf(in.dataset, sizeof in.dataset, "fake");
    snprintf(in.name, sizeof in.name, "fake");
    in.budget = 5;
    in.F = 8, in.N = 1, in.epochs = 1, in.batch = 64, in.threads = 1;
    in.train_size = 100, in.val_size = 50, in.lr = 0.05;
    int step_ms = 60, fill = 0;
    int c;
    if (argc > 1 && !strcmp(argv[1], "search"))
        argc--, argv++;
    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        switch (c) {
        case 1: db = optarg; break;
        case 2: snprintf(in.strategy, sizeof in.strategy, "%s", optarg); break;
        case 3: in.budget = atoi(optarg); break;
        case 4: in.seed = strtoull(optarg, NULL, 10); break;
        case 5: snprintf(in.name, sizeof in.name, "%s", optarg); break;
        case 6: in.F = atoi(optarg); break;
        case 7: in.N = atoi(optarg); break;
        case 8: in.epochs = atoi(optarg); break;
        case 9: in.train_size = atol(optarg); break;
        case 10: in.val_size = atol(optarg); break;
        case 11: snprintf(in.dataset, sizeof in.dataset, "%s", optarg); break;
        case 12: step_ms = atoi(optarg); break;
        case 13: fill = 1; break;
        default: return 2;
        }
    }
    if (!db)
        return 2;
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigaction(SIGUSR1, &sa, NULL);
    sigaction(SIGUSR2, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGINT, &sa, NULL);

    NvError err;
    nv_error_clear(&err);
    Store *st;
    int64_t sid;
    if (store_open(db, STORE_WRITE, &st, &err) != NV_OK)
        return die(&err);
    if (store_search_create(st, &in, &sid, &err) != NV_OK)
        return die(&err);
    printf("search %lld started\n", (long long)sid);
    fflush(stdout);
    Rng rng;
    rng_seed(&rng, in.seed, 7);
    const int steps = 6;
    for (int idx = 0; idx < in.budget && !stop; idx++) {
        StoreDecision dec[GENO_DECISIONS];
        int d[GENO_DECISIONS];
        double logp = 0, ent = 0;
        for (int t = 0; t < GENO_DECISIONS; t++) {
            int k = geno_decision_support(t);
            memset(&dec[t], 0, sizeof dec[t]);
            geno_decision_locate(t, &dec[t].cell, &dec[t].block, &dec[t].field);
            dec[t].step = t;
            dec[t].support = k;
            d[t] = (int)rng_below(&rng, (uint32_t)k);
            dec[t].chosen = d[t];
            /* A distribution that sharpens as the search goes on. */
            double peak = 1.0 / k + (1 - 1.0 / k) * idx / (in.budget + 1.0);
            for (int v = 0; v < k; v++)
                dec[t].probs[v] = (float)(v == d[t] ? peak : (1 - peak) / (k - 1));
            logp += log(dec[t].probs[d[t]]);
            for (int v = 0; v < k; v++)
                ent -= dec[t].probs[v] * log(dec[t].probs[v]);
        }
        Genotype g;
        if (geno_from_decisions(d, &g, &err) != NV_OK)
            return die(&err);
        geno_canonicalize(&g);
        StoreSample sm;
        memset(&sm, 0, sizeof sm);
        sm.idx = idx;
        geno_format(&g, sm.genotype, sizeof sm.genotype);
        geno_hash_hex(&g, sm.hash);
        sm.log_prob = logp;
        sm.entropy = ent;
        sm.duplicate_of = -1;
        if (store_sample_start(st, sid, &sm, dec, &err) != NV_OK)
            return die(&err);
        for (int s = 1; s <= steps && !fill && !stop; s++) {
            if (paused) {
                store_search_set_status(st, sid, SEARCH_PAUSED, NULL, &err);
                while (paused && !stop)
                    nap(20);
                store_search_set_status(st, sid, SEARCH_RUNNING, NULL, &err);
            }
            StoreProgress p;
            memset(&p, 0, sizeof p);
            p.sample_idx = idx;
            p.epoch = 0;
            p.epochs = in.epochs;
            p.step = s;
            p.steps = steps;
            p.loss = 2.3 / (1 + s);
            p.acc = 0.1 * s;
            p.epoch_end = s == steps;
            if (store_progress_write(st, sid, &p, &err) != NV_OK)
                return die(&err);
            nap(step_ms);
        }
        if (stop) {
            store_sample_abort(st, sid, idx, SAMPLE_INTERRUPTED, "stopped", &err);
            break;
        }
        sm.status = SAMPLE_DONE;
        sm.reward = 0.5 + 0.4 * rng_uniform(&rng);
        sm.train_loss = 0.5;
        sm.params = 10000 + (int64_t)rng_below(&rng, 90000);
        sm.mult_adds = sm.params * 100;
        sm.seconds = steps * step_ms / 1000.0;
        if (store_sample_finish(st, sid, &sm, NULL, 0, &err) != NV_OK)
            return die(&err);
    }
    store_search_set_status(st, sid, stop ? SEARCH_INTERRUPTED : SEARCH_DONE,
                            stop ? "stopped by a signal" : NULL, &err);
    store_close(st);
    printf("search %lld %s\n", (long long)sid, stop ? "interrupted" : "done");
    return 0;
}
