/*
 * test_schema.c - the load layer: YAML trees (load/ytree.h), key tables and num|dist values
 * (load/schema.h), --set overrides (load/override.h) and whole scenarios (load/load.h).
 *
 * Diagnostics go to an open_memstream() buffer, so each test checks the message text as a
 * user would see it: "FILE:LINE:COL: error: ...". Line and column numbers are counted by hand
 * in the YAML texts below (both 1-based). Scenario files are written to a private mkdtemp()
 * folder with mkstemp() and removed at the end.
 */
#include <math.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "check.h"
#include "dbuf.h"
#include "core/spec.h"
#include "load/catalog.h"
#include "load/load.h"
#include "load/override.h"
#include "load/schema.h"
#include "load/ytree.h"
#include "util/diag.h"
#include "util/xalloc.h"

/* True when the messages contain s; prints them otherwise. */
static bool said(struct dbuf *b, const char *s)
{
    const char *t = dbuf_text(b);
    if (strstr(t, s))
        return true;
    fprintf(stderr, "  expected a message containing \"%s\"; got:\n%s", s, t);
    return false;
}

static struct ynode *parse(struct dbuf *b, const char *text)
{
    return ytree_parse(&b->d, "t.yaml", text, strlen(text), 0);
}

static bool at(const struct ynode *n, int line, int col)
{
    if (n && n->pos.line == line && n->pos.col == col)
        return true;
    fprintf(stderr, "  node at %d:%d, want %d:%d\n", n ? n->pos.line : -1, n ? n->pos.col : -1, line, col);
    return false;
}

static bool text_is(const struct ynode *n, const char *want)
{
    return n && n->kind == YNODE_SCALAR && n->text && strcmp(n->text, want) == 0;
}

/* ======================================================================== ytree */

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

/* ======================================================================== schema */

static bool number_is(const char *text, double want)
{
    double v = NAN;
    const char *why = NULL;
    if (!schema_parse_number(text, &v, &why) || v != want) {
        fprintf(stderr, "  schema_parse_number(\"%s\") = %.17g (%s), want %.17g\n", text, v, why ? why : "ok", want);
        return false;
    }
    return true;
}

/* Rejected, with a reason containing 'reason', leaving *out alone. */
static bool number_rejected(const char *text, const char *reason)
{
    double v = -7.25;
    const char *why = NULL;
    const bool ok = schema_parse_number(text, &v, &why);
    if (ok || v != -7.25 || !why || !strstr(why, reason)) {
        fprintf(stderr, "  schema_parse_number(\"%s\"): ok %d, value %.17g, why '%s'\n", text, ok, v,
                why ? why : "(none)");
        return false;
    }
    return true;
}

static void test_parse_number(void)
{
    CHECK(number_is("2_788_000", 2788000));
    CHECK(number_is("2.788e6", 2788000));
    CHECK(number_is("2.788E+6", 2788000));
    CHECK(number_is("+5", 5));
    CHECK(number_is(".5", 0.5));
    CHECK(number_is("-0.25", -0.25));
    CHECK(number_is("5.", 5));
    CHECK(number_is("3.29e24", 3.29e24));
    CHECK(number_is("1e-300", 1e-300));
    CHECK(number_is("0", 0));
    CHECK(number_is("007", 7));

    CHECK(number_rejected("nan", "not a number"));
    CHECK(number_rejected("NaN", "not a number"));
    CHECK(number_rejected(".inf", "not a number"));
    CHECK(number_rejected("-.inf", "not a number"));
    CHECK(number_rejected("inf", "not a number"));
    CHECK(number_rejected("1e400", "too large"));
    CHECK(number_rejected("-1e400", "too large"));
    CHECK(number_rejected("1e-400", "too small"));
    CHECK(number_rejected("0x10", "not a number"));
    CHECK(number_rejected("", "not a number"));
    CHECK(number_rejected("_", "not a number"));
    CHECK(number_rejected("1,0", "not a number"));
    CHECK(number_rejected("1e", "not a number"));
    CHECK(number_rejected("1.2.3", "not a number"));
    CHECK(number_rejected("--5", "not a number"));
    CHECK(number_rejected("5 ", "not a number"));
    CHECK(number_rejected("five", "not a number"));
}

static void test_suggest(void)
{
    static const char *const keys[] = { "name", "flops", "params", "tokens", "gpu_hours", "tokens_per_gpu_s" };
    const int n = (int)(sizeof keys / sizeof keys[0]);
    const char *s = schema_suggest("tokenz", keys, n);
    CHECK(s && strcmp(s, "tokens") == 0);
    CHECK(schema_suggest("xyz", keys, n) == NULL);
    s = schema_suggest("Tokens", keys, n); /* case-insensitive */
    CHECK(s && strcmp(s, "tokens") == 0);
    s = schema_suggest("gpu_hour", keys, n);
    CHECK(s && strcmp(s, "gpu_hours") == 0);
    s = schema_suggest("paramz", keys, n);
    CHECK(s && strcmp(s, "params") == 0);
    CHECK(schema_suggest("completely_different", keys, n) == NULL);
    CHECK(schema_suggest("tokenz", keys, 0) == NULL);
}

static const struct key_rule map_rules[] = {
    KEY_RULE("tokens", KEY_PARAM, KEY_REQUIRED | KEY_LO_OPEN, 0, HUGE_VAL, "training tokens"),
    KEY_RULE("name", KEY_STRING, 0, 0, 0, "name"),
    KEY_RULE("count", KEY_INT, KEY_REQUIRED, 1, 1e7, "accelerators"),
    KEY_RULE("stages", KEY_SEQ, 0, 0, 0, "stages"),
    KEY_RULE("sub", KEY_MAP, 0, 0, 0, "a mapping"),
};
enum { N_MAP_RULES = (int)(sizeof map_rules / sizeof map_rules[0]) };

static void test_check_map(void)
{
    struct dbuf b;
    dbuf_open(&b);
    struct spec spec;
    memset(&spec, 0, sizeof spec);
    struct schema c = { &b.d, &spec };

    /* 1: an unknown key with a suggestion; 3: a scalar where a mapping belongs; two required
     * keys missing (reported at the mapping, 1:1). */
    struct ynode *m = parse(&b, "tokenz: 5\nname: x\nsub: 3\nxyz: 1\n");
    CHECK(m != NULL);
    if (m) {
        CHECK(!schema_check_map(&c, m, "workload", map_rules, N_MAP_RULES));
        CHECK(b.d.n_errors == 5);
        CHECK(said(&b, "t.yaml:1:1: error: workload: unknown key 'tokenz' (did you mean 'tokens'?)"));
        CHECK(said(&b, "did you mean 'tokens'"));
        CHECK(said(&b, "t.yaml:3:6: error: workload.sub: expected a mapping, got a single value"));
        CHECK(said(&b, "t.yaml:4:1: error: workload: unknown key 'xyz'\n"));
        CHECK(said(&b, "t.yaml:1:1: error: workload: missing required key 'tokens'"));
        CHECK(said(&b, "t.yaml:1:1: error: workload: missing required key 'count'"));
        /* The excerpt shows the line and a caret. */
        CHECK(said(&b, "    1 | tokenz: 5\n      | ^\n"));
    }
    ytree_free(m);
    dbuf_close(&b);

    /* The root is called "document". Mappings and lists are checked by shape here; scalars
     * and parameters by their readers (a list for a string is caught by schema_string). */
    dbuf_open(&b);
    c.diag = &b.d;
    m = parse(&b, "tokens: 1e12\ncount: 8\nname: [a]\nstages: x\n");
    CHECK(m && !schema_check_map(&c, m, "", map_rules, N_MAP_RULES));
    CHECK(b.d.n_errors == 1);
    CHECK(said(&b, "t.yaml:4:9: error: stages: expected a list, got a single value"));
    const char *str = NULL;
    CHECK(m && !schema_string(&c, ytree_get(m, "name"), "name", &str) && str == NULL);
    CHECK(said(&b, "t.yaml:3:7: error: name: expected a string, got a list"));
    CHECK(m && schema_string(&c, m->vals[0], "tokens", &str) && str && strcmp(str, "1e12") == 0);
    CHECK(b.d.n_errors == 2);
    ytree_free(m);
    m = parse(&b, "[1, 2]");
    CHECK(m && !schema_check_map(&c, m, "", map_rules, N_MAP_RULES));
    CHECK(said(&b, "document: expected a mapping of keys, got a list"));
    ytree_free(m);
    dbuf_close(&b);

    /* A good mapping: true, nothing said. */
    dbuf_open(&b);
    c.diag = &b.d;
    m = parse(&b, "tokens: {dist: uniform, min: 1, max: 2}\ncount: 8\nsub: {}\nstages: []\n");
    CHECK(m && schema_check_map(&c, m, "workload", map_rules, N_MAP_RULES));
    CHECK(b.d.n_errors == 0 && strcmp(dbuf_text(&b), "") == 0);

    /* The scalar readers, on the same tree. */
    const struct key_rule *count_rule = schema_rule(map_rules, N_MAP_RULES, "count");
    CHECK(count_rule == &map_rules[2]);
    CHECK(schema_rule(map_rules, N_MAP_RULES, "nope") == NULL);
    long cnt = 0;
    CHECK(m && schema_int(&c, ytree_get(m, "count"), "workload.count", count_rule, &cnt) && cnt == 8);
    ytree_free(m);
    m = parse(&b, "a: 2.5\nb: '3'\nc: 0\nd: \nq: 1e400\n");
    double v = 0;
    CHECK(m && !schema_int(&c, ytree_get(m, "a"), "x.a", count_rule, &cnt));
    CHECK(said(&b, "t.yaml:1:4: error: x.a: expected a whole number, got '2.5'"));
    CHECK(m && !schema_number(&c, ytree_get(m, "b"), "x.b", count_rule, &v));
    CHECK(said(&b, "t.yaml:2:4: error: x.b: expected a number, got the quoted string '3'"));
    CHECK(m && !schema_int(&c, ytree_get(m, "c"), "x.c", count_rule, &cnt));
    CHECK(said(&b, "t.yaml:3:4: error: x.c: 0 is outside the valid range [1, 1e+07]"));
    CHECK(m && !schema_number(&c, ytree_get(m, "d"), "x.d", count_rule, &v));
    CHECK(said(&b, "x.d: expected a number, got an empty value"));
    CHECK(m && !schema_number(&c, ytree_get(m, "q"), "x.q", count_rule, &v));
    CHECK(said(&b, "x.q: '1e400' is too large (overflows a double)"));
    CHECK(cnt == 8 && v == 0); /* failed reads leave the output alone */
    ytree_free(m);
    char range[64];
    schema_format_range(range, sizeof range, &map_rules[0]);
    CHECK(strcmp(range, "(0, inf)") == 0);
    schema_format_range(range, sizeof range, count_rule);
    CHECK(strcmp(range, "[1, 1e+07]") == 0);
    char joined[64];
    schema_join(joined, sizeof joined, "facility", "pue");
    CHECK(strcmp(joined, "facility.pue") == 0);
    schema_join(joined, sizeof joined, "", "name");
    CHECK(strcmp(joined, "name") == 0);
    dbuf_close(&b);
}

/* Rules for schema_param: mfu in (0, 1]; a positive duration (0, inf); anything. */
static const struct key_rule mfu_rule = KEY_RULE("mfu", KEY_PARAM, KEY_LO_OPEN, 0, 1, "");
static const struct key_rule pos_rule = KEY_RULE("restart_min", KEY_PARAM, KEY_LO_OPEN, 0, HUGE_VAL, "");
static const struct key_rule any_rule = KEY_RULE("x", KEY_PARAM, 0, -HUGE_VAL, HUGE_VAL, "");

/* Parses yaml and adds it as an input; returns the input (NULL if parsing failed). */
static const struct input *param(struct dbuf *b, struct schema *c, const char *yaml, const struct key_rule *rule,
                                 double dflt)
{
    struct ynode *n = parse(b, yaml);
    if (!n)
        return NULL;
    const int before = c->spec->n_inputs;
    const int i = schema_param(c, n, "workload.mfu", rule, dflt, INPUT_PER_SAMPLE);
    ytree_free(n);
    if (i != before || c->spec->n_inputs != before + 1)
        return NULL;
    return &c->spec->inputs[i];
}

static void test_param(void)
{
    struct dbuf b;
    dbuf_open(&b);
    struct spec spec;
    memset(&spec, 0, sizeof spec);
    struct schema c = { &b.d, &spec };
    const struct input *in;

    /* A plain number and {dist: fixed}: the value. */
    in = param(&b, &c, "0.42", &mfu_rule, 0.5);
    CHECK(in && in->dist.kind == DIST_FIXED && in->dist.value == 0.42 && in->central == 0.42);
    CHECK(in && strcmp(in->path, "workload.mfu") == 0 && in->draw == INPUT_PER_SAMPLE);
    in = param(&b, &c, "{dist: fixed, value: 0.42}", &mfu_rule, 0.5);
    CHECK(in && in->dist.kind == DIST_FIXED && in->central == 0.42);

    /* normal: the mean clipped into [min, max]. */
    in = param(&b, &c, "{dist: normal, mean: 0.35, sd: 0.05, min: 0.2, max: 0.5}", &mfu_rule, 0.5);
    CHECK(in && in->dist.kind == DIST_NORMAL && in->central == 0.35);
    CHECK(in && in->dist.a == 0.35 && in->dist.b == 0.05 && in->dist.lo == 0.2 && in->dist.hi == 0.5);
    in = param(&b, &c, "{dist: normal, mean: 0.45, sd: 0.1, min: 0.3, max: 0.4}", &mfu_rule, 0.5);
    CHECK(in && in->dist.kind == DIST_NORMAL && in->central == 0.4); /* clipped to max */
    in = param(&b, &c, "{dist: normal, mean: 0.1, sd: 0.1, min: 0.2, max: 0.5}", &mfu_rule, 0.5);
    CHECK(in && in->dist.kind == DIST_NORMAL && in->central == 0.2); /* clipped to min */
    /* An unbounded parameter takes an untruncated normal: lo/hi are infinite. */
    in = param(&b, &c, "{dist: normal, mean: -3.5, sd: 2}", &any_rule, 0);
    CHECK(in && in->dist.kind == DIST_NORMAL && in->central == -3.5 && isinf(in->dist.lo) && isinf(in->dist.hi));
    CHECK(b.d.n_errors == 0);

    /* uniform: (0.30 + 0.38) / 2 = 0.34. */
    in = param(&b, &c, "{dist: uniform, min: 0.30, max: 0.38}", &mfu_rule, 0.5);
    CHECK(in && in->dist.kind == DIST_UNIFORM && in->dist.lo == 0.30 && in->dist.hi == 0.38);
    CHECK(in && fabs(in->central - 0.34) < 1e-15);
    /* triangular: (0.2 + 0.35 + 0.41) / 3 = 0.96 / 3 = 0.32. */
    in = param(&b, &c, "{dist: triangular, min: 0.2, mode: 0.35, max: 0.41}", &mfu_rule, 0.5);
    CHECK(in && in->dist.kind == DIST_TRIANGULAR && in->dist.a == 0.35);
    CHECK(in && fabs(in->central - 0.32) < 1e-15);
    /* pert: (0.2 + 4 * 0.35 + 0.41) / 6 = 2.01 / 6 = 0.335. */
    in = param(&b, &c, "{dist: pert, min: 0.2, mode: 0.35, max: 0.41}", &mfu_rule, 0.5);
    CHECK(in && in->dist.kind == DIST_PERT && in->dist.lo == 0.2 && in->dist.a == 0.35 && in->dist.hi == 0.41);
    CHECK(in && fabs(in->central - 0.335) < 1e-15);
    /* lognormal: the median, support (0, inf). */
    in = param(&b, &c, "{dist: lognormal, median: 30, gsd: 1.8}", &pos_rule, 1);
    CHECK(in && in->dist.kind == DIST_LOGNORMAL && in->central == 30 && in->dist.a == 30 && in->dist.b == 1.8);
    CHECK(in && in->dist.lo == 0 && isinf(in->dist.hi));
    /* choice: weights 3 and 1 normalised to 0.75 and 0.25: 0.75 * 0.2 + 0.25 * 0.6 = 0.3. */
    in = param(&b, &c, "{dist: choice, values: [0.2, 0.6], weights: [3, 1]}", &mfu_rule, 0.5);
    CHECK(in && in->dist.kind == DIST_CHOICE && in->dist.n_values == 2);
    if (in && in->dist.n_values == 2) {
        CHECK(in->dist.weights[0] == 0.75 && in->dist.weights[1] == 0.25);
        CHECK(in->dist.values[0] == 0.2 && in->dist.values[1] == 0.6);
        CHECK(fabs(in->central - 0.3) < 1e-15);
        CHECK(in->dist.lo == 0.2 && in->dist.hi == 0.6);
    }
    /* choice with default (equal) weights: (0.2 + 0.3 + 0.7) / 3 = 0.4. */
    in = param(&b, &c, "{dist: choice, values: [0.2, 0.3, 0.7]}", &mfu_rule, 0.5);
    CHECK(in && in->dist.kind == DIST_CHOICE && in->dist.n_values == 3);
    if (in && in->dist.n_values == 3) {
        CHECK(fabs(in->dist.weights[0] - 1.0 / 3) < 1e-15 && fabs(in->dist.weights[2] - 1.0 / 3) < 1e-15);
        CHECK(fabs(in->central - 0.4) < 1e-15);
    }
    CHECK(b.d.n_errors == 0);
    if (b.d.n_errors)
        fprintf(stderr, "%s", dbuf_text(&b));

    /* Errors: each still adds a valid input holding the default (0.5), fixed. */
    const int e0 = b.d.n_errors;
    in = param(&b, &c, "{dist: normal, mean: 0.4, sd: 0.05}", &mfu_rule, 0.5);
    CHECK(in && in->dist.kind == DIST_FIXED && in->central == 0.5 && in->dist.value == 0.5);
    CHECK(b.d.n_errors == e0 + 1);
    CHECK(said(&b, "t.yaml:1:1: error: workload.mfu: an untruncated normal can leave the valid range (0, 1]; "
                   "add min and max"));
    in = param(&b, &c, "{dist: normal, mean: 0.4, sd: 0.05, min: 0.1}", &mfu_rule, 0.5);
    CHECK(in && in->dist.kind == DIST_FIXED && in->central == 0.5);
    CHECK(said(&b, "valid range (0, 1]; add max"));
    in = param(&b, &c, "{dist: normal, mean: 30, sd: 5}", &pos_rule, 30);
    CHECK(in && in->dist.kind == DIST_FIXED);
    CHECK(said(&b, "valid range (0, inf); add min\n"));
    in = param(&b, &c, "{dist: normal, mean: 5, sd: 0.01, min: 0.2, max: 0.5}", &mfu_rule, 0.5);
    CHECK(in && in->dist.kind == DIST_FIXED);
    CHECK(said(&b, "workload.mfu: [min, max] keeps almost none of this normal's probability (mean 5, sd 0.01)"));
    in = param(&b, &c, "{dist: lognormal, median: 0.4, gsd: 1.2}", &mfu_rule, 0.5);
    CHECK(in && in->dist.kind == DIST_FIXED);
    CHECK(said(&b, "workload.mfu: a lognormal can take any positive value, outside the valid range (0, 1]"));
    in = param(&b, &c, "{dist: uniform, min: 0.5, max: 1.2}", &mfu_rule, 0.5);
    CHECK(said(&b, "workload.mfu: this uniform can take values in [0.5, 1.2], outside the valid range (0, 1]"));
    in = param(&b, &c, "{dist: uniform, min: 0.4, max: 0.3}", &mfu_rule, 0.5);
    CHECK(said(&b, "workload.mfu: min (0.4) must be below max (0.3)"));
    in = param(&b, &c, "{dist: pert, min: 0.2, mode: 0.6, max: 0.5}", &mfu_rule, 0.5);
    CHECK(said(&b, "t.yaml:1:30: error: workload.mfu: mode (0.6) must lie in [min, max] = [0.2, 0.5]"));
    in = param(&b, &c, "{dist: normall, mean: 0.4, sd: 0.1}", &mfu_rule, 0.5);
    CHECK(said(&b, "workload.mfu.dist: unknown distribution 'normall' (did you mean 'normal'?)"));
    in = param(&b, &c, "{dist: uniform, min: 0.2}", &mfu_rule, 0.5);
    CHECK(said(&b, "workload.mfu: missing required key 'max'"));
    in = param(&b, &c, "{dist: uniform, min: 0.2, max: 0.4, mode: 0.3}", &mfu_rule, 0.5);
    CHECK(said(&b, "workload.mfu: unknown key 'mode'"));
    in = param(&b, &c, "{dist: choice, values: [0.2, 0.6], weights: [1]}", &mfu_rule, 0.5);
    CHECK(said(&b, "workload.mfu.weights: 1 weights for 2 values"));
    in = param(&b, &c, "{dist: choice, values: [0.2, 1.5]}", &mfu_rule, 0.5);
    CHECK(said(&b, "workload.mfu.values[1]: 1.5 is outside the valid range (0, 1]"));
    in = param(&b, &c, "{mean: 0.4}", &mfu_rule, 0.5);
    CHECK(said(&b, "workload.mfu: a distribution needs a 'dist' key"));
    in = param(&b, &c, "1.5", &mfu_rule, 0.5);
    CHECK(in && in->dist.kind == DIST_FIXED && in->central == 0.5);
    CHECK(said(&b, "workload.mfu: 1.5 is outside the valid range (0, 1]"));
    in = param(&b, &c, "0", &mfu_rule, 0.5);
    CHECK(said(&b, "workload.mfu: 0 is outside the valid range (0, 1]")); /* lo is open */
    CHECK(b.d.n_errors == e0 + 16);
    CHECK(in && in->central == 0.5);

    /* No node: a fixed input at the default; per-restart draws get the "restarts" stream. */
    const int i = schema_param(&c, NULL, "reliability.restart_min", &pos_rule, 30, INPUT_PER_RESTART);
    CHECK(spec.inputs[i].dist.kind == DIST_FIXED && spec.inputs[i].central == 30);
    CHECK(spec.inputs[i].draw == INPUT_PER_RESTART);
    const int j = schema_copy_input(&c, i, "reliability.planned_downtime_min", INPUT_PER_MAINTENANCE);
    CHECK(j == i + 1 && spec.inputs[j].central == 30 && strcmp(spec.inputs[j].path, "reliability.planned_downtime_min") == 0);
    CHECK(spec.inputs[j].stream != spec.inputs[i].stream);
    CHECK(strcmp(schema_dist_name(DIST_PERT), "pert") == 0 && strcmp(schema_dist_name(DIST_CHOICE), "choice") == 0);
    spec_release(&spec);
    dbuf_close(&b);
}

/* ======================================================================== override */

static const char *const OVERRIDE_BASE = "cluster:\n"
                                         "  count: 2048\n"
                                         "workload:\n"
                                         "  stages:\n"
                                         "    - name: pre\n"
                                         "      mfu: 0.3\n"
                                         "    - name: post\n"
                                         "      mfu: 0.4\n";

static void test_override(void)
{
    struct dbuf b;
    dbuf_open(&b);
    struct ynode *root = parse(&b, OVERRIDE_BASE);
    CHECK(root != NULL);
    if (!root) {
        dbuf_close(&b);
        return;
    }
    const struct ynode *cl = ytree_get(root, "cluster");

    /* Replace a scalar; the value's position is inside the argument: "cluster.count=" is 14
     * characters, so the value starts at column 15 of "<command line>". */
    CHECK(override_apply(&b.d, root, "cluster.count=4096"));
    const struct ynode *cnt = ytree_get(cl, "count");
    CHECK(text_is(cnt, "4096") && cnt->is_plain && at(cnt, 1, 15));
    CHECK(cnt && strcmp(cnt->pos.file, "<command line>") == 0);
    CHECK(cl->n == 1);

    /* Missing mappings on the way are created. */
    CHECK(override_apply(&b.d, root, "facility.pue=1.25"));
    CHECK(text_is(ytree_get(ytree_get(root, "facility"), "pue"), "1.25"));
    CHECK(override_apply(&b.d, root, "a.b.c=[1, 2]"));
    const struct ynode *abc = ytree_get(ytree_get(ytree_get(root, "a"), "b"), "c");
    CHECK(abc && abc->kind == YNODE_SEQ && abc->n == 2);
    CHECK(root->n == 4);

    /* A list item's key; a whole list item. */
    CHECK(override_apply(&b.d, root, "workload.stages[0].mfu={dist: uniform, min: 0.3, max: 0.4}"));
    const struct ynode *stages = ytree_get(ytree_get(root, "workload"), "stages");
    const struct ynode *mfu0 = stages ? ytree_get(stages->vals[0], "mfu") : NULL;
    CHECK(mfu0 && mfu0->kind == YNODE_MAP && text_is(ytree_get(mfu0, "dist"), "uniform"));
    CHECK(text_is(ytree_get(stages->vals[1], "mfu"), "0.4")); /* the other stage is untouched */
    CHECK(override_apply(&b.d, root, "workload.stages[0].mfu=0.35"));
    CHECK(text_is(ytree_get(stages->vals[0], "mfu"), "0.35"));
    CHECK(text_is(ytree_get(stages->vals[0], "name"), "pre"));
    CHECK(override_apply(&b.d, root, "workload.stages[1]={name: late, mfu: 0.5}"));
    CHECK(text_is(ytree_get(stages->vals[1], "name"), "late") && stages->n == 2);
    CHECK(b.d.n_errors == 0);
    if (b.d.n_errors)
        fprintf(stderr, "%s", dbuf_text(&b));

    /* Errors: false, a message at the right column, the tree unchanged. */
    CHECK(!override_apply(&b.d, root, "cluster..count=1"));
    CHECK(said(&b, "<command line>:1:9: error: --set: 'cluster..count' is not a key path"));
    CHECK(!override_apply(&b.d, root, "workload.stages[5].mfu=0.5"));
    CHECK(said(&b, "--set workload.stages[5].mfu: 'stages' has no item [5]\n"));
    CHECK(!override_apply(&b.d, root, "workload.stages[2]=0.5"));
    CHECK(said(&b, "'stages' has no item [2]"));
    CHECK(!override_apply(&b.d, root, "cluster[0]=1"));
    CHECK(said(&b, "--set cluster[0]: 'cluster' has no item [0] (not a list)"));
    CHECK(!override_apply(&b.d, root, "cluster.count"));
    CHECK(said(&b, "<command line>:1:1: error: --set: expected PATH=VALUE, got 'cluster.count'"));
    CHECK(!override_apply(&b.d, root, "=5"));
    CHECK(said(&b, "expected PATH=VALUE, got '=5'"));
    CHECK(!override_apply(&b.d, root, "cluster.count.x=1"));
    CHECK(said(&b, "--set cluster.count.x: 'x' is inside a single value, not a mapping"));
    CHECK(!override_apply(&b.d, root, "cluster.count=[1,"));
    CHECK(!override_apply(&b.d, root, "cluster.=1"));
    CHECK(!override_apply(&b.d, root, "stages[x]=1"));
    CHECK(!override_apply(&b.d, root, "clu ster=1"));
    CHECK(b.d.n_errors == 11);
    CHECK(text_is(ytree_get(cl, "count"), "4096") && cl->n == 1 && stages->n == 2 && root->n == 4);
    CHECK(text_is(ytree_get(stages->vals[0], "mfu"), "0.35"));

    /* A value with a duplicate key is an error, so override_apply must say so (it returns
     * false on error, per override.h). */
    const int e0 = b.d.n_errors;
    const bool dup_ok = override_apply(&b.d, root, "facility={pue: 1.1, pue: 1.2}");
    CHECK(b.d.n_errors == e0 + 1);
    CHECK(said(&b, "<command line>:1:21: error: document: duplicate key 'pue'"));
    CHECK(!dup_ok);
    ytree_free(root);
    dbuf_close(&b);
}

/* ======================================================================== load_scenario */

struct tmpdir {
    char dir[64];
    char files[8][128];
    int n;
};

/* Writes text to a new file in the temp folder (mkstemp) and returns its path. */
static const char *write_tmp(struct tmpdir *t, const char *prefix, const char *text)
{
    if (t->n == 8)
        return NULL;
    char *path = t->files[t->n];
    char tmpl[sizeof t->files[0]];
    snprintf(tmpl, sizeof tmpl, "%s/%sXXXXXX", t->dir, prefix);
    memcpy(path, tmpl, sizeof tmpl);
    const int fd = mkstemp(path);
    if (fd < 0) {
        perror("mkstemp");
        return NULL;
    }
    FILE *f = fdopen(fd, "w");
    if (!f) {
        close(fd);
        return NULL;
    }
    fputs(text, f);
    fclose(f);
    t->n++;
    return path;
}

static const char *basename_of(const char *path)
{
    const char *s = strrchr(path, '/');
    return s ? s + 1 : path;
}

/* A minimal valid scenario; counted by hand:
 *   line 6 "  accelerator: H800-SXM", line 7 "  count: 96". */
static const char *const SCENARIO = "name: unit test scenario\n"      /* 1 */
                                    "start: 2024-03-10T06:00:00Z\n"   /* 2 */
                                    "workload:\n"                     /* 3 */
                                    "  gpu_hours: 12_345\n"           /* 4 */
                                    "cluster:\n"                      /* 5 */
                                    "  accelerator: H800-SXM\n"       /* 6 */
                                    "  count: 96\n"                   /* 7 */
                                    "facility:\n"                     /* 8 */
                                    "  pue: 1.17\n"                   /* 9 */
                                    "grid:\n"                         /* 10 */
                                    "  intensity_kg_per_kwh: 0.4375\n" /* 11 */
                                    "sim:\n"                          /* 12 */
                                    "  samples: 7\n"                  /* 13 */
                                    "  quantiles: [0.025, 0.5, 0.975]\n";

static double central_of(const struct spec *s, int in)
{
    return in >= 0 && in < s->n_inputs ? s->inputs[in].central : (double)NAN;
}

static void test_load(const struct catalog *cat, struct tmpdir *t)
{
    const char *path = write_tmp(t, "scenario_", SCENARIO);
    CHECK(path != NULL);
    if (!path)
        return;
    struct load_options o = { NULL, 0, cat };
    struct dbuf b;
    struct spec s;

    /* A valid scenario loads; the catalog fills what it leaves out. */
    dbuf_open(&b);
    CHECK(load_scenario(&b.d, path, &o, &s));
    CHECK(b.d.n_errors == 0 && b.d.n_warnings == 0);
    if (b.d.n_errors || b.d.n_warnings)
        fprintf(stderr, "%s", dbuf_text(&b));
    CHECK(s.name && strcmp(s.name, "unit test scenario") == 0);
    CHECK(s.file && strcmp(s.file, path) == 0);
    /* 2024-03-10T06:00Z: day 19792 (python date arithmetic) * 86400 + 6 h = 1710050400. */
    CHECK(s.start_unix_s == 1710050400.0);
    CHECK(s.count == 96);
    /* configs/accelerators.yaml H800-SXM: tdp_w 700, idle_w 100, gpus_per_node 8. */
    CHECK(s.gpus_per_node == 8 && s.n_nodes == 12); /* 96 / 8 */
    CHECK(central_of(&s, s.tdp_w_in) == 700 && s.catalog_tdp_w == 700);
    CHECK(fabs(central_of(&s, s.idle_fraction_in) - 100.0 / 700) < 1e-15);
    CHECK(central_of(&s, s.busy_fraction_in) == 1.0 && central_of(&s, s.overhead_factor_in) == 1.0);
    CHECK(s.accelerator && strcmp(s.accelerator, "H800-SXM") == 0);
    CHECK(s.n_stages == 1);
    if (s.n_stages == 1) {
        CHECK(s.stages[0].form == WORK_GPU_HOURS);
        CHECK(central_of(&s, s.stages[0].gpu_hours_in) == 12345);
        CHECK(strcmp(s.inputs[s.stages[0].gpu_hours_in].path, "workload.gpu_hours") == 0);
    }
    CHECK(central_of(&s, s.pue_in) == 1.17 && s.pue_given && s.pue_series.n == 0);
    CHECK(central_of(&s, s.intensity_in) == 0.4375);
    CHECK(s.samples == 7 && s.seed == 1 && s.step_min == 5 && s.max_days == 3650);
    CHECK(s.n_quantiles == 3 && s.quantiles && s.quantiles[0] == 0.025 && s.quantiles[2] == 0.975);
    CHECK(isinf(s.checkpoint_interval_min)); /* no failures: auto means none */
    CHECK(s.car_kg_per_year == cat->car_kg_per_year && s.car_kg_per_year > 0);
    CHECK(spec_n_uncertain(&s) == 0);
    spec_release(&s);
    dbuf_close(&b);

    /* --set overrides change the spec (the last one wins). */
    dbuf_open(&b);
    const char *sets[] = { "cluster.count=2048", "facility.pue={dist: uniform, min: 1.1, max: 1.3}", "sim.seed=42",
                           "grid.carbon_free_fraction=0.25", "sim.samples=9", "sim.samples=11" };
    o.sets = sets;
    o.n_sets = 6;
    CHECK(load_scenario(&b.d, path, &o, &s));
    CHECK(b.d.n_errors == 0);
    CHECK(s.count == 2048 && s.n_nodes == 256); /* 2048 / 8 */
    CHECK(s.pue_in >= 0 && s.inputs[s.pue_in].dist.kind == DIST_UNIFORM);
    CHECK(fabs(central_of(&s, s.pue_in) - 1.2) < 1e-15); /* (1.1 + 1.3) / 2 */
    CHECK(s.seed == 42 && s.samples == 11);
    CHECK(central_of(&s, s.carbon_free_fraction_in) == 0.25);
    CHECK(spec_n_uncertain(&s) == 1);
    spec_release(&s);
    dbuf_close(&b);

    /* A bad --set value is reported at its place on the command line. */
    dbuf_open(&b);
    const char *bad_sets[] = { "cluster.count=0" };
    o.sets = bad_sets;
    o.n_sets = 1;
    CHECK(!load_scenario(&b.d, path, &o, &s));
    CHECK(said(&b, "<command line>:1:15: error: cluster.count: 0 is outside the valid range [1, 1e+07]"));
    CHECK(s.name == NULL && s.inputs == NULL); /* released on failure */
    dbuf_close(&b);

    /* A typo in a --set key path gets a suggestion. */
    dbuf_open(&b);
    const char *typo[] = { "workload.tokenz=5e12" };
    o.sets = typo;
    CHECK(!load_scenario(&b.d, path, &o, &s));
    CHECK(said(&b, "workload: unknown key 'tokenz' (did you mean 'tokens'?)"));
    dbuf_close(&b);

    /* A tdp_w far from the catalog's 700 W: a warning, not an error (|350 - 700| / 700 = 50%). */
    dbuf_open(&b);
    const char *tdp[] = { "cluster.tdp_w=350" };
    o.sets = tdp;
    CHECK(load_scenario(&b.d, path, &o, &s));
    CHECK(b.d.n_errors == 0 && b.d.n_warnings == 1);
    CHECK(said(&b, "warning: cluster.tdp_w: 350 W departs from the catalog's 700 W for H800-SXM by 50%"));
    CHECK(central_of(&s, s.tdp_w_in) == 350 && s.catalog_tdp_w == 700);
    spec_release(&s);
    dbuf_close(&b);
    o.sets = NULL;
    o.n_sets = 0;

    /* Every problem of a file is listed, each at its line and column. */
    const char *bad = write_tmp(t, "bad_",
                                "name: bad\n"             /* 1 */
                                "workload:\n"             /* 2 */
                                "  gpu_hours: 100\n"      /* 3 */
                                "  tokenz: 5\n"           /* 4: tokenz at col 3 */
                                "cluster:\n"              /* 5 */
                                "  accelerator: H800-SXM\n" /* 6: the cluster mapping starts at 6:3 */
                                "grid:\n"
                                "  intensity_kg_per_kwh: 0.5\n");
    dbuf_open(&b);
    CHECK(bad && !load_scenario(&b.d, bad, &o, &s));
    CHECK(b.d.n_errors == 2);
    char want[256];
    snprintf(want, sizeof want, "%s:4:3: error: workload: unknown key 'tokenz' (did you mean 'tokens'?)", bad);
    CHECK(said(&b, want));
    snprintf(want, sizeof want, "%s:6:3: error: cluster: missing required key 'count'", bad);
    CHECK(said(&b, want));
    CHECK(b.d.n_io_errors == 0);
    dbuf_close(&b);

    /* A missing scenario file is an I/O error. */
    dbuf_open(&b);
    char missing[128];
    snprintf(missing, sizeof missing, "%s/no_such_scenario.yaml", t->dir);
    CHECK(!load_scenario(&b.d, missing, &o, &s));
    CHECK(b.d.n_errors == 1 && b.d.n_io_errors == 1);
    CHECK(said(&b, "cannot open"));
    dbuf_close(&b);
}

static void test_load_series(const struct catalog *cat, struct tmpdir *t)
{
    /* Hourly PUE with a header row and CRLF line ends; 3 rows. */
    const char *csv = write_tmp(t, "pue_", "timestamp,pue\r\n"
                                           "2024-03-10T00:00:00Z,1.25\r\n"
                                           "2024-03-10T01:00:00Z,1.5\r\n"
                                           "2024-03-10T02:00:00Z,1.375\r\n");
    CHECK(csv != NULL);
    if (!csv)
        return;
    /* The scenario names the CSV by its bare file name: resolved in the scenario's folder,
     * not the working directory (ctest runs in the build tree). */
    char text[1024];
    snprintf(text, sizeof text,
             "name: series\n"
             "workload: {gpu_hours: 1000}\n"
             "cluster: {accelerator: H800-SXM, count: 8}\n"
             "facility:\n"
             "  pue_series: %s\n"
             "grid: {intensity_kg_per_kwh: 0.5}\n",
             basename_of(csv));
    const char *path = write_tmp(t, "series_", text);
    struct load_options o = { NULL, 0, cat };
    struct dbuf b;
    struct spec s;
    dbuf_open(&b);
    CHECK(path && load_scenario(&b.d, path, &o, &s));
    CHECK(b.d.n_errors == 0);
    if (b.d.n_errors)
        fprintf(stderr, "%s", dbuf_text(&b));
    else {
        CHECK(s.pue_series.n == 3);
        if (s.pue_series.n == 3) {
            /* 2024-03-10T00:00Z = 1710050400 - 6 h = 1710028800. */
            CHECK(s.pue_series.t_unix_s[0] == 1710028800.0 && s.pue_series.t_unix_s[2] == 1710028800.0 + 7200);
            CHECK(s.pue_series.value[0] == 1.25 && s.pue_series.value[1] == 1.5 && s.pue_series.value[2] == 1.375);
        }
        CHECK(s.pue_series.path && strcmp(s.pue_series.path, csv) == 0);
        CHECK(!s.pue_given);        /* a bare series: not scaled */
        CHECK(b.d.n_warnings == 0); /* no "pue not given" warning with a series */
        spec_release(&s);
    }
    dbuf_close(&b);

    /* A series file that does not exist: an I/O error, reported at the pue_series value
     * (line 5, column 15), naming the resolved path. */
    snprintf(text, sizeof text,
             "name: series\n"
             "workload: {gpu_hours: 1000}\n"
             "cluster: {accelerator: H800-SXM, count: 8}\n"
             "facility:\n"
             "  pue_series: missing_pue.csv\n"
             "grid: {intensity_kg_per_kwh: 0.5}\n");
    path = write_tmp(t, "noseries_", text);
    dbuf_open(&b);
    CHECK(path && !load_scenario(&b.d, path, &o, &s));
    CHECK(b.d.n_errors == 1 && b.d.n_io_errors == 1);
    char want[256];
    snprintf(want, sizeof want, "%s:5:15: error: facility.pue_series: cannot open '%s/missing_pue.csv'", path ? path : "",
             t->dir);
    CHECK(said(&b, want));
    dbuf_close(&b);
}

int main(void)
{
    test_ytree_good();
    test_ytree_errors();
    test_ytree_encodings();
    test_ytree_caps();
    test_ytree_edit();
    test_parse_number();
    test_suggest();
    test_check_map();
    test_param();
    test_override();

    struct dbuf b;
    dbuf_open(&b);
    struct catalog cat;
    const bool cat_ok = catalog_load(&cat, &b.d, NULL);
    CHECK(cat_ok && b.d.n_errors == 0);
    struct tmpdir t = { .n = 0 };
    snprintf(t.dir, sizeof t.dir, "/tmp/trainsim_test_schema_XXXXXX");
    if (cat_ok && mkdtemp(t.dir)) {
        test_load(&cat, &t);
        test_load_series(&cat, &t);
        for (int i = 0; i < t.n; i++)
            unlink(t.files[i]);
        rmdir(t.dir);
    } else {
        CHECK(!"could not set up the catalog or a temp folder");
    }
    catalog_release(&cat);
    dbuf_close(&b);
    return CHECK_EXIT();
}
