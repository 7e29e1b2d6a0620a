/* fidelity_level.h - one fidelity of `nasview fidelity` (cmd_fidelity.c):
 * its settings, written NAME[:KEY=VALUE,...] on the command line and
 * stored in a canonical KEY=VALUE,... form with the panel; the datasets
 * it reads; and computing one architecture's score at it.  Training
 * always follows the settings parsed from the stored form, so a resumed
 * panel measures what it measured before. */
#ifndef NASVIEW_FIDELITY_LEVEL_H
#define NASVIEW_FIDELITY_LEVEL_H

#include <stddef.h>
#include <stdint.h>

#include "data/dataset.h"
#include "space/genotype.h"
#include "store/store_fidelity.h"
#include "train/train.h"
#include "base/nv_error.h"

/* Different datasets one run reads at most. */
#define MAX_DATASETS 8

/* A fidelity's settings (the search proxy's defaults where unset). */
typedef struct {
    char name[STORE_LEVEL_NAME_MAX];
    char score[16];    /* "val_acc", "params", "mult_adds", "naswot",
                          "synflow" (its natural logarithm) */
    char dataset[257]; /* a path; the stored spec must fit STORE_TEXT_MAX */
    long train, val, epochs, F, N, batch, threads;
    double lr;
    int recal;
} LevelSpec;

/* The full training part of one dataset, loaded once per run. */
typedef struct {
    char spec[1024];
    Dataset *full; /* owned */
} FullSet;

/* What one fidelity reads: its seeded split of the full dataset. */
typedef struct {
    int loaded;
    Dataset *train, *val; /* owned; NULL for params and mult_adds, val a
                             single image for naswot */
    const Dataset *full;  /* borrowed from the cache */
} LevelData;

typedef struct {
    FullSet full[MAX_DATASETS];
    int nfull;
} DataCache;

/* fidlevel_is_zero_cost - whether score is computed without training
 * (params, mult_adds, naswot, synflow). */
int fidlevel_is_zero_cost(const char *score);

/* fidlevel_defaults - ls with no name, score val_acc and the search
 * proxy's settings (SPEC.md section 3). */
void fidlevel_defaults(LevelSpec *ls);

/* fidlevel_parse_settings - apply "KEY=VALUE,..." (may be empty) to ls.
 * Returns 0, or -1 with the reason in why[n] (an unknown key, a value out
 * of range).  Parses both the command line's settings and stored ones. */
int fidlevel_parse_settings(LevelSpec *ls, const char *text, char *why,
                            size_t n);

/* fidlevel_format - the canonical settings of ls into buf[n]: only the
 * keys its score depends on, in a fixed order.  Two fidelities measure
 * the same thing exactly when score and this text are equal. */
void fidlevel_format(const LevelSpec *ls, char *buf, size_t n);

/* fidlevel_parse_arg - a --fidelity argument NAME[:SETTINGS] into *ls (a
 * NAME params, mult_adds, naswot or synflow implies that score).  Returns 0, or
 * prints a usage error and returns CLI_EXIT_USAGE. */
int fidlevel_parse_arg(const char *arg, LevelSpec *ls);

/* fidlevel_data - load what ls needs into ld once (ld->loaded set): the
 * dataset's training part through the cache dc, then the split drawn
 * from seed.  Errors of dataset_load and dataset_split. */
NvStatus fidlevel_data(DataCache *dc, const LevelSpec *ls, uint64_t seed,
                       LevelData *ld, NvError *err);

/* fidlevel_data_free - release ld's splits (not the cache's datasets);
 * ld is left empty.  fidlevel_cache_free - release the cache's. */
void fidlevel_data_free(LevelData *ld);
void fidlevel_cache_free(DataCache *dc);

/* fidlevel_compute - the score of g at ls, on ld, into r: status ("done"
 * or "diverged", score 0), score, seconds (wall time), params and
 * mult_adds.  Training uses seed for weights and batch order and reports
 * through progress(ctx) (its non-zero return stops training: *stopped is
 * then set and r must not be stored).  Errors of training or of building
 * the network. */
NvStatus fidlevel_compute(const Genotype *g, const LevelSpec *ls,
                          const LevelData *ld, uint64_t seed,
                          TrainProgressFn progress, void *ctx,
                          StorePanelResult *r, int *stopped, NvError *err);

/* The classes the chance check assumes (trust.h): every dataset nasview
 * names (Fashion-MNIST, CIFAR-10) has 10, and a search stores no count. */
#define FIDLEVEL_TRUST_CLASSES 10

/* fidlevel_of_search - the fidelity search s measures its rewards at:
 * score val_acc with its proxy settings for an accuracy search, its
 * zero-cost score at its F, N, train size and batch otherwise. */
void fidlevel_of_search(const StoreSearch *s, LevelSpec *ls);

/* fidlevel_trust - the warning line of trust.h for search s of st into
 * buf[n] ("" when none): its first rewards, and the tau its fidelity
 * measured against the default proxy (on s's dataset) in a stored panel.
 * Returns 1 when there is a warning; errors of reading st leave "". */
int fidlevel_trust(Store *st, const StoreSearch *s, char *buf, size_t n);

#endif
