/* augment.h - data augmentation of a normalised float batch, in place:
 * cutout (a square zeroed per image, DeVries & Taylor 2017) and random
 * crop with zero padding plus horizontal flip (the usual CIFAR-10
 * recipe).  Every random choice comes from the caller's Rng; nothing is
 * allocated (the crop takes the caller's scratch).  Labels are not
 * touched: no augmentation here changes them. */
#ifndef NASVIEW_AUGMENT_H
#define NASVIEW_AUGMENT_H

#include "base/rng.h"

/* augment_cutout - in each of the n images [n][c][h][w] of x, set a
 * size x size square (all channels), centred on a uniformly drawn pixel
 * and clipped at the edges, to 0 (the mean, after normalisation).  size
 * <= 0 does nothing. */
void augment_cutout(float *x, int n, int c, int h, int w, int size, Rng *rng);

/* augment_crop_flip - in each of the n images of x: pad by `pad` pixels of
 * fill[ch] (the value of a black pixel after normalisation, one per
 * channel), take a uniformly placed h x w window, then mirror it left to
 * right with probability 1/2.  scratch: c*h*w floats of the caller's. */
void augment_crop_flip(float *x, int n, int c, int h, int w, int pad,
                       const float *fill, float *scratch, Rng *rng);

#endif
