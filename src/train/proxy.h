/* proxy.h - the settings of the proxy task a child is trained on (filters,
 * cells, epochs, batch, learning rate, subset sizes, threads), once: their
 * names on the command line and in fidelity specs, their ranges, defaults
 * and help.  Every command, the TUI's form and the fidelity specs take
 * their ranges from here, so a range cannot disagree with itself. */
#ifndef NASVIEW_PROXY_H
#define NASVIEW_PROXY_H

#include "base/nv_error.h"
#include "train/train.h"

typedef enum {
    PROXY_F = 0,
    PROXY_N,
    PROXY_EPOCHS,
    PROXY_BATCH,
    PROXY_LR,
    PROXY_TRAIN_SIZE,
    PROXY_VAL_SIZE,
    PROXY_THREADS,
    PROXY_SETTINGS /* how many */
} ProxyId;

typedef struct {
    const char *key;    /* in fidelity specs and JSON: "F", "train" */
    const char *option; /* on the command line: "--F", "--train-size" */
    int real;           /* a real number (else a whole number) */
    double lo, hi;      /* accepted values, both included */
    double def;         /* the search proxy's default (SPEC.md section 3) */
    const char *help;   /* one line */
} ProxySetting;

/* proxy_setting - the row of id (0 <= id < PROXY_SETTINGS).  Static. */
const ProxySetting *proxy_setting(ProxyId id);

/* proxy_find_key - the id whose key is key, or -1. */
int proxy_find_key(const char *key);

/* proxy_apply - store v as setting id into cfg (F, N, epochs, batch, lr,
 * threads), or into *train_size / *val_size (either may be NULL when the
 * caller has no such subset). */
void proxy_apply(ProxyId id, double v, TrainConfig *cfg, int64_t *train_size,
                 int64_t *val_size);

#endif
