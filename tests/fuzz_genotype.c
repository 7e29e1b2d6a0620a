/* fuzz_genotype.c - fuzz target for the genotype parser.  Invariants: the
 * parser never crashes or reads out of bounds; a rejection carries a
 * message; an accepted text formats to a canonical line that parses back
 * to the same network. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_driver.h"
#include "space/genotype.h"

const char *const fuzz_seed_corpus[] = {
    "normal: 1 0 sep_conv_5x5 sep_conv_3x3 add; 0 0 sep_conv_5x5 sep_conv_3x3 "
    "add; 1 0 avg_pool_3x3 identity add; 0 0 avg_pool_3x3 avg_pool_3x3 add; 1 "
    "1 sep_conv_3x3 identity add | reduce: 1 0 sep_conv_5x5 sep_conv_7x7 add; "
    "1 0 max_pool_3x3 sep_conv_7x7 add; 1 0 avg_pool_3x3 sep_conv_5x5 add; 3 "
    "2 identity avg_pool_3x3 add; 2 1 sep_conv_3x3 max_pool_3x3 add",
    "normal: 0 1 conv_1x3_3x1 conv_1x7_7x1 concat; 2 1 dil_conv_3x3 "
    "max_pool_5x5 add; 3 2 max_pool_7x7 conv_1x1 concat; 4 0 conv_3x3 "
    "sep_conv_7x7 add; 5 5 identity identity concat | reduce: 0 0 identity "
    "identity add; 1 2 identity identity add; 0 3 identity identity add; 4 1 "
    "identity identity add; 5 0 identity identity concat",
    "nasnet-a",
    "",
    NULL,
};

const char *const fuzz_dictionary[] = {
    "normal:", "reduce:", "|", ";", " ", "add", "concat", "identity",
    "sep_conv_3x3", "max_pool_7x7", "0", "1", "6", "7", "99999999999", "\t",
    "\n", ":", NULL,
};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = malloc(size + 1);
    Genotype g, h;
    NvError err;

    if (!text)
        return 0;
    memcpy(text, data, size);
    text[size] = '\0';
    nv_error_clear(&err);
    if (geno_parse(text, &g, &err) == NV_OK) {
        char canon[GENO_TEXT_MAX];
        geno_format(&g, canon, sizeof canon);
        if (geno_parse(canon, &h, NULL) != NV_OK || !geno_equal(&g, &h)) {
            fprintf(stderr, "round trip failed for: %s\n", text);
            abort();
        }
    } else if (err.msg[0] == '\0' || err.status != NV_ERR_PARSE) {
        fprintf(stderr, "rejection without a message for: %s\n", text);
        abort();
    }
    free(text);
    return 0;
}
