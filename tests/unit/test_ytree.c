/*
 * test_ytree.c - YAML trees (load/ytree.h): scalars, positions, encodings, the limits
 * (depth, nodes, aliases), and editing a tree (what --set does).
 *
 * Diagnostics go to an open_memstream() buffer, so each test checks the message text as a
 * user would see it: "FILE:LINE:COL: error: ...". Line and column numbers are counted by hand
 * in the YAML texts below (both 1-based).
 */
#include <string.h>

#include "check.h"
#include "dbuf.h"
#include "load_check.h"
#include "load/ytree.h"
#include "util/diag.h"
#include "util/xalloc.h"

static void test_ytree_good(void)
{
    struct dbuf b;
    dbuf_open(&b);
    /*          1234567890123 */
    const char *y = "name: test\n"            /* 1 */
                    "cluster:\n"              /* 2 */
                    "  count: 2048\n"         /* 3: count at col 3, 2048 at col 10 */
                    "  tags: [a, \"b c\"]\n"  /* 4: [ at col 9, a at 10, "b c" at 13 */
                    "seq:\n"                  /* 5 */
                    "  - x: 1\n"              /* 6: '-' at col 3, x at col 5, 1 at col 8 */
                    "  - 'y'\n";              /* 7: 'y' at col 5 */
    struct ynode *r = parse(&b, y);
    CHECK(r != NULL);
    CHECK(b.d.n_errors == 0 && b.d.n_warnings == 0);
    if (r) {
        CHECK(r->kind == YNODE_MAP && r->n == 3);
        CHECK(at(r, 1, 1));
        CHECK(strcmp(r->pos.file, "t.yaml") == 0);
        CHECK(at(r->keys[0], 1, 1) && text_is(r->keys[0], "name"));
        CHECK(at(ytree_get(r, "name"), 1, 7) && text_is(ytree_get(r, "name"), "test"));
        CHECK(ytree_get(r, "name")->is_plain);
        const struct ynode *cl = ytree_get(r, "cluster");
        CHECK(cl && cl->kind == YNODE_MAP && cl->n == 2);
        CHECK(at(r->keys[1], 2, 1));
        CHECK(at(cl, 3, 3));
        CHECK(at(cl->keys[0], 3, 3));
        CHECK(at(ytree_get(cl, "count"), 3, 10) && text_is(ytree_get(cl, "count"), "2048"));
        const struct ynode *tags = ytree_get(cl, "tags");
        CHECK(tags && tags->kind == YNODE_SEQ && tags->n == 2);
        if (tags && tags->n == 2) {
            CHECK(at(tags, 4, 9));
            CHECK(at(tags->vals[0], 4, 10) && text_is(tags->vals[0], "a") && tags->vals[0]->is_plain);
            CHECK(at(tags->vals[1], 4, 13) && text_is(tags->vals[1], "b c") && !tags->vals[1]->is_plain);
            CHECK(tags->keys == NULL);
        }
        const struct ynode *seq = ytree_get(r, "seq");
        CHECK(seq && seq->kind == YNODE_SEQ && seq->n == 2);
        if (seq && seq->n == 2) {
            CHECK(at(seq, 6, 3));
            CHECK(at(seq->vals[0], 6, 5) && seq->vals[0]->kind == YNODE_MAP);
            CHECK(at(ytree_get(seq->vals[0], "x"), 6, 8) && text_is(ytree_get(seq->vals[0], "x"), "1"));
            CHECK(at(seq->vals[1], 7, 5) && text_is(seq->vals[1], "y") && !seq->vals[1]->is_plain);
        }
        CHECK(ytree_find(r, "cluster") == 1 && ytree_find(r, "nope") == -1);
        CHECK(ytree_get(r, "nope") == NULL);
        CHECK(strcmp(ytree_kind_name(r), "a mapping") == 0);
        CHECK(strcmp(ytree_kind_name(seq), "a list") == 0);
        CHECK(strcmp(ytree_kind_name(ytree_get(r, "name")), "a single value") == 0);
    }
    ytree_free(r);

    /* col_offset shifts line 1 only (a --set value starts inside a longer argument). */
    r = ytree_parse(&b.d, "arg", "a: 1\nb: 2", 9, 10);
    CHECK(r && at(r->keys[0], 1, 11) && at(ytree_get(r, "a"), 1, 14) && at(r->keys[1], 2, 1));
    ytree_free(r);
    ytree_free(NULL);
    CHECK(b.d.n_errors == 0);
    dbuf_close(&b);
}

static void test_ytree_errors(void)
{
    struct dbuf b;
    dbuf_open(&b);
    /* Duplicate key: the second 'a' (line 3) is the error; a note points at the first. */
    struct ynode *r = parse(&b, "a: 1\nb: 2\na: 3\n");
    CHECK(b.d.n_errors == 1);
    CHECK(said(&b, "t.yaml:3:1: error: document: duplicate key 'a'"));
    CHECK(said(&b, "t.yaml:1:1: note: first defined here"));
    ytree_free(r);
    dbuf_close(&b);

    /* Nested: the message names the mapping's path. */
    dbuf_open(&b);
    r = parse(&b, "m:\n  k: 1\n  k: 2\n");
    CHECK(b.d.n_errors == 1);
    CHECK(said(&b, "t.yaml:3:3: error: m: duplicate key 'k'"));
    CHECK(said(&b, "t.yaml:2:3: note: first defined here"));
    ytree_free(r);
    dbuf_close(&b);

    /* A key that is not a scalar. */
    dbuf_open(&b);
    r = parse(&b, "? [a, b]\n: 1\n");
    CHECK(b.d.n_errors == 1);
    CHECK(said(&b, "t.yaml:1:3: error: document: mapping keys must be plain names"));
    ytree_free(r);
    dbuf_close(&b);

    /* Empty documents. */
    dbuf_open(&b);
    CHECK(parse(&b, "") == NULL);
    CHECK(b.d.n_errors == 1);
    CHECK(said(&b, "t.yaml:1:1: error: the file is empty"));
    CHECK(parse(&b, "# only a comment\n\n") == NULL);
    CHECK(b.d.n_errors == 2);
    dbuf_close(&b);

    /* A second document. */
    dbuf_open(&b);
    CHECK(parse(&b, "a: 1\n---\nb: 2\n") == NULL);
    CHECK(b.d.n_errors == 1);
    CHECK(said(&b, "t.yaml:3:1: error: expected a single YAML document, found a second one"));
    dbuf_close(&b);
    /* ...but an explicit document end alone is fine. */
    dbuf_open(&b);
    r = parse(&b, "---\na: 1\n...\n");
    CHECK(r != NULL && b.d.n_errors == 0);
    ytree_free(r);
    dbuf_close(&b);

    /* A syntax error is reported with a position and a libyaml context note. */
    dbuf_open(&b);
    CHECK(parse(&b, "a: [1, 2\nb: 3\n") == NULL);
    CHECK(b.d.n_errors == 1);
    CHECK(said(&b, "t.yaml:"));
    CHECK(said(&b, ": error: "));
    dbuf_close(&b);

    /* NUL bytes in the text: not a text file. */
    dbuf_open(&b);
    const char nul[] = "a: 1\0b: 2\n";
    CHECK(ytree_parse(&b.d, "t.yaml", nul, sizeof nul - 1, 0) == NULL);
    CHECK(b.d.n_errors == 1);
    CHECK(said(&b, "t.yaml: error: not a text file (contains NUL bytes)"));
    dbuf_close(&b);
    /* A NUL written as an escape inside a quoted string. */
    dbuf_open(&b);
    CHECK(parse(&b, "a: \"x\\0y\"\n") == NULL);
    CHECK(b.d.n_errors == 1);
    CHECK(said(&b, "t.yaml:1:4: error: a: string contains a NUL character"));
    dbuf_close(&b);
}

static void test_ytree_encodings(void)
{
    struct dbuf b;
    dbuf_open(&b);
    /* A UTF-8 byte order mark is skipped: the first key is still at 1:1. */
    struct ynode *r = parse(&b, "\xEF\xBB\xBFname: bom\ncount: 3\n");
    CHECK(r != NULL && b.d.n_errors == 0);
    if (r) {
        CHECK(r->n == 2 && text_is(r->keys[0], "name") && at(r->keys[0], 1, 1));
        CHECK(text_is(ytree_get(r, "name"), "bom"));
        CHECK(at(ytree_get(r, "count"), 2, 8));
    }
    ytree_free(r);

    /* CRLF line ends: no '\r' in values, lines counted as usual. */
    r = parse(&b, "a: 1\r\nb:\r\n  c: two\r\n  d: [x, y]\r\n");
    CHECK(r != NULL && b.d.n_errors == 0);
    if (r) {
        CHECK(text_is(ytree_get(r, "a"), "1"));
        const struct ynode *bm = ytree_get(r, "b");
        CHECK(text_is(ytree_get(bm, "c"), "two"));
        CHECK(bm && at(bm->keys[0], 3, 3) && at(ytree_get(bm, "c"), 3, 6));
        CHECK(at(ytree_get(bm, "d"), 4, 6));
        CHECK(ytree_get(bm, "d") && ytree_get(bm, "d")->n == 2 && text_is(ytree_get(bm, "d")->vals[1], "y"));
    }
    ytree_free(r);
    dbuf_close(&b);
}

/* "[[[...]]]" nested n deep. */
static char *nested(int n)
{
    char *s = xmalloc((size_t)(2 * n + 1));
    memset(s, '[', (size_t)n);
    memset(s + n, ']', (size_t)n);
    s[2 * n] = '\0';
    return s;
}

static void test_ytree_caps(void)
{
    struct dbuf b;
    dbuf_open(&b);
    /* Depth: the root is at depth 0, so YTREE_MAX_DEPTH + 1 nested lists reach depth 64 (ok)
     * and one more reaches 65 (error). */
    char *s = nested(YTREE_MAX_DEPTH + 1);
    struct ynode *r = parse(&b, s);
    CHECK(r != NULL && b.d.n_errors == 0);
    ytree_free(r);
    free(s);
    s = nested(YTREE_MAX_DEPTH + 2);
    CHECK(parse(&b, s) == NULL);
    CHECK(b.d.n_errors == 1);
    CHECK(said(&b, "nesting deeper than 64 levels"));
    /* The innermost '[' is the 66th character of line 1. */
    CHECK(said(&b, "t.yaml:1:66: error: "));
    free(s);
    dbuf_close(&b);

    /* Nodes: the cap counts every node. A list of 399 lists of 499 items, then 499 more
     * items, is 1 + 399 * (1 + 499) + 499 = 200,000 nodes: exactly the cap. (Many short
     * lists rather than one long one: ytree appends one item at a time.) */
    dbuf_open(&b);
    const int n_sub = 399, n_item = 499;
    char *big = xmalloc((size_t)(2 * YTREE_MAX_NODES + 16));
    size_t k = 0;
    big[k++] = '[';
    for (int i = 0; i < n_sub; i++) {
        big[k++] = '[';
        for (int j = 0; j < n_item; j++) {
            big[k++] = '0';
            big[k++] = j + 1 < n_item ? ',' : ']';
        }
        big[k++] = ',';
    }
    for (int j = 0; j < n_item; j++) {
        big[k++] = '0';
        big[k++] = j + 1 < n_item ? ',' : ']';
    }
    big[k] = '\0';
    CHECK(1 + n_sub * (1 + n_item) + n_item == YTREE_MAX_NODES);
    r = parse(&b, big);
    CHECK(r != NULL && b.d.n_errors == 0);
    CHECK(r && r->kind == YNODE_SEQ && r->n == n_sub + n_item);
    ytree_free(r);
    /* One more item: 200,001 nodes. */
    memcpy(big + k - 1, ",0]", 4);
    CHECK(parse(&b, big) == NULL);
    CHECK(b.d.n_errors == 1);
    CHECK(said(&b, "document has more than 200000 nodes (after expanding aliases)"));
    free(big);
    dbuf_close(&b);

    /* "Billion laughs": 9 levels of 10 aliases expand to 10^9 scalars. The node cap stops
     * the expansion after 200,000 nodes, so this fails at once instead of eating memory.
     * (CPU time, not wall time; the bound is generous: it takes milliseconds.) */
    dbuf_open(&b);
    const char *bomb = "a: &a [x, x, x, x, x, x, x, x, x, x]\n"
                       "b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\n"
                       "c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]\n"
                       "d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]\n"
                       "e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d, *d]\n"
                       "f: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e, *e]\n"
                       "g: &g [*f, *f, *f, *f, *f, *f, *f, *f, *f, *f]\n"
                       "h: &h [*g, *g, *g, *g, *g, *g, *g, *g, *g, *g]\n"
                       "i: &i [*h, *h, *h, *h, *h, *h, *h, *h, *h, *h]\n";
    /* It fails on the node cap, not by exhausting memory (about 0.16 s of CPU when measured;
     * timing is never a pass/fail test here, STYLE B8.7). */
    CHECK(parse(&b, bomb) == NULL);
    CHECK(b.d.n_errors == 1);
    CHECK(said(&b, "more than 200000 nodes"));
    dbuf_close(&b);
}

static void test_ytree_edit(void)
{
    struct dbuf b;
    dbuf_open(&b);
    struct ynode *orig = parse(&b, "a: 1\nm:\n  k: [1, 2]\n");
    CHECK(orig != NULL);
    if (!orig) {
        dbuf_close(&b);
        return;
    }
    struct ynode *c = ytree_copy(orig);
    /* A deep copy: same shape, text and positions, no shared nodes. */
    CHECK(c != orig && c->kind == YNODE_MAP && c->n == 2);
    CHECK(c->keys[0] != orig->keys[0] && c->keys[0]->text != orig->keys[0]->text);
    CHECK(text_is(c->keys[1], "m") && at(c->keys[1], 2, 1));
    const struct ynode *ck = ytree_get(ytree_get(c, "m"), "k");
    const struct ynode *ok = ytree_get(ytree_get(orig, "m"), "k");
    CHECK(ck && ok && ck != ok && ck->kind == YNODE_SEQ && ck->n == 2 && text_is(ck->vals[1], "2"));
    CHECK(ck && at(ck, 3, 6) && at(ck->vals[1], 3, 10));
    CHECK(ck && ck->pos.file == ok->pos.file);

    /* ytree_put replaces a key in place (same index, count unchanged)... */
    struct ynode *v = parse(&b, "{x: 9}");
    CHECK(v != NULL);
    if (v) {
        ytree_put(c, "a", v);
        CHECK(c->n == 2 && ytree_find(c, "a") == 0 && ytree_get(c, "a") == v);
    }
    /* ...or appends a new one; the key node takes the value's position. */
    struct ynode *nm = ytree_new_map((struct src_pos){ "here", 7, 5 });
    CHECK(nm->kind == YNODE_MAP && nm->n == 0 && at(nm, 7, 5));
    ytree_put(c, "z", nm);
    CHECK(c->n == 3 && ytree_find(c, "z") == 2 && ytree_get(c, "z") == nm);
    CHECK(text_is(c->keys[2], "z") && c->keys[2]->is_plain && at(c->keys[2], 7, 5));
    ytree_put(nm, "inner", ytree_copy(orig->vals[0]));
    CHECK(text_is(ytree_get(ytree_get(c, "z"), "inner"), "1"));

    /* The original is untouched. */
    CHECK(orig->n == 2 && text_is(ytree_get(orig, "a"), "1") && ytree_get(orig, "z") == NULL);
    /* ytree_get / ytree_find on things that are not mappings. */
    CHECK(ytree_get(NULL, "a") == NULL && ytree_find(NULL, "a") == -1);
    CHECK(ytree_get(ytree_get(orig, "a"), "a") == NULL);
    CHECK(ytree_get(ok, "k") == NULL);

    /* A copy of a scalar alone. */
    struct ynode *sc = ytree_copy(ytree_get(orig, "a"));
    CHECK(text_is(sc, "1") && sc->is_plain && at(sc, 1, 4));
    ytree_free(sc);
    ytree_free(c);
    ytree_free(orig);
    CHECK(b.d.n_errors == 0);
    dbuf_close(&b);
}

int main(void)
{
    test_ytree_good();
    test_ytree_errors();
    test_ytree_encodings();
    test_ytree_caps();
    test_ytree_edit();
    return CHECK_EXIT();
}
