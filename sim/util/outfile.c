/*
 * outfile.c - outputs written as `>` would write them (temporary file + rename for regular
 * files, in place for everything else).
 */
#include "util/outfile.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util/interrupt.h"
#include "util/par.h"
#include "util/xalloc.h"

enum { MAX_LINKS = 40 }; /* as the kernel's ELOOP limit */

/* Whether path lies in a file system whose "links" are not paths (/proc/self/fd/N and what
 * /dev/stdout and /dev/fd/N point at): renaming over what they seem to name would replace
 * some other file, so such outputs are written in place. */
static bool is_magic(const char *path)
{
    return strncmp(path, "/proc/", 6) == 0 || strncmp(path, "/dev/fd/", 8) == 0;
}

/* The descriptor a path names directly (/dev/stdout 1, /dev/stderr 2, /dev/fd/N,
 * /proc/self/fd/N), or -1. */
static int fd_of_name(const char *p)
{
    if (strcmp(p, "/dev/stdout") == 0)
        return 1;
    if (strcmp(p, "/dev/stderr") == 0)
        return 2;
    const char *n = strncmp(p, "/dev/fd/", 8) == 0 ? p + 8 : strncmp(p, "/proc/self/fd/", 14) == 0 ? p + 14 : NULL;
    if (!n || !*n || strspn(n, "0123456789") != strlen(n) || strlen(n) > 6)
        return -1;
    return atoi(n);
}

/* The file path names after following its symlinks (owned), or NULL when the chain passes
 * through /proc or /dev/fd, loops, or cannot be read; *fd gets the descriptor the chain
 * names (a link to /proc/self/fd/1 is standard output), or -1. A dangling link yields the
 * missing target, which `>` would create. */
static char *follow_links(const char *path, int *fd)
{
    *fd = -1;
    char *p = xstrdup(path);
    for (int hop = 0; hop <= MAX_LINKS; hop++) {
        if ((*fd = fd_of_name(p)) >= 0 || is_magic(p))
            break;
        struct stat st;
        if (lstat(p, &st) != 0 || !S_ISLNK(st.st_mode))
            return p;
        char buf[PATH_MAX];
        const ssize_t n = readlink(p, buf, sizeof buf - 1);
        if (n < 0)
            break;
        buf[n] = '\0';
        char *next;
        const char *slash = strrchr(p, '/');
        if (buf[0] == '/' || !slash) {
            next = xstrdup(buf);
        } else { /* relative to the link's folder */
            const size_t dir_len = (size_t)(slash - p) + 1, len = dir_len + (size_t)n + 1;
            next = xmalloc(len);
            memcpy(next, p, dir_len);
            memcpy(next + dir_len, buf, (size_t)n + 1);
        }
        free(p);
        p = next;
    }
    free(p);
    return NULL;
}

static void release(struct outfile *o)
{
    free(o->path);
    free(o->target);
    free(o->tmp_path);
    memset(o, 0, sizeof *o);
}

static bool fail(struct outfile *o, const char *path, int err)
{
    fprintf(stderr, "trainsim: error: cannot write '%s': %s\n", path, strerror(err));
    release(o);
    return false;
}

/* Opens o->path in place, as `>` does (truncating). */
static bool open_in_place(struct outfile *o)
{
    o->f = fopen(o->path, "w");
    return o->f ? true : fail(o, o->path, errno);
}

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
    /* A name for an open descriptor is that descriptor, as a shell's >&N: standard output
     * stays one stream (re-opening /proc/self/fd/1 onto a file would start a second one at
     * offset 0, over what was written), and nothing is renamed over the link. */
    int fd;
    char *target = follow_links(path, &fd);
    if (fd == 1) {
        free(target);
        o->f = stdout;
        return true;
    }
    o->path = xstrdup(path);
    if (fd >= 0) {
        free(target);
        const int copy = dup(fd);
        if (copy < 0 || !(o->f = fdopen(copy, "w"))) {
            const int err = errno;
            if (copy >= 0)
                close(copy);
            return fail(o, path, err);
        }
        return true;
    }
    o->target = target;
    struct stat st;
    const bool exists = stat(path, &st) == 0;
    if (exists && S_ISDIR(st.st_mode)) {
        fprintf(stderr, "trainsim: error: cannot write '%s': it is a directory\n", path);
        release(o);
        return false;
    }
    if (exists && !S_ISREG(st.st_mode))
        return open_in_place(o); /* a pipe, terminal, device or socket: nothing to rename */
    if (!o->target)
        return open_in_place(o); /* /dev/stdout or /proc/self/fd/N onto a regular file */
    struct stat target_st;
    if (exists && (stat(o->target, &target_st) != 0 || target_st.st_ino != st.st_ino || target_st.st_dev != st.st_dev))
        return open_in_place(o); /* the chain did not lead where the kernel's did */

    /* The mode `>` would give: the replaced file's, or 0666 less the umask. */
    mode_t mode;
    if (exists) {
        mode = st.st_mode & 07777;
    } else {
        const mode_t mask = umask(0);
        umask(mask);
        mode = 0666 & ~mask;
    }
    const size_t n = strlen(o->target) + 16;
    o->tmp_path = xmalloc(n);
    snprintf(o->tmp_path, n, "%s.tmpXXXXXX", o->target);
    const int tmp_fd = mkstemp(o->tmp_path);
    if (tmp_fd < 0) {
        const int err = errno;
        free(o->tmp_path);
        o->tmp_path = NULL;
        if (exists && access(path, W_OK) == 0)
            return open_in_place(o); /* a writable file in a folder we cannot create files in */
        return fail(o, path, err);
    }
    if (fchmod(tmp_fd, mode) != 0 || !(o->f = fdopen(tmp_fd, "w"))) {
        const int err = errno;
        close(tmp_fd);
        unlink(o->tmp_path);
        return fail(o, path, err);
    }
    return true;
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
    errno = 0;
    bool ok = fflush(o->f) == 0 && !ferror(o->f);
    int err = errno;
    if (fclose(o->f) != 0) {
        ok = false;
        err = err ? err : errno;
    }
    if (ok && o->tmp_path && rename(o->tmp_path, o->target) != 0) {
        ok = false;
        err = errno;
    }
    if (!ok) {
        fprintf(stderr, "trainsim: error: cannot write '%s': %s\n", o->path, strerror(err ? err : EIO));
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

bool outfile_prepare_dir(const char *option, const char *dir)
{
    if (!par_is_root())
        return true; /* only rank 0 writes */
    char *p = xstrdup(dir);
    int err = 0;
    for (char *s = p + 1;; s++) { /* mkdir -p */
        if (*s != '/' && *s != '\0')
            continue;
        const char c = *s;
        *s = '\0';
        if (mkdir(p, 0777) != 0 && errno != EEXIST)
            err = errno;
        *s = c;
        if (err || c == '\0')
            break;
    }
    free(p);
    struct stat st;
    if (!err && stat(dir, &st) != 0)
        err = errno;
    else if (!err && !S_ISDIR(st.st_mode))
        err = ENOTDIR;
    if (err) {
        fprintf(stderr, "trainsim: error: %s: cannot create the folder '%s': %s\n", option, dir, strerror(err));
        return false;
    }
    if (access(dir, W_OK | X_OK) != 0) {
        fprintf(stderr, "trainsim: error: %s: cannot write in the folder '%s': %s\n", option, dir, strerror(errno));
        return false;
    }
    return true;
}
