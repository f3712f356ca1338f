/*
 * dbuf.h - a struct diag writing into memory, for unit tests that check the messages of the
 * loader: dbuf_open, dbuf_text (the messages so far), dbuf_close. Include once.
 */
#ifndef TS_TESTS_DBUF_H
#define TS_TESTS_DBUF_H

#include <stdio.h>
#include <stdlib.h>

#include "util/diag.h"

struct dbuf {
    struct diag d;
    FILE *f;
    char *buf;
    size_t len;
};

static inline void dbuf_open(struct dbuf *b)
{
    b->buf = NULL;
    b->len = 0;
    b->f = open_memstream(&b->buf, &b->len);
    if (!b->f) {
        perror("open_memstream");
        exit(EXIT_FAILURE);
    }
    diag_init(&b->d, b->f);
}

/* The messages so far (valid until the next write). */
static inline const char *dbuf_text(struct dbuf *b)
{
    fflush(b->f);
    return b->buf ? b->buf : "";
}

static inline void dbuf_close(struct dbuf *b)
{
    diag_release(&b->d);
    fclose(b->f);
    free(b->buf);
}

#endif
