/* vecops.h - reductions written with GCC/Clang vector extensions, so they
 * run as SIMD without -ffast-math: several independent vector partial sums
 * combined in a fixed order, hence the same result on every run.
 * Header-only (static inline). */
#ifndef NASVIEW_VECOPS_H
#define NASVIEW_VECOPS_H

#include <stddef.h>
#include <string.h>

#define VEC_W 8 /* floats per vector */
typedef float VecF __attribute__((vector_size(VEC_W * sizeof(float))));

static inline VecF vec_load(const float *p)
{
    VecF v;
    memcpy(&v, p, sizeof v);
    return v;
}

/* vec_copy - d[0..n) = s[0..n) for short runs that do not overlap: whole
 * vectors, the last one overlapping the one before it, so a row of 7 to
 * 28 floats has no scalar tail and no call. */
static inline void vec_copy(float *d, const float *s, size_t n)
{
    _Static_assert(VEC_W <= 8, "two 4-float pieces cover lengths up to 8");
    typedef float Vec4 __attribute__((vector_size(4 * sizeof(float))));
    if (n >= VEC_W) {
        for (size_t i = 0; i + VEC_W < n; i += VEC_W) {
            VecF v = vec_load(s + i);
            memcpy(d + i, &v, sizeof v);
        }
        VecF v = vec_load(s + n - VEC_W);
        memcpy(d + n - VEC_W, &v, sizeof v);
    } else if (n >= 4) {
        Vec4 a, b;
        memcpy(&a, s, sizeof a);
        memcpy(&b, s + n - 4, sizeof b);
        memcpy(d, &a, sizeof a);
        memcpy(d + n - 4, &b, sizeof b);
    } else {
        for (size_t i = 0; i < n; i++)
            d[i] = s[i];
    }
}

static inline float vec_hsum(VecF v)
{
    float s = 0.0f;
    for (int j = 0; j < VEC_W; j++)
        s += v[j];
    return s;
}

/* vec_dot - sum of a[i] * b[i] over n values (four vector accumulators). */
static inline float vec_dot(const float *a, const float *b, size_t n)
{
    VecF s0 = { 0 }, s1 = { 0 }, s2 = { 0 }, s3 = { 0 };
    size_t i = 0;
    for (; i + 4 * VEC_W <= n; i += 4 * VEC_W) {
        s0 += vec_load(a + i) * vec_load(b + i);
        s1 += vec_load(a + i + VEC_W) * vec_load(b + i + VEC_W);
        s2 += vec_load(a + i + 2 * VEC_W) * vec_load(b + i + 2 * VEC_W);
        s3 += vec_load(a + i + 3 * VEC_W) * vec_load(b + i + 3 * VEC_W);
    }
    for (; i + VEC_W <= n; i += VEC_W)
        s0 += vec_load(a + i) * vec_load(b + i);
    float s = vec_hsum((s0 + s1) + (s2 + s3));
    for (; i < n; i++)
        s += a[i] * b[i];
    return s;
}

/* vec_sum1 - sum of a[i] over n values. */
static inline float vec_sum1(const float *a, size_t n)
{
    VecF s0 = { 0 }, s1 = { 0 }, s2 = { 0 }, s3 = { 0 };
    size_t i = 0;
    for (; i + 4 * VEC_W <= n; i += 4 * VEC_W) {
        s0 += vec_load(a + i);
        s1 += vec_load(a + i + VEC_W);
        s2 += vec_load(a + i + 2 * VEC_W);
        s3 += vec_load(a + i + 3 * VEC_W);
    }
    for (; i + VEC_W <= n; i += VEC_W)
        s0 += vec_load(a + i);
    float s = vec_hsum((s0 + s1) + (s2 + s3));
    for (; i < n; i++)
        s += a[i];
    return s;
}

/* vec_sqdiff1 - sum of (a[i] - m)^2 over n values. */
static inline float vec_sqdiff1(const float *a, float m, size_t n)
{
    VecF s0 = { 0 }, s1 = { 0 }, vm = { 0 };
    vm += m;
    size_t i = 0;
    for (; i + 2 * VEC_W <= n; i += 2 * VEC_W) {
        VecF d0 = vec_load(a + i) - vm, d1 = vec_load(a + i + VEC_W) - vm;
        s0 += d0 * d0;
        s1 += d1 * d1;
    }
    for (; i + VEC_W <= n; i += VEC_W) {
        VecF d = vec_load(a + i) - vm;
        s0 += d * d;
    }
    float s = vec_hsum(s0 + s1);
    for (; i < n; i++)
        s += (a[i] - m) * (a[i] - m);
    return s;
}

/* Long rows: float partial sums over blocks of 4096, added in double. */
#define VEC_BLOCK 4096

static inline double vec_sum(const float *a, size_t n)
{
    double t = 0.0;
    for (size_t b = 0; b < n; b += VEC_BLOCK)
        t += vec_sum1(a + b, n - b < VEC_BLOCK ? n - b : VEC_BLOCK);
    return t;
}

static inline double vec_dot_d(const float *a, const float *b, size_t n)
{
    double t = 0.0;
    for (size_t k = 0; k < n; k += VEC_BLOCK)
        t += vec_dot(a + k, b + k, n - k < VEC_BLOCK ? n - k : VEC_BLOCK);
    return t;
}

static inline double vec_sqdiff(const float *a, float m, size_t n)
{
    double t = 0.0;
    for (size_t b = 0; b < n; b += VEC_BLOCK)
        t += vec_sqdiff1(a + b, m, n - b < VEC_BLOCK ? n - b : VEC_BLOCK);
    return t;
}

#endif
