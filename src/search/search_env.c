/* search_env.c - what a search records of the machine and the build it
 * runs on (see search_env.h). */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cblas.h>

#include "search/search_env.h"

/* The CPU model: the first "model name" line of /proc/cpuinfo (x86), or
 * "Hardware"/"cpu model" elsewhere; "" when none. */
static void cpu_model(char *buf, size_t n)
{
    static const char *const keys[] = { "model name", "cpu model",
                                        "Hardware" };
    char line[512];
    FILE *f = fopen("/proc/cpuinfo", "r");
    buf[0] = '\0';
    if (!f)
        return;
    while (!buf[0] && fgets(line, sizeof line, f)) {
        for (size_t k = 0; k < sizeof keys / sizeof keys[0]; k++) {
            size_t kl = strlen(keys[k]);
            const char *v;
            if (strncmp(line, keys[k], kl) != 0 || !(v = strchr(line, ':')))
                continue;
            for (v++; *v == ' ' || *v == '\t'; v++)
                ;
            snprintf(buf, n, "%s", v);
            buf[strcspn(buf, "\n")] = '\0';
            break;
        }
    }
    fclose(f);
}

void search_env_collect(int workers, int threads, StoreEnv *e)
{
    double load[3];
    long cores = sysconf(_SC_NPROCESSORS_ONLN);
    const char *blas = openblas_get_config();
    memset(e, 0, sizeof *e);
    snprintf(e->version, sizeof e->version, "%s", PACKAGE_VERSION);
    snprintf(e->revision, sizeof e->revision, "%s", NASVIEW_REVISION);
#ifdef __VERSION__
#ifdef __clang__
    snprintf(e->compiler, sizeof e->compiler, "clang %s", __VERSION__);
#else
    snprintf(e->compiler, sizeof e->compiler, "gcc %s", __VERSION__);
#endif
#endif
    snprintf(e->blas, sizeof e->blas, "OpenBLAS %s", blas ? blas : "");
    cpu_model(e->cpu, sizeof e->cpu);
    e->cores = cores > 0 ? (int)cores : 0;
    e->workers = workers > 1 ? workers : 1;
    e->threads = threads;
    if (getloadavg(load, 3) == 3)
        for (int i = 0; i < 3; i++)
            e->load[i] = load[i];
    else
        e->load[0] = e->load[1] = e->load[2] = NAN;
}
