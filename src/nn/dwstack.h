/* dwstack.h - the stacked phase planes of dwconv.c: the plan of a stack
 * (plane width, rows per image, images per chunk, buffer sizes), the
 * workspace regions, and the moves of planes into and out of a stack.
 * dwconv.c describes the layout.  Internal to src/nn/. */
#ifndef NASVIEW_DWSTACK_H
#define NASVIEW_DWSTACK_H

#include <stddef.h>

#include "nn/dwconv.h"
#include "base/vecops.h"

/* Blocks run up to 2 vectors past the last output: the slack every
 * stacked buffer carries. */
#define DW_TAIL (2 * VEC_W)

typedef struct {
    int qw;       /* phase plane width */
    int pitch;    /* padded rows per image in the stack */
    int orows;    /* stack output rows per image: pitch / stride */
    int chunk;    /* most images per stack */
    size_t qsize; /* floats per phase plane of a full stack, with slack */
    size_t glen;  /* floats of the spread gradient G, margin included */
    size_t gmargin; /* G's leading zeros: the largest transposed tap */
} DwPlan;

/* The workspace of one call: P (input phase planes), buf (gradient phase
 * planes or the padded gradient), G (spread gradient, stride 2), Y (stack
 * outputs), C (a chunk of compact [h][w] planes), K (average pooling's
 * window counts, an [oh][ow] plane).  Views into the caller's ws. */
typedef struct {
    float *P, *buf, *G, *Y, *C, *K;
} DwRegions;

/* dwstack_plan - the stack geometry of shape s (every buffer carries the
 * slack of dwrows.h). */
DwPlan dwstack_plan(const DwShape *s);
/* dwstack_chunk - images per stack for n images: near-equal chunks. */
int dwstack_chunk(const DwPlan *q, int n);
/* dwstack_ylen - floats of stack outputs for nb images. */
size_t dwstack_ylen(const DwPlan *q, int nb);
/* dwstack_yregion - floats of the region Y, slack included. */
size_t dwstack_yregion(const DwPlan *q);
/* dwstack_regions - the regions of ws (dwconv_workspace(s) floats, owned
 * by the caller). */
DwRegions dwstack_regions(const DwShape *s, const DwPlan *q, float *ws);
/* dwstack_prepare - fill b (len floats) with v unless its padding still
 * holds for a chunk of nb images; *filled tracks the largest chunk
 * written since the last fill (0: never filled). */
void dwstack_prepare(float *b, size_t len, float v, int *filled, int nb);
/* dwstack_in - the nb planes x [nb][h][w] (ReLU'd if relu) into the image
 * pixels of the stacked phase planes P; the padding is left as it is. */
void dwstack_in(const DwShape *s, const DwPlan *q, int relu, const float *x,
                int nb, float *P);
/* dwstack_out_rows_in - nb output-shaped planes dy [nb][oh][ow] (divided
 * by K [oh][ow] when K is not NULL, through the scratch C) as stack
 * output rows of width qw at dst; the rest of dst is left as it is. */
void dwstack_out_rows_in(const DwShape *s, const DwPlan *q, const float *dy,
                         const float *K, int nb, float *C, float *dst);
/* dwstack_out - y [nb][oh][ow] = the stack outputs Y (divided by K when
 * not NULL). */
void dwstack_out(const DwShape *s, const DwPlan *q, const float *Y,
                 const float *K, int nb, float *y);
/* dwstack_unstack_add - dx [nb][h][w] += (with set: =, every value
 * written) the gradient of the padded stack D (phase planes, or with
 * rows_from_outputs, stride 1, stack outputs whose row b * pitch + i is
 * image b's row i), masked by x > 0 when x is not NULL; C is scratch for
 * a chunk of compact planes. */
void dwstack_unstack_add(const DwShape *s, const DwPlan *q, const float *D,
                         int rows_from_outputs, const float *x, int nb,
                         float *C, float *dx, int set);

#endif
