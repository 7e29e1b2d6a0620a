/* proxy.c - the proxy settings table (proxy.h). */
#include "config.h"

#include <string.h>

#include "nn/network.h"
#include "train/proxy.h"

/* Ranges: what the engine can build and train, not what fits in memory
 * (net_finish says when a child does not).  A batch of one image has no
 * batch statistics; training needs two images at least. */
static const ProxySetting settings[PROXY_SETTINGS] = {
    [PROXY_F] = { "F", "--F", 0, 1, 1024, 8, "filters of the first stack" },
    [PROXY_N] = { "N", "--N", 0, 1, 64, 1, "normal cells per stack" },
    [PROXY_EPOCHS] = { "epochs", "--epochs", 0, 1, 10000, 1,
                       "passes over the training subset" },
    [PROXY_BATCH] = { "batch", "--batch", 0, 2, 65536, 64,
                      "images per minibatch" },
    [PROXY_LR] = { "lr", "--lr", 1, 1e-9, 10, 0.05,
                   "initial learning rate, cosine-annealed to 0" },
    [PROXY_TRAIN_SIZE] = { "train", "--train-size", 0, 2, 100000000,
                           TRAIN_DEFAULT_TRAIN_SIZE,
                           "images in the training subset" },
    [PROXY_VAL_SIZE] = { "val", "--val-size", 0, 1, 100000000,
                         TRAIN_DEFAULT_VAL_SIZE,
                         "images in the validation subset" },
    [PROXY_THREADS] = { "threads", "--threads", 0, 1, NET_MAX_THREADS, 2,
                        "threads each child trains on" },
};

const ProxySetting *proxy_setting(ProxyId id)
{
    return (unsigned)id < PROXY_SETTINGS ? &settings[id] : NULL;
}

int proxy_find_key(const char *key)
{
    for (int i = 0; i < PROXY_SETTINGS; i++)
        if (key && strcmp(settings[i].key, key) == 0)
            return i;
    return -1;
}

void proxy_apply(ProxyId id, double v, TrainConfig *cfg, int64_t *train_size,
                 int64_t *val_size)
{
    switch (id) {
    case PROXY_F: cfg->F = (int)v; break;
    case PROXY_N: cfg->N = (int)v; break;
    case PROXY_EPOCHS: cfg->epochs = (int)v; break;
    case PROXY_BATCH: cfg->batch = (int)v; break;
    case PROXY_LR: cfg->lr = (float)v; break;
    case PROXY_THREADS: cfg->threads = (int)v; break;
    case PROXY_TRAIN_SIZE:
        if (train_size)
            *train_size = (int64_t)v;
        break;
    case PROXY_VAL_SIZE:
        if (val_size)
            *val_size = (int64_t)v;
        break;
    case PROXY_SETTINGS: break;
    }
}
