/* genotype.h - the NASNet search space (SPEC.md section 1).
 *
 * A Genotype is two cells (normal, reduction) of GENO_BLOCKS blocks; each
 * block picks two inputs, an operation for each and a combine mode.  This
 * module owns the 50 decisions and their order, the canonical text form and
 * its hash, parsing with messages that name the cell, block and field, and
 * the random moves that strategies make (uniform sampling, mutation).
 * It knows nothing about networks, training or storage. */
#ifndef NASVIEW_GENOTYPE_H
#define NASVIEW_GENOTYPE_H

#include <stddef.h>
#include <stdint.h>

#include "base/nv_error.h"
#include "base/rng.h"

/* The version of the search space these definitions make (decisions,
 * operations, their order): stored with every search so that searches of
 * different spaces are not compared as like with like.  Raise it with any
 * change a stored genotype would read differently under. */
#define GENO_SPACE_VERSION 1

#define GENO_CELLS 2
#define GENO_BLOCKS 5
#define GENO_FIELDS 5
#define GENO_OPS 13
#define GENO_COMBS 2
/* Hidden states a cell can reference: h(i-1), h(i), then one per block. */
#define GENO_STATES (2 + GENO_BLOCKS)
#define GENO_DECISIONS (GENO_CELLS * GENO_BLOCKS * GENO_FIELDS)
/* Largest support of any decision (the operation choice). */
#define GENO_MAX_SUPPORT GENO_OPS
/* Longest canonical text, with room to spare (the longest real one is
 * about 420 bytes). */
#define GENO_TEXT_MAX 1024

typedef enum { GENO_CELL_NORMAL = 0, GENO_CELL_REDUCE = 1 } GenoCellKind;

typedef enum {
    GENO_FIELD_IN1 = 0,
    GENO_FIELD_IN2 = 1,
    GENO_FIELD_OP1 = 2,
    GENO_FIELD_OP2 = 3,
    GENO_FIELD_COMB = 4
} GenoField;

typedef enum {
    GENO_OP_IDENTITY = 0,
    GENO_OP_CONV_1X3_3X1,
    GENO_OP_CONV_1X7_7X1,
    GENO_OP_DIL_CONV_3X3,
    GENO_OP_AVG_POOL_3X3,
    GENO_OP_MAX_POOL_3X3,
    GENO_OP_MAX_POOL_5X5,
    GENO_OP_MAX_POOL_7X7,
    GENO_OP_CONV_1X1,
    GENO_OP_CONV_3X3,
    GENO_OP_SEP_CONV_3X3,
    GENO_OP_SEP_CONV_5X5,
    GENO_OP_SEP_CONV_7X7
} GenoOp;

typedef enum { GENO_COMB_ADD = 0, GENO_COMB_CONCAT = 1 } GenoComb;

typedef struct {
    uint8_t in1, in2; /* 0 = h(i-1), 1 = h(i), 2+k = block k (k < own index) */
    uint8_t op1, op2; /* GenoOp */
    uint8_t comb;     /* GenoComb */
} GenoBlock;

typedef struct {
    GenoBlock blocks[GENO_BLOCKS];
} GenoCell;

typedef struct {
    GenoCell cells[GENO_CELLS];
} Genotype;

/* geno_op_name - canonical name of op ("sep_conv_3x3"); NULL if out of range. */
const char *geno_op_name(int op);

/* geno_op_from_name - the op index for a canonical name, or -1. */
int geno_op_from_name(const char *name);

/* geno_comb_name - "add" or "concat"; NULL if out of range. */
const char *geno_comb_name(int comb);

/* geno_cell_name - "normal" or "reduce". */
const char *geno_cell_name(int cell);

/* geno_field_name - "in1", "in2", "op1", "op2" or "comb". */
const char *geno_field_name(int field);

/* geno_state_name - readable name of hidden state s of a cell: "h(i-1)",
 * "h(i)", "b0".."b4".  Returns a static string. */
const char *geno_state_name(int state);

/* geno_decision_locate - where decision t (0..GENO_DECISIONS-1) lives.
 * Decisions run cell by cell, block by block, field by field, exactly in the
 * order the controller makes them. */
void geno_decision_locate(int t, int *cell, int *block, int *field);

/* geno_decision_support - number of values decision t can take
 * (2+block for inputs, GENO_OPS for ops, GENO_COMBS for comb). */
int geno_decision_support(int t);

/* geno_decision_label - readable value of decision t taking value v
 * ("h(i)", "sep_conv_3x3", "add", ...).  Returns a static string. */
const char *geno_decision_label(int t, int v);

/* geno_to_decisions - the 50 decision values of g, in decision order. */
void geno_to_decisions(const Genotype *g, int out[GENO_DECISIONS]);

/* geno_from_decisions - build *out from 50 decision values.  Fails with
 * NV_ERR_PARSE naming the first decision outside its support. */
NvStatus geno_from_decisions(const int d[GENO_DECISIONS], Genotype *out,
                             NvError *err);

/* geno_validate - NV_OK when every field of g lies inside the space;
 * otherwise NV_ERR_PARSE with a message naming cell, block and field. */
NvStatus geno_validate(const Genotype *g, NvError *err);

/* geno_parse - parse the text form ("normal: ... | reduce: ...") into *out
 * exactly as written (not canonicalised).  Whitespace between tokens is
 * free.  Errors (NV_ERR_PARSE) name the cell, block and field at fault. */
NvStatus geno_parse(const char *text, Genotype *out, NvError *err);

/* geno_canonicalize - order each block's two (input, op) halves: larger
 * input first, on a tie larger op first.  Equal networks become equal
 * genotypes. */
void geno_canonicalize(Genotype *g);

/* geno_equal - whether a and b are the same network (compares canonical
 * forms). */
int geno_equal(const Genotype *a, const Genotype *b);

/* geno_format - write the canonical text of g into buf (size n, at least
 * GENO_TEXT_MAX is always enough), cut and NUL-terminated when n is
 * smaller, like snprintf; buf may be NULL when n is 0.  Returns the length
 * of the whole text. */
size_t geno_format(const Genotype *g, char *buf, size_t n);

/* geno_format_cell - the canonical text of one cell's blocks only
 * ("1 0 sep_conv_5x5 sep_conv_3x3 add; ..."), into buf (size n) as
 * geno_format does.  Returns the length of the whole text. */
size_t geno_format_cell(const Genotype *g, int cell, char *buf, size_t n);

/* geno_hash - 64-bit FNV-1a hash of the canonical text: the identity of a
 * network across searches and program versions. */
uint64_t geno_hash(const Genotype *g);

/* geno_hash_hex - geno_hash as 16 lower-case hex digits into out[17]. */
void geno_hash_hex(const Genotype *g, char out[17]);

/* geno_cell_output_mask - bit s set when hidden state s of the cell is not
 * used by any block and is therefore concatenated at the cell's output. */
unsigned geno_cell_output_mask(const Genotype *g, int cell);

/* geno_sample_uniform - every decision uniform over its support (the
 * paper's random search). */
void geno_sample_uniform(Genotype *g, Rng *rng);

/* geno_mutate - regularised evolution's mutation (Real et al. 2019): with
 * probability 0.05 no change; otherwise one input or op of one random block
 * of one random cell is set to a different value.  Returns the decision
 * index changed, or -1 for no change. */
int geno_mutate(Genotype *g, Rng *rng);

/* geno_nasnet_a - the built-in NASNet-A genotype (paper Fig. 4). */
const Genotype *geno_nasnet_a(void);

/* geno_resolve - parse text, accepting the built-in name "nasnet-a" too. */
NvStatus geno_resolve(const char *text, Genotype *out, NvError *err);

#endif
