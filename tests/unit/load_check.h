/*
 * load_check.h - helpers the load-layer unit tests share (test_ytree, test_schema,
 * test_override, test_load_scenario): diagnostics checked as a user sees them, YAML parsed
 * from a string, node positions.
 */
#ifndef TS_TESTS_LOAD_CHECK_H
#define TS_TESTS_LOAD_CHECK_H

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "dbuf.h"
#include "load/ytree.h"

/* True when the messages contain s; prints them otherwise. */
static inline bool said(struct dbuf *b, const char *s)
{
    const char *t = dbuf_text(b);
    if (strstr(t, s))
        return true;
    fprintf(stderr, "  expected a message containing \"%s\"; got:\n%s", s, t);
    return false;
}

static inline struct ynode *parse(struct dbuf *b, const char *text)
{
    return ytree_parse(&b->d, "t.yaml", text, strlen(text), 0);
}

static inline bool at(const struct ynode *n, int line, int col)
{
    if (n && n->pos.line == line && n->pos.col == col)
        return true;
    fprintf(stderr, "  node at %d:%d, want %d:%d\n", n ? n->pos.line : -1, n ? n->pos.col : -1, line, col);
    return false;
}

static inline bool text_is(const struct ynode *n, const char *want)
{
    return n && n->kind == YNODE_SCALAR && n->text && strcmp(n->text, want) == 0;
}

#endif
