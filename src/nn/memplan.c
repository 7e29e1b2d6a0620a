/* memplan.c - first-fit placement of buffers by lifetime; see memplan.h.
 * Quadratic in the number of buffers (a child network has a few hundred). */
#include "config.h"

#include <stdlib.h>

#include "nn/memplan.h"

typedef struct {
    const MemSlot *s;
    int idx;
} SlotRef;

static int by_start(const void *a, const void *b)
{
    const SlotRef *x = a, *y = b;
    if (x->s->start != y->s->start)
        return x->s->start < y->s->start ? -1 : 1;
    return x->idx < y->idx ? -1 : x->idx > y->idx;
}

static int by_off(const void *a, const void *b)
{
    const MemSlot *x = *(const MemSlot *const *)a,
                  *y = *(const MemSlot *const *)b;
    return x->off < y->off ? -1 : x->off > y->off;
}

size_t memplan_place(MemSlot *slots, int n)
{
    SlotRef *order = malloc(sizeof *order * (size_t)(n > 0 ? n : 1));
    const MemSlot **live = malloc(sizeof *live * (size_t)(n > 0 ? n : 1));
    if (!order || !live) {
        free(order);
        free(live);
        return (size_t)-1;
    }
    for (int i = 0; i < n; i++)
        order[i] = (SlotRef){ &slots[i], i };
    qsort(order, (size_t)n, sizeof *order, by_start);
    size_t top = 0;
    for (int i = 0; i < n; i++) {
        MemSlot *cur = &slots[order[i].idx];
        int nl = 0;
        for (int j = 0; j < i; j++) {
            const MemSlot *p = order[j].s;
            if (p->end >= cur->start && p->start <= cur->end)
                live[nl++] = p;
        }
        qsort(live, (size_t)nl, sizeof *live, by_off);
        size_t off = 0;
        for (int j = 0; j < nl; j++) {
            if (live[j]->off >= off + cur->size)
                break;
            if (live[j]->off + live[j]->size > off)
                off = live[j]->off + live[j]->size;
        }
        cur->off = off;
        if (off + cur->size > top)
            top = off + cur->size;
    }
    free(order);
    free(live);
    return top;
}
