/* dataset.c - load Fashion-MNIST / IDX directories and CIFAR-10 binary
 * batches into a Dataset, split it, and serve normalised batches (see
 * dataset.h).  File formats are read by idx.c; this module finds the files,
 * checks that images, labels, training and test parts agree, and computes
 * the training part's per-channel statistics.  It does not augment, shuffle
 * epochs or know about networks. */
#include "config.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "data/dataset.h"
#include "data/idx.h"
#include "base/rng.h"

#define DATASET_PATH_MAX 4096

/* CIFAR-10 binary format: each record is 1 label byte and 3x32x32 pixel
 * bytes, channel planes R, G, B (https://www.cs.toronto.edu/~kriz/cifar.html) */
#define CIFAR_SIDE 32
#define CIFAR_CHANNELS 3
#define CIFAR_PIXELS (CIFAR_CHANNELS * CIFAR_SIDE * CIFAR_SIDE)
#define CIFAR_RECORD (1 + CIFAR_PIXELS)
#define CIFAR_CLASSES 10
#define CIFAR_TRAIN_FILES 5

static const char INSTALL_HINT[] =
    "install the Debian package dataset-fashion-mnist "
    "(apt-get install dataset-fashion-mnist)";

static Dataset *dataset_alloc(const char *name)
{
    Dataset *d = calloc(1, sizeof *d);
    if (d)
        snprintf(d->name, sizeof d->name, "%s", name);
    return d;
}

void dataset_free(Dataset *d)
{
    if (!d)
        return;
    free(d->pixels);
    free(d->labels);
    free(d);
}

/* stats_compute - per-channel mean and (population) standard deviation of
 * pixels [n][c][plane] on the [0,1] scale, exactly, from byte histograms.
 * A constant channel gets std 1 so normalising never divides by zero. */
static void stats_compute(const uint8_t *pixels, int64_t n, int c,
                          size_t plane, float mean[3], float std[3])
{
    /* four interleaved histograms per channel: runs of equal bytes (the
     * black background of Fashion-MNIST) would otherwise serialise on one
     * counter */
    uint64_t hist[3][4][256];
    memset(hist, 0, sizeof hist);
    for (int64_t i = 0; i < n; i++)
        for (int ch = 0; ch < c; ch++) {
            const uint8_t *p = pixels + ((size_t)i * (size_t)c + (size_t)ch) * plane;
            uint64_t (*h)[256] = hist[ch];
            size_t k = 0;
            for (; k + 4 <= plane; k += 4) {
                h[0][p[k]]++;
                h[1][p[k + 1]]++;
                h[2][p[k + 2]]++;
                h[3][p[k + 3]]++;
            }
            for (; k < plane; k++)
                h[0][p[k]]++;
        }
    for (int ch = 0; ch < c; ch++)
        for (int v = 0; v < 256; v++)
            hist[ch][0][v] += hist[ch][1][v] + hist[ch][2][v] + hist[ch][3][v];
    for (int ch = 0; ch < 3; ch++) {
        if (ch >= c) {
            mean[ch] = 0.0f;
            std[ch] = 1.0f;
            continue;
        }
        uint64_t s1 = 0, s2 = 0, cnt = 0;
        for (uint64_t v = 0; v < 256; v++) {
            cnt += hist[ch][0][v];
            s1 += v * hist[ch][0][v];
            s2 += v * v * hist[ch][0][v];
        }
        double m = (double)s1 / (double)cnt / 255.0;
        double var = (double)s2 / (double)cnt / (255.0 * 255.0) - m * m;
        double sd = var > 0 ? sqrt(var) : 0.0;
        mean[ch] = (float)m;
        std[ch] = sd > 1e-6 ? (float)sd : 1.0f;
    }
}

/* ---- IDX directories ------------------------------------------------ */

/* find_file - dir/base.gz or dir/base, whichever exists (.gz first).
 * Returns 1 and the path in buf when found, 0 otherwise. */
static int find_file(const char *dir, const char *base, char *buf, size_t cap)
{
    struct stat st;
    snprintf(buf, cap, "%s/%s.gz", dir, base);
    if (stat(buf, &st) == 0 && !S_ISDIR(st.st_mode))
        return 1;
    snprintf(buf, cap, "%s/%s", dir, base);
    return stat(buf, &st) == 0 && !S_ISDIR(st.st_mode);
}

static NvStatus need_file(const char *dir, const char *base, int is_default,
                          char *buf, size_t cap, NvError *err)
{
    if (find_file(dir, base, buf, cap))
        return NV_OK;
    return nv_error_set(err, NV_ERR_NOT_FOUND,
                        "%s: neither %s.gz nor %s found (an IDX dataset "
                        "directory holds {train,t10k}-{images-idx3,labels-"
                        "idx1}-ubyte, optionally gzipped)%s%s", dir, base,
                        base, is_default ? "; " : "",
                        is_default ? INSTALL_HINT : "");
}

/* check_images - the file at path (header in a) holds images, not labels. */
static NvStatus check_images(const char *path, const IdxArray *a, NvError *err)
{
    if (a->magic == IDX_MAGIC_LABELS)
        return nv_error_set(err, NV_ERR_FORMAT,
                            "%s: holds labels (magic 0x%08x) where images "
                            "were expected", path, (unsigned)a->magic);
    return NV_OK;
}

/* check_pair - the images file holds images, the labels file labels, and
 * both count the same examples. */
static NvStatus check_pair(const char *ipath, const IdxArray *im,
                           const char *lpath, const IdxArray *lb, NvError *err)
{
    NvStatus st = check_images(ipath, im, err);
    if (st != NV_OK)
        return st;
    if (lb->magic != IDX_MAGIC_LABELS)
        return nv_error_set(err, NV_ERR_FORMAT,
                            "%s: holds images (magic 0x%08x) where labels "
                            "were expected", lpath, (unsigned)lb->magic);
    if (im->n != lb->n)
        return nv_error_set(err, NV_ERR_FORMAT,
                            "%s: holds %lld labels but %s holds %lld images "
                            "(the counts must match)", lpath,
                            (long long)lb->n, ipath, (long long)im->n);
    return NV_OK;
}

static NvStatus check_shape(const char *path, const IdxArray *a,
                            const char *train_path, const IdxArray *t,
                            NvError *err)
{
    if (a->c == t->c && a->h == t->h && a->w == t->w)
        return NV_OK;
    return nv_error_set(err, NV_ERR_FORMAT,
                        "%s: images are %dx%dx%d but the training images "
                        "(%s) are %dx%dx%d (the shapes must match)", path,
                        a->c, a->h, a->w, train_path, t->c, t->h, t->w);
}

/* read_pair - read and cross-check the images and labels of one part. */
static NvStatus read_pair(const char *dir, const char *prefix, int is_default,
                          char *ipath, char *lpath, IdxArray *im,
                          IdxArray *lb, NvError *err)
{
    char base[64];
    NvStatus st;

    memset(im, 0, sizeof *im);
    memset(lb, 0, sizeof *lb);
    snprintf(base, sizeof base, "%s-images-idx3-ubyte", prefix);
    if ((st = need_file(dir, base, is_default, ipath, DATASET_PATH_MAX,
                        err)) != NV_OK)
        return st;
    snprintf(base, sizeof base, "%s-labels-idx1-ubyte", prefix);
    if ((st = need_file(dir, base, is_default, lpath, DATASET_PATH_MAX,
                        err)) != NV_OK)
        return st;
    /* the images header first: a bad header or a mismatch is reported
     * before 47 MB are inflated */
    if ((st = idx_read_header_file(ipath, im, err)) != NV_OK ||
        (st = check_images(ipath, im, err)) != NV_OK)
        return st;
    if ((st = idx_read_file(lpath, lb, err)) != NV_OK ||
        (st = check_pair(ipath, im, lpath, lb, err)) != NV_OK ||
        (st = idx_read_file(ipath, im, err)) != NV_OK ||
        (st = check_pair(ipath, im, lpath, lb, err)) != NV_OK) {
        idx_array_free(im);
        idx_array_free(lb);
        return st;
    }
    return NV_OK;
}

/* check_test_headers - when loading the training part, the test files (if
 * present) must agree in shape and count; only their headers are read. */
static NvStatus check_test_headers(const char *dir, const char *train_ipath,
                                   const IdxArray *train_im, NvError *err)
{
    char ipath[DATASET_PATH_MAX], lpath[DATASET_PATH_MAX];
    IdxArray im, lb;
    NvStatus st;

    if (!find_file(dir, "t10k-images-idx3-ubyte", ipath, sizeof ipath))
        return NV_OK;
    if ((st = idx_read_header_file(ipath, &im, err)) != NV_OK ||
        (st = check_images(ipath, &im, err)) != NV_OK)
        return st;
    if ((st = check_shape(ipath, &im, train_ipath, train_im, err)) != NV_OK)
        return st;
    if (!find_file(dir, "t10k-labels-idx1-ubyte", lpath, sizeof lpath))
        return NV_OK;
    if ((st = idx_read_header_file(lpath, &lb, err)) != NV_OK)
        return st;
    return check_pair(ipath, &im, lpath, &lb, err);
}

static int max_label(const uint8_t *labels, int64_t n)
{
    int m = 0;
    for (int64_t i = 0; i < n; i++)
        if (labels[i] > m)
            m = labels[i];
    return m;
}

static NvStatus load_idx_dir(const char *dir, const char *name,
                             int is_default, DatasetPart part, Dataset **out,
                             NvError *err)
{
    char tip[DATASET_PATH_MAX], tlp[DATASET_PATH_MAX];
    char ip[DATASET_PATH_MAX], lp[DATASET_PATH_MAX];
    IdxArray tim, tlb, im, lb;
    struct stat sb;
    NvStatus st;
    Dataset *d;

    if (stat(dir, &sb) != 0) {
        if (is_default)
            return nv_error_set(err, NV_ERR_NOT_FOUND,
                                "Fashion-MNIST not found in %s: %s", dir,
                                INSTALL_HINT);
        if (errno == ENOENT && strcmp(dir, "cifar10") == 0)
            return nv_error_set(err, NV_ERR_USAGE,
                                "cifar10: say where the CIFAR-10 binary "
                                "batches are: --dataset cifar10:DIR (the "
                                "directory holding data_batch_1.bin ...)");
        return nv_error_set(err, NV_ERR_NOT_FOUND, "%s: %s", dir,
                            errno == ENOENT ? "no such directory"
                                            : strerror(errno));
    }
    if (!S_ISDIR(sb.st_mode))
        return nv_error_set(err, NV_ERR_USAGE,
                            "%s: not a directory (--dataset takes "
                            "fashion-mnist, cifar10:DIR or a directory of "
                            "IDX files)", dir);

    /* The training part is always read: its statistics normalise both. */
    if ((st = read_pair(dir, "train", is_default, tip, tlp, &tim, &tlb,
                        err)) != NV_OK)
        return st;
    d = dataset_alloc(name);
    if (!d) {
        idx_array_free(&tim);
        idx_array_free(&tlb);
        return nv_error_set(err, NV_ERR_NOMEM, "out of memory");
    }
    stats_compute(tim.data, tim.n, tim.c, (size_t)tim.h * (size_t)tim.w,
                  d->mean, d->std);
    d->classes = max_label(tlb.data, tlb.n) + 1;
    if (d->classes < 2)
        d->classes = 2;
    d->c = tim.c;
    d->h = tim.h;
    d->w = tim.w;

    if (part == DATASET_TRAIN) {
        if ((st = check_test_headers(dir, tip, &tim, err)) != NV_OK) {
            idx_array_free(&tim);
            idx_array_free(&tlb);
            dataset_free(d);
            return st;
        }
        d->n = tim.n;
        d->pixels = tim.data;
        d->labels = tlb.data;
        *out = d;
        return NV_OK;
    }

    idx_array_free(&tlb);
    st = read_pair(dir, "t10k", is_default, ip, lp, &im, &lb, err);
    if (st == NV_OK)
        st = check_shape(ip, &im, tip, &tim, err);
    idx_array_free(&tim);
    if (st == NV_OK)
        for (int64_t i = 0; i < lb.n; i++)
            if (lb.data[i] >= d->classes) {
                st = nv_error_set(err, NV_ERR_FORMAT,
                                  "%s: label %d of example %lld is not a "
                                  "class of the training part (0..%d)", lp,
                                  lb.data[i], (long long)i, d->classes - 1);
                break;
            }
    if (st != NV_OK) {
        idx_array_free(&im);
        idx_array_free(&lb);
        dataset_free(d);
        return st;
    }
    d->n = im.n;
    d->pixels = im.data;
    d->labels = lb.data;
    *out = d;
    return NV_OK;
}

/* ---- CIFAR-10 binary batches ----------------------------------------- */

/* cifar_append - read one batch file and append its records to
 * *pixels and *labels (grown with realloc), *n counting the examples. */
static NvStatus cifar_append(const char *path, uint8_t **pixels,
                             uint8_t **labels, int64_t *n, NvError *err)
{
    uint8_t *buf, *p;
    size_t len;
    NvStatus st;

    if ((st = idx_slurp(path, IDX_MAX_BYTES, &buf, &len, err)) != NV_OK)
        return st;
    if (len % CIFAR_RECORD != 0) {
        free(buf);
        return nv_error_set(err, NV_ERR_FORMAT,
                            "%s: wrong size: %zu bytes is not a whole number "
                            "of %d-byte records (1 label byte + 3x32x32 "
                            "pixel bytes); the file is truncated or not a "
                            "CIFAR-10 batch", path, len, CIFAR_RECORD);
    }
    int64_t k = (int64_t)(len / CIFAR_RECORD);
    if (*n + k > (int64_t)IDX_MAX_N) {
        free(buf);
        return nv_error_set(err, NV_ERR_FORMAT,
                            "%s: too many records (more than %u in all)",
                            path, IDX_MAX_N);
    }
    for (int64_t i = 0; i < k; i++)
        if (buf[(size_t)i * CIFAR_RECORD] >= CIFAR_CLASSES) {
            int bad = buf[(size_t)i * CIFAR_RECORD];
            free(buf);
            return nv_error_set(err, NV_ERR_FORMAT,
                                "%s: record %lld has label %d; CIFAR-10 "
                                "labels are 0..%d (is this a CIFAR-100 or "
                                "foreign file?)", path, (long long)i, bad,
                                CIFAR_CLASSES - 1);
        }
    p = realloc(*pixels, (size_t)(*n + k) * CIFAR_PIXELS);
    if (p)
        *pixels = p;
    uint8_t *q = p ? realloc(*labels, (size_t)(*n + k)) : NULL;
    if (q)
        *labels = q;
    if (!p || !q) {
        free(buf);
        return nv_error_set(err, NV_ERR_NOMEM, "%s: out of memory", path);
    }
    for (int64_t i = 0; i < k; i++) {
        const uint8_t *rec = buf + (size_t)i * CIFAR_RECORD;
        (*labels)[*n + i] = rec[0];
        memcpy(*pixels + (size_t)(*n + i) * CIFAR_PIXELS, rec + 1,
               CIFAR_PIXELS);
    }
    *n += k;
    free(buf);
    return NV_OK;
}

static NvStatus cifar_read_part(const char *dir, DatasetPart part,
                                uint8_t **pixels, uint8_t **labels,
                                int64_t *n, NvError *err)
{
    char path[DATASET_PATH_MAX];
    NvStatus st = NV_OK;
    int files = part == DATASET_TRAIN ? CIFAR_TRAIN_FILES : 1;

    *pixels = NULL;
    *labels = NULL;
    *n = 0;
    for (int f = 0; f < files && st == NV_OK; f++) {
        if (part == DATASET_TRAIN)
            snprintf(path, sizeof path, "%s/data_batch_%d.bin", dir, f + 1);
        else
            snprintf(path, sizeof path, "%s/test_batch.bin", dir);
        st = cifar_append(path, pixels, labels, n, err);
        if (st == NV_ERR_NOT_FOUND)
            nv_error_prefix(err, "CIFAR-10 in %s needs data_batch_1.bin .. "
                            "data_batch_5.bin and test_batch.bin (the binary "
                            "version)", dir);
    }
    if (st != NV_OK) {
        free(*pixels);
        free(*labels);
        *pixels = *labels = NULL;
        *n = 0;
    }
    return st;
}

static NvStatus load_cifar(const char *dir, DatasetPart part, Dataset **out,
                           NvError *err)
{
    uint8_t *px, *lb;
    int64_t n;
    struct stat sb;
    NvStatus st;
    Dataset *d;

    if (!*dir)
        return nv_error_set(err, NV_ERR_USAGE,
                            "cifar10: needs a directory (cifar10:DIR)");
    if (stat(dir, &sb) != 0)
        return nv_error_set(err, NV_ERR_NOT_FOUND,
                            "%s: %s (cifar10:DIR names the directory of the "
                            "CIFAR-10 binary batches)", dir,
                            errno == ENOENT ? "no such directory"
                                            : strerror(errno));
    if (!S_ISDIR(sb.st_mode))
        return nv_error_set(err, NV_ERR_USAGE,
                            "%s: not a directory (cifar10:DIR names the "
                            "directory of the CIFAR-10 binary batches)", dir);
    if ((st = cifar_read_part(dir, DATASET_TRAIN, &px, &lb, &n, err)) != NV_OK)
        return st;
    d = dataset_alloc("cifar10");
    if (!d) {
        free(px);
        free(lb);
        return nv_error_set(err, NV_ERR_NOMEM, "out of memory");
    }
    stats_compute(px, n, CIFAR_CHANNELS, CIFAR_SIDE * CIFAR_SIDE, d->mean,
                  d->std);
    d->c = CIFAR_CHANNELS;
    d->h = d->w = CIFAR_SIDE;
    d->classes = CIFAR_CLASSES;
    if (part == DATASET_TEST) {
        free(px);
        free(lb);
        if ((st = cifar_read_part(dir, DATASET_TEST, &px, &lb, &n, err)) !=
            NV_OK) {
            dataset_free(d);
            return st;
        }
    }
    d->n = n;
    d->pixels = px;
    d->labels = lb;
    *out = d;
    return NV_OK;
}

/* ---- the public entry points ------------------------------------------ */

NvStatus dataset_load(const char *spec, DatasetPart part, Dataset **out,
                      NvError *err)
{
    char dir[DATASET_PATH_MAX], name[64];
    size_t len;

    *out = NULL;
    if (!spec || !*spec)
        return nv_error_set(err, NV_ERR_USAGE,
                            "empty dataset: use fashion-mnist, cifar10:DIR "
                            "or a directory of IDX files");
    if (part != DATASET_TRAIN && part != DATASET_TEST)
        return nv_error_set(err, NV_ERR_USAGE, "unknown dataset part %d",
                            (int)part);
    if (strcmp(spec, "fashion-mnist") == 0)
        return load_idx_dir(DATASET_FASHION_MNIST_DIR, "fashion-mnist", 1,
                            part, out, err);
    if (strncmp(spec, "cifar10:", 8) == 0)
        return load_cifar(spec + 8, part, out, err);

    /* a directory of IDX files: named after its last path component */
    len = strlen(spec);
    if (len >= sizeof dir)
        return nv_error_set(err, NV_ERR_USAGE, "dataset path too long");
    memcpy(dir, spec, len + 1);
    while (len > 1 && dir[len - 1] == '/')
        dir[--len] = '\0';
    const char *slash = strrchr(dir, '/');
    snprintf(name, sizeof name, "%s", slash && slash[1] ? slash + 1 : dir);
    return load_idx_dir(dir, name, 0, part, out, err);
}

/* subset_copy - a new Dataset of full's examples idx[0..n). */
static Dataset *subset_copy(const Dataset *full, const int32_t *idx,
                            int64_t n)
{
    size_t img = (size_t)full->c * (size_t)full->h * (size_t)full->w;
    Dataset *d = dataset_alloc(full->name);
    if (!d)
        return NULL;
    d->n = n;
    d->c = full->c;
    d->h = full->h;
    d->w = full->w;
    d->classes = full->classes;
    memcpy(d->mean, full->mean, sizeof d->mean);
    memcpy(d->std, full->std, sizeof d->std);
    d->pixels = malloc(n ? (size_t)n * img : 1);
    d->labels = malloc(n ? (size_t)n : 1);
    if (!d->pixels || !d->labels) {
        dataset_free(d);
        return NULL;
    }
    for (int64_t i = 0; i < n; i++) {
        memcpy(d->pixels + (size_t)i * img, full->pixels + (size_t)idx[i] * img,
               img);
        d->labels[i] = full->labels[idx[i]];
    }
    return d;
}

NvStatus dataset_split(const Dataset *full, int64_t train_n, int64_t val_n,
                       uint64_t seed, Dataset **train, Dataset **val,
                       NvError *err)
{
    Rng r;
    int32_t *perm;

    *train = *val = NULL;
    /* train_n > n - val_n, not train_n + val_n > n: the sum of two
     * user-given sizes may overflow */
    if (train_n < 0 || val_n < 0 || val_n > full->n ||
        train_n > full->n - val_n)
        return nv_error_set(err, NV_ERR_USAGE,
                            "cannot take %lld training and %lld validation "
                            "images from %s: its training part has only "
                            "%lld (reduce --train-size or --val-size)",
                            (long long)train_n, (long long)val_n, full->name,
                            (long long)full->n);
    perm = malloc((size_t)(full->n ? full->n : 1) * sizeof *perm);
    if (!perm)
        return nv_error_set(err, NV_ERR_NOMEM, "out of memory");
    for (int64_t i = 0; i < full->n; i++)
        perm[i] = (int32_t)i;
    rng_seed(&r, seed, 1);
    rng_shuffle(&r, perm, full->n);
    *train = subset_copy(full, perm, train_n);
    *val = *train ? subset_copy(full, perm + train_n, val_n) : NULL;
    free(perm);
    if (!*train || !*val) {
        dataset_free(*train);
        *train = NULL;
        return nv_error_set(err, NV_ERR_NOMEM, "out of memory");
    }
    return NV_OK;
}

void dataset_batch(const Dataset *d, const int32_t *idx, int n, float *out,
                   uint8_t *labels)
{
    /* One lookup table per channel, built per call on the stack: 256*c
     * multiply-adds, a few percent of even a one-image batch. */
    float lut[3][256];
    const int c = d->c;
    const size_t plane = (size_t)d->h * (size_t)d->w;
    const size_t img = (size_t)c * plane;

    for (int ch = 0; ch < c; ch++) {
        const float inv = 1.0f / d->std[ch], m = d->mean[ch];
        for (int v = 0; v < 256; v++)
            lut[ch][v] = ((float)v * (1.0f / 255.0f) - m) * inv;
    }
    for (int i = 0; i < n; i++) {
        const uint8_t *src = d->pixels + (size_t)idx[i] * img;
        float *dst = out + (size_t)i * img;
        for (int ch = 0; ch < c; ch++) {
            const float *t = lut[ch];
            const uint8_t *s = src + (size_t)ch * plane;
            float *o = dst + (size_t)ch * plane;
            for (size_t k = 0; k < plane; k++)
                o[k] = t[s[k]];
        }
        if (labels)
            labels[i] = d->labels[idx[i]];
    }
}
