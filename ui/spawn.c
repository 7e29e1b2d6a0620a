/* spawn.c - detached `nasview search` processes (see spawn.h). */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "spawn.h"

void spawn_log_path(const char *db, long t, char *buf, size_t n)
{
    time_t tt = (time_t)t;
    struct tm tm;
    char stamp[32];
    localtime_r(&tt, &tm);
    strftime(stamp, sizeof stamp, "%Y%m%d-%H%M%S", &tm);
    snprintf(buf, n, "%s.search-%s.log", db, stamp);
}

/* In the intermediate child: only async-signal-safe calls until exec. */
static void grandchild(const char *exe, char *const argv[], int logfd,
                       int status_fd)
{
    int devnull = open("/dev/null", O_RDONLY);
    if (devnull >= 0) {
        dup2(devnull, 0);
        close(devnull);
    }
    dup2(logfd, 1);
    dup2(logfd, 2);
    close(logfd);
    signal(SIGINT, SIG_DFL);
    signal(SIGTERM, SIG_DFL);
    signal(SIGHUP, SIG_DFL);
    signal(SIGQUIT, SIG_DFL);
    signal(SIGPIPE, SIG_DFL);
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, NULL);
    execvp(exe, argv); /* a bare name (argv[0] fallback) is looked up in PATH */
    int e = errno;
    ssize_t wr = write(status_fd, &e, sizeof e);
    (void)wr;
    _exit(127);
}

NvStatus spawn_search(const char *exe, char *const argv[], const char *log,
                      pid_t *pid, NvError *err)
{
    int logfd = open(log, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
    if (logfd < 0)
        return nv_error_set(err, NV_ERR_IO, "cannot write the search log %s: %s",
                            log, strerror(errno));
    /* pid pipe: the grandchild's pid; status pipe: errno of a failed exec
     * (closed by a successful exec thanks to O_CLOEXEC). */
    int pidp[2], stp[2];
    if (pipe2(pidp, O_CLOEXEC) < 0) {
        close(logfd);
        return nv_error_set(err, NV_ERR_RUNTIME, "pipe: %s", strerror(errno));
    }
    if (pipe2(stp, O_CLOEXEC) < 0) {
        close(logfd);
        close(pidp[0]);
        close(pidp[1]);
        return nv_error_set(err, NV_ERR_RUNTIME, "pipe: %s", strerror(errno));
    }
    pid_t c = fork();
    if (c < 0) {
        close(logfd);
        close(pidp[0]); close(pidp[1]); close(stp[0]); close(stp[1]);
        return nv_error_set(err, NV_ERR_RUNTIME, "fork: %s", strerror(errno));
    }
    if (c == 0) {
        setsid();
        pid_t g = fork();
        if (g == 0)
            grandchild(exe, argv, logfd, stp[1]);
        ssize_t wr = write(pidp[1], &g, sizeof g);
        (void)wr;
        _exit(g < 0 ? 1 : 0);
    }
    close(logfd);
    close(pidp[1]);
    close(stp[1]);
    int st;
    while (waitpid(c, &st, 0) < 0 && errno == EINTR)
        ;
    pid_t g = -1;
    ssize_t r = read(pidp[0], &g, sizeof g);
    close(pidp[0]);
    int e = 0;
    ssize_t r2 = read(stp[0], &e, sizeof e);
    close(stp[0]);
    if (r != (ssize_t)sizeof g || g < 0)
        return nv_error_set(err, NV_ERR_RUNTIME, "could not start %s", exe);
    if (r2 == (ssize_t)sizeof e)
        return nv_error_set(err, NV_ERR_RUNTIME, "could not run %s: %s", exe,
                            strerror(e));
    *pid = g;
    return NV_OK;
}


void spawn_log_tail(const char *log, char *buf, size_t n)
{
    buf[0] = '\0';
    FILE *f = fopen(log, "r");
    if (!f)
        return;
    char line[1024];
    if (fseek(f, -4096, SEEK_END) < 0)
        rewind(f);
    while (fgets(line, sizeof line, f)) {
        size_t len = strlen(line);
        while (len && (line[len - 1] == '\n' || line[len - 1] == '\r'))
            line[--len] = '\0';
        if (len)
            snprintf(buf, n, "%s", line);
    }
    fclose(f);
}

void spawn_log_warnings(const char *log, char *buf, size_t n)
{
    buf[0] = '\0';
    FILE *f = fopen(log, "r");
    if (!f)
        return;
    char line[1024];
    size_t used = 0;
    long read = 0;
    while (read < 16384 && fgets(line, sizeof line, f)) {
        read += (long)strlen(line);
        const char *w = strstr(line, "warning: ");
        if (!w)
            continue;
        w += strlen("warning: ");
        size_t len = strcspn(w, "\r\n");
        int k = snprintf(buf + used, n - used, "%s%.*s", used ? "; " : "",
                         (int)len, w);
        if (k < 0 || (size_t)k >= n - used)
            break;
        used += (size_t)k;
    }
    fclose(f);
}

int spawn_run(const char *exe, char *const argv[], char *out, size_t n)
{
    int p[2];
    out[0] = '\0';
    if (pipe2(p, O_CLOEXEC) < 0) {
        snprintf(out, n, "pipe: %s", strerror(errno));
        return -1;
    }
    pid_t c = fork();
    if (c < 0) {
        snprintf(out, n, "fork: %s", strerror(errno));
        close(p[0]);
        close(p[1]);
        return -1;
    }
    if (c == 0) {
        int devnull = open("/dev/null", O_RDONLY);
        if (devnull >= 0)
            dup2(devnull, 0);
        dup2(p[1], 1);
        dup2(p[1], 2);
        signal(SIGINT, SIG_DFL);
        signal(SIGTERM, SIG_DFL);
        signal(SIGPIPE, SIG_DFL);
        execvp(exe, argv);
        _exit(127);
    }
    close(p[1]);
    /* keep the last non-empty line of what it says */
    char buf[512], line[512] = "";
    size_t len = 0;
    ssize_t got;
    while ((got = read(p[0], buf, sizeof buf)) > 0 ||
           (got < 0 && errno == EINTR)) {
        for (ssize_t i = 0; i < got; i++) {
            if (buf[i] == '\n') {
                if (len) {
                    line[len] = '\0';
                    snprintf(out, n, "%s", line);
                }
                len = 0;
            } else if (len + 1 < sizeof line) {
                line[len++] = buf[i];
            }
        }
    }
    if (len) {
        line[len] = '\0';
        snprintf(out, n, "%s", line);
    }
    close(p[0]);
    int st;
    while (waitpid(c, &st, 0) < 0)
        if (errno != EINTR) {
            snprintf(out, n, "waitpid: %s", strerror(errno));
            return -1;
        }
    if (!WIFEXITED(st)) {
        snprintf(out, n, "%s died by signal %d", argv[0], WTERMSIG(st));
        return -1;
    }
    if (WEXITSTATUS(st) == 127 && !out[0])
        snprintf(out, n, "cannot run %s", exe);
    return WEXITSTATUS(st);
}
