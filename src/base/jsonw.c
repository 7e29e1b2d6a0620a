/* jsonw.c - JSON and CSV leaf writers (see jsonw.h). */
#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "base/jsonw.h"
#include "base/text.h"

void json_string(FILE *f, const char *s)
{
    if (!s) {
        fputs("null", f);
        return;
    }
    fputc('"', f);
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        switch (*p) {
        case '"': fputs("\\\"", f); break;
        case '\\': fputs("\\\\", f); break;
        case '\n': fputs("\\n", f); break;
        case '\r': fputs("\\r", f); break;
        case '\t': fputs("\\t", f); break;
        default:
            if (*p < 0x20 || *p == 0x7f)
                fprintf(f, "\\u%04x", *p);
            else
                fputc(*p, f);
        }
    }
    fputc('"', f);
}

void num_text(char *buf, size_t n, double x)
{
    /* a float widened to double reads back as that float: "0.05", not
     * "0.0500000007"; other doubles need up to 17 digits */
    const int is_float = isfinite(x) && (double)(float)x == x;
    if (isfinite(x) && x == floor(x) && fabs(x) < 1e15) {
        snprintf(buf, n, "%.0f", x); /* 100, not 1e+02 */
        return;
    }
    for (int prec = 1; prec <= 17; prec++) {
        snprintf(buf, n, "%.*g", prec, x);
        double back = strtod(buf, NULL);
        if (is_float ? (float)back == (float)x : back == x)
            return;
    }
}

void json_number(FILE *f, double x)
{
    char buf[40];
    if (!isfinite(x)) {
        fputs("null", f);
    } else {
        num_text(buf, sizeof buf, x);
        fputs(buf, f);
    }
}

void csv_field(FILE *f, const char *s)
{
    if (!s)
        return;
    if (!strpbrk(s, ",\"")) {
        text_put(f, s);
        return;
    }
    fputc('"', f);
    for (;;) {
        size_t n = strcspn(s, "\"");
        text_putn(f, s, n);
        if (!s[n])
            break;
        fputs("\"\"", f);
        s += n + 1;
    }
    fputc('"', f);
}
