/*
 * schema.h - keys as data: one table per YAML mapping, one generic walker.
 *
 * A struct key_rule names a key, its type, whether it is required and, for numbers, its
 * valid range. schema_check_map() reports unknown keys (with a "did you mean"), missing
 * required keys and values of the wrong shape; the readers below convert one value each,
 * taking the range from the table, so each bound is written once. num|dist values become
 * inputs of the spec being built (schema_param).
 */
#ifndef TS_LOAD_SCHEMA_H
#define TS_LOAD_SCHEMA_H

#include <stdbool.h>

#include "core/spec.h"
#include "load/ytree.h"
#include "util/diag.h"

enum key_type {
    KEY_STRING,   /* any scalar */
    KEY_INT,      /* plain number with an integral value */
    KEY_NUMBER,   /* plain number */
    KEY_PARAM,    /* num|dist (DESIGN 2.9): becomes a spec input */
    KEY_TIME,     /* ISO 8601 date or date-time */
    KEY_AUTO,     /* plain number or the word auto */
    KEY_MAP,      /* a mapping, read by its own table */
    KEY_SEQ,      /* a list */
    KEY_ANY       /* anything (read by custom code) */
};

enum {
    KEY_REQUIRED = 1u << 0,
    KEY_LO_OPEN = 1u << 1,  /* range excludes lo */
    KEY_HI_OPEN = 1u << 2,  /* range excludes hi */
};

struct key_rule {
    const char *key;
    enum key_type type;
    unsigned flags;
    double lo, hi;          /* valid range of numbers and of every value a distribution can take */
    const char *doc;        /* one line for --list-keys style documentation */
};

/* A rule the walker only checks (no destination, no default): catalog files, distributions. */
#define KEY_RULE(k, t, f, l, h, d) { .key = (k), .type = (t), .flags = (f), .lo = (l), .hi = (h), .doc = (d) }

/* A mapping's key table with its key path ("workload.stages[]" for every stage) and one line
 * of help: what lookups by key path and the scenario reference (trainsim help scenario) read. */
struct key_table {
    const char *section;
    const struct key_rule *rules;
    int n;
    const char *doc;
};

/* The loading context: where messages go and the spec whose inputs are being collected. */
struct schema {
    struct diag *diag;     /* borrowed */
    struct spec *spec;     /* borrowed: inputs are appended to it */
};

/* The rule for key in rules[0..n), or NULL. */
const struct key_rule *schema_rule(const struct key_rule *rules, int n, const char *key);

/* Checks that node is a mapping whose keys are all in rules and that required keys are
 * present; reports every problem. 'path' names the mapping in messages ("" for the root). */
bool schema_check_map(struct schema *c, const struct ynode *node, const char *path,
                      const struct key_rule *rules, int n);

/* Joins a path and a key: "facility" + "pue" -> "facility.pue". */
void schema_join(char *buf, int size, const char *path, const char *key);

/* Readers. Each reports a located error and returns false on bad input. 'path' is the full
 * key path of the value, used in messages; rule gives the range. */
bool schema_number(struct schema *c, const struct ynode *n, const char *path, const struct key_rule *rule, double *out);
bool schema_int(struct schema *c, const struct ynode *n, const char *path, const struct key_rule *rule, long *out);
bool schema_string(struct schema *c, const struct ynode *n, const char *path, const char **out);
bool schema_time(struct schema *c, const struct ynode *n, const char *path, double *unix_s);

/* Parses a plain scalar as a finite number (exponents and '_' separators allowed). Returns
 * false with *why set when it is not one. */
bool schema_parse_number(const char *text, double *out, const char **why);

/* Adds an input for the num|dist value n (or, when n is NULL, a fixed input at default
 * value dflt) at key path 'path' with the range of rule. Returns the input index; on error
 * reports it and still returns a valid index (holding dflt) so loading can go on. */
int schema_param(struct schema *c, const struct ynode *n, const char *path, const struct key_rule *rule, double dflt,
                 enum input_draw draw);

/* Adds a fixed input (no node) and returns its index. */
int schema_fixed_input(struct schema *c, const char *path, double value);

/* Reads key of map (a mapping already checked against rules) as a parameter. */
int schema_param_key(struct schema *c, const struct ynode *map, const char *path, const struct key_rule *rules, int n,
                     const char *key, double dflt);

/* Reads key of map as a number / integer into *out if present; returns true if present and valid. */
bool schema_number_key(struct schema *c, const struct ynode *map, const char *path, const struct key_rule *rules, int n,
                       const char *key, double *out);
bool schema_int_key(struct schema *c, const struct ynode *map, const char *path, const struct key_rule *rules, int n,
                    const char *key, long *out);
/* Returns the string value of key, or NULL when absent or not a scalar (reported). */
const char *schema_string_key(struct schema *c, const struct ynode *map, const char *path, const char *key);

/* The edit (Levenshtein) distance between a and b. */
int schema_edit_distance(const char *a, const char *b);

/* The closest of candidates[0..n) to word by edit distance, or NULL when none is close. */
const char *schema_suggest(const char *word, const char *const *candidates, int n);

/* Formats a range as "[1, inf)" or "(0, 1]". */
void schema_format_range(char *buf, int size, const struct key_rule *rule);

/* Names of the distributions, indexed by enum dist_kind -- grep DIST_KIND_ORDER */
const char *schema_dist_name(enum dist_kind k);

/* A copy of an input's distribution under a new path and draw kind (for defaults that copy
 * another parameter, e.g. planned_downtime_min = restart_min). */
int schema_copy_input(struct schema *c, int from, const char *path, enum input_draw draw);

/* Adds an input drawn once per sample from a copy of distribution d (e.g. a catalog default)
 * with central value 'central'; returns its index. */
int schema_dist_input(struct schema *c, const char *path, const struct dist *d, double central);

#endif
