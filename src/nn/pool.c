/* pool.c - average pooling (a box filter on dwconv.c's plane kernels, with
 * a naive reference) and max pooling; see pool.h. */
#include "config.h"

/* GCC's -O2 vectorises only loops whose trip count is a known multiple of
 * the vector width; the kernels' rows (7 to 32 floats) need the dynamic
 * cost model.  Clang vectorises them as they are. */
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC optimize("vect-cost-model=dynamic")
#endif

#include "nn/dwconv.h"
#include "nn/pool.h"

static DwShape pool_as_dw(const PoolShape *s)
{
    DwShape d = { s->c, s->k, s->s, s->p, s->h, s->w, s->oh, s->ow };
    return d;
}

size_t pool_workspace(const PoolShape *s)
{
    DwShape d = pool_as_dw(s);
    return dwconv_workspace(&d);
}

void avgpool_forward_part(const PoolShape *s, int n, int b0, int b1,
                          const float *x, float *y, float *ws)
{
    DwShape d = pool_as_dw(s);
    dwconv_avg_forward_part(&d, n, b0, b1, x, y, ws);
}

void avgpool_backward_part(const PoolShape *s, int n, int b0, int b1,
                           const float *dy, float *dx, int dx_set, float *ws)
{
    DwShape d = pool_as_dw(s);
    dwconv_avg_backward_part(&d, n, b0, b1, dy, dx, dx_set, ws);
}

void maxpool_forward_part(const PoolShape *s, int n, int b0, int b1,
                          const float *x, float *y, float *ws)
{
    DwShape d = pool_as_dw(s);
    dwconv_max_forward_part(&d, n, b0, b1, x, y, ws);
}

void maxpool_backward_part(const PoolShape *s, int n, int b0, int b1,
                           const float *x, const float *dy, float *dx,
                           int dx_set, float *ws)
{
    DwShape d = pool_as_dw(s);
    dwconv_max_backward_part(&d, n, b0, b1, x, dy, dx, dx_set, ws);
}

void avgpool_forward(const PoolShape *s, int n, const float *x, float *y,
                     float *ws)
{
    avgpool_forward_part(s, n, 0, n, x, y, ws);
}

void avgpool_backward(const PoolShape *s, int n, const float *dy, float *dx,
                      float *ws)
{
    avgpool_backward_part(s, n, 0, n, dy, dx, 0, ws);
}

void maxpool_forward(const PoolShape *s, int n, const float *x, float *y,
                     float *ws)
{
    maxpool_forward_part(s, n, 0, n, x, y, ws);
}

void maxpool_backward(const PoolShape *s, int n, const float *x,
                      const float *dy, float *dx, float *ws)
{
    maxpool_backward_part(s, n, 0, n, x, dy, dx, 0, ws);
}

PoolShape pool_shape_make(int c, int k, int stride, int h, int w)
{
    PoolShape s = { c, k, stride, k / 2, h, w, 0, 0 };
    s.oh = (h + 2 * s.p - k) / stride + 1;
    s.ow = (w + 2 * s.p - k) / stride + 1;
    return s;
}

/* The input window of output (oy, ox), clipped to the image. */
static inline void pool_window(const PoolShape *s, int oy, int ox, int *y0,
                               int *y1, int *x0, int *x1)
{
    int a = oy * s->s - s->p, b = ox * s->s - s->p;
    *y0 = a < 0 ? 0 : a;
    *y1 = a + s->k > s->h ? s->h : a + s->k;
    *x0 = b < 0 ? 0 : b;
    *x1 = b + s->k > s->w ? s->w : b + s->k;
}

void avgpool_forward_naive(const PoolShape *s, int n, const float *x,
                           float *y)
{
    const long planes = (long)s->c * n;
    const long plane = (long)s->h * s->w, oplane = (long)s->oh * s->ow;
    for (long pi = 0; pi < planes; pi++) {
        const float *xp = x + pi * plane;
        float *yp = y + pi * oplane;
        for (int oy = 0; oy < s->oh; oy++)
            for (int ox = 0; ox < s->ow; ox++) {
                int y0, y1, x0, x1;
                pool_window(s, oy, ox, &y0, &y1, &x0, &x1);
                float acc = 0.0f;
                for (int i = y0; i < y1; i++)
                    for (int j = x0; j < x1; j++)
                        acc += xp[i * s->w + j];
                yp[oy * s->ow + ox] = acc / (float)((y1 - y0) * (x1 - x0));
            }
    }
}

void avgpool_backward_naive(const PoolShape *s, int n, const float *dy,
                            float *dx)
{
    const long planes = (long)s->c * n;
    const long plane = (long)s->h * s->w, oplane = (long)s->oh * s->ow;
    for (long pi = 0; pi < planes; pi++) {
        float *dxp = dx + pi * plane;
        const float *dyp = dy + pi * oplane;
        for (int oy = 0; oy < s->oh; oy++)
            for (int ox = 0; ox < s->ow; ox++) {
                int y0, y1, x0, x1;
                pool_window(s, oy, ox, &y0, &y1, &x0, &x1);
                float g = dyp[oy * s->ow + ox] / (float)((y1 - y0) * (x1 - x0));
                for (int i = y0; i < y1; i++)
                    for (int j = x0; j < x1; j++)
                        dxp[i * s->w + j] += g;
            }
    }
}

void maxpool_forward_naive(const PoolShape *s, int n, const float *x,
                           float *y)
{
    const long planes = (long)s->c * n;
    const long plane = (long)s->h * s->w, oplane = (long)s->oh * s->ow;
    for (long pi = 0; pi < planes; pi++) {
        const float *xp = x + pi * plane;
        float *yp = y + pi * oplane;
        for (int oy = 0; oy < s->oh; oy++)
            for (int ox = 0; ox < s->ow; ox++) {
                int y0, y1, x0, x1;
                pool_window(s, oy, ox, &y0, &y1, &x0, &x1);
                float m = xp[y0 * s->w + x0];
                for (int i = y0; i < y1; i++)
                    for (int j = x0; j < x1; j++)
                        if (xp[i * s->w + j] > m)
                            m = xp[i * s->w + j];
                yp[oy * s->ow + ox] = m;
            }
    }
}

void maxpool_backward_naive(const PoolShape *s, int n, const float *x,
                            const float *dy, float *dx)
{
    const long planes = (long)s->c * n;
    const long plane = (long)s->h * s->w, oplane = (long)s->oh * s->ow;
    for (long pi = 0; pi < planes; pi++) {
        const float *xp = x + pi * plane;
        float *dxp = dx + pi * plane;
        const float *dyp = dy + pi * oplane;
        for (int oy = 0; oy < s->oh; oy++)
            for (int ox = 0; ox < s->ow; ox++) {
                int y0, y1, x0, x1;
                pool_window(s, oy, ox, &y0, &y1, &x0, &x1);
                int best = y0 * s->w + x0;
                for (int i = y0; i < y1; i++)
                    for (int j = x0; j < x1; j++)
                        if (xp[i * s->w + j] > xp[best])
                            best = i * s->w + j;
                dxp[best] += dyp[oy * s->ow + ox];
            }
    }
}
