/* spawn.h - start `nasview search ...` as a detached process: its own
 * session (setsid), stdin from /dev/null, stdout and stderr appended to a
 * log file, and not our child (double fork), so it keeps running when the
 * UI closes or its terminal goes away.  The UI finds it again in the
 * database.  Also: the signals that pause, resume and stop a search.
 * No curses here. */
#ifndef NASVIEW_UI_SPAWN_H
#define NASVIEW_UI_SPAWN_H

#include <stddef.h>
#include <sys/types.h>

#include "base/nv_error.h"

/* spawn_log_path - the log file for a search started at unix time t on
 * database db: "DB.search-YYYYmmdd-HHMMSS.log" in db's directory. */
void spawn_log_path(const char *db, long t, char *buf, size_t n);

/* spawn_search - run exe with argv (argv[0] is the program name shown,
 * argv NULL-terminated), detached as above, output to log.  *pid gets
 * the search process's id.  Fails with NV_ERR_IO naming the log file or
 * NV_ERR_RUNTIME when fork/exec failed (the exec failure is reported
 * through a pipe, so a missing program is an error here, not a silent
 * log line). */
NvStatus spawn_search(const char *exe, char *const argv[], const char *log,
                      pid_t *pid, NvError *err);

/* spawn_run - run exe with argv (as spawn_search) and wait for it, stdin
 * from /dev/null; the last line it wrote (stdout or stderr) goes to out
 * (n bytes).  Returns its exit status, or -1 when it could not run or was
 * killed (out says why).  For the short commands the UI has the command
 * line do for it (rm, rename), so the UI itself stays a reader. */
int spawn_run(const char *exe, char *const argv[], char *out, size_t n);


/* spawn_log_tail - the last non-empty line of the log file into buf
 * (empty when there is none). */
void spawn_log_tail(const char *log, char *buf, size_t n);

/* spawn_log_warnings - the warnings a search wrote to its log (the text
 * after "warning: " of each such line among the log's first 16 KiB),
 * joined by "; ", into buf (empty when there is none). */
void spawn_log_warnings(const char *log, char *buf, size_t n);

#endif
