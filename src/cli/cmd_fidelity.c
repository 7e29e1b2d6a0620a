/* cmd_fidelity.c - `nasview fidelity`: a panel of architectures scored at
 * several fidelities (trained proxies, or zero-cost scores at
 * initialisation), and how well each cheap one ranks them the way the
 * reference does.
 *
 * One run: find or create the panel, append the fidelities and
 * architectures the command line names, compute every missing score (one
 * child at a time, each result committed as it finishes), then report.
 * Running the same command again after an interruption (Ctrl-C, kill -9)
 * computes only what is missing; a later run may add architectures or
 * fidelities to the panel.  Training follows the stored settings of each
 * fidelity, never the command line's, so a resumed panel measures what it
 * measured before. */
#include "config.h"

#include <math.h>
#include <signal.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/outfile.h"
#include "base/rng.h"
#include "base/text.h"
#include "cli/cli.h"
#include "cli/cli_args.h"
#include "cli/fidelity_level.h"
#include "compare/fidelity.h"
#include "data/dataset.h"
#include "nn/network.h"
#include "space/genotype.h"
#include "store/store_fidelity.h"
#include "train/train.h"

static const char usage[] =
    "Usage: nasview fidelity --panel NAME [--db FILE] [--seed S]\n"
    "                        [--random K] [--nasnet-a] [--from-search S[:K]]\n"
    "                        [--fidelity NAME[:KEY=VALUE,...]]...\n"
    "                        [--reference NAME] [--top-k K] [--bootstrap B]\n"
    "                        [--no-train] [--members]\n"
    "                        [--format table|json|csv] [--svg FILE]\n"
    "Score a panel of architectures at several fidelities and report how well\n"
    "each cheap one ranks them the way the reference one does.\n"
    "\n"
    "  --panel NAME      the panel, created when new; running it again\n"
    "                    computes what is missing (after an interruption,\n"
    "                    or for new architectures and fidelities)\n"
    "  --db FILE         the database (default:\n"
    "                    $XDG_DATA_HOME/nasview/nasview.db)\n"
    "  --seed S          a new panel's seed: random draws, data split, weight\n"
    "                    initialisation, bootstrap (1)\n"
    "  --random K        the panel holds K seeded random architectures (adds\n"
    "                    the missing draws)\n"
    "  --nasnet-a        add NASNet-A\n"
    "  --from-search S[:K]  add the K best samples of search S (5);\n"
    "                    repeatable\n"
    "  --fidelity SPEC   add a fidelity (repeatable; the panel's first is the\n"
    "                    reference).  SPEC is NAME[:KEY=VALUE,...] with keys\n"
    "                    score=val_acc|params|mult_adds|naswot|synflow\n"
    "                    (val_acc: the child is trained; synflow is its\n"
    "                    natural log; a NAME params, mult_adds, naswot or\n"
    "                    synflow implies its score), dataset, train, val,\n"
    "                    epochs,\n"
    "                    F, N, batch, lr, recal=on|off, threads; unset keys\n"
    "                    take the search proxy's defaults (fashion-mnist,\n"
    "                    10000, 5000, 1, 8, 1, 64, 0.05, on, 2).  Example:\n"
    "                    --fidelity full --fidelity small:train=2000,val=1000\n"
    "                    --fidelity naswot\n"
    "  --reference NAME  report against this fidelity (default: the first)\n"
    "  --top-k K         size of the top sets compared (5)\n"
    "  --bootstrap B     resamples of the 95% intervals (1000)\n"
    "  --no-train        only report what is stored (opens read-only)\n"
    "  --members         the table also lists every architecture's scores\n"
    "  --format F        table (default), json or csv\n"
    "  --svg FILE        also plot cheap against reference scores as SVG\n"
    "                    ('-': to standard output, instead of the report)\n";

#define CMD "fidelity"
#define MAX_ARGS 32 /* --fidelity and --from-search options per run */
/* RNG stream of the j-th random member: its own stream per draw, so a
 * panel extended from K to K' draws holds the same first K. */
#define FID_STREAM_RANDOM 0x66696400u

/* The one piece of global state: a signal handler can only reach a
 * global.  Set by SIGINT/SIGTERM, polled between and during children. */
static volatile sig_atomic_t fid_stop_signal;

static void fid_on_signal(int sig)
{
    fid_stop_signal = sig;
}
/* ---- computing one score ------------------------------------------------ */

typedef struct {
    int tty;
    const char *label; /* "[3/20] random:2 at small" */
} ProgressCtx;

static int fid_progress(const TrainProgress *p, void *vctx)
{
    const ProgressCtx *ctx = vctx;
    if (ctx->tty) {
        fprintf(stderr, "\r\033[K%s  ", ctx->label);
        if (p->evaluating)
            fputs("evaluating...", stderr);
        else
            fprintf(stderr, "step %lld/%lld  loss %.4f  acc %.3f  ETA %.0fs",
                    (long long)p->step, (long long)p->steps, p->loss,
                    p->train_acc, p->eta_s);
        fflush(stderr);
    }
    return fid_stop_signal != 0;
}

/* ---- the panel --------------------------------------------------------- */

typedef struct {
    const char *panel, *db, *reference, *svg;
    uint64_t seed;
    int seed_given;
    long random;   /* -1: not asked */
    int nasnet;
    const char *search[MAX_ARGS];
    int nsearch;
    const char *fidelity[MAX_ARGS];
    int nfid;
    long top_k, boot;
    int no_train, members;
    OutputFormat format;
} FidArgs;

typedef struct {
    StorePanel panel;
    StorePanelMember *mem;
    size_t nmem;
    StorePanelLevel *lev;
    size_t nlev;
    StorePanelResult *res;
    size_t nres;
} PanelRows;

static void panel_rows_free(PanelRows *p)
{
    free(p->mem);
    free(p->lev);
    free(p->res);
    p->mem = NULL;
    p->lev = NULL;
    p->res = NULL;
}

static NvStatus panel_rows_load(Store *st, int64_t id, PanelRows *p,
                                NvError *err)
{
    NvStatus r;
    panel_rows_free(p);
    if ((r = store_panel_members(st, id, &p->mem, &p->nmem, err)) ||
        (r = store_panel_levels(st, id, &p->lev, &p->nlev, err)) ||
        (r = store_panel_results(st, id, &p->res, &p->nres, err)))
        return r;
    return NV_OK;
}

static int has_hash(const PanelRows *p, const char *hash)
{
    for (size_t i = 0; i < p->nmem; i++)
        if (strcmp(p->mem[i].hash, hash) == 0)
            return 1;
    return 0;
}

static NvStatus add_member(Store *st, PanelRows *p, const Genotype *g,
                           const char *source, NvError *err)
{
    StorePanelMember m;
    memset(&m, 0, sizeof m);
    Genotype c = *g;
    geno_canonicalize(&c);
    geno_format(&c, m.genotype, sizeof m.genotype);
    geno_hash_hex(&c, m.hash);
    snprintf(m.source, sizeof m.source, "%s", source);
    NvStatus r = store_panel_add_member(st, p->panel.id, &m, NULL, err);
    if (r != NV_OK)
        return r;
    free(p->mem);
    p->mem = NULL;
    return store_panel_members(st, p->panel.id, &p->mem, &p->nmem, err);
}

/* add_from_search - the k best trained samples of search `arg` (NAME or
 * NAME:K) not in the panel yet. */
static NvStatus add_from_search(Store *st, PanelRows *p, const char *arg,
                                NvError *err)
{
    char name[STORE_NAME_MAX + 16];
    long k = 5;
    snprintf(name, sizeof name, "%s", arg);
    char *colon = strrchr(name, ':');
    if (colon && colon[1] &&
        strspn(colon + 1, "0123456789") == strlen(colon + 1)) {
        k = strtol(colon + 1, NULL, 10);
        *colon = '\0';
        if (k < 1 || k > 100000)
            return nv_error_set(err, NV_ERR_USAGE,
                                "--from-search %s: K is 1 to 100000", arg);
    }
    StoreSearch s;
    NvStatus r;
    if ((r = store_search_find(st, name, &s, err)))
        return r;
    StoreSampleQuery q = { STORE_ORDER_REWARD, 1, 0, NULL };
    StoreSample *rows = NULL;
    size_t n = 0;
    if ((r = store_samples(st, s.id, &q, &rows, &n, err)))
        return r;
    long added = 0;
    for (size_t i = 0; i < n && added < k && r == NV_OK; i++) {
        Genotype g;
        char source[STORE_NAME_MAX + 32];
        if (rows[i].status != SAMPLE_DONE || has_hash(p, rows[i].hash) ||
            geno_parse(rows[i].genotype, &g, err) != NV_OK)
            continue;
        snprintf(source, sizeof source, "search:%s:%d", s.name, rows[i].idx);
        r = add_member(st, p, &g, source, err);
        added++;
    }
    free(rows);
    return r;
}

/* panel_prepare - find or create the panel and append what args name. */
static int panel_prepare(Store *st, const FidArgs *a, PanelRows *p,
                         NvError *err)
{
    NvStatus r = store_panel_find(st, a->panel, &p->panel, err);
    if (r == NV_ERR_NOT_FOUND) {
        if (a->random < 0 && !a->nasnet && a->nsearch == 0)
            return cli_usage_error(CMD,
                                   "panel '%s' is new: name its architectures "
                                   "(--random K, --nasnet-a, --from-search S)",
                                   a->panel);
        if (a->nfid < 2)
            return cli_usage_error(CMD,
                                   "panel '%s' is new: give it at least two "
                                   "--fidelity (the first is the reference)",
                                   a->panel);
        int64_t id;
        if ((r = store_panel_create(st, a->panel, a->seed, &id, err)) ||
            (r = store_panel_find(st, a->panel, &p->panel, err)))
            return cli_fail(CMD, err);
    } else if (r) {
        return cli_fail(CMD, err);
    } else if (a->seed_given && a->seed != p->panel.seed) {
        return cli_usage_error(CMD,
                               "panel '%s' has seed %llu; --seed cannot change "
                               "it",
                               a->panel, (unsigned long long)p->panel.seed);
    }
    if ((r = panel_rows_load(st, p->panel.id, p, err)))
        return cli_fail(CMD, err);
    for (int i = 0; i < a->nfid; i++) {
        LevelSpec ls;
        int rc;
        if ((rc = fidlevel_parse_arg(a->fidelity[i], &ls)))
            return rc;
        StorePanelLevel lv;
        memset(&lv, 0, sizeof lv);
        snprintf(lv.name, sizeof lv.name, "%s", ls.name);
        snprintf(lv.score, sizeof lv.score, "%s", ls.score);
        fidlevel_format(&ls, lv.spec, sizeof lv.spec);
        const StorePanelLevel *old = NULL;
        for (size_t k = 0; k < p->nlev; k++)
            if (strcmp(p->lev[k].name, lv.name) == 0)
                old = &p->lev[k];
        if (old) {
            if (strcmp(old->score, lv.score) != 0 ||
                strcmp(old->spec, lv.spec) != 0)
                return cli_usage_error(CMD,
                                       "panel '%s' has a fidelity '%s' with "
                                       "other settings (%s: %s); name the new "
                                       "one differently",
                                       a->panel, lv.name, old->score,
                                       old->spec);
            continue;
        }
        if ((r = store_panel_add_level(st, p->panel.id, &lv, NULL, err)) ||
            (r = panel_rows_load(st, p->panel.id, p, err)))
            return cli_fail(CMD, err);
    }
    if (a->random >= 0) {
        long have = 0;
        for (size_t i = 0; i < p->nmem; i++)
            if (strncmp(p->mem[i].source, "random:", 7) == 0)
                have++;
        for (long j = have; j < a->random; j++) {
            Rng rng;
            Genotype g;
            char source[32];
            rng_seed(&rng, p->panel.seed, FID_STREAM_RANDOM + (uint64_t)j);
            geno_sample_uniform(&g, &rng);
            snprintf(source, sizeof source, "random:%ld", j);
            if ((r = add_member(st, p, &g, source, err)))
                return cli_fail(CMD, err);
        }
    }
    if (a->nasnet) {
        int have = 0;
        for (size_t i = 0; i < p->nmem; i++)
            have |= strcmp(p->mem[i].source, "nasnet-a") == 0;
        if (!have && (r = add_member(st, p, geno_nasnet_a(), "nasnet-a", err)))
            return cli_fail(CMD, err);
    }
    for (int i = 0; i < a->nsearch; i++)
        if ((r = add_from_search(st, p, a->search[i], err)))
            return cli_fail(CMD, err);
    if ((r = panel_rows_load(st, p->panel.id, p, err)))
        return cli_fail(CMD, err);
    return CLI_EXIT_OK;
}

static const StorePanelResult *find_result(const PanelRows *p, int m, int l)
{
    for (size_t i = 0; i < p->nres; i++)
        if (p->res[i].member_idx == m && p->res[i].level_idx == l)
            return &p->res[i];
    return NULL;
}

/* panel_train - compute every missing score, member by member.  Returns a
 * CLI exit status (128 + signal when stopped). */
static int panel_train(Store *st, PanelRows *p, NvError *err)
{
    size_t want = p->nmem * p->nlev, have = p->nres, done = 0;
    if (have >= want)
        return CLI_EXIT_OK;
    LevelSpec *spec = calloc(p->nlev, sizeof *spec);
    LevelData *data = calloc(p->nlev, sizeof *data);
    DataCache dc;
    int rc = CLI_EXIT_OK;
    memset(&dc, 0, sizeof dc);
    if (!spec || !data) {
        free(spec);
        free(data);
        nv_error_set(err, NV_ERR_NOMEM, "out of memory");
        return cli_fail(CMD, err);
    }
    for (size_t l = 0; l < p->nlev; l++) {
        char why[256];
        fidlevel_defaults(&spec[l]);
        snprintf(spec[l].name, sizeof spec[l].name, "%s", p->lev[l].name);
        snprintf(spec[l].score, sizeof spec[l].score, "%s", p->lev[l].score);
        if (fidlevel_parse_settings(&spec[l], p->lev[l].spec, why,
                                    sizeof why)) {
            nv_error_set(err, NV_ERR_DB, "fidelity '%s' has stored settings "
                                         "this nasview cannot read: %s",
                         p->lev[l].name, why);
            rc = cli_fail(CMD, err);
            goto out;
        }
    }
    struct sigaction sa, old_int, old_term;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = fid_on_signal;
    sigemptyset(&sa.sa_mask);
    fid_stop_signal = 0;
    sigaction(SIGINT, &sa, &old_int);
    sigaction(SIGTERM, &sa, &old_term);
    ProgressCtx pc = { isatty(STDERR_FILENO), NULL };
    for (size_t m = 0; m < p->nmem && rc == CLI_EXIT_OK; m++) {
        Genotype g;
        if (geno_parse(p->mem[m].genotype, &g, err) != NV_OK) {
            nv_error_prefix(err, "panel member %zu", m);
            rc = cli_fail(CMD, err);
            break;
        }
        for (size_t l = 0; l < p->nlev && rc == CLI_EXIT_OK; l++) {
            if (find_result(p, (int)m, (int)l))
                continue;
            char label[STORE_NAME_MAX + 160], src[STORE_NAME_MAX + 32],
                name[STORE_LEVEL_NAME_MAX];
            text_clean(p->mem[m].source, src, sizeof src);
            text_clean(p->lev[l].name, name, sizeof name);
            snprintf(label, sizeof label, "[%zu/%zu] %s at %s",
                     have + done + 1, want, src, name);
            pc.label = label;
            if (pc.tty) {
                fprintf(stderr, "\r\033[K%s", label);
                fflush(stderr);
            }
            StorePanelResult r;
            memset(&r, 0, sizeof r);
            r.member_idx = (int)m;
            r.level_idx = (int)l;
            int stopped = 0;
            NvStatus s =
                fidlevel_data(&dc, &spec[l], p->panel.seed, &data[l], err);
            if (s == NV_OK)
                s = fidlevel_compute(&g, &spec[l], &data[l], p->panel.seed,
                                     fid_progress, &pc, &r, &stopped, err);
            if (s == NV_OK && !stopped)
                s = store_panel_put_result(st, p->panel.id, &r, err);
            if (pc.tty)
                fputs("\r\033[K", stderr);
            if (s != NV_OK) {
                rc = cli_fail(CMD, err);
                break;
            }
            if (stopped || fid_stop_signal) {
                if (!stopped) {
                    /* the score was stored: report it before stopping */
                    done++;
                }
                fprintf(stderr,
                        "nasview fidelity: stopped by signal after %zu of "
                        "%zu scores; run the same command again to go on\n",
                        have + done, want);
                rc = 128 + (int)(fid_stop_signal ? fid_stop_signal : SIGINT);
                break;
            }
            done++;
            char sc[32];
            if (isinf(r.score))
                snprintf(sc, sizeof sc, "%s", r.score < 0 ? "-inf" : "inf");
            else
                snprintf(sc, sizeof sc, "%.6g", r.score);
            fprintf(stderr, "%s: %s %s%s (%.2f s)\n", label, p->lev[l].score,
                    sc, strcmp(r.status, "diverged") == 0 ? ", diverged" : "",
                    r.seconds);
        }
    }
    sigaction(SIGINT, &old_int, NULL);
    sigaction(SIGTERM, &old_term, NULL);
out:
    for (size_t l = 0; l < p->nlev; l++)
        fidlevel_data_free(&data[l]);
    fidlevel_cache_free(&dc);
    free(spec);
    free(data);
    return rc;
}

/* panel_report - the report of the stored rows on stdout (and the SVG). */
static int panel_report(const FidArgs *a, const PanelRows *p, NvError *err)
{
    size_t M = p->nmem, L = p->nlev, ref = 0;
    int rc = CLI_EXIT_OK;
    if (L == 0)
        return cli_usage_error(CMD, "panel '%s' has no fidelity yet "
                                    "(--fidelity)", a->panel);
    if (a->reference) {
        ref = L;
        for (size_t l = 0; l < L; l++)
            if (strcmp(p->lev[l].name, a->reference) == 0)
                ref = l;
        if (ref == L)
            return cli_usage_error(CMD, "panel '%s' has no fidelity '%s'",
                                   a->panel, a->reference);
    }
    double *score = malloc(2 * (M * L > 0 ? M * L : 1) * sizeof *score);
    FidelityMember *mem = calloc(M ? M : 1, sizeof *mem);
    FidelityLevel *lev = calloc(L, sizeof *lev);
    FidelityRow *rows = calloc(L, sizeof *rows);
    if (!score || !mem || !lev || !rows) {
        nv_error_set(err, NV_ERR_NOMEM, "out of memory");
        rc = cli_fail(CMD, err);
        goto out;
    }
    double *secs = score + M * L;
    for (size_t i = 0; i < M * L; i++)
        score[i] = secs[i] = NAN;
    for (size_t i = 0; i < p->nres; i++) {
        const StorePanelResult *r = &p->res[i];
        if ((size_t)r->member_idx >= M || (size_t)r->level_idx >= L)
            continue;
        size_t k = (size_t)r->member_idx * L + (size_t)r->level_idx;
        score[k] = r->score;
        secs[k] = isnan(r->score) ? NAN : r->seconds;
    }
    for (size_t i = 0; i < M; i++)
        mem[i] = (FidelityMember){ p->mem[i].source, p->mem[i].genotype };
    for (size_t l = 0; l < L; l++)
        lev[l] = (FidelityLevel){ p->lev[l].name, p->lev[l].score,
                                  p->lev[l].spec };
    FidelityInput in = { p->panel.name, p->panel.seed, M, L, mem, lev,
                         score, secs, ref, (size_t)a->top_k, (int)a->boot };
    if (fidelity_analyse(&in, rows, err) != NV_OK) {
        rc = cli_fail(CMD, err);
        goto out;
    }
    if (a->svg && strcmp(a->svg, "-") == 0) {
        /* the SVG is the whole of standard output */
        if (fidelity_svg_write(stdout, "standard output", &in, rows, err) !=
            NV_OK)
            rc = cli_fail(CMD, err);
        goto out;
    }
    if (a->svg) {
        OutFile o;
        NvStatus s = outfile_open(&o, a->svg, err);
        if (s == NV_OK)
            s = outfile_close(&o, fidelity_svg_write(o.f, a->svg, &in, rows,
                                                     err),
                              err);
        if (s != NV_OK) {
            rc = cli_fail(CMD, err);
            goto out;
        }
    }
    if (a->format == FORMAT_JSON)
        fidelity_print_json(stdout, &in, rows);
    else if (a->format == FORMAT_CSV)
        fidelity_print_csv(stdout, &in, rows);
    else
        fidelity_print_table(stdout, &in, rows, a->members);
out:
    free(score);
    free(mem);
    free(lev);
    free(rows);
    return rc;
}

/* add_search - one more --from-search. */
static int add_search(const char *cmd, const CliArg *arg, const char *val,
                      void *opts)
{
    FidArgs *a = opts;
    (void)arg;
    if (a->nsearch == MAX_ARGS)
        return cli_usage_error(cmd, "at most %d --from-search", MAX_ARGS);
    a->search[a->nsearch++] = val;
    return 0;
}

/* add_fidelity - one more --fidelity (read once all are in). */
static int add_fidelity(const char *cmd, const CliArg *arg, const char *val,
                        void *opts)
{
    FidArgs *a = opts;
    (void)arg;
    if (a->nfid == MAX_ARGS)
        return cli_usage_error(cmd, "at most %d --fidelity per run", MAX_ARGS);
    a->fidelity[a->nfid++] = val;
    return 0;
}

static const CliArg args[] = {
    { .name = "panel", .kind = CLI_ARG_STRING,
      .offset = offsetof(FidArgs, panel) },
    { .name = "db", .kind = CLI_ARG_STRING, .offset = offsetof(FidArgs, db) },
    { .name = "seed", .kind = CLI_ARG_U64, .offset = offsetof(FidArgs, seed),
      .seen = CLI_SEEN(FidArgs, seed_given) },
    { .name = "random", .kind = CLI_ARG_LONG,
      .offset = offsetof(FidArgs, random), .lo = 0, .hi = 100000 },
    { .name = "nasnet-a", .kind = CLI_ARG_FLAG,
      .offset = offsetof(FidArgs, nasnet) },
    { .name = "from-search", .kind = CLI_ARG_CUSTOM, .custom = add_search },
    { .name = "fidelity", .kind = CLI_ARG_CUSTOM, .custom = add_fidelity },
    { .name = "reference", .kind = CLI_ARG_STRING,
      .offset = offsetof(FidArgs, reference) },
    { .name = "top-k", .kind = CLI_ARG_LONG,
      .offset = offsetof(FidArgs, top_k), .lo = 1, .hi = 100000 },
    { .name = "bootstrap", .kind = CLI_ARG_LONG,
      .offset = offsetof(FidArgs, boot), .lo = 1, .hi = 1000000 },
    { .name = "no-train", .kind = CLI_ARG_FLAG,
      .offset = offsetof(FidArgs, no_train) },
    { .name = "members", .kind = CLI_ARG_FLAG,
      .offset = offsetof(FidArgs, members) },
    { .name = "format", .kind = CLI_ARG_FORMAT,
      .offset = offsetof(FidArgs, format), .formats = 7 },
    { .name = "svg", .kind = CLI_ARG_STRING, .offset = offsetof(FidArgs, svg) },
};

static const CliCommand command = { CMD, usage, args,
                                    sizeof args / sizeof args[0], 0 };

int cmd_fidelity(int argc, char **argv)
{
    FidArgs a;
    int first, rc;
    memset(&a, 0, sizeof a);
    a.seed = 1;
    a.random = -1;
    a.top_k = 5;
    a.boot = 1000;
    if ((rc = cli_args_parse(&command, argc, argv, &a, &first)))
        return rc == CLI_ARGS_HELP ? CLI_EXIT_OK : rc;
    if (!a.panel)
        return cli_usage_error(CMD, "missing --panel NAME");
    for (int i = 0; i < a.nfid; i++) {
        LevelSpec ls;
        if ((rc = fidlevel_parse_arg(a.fidelity[i], &ls)))
            return rc;
    }
    if (a.no_train && (a.nfid || a.random >= 0 || a.nasnet || a.nsearch))
        return cli_usage_error(CMD, "--no-train only reports: it takes no "
                                    "--fidelity, --random, --nasnet-a or "
                                    "--from-search");

    NvError err;
    char dbbuf[4096];
    nv_error_clear(&err);
    if (!a.db) {
        if (cli_default_db(dbbuf, sizeof dbbuf, !a.no_train, &err) != NV_OK)
            return cli_fail(CMD, &err);
        a.db = dbbuf;
    }
    if (a.svg && strcmp(a.svg, "-") != 0 &&
        outfile_check_not(a.svg, a.db, &err) != NV_OK)
        return cli_fail(CMD, &err);
    Store *st = NULL;
    if (store_open(a.db, a.no_train ? STORE_READ : STORE_WRITE, &st, &err) !=
        NV_OK)
        return cli_fail(CMD, &err);
    PanelRows p;
    memset(&p, 0, sizeof p);
    if (a.no_train) {
        if (store_panel_find(st, a.panel, &p.panel, &err) != NV_OK ||
            panel_rows_load(st, p.panel.id, &p, &err) != NV_OK)
            rc = cli_fail(CMD, &err);
        else
            rc = CLI_EXIT_OK;
    } else {
        rc = panel_prepare(st, &a, &p, &err);
        if (rc == CLI_EXIT_OK)
            rc = panel_train(st, &p, &err);
        if (rc == CLI_EXIT_OK &&
            panel_rows_load(st, p.panel.id, &p, &err) != NV_OK)
            rc = cli_fail(CMD, &err);
    }
    if (rc == CLI_EXIT_OK)
        rc = panel_report(&a, &p, &err);
    panel_rows_free(&p);
    store_close(st);
    fflush(stdout);
    return rc;
}
