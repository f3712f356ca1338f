/*
 * ytree.h - a YAML document as a small owned tree with source positions.
 *
 * libyaml's document API parses; this file copies the document into struct ynode trees
 * that outlive the parser, so that --set overrides and scenario inheritance can splice
 * and merge trees coming from different texts. Every node remembers where it came from
 * (file, line, column) for diagnostics. The builder rejects what libyaml lets through:
 * duplicate keys and non-scalar keys. It caps nesting depth and the number of nodes after
 * alias expansion, so that a "billion laughs" file fails fast.
 */
#ifndef TS_LOAD_YTREE_H
#define TS_LOAD_YTREE_H

#include <stdbool.h>
#include <stddef.h>

#include "util/diag.h"

enum { YTREE_MAX_DEPTH = 64, YTREE_MAX_NODES = 200000 };

enum ynode_kind { YNODE_SCALAR, YNODE_MAP, YNODE_SEQ };

struct ynode {
    enum ynode_kind kind;
    struct src_pos pos;     /* file points at the diag's registered name */
    char *text;             /* owned; scalars only */
    bool is_plain;          /* plain (unquoted) scalar */
    int n;                  /* entries of a map or items of a seq */
    struct ynode **keys;    /* owned; maps only (scalar nodes) */
    struct ynode **vals;    /* owned; map values or seq items */
};

/* Parses text (borrowed) as one YAML document. 'name' is the file name used in messages;
 * the text is registered with d for excerpts. col_offset is added to the column of every
 * position on line 1 (for values embedded in a longer argument). Returns the root, or NULL
 * after reporting every problem to d. An empty document is reported as an error. */
struct ynode *ytree_parse(struct diag *d, const char *name, const char *text, size_t len, int col_offset);

/* Reads and parses a file. Reports a missing or unreadable file (counted as an I/O error),
 * a file over max_bytes, a directory, or text with NUL bytes, as errors at 'from' (the
 * referring position). A UTF-8 byte order mark is skipped. */
struct ynode *ytree_load_file(struct diag *d, const char *path, size_t max_bytes, struct src_pos from);

/* The same, also writing the SHA-256 of the file's bytes (65 chars with the NUL) into sha256
 * when it is not NULL. path "-" reads standard input (named "<stdin>" in messages). */
struct ynode *ytree_load_file_hashed(struct diag *d, const char *path, size_t max_bytes, struct src_pos from,
                                     char *sha256);

void ytree_free(struct ynode *n); /* NULL is allowed */

/* A deep copy of n. */
struct ynode *ytree_copy(const struct ynode *n);

/* The value of key in map n, or NULL (also when n is not a map). */
struct ynode *ytree_get(const struct ynode *n, const char *key);

/* Index of key in map n, or -1. */
int ytree_find(const struct ynode *n, const char *key);

/* Sets or replaces key in map n with value (ownership of value passes to the map; the key
 * node is made with value's position). */
void ytree_put(struct ynode *map, const char *key, struct ynode *value);

/* Moves the position of key's key node in map to pos (for keys made from a --set path). */
void ytree_key_at(struct ynode *map, const char *key, struct src_pos pos);

/* A new empty map at pos. */
struct ynode *ytree_new_map(struct src_pos pos);

/* Human name of a node kind: "a mapping", "a list", "a string". */
const char *ytree_kind_name(const struct ynode *n);

/* Reads a whole file into a NUL-terminated owned buffer *text. Returns false with a message
 * in why when it cannot; *is_io tells whether that was an I/O failure (missing, unreadable)
 * rather than bad input (a directory, too large). */
bool ytree_read_file(const char *path, size_t max_bytes, char **text, size_t *len, char *why, size_t why_size,
                     bool *is_io);

#endif
