/* memplan.h - placing buffers with known lifetimes in one arena: buffers
 * whose lifetimes overlap never overlap in memory, the others may share.
 * Used by network.c for activations and their gradients.  Pure
 * arithmetic: nothing here allocates the arena itself. */
#ifndef NASVIEW_MEMPLAN_H
#define NASVIEW_MEMPLAN_H

#include <stddef.h>

typedef struct {
    int start, end; /* live over the steps start..end, inclusive */
    size_t size;    /* floats */
    size_t off;     /* result: offset in the arena */
} MemSlot;

/* memplan_place - set every slot's off (first fit, in order of start,
 * then index) and return the arena size in floats; (size_t)-1 when out of
 * memory for the planner's own scratch. */
size_t memplan_place(MemSlot *slots, int n);

#endif
