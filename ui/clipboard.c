/* clipboard.c - OSC 52 (see clipboard.h). */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "clipboard.h"

char *clipboard_osc52(const char *text, size_t len)
{
    static const char b64[] =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    static const char head[] = "\033]52;c;";
    size_t hl = sizeof head - 1, n = (len + 2) / 3 * 4;
    char *out = malloc(hl + n + 2);
    if (!out)
        return NULL;
    memcpy(out, head, hl);
    char *o = out + hl;
    const unsigned char *p = (const unsigned char *)text;
    for (size_t i = 0; i < len; i += 3) {
        unsigned v = (unsigned)p[i] << 16;
        if (i + 1 < len)
            v |= (unsigned)p[i + 1] << 8;
        if (i + 2 < len)
            v |= p[i + 2];
        *o++ = b64[(v >> 18) & 63];
        *o++ = b64[(v >> 12) & 63];
        *o++ = i + 1 < len ? b64[(v >> 6) & 63] : '=';
        *o++ = i + 2 < len ? b64[v & 63] : '=';
    }
    *o++ = '\a';
    *o = '\0';
    return out;
}

NvStatus clipboard_send(int fd, const char *text, NvError *err)
{
    char *seq = clipboard_osc52(text, strlen(text));
    if (!seq)
        return nv_error_set(err, NV_ERR_NOMEM, "out of memory copying text");
    size_t len = strlen(seq), done = 0;
    NvStatus st = NV_OK;
    while (done < len) {
        ssize_t w = write(fd, seq + done, len - done);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0) {
            st = nv_error_set(err, NV_ERR_IO,
                              "cannot write to the terminal: %s",
                              w < 0 ? strerror(errno) : "nothing written");
            break;
        }
        done += (size_t)w;
    }
    free(seq);
    return st;
}
