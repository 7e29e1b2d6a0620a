/* test_genotype.c - the search space: decisions, text round trips,
 * canonical form and hash, every class of malformed input, random moves. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "space/genotype.h"

static const char *srcdir(void)
{
    const char *s = getenv("SRCDIR");
    return s ? s : ".";
}

static void test_decisions(void)
{
    int sum = 0, t = 0;
    for (t = 0; t < GENO_DECISIONS; t++)
        sum += geno_decision_support(t);
    /* per cell: sum over b of (2+b)*2 + 13*2 + 2 = 2*(2+3+4+5+6) + 5*28 = 180 */
    CHECK(sum == 360, "total support %d, expected 360", sum);
    int cell, block, field;
    geno_decision_locate(0, &cell, &block, &field);
    CHECK(cell == 0 && block == 0 && field == GENO_FIELD_IN1, "decision 0");
    geno_decision_locate(27, &cell, &block, &field);
    CHECK(cell == 1 && block == 0 && field == GENO_FIELD_OP1,
          "decision 27 is %d/%d/%d", cell, block, field);
    geno_decision_locate(49, &cell, &block, &field);
    CHECK(cell == 1 && block == 4 && field == GENO_FIELD_COMB, "decision 49");
    CHECK(geno_decision_support(5) == 3, "normal block 1 in1 support");
    CHECK(geno_decision_support(22) == 13, "op support");

    int d[GENO_DECISIONS];
    Genotype g;
    geno_to_decisions(geno_nasnet_a(), d);
    CHECK(geno_from_decisions(d, &g, NULL) == NV_OK, "nasnet-a decisions");
    CHECK(memcmp(&g, geno_nasnet_a(), sizeof g) == 0, "decision round trip");
    d[7] = 13; /* normal block 1 op1 */
    NvError err;
    CHECK(geno_from_decisions(d, &g, &err) == NV_ERR_PARSE, "op 13 accepted");
    CHECK(strstr(err.msg, "normal block 1: op1=13") != NULL, "message: %s",
          err.msg);
    CHECK(strcmp(geno_decision_label(27, 12), "sep_conv_7x7") == 0, "label");
    CHECK(strcmp(geno_decision_label(25, 1), "h(i)") == 0, "label in");
    CHECK(strcmp(geno_decision_label(49, 1), "concat") == 0, "label comb");
}

static void test_nasnet_a(void)
{
    char path[4096], line[2048], text[GENO_TEXT_MAX], hex[17];
    snprintf(path, sizeof path, "%s/assets/nasnet-a.txt", srcdir());
    FILE *f = fopen(path, "r");
    CHECK(f != NULL, "cannot open %s", path);
    if (!f)
        return;
    CHECK(fgets(line, sizeof line, f) != NULL, "empty %s", path);
    fclose(f);
    line[strcspn(line, "\n")] = '\0';

    Genotype g;
    NvError err;
    CHECK(geno_parse(line, &g, &err) == NV_OK, "asset does not parse: %s",
          err.msg);
    size_t full = geno_format(geno_nasnet_a(), text, sizeof text);
    /* measuring and cutting, like snprintf */
    char cut[12], cell[GENO_TEXT_MAX];
    CHECK(geno_format(geno_nasnet_a(), NULL, 0) == full, "measure");
    CHECK(geno_format(geno_nasnet_a(), cut, sizeof cut) == full &&
              strlen(cut) == sizeof cut - 1 &&
              strncmp(cut, text, sizeof cut - 1) == 0,
          "cut text '%s'", cut);
    size_t clen = geno_format_cell(geno_nasnet_a(), 1, cell, sizeof cell);
    CHECK(clen == strlen(cell) && strstr(text, cell) != NULL, "cell text");
    CHECK(geno_format_cell(geno_nasnet_a(), 1, NULL, 0) == clen &&
              geno_format_cell(geno_nasnet_a(), 1, cut, sizeof cut) == clen &&
              strncmp(cut, cell, sizeof cut - 1) == 0 &&
              strlen(cut) == sizeof cut - 1,
          "cell measure and cut '%s'", cut);
    CHECK(strcmp(text, line) == 0, "built-in NASNet-A differs from asset:\n%s\n%s",
          text, line);
    CHECK(memcmp(&g, geno_nasnet_a(), sizeof g) == 0, "parsed != built-in");
    CHECK(geno_resolve("nasnet-a", &g, NULL) == NV_OK, "resolve nasnet-a");
    CHECK(geno_cell_output_mask(&g, GENO_CELL_NORMAL) == 0x7c,
          "normal concat mask %#x, expected b0..b4",
          geno_cell_output_mask(&g, GENO_CELL_NORMAL));
    CHECK(geno_cell_output_mask(&g, GENO_CELL_REDUCE) == 0x70,
          "reduce concat mask %#x, expected b2..b4",
          geno_cell_output_mask(&g, GENO_CELL_REDUCE));
    geno_hash_hex(&g, hex);
    CHECK(strlen(hex) == 16, "hash hex %s", hex);
}

static void test_round_trips(void)
{
    Rng rng;
    rng_seed(&rng, 7, 0);
    int seen_ops[GENO_OPS] = { 0 }, seen_concat = 0;
    for (int i = 0; i < 5000; i++) {
        Genotype g, h, c;
        char text[GENO_TEXT_MAX], again[GENO_TEXT_MAX];
        NvError err;
        geno_sample_uniform(&g, &rng);
        CHECK(geno_validate(&g, NULL) == NV_OK, "sampled genotype invalid");
        size_t len = geno_format(&g, text, sizeof text);
        CHECK(len < GENO_TEXT_MAX, "text length %zu", len);
        CHECK(geno_parse(text, &h, &err) == NV_OK, "reparse: %s\n%s", err.msg,
              text);
        c = g;
        geno_canonicalize(&c);
        CHECK(memcmp(&c, &h, sizeof c) == 0, "parse(format(g)) != canon(g)");
        geno_format(&h, again, sizeof again);
        CHECK(strcmp(text, again) == 0, "format not idempotent");
        CHECK(geno_hash(&g) == geno_hash(&h), "hash differs after round trip");
        CHECK(geno_equal(&g, &h), "geno_equal after round trip");
        for (int cell = 0; cell < 2; cell++)
            for (int b = 0; b < 5; b++) {
                seen_ops[g.cells[cell].blocks[b].op1]++;
                seen_concat += g.cells[cell].blocks[b].comb;
            }
    }
    for (int op = 0; op < GENO_OPS; op++)
        CHECK(seen_ops[op] > 0, "op %d never sampled", op);
    CHECK(seen_concat > 0, "concat never sampled");
}

static void test_canonical(void)
{
    Genotype a, b;
    const char *t1 = "normal: 0 1 sep_conv_3x3 sep_conv_5x5 add; 0 0 sep_conv_3x3 "
                     "sep_conv_5x5 add; 1 0 avg_pool_3x3 identity add; 0 0 "
                     "avg_pool_3x3 avg_pool_3x3 add; 1 1 identity sep_conv_3x3 "
                     "add | reduce: 0 1 sep_conv_7x7 sep_conv_5x5 add; 1 0 "
                     "max_pool_3x3 sep_conv_7x7 add; 1 0 avg_pool_3x3 "
                     "sep_conv_5x5 add; 2 3 avg_pool_3x3 identity add; 1 2 "
                     "max_pool_3x3 sep_conv_3x3 add";
    CHECK(geno_parse(t1, &a, NULL) == NV_OK, "swapped NASNet-A parses");
    b = *geno_nasnet_a();
    CHECK(memcmp(&a, &b, sizeof a) != 0, "swapped text equal before canon");
    CHECK(geno_equal(&a, &b), "swapped halves not equal");
    CHECK(geno_hash(&a) == geno_hash(&b), "swapped halves hash differently");
    /* a different network hashes differently */
    b.cells[0].blocks[4].comb = GENO_COMB_CONCAT;
    CHECK(geno_hash(&a) != geno_hash(&b), "different networks, same hash");
    CHECK(!geno_equal(&a, &b), "different networks equal");
}

typedef struct {
    const char *text;
    const char *message; /* substring expected in the error */
} BadCase;

static void test_malformed(void)
{
    static const BadCase cases[] = {
        { "", "empty genotype" },
        { "   \n\t", "empty genotype" },
        { "nasnet-b", "expected 'normal:'" },
        { "normal: 1 0 identity identity add", "found 1 block" },
        { "normal: 1 0 identity identity add; 1 0 identity identity add; 1 0 "
          "identity identity add; 1 0 identity identity add; 1 0 identity "
          "identity add",
          "reduce cell: missing" },
        { "normal: 1 0 identity identity add; 1 0 identity identity add; 1 0 "
          "identity identity add; 1 0 identity identity add; 1 0 identity "
          "identity add | ",
          "expected 'reduce:'" },
        { "normal: 1 0 identity add; 1 0 identity identity add; 1 0 identity "
          "identity add; 1 0 identity identity add; 1 0 identity identity add "
          "| reduce: 1 0 identity identity add; 1 0 identity identity add; 1 "
          "0 identity identity add; 1 0 identity identity add; 1 0 identity "
          "identity add",
          "normal block 0: expected 5 fields" },
        { "normal: 1 0 identity identity add x; 1 0 identity identity add; 1 "
          "0 identity identity add; 1 0 identity identity add; 1 0 identity "
          "identity add | reduce: 1 0 identity identity add; 1 0 identity "
          "identity add; 1 0 identity identity add; 1 0 identity identity add; "
          "1 0 identity identity add",
          "normal block 0: expected 5 fields" },
        { "normal: 1 0 identity identity add; 1 0 sep_conv_9x9 identity add; "
          "1 0 identity identity add; 1 0 identity identity add; 1 0 identity "
          "identity add | reduce: 1 0 identity identity add; 1 0 identity "
          "identity add; 1 0 identity identity add; 1 0 identity identity add; "
          "1 0 identity identity add",
          "normal block 1: op1 'sep_conv_9x9' is not an operation" },
        { "normal: 1 0 identity identity add; 1 0 identity identity add; 1 0 "
          "identity identity add; 1 0 identity identity add; 1 0 identity "
          "identity add | reduce: 1 0 identity identity add; 1 0 identity "
          "identity add; 1 0 identity identity add; 1 7 identity identity add; "
          "1 0 identity identity add",
          "reduce block 3: in2=7 but block 3 can only use states 0..4" },
        { "normal: 2 0 identity identity add; 1 0 identity identity add; 1 0 "
          "identity identity add; 1 0 identity identity add; 1 0 identity "
          "identity add | reduce: 1 0 identity identity add; 1 0 identity "
          "identity add; 1 0 identity identity add; 1 0 identity identity add; "
          "1 0 identity identity add",
          "normal block 0: in1=2 but block 0 can only use states 0..1" },
        { "normal: -1 0 identity identity add; 1 0 identity identity add; 1 0 "
          "identity identity add; 1 0 identity identity add; 1 0 identity "
          "identity add | reduce: 1 0 identity identity add; 1 0 identity "
          "identity add; 1 0 identity identity add; 1 0 identity identity add; "
          "1 0 identity identity add",
          "normal block 0: in1 '-1' is not a state number" },
        { "normal: 1 0 identity identity mul; 1 0 identity identity add; 1 0 "
          "identity identity add; 1 0 identity identity add; 1 0 identity "
          "identity add | reduce: 1 0 identity identity add; 1 0 identity "
          "identity add; 1 0 identity identity add; 1 0 identity identity add; "
          "1 0 identity identity add",
          "normal block 0: comb 'mul' must be add or concat" },
        { "normal: 1 0 identity identity add; 1 0 identity identity add; 1 0 "
          "identity identity add; 1 0 identity identity add; 1 0 identity "
          "identity add | reduce: 1 0 identity identity add; 1 0 identity "
          "identity add; 1 0 identity identity add; 1 0 identity identity add; "
          "1 0 identity identity add | junk",
          "unexpected text after the reduce cell" },
        { "normal: 1 0 identity identity add; 1 0 identity identity add; 1 0 "
          "identity identity add; 1 0 identity identity add; 1 0 identity "
          "identity add | reduce: 1 0 identity identity add; 1 0 identity "
          "identity add; 1 0 identity identity add; 1 0 identity identity add; "
          "1 0 identity identity add; 1 0 identity identity add",
          "reduce cell: more than 5 blocks" },
        { "normal: 1 0 identity identity add; 1 0 identity identity add; 1 0 "
          "identity identity add; 1 0 identity identity add; 1 0 identity "
          "identity add | reduce: 1 0 identity identity add; 1 0 identity "
          "identity add; 1 0 identity identity add; 1 0 identity identity add; "
          "1 0 identity identity add trailing",
          "reduce block 4: expected 5 fields" },
        { "normal: 1 0 identity identity add; ; 1 0 identity identity add; 1 "
          "0 identity identity add; 1 0 identity identity add | reduce: 1 0 "
          "identity identity add; 1 0 identity identity add; 1 0 identity "
          "identity add; 1 0 identity identity add; 1 0 identity identity add",
          "normal block 1: empty" },
        { "normal: | reduce:", "normal cell: no blocks" },
        /* a token longer than the parser's buffer is refused, not cut: cut
         * to 47 characters this in1 would read as 0 */
        { "normal: 1 0 identity identity add; 1 0 identity identity add; 1 0 "
          "identity identity add; 1 0 identity identity add; 1 0 identity "
          "identity add | reduce: 1 0 identity identity add; 1 0 identity "
          "identity add; 1 0 identity identity add; "
          "000000000000000000000000000000000000000000000000000001 0 identity "
          "identity add; 1 0 identity identity add",
          "reduce block 3: in1 '00000000000000000000...' is 54 characters" },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        Genotype g;
        NvError err;
        nv_error_clear(&err);
        NvStatus st = geno_parse(cases[i].text, &g, &err);
        CHECK(st == NV_ERR_PARSE, "case %zu accepted: %s", i, cases[i].text);
        CHECK(strstr(err.msg, cases[i].message) != NULL,
              "case %zu: message '%s' lacks '%s'", i, err.msg, cases[i].message);
    }

    /* huge input */
    size_t n = 1 << 20;
    char *huge = malloc(n + 1);
    memset(huge, 'x', n);
    huge[n] = '\0';
    NvError err;
    Genotype g;
    CHECK(geno_parse(huge, &g, &err) == NV_ERR_PARSE, "huge accepted");
    CHECK(strstr(err.msg, "bytes; no genotype is longer") != NULL, "huge: %s",
          err.msg);
    free(huge);
    CHECK(geno_parse(NULL, &g, &err) == NV_ERR_PARSE, "NULL accepted");
}

static void test_mutation(void)
{
    Rng rng;
    rng_seed(&rng, 3, 0);
    int unchanged = 0, n = 20000, changed_comb = 0;
    int field_hits[GENO_FIELDS] = { 0 };
    for (int i = 0; i < n; i++) {
        Genotype g, m;
        int a[GENO_DECISIONS], b[GENO_DECISIONS], diff = 0, where = -1;
        geno_sample_uniform(&g, &rng);
        m = g;
        int t = geno_mutate(&m, &rng);
        CHECK(geno_validate(&m, NULL) == NV_OK, "mutant invalid");
        geno_to_decisions(&g, a);
        geno_to_decisions(&m, b);
        for (int k = 0; k < GENO_DECISIONS; k++)
            if (a[k] != b[k])
                diff++, where = k;
        if (t < 0) {
            unchanged++;
            CHECK(diff == 0, "no-change mutation changed %d decisions", diff);
        } else {
            CHECK(diff == 1 && where == t, "mutation changed %d decisions "
                  "(reported %d, found %d)", diff, t, where);
            field_hits[t % GENO_FIELDS]++;
            if (t % GENO_FIELDS == GENO_FIELD_COMB)
                changed_comb++;
        }
    }
    CHECK(unchanged > n * 0.04 && unchanged < n * 0.06,
          "%d of %d unchanged, expected about 5%%", unchanged, n);
    CHECK(changed_comb == 0, "comb mutated %d times", changed_comb);
    for (int f = 0; f < 4; f++)
        CHECK(field_hits[f] > n / 5, "field %d mutated only %d times", f,
              field_hits[f]);
}

int main(void)
{
    test_decisions();
    test_nasnet_a();
    test_round_trips();
    test_canonical();
    test_malformed();
    test_mutation();
    return check_exit("test_genotype");
}
