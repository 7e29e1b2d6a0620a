/* child.c - builds SPEC.md section 2's child network from a genotype:
 * operations (section 1's table), cells with their preprocessing, strides
 * and output concat, and the stem/stacks/head around them. */
#include "config.h"

#include "train/child.h"

/* Parameter scopes (net_param_scope): what a borrowed parameter is keyed
 * by, so that the op applied to input j of block b of the cell at
 * position pos, on cin channels, always borrows the same tensors. */
enum { SCOPE_STEM = 1, SCOPE_PRE0, SCOPE_PRE1, SCOPE_OP, SCOPE_OUT_REDUCE,
       SCOPE_HEAD, SCOPE_AUX, SCOPE_HEAD_PRE };

static uint64_t child_scope(int tag, int pos, int b, int j, int op, int cin)
{
    return (uint64_t)tag << 56 | (uint64_t)(pos & 0xff) << 48 |
           (uint64_t)(b & 0xf) << 44 | (uint64_t)(j & 0xf) << 40 |
           (uint64_t)(op & 0xff) << 32 | (uint64_t)(uint32_t)cin;
}

/* ReLU - conv 1x1 (stride s) - BN, C_in -> C. */
static Tensor *relu_conv_bn(Net *net, Tensor *x, int C, int s)
{
    return net_bn(net, net_conv(net, x, C, 1, 1, s, s, 0, 0, 1, 1, 1));
}

/* Factorized reduce with its BN, C_in -> C. */
static Tensor *factred_bn(Net *net, Tensor *x, int C)
{
    return net_bn(net, net_factred(net, x, C));
}

static Tensor *pool_op(Net *net, Tensor *x, int max, int k, int C, int s)
{
    Tensor *t = net_pool(net, x, max, k, s);
    if (t && x->c != C)
        t = relu_conv_bn(net, t, C, 1);
    return t;
}

static Tensor *sep_conv(Net *net, Tensor *x, int k, int C, int s)
{
    Tensor *t = net_dwconv(net, x, k, s, 1);
    t = net_bn(net, net_conv(net, t, C, 1, 1, 1, 1, 0, 0, 1, 1, 0));
    t = net_dwconv(net, t, k, 1, 1);
    return net_bn(net, net_conv(net, t, C, 1, 1, 1, 1, 0, 0, 1, 1, 0));
}

/* One operation of SPEC.md section 1 on x, C_in -> C channels, stride s. */
static Tensor *child_op(Net *net, int op, Tensor *x, int C, int s)
{
    Tensor *t;
    if (!x)
        return NULL;
    switch (op) {
    case GENO_OP_IDENTITY:
        if (s == 1)
            return x->c == C ? x : relu_conv_bn(net, x, C, 1);
        return factred_bn(net, x, C);
    case GENO_OP_CONV_1X3_3X1:
    case GENO_OP_CONV_1X7_7X1: {
        int k = op == GENO_OP_CONV_1X3_3X1 ? 3 : 7;
        t = net_conv(net, x, C, 1, k, 1, s, 0, k / 2, 1, 1, 1);
        t = net_conv(net, t, C, k, 1, s, 1, k / 2, 0, 1, 1, 0);
        return net_bn(net, t);
    }
    case GENO_OP_DIL_CONV_3X3:
        return net_bn(net, net_conv(net, x, C, 3, 3, s, s, 2, 2, 2, 2, 1));
    case GENO_OP_AVG_POOL_3X3:
        return pool_op(net, x, 0, 3, C, s);
    case GENO_OP_MAX_POOL_3X3:
        return pool_op(net, x, 1, 3, C, s);
    case GENO_OP_MAX_POOL_5X5:
        return pool_op(net, x, 1, 5, C, s);
    case GENO_OP_MAX_POOL_7X7:
        return pool_op(net, x, 1, 7, C, s);
    case GENO_OP_CONV_1X1:
        return relu_conv_bn(net, x, C, s);
    case GENO_OP_CONV_3X3:
        return net_bn(net, net_conv(net, x, C, 3, 3, s, s, 1, 1, 1, 1, 1));
    case GENO_OP_SEP_CONV_3X3:
        return sep_conv(net, x, 3, C, s);
    case GENO_OP_SEP_CONV_5X5:
        return sep_conv(net, x, 5, C, s);
    case GENO_OP_SEP_CONV_7X7:
        return sep_conv(net, x, 7, C, s);
    default:
        net_fail(net, NV_ERR_USAGE, "operation index out of range");
        return NULL;
    }
}

/* A cell's output as the states it concatenates: one tensor (the concat
 * itself, or the stem), or, under weight sharing, the unused states
 * themselves (t[i] is state s[i] of its cell), so that what reads them
 * can keep weights of its own for each. */
typedef struct {
    Tensor *t[GENO_STATES];
    int s[GENO_STATES];
    int n;
} Parts;

/* ReLU-conv1x1-BN, or factorized reduce and BN when reduce, of the
 * channel concat of p, C_in -> C.  Several parts (weight sharing) go
 * through a conv each and are added before the BN: the same function as
 * one conv over their concat (a 1x1 conv is linear in its input
 * channels), with each part's weights keyed by the state it comes from,
 * so they do not depend on which other states an architecture leaves
 * unused.  One part gives exactly the layers of the stand-alone child. */
static Tensor *pre_parts(Net *net, const Parts *p, int C, int reduce,
                         int tag, int pos)
{
    Tensor *sum = NULL;
    for (int i = 0; i < p->n; i++) {
        Tensor *x = p->t[i];
        if (!x)
            return NULL;
        net_param_scope(net, child_scope(tag, pos, 0, p->s[i], 0, x->c));
        Tensor *y = reduce ? net_factred(net, x, C)
                           : net_conv(net, x, C, 1, 1, 1, 1, 0, 0, 1, 1, 1);
        sum = i ? net_add(net, sum, y) : y;
    }
    net_param_scope(net, child_scope(tag, pos, 1, 0, 0, C));
    return net_bn(net, sum);
}

/* One cell (kind 0 normal, 1 reduction) of C channels on (h(i-1), h(i)),
 * at position pos (0-based, in build order), into *out (its states as
 * parts when split, else their concat). */
static void child_cell(Net *net, const Genotype *g, int kind, int pos,
                       const Parts *hpp, const Parts *hp, int C, int split,
                       int drop_path, Parts *out)
{
    Tensor *st[GENO_STATES] = { NULL };
    out->n = 1;
    out->t[0] = NULL;
    out->s[0] = 0;
    if (!hpp->t[0] || !hp->t[0])
        return;
    int shrink = hpp->t[0]->h != hp->t[0]->h || hpp->t[0]->w != hp->t[0]->w;
    st[0] = pre_parts(net, hpp, C, shrink, SCOPE_PRE0, pos);
    st[1] = pre_parts(net, hp, C, 0, SCOPE_PRE1, pos);
    for (int b = 0; b < GENO_BLOCKS; b++) {
        const GenoBlock *k = &g->cells[kind].blocks[b];
        int s1 = kind == GENO_CELL_REDUCE && k->in1 < 2 ? 2 : 1;
        int s2 = kind == GENO_CELL_REDUCE && k->in2 < 2 ? 2 : 1;
        if (!st[k->in1] || !st[k->in2])
            return;
        net_param_scope(net, child_scope(SCOPE_OP, pos, b, k->in1, k->op1,
                                         st[k->in1]->c));
        Tensor *a = child_op(net, k->op1, st[k->in1], C, s1);
        net_param_scope(net, child_scope(SCOPE_OP, pos, b, k->in2, k->op2,
                                         st[k->in2]->c));
        Tensor *c = child_op(net, k->op2, st[k->in2], C, s2);
        /* drop path on every op's path except a plain identity (as in the
         * public NASNet and DARTS code) */
        if (drop_path && a && a != st[k->in1])
            a = net_droppath(net, a);
        if (drop_path && c && c != st[k->in2])
            c = net_droppath(net, c);
        if (k->comb == GENO_COMB_ADD) {
            st[2 + b] = net_add(net, a, c);
        } else {
            Tensor *two[2] = { a, c };
            st[2 + b] = a && c ? net_concat(net, two, 2) : NULL;
        }
        if (!st[2 + b])
            return;
    }
    unsigned mask = geno_cell_output_mask(g, kind);
    Tensor *outs[GENO_STATES];
    int idx[GENO_STATES];
    int n = 0;
    for (int s = 0; s < GENO_STATES; s++) {
        if (!(mask & (1u << s)))
            continue;
        Tensor *t = st[s];
        if (kind == GENO_CELL_REDUCE && s < 2) {
            net_param_scope(net, child_scope(SCOPE_OUT_REDUCE, pos, 0, s, 0,
                                             t ? t->c : 0));
            t = factred_bn(net, t, t ? t->c : 2);
        }
        if (!t)
            return;
        idx[n] = s;
        outs[n++] = t;
    }
    if (split) {
        for (int i = 0; i < n; i++) {
            out->t[i] = outs[i];
            out->s[i] = idx[i];
        }
        out->n = n;
    } else {
        out->t[0] = n == 1 ? outs[0] : net_concat(net, outs, n);
    }
}

static NvStatus child_build_all(const Genotype *g, const ChildShape *sh,
                                int max_batch, int drop_path, int no_bn,
                                NetLendFn lend,
                                void *lend_ctx, Net **out, Tensor **input,
                                Tensor **logits, Tensor **aux, NvError *err);

NvStatus child_build_no_bn(const Genotype *g, const ChildShape *sh,
                           int max_batch, Net **out, Tensor **input,
                           Tensor **logits, NvError *err)
{
    return child_build_all(g, sh, max_batch, 0, 1, NULL, NULL, out,
                           input, logits, NULL, err);
}

NvStatus child_build(const Genotype *g, const ChildShape *sh, int max_batch,
                     Net **out, Tensor **input, Tensor **logits, NvError *err)
{
    return child_build_with(g, sh, max_batch, 0, NULL, NULL, out, input,
                            logits, err);
}

NvStatus child_build_opts(const Genotype *g, const ChildShape *sh,
                          int max_batch, int drop_path, Net **out,
                          Tensor **input, Tensor **logits, NvError *err)
{
    return child_build_with(g, sh, max_batch, drop_path, NULL, NULL, out,
                            input, logits, err);
}

NvStatus child_build_shared(const Genotype *g, const ChildShape *sh,
                            int max_batch, NetLendFn lend, void *lend_ctx,
                            Net **out, Tensor **input, Tensor **logits,
                            NvError *err)
{
    return child_build_with(g, sh, max_batch, 0, lend, lend_ctx, out, input,
                            logits, err);
}

/* The auxiliary classifier on x (a reduction cell's output): ReLU, two
 * 5x5 average pools of stride 2, 1x1 conv to 4F + BN, ReLU, a conv over
 * the whole pooled plane to 24F + BN, ReLU, global average pool (a no-op
 * on 1x1), linear.  The paper's one 5x5/3 pool takes CIFAR's 8x8 plane to
 * 2x2, as the two stride-2 pools do (the engine pools at strides 1 and 2);
 * its CIFAR model (F=32) has 128 and 768 channels: the same ratios. */
static Tensor *aux_head(Net *net, Tensor *x, int F, int classes)
{
    net_param_scope(net, child_scope(SCOPE_AUX, 0, 0, 0, 0, x ? x->c : 0));
    Tensor *t = x ? net_pool(net, net_relu(net, x), 0, 5, 2) : NULL;
    t = t ? net_pool(net, t, 0, 5, 2) : NULL;
    t = t ? net_bn(net, net_conv(net, t, 4 * F, 1, 1, 1, 1, 0, 0, 1, 1, 0))
          : NULL;
    t = t ? net_bn(net, net_conv(net, t, 24 * F, t->h, t->w, 1, 1, 0, 0, 1,
                                 1, 1))
          : NULL;
    return t ? net_linear(net, net_gap(net, t, 1), classes) : NULL;
}

NvStatus child_build_with(const Genotype *g, const ChildShape *sh,
                          int max_batch, int drop_path, NetLendFn lend,
                          void *lend_ctx, Net **out, Tensor **input,
                          Tensor **logits, NvError *err)
{
    return child_build_all(g, sh, max_batch, drop_path, 0, lend, lend_ctx,
                           out, input, logits, NULL, err);
}

NvStatus child_build_aux(const Genotype *g, const ChildShape *sh,
                         int max_batch, int drop_path, Net **out,
                         Tensor **input, Tensor **logits, Tensor **aux,
                         NvError *err)
{
    return child_build_all(g, sh, max_batch, drop_path, 0, NULL, NULL, out,
                           input, logits, aux, err);
}

static NvStatus child_build_all(const Genotype *g, const ChildShape *sh,
                                int max_batch, int drop_path, int no_bn,
                                NetLendFn lend,
                                void *lend_ctx, Net **out, Tensor **input,
                                Tensor **logits, Tensor **aux, NvError *err)
{
    *out = NULL;
    if (geno_validate(g, err) != NV_OK)
        return err ? err->status : NV_ERR_PARSE;
    if (sh->F < 1 || sh->N < 1 || sh->classes < 2 || sh->c < 1 ||
        sh->c > 4096 || max_batch < 1)
        return nv_error_set(err, NV_ERR_USAGE,
                            "child network needs F >= 1, N >= 1, at least 2 "
                            "classes and 1..4096 input channels (got F=%d "
                            "N=%d classes=%d channels=%d)",
                            sh->F, sh->N, sh->classes, sh->c);
    if (sh->h < 4 || sh->w < 4 || sh->h > 4096 || sh->w > 4096)
        return nv_error_set(err, NV_ERR_USAGE,
                            "input %dx%d is too small or too large: two "
                            "reductions need at least 4x4 (at most 4096)",
                            sh->h, sh->w);
    Net *net = net_new(max_batch);
    if (!net)
        return nv_error_set(err, NV_ERR_NOMEM, "out of memory");
    if (no_bn)
        net_skip_bn(net);
    if (lend)
        net_borrow_params(net, lend, lend_ctx);
    net_param_scope(net, child_scope(SCOPE_STEM, 0, 0, 0, 0, sh->c));
    Tensor *x = net_input(net, sh->c, sh->h, sh->w);
    Tensor *stem = net_bn(net, net_conv(net, x, 3 * sh->F, 3, 3, 1, 1, 1, 1,
                                        1, 1, 0));
    Parts hpp = { { stem }, { 0 }, 1 }, hp = hpp, o;
    const int split = lend != NULL;
    int C = sh->F, pos = 0;
    Tensor *second_reduction = NULL;
    for (int stack = 0; stack < 3; stack++) {
        if (stack > 0) {
            C *= 2;
            child_cell(net, g, GENO_CELL_REDUCE, pos++, &hpp, &hp, C, split,
                       drop_path, &o);
            hpp = hp;
            hp = o;
            if (stack == 2)
                second_reduction = o.t[0];
        }
        for (int i = 0; i < sh->N; i++) {
            child_cell(net, g, GENO_CELL_NORMAL, pos++, &hpp, &hp, C, split,
                       drop_path, &o);
            hpp = hp;
            hp = o;
        }
    }
    /* The head: ReLU, global average pool, linear.  Under weight sharing
     * the last cell's states first go through a ReLU-conv1x1 each, added,
     * and a batch norm to C channels (pre_parts), as ENAS ends every cell
     * (Pham et al. 2018): the linear layer then reads C normalised
     * channels whatever the architecture.  Read directly, the states' scale
     * would change with the architecture (a block of poolings and
     * identities adds its inputs unnormalised), and one linear layer per
     * state cannot fit them all: the shared weights did not learn. */
    Tensor *y = NULL;
    Tensor *last = hp.t[0];
    if (split)
        last = pre_parts(net, &hp, C, 0, SCOPE_HEAD_PRE, pos);
    net_param_scope(net, child_scope(SCOPE_HEAD, 0, 0, 0, 0,
                                     last ? last->c : 0));
    if (last)
        y = net_linear(net, net_gap(net, last, 1), sh->classes);
    /* Built last, so that the network's own parameters and statistics
     * come first in build order, exactly as without it. */
    Tensor *a = NULL;
    if (aux && y && !split)
        a = aux_head(net, second_reduction, sh->F, sh->classes);
    if (!y || (aux && !a)) {
        NvError e;
        nv_error_clear(&e);
        /* net_finish reports the sticky error */
        NvStatus st = net_finish(net, 0, &e);
        if (st == NV_OK)
            st = nv_error_set(&e, NV_ERR_RUNTIME, "building the network failed");
        if (err)
            *err = e;
        net_free(net);
        return st;
    }
    *input = x;
    *logits = y;
    if (aux)
        *aux = a;
    *out = net;
    return NV_OK;
}
