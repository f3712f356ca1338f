/*
 * outfile.h - writing an output file atomically: a temporary file in the same folder,
 * renamed over the target only when everything was written. A failed run leaves nothing.
 * Targets that are not regular files (/dev/null, a pipe) are written in place: a rename
 * would replace the device with a file.
 */
#ifndef TS_UTIL_OUTFILE_H
#define TS_UTIL_OUTFILE_H

#include <stdbool.h>
#include <stdio.h>

struct outfile {
    FILE *f;          /* write here; stdout when path is NULL or "-" */
    char *path;       /* owned target path, NULL for stdout */
    char *tmp_path;   /* owned temporary path; NULL when path is a device or pipe, written
                         in place with no rename */
};

/* Opens path for writing (NULL or "-" = stdout). On failure prints one message to stderr
 * and returns false; it also refuses after SIGINT/SIGTERM (util/interrupt.h), whose results
 * are incomplete. Under MPI, ranks other than 0 write to /dev/null. */
bool outfile_open(struct outfile *o, const char *path);

/* Flushes and renames the temporary file over the target (a device or pipe: flushes and
 * closes). On failure prints one message, removes the temporary file and returns false.
 * Releases o either way. */
bool outfile_commit(struct outfile *o);

/* Removes the temporary file and releases o (for error paths). */
void outfile_abort(struct outfile *o);

/* True when a and b name the same existing file. */
bool outfile_same_file(const char *a, const char *b);

#endif
