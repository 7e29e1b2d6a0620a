/* bench_render.c - times layout plus terminal drawing of one cell, and an
 * SVG render, with one reused Graphviz context.  Not part of `make check`
 * (tests never time); run it by hand:
 *
 *     tests/bench_render [WIDTH HEIGHT [GENOTYPE]]
 *
 * It prints the drawings of both cells at WIDTHxHEIGHT (default 80x24),
 * then the mean time per render. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "render/canvas.h"
#include "render/cell_draw.h"
#include "render/cell_graph.h"
#include "space/genotype.h"

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec * 1e-9;
}

int main(int argc, char **argv)
{
    int w = argc > 2 ? atoi(argv[1]) : 80, h = argc > 2 ? atoi(argv[2]) : 24;
    Genotype g;
    NvError err;
    CellRender *r = NULL;
    double t_new = now();
    if (geno_resolve(argc > 3 ? argv[3] : "nasnet-a", &g, &err) != NV_OK ||
        cell_render_new(&r, &err) != NV_OK) {
        fprintf(stderr, "bench_render: %s\n", err.msg);
        return 1;
    }
    t_new = now() - t_new;
    double t_first = now();
    Canvas *first;
    if (cell_draw(r, &g, 0, w, h, &first, &err) != NV_OK) {
        fprintf(stderr, "bench_render: %s\n", err.msg);
        return 1;
    }
    canvas_free(first);
    t_first = now() - t_first;
    for (int cell = 0; cell < GENO_CELLS; cell++) {
        Canvas *c;
        if (cell_draw(r, &g, cell, w, h, &c, &err) != NV_OK) {
            fprintf(stderr, "bench_render: %s\n", err.msg);
            return 1;
        }
        char *text = canvas_to_utf8(c);
        printf("%s cell at %dx%d:\n%s\n", geno_cell_name(cell), w, h, text);
        free(text);
        canvas_free(c);
    }
    printf("Graphviz context: %.3f ms once; first layout + drawing: %.3f ms\n",
           t_new * 1e3, t_first * 1e3);
    const int n = 500;
    for (int cell = 0; cell < GENO_CELLS; cell++) {
        double t0 = now();
        for (int i = 0; i < n; i++) {
            Canvas *c;
            if (cell_draw(r, &g, cell, w, h, &c, &err) != NV_OK)
                return 1;
            canvas_free(c);
        }
        printf("layout + drawing, %s cell, %dx%d: %.3f ms per cell (%d runs)\n",
               geno_cell_name(cell), w, h, (now() - t0) * 1e3 / n, n);
    }
    double t0 = now();
    for (int i = 0; i < n / 5; i++) {
        char *data;
        size_t len;
        if (cell_render_data(r, &g, CELL_SELECT_BOTH, RENDER_FORMAT_SVG, &data,
                             &len, &err) != NV_OK)
            return 1;
        free(data);
    }
    printf("SVG of both cells: %.3f ms per render (%d runs)\n",
           (now() - t0) * 1e3 / (n / 5), n / 5);
    cell_render_free(r);
    return 0;
}
