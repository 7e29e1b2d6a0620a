/* test_dataset_files.c - CIFAR-10 binary batches written here, and hostile
 * IDX and CIFAR files: truncated, wrong magic, mismatched counts and
 * shapes, huge dimensions, random bytes, empty files, missing files and
 * directories.  Each must be rejected with a message naming the file and
 * what is wrong. */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>

#include "check.h"
#include "data/dataset.h"
#include "base/rng.h"

static char root[4096];

static void write_bytes(const char *path, const void *buf, size_t len,
                        int gzip)
{
    if (gzip) {
        gzFile f = gzopen(path, "wb");
        CHECK(f != NULL, "cannot write %s", path);
        if (!f)
            return;
        if (len)
            CHECK(gzwrite(f, buf, (unsigned)len) == (int)len, "gzwrite %s",
                  path);
        gzclose(f);
    } else {
        FILE *f = fopen(path, "wb");
        CHECK(f != NULL, "cannot write %s", path);
        if (!f)
            return;
        if (len)
            CHECK(fwrite(buf, 1, len, f) == len, "fwrite %s", path);
        fclose(f);
    }
}

static size_t put_be32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)(v >> 24);
    p[1] = (uint8_t)(v >> 16);
    p[2] = (uint8_t)(v >> 8);
    p[3] = (uint8_t)v;
    return 4;
}

/* idx_bytes - an IDX file in buf: magic, dims, then `payload` data bytes
 * (pixel value (i * 37) % 251, or label i % classes).  Returns its size. */
static size_t idx_bytes(uint8_t *buf, uint32_t magic, int ndims,
                        const uint32_t *dims, size_t payload, int classes)
{
    size_t len = put_be32(buf, magic);
    for (int i = 0; i < ndims; i++)
        len += put_be32(buf + len, dims[i]);
    for (size_t i = 0; i < payload; i++)
        buf[len + i] = (uint8_t)(classes ? i % (size_t)classes
                                         : (i * 37) % 251);
    return len + payload;
}

static uint8_t scratch[1 << 22];

/* write_idx - dir/name (gzipped when name ends in .gz) holding an IDX file
 * with the given header and payload bytes. */
static void write_idx(const char *dir, const char *name, uint32_t magic,
                      int ndims, uint32_t d0, uint32_t d1, uint32_t d2,
                      uint32_t d3, size_t payload, int classes)
{
    char path[8192];
    uint32_t dims[4] = {d0, d1, d2, d3};
    size_t len = idx_bytes(scratch, magic, ndims, dims, payload, classes);
    snprintf(path, sizeof path, "%s/%s", dir, name);
    write_bytes(path, scratch, len, strstr(name, ".gz") != NULL);
}

/* good_idx - a valid dataset in dir: 20 training and 6 test images of
 * 4x4, 3 classes; images gzipped, labels plain. */
static void good_idx(const char *dir)
{
    write_idx(dir, "train-images-idx3-ubyte.gz", 0x803, 3, 20, 4, 4, 0,
              20 * 16, 0);
    write_idx(dir, "train-labels-idx1-ubyte", 0x801, 1, 20, 0, 0, 0, 20, 3);
    write_idx(dir, "t10k-images-idx3-ubyte.gz", 0x803, 3, 6, 4, 4, 0, 6 * 16,
              0);
    write_idx(dir, "t10k-labels-idx1-ubyte", 0x801, 1, 6, 0, 0, 0, 6, 3);
}

static void fresh_dir(char *dir, size_t cap, const char *name)
{
    char cmd[8300];
    snprintf(dir, cap, "%s/%s", root, name);
    snprintf(cmd, sizeof cmd, "rm -rf '%s' && mkdir -p '%s'", dir, dir);
    CHECK(system(cmd) == 0, "%s", cmd);
}

/* expect_fail - loading spec/part fails with status, and the message
 * names `file` (a path) and contains `what`. */
static void expect_fail_at(int line, const char *spec, DatasetPart part,
                           NvStatus status, const char *file,
                           const char *what)
{
    Dataset *d = (Dataset *)&d;
    NvError err;
    nv_error_clear(&err);
    NvStatus st = dataset_load(spec, part, &d, &err);
    CHECK(st == status, "line %d: %s part %d: status %d, want %d (%s)", line,
          spec, (int)part, (int)st, (int)status, err.msg);
    CHECK(d == NULL, "line %d: *out not cleared on failure", line);
    CHECK(strstr(err.msg, file) != NULL,
          "line %d: message does not name %s: %s", line, file, err.msg);
    CHECK(strstr(err.msg, what) != NULL,
          "line %d: message lacks '%s': %s", line, what, err.msg);
    if (st == NV_OK)
        dataset_free(d);
}
#define expect_fail(...) expect_fail_at(__LINE__, __VA_ARGS__)

static void test_good_idx(void)
{
    char dir[4200];
    Dataset *d = NULL;
    NvError err;
    fresh_dir(dir, sizeof dir, "good");
    good_idx(dir);
    CHECK(dataset_load(dir, DATASET_TRAIN, &d, &err) == NV_OK, "%s", err.msg);
    if (d) {
        CHECK(d->n == 20 && d->h == 4 && d->w == 4 && d->c == 1, "shape");
        CHECK(d->classes == 3, "classes %d", d->classes);
        CHECK(d->pixels[5] == (5 * 37) % 251 && d->labels[4] == 1,
              "contents");
        CHECK(strcmp(d->name, "good") == 0, "name %s", d->name);
    }
    dataset_free(d);
    d = NULL;
    CHECK(dataset_load(dir, DATASET_TEST, &d, &err) == NV_OK, "%s", err.msg);
    if (d)
        CHECK(d->n == 6, "test n %lld", (long long)d->n);
    dataset_free(d);

    /* a single-class training part still has 2 classes */
    fresh_dir(dir, sizeof dir, "oneclass");
    good_idx(dir);
    write_idx(dir, "train-labels-idx1-ubyte", 0x801, 1, 20, 0, 0, 0, 20, 1);
    d = NULL;
    CHECK(dataset_load(dir, DATASET_TRAIN, &d, &err) == NV_OK, "%s", err.msg);
    if (d)
        CHECK(d->classes == 2, "classes %d", d->classes);
    dataset_free(d);
}

static void test_hostile_idx(void)
{
    char dir[4200], f[8400], g[8400];
    uint8_t buf[4096];
    Rng r;

    /* truncated header */
    fresh_dir(dir, sizeof dir, "header");
    good_idx(dir);
    snprintf(f, sizeof f, "%s/train-images-idx3-ubyte.gz", dir);
    write_bytes(f, "\0\0\x08\x03\0\0", 6, 1);
    expect_fail(dir, DATASET_TRAIN, NV_ERR_FORMAT, f, "truncated header");

    /* truncated data, plain and gzipped */
    fresh_dir(dir, sizeof dir, "data");
    good_idx(dir);
    write_idx(dir, "train-images-idx3-ubyte.gz", 0x803, 3, 20, 4, 4, 0,
              20 * 16 - 1, 0);
    snprintf(f, sizeof f, "%s/train-images-idx3-ubyte.gz", dir);
    expect_fail(dir, DATASET_TRAIN, NV_ERR_FORMAT, f, "truncated data");
    expect_fail(dir, DATASET_TEST, NV_ERR_FORMAT, f, "319");
    write_idx(dir, "train-labels-idx1-ubyte", 0x801, 1, 20, 0, 0, 0, 5, 3);
    snprintf(f, sizeof f, "%s/train-labels-idx1-ubyte", dir);
    expect_fail(dir, DATASET_TRAIN, NV_ERR_FORMAT, f, "truncated data");

    /* a gzip stream cut in half */
    fresh_dir(dir, sizeof dir, "gzcut");
    good_idx(dir);
    snprintf(f, sizeof f, "%s/t10k-images-idx3-ubyte.gz", dir);
    {
        FILE *fp = fopen(f, "rb");
        size_t n = fp ? fread(buf, 1, sizeof buf, fp) : 0;
        if (fp)
            fclose(fp);
        write_bytes(f, buf, n / 2, 0);
    }
    expect_fail(dir, DATASET_TEST, NV_ERR_FORMAT, f, "truncated");

    /* extra bytes after the data */
    fresh_dir(dir, sizeof dir, "extra");
    good_idx(dir);
    write_idx(dir, "t10k-labels-idx1-ubyte", 0x801, 1, 6, 0, 0, 0, 7, 3);
    snprintf(f, sizeof f, "%s/t10k-labels-idx1-ubyte", dir);
    expect_fail(dir, DATASET_TEST, NV_ERR_FORMAT, f, "wrong size");

    /* wrong magic */
    fresh_dir(dir, sizeof dir, "magic");
    good_idx(dir);
    write_idx(dir, "train-images-idx3-ubyte.gz", 0x903, 3, 20, 4, 4, 0,
              20 * 16, 0);
    snprintf(f, sizeof f, "%s/train-images-idx3-ubyte.gz", dir);
    expect_fail(dir, DATASET_TRAIN, NV_ERR_FORMAT, f, "wrong magic");
    expect_fail(dir, DATASET_TRAIN, NV_ERR_FORMAT, f, "0x00000903");

    /* labels where images belong, images where labels belong */
    fresh_dir(dir, sizeof dir, "swapped");
    good_idx(dir);
    write_idx(dir, "train-images-idx3-ubyte.gz", 0x801, 1, 20, 0, 0, 0, 20,
              3);
    snprintf(f, sizeof f, "%s/train-images-idx3-ubyte.gz", dir);
    expect_fail(dir, DATASET_TRAIN, NV_ERR_FORMAT, f, "holds labels");
    good_idx(dir);
    write_idx(dir, "t10k-labels-idx1-ubyte", 0x803, 3, 6, 4, 4, 0, 6 * 16, 0);
    snprintf(f, sizeof f, "%s/t10k-labels-idx1-ubyte", dir);
    expect_fail(dir, DATASET_TEST, NV_ERR_FORMAT, f, "holds images");
    expect_fail(dir, DATASET_TRAIN, NV_ERR_FORMAT, f, "holds images");
    /* the test part's images file holding labels: refused whichever part
     * is loaded (the training part checks the test headers too) */
    good_idx(dir);
    write_idx(dir, "t10k-images-idx3-ubyte.gz", 0x801, 1, 6, 0, 0, 0, 6, 3);
    snprintf(f, sizeof f, "%s/t10k-images-idx3-ubyte.gz", dir);
    expect_fail(dir, DATASET_TEST, NV_ERR_FORMAT, f, "holds labels");
    expect_fail(dir, DATASET_TRAIN, NV_ERR_FORMAT, f, "holds labels");

    /* label and image counts differ */
    fresh_dir(dir, sizeof dir, "count");
    good_idx(dir);
    write_idx(dir, "train-labels-idx1-ubyte", 0x801, 1, 19, 0, 0, 0, 19, 3);
    snprintf(f, sizeof f, "%s/train-labels-idx1-ubyte", dir);
    snprintf(g, sizeof g, "%s/train-images-idx3-ubyte.gz", dir);
    expect_fail(dir, DATASET_TRAIN, NV_ERR_FORMAT, f, "19 labels");
    expect_fail(dir, DATASET_TRAIN, NV_ERR_FORMAT, g, "20 images");
    good_idx(dir);
    write_idx(dir, "t10k-labels-idx1-ubyte", 0x801, 1, 7, 0, 0, 0, 7, 3);
    snprintf(f, sizeof f, "%s/t10k-labels-idx1-ubyte", dir);
    expect_fail(dir, DATASET_TEST, NV_ERR_FORMAT, f, "must match");
    expect_fail(dir, DATASET_TRAIN, NV_ERR_FORMAT, f, "must match");

    /* test images shaped unlike the training images */
    fresh_dir(dir, sizeof dir, "shape");
    good_idx(dir);
    write_idx(dir, "t10k-images-idx3-ubyte.gz", 0x803, 3, 6, 4, 5, 0, 6 * 20,
              0);
    snprintf(f, sizeof f, "%s/t10k-images-idx3-ubyte.gz", dir);
    expect_fail(dir, DATASET_TEST, NV_ERR_FORMAT, f, "1x4x5");
    expect_fail(dir, DATASET_TRAIN, NV_ERR_FORMAT, f, "shapes must match");
    write_idx(dir, "t10k-images-idx3-ubyte.gz", 0x804, 4, 6, 2, 4, 4,
              6 * 32, 0);
    expect_fail(dir, DATASET_TEST, NV_ERR_FORMAT, f, "2x4x4");

    /* a test label the training part never had */
    fresh_dir(dir, sizeof dir, "label");
    good_idx(dir);
    write_idx(dir, "t10k-labels-idx1-ubyte", 0x801, 1, 6, 0, 0, 0, 6, 6);
    snprintf(f, sizeof f, "%s/t10k-labels-idx1-ubyte", dir);
    expect_fail(dir, DATASET_TEST, NV_ERR_FORMAT, f, "label 3");

    /* huge or zero dimensions: refused from the header, nothing allocated */
    fresh_dir(dir, sizeof dir, "huge");
    good_idx(dir);
    snprintf(f, sizeof f, "%s/train-images-idx3-ubyte.gz", dir);
    write_idx(dir, "train-images-idx3-ubyte.gz", 0x803, 3, 20, 100000, 4, 0,
              64, 0);
    expect_fail(dir, DATASET_TRAIN, NV_ERR_FORMAT, f, "image height 100000");
    write_idx(dir, "train-images-idx3-ubyte.gz", 0x803, 3, 0xffffffffu, 28,
              28, 0, 64, 0);
    expect_fail(dir, DATASET_TRAIN, NV_ERR_FORMAT, f, "image count");
    write_idx(dir, "train-images-idx3-ubyte.gz", 0x803, 3, 20, 0, 4, 0, 64, 0);
    expect_fail(dir, DATASET_TRAIN, NV_ERR_FORMAT, f, "out of range");
    write_idx(dir, "train-images-idx3-ubyte.gz", 0x804, 4, 20, 5, 4, 4, 64, 0);
    expect_fail(dir, DATASET_TRAIN, NV_ERR_FORMAT, f, "channel count 5");
    write_idx(dir, "train-labels-idx1-ubyte", 0x801, 1, 16000000, 0, 0, 0,
              20, 3);
    write_idx(dir, "train-images-idx3-ubyte.gz", 0x803, 3, 16000000, 4096,
              4096, 0, 64, 0);
    expect_fail(dir, DATASET_TRAIN, NV_ERR_FORMAT, f, "more than the limit");
    /* within the limits but far longer than the file: 1.5 GB claimed */
    write_idx(dir, "train-labels-idx1-ubyte", 0x801, 1, 2000000, 0, 0, 0,
              2000000, 3);
    write_idx(dir, "train-images-idx3-ubyte.gz", 0x803, 3, 2000000, 28, 28,
              0, 64, 0);
    expect_fail(dir, DATASET_TRAIN, NV_ERR_FORMAT, f, "truncated data");

    /* random bytes, plain and behind a gzip magic; an empty file */
    fresh_dir(dir, sizeof dir, "random");
    good_idx(dir);
    rng_seed(&r, 99, 0);
    for (size_t i = 0; i < sizeof buf; i++)
        buf[i] = (uint8_t)rng_below(&r, 256);
    buf[0] = 0x55;
    snprintf(f, sizeof f, "%s/train-labels-idx1-ubyte", dir);
    write_bytes(f, buf, sizeof buf, 0);
    expect_fail(dir, DATASET_TRAIN, NV_ERR_FORMAT, f, "wrong magic");
    buf[0] = 0x1f;
    buf[1] = 0x8b;
    buf[2] = 8;
    buf[3] = 0;
    write_bytes(f, buf, sizeof buf, 0);
    expect_fail(dir, DATASET_TRAIN, NV_ERR_FORMAT, f, "gzip");
    write_bytes(f, "", 0, 0);
    expect_fail(dir, DATASET_TRAIN, NV_ERR_FORMAT, f, "empty file");
    write_bytes(f, "", 0, 1);
    expect_fail(dir, DATASET_TRAIN, NV_ERR_FORMAT, f, "empty file");

    /* missing files and directories */
    fresh_dir(dir, sizeof dir, "missing");
    good_idx(dir);
    snprintf(f, sizeof f, "%s/train-labels-idx1-ubyte", dir);
    unlink(f);
    expect_fail(dir, DATASET_TRAIN, NV_ERR_NOT_FOUND, dir,
                "train-labels-idx1-ubyte.gz nor");
    good_idx(dir);
    snprintf(f, sizeof f, "%s/t10k-images-idx3-ubyte.gz", dir);
    unlink(f);
    expect_fail(dir, DATASET_TEST, NV_ERR_NOT_FOUND, dir,
                "t10k-images-idx3-ubyte");
    {
        /* loading the training part needs no test files */
        Dataset *d = NULL;
        NvError err;
        CHECK(dataset_load(dir, DATASET_TRAIN, &d, &err) == NV_OK,
              "train without test files: %s", err.msg);
        dataset_free(d);
    }
    snprintf(f, sizeof f, "%s/no-such-dir", root);
    expect_fail(f, DATASET_TRAIN, NV_ERR_NOT_FOUND, f, "no such directory");
    snprintf(f, sizeof f, "%s/good/train-labels-idx1-ubyte", root);
    expect_fail(f, DATASET_TRAIN, NV_ERR_USAGE, f, "not a directory");
    expect_fail("", DATASET_TRAIN, NV_ERR_USAGE, "", "fashion-mnist");
}

/* ---- CIFAR-10 ---------------------------------------------------------- */

#define REC 3073

/* cifar_record - record k of the files written here: label k % 10 and
 * pixel j = (k * 7 + j * 13) % 256 */
static void cifar_record(uint8_t *rec, int k)
{
    rec[0] = (uint8_t)(k % 10);
    for (int j = 0; j < 3072; j++)
        rec[1 + j] = (uint8_t)((k * 7 + j * 13) % 256);
}

static void write_cifar(const char *dir, const char *name, int first, int n,
                        int gzip)
{
    char path[8400];
    static uint8_t buf[8 * REC];
    for (int i = 0; i < n; i++)
        cifar_record(buf + (size_t)i * REC, first + i);
    snprintf(path, sizeof path, "%s/%s", dir, name);
    write_bytes(path, buf, (size_t)n * REC, gzip);
}

/* good_cifar - batches of 3, 2, 1, 1, 1 training records (0..7, the third
 * one gzipped) and 2 test records (100, 101) */
static void good_cifar(const char *dir)
{
    static const int sizes[5] = {3, 2, 1, 1, 1};
    char name[32];
    for (int b = 0, k = 0; b < 5; k += sizes[b], b++) {
        snprintf(name, sizeof name, "data_batch_%d.bin", b + 1);
        write_cifar(dir, name, k, sizes[b], b == 2);
    }
    write_cifar(dir, "test_batch.bin", 100, 2, 0);
}

static void test_cifar(void)
{
    char dir[4200], spec[4300], f[8400];
    Dataset *tr = NULL, *te = NULL;
    NvError err;
    uint8_t rec[REC];

    fresh_dir(dir, sizeof dir, "cifar");
    good_cifar(dir);
    snprintf(spec, sizeof spec, "cifar10:%s", dir);
    CHECK(dataset_load(spec, DATASET_TRAIN, &tr, &err) == NV_OK, "%s",
          err.msg);
    CHECK(dataset_load(spec, DATASET_TEST, &te, &err) == NV_OK, "%s", err.msg);
    if (!tr || !te)
        return;
    CHECK(tr->n == 8 && te->n == 2, "n %lld %lld", (long long)tr->n,
          (long long)te->n);
    CHECK(tr->c == 3 && tr->h == 32 && tr->w == 32 && te->c == 3, "shape");
    CHECK(tr->classes == 10 && te->classes == 10, "classes");
    CHECK(strcmp(tr->name, "cifar10") == 0, "name %s", tr->name);
    int bad = 0;
    for (int k = 0; k < 8; k++) {
        cifar_record(rec, k);
        bad += tr->labels[k] != rec[0] ||
               memcmp(tr->pixels + (size_t)k * 3072, rec + 1, 3072) != 0;
    }
    CHECK(bad == 0, "%d training records differ from the files", bad);
    cifar_record(rec, 101);
    CHECK(te->labels[1] == 1 && memcmp(te->pixels + 3072, rec + 1, 3072) == 0,
          "test record differs");
    for (int ch = 0; ch < 3; ch++) {
        double s1 = 0, s2 = 0;
        for (int k = 0; k < 8; k++) {
            cifar_record(rec, k);
            for (int j = 0; j < 1024; j++) {
                double v = rec[1 + ch * 1024 + j] / 255.0;
                s1 += v;
                s2 += v * v;
            }
        }
        double m = s1 / 8192, sd = sqrt(s2 / 8192 - m * m);
        CHECK(fabs(tr->mean[ch] - m) < 1e-6 && fabs(tr->std[ch] - sd) < 1e-6,
              "channel %d: %f %f, want %f %f", ch, (double)tr->mean[ch],
              (double)tr->std[ch], m, sd);
        CHECK(te->mean[ch] == tr->mean[ch] && te->std[ch] == tr->std[ch],
              "test part uses the training statistics");
    }
    {
        int32_t idx[2] = {7, 2};
        float out[2 * 3072];
        uint8_t lb[2];
        dataset_batch(tr, idx, 2, out, lb);
        CHECK(lb[0] == 7 && lb[1] == 2, "batch labels");
        cifar_record(rec, 2);
        float want = (rec[1 + 2048 + 5] / 255.0f - tr->mean[2]) / tr->std[2];
        CHECK(fabsf(out[3072 + 2048 + 5] - want) < 1e-5f, "batch value");
    }
    dataset_free(tr);
    dataset_free(te);

    /* hostile CIFAR */
    snprintf(f, sizeof f, "%s/data_batch_3.bin", dir);
    unlink(f);
    expect_fail(spec, DATASET_TRAIN, NV_ERR_NOT_FOUND, f, "no such file");
    expect_fail(spec, DATASET_TEST, NV_ERR_NOT_FOUND, f, "data_batch_5.bin");
    good_cifar(dir);
    write_cifar(dir, "data_batch_3.bin", 0, 2, 0);
    {
        FILE *fp = fopen(f, "ab");
        if (fp) {
            fputs("junk", fp);
            fclose(fp);
        }
    }
    expect_fail(spec, DATASET_TRAIN, NV_ERR_FORMAT, f, "6150 bytes");
    write_bytes(f, "", 0, 0);
    expect_fail(spec, DATASET_TRAIN, NV_ERR_FORMAT, f, "empty file");
    good_cifar(dir);
    snprintf(f, sizeof f, "%s/test_batch.bin", dir);
    cifar_record(rec, 0);
    rec[0] = 57;
    write_bytes(f, rec, sizeof rec, 0);
    expect_fail(spec, DATASET_TEST, NV_ERR_FORMAT, f, "label 57");
    write_bytes(f, rec, 100, 0);
    expect_fail(spec, DATASET_TEST, NV_ERR_FORMAT, f, "truncated");
    snprintf(spec, sizeof spec, "cifar10:%s/nowhere", root);
    expect_fail(spec, DATASET_TRAIN, NV_ERR_NOT_FOUND, "/nowhere",
                "no such directory");
    expect_fail("cifar10:", DATASET_TRAIN, NV_ERR_USAGE, "cifar10",
                "directory");
    /* a file is not a directory, and is not called missing */
    snprintf(spec, sizeof spec, "cifar10:%s/test_batch.bin", dir);
    expect_fail(spec, DATASET_TRAIN, NV_ERR_USAGE, "test_batch.bin",
                "not a directory");
}

int main(void)
{
    const char *tmp = getenv("TMPDIR");
    snprintf(root, sizeof root, "%s/nasview-dsf.XXXXXX", tmp ? tmp : "/tmp");
    if (!mkdtemp(root)) {
        perror(root);
        return 1;
    }
    test_good_idx();
    test_hostile_idx();
    test_cifar();
    char cmd[4200];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", root);
    if (system(cmd) != 0)
        fprintf(stderr, "could not remove %s\n", root);
    return check_exit("test_dataset_files");
}
