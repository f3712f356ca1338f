/*
 * schema.c - the generic key-table walker and reader, scalar readers and num|dist parsing.
 */
#include "load/schema.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/hash.h"
#include "util/timeutil.h"
#include "util/xalloc.h"

/* A truncated normal must keep at least this much probability inside [min, max]. */
static const double NORMAL_MIN_MASS = 1e-9;

/* keep in sync with enum dist_kind -- grep DIST_KIND_ORDER */
static const char *const dist_names[DIST_KIND_COUNT] = {
    "fixed", "normal", "uniform", "triangular", "pert", "lognormal", "choice",
};

const char *schema_dist_name(enum dist_kind k)
{
    return dist_names[k];
}

/* ---- Paths, ranges, suggestions */

void schema_join(char *buf, int size, const char *path, const char *key)
{
    snprintf(buf, (size_t)size, "%s%s%s", path, *path ? "." : "", key);
}

static void format_bound(char *buf, size_t size, double v)
{
    if (isinf(v))
        snprintf(buf, size, "%sinf", v < 0 ? "-" : "");
    else
        snprintf(buf, size, "%g", v);
}

void schema_format_range(char *buf, int size, const struct key_rule *rule)
{
    char lo[32], hi[32];
    format_bound(lo, sizeof lo, rule->lo);
    format_bound(hi, sizeof hi, rule->hi);
    snprintf(buf, (size_t)size, "%c%s, %s%c", (rule->flags & KEY_LO_OPEN) || isinf(rule->lo) ? '(' : '[', lo, hi,
             (rule->flags & KEY_HI_OPEN) || isinf(rule->hi) ? ')' : ']');
}

static bool in_range(double v, const struct key_rule *rule)
{
    if ((rule->flags & KEY_LO_OPEN) ? v <= rule->lo : v < rule->lo)
        return false;
    if ((rule->flags & KEY_HI_OPEN) ? v >= rule->hi : v > rule->hi)
        return false;
    return true;
}

/* Edit distance with adjacent transpositions (optimal string alignment), case-insensitive,
 * of two short strings; longer ones count as far. 'peu' is one edit from 'pue'. */
static int edit_distance(const char *a, const char *b)
{
    enum { MAX_LEN = 64 };
    const size_t la = strlen(a), lb = strlen(b);
    if (la >= MAX_LEN || lb >= MAX_LEN)
        return 1 << 20;
    int d[MAX_LEN + 1][MAX_LEN + 1];
    for (size_t i = 0; i <= la; i++)
        d[i][0] = (int)i;
    for (size_t j = 0; j <= lb; j++)
        d[0][j] = (int)j;
    for (size_t i = 1; i <= la; i++) {
        for (size_t j = 1; j <= lb; j++) {
            const int ca = tolower((unsigned char)a[i - 1]), cb = tolower((unsigned char)b[j - 1]);
            int v = d[i - 1][j - 1] + (ca != cb);
            if (d[i - 1][j] + 1 < v)
                v = d[i - 1][j] + 1;
            if (d[i][j - 1] + 1 < v)
                v = d[i][j - 1] + 1;
            if (i > 1 && j > 1 && ca == tolower((unsigned char)b[j - 2]) && tolower((unsigned char)a[i - 2]) == cb &&
                d[i - 2][j - 2] + 1 < v)
                v = d[i - 2][j - 2] + 1;
            d[i][j] = v;
        }
    }
    return d[la][lb];
}

int schema_edit_distance(const char *a, const char *b)
{
    return edit_distance(a, b);
}

const char *schema_suggest(const char *word, const char *const *candidates, int n)
{
    const char *best = NULL;
    int best_d = 1 << 20;
    for (int i = 0; i < n; i++) {
        const int d = edit_distance(word, candidates[i]);
        if (d < best_d) {
            best_d = d;
            best = candidates[i];
        }
    }
    const int len = (int)strlen(word);
    const int limit = len <= 3 ? 1 : (len <= 6 ? 2 : len / 3 + 1);
    return best_d <= limit ? best : NULL;
}

const struct key_rule *schema_rule(const struct key_rule *rules, int n, const char *key)
{
    for (int i = 0; i < n; i++)
        if (strcmp(rules[i].key, key) == 0)
            return &rules[i];
    return NULL;
}

/* ---- Mappings */

bool schema_check_map(struct schema *c, const struct ynode *node, const char *path,
                      const struct key_rule *rules, int n)
{
    if (node->kind != YNODE_MAP) {
        diag_error(c->diag, node->pos, "%s: expected a mapping of keys, got %s", *path ? path : "document",
                   ytree_kind_name(node));
        return false;
    }
    const int before = c->diag->n_errors;
    const char *names[64];
    int n_names = 0;
    for (int i = 0; i < n && n_names < 64; i++)
        names[n_names++] = rules[i].key;
    for (int i = 0; i < node->n; i++) {
        const char *key = node->keys[i]->text;
        const struct key_rule *r = schema_rule(rules, n, key);
        if (!r) {
            const char *s = schema_suggest(key, names, n_names);
            if (s)
                diag_error(c->diag, node->keys[i]->pos, "%s: unknown key '%s' (did you mean '%s'?)",
                           *path ? path : "document", key, s);
            else
                diag_error(c->diag, node->keys[i]->pos, "%s: unknown key '%s'", *path ? path : "document", key);
            continue;
        }
        /* Mappings and lists are checked here because the code does not descend into a value
         * of the wrong shape; scalars and parameters are checked by their readers. */
        const struct ynode *v = node->vals[i];
        char sub[512];
        schema_join(sub, sizeof sub, path, key);
        if (r->type == KEY_MAP && v->kind != YNODE_MAP)
            diag_error(c->diag, v->pos, "%s: expected a mapping, got %s", sub, ytree_kind_name(v));
        else if (r->type == KEY_SEQ && v->kind != YNODE_SEQ)
            diag_error(c->diag, v->pos, "%s: expected a list, got %s", sub, ytree_kind_name(v));
    }
    for (int i = 0; i < n; i++) {
        if ((rules[i].flags & KEY_REQUIRED) && ytree_find(node, rules[i].key) < 0)
            diag_error(c->diag, node->pos, "%s: missing required key '%s'", *path ? path : "document", rules[i].key);
    }
    return c->diag->n_errors == before;
}

/* ---- Scalars */

bool schema_parse_number(const char *text, double *out, const char **why)
{
    char buf[128];
    size_t n = 0;
    bool digit = false;
    for (const char *p = text; *p; p++) {
        if (*p == '_')
            continue; /* YAML 1.1 digit separator */
        if (!strchr("0123456789+-.eE", *p) || n + 1 >= sizeof buf) {
            *why = "is not a number";
            return false;
        }
        digit |= isdigit((unsigned char)*p) != 0;
        buf[n++] = *p;
    }
    buf[n] = '\0';
    if (!digit) {
        *why = "is not a number";
        return false;
    }
    char *end;
    errno = 0;
    const double v = strtod(buf, &end);
    if (end == buf || *end != '\0') {
        *why = "is not a number";
        return false;
    }
    if (errno == ERANGE || !isfinite(v)) {
        *why = fabs(v) < 1 ? "is too small to represent (underflows a double)" : "is too large (overflows a double)";
        return false;
    }
    *out = v;
    return true;
}

static bool scalar_number(struct schema *c, const struct ynode *n, const char *path, double *out)
{
    if (n->kind != YNODE_SCALAR) {
        diag_error(c->diag, n->pos, "%s: expected a number, got %s", path, ytree_kind_name(n));
        return false;
    }
    if (!n->is_plain) {
        diag_error(c->diag, n->pos, "%s: expected a number, got the quoted string '%s'", path, n->text);
        return false;
    }
    if (n->text[0] == '\0') {
        diag_error(c->diag, n->pos, "%s: expected a number, got an empty value", path);
        return false;
    }
    const char *why;
    if (!schema_parse_number(n->text, out, &why)) {
        diag_error(c->diag, n->pos, "%s: '%s' %s", path, n->text, why);
        return false;
    }
    return true;
}

static bool check_range(struct schema *c, struct src_pos pos, const char *path, const struct key_rule *rule, double v)
{
    if (in_range(v, rule))
        return true;
    char range[96];
    schema_format_range(range, sizeof range, rule);
    diag_error(c->diag, pos, "%s: %g is outside the valid range %s", path, v, range);
    return false;
}

bool schema_number(struct schema *c, const struct ynode *n, const char *path, const struct key_rule *rule, double *out)
{
    double v;
    if (!scalar_number(c, n, path, &v) || !check_range(c, n->pos, path, rule, v))
        return false;
    *out = v;
    return true;
}

bool schema_int(struct schema *c, const struct ynode *n, const char *path, const struct key_rule *rule, long *out)
{
    double v;
    if (!scalar_number(c, n, path, &v))
        return false;
    if (v != floor(v)) {
        diag_error(c->diag, n->pos, "%s: expected a whole number, got '%s'", path, n->text);
        return false;
    }
    if (!check_range(c, n->pos, path, rule, v))
        return false;
    *out = (long)v;
    return true;
}

bool schema_string(struct schema *c, const struct ynode *n, const char *path, const char **out)
{
    if (n->kind != YNODE_SCALAR) {
        diag_error(c->diag, n->pos, "%s: expected a string, got %s", path, ytree_kind_name(n));
        return false;
    }
    if (n->text[0] == '\0') {
        diag_error(c->diag, n->pos, "%s: expected a string, got an empty value", path);
        return false;
    }
    *out = n->text;
    return true;
}

bool schema_time(struct schema *c, const struct ynode *n, const char *path, double *unix_s)
{
    if (n->kind != YNODE_SCALAR) {
        diag_error(c->diag, n->pos, "%s: expected a date like 2025-01-01 or 2025-01-01T00:00:00Z, got %s", path,
                   ytree_kind_name(n));
        return false;
    }
    const char *text;
    if (!schema_string(c, n, path, &text))
        return false;
    const char *why;
    if (!time_parse_iso8601(text, unix_s, &why)) {
        diag_error(c->diag, n->pos, "%s: '%s': %s", path, text, why);
        return false;
    }
    return true;
}

/* ---- Inputs */

static int add_input(struct schema *c, const char *path, const struct dist *d, double central, enum input_draw draw)
{
    struct spec *s = c->spec;
    s->inputs = xrealloc(s->inputs, (size_t)(s->n_inputs + 1) * sizeof *s->inputs);
    struct input *in = &s->inputs[s->n_inputs];
    memset(in, 0, sizeof *in);
    in->path = xstrdup(path);
    in->dist = *d;
    in->central = central;
    in->draw = draw;
    in->stream = hash_string(draw == INPUT_PER_RESTART       ? "restarts"
                             : draw == INPUT_PER_MAINTENANCE ? "maintenance"
                                                             : path);
    return s->n_inputs++;
}

int schema_fixed_input(struct schema *c, const char *path, double value)
{
    const struct dist d = { .kind = DIST_FIXED, .value = value, .lo = value, .hi = value };
    return add_input(c, path, &d, value, INPUT_PER_SAMPLE);
}

/* A deep copy of distribution from as a new input. */
static int copy_dist_input(struct schema *c, const char *path, const struct dist *from, double central,
                           enum input_draw draw)
{
    struct dist d = *from;
    if (d.kind == DIST_CHOICE) {
        d.values = xmalloc((size_t)d.n_values * sizeof *d.values);
        d.weights = xmalloc((size_t)d.n_values * sizeof *d.weights);
        memcpy(d.values, from->values, (size_t)d.n_values * sizeof *d.values);
        memcpy(d.weights, from->weights, (size_t)d.n_values * sizeof *d.weights);
    }
    return add_input(c, path, &d, central, draw);
}

int schema_dist_input(struct schema *c, const char *path, const struct dist *d, double central)
{
    return copy_dist_input(c, path, d, central, INPUT_PER_SAMPLE);
}

int schema_copy_input(struct schema *c, int from, const char *path, enum input_draw draw)
{
    /* copy the source first: add_input may move the array it lives in */
    const struct dist d = c->spec->inputs[from].dist;
    return copy_dist_input(c, path, &d, c->spec->inputs[from].central, draw);
}

/* Keys each distribution takes (besides 'dist'). */
static const struct key_rule dist_keys[DIST_KIND_COUNT][5] = {
    [DIST_FIXED] = { KEY_RULE("value", KEY_NUMBER, KEY_REQUIRED, -HUGE_VAL, HUGE_VAL, "the value") },
    [DIST_NORMAL] = { KEY_RULE("mean", KEY_NUMBER, KEY_REQUIRED, -HUGE_VAL, HUGE_VAL, "mean"),
                      KEY_RULE("sd", KEY_NUMBER, KEY_REQUIRED | KEY_LO_OPEN, 0, HUGE_VAL, "standard deviation > 0"),
                      KEY_RULE("min", KEY_NUMBER, 0, -HUGE_VAL, HUGE_VAL, "truncate below"),
                      KEY_RULE("max", KEY_NUMBER, 0, -HUGE_VAL, HUGE_VAL, "truncate above") },
    [DIST_UNIFORM] = { KEY_RULE("min", KEY_NUMBER, KEY_REQUIRED, -HUGE_VAL, HUGE_VAL, "lower end"),
                       KEY_RULE("max", KEY_NUMBER, KEY_REQUIRED, -HUGE_VAL, HUGE_VAL, "upper end") },
    [DIST_TRIANGULAR] = { KEY_RULE("min", KEY_NUMBER, KEY_REQUIRED, -HUGE_VAL, HUGE_VAL, "lower end"),
                          KEY_RULE("mode", KEY_NUMBER, KEY_REQUIRED, -HUGE_VAL, HUGE_VAL, "most likely value"),
                          KEY_RULE("max", KEY_NUMBER, KEY_REQUIRED, -HUGE_VAL, HUGE_VAL, "upper end") },
    [DIST_PERT] = { KEY_RULE("min", KEY_NUMBER, KEY_REQUIRED, -HUGE_VAL, HUGE_VAL, "lower end"),
                    KEY_RULE("mode", KEY_NUMBER, KEY_REQUIRED, -HUGE_VAL, HUGE_VAL, "most likely value"),
                    KEY_RULE("max", KEY_NUMBER, KEY_REQUIRED, -HUGE_VAL, HUGE_VAL, "upper end") },
    [DIST_LOGNORMAL] = { KEY_RULE("median", KEY_NUMBER, KEY_REQUIRED | KEY_LO_OPEN, 0, HUGE_VAL, "median > 0"),
                         KEY_RULE("gsd", KEY_NUMBER, KEY_REQUIRED | KEY_LO_OPEN, 1, HUGE_VAL, "geometric sd > 1") },
    [DIST_CHOICE] = { KEY_RULE("values", KEY_SEQ, KEY_REQUIRED, -HUGE_VAL, HUGE_VAL, "possible values"),
                      KEY_RULE("weights", KEY_SEQ, 0, -HUGE_VAL, HUGE_VAL, "their weights (default equal)") },
};

static int n_dist_keys(enum dist_kind k)
{
    int n = 0;
    while (n < 5 && dist_keys[k][n].key)
        n++;
    return n;
}

const struct key_rule *schema_dist_keys(enum dist_kind k, int *n)
{
    *n = n_dist_keys(k);
    return dist_keys[k];
}

/* Reads the numbers of a list node. Returns the count, or -1 after reporting. */
static int read_list(struct schema *c, const struct ynode *n, const char *path, double **out)
{
    *out = NULL;
    if (n->kind != YNODE_SEQ || n->n == 0) {
        diag_error(c->diag, n->pos, "%s: expected a non-empty list of numbers", path);
        return -1;
    }
    double *v = xmalloc((size_t)n->n * sizeof *v);
    bool ok = true;
    for (int i = 0; i < n->n; i++) {
        char sub[512];
        snprintf(sub, sizeof sub, "%s[%d]", path, i);
        ok &= scalar_number(c, n->vals[i], sub, &v[i]);
    }
    if (!ok) {
        free(v);
        return -1;
    }
    *out = v;
    return n->n;
}

/* Checks that the support [lo, hi] of a distribution fits the parameter's range. */
static bool check_support(struct schema *c, struct src_pos pos, const char *path, const struct key_rule *rule,
                          const char *what, double lo, double hi)
{
    if (in_range(lo, rule) && in_range(hi, rule))
        return true;
    char range[96];
    schema_format_range(range, sizeof range, rule);
    diag_error(c->diag, pos, "%s: %s can take values in [%g, %g], outside the valid range %s", path, what, lo, hi,
               range);
    return false;
}

/* Standard normal CDF from libm (load/ does not use GSL). */
static double phi(double z)
{
    return 0.5 * erfc(-z / sqrt(2.0));
}

static bool parse_dist(struct schema *c, const struct ynode *n, const char *path, const struct key_rule *rule,
                       struct dist *d, double *central)
{
    memset(d, 0, sizeof *d);
    const struct ynode *kind_node = ytree_get(n, "dist");
    if (!kind_node) {
        diag_error(c->diag, n->pos, "%s: a distribution needs a 'dist' key (one of fixed, normal, uniform, "
                                    "triangular, pert, lognormal, choice)", path);
        /* {dist:uniform} in flow style is one key "dist:uniform": say why. */
        for (int i = 0; i < n->n; i++) {
            if (strchr(n->keys[i]->text, ':')) {
                diag_note(c->diag, n->keys[i]->pos, "'%s' is a single key: YAML needs a space after ':'",
                          n->keys[i]->text);
                break;
            }
        }
        return false;
    }
    char sub[512];
    schema_join(sub, sizeof sub, path, "dist");
    const char *name;
    if (!schema_string(c, kind_node, sub, &name))
        return false;
    int kind = -1;
    for (int k = 0; k < DIST_KIND_COUNT; k++)
        if (strcmp(dist_names[k], name) == 0)
            kind = k;
    if (kind < 0) {
        const char *s = schema_suggest(name, dist_names, DIST_KIND_COUNT);
        diag_error(c->diag, kind_node->pos, "%s: unknown distribution '%s'%s%s%s", sub, name, s ? " (did you mean '" : "",
                   s ? s : "", s ? "'?)" : " (expected fixed, normal, uniform, triangular, pert, lognormal or choice)");
        return false;
    }
    d->kind = (enum dist_kind)kind;
    struct key_rule rules[6];
    const int nk = n_dist_keys(d->kind);
    memcpy(rules, dist_keys[d->kind], (size_t)nk * sizeof *rules);
    rules[nk] = (struct key_rule)KEY_RULE("dist", KEY_STRING, KEY_REQUIRED, 0, 0, "distribution name");
    if (!schema_check_map(c, n, path, rules, nk + 1))
        return false;

    double v[5] = { NAN, NAN, NAN, NAN, NAN };
    bool ok = true;
    for (int i = 0; i < nk; i++) {
        const struct ynode *vn = ytree_get(n, rules[i].key);
        if (!vn || rules[i].type != KEY_NUMBER)
            continue;
        schema_join(sub, sizeof sub, path, rules[i].key);
        ok &= schema_number(c, vn, sub, &rules[i], &v[i]);
    }
    if (!ok)
        return false;
    switch (d->kind) {
    case DIST_FIXED:
        d->value = d->lo = d->hi = v[0];
        *central = v[0];
        if (!check_range(c, ytree_get(n, "value")->pos, path, rule, v[0]))
            return false;
        return true;
    case DIST_NORMAL: {
        d->a = v[0];
        d->b = v[1];
        d->lo = isnan(v[2]) ? -HUGE_VAL : v[2];
        d->hi = isnan(v[3]) ? HUGE_VAL : v[3];
        if (d->lo >= d->hi) {
            diag_error(c->diag, n->pos, "%s: min (%g) must be below max (%g)", path, d->lo, d->hi);
            return false;
        }
        if ((isinf(d->lo) && !in_range(-1e308, rule)) || (isinf(d->hi) && !in_range(1e308, rule))) {
            char range[96];
            schema_format_range(range, sizeof range, rule);
            diag_error(c->diag, n->pos, "%s: an untruncated normal can leave the valid range %s; add %s", path, range,
                       isinf(d->lo) && !in_range(-1e308, rule) && isinf(d->hi) && !in_range(1e308, rule) ? "min and max"
                       : isinf(d->lo) && !in_range(-1e308, rule)                                       ? "min"
                                                                                                       : "max");
            return false;
        }
        if (!check_support(c, n->pos, path, rule, "this normal", isinf(d->lo) ? rule->lo : d->lo,
                           isinf(d->hi) ? rule->hi : d->hi))
            return false;
        const double mass = phi((d->hi - d->a) / d->b) - phi((d->lo - d->a) / d->b);
        const double upper_mass = 0.5 * erfc((d->lo - d->a) / d->b / sqrt(2.0)) - 0.5 * erfc((d->hi - d->a) / d->b / sqrt(2.0));
        if (mass < NORMAL_MIN_MASS && upper_mass < NORMAL_MIN_MASS) {
            diag_error(c->diag, n->pos, "%s: [min, max] keeps almost none of this normal's probability (mean %g, sd %g)",
                       path, d->a, d->b);
            return false;
        }
        *central = d->a < d->lo ? d->lo : (d->a > d->hi ? d->hi : d->a);
        return true;
    }
    case DIST_UNIFORM:
    case DIST_TRIANGULAR:
    case DIST_PERT: {
        const bool has_mode = d->kind != DIST_UNIFORM;
        d->lo = v[0];
        d->a = has_mode ? v[1] : (double)NAN;
        d->hi = has_mode ? v[2] : v[1];
        if (d->lo >= d->hi) {
            diag_error(c->diag, n->pos, "%s: min (%g) must be below max (%g)", path, d->lo, d->hi);
            return false;
        }
        if (has_mode && (d->a < d->lo || d->a > d->hi)) {
            diag_error(c->diag, ytree_get(n, "mode")->pos, "%s: mode (%g) must lie in [min, max] = [%g, %g]", path, d->a,
                       d->lo, d->hi);
            return false;
        }
        if (!check_support(c, n->pos, path, rule, d->kind == DIST_UNIFORM ? "this uniform" : d->kind == DIST_PERT ? "this pert" : "this triangular", d->lo, d->hi))
            return false;
        *central = d->kind == DIST_UNIFORM      ? 0.5 * (d->lo + d->hi)
                   : d->kind == DIST_TRIANGULAR ? (d->lo + d->a + d->hi) / 3.0
                                                : (d->lo + 4.0 * d->a + d->hi) / 6.0;
        return true;
    }
    case DIST_LOGNORMAL:
        d->a = v[0];
        d->b = v[1];
        d->lo = 0;
        d->hi = HUGE_VAL;
        if (!in_range(1e-300, rule) || !in_range(1e308, rule)) {
            char range[96];
            schema_format_range(range, sizeof range, rule);
            diag_error(c->diag, n->pos, "%s: a lognormal can take any positive value, outside the valid range %s; "
                                        "use a truncated normal, uniform or pert", path, range);
            return false;
        }
        *central = d->a;
        return true;
    case DIST_CHOICE: {
        schema_join(sub, sizeof sub, path, "values");
        const int nv = read_list(c, ytree_get(n, "values"), sub, &d->values);
        if (nv < 0)
            return false;
        d->n_values = nv;
        for (int i = 0; i < nv; i++) {
            char item[560];
            snprintf(item, sizeof item, "%s[%d]", sub, i);
            if (!check_range(c, ytree_get(n, "values")->vals[i]->pos, item, rule, d->values[i]))
                ok = false;
        }
        const struct ynode *wn = ytree_get(n, "weights");
        if (wn) {
            schema_join(sub, sizeof sub, path, "weights");
            const int nw = read_list(c, wn, sub, &d->weights);
            if (nw < 0) {
                ok = false;
            } else if (nw != nv) {
                diag_error(c->diag, wn->pos, "%s: %d weights for %d values", sub, nw, nv);
                ok = false;
            }
        } else {
            d->weights = xmalloc((size_t)nv * sizeof *d->weights);
            for (int i = 0; i < nv; i++)
                d->weights[i] = 1.0;
        }
        double sum = 0;
        for (int i = 0; ok && i < nv; i++) {
            if (d->weights[i] < 0) {
                diag_error(c->diag, wn->vals[i]->pos, "%s[%d]: weights must be >= 0", sub, i);
                ok = false;
            }
            sum += d->weights[i];
        }
        if (ok && !(sum > 0)) {
            diag_error(c->diag, wn->pos, "%s: weights must not all be 0", sub);
            ok = false;
        }
        if (!ok) {
            free(d->values);
            free(d->weights);
            d->values = d->weights = NULL;
            return false;
        }
        d->lo = HUGE_VAL;
        d->hi = -HUGE_VAL;
        *central = 0;
        for (int i = 0; i < nv; i++) {
            d->weights[i] /= sum;
            *central += d->weights[i] * d->values[i];
            d->lo = fmin(d->lo, d->values[i]);
            d->hi = fmax(d->hi, d->values[i]);
        }
        return true;
    }
    case DIST_KIND_COUNT:
        break;
    }
    return false;
}

int schema_param(struct schema *c, const struct ynode *n, const char *path, const struct key_rule *rule, double dflt,
                 enum input_draw draw)
{
    struct dist d = { .kind = DIST_FIXED, .value = dflt, .lo = dflt, .hi = dflt };
    double central = dflt;
    if (n) {
        if (n->kind == YNODE_MAP) {
            if (!parse_dist(c, n, path, rule, &d, &central)) {
                d = (struct dist){ .kind = DIST_FIXED, .value = dflt, .lo = dflt, .hi = dflt };
                central = dflt;
            }
        } else if (n->kind == YNODE_SEQ) {
            diag_error(c->diag, n->pos, "%s: expected a number or a distribution, got a list", path);
        } else {
            double v;
            if (schema_number(c, n, path, rule, &v)) {
                d.value = d.lo = d.hi = v;
                central = v;
            }
        }
    }
    return add_input(c, path, &d, central, draw);
}

int schema_param_key(struct schema *c, const struct ynode *map, const char *path, const struct key_rule *rules, int n,
                     const char *key, double dflt)
{
    char sub[512];
    schema_join(sub, sizeof sub, path, key);
    return schema_param(c, ytree_get(map, key), sub, schema_rule(rules, n, key), dflt, INPUT_PER_SAMPLE);
}

bool schema_number_key(struct schema *c, const struct ynode *map, const char *path, const struct key_rule *rules, int n,
                       const char *key, double *out)
{
    const struct ynode *v = ytree_get(map, key);
    if (!v)
        return false;
    char sub[512];
    schema_join(sub, sizeof sub, path, key);
    return schema_number(c, v, sub, schema_rule(rules, n, key), out);
}

bool schema_int_key(struct schema *c, const struct ynode *map, const char *path, const struct key_rule *rules, int n,
                    const char *key, long *out)
{
    const struct ynode *v = ytree_get(map, key);
    if (!v)
        return false;
    char sub[512];
    schema_join(sub, sizeof sub, path, key);
    return schema_int(c, v, sub, schema_rule(rules, n, key), out);
}

const char *schema_string_key(struct schema *c, const struct ynode *map, const char *path, const char *key)
{
    const struct ynode *v = ytree_get(map, key);
    if (!v)
        return NULL;
    char sub[512];
    schema_join(sub, sizeof sub, path, key);
    const char *s = NULL;
    return schema_string(c, v, sub, &s) ? s : NULL;
}

/* ---- The generic reader */

static double dyn_default(const struct key_default *dyn, int n_dyn, const char *key)
{
    for (int i = 0; i < n_dyn; i++)
        if (strcmp(dyn[i].key, key) == 0 && !isnan(dyn[i].value))
            return dyn[i].value;
    return NAN;
}

void schema_read_key(struct schema *c, const struct ynode *map, const char *path, const struct key_rule *rule,
                     void *dest, double dflt)
{
    if (!rule->dest)
        return;
    void *at = (char *)dest + rule->dest - 1;
    const struct ynode *v = map ? ytree_get(map, rule->key) : NULL;
    const bool keep = !v && isnan(dflt) && (rule->flags & KEY_KEEP);
    if (isnan(dflt))
        dflt = rule->dflt;
    char sub[512];
    schema_join(sub, sizeof sub, path, rule->key);
    switch (rule->type) {
    case KEY_NUMBER: {
        double *x = at;
        if (!keep)
            *x = dflt;
        if (v)
            schema_number(c, v, sub, rule, x);
        break;
    }
    case KEY_INT: {
        long x = rule->flags & KEY_TO_INT ? *(int *)at : *(long *)at;
        if (!keep)
            x = (long)dflt;
        if (v)
            schema_int(c, v, sub, rule, &x);
        if (rule->flags & KEY_TO_INT)
            *(int *)at = (int)x;
        else
            *(long *)at = x;
        break;
    }
    case KEY_STRING: {
        const char *text = rule->dflt_text;
        if (v && !schema_string(c, v, sub, &text))
            text = rule->dflt_text;
        if (!keep)
            *(char **)at = xstrdup(text);
        break;
    }
    case KEY_TIME: {
        const char *why;
        if (rule->dflt_text && !keep)
            time_parse_iso8601(rule->dflt_text, at, &why);
        if (v)
            schema_time(c, v, sub, at);
        break;
    }
    case KEY_PARAM: {
        const enum input_draw draw = rule->flags & KEY_PER_RESTART       ? INPUT_PER_RESTART
                                     : rule->flags & KEY_PER_MAINTENANCE ? INPUT_PER_MAINTENANCE
                                                                         : INPUT_PER_SAMPLE;
        *(int *)at = schema_param(c, v, sub, rule, dflt, draw);
        break;
    }
    case KEY_AUTO:
    case KEY_MAP:
    case KEY_SEQ:
    case KEY_ANY:
        break; /* read by custom code */
    }
}

void schema_read(struct schema *c, const struct ynode *map, const char *path, const struct key_rule *rules, int n,
                 void *dest, const struct key_default *dyn, int n_dyn)
{
    for (int i = 0; i < n; i++)
        schema_read_key(c, map, path, &rules[i], dest, dyn_default(dyn, n_dyn, rules[i].key));
}
