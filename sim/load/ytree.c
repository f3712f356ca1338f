/*
 * ytree.c - libyaml document -> owned tree with positions. The only file that includes
 * <yaml.h>: the rest of load/ works on struct ynode.
 */
#include "load/ytree.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <yaml.h>

#include "util/sha256.h"
#include "util/xalloc.h"

struct builder {
    struct diag *diag;
    const char *file;   /* registered name */
    yaml_document_t *doc;
    const char *text;   /* the parsed text and its length, for marks past its end */
    size_t len;
    int col_offset;
    long n_nodes;
    bool failed;
};

/* The one place that knows libyaml marks are 0-based. */
static struct src_pos pos_of(const struct builder *b, yaml_mark_t m)
{
    if (m.index >= b->len && b->len > 0) {
        /* libyaml reports problems at the end of input on a line after the last one: point
         * just after the last character instead. */
        int line = 1, col = 1;
        for (size_t i = 0; i < b->len; i++) {
            if (b->text[i] == '\n' && i + 1 < b->len) {
                line++;
                col = 1;
            } else if (b->text[i] != '\n' && b->text[i] != '\r') {
                col++;
            }
        }
        return (struct src_pos){ b->file, line, col + (line == 1 ? b->col_offset : 0) };
    }
    int col = (int)m.column + 1;
    if (m.line == 0)
        col += b->col_offset;
    return (struct src_pos){ b->file, (int)m.line + 1, col };
}

static struct ynode *new_node(enum ynode_kind kind, struct src_pos pos)
{
    struct ynode *n = xcalloc(1, sizeof *n);
    n->kind = kind;
    n->pos = pos;
    return n;
}

/* Appends an entry, growing the arrays geometrically (capacity: the next power of two). */
static void append(struct ynode *n, struct ynode *key, struct ynode *val)
{
    if ((n->n & (n->n - 1)) == 0) { /* n is 0 or a power of two: the arrays are full */
        const size_t cap = n->n ? 2 * (size_t)n->n : 1;
        n->vals = xrealloc(n->vals, cap * sizeof *n->vals);
        if (n->kind == YNODE_MAP)
            n->keys = xrealloc(n->keys, cap * sizeof *n->keys);
    }
    if (n->kind == YNODE_MAP)
        n->keys[n->n] = key;
    n->vals[n->n++] = val;
}

static struct ynode *build(struct builder *b, yaml_node_t *yn, int depth, const char *path)
{
    if (b->failed)
        return NULL;
    const struct src_pos pos = pos_of(b, yn->start_mark);
    if (depth > YTREE_MAX_DEPTH) {
        diag_error(b->diag, pos, "%s: nesting deeper than %d levels", *path ? path : "document", YTREE_MAX_DEPTH);
        b->failed = true;
        return NULL;
    }
    if (++b->n_nodes > YTREE_MAX_NODES) {
        diag_error(b->diag, pos, "document has more than %d nodes (after expanding aliases)", YTREE_MAX_NODES);
        b->failed = true;
        return NULL;
    }
    switch (yn->type) {
    case YAML_SCALAR_NODE: {
        struct ynode *n = new_node(YNODE_SCALAR, pos);
        n->text = xstrndup((const char *)yn->data.scalar.value, yn->data.scalar.length);
        n->is_plain = yn->data.scalar.style == YAML_PLAIN_SCALAR_STYLE;
        if (strlen(n->text) != yn->data.scalar.length) {
            diag_error(b->diag, pos, "%s: string contains a NUL character", *path ? path : "document");
            b->failed = true;
        }
        return n;
    }
    case YAML_SEQUENCE_NODE: {
        struct ynode *n = new_node(YNODE_SEQ, pos);
        int i = 0;
        for (yaml_node_item_t *it = yn->data.sequence.items.start; it < yn->data.sequence.items.top; it++, i++) {
            char sub[512];
            snprintf(sub, sizeof sub, "%s[%d]", path, i);
            struct ynode *c = build(b, yaml_document_get_node(b->doc, *it), depth + 1, sub);
            if (!c)
                break;
            append(n, NULL, c);
        }
        return n;
    }
    case YAML_MAPPING_NODE: {
        struct ynode *n = new_node(YNODE_MAP, pos);
        for (yaml_node_pair_t *p = yn->data.mapping.pairs.start; p < yn->data.mapping.pairs.top; p++) {
            yaml_node_t *kn = yaml_document_get_node(b->doc, p->key);
            yaml_node_t *vn = yaml_document_get_node(b->doc, p->value);
            const struct src_pos kpos = pos_of(b, kn->start_mark);
            if (kn->type != YAML_SCALAR_NODE) {
                diag_error(b->diag, kpos, "%s: mapping keys must be plain names", *path ? path : "document");
                continue;
            }
            const char *key = (const char *)kn->data.scalar.value;
            int prev = ytree_find(n, key);
            if (prev >= 0) {
                diag_error(b->diag, kpos, "%s: duplicate key '%s'", *path ? path : "document", key);
                diag_note(b->diag, n->keys[prev]->pos, "first defined here");
                continue;
            }
            char sub[512];
            snprintf(sub, sizeof sub, "%s%s%s", path, *path ? "." : "", key);
            struct ynode *k = build(b, kn, depth + 1, sub);
            struct ynode *v = k ? build(b, vn, depth + 1, sub) : NULL;
            if (!v) {
                ytree_free(k);
                break;
            }
            append(n, k, v);
        }
        return n;
    }
    case YAML_NO_NODE:
        break;
    }
    return new_node(YNODE_SCALAR, pos);
}

/* libyaml needs time quadratic in the depth of nested flow collections ([[[[...), so the
 * depth is checked on the raw text first. The count ignores quotes and comments: no text
 * heuristic can know the YAML context (a quote inside a block scalar opens nothing), and only
 * twice YTREE_MAX_DEPTH unbalanced brackets in a row trip it, which no scenario has (the tree
 * builder reports the exact path at YTREE_MAX_DEPTH). Returns the byte offset where the depth
 * passes the limit, or -1. */
static long flow_too_deep(const char *text, size_t len)
{
    int depth = 0;
    for (size_t i = 0; i < len; i++) {
        const char c = text[i];
        if (c == '[' || c == '{') {
            if (++depth > 2 * YTREE_MAX_DEPTH)
                return (long)i;
        } else if ((c == ']' || c == '}') && depth > 0) {
            depth--;
        }
    }
    return -1;
}

static void report_parser_error(struct builder *b, const yaml_parser_t *p)
{
    const char *problem = p->problem ? p->problem : "invalid YAML";
    if (p->error == YAML_READER_ERROR) {
        /* Reader errors (bad UTF-8, control characters) carry a byte offset, not a mark. */
        int line = 1, col = 1;
        for (size_t i = 0; i < p->problem_offset && i < b->len; i++) {
            if (b->text[i] == '\n') {
                line++;
                col = 1;
            } else if (((unsigned char)b->text[i] & 0xC0) != 0x80) {
                col++;
            }
        }
        diag_error(b->diag, (struct src_pos){ b->file, line, col + (line == 1 ? b->col_offset : 0) },
                   "%s", problem);
        return;
    }
    /* A tab where YAML expects indentation: libyaml says "found character that cannot start any
     * token"; say what it is. */
    const size_t at = p->problem_mark.index;
    if (p->error == YAML_SCANNER_ERROR && at < b->len && b->text[at] == '\t') {
        diag_error(b->diag, pos_of(b, p->problem_mark), "a tab character in the indentation: YAML indents with "
                                                         "spaces only (replace the tab with spaces)");
        return;
    }
    diag_error(b->diag, pos_of(b, p->problem_mark), "%s", problem);
    if (p->context)
        diag_note(b->diag, pos_of(b, p->context_mark), "%s", p->context);
}

struct ynode *ytree_parse(struct diag *d, const char *name, const char *text, size_t len, int col_offset)
{
    struct builder b = { .diag = d, .col_offset = col_offset };
    /* A UTF-8 byte order mark is allowed and skipped. */
    if (len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0) {
        text += 3;
        len -= 3;
    }
    b.file = diag_add_source(d, name, text, len);
    b.text = text;
    b.len = len;
    /* UTF-16 (a byte order mark, or ASCII with every other byte NUL), as Windows editors save it. */
    const unsigned char *u = (const unsigned char *)text;
    if ((len >= 2 && ((u[0] == 0xFF && u[1] == 0xFE) || (u[0] == 0xFE && u[1] == 0xFF))) ||
        (len >= 4 && u[0] && !u[1] && u[2] && !u[3]) || (len >= 4 && !u[0] && u[1] && !u[2] && u[3])) {
        diag_error(d, (struct src_pos){ b.file, 0, 0 }, "the file is UTF-16 text; save it as UTF-8 (trainsim reads "
                                                         "UTF-8 only)");
        return NULL;
    }
    if (memchr(text, '\0', len)) {
        diag_error(d, (struct src_pos){ b.file, 0, 0 }, "not a text file (contains NUL bytes)");
        return NULL;
    }
    const long deep = flow_too_deep(text, len);
    if (deep >= 0) {
        int line = 1, col = 1;
        for (long i = 0; i < deep; i++) {
            if (text[i] == '\n') {
                line++;
                col = 1;
            } else {
                col++;
            }
        }
        diag_error(d, (struct src_pos){ b.file, line, col + (line == 1 ? col_offset : 0) },
                   "document: flow collections nested deeper than %d levels", 2 * YTREE_MAX_DEPTH);
        return NULL;
    }
    yaml_parser_t parser;
    yaml_document_t doc;
    if (!yaml_parser_initialize(&parser)) {
        fputs("trainsim: out of memory (yaml_parser_initialize)\n", stderr);
        exit(1);
    }
    yaml_parser_set_input_string(&parser, (const unsigned char *)text, len);
    struct ynode *root = NULL;
    if (!yaml_parser_load(&parser, &doc)) {
        report_parser_error(&b, &parser);
        yaml_parser_delete(&parser);
        return NULL;
    }
    yaml_node_t *top = yaml_document_get_root_node(&doc);
    if (!top) {
        diag_error(d, (struct src_pos){ b.file, 1, 1 }, "the file is empty (expected a YAML mapping)");
    } else {
        b.doc = &doc;
        root = build(&b, top, 0, "");
        if (b.failed) {
            ytree_free(root);
            root = NULL;
        }
    }
    yaml_document_delete(&doc);
    if (root) {
        /* A second document is not part of a scenario: say so rather than ignore it. */
        yaml_document_t next;
        if (!yaml_parser_load(&parser, &next)) {
            report_parser_error(&b, &parser);
            ytree_free(root);
            root = NULL;
        } else {
            yaml_node_t *r2 = yaml_document_get_root_node(&next);
            if (r2) {
                diag_error(d, pos_of(&b, r2->start_mark), "expected a single YAML document, found a second one");
                ytree_free(root);
                root = NULL;
            }
            yaml_document_delete(&next);
        }
    }
    yaml_parser_delete(&parser);
    return root;
}

bool ytree_read_file(const char *path, size_t max_bytes, char **text, size_t *len, char *why, size_t why_size,
                     bool *is_io)
{
    *text = NULL;
    *len = 0;
    *is_io = true;
    const bool is_stdin = strcmp(path, "-") == 0;
    struct stat st;
    if (!is_stdin && stat(path, &st) != 0) {
        snprintf(why, why_size, "cannot open '%s': %s", path, strerror(errno));
        return false;
    }
    if (!is_stdin && S_ISDIR(st.st_mode)) {
        snprintf(why, why_size, "'%s' is a directory, not a file", path);
        *is_io = false;
        return false;
    }
    FILE *f = is_stdin ? stdin : fopen(path, "rb");
    if (!f) {
        snprintf(why, why_size, "cannot open '%s': %s", path, strerror(errno));
        return false;
    }
    size_t cap = 4096, n = 0;
    char *buf = xmalloc(cap + 1);
    for (;;) {
        if (n == cap) {
            if (cap >= max_bytes + 1)
                break;
            cap *= 2;
            buf = xrealloc(buf, cap + 1);
        }
        size_t got = fread(buf + n, 1, cap - n, f);
        n += got;
        if (got == 0)
            break;
    }
    const bool bad = ferror(f) != 0;
    if (!is_stdin)
        fclose(f);
    if (bad) {
        snprintf(why, why_size, "cannot read '%s'", path);
        free(buf);
        return false;
    }
    if (n > max_bytes) {
        snprintf(why, why_size, "'%s' is larger than the limit of %zu bytes", path, max_bytes);
        free(buf);
        *is_io = false;
        return false;
    }
    buf[n] = '\0';
    *text = buf;
    *len = n;
    return true;
}

struct ynode *ytree_load_file_hashed(struct diag *d, const char *path, size_t max_bytes, struct src_pos from,
                                     char *sha256)
{
    char *text;
    size_t len;
    char why[1024];
    bool is_io;
    if (!ytree_read_file(path, max_bytes, &text, &len, why, sizeof why, &is_io)) {
        diag_error(d, from, "%s", why);
        d->n_io_errors += is_io;
        return NULL;
    }
    if (sha256)
        sha256_hex(text, len, sha256);
    struct ynode *root = ytree_parse(d, strcmp(path, "-") == 0 ? "<stdin>" : path, text, len, 0);
    free(text);
    return root;
}

struct ynode *ytree_load_file(struct diag *d, const char *path, size_t max_bytes, struct src_pos from)
{
    return ytree_load_file_hashed(d, path, max_bytes, from, NULL);
}

void ytree_free(struct ynode *n)
{
    if (!n)
        return;
    for (int i = 0; i < n->n; i++) {
        if (n->keys)
            ytree_free(n->keys[i]);
        ytree_free(n->vals[i]);
    }
    free(n->keys);
    free(n->vals);
    free(n->text);
    free(n);
}

struct ynode *ytree_copy(const struct ynode *n)
{
    struct ynode *c = new_node(n->kind, n->pos);
    c->text = xstrdup(n->text);
    c->is_plain = n->is_plain;
    for (int i = 0; i < n->n; i++)
        append(c, n->keys ? ytree_copy(n->keys[i]) : NULL, ytree_copy(n->vals[i]));
    return c;
}

int ytree_find(const struct ynode *n, const char *key)
{
    if (!n || n->kind != YNODE_MAP)
        return -1;
    for (int i = 0; i < n->n; i++)
        if (strcmp(n->keys[i]->text, key) == 0)
            return i;
    return -1;
}

struct ynode *ytree_get(const struct ynode *n, const char *key)
{
    int i = ytree_find(n, key);
    return i < 0 ? NULL : n->vals[i];
}

void ytree_put(struct ynode *map, const char *key, struct ynode *value)
{
    int i = ytree_find(map, key);
    if (i >= 0) {
        ytree_free(map->vals[i]);
        map->vals[i] = value;
        return;
    }
    struct ynode *k = new_node(YNODE_SCALAR, value->pos);
    k->text = xstrdup(key);
    k->is_plain = true;
    append(map, k, value);
}

void ytree_key_at(struct ynode *map, const char *key, struct src_pos pos)
{
    const int i = ytree_find(map, key);
    if (i >= 0)
        map->keys[i]->pos = pos;
}

struct ynode *ytree_new_map(struct src_pos pos)
{
    return new_node(YNODE_MAP, pos);
}

const char *ytree_kind_name(const struct ynode *n)
{
    switch (n->kind) {
    case YNODE_SCALAR:
        return "a single value";
    case YNODE_MAP:
        return "a mapping";
    case YNODE_SEQ:
        return "a list";
    }
    return "?";
}
