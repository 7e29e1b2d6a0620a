/* genotype.c - the search space: names, decisions, text form, hash, random
 * moves (see genotype.h).  No allocation: everything works on fixed-size
 * structs and caller-provided buffers. */
#include "config.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "space/genotype.h"

static const char *const op_names[GENO_OPS] = {
    "identity",     "conv_1x3_3x1", "conv_1x7_7x1", "dil_conv_3x3",
    "avg_pool_3x3", "max_pool_3x3", "max_pool_5x5", "max_pool_7x7",
    "conv_1x1",     "conv_3x3",     "sep_conv_3x3", "sep_conv_5x5",
    "sep_conv_7x7",
};

static const char *const comb_names[GENO_COMBS] = { "add", "concat" };
static const char *const cell_names[GENO_CELLS] = { "normal", "reduce" };
static const char *const field_names[GENO_FIELDS] = { "in1", "in2", "op1",
                                                      "op2", "comb" };
static const char *const state_names[GENO_STATES] = { "h(i-1)", "h(i)", "b0",
                                                      "b1",     "b2",   "b3",
                                                      "b4" };

/* NASNet-A, paper Fig. 4.  assets/nasnet-a.txt holds its canonical text and
 * a test keeps the two equal. */
static const Genotype nasnet_a = { .cells = {
    { .blocks = { /* normal */
        { 1, 0, GENO_OP_SEP_CONV_5X5, GENO_OP_SEP_CONV_3X3, GENO_COMB_ADD },
        { 0, 0, GENO_OP_SEP_CONV_5X5, GENO_OP_SEP_CONV_3X3, GENO_COMB_ADD },
        { 1, 0, GENO_OP_AVG_POOL_3X3, GENO_OP_IDENTITY, GENO_COMB_ADD },
        { 0, 0, GENO_OP_AVG_POOL_3X3, GENO_OP_AVG_POOL_3X3, GENO_COMB_ADD },
        { 1, 1, GENO_OP_SEP_CONV_3X3, GENO_OP_IDENTITY, GENO_COMB_ADD } } },
    { .blocks = { /* reduce */
        { 1, 0, GENO_OP_SEP_CONV_5X5, GENO_OP_SEP_CONV_7X7, GENO_COMB_ADD },
        { 1, 0, GENO_OP_MAX_POOL_3X3, GENO_OP_SEP_CONV_7X7, GENO_COMB_ADD },
        { 1, 0, GENO_OP_AVG_POOL_3X3, GENO_OP_SEP_CONV_5X5, GENO_COMB_ADD },
        { 3, 2, GENO_OP_IDENTITY, GENO_OP_AVG_POOL_3X3, GENO_COMB_ADD },
        { 2, 1, GENO_OP_SEP_CONV_3X3, GENO_OP_MAX_POOL_3X3, GENO_COMB_ADD } } },
} };

const char *geno_op_name(int op)
{
    return op >= 0 && op < GENO_OPS ? op_names[op] : NULL;
}

int geno_op_from_name(const char *name)
{
    for (int i = 0; i < GENO_OPS; i++)
        if (strcmp(op_names[i], name) == 0)
            return i;
    return -1;
}

const char *geno_comb_name(int comb)
{
    return comb >= 0 && comb < GENO_COMBS ? comb_names[comb] : NULL;
}

const char *geno_cell_name(int cell)
{
    return cell >= 0 && cell < GENO_CELLS ? cell_names[cell] : "?";
}

const char *geno_field_name(int field)
{
    return field >= 0 && field < GENO_FIELDS ? field_names[field] : "?";
}

const char *geno_state_name(int state)
{
    return state >= 0 && state < GENO_STATES ? state_names[state] : "?";
}

void geno_decision_locate(int t, int *cell, int *block, int *field)
{
    *cell = t / (GENO_BLOCKS * GENO_FIELDS);
    *block = (t / GENO_FIELDS) % GENO_BLOCKS;
    *field = t % GENO_FIELDS;
}

int geno_decision_support(int t)
{
    int cell, block, field;
    geno_decision_locate(t, &cell, &block, &field);
    switch (field) {
    case GENO_FIELD_IN1:
    case GENO_FIELD_IN2:
        return 2 + block;
    case GENO_FIELD_OP1:
    case GENO_FIELD_OP2:
        return GENO_OPS;
    default:
        return GENO_COMBS;
    }
}

const char *geno_decision_label(int t, int v)
{
    int cell, block, field;
    const char *s = NULL;
    geno_decision_locate(t, &cell, &block, &field);
    if (field == GENO_FIELD_IN1 || field == GENO_FIELD_IN2)
        s = v < 2 + block ? geno_state_name(v) : NULL;
    else if (field == GENO_FIELD_COMB)
        s = geno_comb_name(v);
    else
        s = geno_op_name(v);
    return s ? s : "?";
}

static uint8_t *block_field(GenoBlock *b, int field)
{
    switch (field) {
    case GENO_FIELD_IN1: return &b->in1;
    case GENO_FIELD_IN2: return &b->in2;
    case GENO_FIELD_OP1: return &b->op1;
    case GENO_FIELD_OP2: return &b->op2;
    default: return &b->comb;
    }
}

void geno_to_decisions(const Genotype *g, int out[GENO_DECISIONS])
{
    for (int t = 0; t < GENO_DECISIONS; t++) {
        int cell, block, field;
        geno_decision_locate(t, &cell, &block, &field);
        out[t] = *block_field((GenoBlock *)&g->cells[cell].blocks[block], field);
    }
}

NvStatus geno_from_decisions(const int d[GENO_DECISIONS], Genotype *out,
                             NvError *err)
{
    Genotype g;
    for (int t = 0; t < GENO_DECISIONS; t++) {
        int cell, block, field;
        geno_decision_locate(t, &cell, &block, &field);
        if (d[t] < 0 || d[t] >= geno_decision_support(t))
            return nv_error_set(err, NV_ERR_PARSE,
                                "%s block %d: %s=%d is outside 0..%d",
                                cell_names[cell], block, field_names[field],
                                d[t], geno_decision_support(t) - 1);
        *block_field(&g.cells[cell].blocks[block], field) = (uint8_t)d[t];
    }
    *out = g;
    return NV_OK;
}

NvStatus geno_validate(const Genotype *g, NvError *err)
{
    int d[GENO_DECISIONS];
    Genotype tmp;
    geno_to_decisions(g, d);
    return geno_from_decisions(d, &tmp, err);
}

/* ---- parsing ------------------------------------------------------------ */

/* Copy the next whitespace-delimited token of [*p, end) into tok (cut to
 * n-1 bytes); advance.  Returns the token's full length, 0 when none. */
static size_t next_token(const char **p, const char *end, char *tok, size_t n)
{
    const char *s = *p;
    while (s < end && isspace((unsigned char)*s))
        s++;
    const char *t = s;
    while (t < end && !isspace((unsigned char)*t))
        t++;
    size_t len = (size_t)(t - s);
    *p = t;
    if (len == 0)
        return 0;
    size_t full = len;
    if (len >= n)
        len = n - 1;
    memcpy(tok, s, len);
    tok[len] = '\0';
    return full;
}

static NvStatus parse_input(const char *tok, int cell, int block, int field,
                            uint8_t *out, NvError *err)
{
    char *endp;
    long v;
    if (!isdigit((unsigned char)tok[0]))
        return nv_error_set(err, NV_ERR_PARSE,
                            "%s block %d: %s '%s' is not a state number "
                            "(0 = h(i-1), 1 = h(i), 2+k = block k)",
                            cell_names[cell], block, field_names[field], tok);
    v = strtol(tok, &endp, 10);
    if (*endp != '\0')
        return nv_error_set(err, NV_ERR_PARSE,
                            "%s block %d: %s '%s' is not a state number",
                            cell_names[cell], block, field_names[field], tok);
    if (v > 1 + block || v < 0)
        return nv_error_set(err, NV_ERR_PARSE,
                            "%s block %d: %s=%s but block %d can only use "
                            "states 0..%d",
                            cell_names[cell], block, field_names[field], tok,
                            block, 1 + block);
    *out = (uint8_t)v;
    return NV_OK;
}

static NvStatus parse_op(const char *tok, int cell, int block, int field,
                         uint8_t *out, NvError *err)
{
    int op = geno_op_from_name(tok);
    if (op < 0)
        return nv_error_set(err, NV_ERR_PARSE,
                            "%s block %d: %s '%s' is not an operation (one of "
                            "identity, conv_1x3_3x1, conv_1x7_7x1, "
                            "dil_conv_3x3, avg_pool_3x3, max_pool_3x3, "
                            "max_pool_5x5, max_pool_7x7, conv_1x1, conv_3x3, "
                            "sep_conv_3x3, sep_conv_5x5, sep_conv_7x7)",
                            cell_names[cell], block, field_names[field], tok);
    *out = (uint8_t)op;
    return NV_OK;
}

/* Parse one block "in1 in2 op1 op2 comb" from [s, end). */
static NvStatus parse_block(const char *s, const char *end, int cell, int block,
                            GenoBlock *b, NvError *err)
{
    char tok[GENO_FIELDS + 1][48];
    size_t tlen[GENO_FIELDS + 1];
    int n = 0;
    const char *p = s;
    while (n < GENO_FIELDS + 1 &&
           (tlen[n] = next_token(&p, end, tok[n], sizeof tok[n])) > 0)
        n++;
    if (n == 0)
        return nv_error_set(err, NV_ERR_PARSE,
                            "%s block %d: empty; every block has 5 fields "
                            "(in1 in2 op1 op2 comb)",
                            cell_names[cell], block);
    if (n != GENO_FIELDS)
        return nv_error_set(err, NV_ERR_PARSE,
                            "%s block %d: expected 5 fields (in1 in2 op1 op2 "
                            "comb), found %s%d",
                            cell_names[cell], block, n > GENO_FIELDS ? "more than " : "",
                            n > GENO_FIELDS ? GENO_FIELDS : n);
    /* A cut token could read as something else ("000...01" as 0). */
    for (int k = 0; k < GENO_FIELDS; k++)
        if (tlen[k] >= sizeof tok[k])
            return nv_error_set(err, NV_ERR_PARSE,
                                "%s block %d: %s '%.20s...' is %zu characters "
                                "long; no field is longer than %zu",
                                cell_names[cell], block, field_names[k], tok[k],
                                tlen[k], sizeof tok[k] - 1);
    NvStatus st;
    if ((st = parse_input(tok[0], cell, block, GENO_FIELD_IN1, &b->in1, err)) ||
        (st = parse_input(tok[1], cell, block, GENO_FIELD_IN2, &b->in2, err)) ||
        (st = parse_op(tok[2], cell, block, GENO_FIELD_OP1, &b->op1, err)) ||
        (st = parse_op(tok[3], cell, block, GENO_FIELD_OP2, &b->op2, err)))
        return st;
    if (strcmp(tok[4], "add") == 0)
        b->comb = GENO_COMB_ADD;
    else if (strcmp(tok[4], "concat") == 0)
        b->comb = GENO_COMB_CONCAT;
    else
        return nv_error_set(err, NV_ERR_PARSE,
                            "%s block %d: comb '%s' must be add or concat",
                            cell_names[cell], block, tok[4]);
    return NV_OK;
}

/* Parse "<name>: b; b; b; b; b" from [s, end) into cell number `cell`. */
static NvStatus parse_cell(const char *s, const char *end, int cell,
                           GenoCell *out, NvError *err)
{
    const char *name = cell_names[cell];
    size_t nlen = strlen(name);
    while (s < end && isspace((unsigned char)*s))
        s++;
    if ((size_t)(end - s) < nlen + 1 || strncmp(s, name, nlen) != 0 ||
        s[nlen] != ':') {
        char seen[24];
        size_t k = 0;
        while (s + k < end && k < sizeof seen - 1 && s[k] != ':')
            seen[k] = s[k], k++;
        seen[k] = '\0';
        return nv_error_set(err, NV_ERR_PARSE,
                            "%s cell: expected '%s:' but found '%s'; a "
                            "genotype reads 'normal: ... | reduce: ...'",
                            name, name, seen);
    }
    s += nlen + 1;
    for (int b = 0; b < GENO_BLOCKS; b++) {
        const char *semi = memchr(s, ';', (size_t)(end - s));
        const char *stop = semi ? semi : end;
        if (b == GENO_BLOCKS - 1 && semi)
            return nv_error_set(err, NV_ERR_PARSE,
                                "%s cell: more than 5 blocks (found a ';' "
                                "after block 4)",
                                name);
        if (b < GENO_BLOCKS - 1 && !semi) {
            const char *p = s;
            char tok[8];
            if (!next_token(&p, end, tok, sizeof tok) && b == 0)
                return nv_error_set(err, NV_ERR_PARSE,
                                    "%s cell: no blocks; it needs 5 blocks "
                                    "separated by ';'",
                                    name);
            return nv_error_set(err, NV_ERR_PARSE,
                                "%s cell: found %d block%s, expected 5 "
                                "separated by ';'",
                                name, b + 1, b ? "s" : "");
        }
        NvStatus st = parse_block(s, stop, cell, b, &out->blocks[b], err);
        if (st)
            return st;
        s = semi ? semi + 1 : end;
    }
    return NV_OK;
}

NvStatus geno_parse(const char *text, Genotype *out, NvError *err)
{
    Genotype g;
    size_t len = text ? strlen(text) : 0;
    const char *s = text, *end = text + len;

    while (s < end && isspace((unsigned char)*s))
        s++;
    if (s == end)
        return nv_error_set(err, NV_ERR_PARSE,
                            "empty genotype: expected 'normal: in1 in2 op1 "
                            "op2 comb; ... | reduce: ...' or 'nasnet-a'");
    if (len > GENO_TEXT_MAX)
        return nv_error_set(err, NV_ERR_PARSE,
                            "genotype text is %zu bytes; no genotype is "
                            "longer than %d",
                            len, GENO_TEXT_MAX);
    const char *bar = memchr(s, '|', (size_t)(end - s));
    if (!bar) {
        NvStatus st = parse_cell(s, end, GENO_CELL_NORMAL, &g.cells[0], err);
        if (st)
            return st;
        return nv_error_set(err, NV_ERR_PARSE,
                            "reduce cell: missing; add '| reduce: ...' after "
                            "the normal cell");
    }
    const char *bar2 = memchr(bar + 1, '|', (size_t)(end - bar - 1));
    NvStatus st = parse_cell(s, bar, GENO_CELL_NORMAL, &g.cells[0], err);
    if (st)
        return st;
    st = parse_cell(bar + 1, bar2 ? bar2 : end, GENO_CELL_REDUCE, &g.cells[1],
                    err);
    if (st)
        return st;
    if (bar2)
        return nv_error_set(err, NV_ERR_PARSE,
                            "unexpected text after the reduce cell: '%.40s'",
                            bar2);
    *out = g;
    return NV_OK;
}

NvStatus geno_resolve(const char *text, Genotype *out, NvError *err)
{
    if (text && (strcmp(text, "nasnet-a") == 0 || strcmp(text, "NASNet-A") == 0)) {
        *out = *geno_nasnet_a();
        return NV_OK;
    }
    return geno_parse(text, out, err);
}

/* ---- canonical form and hash ------------------------------------------- */

void geno_canonicalize(Genotype *g)
{
    for (int c = 0; c < GENO_CELLS; c++)
        for (int b = 0; b < GENO_BLOCKS; b++) {
            GenoBlock *k = &g->cells[c].blocks[b];
            if (k->in2 > k->in1 || (k->in2 == k->in1 && k->op2 > k->op1)) {
                uint8_t t = k->in1;
                k->in1 = k->in2, k->in2 = t;
                t = k->op1;
                k->op1 = k->op2, k->op2 = t;
            }
        }
}

int geno_equal(const Genotype *a, const Genotype *b)
{
    Genotype x = *a, y = *b;
    int da[GENO_DECISIONS], db[GENO_DECISIONS];
    geno_canonicalize(&x);
    geno_canonicalize(&y);
    geno_to_decisions(&x, da);
    geno_to_decisions(&y, db);
    return memcmp(da, db, sizeof da) == 0;
}

size_t geno_format_cell(const Genotype *g, int cell, char *buf, size_t n)
{
    Genotype c = *g;
    size_t len = 0;
    geno_canonicalize(&c);
    if (n)
        buf[0] = '\0';
    for (int b = 0; b < GENO_BLOCKS; b++) {
        const GenoBlock *k = &c.cells[cell].blocks[b];
        /* past the end (or with no buffer) only measure: buf + len would
         * point outside the array */
        int w = snprintf(len < n ? buf + len : NULL, len < n ? n - len : 0,
                         "%s%d %d %s %s %s",
                         b ? "; " : "", k->in1, k->in2, geno_op_name(k->op1),
                         geno_op_name(k->op2), geno_comb_name(k->comb));
        len += (size_t)w;
    }
    return len;
}

size_t geno_format(const Genotype *g, char *buf, size_t n)
{
    char cell[2][GENO_TEXT_MAX];
    geno_format_cell(g, 0, cell[0], sizeof cell[0]);
    geno_format_cell(g, 1, cell[1], sizeof cell[1]);
    return (size_t)snprintf(buf, n, "normal: %s | reduce: %s", cell[0], cell[1]);
}

uint64_t geno_hash(const Genotype *g)
{
    char text[GENO_TEXT_MAX];
    size_t len = geno_format(g, text, sizeof text);
    uint64_t h = 0xcbf29ce484222325ull;
    for (size_t i = 0; i < len; i++) {
        h ^= (unsigned char)text[i];
        h *= 0x100000001b3ull;
    }
    return h;
}

void geno_hash_hex(const Genotype *g, char out[17])
{
    snprintf(out, 17, "%016llx", (unsigned long long)geno_hash(g));
}

unsigned geno_cell_output_mask(const Genotype *g, int cell)
{
    unsigned used = 0;
    for (int b = 0; b < GENO_BLOCKS; b++) {
        used |= 1u << g->cells[cell].blocks[b].in1;
        used |= 1u << g->cells[cell].blocks[b].in2;
    }
    return ~used & ((1u << GENO_STATES) - 1);
}

/* ---- random moves ------------------------------------------------------- */

void geno_sample_uniform(Genotype *g, Rng *rng)
{
    int d[GENO_DECISIONS];
    for (int t = 0; t < GENO_DECISIONS; t++)
        d[t] = (int)rng_below(rng, (uint32_t)geno_decision_support(t));
    geno_from_decisions(d, g, NULL);
}

int geno_mutate(Genotype *g, Rng *rng)
{
    /* Probability of leaving the child unchanged: Real et al. 2019, 0.05. */
    if (rng_uniform(rng) < 0.05)
        return -1;
    int cell = (int)rng_below(rng, GENO_CELLS);
    int block = (int)rng_below(rng, GENO_BLOCKS);
    int field = (int)rng_below(rng, 4); /* in1, in2, op1, op2: never comb */
    int t = (cell * GENO_BLOCKS + block) * GENO_FIELDS + field;
    int support = geno_decision_support(t);
    uint8_t *v = block_field(&g->cells[cell].blocks[block], field);
    /* A different value, uniform over the other support-1 values. */
    int nv = (int)rng_below(rng, (uint32_t)(support - 1));
    if (nv >= *v)
        nv++;
    *v = (uint8_t)nv;
    return t;
}

const Genotype *geno_nasnet_a(void)
{
    return &nasnet_a;
}
