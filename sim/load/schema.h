/*
 * schema.h - keys as data: one table per YAML mapping, one generic walker, one generic reader.
 *
 * A struct key_rule names a key, its type, whether it is required, for numbers its valid
 * range and unit, its default, and where the loader stores it (offsetof into the struct the
 * section fills). schema_check_map() reports unknown keys (with a "did you mean"), missing
 * required keys and values of the wrong shape; schema_read() then reads every key of the
 * table that has a destination, taking range and default from the table, so each is written
 * once; the readers below convert one value each. num|dist values become inputs of the spec
 * being built (schema_param). The same tables drive the scenario reference (trainsim help
 * scenario), check's resolved print (at and show: where the value is and how it is shown)
 * and the JSON Schema (trainsim schema).
 */
#ifndef TS_LOAD_SCHEMA_H
#define TS_LOAD_SCHEMA_H

#include <stdbool.h>
#include <stddef.h>

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
    KEY_KEEP = 1u << 3,     /* absent: the destination keeps what the caller put there (a model card's) */
    KEY_TO_INT = 1u << 4,   /* KEY_INT whose destination is an int (else a long) */
    KEY_PER_RESTART = 1u << 5,     /* num|dist drawn afresh for each restart */
    KEY_PER_MAINTENANCE = 1u << 6, /* num|dist drawn afresh for each maintenance */
};

/* How `trainsim check` shows a key in the resolved scenario (load/print.c). A key is shown
 * when it has a place (dest, else at) or a hint that needs none; SHOW_TYPE formats it by its
 * type: num|dist as its distribution and central value (not when unused: index -1), numbers
 * with %g, integers with %ld, strings as they are (not when NULL), times in ISO 8601. */
enum key_show {
    SHOW_TYPE,        /* by type, as above */
    SHOW_QUOTED,      /* a string, double-quoted (not when NULL) */
    SHOW_KNOWN,       /* a catalog figure: only when known (> 0), numbers with %.10g */
    SHOW_NODES,       /* an int accelerators per node, with the number of nodes */
    SHOW_WORK_FORM,   /* a stage's name, quoted, then its work form */
    SHOW_PEAK,        /* a stage's precision, with the peak TFLOP/s it uses */
    SHOW_BATCH,       /* a stage's global_batch_seqs (when > 0), with the tokens per step */
    SHOW_LAYOUT,      /* a layout-form stage's layout, efficiencies and step time and memory at central values */
    SHOW_CURVE,       /* a struct curve as [[x, y], ...] (not when flat) */
    SHOW_OVERRIDE,    /* a stage's num|dist overriding the power key of the same name: only when it does */
    SHOW_SERIES,      /* a struct series: its path and rows (not when absent) */
    SHOW_CHECKPOINT,  /* the resolved checkpoint interval (auto or inf noted) */
    SHOW_QUANTILES,   /* the spec's quantiles, as a list */
    SHOW_SECTION,     /* a mapping: "key:" and the keys of its table, indented */
    SHOW_SECTION_IF,  /* the same, only when the bool at 'at' is true */
    SHOW_WORKLOAD,    /* the workload: model, architecture and each stage's table */
    SHOW_REPORTED,    /* the published figures */
};

/* The destination of a key: KEY_AT(struct spec, pue_in). 0 (the default of a designated
 * initializer) means custom code reads the key. */
#define KEY_AT(type, field) (offsetof(type, field) + 1)

struct key_rule {
    const char *key;
    enum key_type type;
    unsigned flags;
    double lo, hi;          /* valid range of numbers and of every value a distribution can take;
                               of a list (KEY_SEQ), its length */
    const char *doc;        /* one line of help */
    const char *unit;       /* of a number ("W", "min", "kg/kWh"); NULL when it has none */
    double dflt;            /* number, integer, num|dist: the value when absent */
    const char *dflt_text;  /* string, time, auto: the value when absent; NULL: none */
    const char *dflt_note;  /* where the default comes from when it is not dflt ("the catalog's"): then
                               dflt is only the fallback when that source has none */
    const char *choices;    /* the words a string takes, comma-separated ("lifecycle,direct"); NULL: any */
    const char *catalog;    /* a string naming an entry of this catalog ("accelerators", "grids", ...) */
    size_t dest;            /* KEY_AT(...): where schema_read() stores the value; 0: custom code reads it */
    const struct key_rule *items; /* KEY_SEQ of numbers: the rule of every item (n_items 1), or of each
                                     place of a fixed-length item (n_items > 1: a curve's [x, y]) */
    int n_items;
    size_t at;              /* KEY_AT(...) where custom code stores a key without dest, for check's print */
    enum key_show show;     /* how check's print shows the key; SHOW_TYPE (0): by its type */
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

/* A default known only while loading (a catalog, preset or model card value) for one key of
 * a table; NAN keeps the table's. */
struct key_default {
    const char *key;
    double value;
};

/* Reads every key of rules[0..n) that has a destination from the mapping map (NULL: every key
 * absent; a mapping already checked with schema_check_map) into the struct at dest, in table
 * order: numbers as double, integers as long (int with KEY_TO_INT), strings as owned copies,
 * times as seconds since 1970, num|dist as the index of a new input. An absent key gets its
 * default from dyn[0..n_dyn) when listed there and not NAN, else the table's (KEY_KEEP: none).
 * Bad values are reported and leave the default. 'path' is the mapping's key path. */
void schema_read(struct schema *c, const struct ynode *map, const char *path, const struct key_rule *rules, int n,
                 void *dest, const struct key_default *dyn, int n_dyn);

/* The same for one rule, with default dflt (NAN: the table's). */
void schema_read_key(struct schema *c, const struct ynode *map, const char *path, const struct key_rule *rule,
                     void *dest, double dflt);

/* The edit (Levenshtein) distance between a and b. */
int schema_edit_distance(const char *a, const char *b);

/* The closest of candidates[0..n) to word by edit distance, or NULL when none is close. */
const char *schema_suggest(const char *word, const char *const *candidates, int n);

/* Formats a range as "[1, inf)" or "(0, 1]". */
void schema_format_range(char *buf, int size, const struct key_rule *rule);

/* The keys distribution k takes besides 'dist' (n of them), with their own ranges. */
const struct key_rule *schema_dist_keys(enum dist_kind k, int *n);

/* Names of the distributions, indexed by enum dist_kind -- grep DIST_KIND_ORDER */
const char *schema_dist_name(enum dist_kind k);

/* A copy of an input's distribution under a new path and draw kind (for defaults that copy
 * another parameter, e.g. planned_downtime_min = restart_min). */
int schema_copy_input(struct schema *c, int from, const char *path, enum input_draw draw);

/* Adds an input drawn once per sample from a copy of distribution d (e.g. a catalog default)
 * with central value 'central'; returns its index. */
int schema_dist_input(struct schema *c, const char *path, const struct dist *d, double central);

#endif
