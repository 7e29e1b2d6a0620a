/* test_clipboard.c - the OSC 52 sequence of ui/clipboard.c: base64 of
 * every length modulo 3 (padding), bytes above 0x7f, the empty text, and
 * the whole sequence written through a pipe as the terminal would read it. */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "clipboard.h"

static void expect(const char *text, size_t len, const char *b64)
{
    char *seq = clipboard_osc52(text, len);
    char want[256];
    snprintf(want, sizeof want, "\033]52;c;%s\a", b64);
    CHECK(seq && strcmp(seq, want) == 0, "osc52 of %zu bytes: got '%s', want '%s'",
          len, seq ? seq + 7 : "(null)", b64);
    free(seq);
}

int main(void)
{
    /* RFC 4648, section 10 */
    expect("", 0, "");
    expect("f", 1, "Zg==");
    expect("fo", 2, "Zm8=");
    expect("foo", 3, "Zm9v");
    expect("foob", 4, "Zm9vYg==");
    expect("fooba", 5, "Zm9vYmE=");
    expect("foobar", 6, "Zm9vYmFy");
    expect("\xff\xfe\x80", 3, "//6A");
    expect("a\0b", 3, "YQBi");

    int fds[2];
    CHECK(pipe(fds) == 0, "pipe");
    NvError err;
    const char *geno = "normal: 1 0 sep_conv_5x5 sep_conv_3x3 add";
    CHECK(clipboard_send(fds[1], geno, &err) == NV_OK, "send: %s", err.msg);
    close(fds[1]);
    char buf[256];
    ssize_t n = read(fds[0], buf, sizeof buf - 1);
    close(fds[0]);
    buf[n > 0 ? n : 0] = '\0';
    char *want = clipboard_osc52(geno, strlen(geno));
    CHECK(want && strcmp(buf, want) == 0, "sent '%s'", buf);
    free(want);
    CHECK(clipboard_send(-1, geno, &err) == NV_ERR_IO &&
              strstr(err.msg, "cannot write to the terminal"),
          "a closed terminal: %s", err.msg);
    return check_exit("test_clipboard");
}
