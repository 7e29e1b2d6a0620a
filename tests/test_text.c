/* test_text.c - terminal-safe text: what counts as clean, how the rest is
 * escaped, and that a cut never splits a character. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "base/jsonw.h"
#include "base/text.h"

/* put - what text_put (or csv_field when csv) writes for s. */
static char *put(const char *s, int csv)
{
    char *buf = NULL;
    size_t n = 0;
    FILE *f = open_memstream(&buf, &n);
    if (csv)
        csv_field(f, s);
    else
        text_put(f, s);
    fclose(f);
    return buf;
}

static void expect_put(const char *in, const char *want, int csv)
{
    char *got = put(in, csv);
    CHECK(strcmp(got, want) == 0, "%s of '%s': '%s', expected '%s'",
          csv ? "csv_field" : "text_put", in, got, want);
    free(got);
}

int main(void)
{
    /* clean: printable ASCII and valid UTF-8 that is not C1 */
    CHECK(text_is_clean("rl-s1"), "plain name");
    CHECK(text_is_clean("caf\xc3\xa9 \xe2\x9c\x93 \xf0\x9f\x98\x80"), "UTF-8");
    CHECK(text_is_clean(""), "empty");
    CHECK(text_is_clean(NULL), "NULL");
    CHECK(!text_is_clean("a\x1b[2J"), "ESC");
    CHECK(!text_is_clean("a\nb"), "newline");
    CHECK(!text_is_clean("a\tb"), "tab");
    CHECK(!text_is_clean("a\x7f"), "DEL");
    CHECK(!text_is_clean("a\xc2\x9b" "2J"), "C1 CSI as UTF-8");
    CHECK(!text_is_clean("a\x9b"), "a lone 8-bit CSI byte");
    CHECK(!text_is_clean("\xc0\xaf"), "overlong");
    CHECK(!text_is_clean("\xed\xa0\x80"), "surrogate");
    CHECK(!text_is_clean("\xf4\x90\x80\x80"), "beyond U+10FFFF");
    CHECK(!text_is_clean("\xe2\x9c"), "cut sequence");

    /* escaped: each offending byte as \xNN, the rest as it is */
    expect_put("plain", "plain", 0);
    expect_put("\x1b[2J\x1b]0;PWNED\x07", "\\x1b[2J\\x1b]0;PWNED\\x07", 0);
    expect_put("a\nb", "a\\x0ab", 0);
    expect_put("caf\xc3\xa9", "caf\xc3\xa9", 0);
    expect_put("\xe2\x9c!", "\\xe2\\x9c!", 0);
    expect_put("C:\\data", "C:\\data", 0);

    /* CSV: quoting as RFC 4180, and never a raw line break or escape */
    expect_put("a,b", "\"a,b\"", 1);
    expect_put("say \"hi\"", "\"say \"\"hi\"\"\"", 1);
    expect_put("two\nlines", "two\\x0alines", 1);
    expect_put("x,\x1b[31m\"", "\"x,\\x1b[31m\"\"\"", 1);

    /* text_clean: same escapes, cut at a character boundary */
    char buf[8];
    CHECK(strcmp(text_clean("\x1b[2J", buf, sizeof buf), "\\x1b[2J") == 0,
          "clean: '%s'", buf);
    CHECK(strcmp(text_clean("abcdefgh", buf, sizeof buf), "abcdefg") == 0,
          "cut: '%s'", buf);
    CHECK(strcmp(text_clean("abcde\x1b", buf, sizeof buf), "abcde") == 0,
          "an escape is not cut in half: '%s'", buf);
    CHECK(strcmp(text_clean("abcde\xc3\xa9x", buf, sizeof buf),
                 "abcde\xc3\xa9") == 0, "UTF-8 kept whole: '%s'", buf);
    CHECK(strcmp(text_clean("abcdef\xc3\xa9", buf, sizeof buf), "abcdef") == 0,
          "UTF-8 not cut: '%s'", buf);
    /* numbers: the shortest text that reads back, as float or double */
    char num[40];
    num_text(num, sizeof num, (double)0.05f);
    CHECK(strcmp(num, "0.05") == 0, "0.05f: %s", num);
    num_text(num, sizeof num, (double)0.122f);
    CHECK(strcmp(num, "0.122") == 0, "0.122f: %s", num);
    num_text(num, sizeof num, 0.1);
    CHECK(strcmp(num, "0.1") == 0, "0.1: %s", num);
    num_text(num, sizeof num, 1.0 / 3.0);
    CHECK(strtod(num, NULL) == 1.0 / 3.0 && strlen(num) <= 19, "1/3: %s", num);
    num_text(num, sizeof num, (double)(1.0f / 3.0f));
    CHECK(strcmp(num, "0.33333334") == 0, "1/3 as float: %s", num);
    num_text(num, sizeof num, 100.0);
    CHECK(strcmp(num, "100") == 0, "100: %s", num);
    num_text(num, sizeof num, 1e20);
    CHECK(strtod(num, NULL) == 1e20 && strcmp(num, "1e+20") == 0, "1e20: %s",
          num);
    return check_exit("test_text");
}
