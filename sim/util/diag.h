/*
 * diag.h - collects and prints user-facing diagnostics.
 *
 * Every problem found in user input (YAML files, --set values, CLI arguments) is reported
 * through a struct diag as "FILE:LINE:COL: error: message", followed, when the source text
 * is known, by a jq-style excerpt of the line with a caret under the column. Knows nothing
 * about YAML: positions arrive already 1-based.
 */
#ifndef TS_UTIL_DIAG_H
#define TS_UTIL_DIAG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

struct src_pos {
    const char *file; /* borrowed; NULL when the message has no location */
    int line, col;    /* 1-based; 0 when unknown */
};

/* A source text the excerpts are taken from. */
struct diag_source {
    char *file; /* owned copy of the name */
    char *text; /* owned copy of the contents */
};

/* One diagnostic as data, kept when diag.keep_records is set (the library, sim/trainsim.c,
 * hands these to its callers instead of printing). */
struct diag_record {
    const char *kind; /* "error", "warning" or "note"; static */
    char *file;       /* owned copy; NULL when the message has no location */
    int line, col;    /* 1-based; 0 when unknown */
    char *message;    /* owned: the formatted text after "FILE:LINE:COL: KIND: " */
};

struct diag {
    FILE *out;       /* stderr in the program; an open_memstream() buffer in tests; NULL prints nothing; borrowed */
    int n_errors;    /* errors reported so far */
    int n_warnings;  /* warnings reported so far */
    int n_io_errors; /* of n_errors, those that are I/O failures (missing file...): exit 1, not 2 */
    bool quiet_warnings; /* drop warnings (still counted) */
    struct diag_source *sources; /* owned */
    int n_sources;
    char **warning_texts; /* owned: each warning as "FILE:LINE:COL: message" (kept when quiet too) */
    int n_warning_texts;
    bool keep_records;          /* also keep every message as a diag_record */
    struct diag_record *records; /* owned, n_records */
    int n_records;
};

/* Prepares d to write to out (borrowed). Release with diag_release(). */
void diag_init(struct diag *d, FILE *out);
void diag_release(struct diag *d); /* zeroed or NULL d is fine */

/* Registers the text of a file (len bytes; it need not be NUL-terminated) so that messages
 * about it show the offending line. Copies both strings and returns the copy of the name, which stays valid until
 * diag_release(): positions in that file should point at it. Passing a name that is
 * itself a registered copy changes nothing and returns it. */
const char *diag_add_source(struct diag *d, const char *file, const char *text, size_t len);

void diag_error(struct diag *d, struct src_pos at, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
void diag_warning(struct diag *d, struct src_pos at, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
void diag_note(struct diag *d, struct src_pos at, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Prints "trainsim: N errors in FILE" when there were errors. */
void diag_summary(const struct diag *d, const char *file);

#endif
