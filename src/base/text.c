/* text.c - terminal-safe strings (see text.h). */
#include "config.h"

#include <string.h>

#include "base/text.h"

/* utf8_len - the length of the valid, non-control UTF-8 character at p, or
 * 0 when the byte at p must be escaped. */
static size_t utf8_len(const unsigned char *p)
{
    unsigned c = p[0];
    size_t len;
    unsigned cp;
    if (c >= 0x20 && c < 0x7f)
        return 1;
    if (c >= 0xc2 && c <= 0xdf) {
        len = 2;
        cp = c & 0x1f;
    } else if (c >= 0xe0 && c <= 0xef) {
        len = 3;
        cp = c & 0x0f;
    } else if (c >= 0xf0 && c <= 0xf4) {
        len = 4;
        cp = c & 0x07;
    } else {
        return 0;
    }
    for (size_t i = 1; i < len; i++) {
        if ((p[i] & 0xc0) != 0x80)
            return 0;
        cp = cp << 6 | (p[i] & 0x3f);
    }
    if ((len == 3 && cp < 0x800) || (len == 4 && (cp < 0x10000 || cp > 0x10ffff)) ||
        (cp >= 0xd800 && cp <= 0xdfff) || (cp >= 0x80 && cp <= 0x9f))
        return 0;
    return len;
}

bool text_is_clean(const char *s)
{
    if (!s)
        return true;
    for (const unsigned char *p = (const unsigned char *)s; *p;) {
        size_t len = utf8_len(p);
        if (!len)
            return false;
        p += len;
    }
    return true;
}

/* piece - the printable form of the character at p: *len bytes consumed,
 * written to out (at least 5 bytes); returns its length. */
static size_t piece(const unsigned char *p, size_t *len, char *out)
{
    static const char hex[] = "0123456789abcdef";
    size_t n = utf8_len(p);
    if (n) {
        *len = n;
        memcpy(out, p, n);
        return n;
    }
    *len = 1;
    out[0] = '\\';
    out[1] = 'x';
    out[2] = hex[*p >> 4];
    out[3] = hex[*p & 15];
    return 4;
}

void text_putn(FILE *f, const char *s, size_t n)
{
    if (!s)
        return;
    const unsigned char *p = (const unsigned char *)s, *end = p + n;
    while (p < end && *p) {
        char out[5];
        size_t len, k = piece(p, &len, out);
        fwrite(out, 1, k, f);
        p += len;
    }
}

void text_put(FILE *f, const char *s)
{
    if (s)
        text_putn(f, s, strlen(s));
}

char *text_clean(const char *s, char *buf, size_t n)
{
    size_t at = 0;
    for (const unsigned char *p = (const unsigned char *)(s ? s : ""); *p;) {
        char out[5];
        size_t len, k = piece(p, &len, out);
        if (at + k >= n)
            break;
        memcpy(buf + at, out, k);
        at += k;
        p += len;
    }
    buf[at] = '\0';
    return buf;
}
