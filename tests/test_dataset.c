/* test_dataset.c - loading real datasets, normalisation, the seeded split
 * and batches: the real Fashion-MNIST of the Debian package, and tiny IDX
 * sets written by tests/mkdataset.py (one and three channels). */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "data/dataset.h"

/* stats_naive - mean and population std of channel ch, straight from the
 * definition, in double. */
static void stats_naive(const Dataset *d, int ch, double *mean, double *sd)
{
    size_t plane = (size_t)d->h * (size_t)d->w;
    double s1 = 0, s2 = 0, cnt = 0;
    for (int64_t i = 0; i < d->n; i++) {
        const uint8_t *p = d->pixels + ((size_t)i * (size_t)d->c + (size_t)ch) * plane;
        for (size_t k = 0; k < plane; k++) {
            double v = p[k] / 255.0;
            s1 += v;
            s2 += v * v;
            cnt++;
        }
    }
    *mean = s1 / cnt;
    *sd = sqrt(s2 / cnt - *mean * *mean);
}

/* check_batch - dataset_batch gives (pixel/255 - mean)/std and the labels
 * of the requested examples, and writes exactly n images. */
static void check_batch(const Dataset *d, const int32_t *idx, int n)
{
    size_t img = (size_t)d->c * (size_t)d->h * (size_t)d->w;
    size_t total = (size_t)n * img;
    float *out = malloc((total + 1) * sizeof *out);
    uint8_t labels[16];
    out[total] = 12345.0f; /* sentinel: nothing past n images */
    dataset_batch(d, idx, n, out, labels);
    int bad = 0;
    for (int i = 0; i < n; i++) {
        CHECK(labels[i] == d->labels[idx[i]], "label of batch item %d", i);
        for (size_t k = 0; k < img; k++) {
            int ch = (int)(k / ((size_t)d->h * (size_t)d->w));
            double want = (d->pixels[(size_t)idx[i] * img + k] / 255.0 -
                           d->mean[ch]) / d->std[ch];
            if (fabs(out[(size_t)i * img + k] - want) > 1e-5 && bad++ < 3)
                CHECK(0, "batch item %d value %zu: %g, want %g", i, k,
                      (double)out[(size_t)i * img + k], want);
        }
    }
    CHECK(out[total] == 12345.0f, "dataset_batch wrote past the batch");
    dataset_batch(d, idx, n, out, NULL); /* labels may be NULL */
    free(out);
}

static void test_fashion_mnist(void)
{
    Dataset *tr = NULL, *te = NULL;
    NvError err;

    nv_error_clear(&err);
    if (dataset_load("fashion-mnist", DATASET_TRAIN, &tr, &err) != NV_OK) {
        CHECK(0, "fashion-mnist train: %s", err.msg);
        return;
    }
    CHECK(tr->n == 60000, "train n %lld", (long long)tr->n);
    CHECK(tr->c == 1 && tr->h == 28 && tr->w == 28, "shape %dx%dx%d", tr->c,
          tr->h, tr->w);
    CHECK(tr->classes == 10, "classes %d", tr->classes);
    CHECK(strcmp(tr->name, "fashion-mnist") == 0, "name %s", tr->name);
    CHECK(fabsf(tr->mean[0] - 0.2860f) < 5e-4f, "mean %f", (double)tr->mean[0]);
    CHECK(fabsf(tr->std[0] - 0.3530f) < 5e-4f, "std %f", (double)tr->std[0]);
    CHECK(tr->labels[0] == 9, "first train label %d (Ankle boot is 9)",
          tr->labels[0]);
    double m, s;
    stats_naive(tr, 0, &m, &s);
    CHECK(fabs(m - tr->mean[0]) < 1e-6 && fabs(s - tr->std[0]) < 1e-6,
          "stats %f %f vs naive %f %f", (double)tr->mean[0],
          (double)tr->std[0], m, s);
    int count[256] = {0};
    for (int64_t i = 0; i < tr->n; i++)
        count[tr->labels[i]]++;
    for (int k = 0; k < 10; k++)
        CHECK(count[k] == 6000, "class %d has %d training images", k,
              count[k]);

    int32_t idx[4] = {0, 59999, 12345, 0};
    check_batch(tr, idx, 4);

    /* normalised training data: mean 0, std 1 over all of it */
    enum { B = 1000 };
    float *buf = malloc((size_t)B * 784 * sizeof *buf);
    int32_t bidx[B];
    double s1 = 0, s2 = 0;
    for (int start = 0; start < 60000; start += B) {
        for (int i = 0; i < B; i++)
            bidx[i] = start + i;
        dataset_batch(tr, bidx, B, buf, NULL);
        for (size_t k = 0; k < (size_t)B * 784; k++) {
            s1 += buf[k];
            s2 += (double)buf[k] * buf[k];
        }
    }
    double cnt = 60000.0 * 784;
    CHECK(fabs(s1 / cnt) < 1e-4, "normalised mean %g", s1 / cnt);
    CHECK(fabs(sqrt(s2 / cnt) - 1.0) < 1e-4, "normalised std %g",
          sqrt(s2 / cnt));
    free(buf);

    if (dataset_load("fashion-mnist", DATASET_TEST, &te, &err) != NV_OK) {
        CHECK(0, "fashion-mnist test: %s", err.msg);
        dataset_free(tr);
        return;
    }
    CHECK(te->n == 10000, "test n %lld", (long long)te->n);
    CHECK(te->c == 1 && te->h == 28 && te->w == 28, "test shape");
    CHECK(te->classes == 10, "test classes %d", te->classes);
    CHECK(te->mean[0] == tr->mean[0] && te->std[0] == tr->std[0],
          "test part not normalised with the training statistics");
    CHECK(te->labels[0] == 9, "first test label %d", te->labels[0]);
    stats_naive(te, 0, &m, &s);
    CHECK(fabs(m - te->mean[0]) > 1e-4, "test stats equal train stats?");
    memset(count, 0, sizeof count);
    for (int64_t i = 0; i < te->n; i++)
        count[te->labels[i]]++;
    for (int k = 0; k < 10; k++)
        CHECK(count[k] == 1000, "class %d has %d test images", k, count[k]);
    int32_t tidx[2] = {9999, 1};
    check_batch(te, tidx, 2);

    /* the search's split of the real data */
    Dataset *a = NULL, *v = NULL;
    CHECK(dataset_split(tr, 10000, 5000, 1, &a, &v, &err) == NV_OK, "%s",
          err.msg);
    if (a && v) {
        CHECK(a->n == 10000 && v->n == 5000, "split sizes");
        CHECK(a->mean[0] == tr->mean[0] && v->std[0] == tr->std[0],
              "split keeps the full training statistics");
        CHECK(a->classes == 10 && v->classes == 10, "split classes");
    }
    dataset_free(a);
    dataset_free(v);
    dataset_free(tr);
    dataset_free(te);
}

static int make_dir(char *dir, size_t cap, const char *args)
{
    const char *src = getenv("SRCDIR");
    const char *tmp = getenv("TMPDIR");
    char cmd[8192];
    snprintf(dir, cap, "%s/nasview-ds.XXXXXX", tmp ? tmp : "/tmp");
    if (!mkdtemp(dir))
        return -1;
    snprintf(cmd, sizeof cmd, "python3 '%s/tests/mkdataset.py' '%s' %s",
             src ? src : ".", dir, args);
    return system(cmd);
}

static void remove_dir(const char *dir)
{
    char cmd[8192];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    if (system(cmd) != 0)
        fprintf(stderr, "could not remove %s\n", dir);
}

static void test_mkdataset(void)
{
    char dir[4096], withslash[4200];
    Dataset *tr = NULL, *te = NULL;
    NvError err;

    CHECK(make_dir(dir, sizeof dir, "--train 200 --test 50 --classes 5 "
                   "--size 12 --seed 3") == 0, "mkdataset.py failed");
    snprintf(withslash, sizeof withslash, "%s/", dir);
    CHECK(dataset_load(withslash, DATASET_TRAIN, &tr, &err) == NV_OK, "%s",
          err.msg);
    CHECK(dataset_load(dir, DATASET_TEST, &te, &err) == NV_OK, "%s", err.msg);
    if (tr && te) {
        CHECK(tr->n == 200 && te->n == 50, "n %lld %lld", (long long)tr->n,
              (long long)te->n);
        CHECK(tr->c == 1 && tr->h == 12 && tr->w == 12, "shape");
        CHECK(tr->classes == 5 && te->classes == 5, "classes %d %d",
              tr->classes, te->classes);
        CHECK(strncmp(tr->name, "nasview-ds.", 11) == 0, "name %s", tr->name);
        double m, s;
        stats_naive(tr, 0, &m, &s);
        CHECK(fabs(m - tr->mean[0]) < 1e-6 && fabs(s - tr->std[0]) < 1e-6,
              "stats %f %f, naive %f %f", (double)tr->mean[0],
              (double)tr->std[0], m, s);
        CHECK(te->mean[0] == tr->mean[0], "test uses train statistics");
        int32_t idx[3] = {199, 0, 7};
        check_batch(tr, idx, 3);
        check_batch(te, idx + 1, 2);
    }
    dataset_free(tr);
    dataset_free(te);
    remove_dir(dir);

    /* three channels: the 0x00000804 extension */
    tr = te = NULL;
    CHECK(make_dir(dir, sizeof dir, "--train 60 --test 20 --classes 3 "
                   "--size 8 --channels 3") == 0, "mkdataset.py failed");
    CHECK(dataset_load(dir, DATASET_TRAIN, &tr, &err) == NV_OK, "%s", err.msg);
    CHECK(dataset_load(dir, DATASET_TEST, &te, &err) == NV_OK, "%s", err.msg);
    if (tr && te) {
        CHECK(tr->c == 3 && tr->h == 8 && tr->w == 8 && te->c == 3, "shape");
        CHECK(tr->classes == 3, "classes %d", tr->classes);
        for (int ch = 0; ch < 3; ch++) {
            double m, s;
            stats_naive(tr, ch, &m, &s);
            CHECK(fabs(m - tr->mean[ch]) < 1e-6 && fabs(s - tr->std[ch]) < 1e-6,
                  "channel %d stats %f %f, naive %f %f", ch,
                  (double)tr->mean[ch], (double)tr->std[ch], m, s);
        }
        /* mkdataset.py brightens channel c by 20*c inside the square */
        CHECK(tr->mean[2] > tr->mean[0], "channel means %f %f",
              (double)tr->mean[0], (double)tr->mean[2]);
        int32_t idx[2] = {59, 3};
        check_batch(tr, idx, 2);
        check_batch(te, idx + 1, 1);
    }
    dataset_free(tr);
    dataset_free(te);
    remove_dir(dir);
}

/* a Dataset whose images spell their own index, to follow them through a
 * split: pixel bytes (i & 255, i >> 8, 7, 9) */
static Dataset *numbered(int n)
{
    Dataset *d = calloc(1, sizeof *d);
    d->n = n;
    d->c = 1;
    d->h = d->w = 2;
    d->classes = 10;
    d->mean[0] = 0.25f;
    d->std[0] = 0.5f;
    snprintf(d->name, sizeof d->name, "numbered");
    d->pixels = malloc((size_t)n * 4);
    d->labels = malloc((size_t)n);
    for (int i = 0; i < n; i++) {
        d->pixels[4 * i] = (uint8_t)(i & 255);
        d->pixels[4 * i + 1] = (uint8_t)(i >> 8);
        d->pixels[4 * i + 2] = 7;
        d->pixels[4 * i + 3] = 9;
        d->labels[i] = (uint8_t)(i % 10);
    }
    return d;
}

static int number_of(const Dataset *d, int64_t i)
{
    return d->pixels[4 * i] | d->pixels[4 * i + 1] << 8;
}

static void test_split(void)
{
    enum { N = 3000 };
    Dataset *full = numbered(N);
    Dataset *a = NULL, *v = NULL, *a2 = NULL, *v2 = NULL, *a3 = NULL,
            *v3 = NULL;
    NvError err;
    static unsigned char seen[N];

    CHECK(dataset_split(full, 2000, 700, 42, &a, &v, &err) == NV_OK, "%s",
          err.msg);
    CHECK(dataset_split(full, 2000, 700, 42, &a2, &v2, &err) == NV_OK, "%s",
          err.msg);
    CHECK(dataset_split(full, 2000, 700, 43, &a3, &v3, &err) == NV_OK, "%s",
          err.msg);
    if (!a || !a2 || !a3)
        return;
    CHECK(a->n == 2000 && v->n == 700, "sizes %lld %lld", (long long)a->n,
          (long long)v->n);
    CHECK(memcmp(a->pixels, a2->pixels, 2000 * 4) == 0 &&
          memcmp(v->pixels, v2->pixels, 700 * 4) == 0 &&
          memcmp(a->labels, a2->labels, 2000) == 0,
          "same seed, different split");
    CHECK(memcmp(a->pixels, a3->pixels, 2000 * 4) != 0,
          "seeds 42 and 43 gave the same split");
    int dup = 0, wrong = 0, inorder = 0;
    for (int64_t i = 0; i < a->n + v->n; i++) {
        const Dataset *d = i < a->n ? a : v;
        int64_t j = i < a->n ? i : i - a->n;
        int k = number_of(d, j);
        if (k >= N || seen[k]++)
            dup++;
        else if (d->labels[j] != k % 10 || d->pixels[4 * j + 3] != 9)
            wrong++;
        if (i < a->n && k == i)
            inorder++;
    }
    CHECK(dup == 0, "%d examples repeated across the subsets", dup);
    CHECK(wrong == 0, "%d examples lost their label or pixels", wrong);
    CHECK(inorder < 20, "the split did not shuffle (%d in place)", inorder);
    CHECK(a->mean[0] == 0.25f && v->std[0] == 0.5f && v->classes == 10 &&
          strcmp(v->name, "numbered") == 0, "split metadata");
    /* the first 10% of the permutation is the same whatever train_n is */
    Dataset *small = NULL, *sv = NULL;
    CHECK(dataset_split(full, 200, 0, 42, &small, &sv, &err) == NV_OK, "%s",
          err.msg);
    if (small && sv) {
        CHECK(sv->n == 0, "empty validation subset");
        CHECK(memcmp(small->pixels, a->pixels, 200 * 4) == 0,
              "prefix of the permutation differs");
    }
    dataset_free(small);
    dataset_free(sv);

    /* a batch from the subset equals the same examples from the full set */
    int32_t idx[3] = {5, 1999, 0};
    float x[12], y[12];
    int32_t fidx[3];
    for (int i = 0; i < 3; i++)
        fidx[i] = number_of(a, idx[i]);
    dataset_batch(a, idx, 3, x, NULL);
    dataset_batch(full, fidx, 3, y, NULL);
    CHECK(memcmp(x, y, sizeof x) == 0, "subset batch differs from full");
    CHECK(fabsf(x[2] - (7.0f / 255.0f - 0.25f) / 0.5f) < 1e-6f, "value %f",
          (double)x[2]);

    /* everything fits exactly; one more does not */
    dataset_free(a3);
    dataset_free(v3);
    a3 = v3 = NULL;
    CHECK(dataset_split(full, 2000, 1000, 1, &a3, &v3, &err) == NV_OK, "%s",
          err.msg);
    dataset_free(a3);
    dataset_free(v3);
    a3 = v3 = (Dataset *)1;
    nv_error_clear(&err);
    CHECK(dataset_split(full, 2000, 1001, 1, &a3, &v3, &err) == NV_ERR_USAGE,
          "oversized split accepted");
    CHECK(a3 == NULL && v3 == NULL, "outputs not cleared on failure");
    CHECK(strstr(err.msg, "3000") && strstr(err.msg, "2000") &&
          strstr(err.msg, "1001"), "message: %s", err.msg);
    CHECK(dataset_split(full, -1, 5, 1, &a3, &v3, &err) == NV_ERR_USAGE,
          "negative size accepted");
    /* sizes whose sum overflows int64 are refused, not wrapped */
    CHECK(dataset_split(full, INT64_MAX, 1, 1, &a3, &v3, &err) ==
              NV_ERR_USAGE && a3 == NULL,
          "train size INT64_MAX accepted: %s", err.msg);
    CHECK(dataset_split(full, 1, INT64_MAX, 1, &a3, &v3, &err) ==
              NV_ERR_USAGE && a3 == NULL,
          "validation size INT64_MAX accepted: %s", err.msg);

    dataset_free(a);
    dataset_free(v);
    dataset_free(a2);
    dataset_free(v2);
    dataset_free(full);
    dataset_free(NULL);
}

int main(void)
{
    test_split();
    test_mkdataset();
    test_fashion_mnist();
    return check_exit("test_dataset");
}
