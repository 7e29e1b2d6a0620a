/* data.c - the UI's view of the database (see data.h).  Until the store
 * module is part of the build this reads every database as empty. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "data.h"

struct UiData {
    char *path;
    int first;
};

UiData *ui_data_open(const char *path, NvError *err)
{
    UiData *d = calloc(1, sizeof *d);
    if (!d || !(d->path = strdup(path))) {
        free(d);
        nv_error_set(err, NV_ERR_NOMEM, "out of memory opening %s", path);
        return NULL;
    }
    d->first = 1;
    return d;
}

void ui_data_close(UiData *d)
{
    if (!d)
        return;
    free(d->path);
    free(d);
}

int ui_data_available(void)
{
    return 0;
}

int ui_data_changed(UiData *d)
{
    int c = d->first;
    d->first = 0;
    return c;
}

size_t ui_data_searches(UiData *d, UiSearch *out, size_t max)
{
    (void)d;
    (void)out;
    (void)max;
    return 0;
}
