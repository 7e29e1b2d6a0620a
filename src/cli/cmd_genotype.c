/* cmd_genotype.c - `nasview genotype`: parse a genotype, print its
 * canonical form, hash and the states each cell concatenates. */
#include "config.h"

#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "render/cell_graph.h"
#include "base/outfile.h"
#include "cli/cli.h"
#include "cli/cli_args.h"
#include "space/genotype.h"
#include "base/jsonw.h"
#include "train/train.h"

static const char usage[] =
    "Usage: nasview genotype (TEXT | nasnet-a) [--format table|json]\n"
    "                        [--svg FILE] [--dot FILE] [--cell normal|reduce|both]\n"
    "                        [--F n] [--N n] [--input CxHxW] [--classes n]\n"
    "Check a genotype and print its canonical form, its hash and, per cell,\n"
    "the blocks and the hidden states concatenated at the output.\n"
    "\n"
    "TEXT is 'normal: B; B; B; B; B | reduce: B; B; B; B; B' where each block\n"
    "B is 'in1 in2 op1 op2 comb' (inputs: 0 = h(i-1), 1 = h(i), 2+k = block k;\n"
    "comb: add or concat); 'nasnet-a' names the built-in NASNet-A.\n"
    "\n"
    "  --format F   table (default) or json\n"
    "  --svg FILE   draw the cells as SVG ('-' for stdout) instead of printing\n"
    "  --dot FILE   write the cells as Graphviz DOT ('-' for stdout)\n"
    "  --cell C     which cells --svg/--dot draw: normal, reduce or both\n"
    "               (default both)\n"
    "  --F n --N n --input CxHxW --classes n\n"
    "               size of the child network to measure (parameters,\n"
    "               mult-adds)\n";

typedef struct {
    OutputFormat format;
    const char *svg, *dot, *cell_opt;
    CellSelect cells;
    CliProxy proxy; /* --F, --N */
    long classes;
    int shape[3];   /* --input */
    int given;      /* any of --F --N --input --classes */
} GenotypeArgs;

/* set_cell - --cell normal|reduce|both. */
static int set_cell(const char *cmd, const CliArg *arg, const char *val,
                    void *opts)
{
    GenotypeArgs *a = opts;
    NvError cerr;
    (void)arg;
    if (cell_select_parse(val, &a->cells, &cerr) != NV_OK)
        return cli_usage_error(cmd, "%s", cerr.msg);
    a->cell_opt = val;
    return 0;
}

static const CliArg args[] = {
    { .name = "format", .kind = CLI_ARG_FORMAT,
      .offset = offsetof(GenotypeArgs, format), .formats = 3 },
    { .name = "svg", .kind = CLI_ARG_STRING,
      .offset = offsetof(GenotypeArgs, svg) },
    { .name = "dot", .kind = CLI_ARG_STRING,
      .offset = offsetof(GenotypeArgs, dot) },
    { .kind = CLI_ARG_PROXY, .offset = offsetof(GenotypeArgs, proxy),
      .proxy = PROXY_F, .seen = CLI_SEEN(GenotypeArgs, given) },
    { .kind = CLI_ARG_PROXY, .offset = offsetof(GenotypeArgs, proxy),
      .proxy = PROXY_N, .seen = CLI_SEEN(GenotypeArgs, given) },
    { .name = "input", .kind = CLI_ARG_SHAPE,
      .offset = offsetof(GenotypeArgs, shape),
      .seen = CLI_SEEN(GenotypeArgs, given) },
    { .name = "classes", .kind = CLI_ARG_LONG,
      .offset = offsetof(GenotypeArgs, classes), .lo = 2, .hi = 256,
      .seen = CLI_SEEN(GenotypeArgs, given) },
    { .name = "cell", .kind = CLI_ARG_CUSTOM, .custom = set_cell },
};

static const CliCommand command = { "genotype", usage, args,
                                    sizeof args / sizeof args[0], -1 };

static void print_concat_json(FILE *f, unsigned mask)
{
    int first = 1;
    fputc('[', f);
    for (int s = 0; s < GENO_STATES; s++)
        if (mask & (1u << s)) {
            if (!first)
                fputc(',', f);
            json_string(f, geno_state_name(s));
            first = 0;
        }
    fputc(']', f);
}

/* The child network size that params/mult_adds are measured at; the
 * search proxy's (SPEC.md section 3) unless options say otherwise. */
typedef struct {
    long F, N, classes;
    int c, h, w;
    int given; /* any of --F --N --input --classes was used */
    int64_t params, mult_adds;
} ChildSize;

static void print_size_json(const ChildSize *z)
{
    printf(",\"size\":{\"F\":%ld,\"N\":%ld,\"input\":\"%dx%dx%d\","
           "\"classes\":%ld,\"default\":%s},\"params\":%lld,"
           "\"mult_adds\":%lld",
           z->F, z->N, z->c, z->h, z->w, z->classes,
           z->given ? "false" : "true", (long long)z->params,
           (long long)z->mult_adds);
}

static void print_json(const Genotype *g, const ChildSize *z)
{
    char text[GENO_TEXT_MAX], hash[17];
    geno_format(g, text, sizeof text);
    geno_hash_hex(g, hash);
    fputs("{\"canonical\":", stdout);
    json_string(stdout, text);
    fputs(",\"hash\":", stdout);
    json_string(stdout, hash);
    for (int c = 0; c < GENO_CELLS; c++) {
        Genotype canon = *g;
        geno_canonicalize(&canon);
        printf(",\"%s\":{\"blocks\":[", geno_cell_name(c));
        for (int b = 0; b < GENO_BLOCKS; b++) {
            const GenoBlock *k = &canon.cells[c].blocks[b];
            printf("%s{\"in1\":%d,\"in2\":%d,\"op1\":", b ? "," : "", k->in1,
                   k->in2);
            json_string(stdout, geno_op_name(k->op1));
            fputs(",\"op2\":", stdout);
            json_string(stdout, geno_op_name(k->op2));
            fputs(",\"comb\":", stdout);
            json_string(stdout, geno_comb_name(k->comb));
            fputc('}', stdout);
        }
        fputs("],\"concat\":", stdout);
        print_concat_json(stdout, geno_cell_output_mask(g, c));
        fputc('}', stdout);
    }
    print_size_json(z);
    fputs("}\n", stdout);
}

static void print_table(const Genotype *g, const ChildSize *z)
{
    char text[GENO_TEXT_MAX], hash[17];
    Genotype canon = *g;
    geno_canonicalize(&canon);
    geno_format(g, text, sizeof text);
    geno_hash_hex(g, hash);
    printf("canonical  %s\nhash       %s\n", text, hash);
    for (int c = 0; c < GENO_CELLS; c++) {
        unsigned mask = geno_cell_output_mask(g, c);
        printf("\n%s cell\n  %-5s %-7s %-7s %-13s %-13s %s\n", geno_cell_name(c),
               "block", "in1", "in2", "op1", "op2", "comb");
        for (int b = 0; b < GENO_BLOCKS; b++) {
            const GenoBlock *k = &canon.cells[c].blocks[b];
            printf("  b%-4d %-7s %-7s %-13s %-13s %s\n", b,
                   geno_state_name(k->in1), geno_state_name(k->in2),
                   geno_op_name(k->op1), geno_op_name(k->op2),
                   geno_comb_name(k->comb));
        }
        printf("  output = concat(");
        for (int s = 0, first = 1; s < GENO_STATES; s++)
            if (mask & (1u << s)) {
                printf("%s%s", first ? "" : ", ", geno_state_name(s));
                first = 0;
            }
        printf(")\n");
    }
    printf("\nchild      F=%ld N=%ld, input %dx%dx%d, %ld classes%s\n"
           "params     %lld\nmult_adds  %lld per image\n",
           z->F, z->N, z->c, z->h, z->w, z->classes,
           z->given ? "" : " (search proxy default)", (long long)z->params,
           (long long)z->mult_adds);
}

/* Write the --svg and --dot drawings; returns an exit status. */
static int write_drawings(const Genotype *g, const char *svg, const char *dot,
                          CellSelect cells)
{
    NvError err;
    nv_error_clear(&err);
    if (svg && dot && outfile_same(svg, dot))
        return cli_usage_error("genotype", "--svg and --dot name the same "
                                           "file '%s': give two names", dot);
    if (svg && cell_render_file(g, cells, RENDER_FORMAT_SVG, svg, &err) != NV_OK)
        return cli_fail("genotype", &err);
    if (dot && cell_render_file(g, cells, RENDER_FORMAT_DOT, dot, &err) != NV_OK)
        return cli_fail("genotype", &err);
    return CLI_EXIT_OK;
}

int cmd_genotype(int argc, char **argv)
{
    GenotypeArgs a;
    memset(&a, 0, sizeof a);
    a.format = FORMAT_TABLE;
    a.cells = CELL_SELECT_BOTH;
    a.classes = 10;
    a.shape[0] = 1;
    a.shape[1] = a.shape[2] = 28;
    int first, rc = cli_args_parse(&command, argc, argv, &a, &first);
    if (rc)
        return rc == CLI_ARGS_HELP ? CLI_EXIT_OK : rc;
    const OutputFormat format = a.format;
    const char *svg = a.svg, *dot = a.dot, *cell_opt = a.cell_opt;
    const CellSelect cells = a.cells;
    ChildSize z = { cli_proxy_long(&a.proxy, PROXY_F, 8),
                    cli_proxy_long(&a.proxy, PROXY_N, 1), a.classes,
                    a.shape[0], a.shape[1], a.shape[2], a.given, 0, 0 };

    if (first >= argc)
        return cli_usage_error("genotype", "missing genotype (TEXT or nasnet-a)");
    if (argc - first > 1)
        return cli_usage_error("genotype",
                               "unexpected argument '%s' (quote the genotype "
                               "text as one argument)",
                               argv[first + 1]);
    if (cell_opt && !svg && !dot)
        return cli_usage_error("genotype", "--cell only applies to --svg and --dot");
    if (svg && dot && strcmp(svg, "-") == 0 && strcmp(dot, "-") == 0)
        return cli_usage_error("genotype",
                               "--svg and --dot cannot both write to stdout");

    Genotype g;
    NvError err;
    nv_error_clear(&err);
    if (geno_resolve(argv[first], &g, &err) != NV_OK)
        return cli_fail("genotype", &err);
    if (svg || dot)
        return write_drawings(&g, svg, dot, cells);
    if (train_measure(&g, (int)z.F, (int)z.N, z.c, z.h, z.w, (int)z.classes,
                      &z.params, &z.mult_adds, &err) != NV_OK)
        return cli_fail("genotype", &err);
    if (format == FORMAT_JSON)
        print_json(&g, &z);
    else
        print_table(&g, &z);
    return CLI_EXIT_OK;
}
