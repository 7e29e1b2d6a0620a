/* fuzz_driver.h - the libFuzzer entry point each fuzz target defines.  The
 * same target links either with clang's -fsanitize=fuzzer (open-ended
 * fuzzing) or with fuzz_driver.c, a deterministic mutation loop that runs a
 * fixed number of iterations inside `make check`. */
#ifndef NASVIEW_TESTS_FUZZ_DRIVER_H
#define NASVIEW_TESTS_FUZZ_DRIVER_H

#include <stddef.h>
#include <stdint.h>

/* LLVMFuzzerTestOneInput - run the target on one input; abort() on a
 * violated invariant.  Returns 0. */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* fuzz_seed_corpus - the target's seed inputs, NULL-terminated. */
extern const char *const fuzz_seed_corpus[];

/* fuzz_dictionary - tokens worth splicing into inputs, NULL-terminated. */
extern const char *const fuzz_dictionary[];

#endif
