/* outfile.c - writing an output file without losing or replacing what
 * should stay (see outfile.h). */
#include "config.h"

#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/outfile.h"

/* tmp_name - "DIR/.BASE.XXXXXX" beside file, in a new buffer (NULL: no memory). */
static char *tmp_name(const char *file)
{
    const char *slash = strrchr(file, '/');
    size_t dirlen = slash ? (size_t)(slash - file) : 0;
    const char *base = slash ? slash + 1 : file;
    size_t n = strlen(file) + 16;
    char *tmp = malloc(n);
    if (!tmp)
        return NULL;
    if (!slash)
        snprintf(tmp, n, ".%s.XXXXXX", base);
    else
        snprintf(tmp, n, "%.*s/.%s.XXXXXX", (int)dirlen, file, base);
    return tmp;
}

NvStatus outfile_open(OutFile *o, const char *file, NvError *err)
{
    struct stat sb;
    memset(o, 0, sizeof *o);
    if (file[0] == '\0')
        return nv_error_set(err, NV_ERR_USAGE, "empty output file name");
    if (stat(file, &sb) == 0 && S_ISDIR(sb.st_mode))
        return nv_error_set(err, NV_ERR_IO,
                            "cannot write '%s': it is a directory; give a file "
                            "name", file);
    if (!(o->target = strdup(file)))
        return nv_error_set(err, NV_ERR_NOMEM, "out of memory writing '%s'", file);
    if (stat(file, &sb) == 0 && !S_ISREG(sb.st_mode)) {
        /* a device node or FIFO: write to it, never rename over it */
        if (!(o->f = fopen(file, "w"))) {
            int e = errno;
            free(o->target);
            o->target = NULL;
            return nv_error_set(err, NV_ERR_IO, "cannot write '%s': %s", file,
                                strerror(e));
        }
        return NV_OK;
    }
    if (!(o->tmp = tmp_name(file))) {
        free(o->target);
        o->target = NULL;
        return nv_error_set(err, NV_ERR_NOMEM, "out of memory writing '%s'", file);
    }
    int fd = mkstemp(o->tmp);
    if (fd >= 0) {
        mode_t mask = umask(0);
        umask(mask);
        if (fchmod(fd, 0666 & ~mask) == 0 && (o->f = fdopen(fd, "w")))
            return NV_OK;
        int e = errno;
        close(fd);
        unlink(o->tmp);
        errno = e;
    }
    int e = errno;
    const char *slash = strrchr(file, '/');
    NvStatus r = nv_error_set(err, NV_ERR_IO,
                              "cannot write '%s': cannot create a file in "
                              "directory '%.*s': %s",
                              file, slash ? (int)(slash - file) : 1,
                              slash ? (slash == file ? "/" : file) : ".",
                              strerror(e));
    free(o->tmp);
    free(o->target);
    memset(o, 0, sizeof *o);
    return r;
}

NvStatus outfile_close(OutFile *o, NvStatus status, NvError *err)
{
    int e = 0;
    if (!o->f)
        return status;
    if (fflush(o->f) != 0 || ferror(o->f))
        e = errno ? errno : EIO;
    if (!e && o->tmp && fsync(fileno(o->f)) != 0)
        e = errno;
    if (fclose(o->f) != 0 && !e)
        e = errno ? errno : EIO;
    if (status == NV_OK && !e && o->tmp && rename(o->tmp, o->target) != 0)
        e = errno;
    if (o->tmp && (status != NV_OK || e))
        unlink(o->tmp);
    if (status == NV_OK && e)
        status = nv_error_set(err, NV_ERR_IO, "cannot write '%s': %s",
                              o->target, strerror(e));
    free(o->tmp);
    free(o->target);
    memset(o, 0, sizeof *o);
    return status;
}

NvStatus outfile_check_not(const char *file, const char *guarded, NvError *err)
{
    static const char *const suffix[] = { "", "-wal", "-shm" };
    struct stat out, sb;
    if (stat(file, &out) != 0)
        return NV_OK;
    for (size_t i = 0; i < sizeof suffix / sizeof suffix[0]; i++) {
        char path[4200];
        if (snprintf(path, sizeof path, "%s%s", guarded, suffix[i]) >= (int)sizeof path)
            continue;
        if (stat(path, &sb) == 0 && sb.st_dev == out.st_dev && sb.st_ino == out.st_ino)
            return nv_error_set(err, NV_ERR_USAGE,
                                "refusing to write '%s': it is the database "
                                "file '%s'; give another output file",
                                file, path);
    }
    return NV_OK;
}

/* parent_id - device and inode of the directory file would be created in,
 * and *base its last component; -1 when the directory is not there. */
static int parent_id(const char *file, struct stat *dir, const char **base)
{
    char path[4200];
    const char *slash = strrchr(file, '/');
    *base = slash ? slash + 1 : file;
    if (!slash)
        snprintf(path, sizeof path, ".");
    else if (slash == file)
        snprintf(path, sizeof path, "/");
    else if (snprintf(path, sizeof path, "%.*s", (int)(slash - file), file) >=
             (int)sizeof path)
        return -1;
    return stat(path, dir);
}

bool outfile_same(const char *a, const char *b)
{
    struct stat sa, sb;
    const char *ba, *bb;
    if (strcmp(a, "-") == 0 || strcmp(b, "-") == 0)
        return strcmp(a, b) == 0;
    int ea = stat(a, &sa), eb = stat(b, &sb);
    if (ea == 0 && eb == 0)
        return sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
    if (ea == 0 || eb == 0)
        return false; /* one exists, the other not */
    /* neither exists yet: the same name in the same directory */
    if (parent_id(a, &sa, &ba) != 0 || parent_id(b, &sb, &bb) != 0)
        return strcmp(a, b) == 0;
    return sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino &&
           strcmp(ba, bb) == 0;
}

NvStatus outfile_write(const char *file, const char *data, size_t len,
                       NvError *err)
{
    OutFile o;
    NvStatus r = outfile_open(&o, file, err);
    if (r != NV_OK)
        return r;
    errno = 0;
    if (len > 0 && fwrite(data, 1, len, o.f) != len)
        r = nv_error_set(err, NV_ERR_IO, "cannot write '%s': %s", file,
                         strerror(errno ? errno : EIO));
    return outfile_close(&o, r, err);
}
