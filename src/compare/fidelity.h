/* fidelity.h - the fidelity report of `nasview fidelity`: how well each
 * cheap score of a panel of architectures ranks them the way the
 * reference score does (Spearman rho and Kendall tau-b with bootstrap
 * intervals, top-k overlap) and what it costs per child, written as a
 * table, JSON, CSV or an SVG of scatter plots.  Pure: plain arrays in,
 * text out; nothing here trains or reads the database. */
#ifndef NASVIEW_FIDELITY_H
#define NASVIEW_FIDELITY_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "compare/rankcorr.h"
#include "base/nv_error.h"

/* One fidelity: strings borrowed from the caller. */
typedef struct {
    const char *name;  /* "full", "small", "naswot" */
    const char *score; /* what the number is: "val_acc", "params",
                          "mult_adds", "naswot" */
    const char *spec;  /* its settings, "dataset=D,train=N,..." */
} FidelityLevel;

/* One member of the panel: strings borrowed. */
typedef struct {
    const char *source;   /* "random:3", "nasnet-a", "search:NAME:IDX" */
    const char *genotype; /* canonical text */
} FidelityMember;

typedef struct {
    const char *panel;  /* its name */
    uint64_t seed;      /* the panel's seed; also seeds the bootstrap */
    size_t members, levels;
    const FidelityMember *member; /* [members] */
    const FidelityLevel *level;   /* [levels] */
    const double *score;   /* [members][levels]; NaN: no score (not yet
                              computed, or failed); -inf ranks lowest */
    const double *seconds; /* [members][levels]; NaN where score is */
    size_t ref;         /* the reference level, < levels */
    size_t top_k;       /* k of the top-k overlap (>= 1) */
    int reps;           /* bootstrap resamples (>= 1) */
} FidelityInput;

typedef struct {
    size_t results;    /* members with a score at this level */
    size_t n;          /* members with a score here and at the reference */
    RankInterval rho;  /* Spearman against the reference (not for ref) */
    RankInterval tau;  /* Kendall tau-b against the reference */
    size_t k, overlap; /* top-k sets: k used (top_k clipped to n), shared */
    double seconds;    /* mean seconds per child; NaN when no result */
    double cost_ratio; /* seconds / the reference's; NaN when unknown */
} FidelityRow;

/* fidelity_analyse - rows[in->levels] for in: every cheap level against
 * in->ref over the members scored at both (the reference row has only
 * results, n, seconds and cost_ratio 1).  Level l's bootstrap is seeded
 * from in->seed and l, so a report is the same every time it is made
 * from the same scores.  Allocates O(members); fails only with
 * NV_ERR_NOMEM. */
NvStatus fidelity_analyse(const FidelityInput *in, FidelityRow *rows,
                          NvError *err);

/* fidelity_print_table / _json / _csv - the report of in and its rows on
 * f.  The table has a header naming the panel and the reference, one line
 * per level and, with members set, the scores of every member; JSON is
 * one object on one line, with every member's scores; CSV has a header
 * line and one line per level.  Stored strings are printed safely
 * (base/text.h, base/jsonw.h). */
void fidelity_print_table(FILE *f, const FidelityInput *in,
                          const FidelityRow *rows, int members);
void fidelity_print_json(FILE *f, const FidelityInput *in,
                         const FidelityRow *rows);
void fidelity_print_csv(FILE *f, const FidelityInput *in,
                        const FidelityRow *rows);

/* fidelity_svg_write - scatter plots as an SVG document on f: for each
 * cheap level, its score (x) against the reference score (y) of every
 * member scored at both, titled with rho and tau.  NV_ERR_IO (naming
 * `what`) when f reports a write error. */
NvStatus fidelity_svg_write(FILE *f, const char *what, const FidelityInput *in,
                            const FidelityRow *rows, NvError *err);

#endif
