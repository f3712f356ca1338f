/*
 * outfile.h - writing an output the way the shell's `>` would, atomically where that is
 * possible.
 *
 * A path is followed through its symlinks to the file it names. When that is a regular
 * file (or does not exist yet), the output goes to a temporary file in the target's folder,
 * renamed over the target only when everything was written: a failed run leaves nothing,
 * and the link itself stays a link. A name of an open descriptor (/dev/stdout, /dev/fd/N,
 * /proc/self/fd/N, or a link to one) is that descriptor, as `>&N`: /dev/stdout is standard
 * output, one stream with the report. Anything else that is not a regular file (a pipe, a
 * terminal, a character device) is opened and written in place, never renamed over. "-" is
 * standard output. New files get 0666 & ~umask; a replaced file keeps its mode.
 */
#ifndef TS_UTIL_OUTFILE_H
#define TS_UTIL_OUTFILE_H

#include <stdbool.h>
#include <stdio.h>

struct outfile {
    FILE *f;          /* write here; stdout when path is NULL or "-" */
    char *path;       /* owned path as given (for messages), NULL for stdout */
    char *target;     /* owned path the rename goes to (the symlinks' final target) */
    char *tmp_path;   /* owned temporary path; NULL when written in place with no rename */
};

/* Opens path for writing (NULL or "-" = stdout). On failure prints one message to stderr
 * and returns false; it also refuses after SIGINT/SIGTERM (util/interrupt.h), whose results
 * are incomplete. Under MPI, ranks other than 0 write to /dev/null. */
bool outfile_open(struct outfile *o, const char *path);

/* Flushes and renames the temporary file over the target (in place: flushes and closes).
 * On failure prints one message, removes the temporary file and returns false. Releases o
 * either way. */
bool outfile_commit(struct outfile *o);

/* Removes the temporary file and releases o (for error paths). */
void outfile_abort(struct outfile *o);

/* True when a and b name the same existing file. */
bool outfile_same_file(const char *a, const char *b);

/* Makes the folder dir (mkdir -p) and checks that files can be created in it, so that a
 * --plot DIR that cannot be written fails before any work. On failure prints one message
 * naming 'option' and returns false. */
bool outfile_prepare_dir(const char *option, const char *dir);

#endif
