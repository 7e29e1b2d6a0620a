/* store_fidelity.h - fidelity panels in the database (tables of
 * db/migrations/005_fidelity.sql): the architectures of a panel, the
 * fidelities they are scored at, and one result per (member, fidelity).
 * Plain rows in and out, as the rest of store.h; what the numbers mean is
 * `nasview fidelity`'s business (cli/cmd_fidelity.c, compare/fidelity.h).
 *
 * Invariants:
 *  1. A result row is written in one transaction once its score is known;
 *     an interrupted run leaves no partial row, so what is missing is
 *     exactly what a run of the panel still has to compute.
 *  2. Members and levels are only appended (idx = the count before), never
 *     changed: results stay attached to what they measured. */
#ifndef NASVIEW_STORE_FIDELITY_H
#define NASVIEW_STORE_FIDELITY_H

#include "store/store.h"

#define STORE_LEVEL_NAME_MAX 64

typedef struct {
    int64_t id;
    char name[STORE_NAME_MAX];
    uint64_t seed;
    int64_t created, updated; /* unix seconds */
    char version[32];
} StorePanel;

typedef struct {
    int idx;
    char source[STORE_NAME_MAX + 32]; /* "random:J", "nasnet-a",
                                         "search:NAME:IDX" */
    char genotype[GENO_TEXT_MAX];     /* canonical text */
    char hash[17];
} StorePanelMember;

typedef struct {
    int idx;
    char name[STORE_LEVEL_NAME_MAX];
    char score[16];             /* "val_acc", "params", "mult_adds", "naswot",
                                   "synflow" */
    char spec[STORE_TEXT_MAX];  /* every setting, "dataset=D,train=N,..." */
} StorePanelLevel;

typedef struct {
    int member_idx, level_idx;
    char status[12];   /* "done", "diverged", "failed" */
    double score;      /* NaN when failed; NASWOT may be -inf */
    double seconds;
    int64_t params, mult_adds; /* -1 when unknown */
    char message[STORE_TEXT_MAX];
} StorePanelResult;

/* store_panel_find - the panel named name into *out; NV_ERR_NOT_FOUND
 * (message naming it) when there is none. */
NvStatus store_panel_find(Store *s, const char *name, StorePanel *out,
                          NvError *err);

/* store_panel_list - every panel, by id.  *out malloc'ed (NULL when 0),
 * owned by the caller (free). */
NvStatus store_panel_list(Store *s, StorePanel **out, size_t *n,
                          NvError *err);

/* store_panel_create - a new, empty panel (STORE_WRITE).  The name obeys
 * store_name_check; a name in use fails with NV_ERR_USAGE.  *id gets the
 * new id. */
NvStatus store_panel_create(Store *s, const char *name, uint64_t seed,
                            int64_t *id, NvError *err);

/* store_panel_members / store_panel_levels / store_panel_results - the
 * rows of panel id, by idx (results by member then level).  *out is
 * malloc'ed (NULL when 0) and owned by the caller (free). */
NvStatus store_panel_members(Store *s, int64_t id, StorePanelMember **out,
                             size_t *n, NvError *err);
NvStatus store_panel_levels(Store *s, int64_t id, StorePanelLevel **out,
                            size_t *n, NvError *err);
NvStatus store_panel_results(Store *s, int64_t id, StorePanelResult **out,
                             size_t *n, NvError *err);

/* store_panel_add_member / store_panel_add_level - append a row to panel
 * id (STORE_WRITE); its idx is the number of rows before it (in->idx is
 * ignored) and comes back in *idx when not NULL.  A level whose name the
 * panel has already fails with NV_ERR_USAGE. */
NvStatus store_panel_add_member(Store *s, int64_t id,
                                const StorePanelMember *in, int *idx,
                                NvError *err);
NvStatus store_panel_add_level(Store *s, int64_t id,
                               const StorePanelLevel *in, int *idx,
                               NvError *err);

/* store_panel_put_result - write (or replace) one result of panel id and
 * touch the panel's updated time, in one transaction (invariant 1). */
NvStatus store_panel_put_result(Store *s, int64_t id,
                                const StorePanelResult *r, NvError *err);

#endif
