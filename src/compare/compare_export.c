/* compare_export.c - the three files of a comparison's export
 * (compare_export.h). */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "base/outfile.h"
#include "compare/compare_export.h"
#include "compare/compare_report.h"
#include "compare/compare_svg.h"

NvStatus compare_export(const Comparison *c, const char *name, const char *db,
                        char *base, size_t size, NvError *err)
{
    static const char *const ext[3] = { ".csv", ".svg", ".txt" };
    snprintf(base, size, "%s", name);
    size_t len = strlen(base);
    if (len > 4 && (strcmp(base + len - 4, ".csv") == 0 ||
                    strcmp(base + len - 4, ".svg") == 0 ||
                    strcmp(base + len - 4, ".txt") == 0))
        base[len - 4] = '\0';
    for (int i = 0; i < 3; i++) {
        char path[4096 + 8];
        OutFile o;
        snprintf(path, sizeof path, "%s%s", base, ext[i]);
        NvStatus st = outfile_check_not(path, db, err);
        if (st == NV_OK)
            st = outfile_open(&o, path, err);
        if (st != NV_OK)
            return st;
        if (i == 0)
            compare_report_csv(o.f, c);
        else if (i == 1)
            st = compare_svg_write(o.f, path, c, err);
        else
            compare_report_table(o.f, c);
        st = outfile_close(&o, st, err);
        if (st != NV_OK)
            return st;
    }
    return NV_OK;
}
