/*
 * outfile.c - atomic output files (temporary file + rename).
 */
#include "util/outfile.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util/interrupt.h"
#include "util/par.h"
#include "util/xalloc.h"

bool outfile_open(struct outfile *o, const char *path)
{
    memset(o, 0, sizeof *o);
    if (interrupt_requested()) {
        /* The results of an interrupted run are incomplete: write nothing. */
        fprintf(stderr, "\ntrainsim: interrupted (signal %d): nothing written\n", interrupt_signal());
        return false;
    }
    if (!par_is_root())
        path = "/dev/null"; /* under MPI only rank 0 writes; the others hold the same results */
    if (!path || strcmp(path, "-") == 0) {
        o->f = stdout;
        return true;
    }
    struct stat st;
    const bool exists = stat(path, &st) == 0;
    if (exists && S_ISDIR(st.st_mode)) {
        fprintf(stderr, "trainsim: error: cannot write '%s': it is a directory\n", path);
        return false;
    }
    if (exists && !S_ISREG(st.st_mode)) {
        /* A device, pipe or socket (/dev/null, /dev/stdout, a FIFO): it cannot be replaced by a
         * rename, and there is no partial file to avoid. Write to it directly. */
        o->f = fopen(path, "w");
        if (!o->f) {
            fprintf(stderr, "trainsim: error: cannot write '%s': %s\n", path, strerror(errno));
            return false;
        }
        o->path = xstrdup(path);
        return true;
    }
    o->path = xstrdup(path);
    const size_t n = strlen(path) + 16;
    o->tmp_path = xmalloc(n);
    snprintf(o->tmp_path, n, "%s.tmpXXXXXX", path);
    const int fd = mkstemp(o->tmp_path);
    if (fd < 0) {
        fprintf(stderr, "trainsim: error: cannot write '%s': %s\n", path, strerror(errno));
        free(o->path);
        free(o->tmp_path);
        memset(o, 0, sizeof *o);
        return false;
    }
    o->f = fdopen(fd, "w");
    if (!o->f) {
        fprintf(stderr, "trainsim: error: cannot write '%s': %s\n", path, strerror(errno));
        close(fd);
        unlink(o->tmp_path);
        free(o->path);
        free(o->tmp_path);
        memset(o, 0, sizeof *o);
        return false;
    }
    return true;
}

static void release(struct outfile *o)
{
    free(o->path);
    free(o->tmp_path);
    memset(o, 0, sizeof *o);
}

bool outfile_commit(struct outfile *o)
{
    if (interrupt_requested()) {
        fprintf(stderr, "\ntrainsim: interrupted (signal %d): nothing written\n", interrupt_signal());
        outfile_abort(o);
        return false;
    }
    if (!o->path) {
        const bool ok = fflush(stdout) == 0 && !ferror(stdout);
        if (!ok)
            fprintf(stderr, "trainsim: error: cannot write to standard output: %s\n", strerror(errno));
        release(o);
        return ok;
    }
    bool ok = fflush(o->f) == 0 && !ferror(o->f);
    const int err = errno;
    if (fclose(o->f) != 0)
        ok = false;
    if (ok && o->tmp_path && rename(o->tmp_path, o->path) != 0)
        ok = false;
    if (!ok) {
        fprintf(stderr, "trainsim: error: cannot write '%s': %s\n", o->path, strerror(err ? err : errno));
        if (o->tmp_path)
            unlink(o->tmp_path);
    }
    release(o);
    return ok;
}

void outfile_abort(struct outfile *o)
{
    if (o->path) {
        fclose(o->f);
        if (o->tmp_path)
            unlink(o->tmp_path);
    }
    release(o);
}

bool outfile_same_file(const char *a, const char *b)
{
    struct stat sa, sb;
    if (!a || !b || stat(a, &sa) != 0 || stat(b, &sb) != 0)
        return false;
    return sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
}
