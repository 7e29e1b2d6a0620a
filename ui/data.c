/* data.c - the UI's read-only connection to the store (see data.h). */
#include "config.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/proc.h"
#include "data.h"
#include "spawn.h"

struct UiData {
    char *path;
    Store *store;
    uint64_t counter;
    int fresh;              /* nothing reported yet */
    struct stat seen;       /* the file as last tried, while not open */
    int seen_valid;
    char problem[NV_ERROR_MAX];
};

static void try_open(UiData *d)
{
    struct stat st;
    if (stat(d->path, &st) < 0) {
        d->seen_valid = 0;
        d->problem[0] = '\0';
        return;
    }
    /* A file that failed to open is retried only when it changes. */
    if (d->seen_valid && d->problem[0] && st.st_mtime == d->seen.st_mtime &&
        st.st_size == d->seen.st_size)
        return;
    d->seen = st;
    d->seen_valid = 1;
    NvError err;
    nv_error_clear(&err);
    if (store_open(d->path, STORE_READ, &d->store, &err) != NV_OK) {
        d->store = NULL;
        /* An empty file is one a search is about to set up. */
        if (st.st_size == 0)
            d->problem[0] = '\0';
        else
            snprintf(d->problem, sizeof d->problem, "%s", err.msg);
        return;
    }
    d->problem[0] = '\0';
    d->fresh = 1;
}

UiData *ui_data_open(const char *path, NvError *err)
{
    UiData *d = calloc(1, sizeof *d);
    if (!d || !(d->path = strdup(path))) {
        free(d);
        nv_error_set(err, NV_ERR_NOMEM, "out of memory opening %s", path);
        return NULL;
    }
    d->fresh = 1;
    try_open(d);
    return d;
}

void ui_data_close(UiData *d)
{
    if (!d)
        return;
    store_close(d->store);
    free(d->path);
    free(d);
}

Store *ui_data_store(UiData *d)
{
    return d->store;
}

const char *ui_data_problem(const UiData *d)
{
    return d->problem;
}

int ui_data_changed(UiData *d)
{
    if (!d->store) {
        char before[sizeof d->problem];
        memcpy(before, d->problem, sizeof before);
        try_open(d);
        if (strcmp(before, d->problem))
            d->fresh = 1;
    }
    int changed = d->fresh;
    d->fresh = 0;
    if (d->store) {
        uint64_t c;
        NvError err;
        if (store_changes(d->store, &c, &err) == NV_OK && c != d->counter) {
            d->counter = c;
            changed = 1;
        }
    }
    return changed;
}

void ui_data_touch(UiData *d)
{
    d->fresh = 1;
}

const char *ui_search_state(const StoreSearch *s)
{
    return store_search_status_name(s->status);
}

int ui_search_watched(const StoreSearch *s)
{
    if (s->pid <= 0)
        return 0;
    if (s->status != SEARCH_RUNNING && s->status != SEARCH_PAUSED)
        return 0;
    char host[256] = "";
    gethostname(host, sizeof host - 1);
    return !s->host[0] || !strcmp(s->host, host);
}

int ui_pid_gone(int64_t pid)
{
    return pid > 0 && !proc_alive(pid);
}

int ui_search_controllable(const StoreSearch *s)
{
    return ui_search_watched(s) && proc_alive(s->pid);
}

void ui_fmt_duration(char *buf, size_t n, double s)
{
    if (!(s >= 0) || s > 1e9)
        snprintf(buf, n, "-");
    else if (s < 60)
        snprintf(buf, n, "%ds", (int)s);
    else if (s < 3600)
        snprintf(buf, n, "%dm%02ds", (int)s / 60, (int)s % 60);
    else
        snprintf(buf, n, "%dh%02dm", (int)s / 3600, ((int)s % 3600) / 60);
}
