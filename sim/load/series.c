/*
 * series.c - time series files: the project's "timestamp,value" CSV, validated line by
 * line, and the grid intensity exports people download (see series.h), told apart by their
 * header. JSON responses are read with libyaml (JSON is YAML for these shapes).
 */
#include "load/series.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "load/schema.h"
#include "load/ytree.h"
#include "util/timeutil.h"
#include "util/xalloc.h"

/* Stop listing bad rows after this many; the file is wrong anyway. */
static const int SERIES_MAX_REPORTED = 20;

static void trim(char **s, char **e)
{
    while (*s < *e && (**s == ' ' || **s == '\t'))
        (*s)++;
    while (*e > *s && ((*e)[-1] == ' ' || (*e)[-1] == '\t' || (*e)[-1] == '\r'))
        (*e)--;
}

bool series_parse(struct diag *d, const char *file, const char *text, size_t len, double lo, double hi,
                  const char *what, struct series *out)
{
    memset(out, 0, sizeof *out);
    if (len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0) {
        text += 3;
        len -= 3;
    }
    const char *name = diag_add_source(d, file, text, len);
    if (memchr(text, '\0', len)) {
        diag_error(d, (struct src_pos){ name, 0, 0 }, "%s: not a text file (contains NUL bytes)", what);
        return false;
    }
    int cap = 0, bad = 0, line = 0;
    bool first_content = true;
    const char *p = text, *end = text + len;
    while (p < end && bad < SERIES_MAX_REPORTED) {
        line++;
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        const char *le = nl ? nl : end;
        char buf[256];
        size_t n = (size_t)(le - p);
        const char *line_start = p;
        p = nl ? nl + 1 : end;
        if (n >= sizeof buf) {
            diag_error(d, (struct src_pos){ name, line, 1 }, "%s: line longer than %zu characters", what, sizeof buf - 1);
            bad++;
            continue;
        }
        memcpy(buf, line_start, n);
        buf[n] = '\0';
        char *s = buf, *e = buf + n;
        trim(&s, &e);
        *e = '\0';
        if (*s == '\0' || *s == '#')
            continue;
        char *comma = strchr(s, ',');
        const int col0 = (int)(s - buf) + 1;
        if (!comma) {
            if (first_content) {
                first_content = false;
                diag_error(d, (struct src_pos){ name, line, col0 }, "%s: expected 'timestamp,value' rows", what);
                bad++;
                continue;
            }
            diag_error(d, (struct src_pos){ name, line, col0 }, "%s: expected 'timestamp,value', got '%s'", what, s);
            bad++;
            continue;
        }
        char *ts = s, *ts_end = comma, *val = comma + 1, *val_end = e;
        trim(&ts, &ts_end);
        trim(&val, &val_end);
        *ts_end = '\0';
        *val_end = '\0';
        double t, v;
        const char *why;
        if (!time_parse_iso8601(ts, &t, &why)) {
            double dummy;
            const char *why2;
            if (first_content && !schema_parse_number(val, &dummy, &why2)) { /* a header line */
                first_content = false;
                continue;
            }
            diag_error(d, (struct src_pos){ name, line, (int)(ts - buf) + 1 }, "%s: '%s': %s", what, ts, why);
            bad++;
            continue;
        }
        first_content = false;
        if (strchr(val, ',')) {
            diag_error(d, (struct src_pos){ name, line, (int)(val - buf) + 1 }, "%s: expected two columns", what);
            bad++;
            continue;
        }
        if (!schema_parse_number(val, &v, &why)) {
            diag_error(d, (struct src_pos){ name, line, (int)(val - buf) + 1 }, "%s: '%s' %s", what, val, why);
            bad++;
            continue;
        }
        if (v < lo || v > hi) {
            diag_error(d, (struct src_pos){ name, line, (int)(val - buf) + 1 }, "%s: %g is outside [%g, %g]", what, v,
                       lo, hi);
            bad++;
            continue;
        }
        if (out->n > 0 && t <= out->t_unix_s[out->n - 1]) {
            diag_error(d, (struct src_pos){ name, line, (int)(ts - buf) + 1 },
                       "%s: timestamps must increase strictly ('%s' is not after the row before)", what, ts);
            bad++;
            continue;
        }
        if (out->n >= SERIES_MAX_ROWS) {
            diag_error(d, (struct src_pos){ name, line, 1 }, "%s: more than %d rows", what, SERIES_MAX_ROWS);
            bad++;
            break;
        }
        if (out->n == cap) {
            cap = cap ? 2 * cap : 1024;
            out->t_unix_s = xrealloc(out->t_unix_s, (size_t)cap * sizeof *out->t_unix_s);
            out->value = xrealloc(out->value, (size_t)cap * sizeof *out->value);
        }
        out->t_unix_s[out->n] = t;
        out->value[out->n] = v;
        out->n++;
    }
    if (bad == 0 && out->n == 0) {
        diag_error(d, (struct src_pos){ name, 1, 1 }, "%s: the series has no rows", what);
        bad++;
    }
    if (bad) {
        free(out->t_unix_s);
        free(out->value);
        memset(out, 0, sizeof *out);
        return false;
    }
    out->path = xstrdup(file);
    return true;
}

bool series_load(struct diag *d, const char *path, struct src_pos from, double lo, double hi, const char *what,
                 struct series *out)
{
    memset(out, 0, sizeof *out);
    char *text;
    size_t len;
    char why[1024];
    bool is_io;
    if (!ytree_read_file(path, SERIES_MAX_BYTES, &text, &len, why, sizeof why, &is_io)) {
        diag_error(d, from, "%s: %s", what, why);
        d->n_io_errors += is_io;
        return false;
    }
    const bool ok = series_parse(d, path, text, len, lo, hi, what, out);
    free(text);
    return ok;
}

/* ---- Grid intensity files of other formats */

static const double KG_PER_LB = 0.45359237;
static const double KWH_PER_MWH = 1000.0;
static const double G_PER_KG = 1000.0;
/* Grid intensities above this (kg/kWh) are warned about: the dirtiest grids are about 1.1. */
static const double GRID_WARN_KG_PER_KWH = 2.0;
/* A plain kg/kWh file whose median is above this is g/kWh, not a very dirty grid. */
static const double GRID_G_PER_KWH_MEDIAN = 10.0;

static const char FORMATS[] =
    "expected one of: a 'timestamp,kg_per_kwh' CSV; an Electricity Maps CSV export (header 'Datetime (UTC),"
    "Country,Zone name,...,Carbon intensity gCO\xE2\x82\x82" "eq/kWh (direct),...'); a WattTime v3 JSON response "
    "(data[].point_time, data[].value, meta.units lbs_co2_per_mwh); a UK Carbon Intensity API JSON response "
    "(data[].from, data[].to, data[].intensity.actual)";

static void push(struct series *out, int *cap, double t, double v)
{
    if (out->n == *cap) {
        *cap = *cap ? 2 * *cap : 1024;
        out->t_unix_s = xrealloc(out->t_unix_s, (size_t)*cap * sizeof *out->t_unix_s);
        out->value = xrealloc(out->value, (size_t)*cap * sizeof *out->value);
    }
    out->t_unix_s[out->n] = t;
    out->value[out->n] = v;
    out->n++;
}

static void series_clear(struct series *out)
{
    free(out->t_unix_s);
    free(out->value);
    free(out->path);
    memset(out, 0, sizeof *out);
}

/* The first line with content (not blank, not a '#' comment) of text, into buf (truncated);
 * *line gets its number. */
static void first_line(const char *text, size_t len, char *buf, size_t size, int *line)
{
    const char *p = text, *end = text + len;
    *line = 0;
    buf[0] = '\0';
    while (p < end) {
        (*line)++;
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        const char *le = nl ? nl : end;
        const char *s = p;
        while (s < le && (*s == ' ' || *s == '\t' || *s == '\r'))
            s++;
        if (s < le && *s != '#') {
            size_t n = (size_t)(le - s);
            while (n > 0 && (s[n - 1] == '\r' || s[n - 1] == ' '))
                n--;
            if (n >= size)
                n = size - 1;
            memcpy(buf, s, n);
            buf[n] = '\0';
            return;
        }
        p = nl ? nl + 1 : end;
    }
}

/* Splits a CSV line in place into at most max fields (double quotes group, "" escapes a
 * quote); returns the number of fields. */
static int split_csv(char *line, char **f, int max)
{
    int n = 0;
    char *p = line;
    for (;;) {
        char *w = p, *start = p;
        bool quoted = *p == '"';
        if (quoted)
            p++;
        while (*p) {
            if (quoted && *p == '"' && p[1] == '"') {
                *w++ = '"';
                p += 2;
            } else if (quoted && *p == '"') {
                quoted = false;
                p++;
            } else if (!quoted && *p == ',') {
                break;
            } else {
                *w++ = *p++;
            }
        }
        const bool more = *p == ',';
        *w = '\0';
        if (n < max)
            f[n++] = start;
        if (!more)
            return n;
        p++;
    }
}

static bool contains_ci(const char *hay, const char *needle)
{
    const size_t n = strlen(needle);
    for (; *hay; hay++) {
        size_t i = 0;
        while (i < n && hay[i] && tolower((unsigned char)hay[i]) == tolower((unsigned char)needle[i]))
            i++;
        if (i == n)
            return true;
    }
    return false;
}

/* Electricity Maps columns in a header line; false when it is not that export. */
struct em_columns {
    int time, direct, lifecycle, n;
    bool is_new_portal;
};

enum { EM_MAX_FIELDS = 64, EM_MAX_LINE = 4096 };

static bool em_header(const char *line, struct em_columns *c)
{
    char buf[EM_MAX_LINE];
    snprintf(buf, sizeof buf, "%s", line);
    char *f[EM_MAX_FIELDS];
    c->n = split_csv(buf, f, EM_MAX_FIELDS);
    c->time = c->direct = c->lifecycle = -1;
    c->is_new_portal = false;
    for (int i = 0; i < c->n; i++) {
        if (contains_ci(f[i], "datetime (utc)"))
            c->time = i;
        else if (contains_ci(f[i], "carbon intensity") && contains_ci(f[i], "(direct)"))
            c->direct = i;
        else if (contains_ci(f[i], "carbon intensity") &&
                 (contains_ci(f[i], "(lca)") || contains_ci(f[i], "(life cycle)"))) {
            c->lifecycle = i;
            c->is_new_portal = contains_ci(f[i], "(life cycle)");
        }
    }
    return c->time >= 0 && (c->direct >= 0 || c->lifecycle >= 0);
}

/* Rows of an Electricity Maps CSV: column 'col' in g/kWh -> kg/kWh. */
static bool parse_em(struct diag *d, const char *name, const char *text, size_t len, const struct em_columns *c,
                     int col, struct series *out)
{
    int cap = 0, bad = 0, line = 0;
    bool header_seen = false;
    const char *p = text, *end = text + len;
    while (p < end && bad < SERIES_MAX_REPORTED) {
        line++;
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        const char *le = nl ? nl : end;
        size_t n = (size_t)(le - p);
        char buf[EM_MAX_LINE];
        if (n >= sizeof buf) {
            diag_error(d, (struct src_pos){ name, line, 1 }, "grid.series: line longer than %zu characters",
                       sizeof buf - 1);
            bad++;
            p = nl ? nl + 1 : end;
            continue;
        }
        memcpy(buf, p, n);
        buf[n] = '\0';
        p = nl ? nl + 1 : end;
        while (n > 0 && (buf[n - 1] == '\r' || buf[n - 1] == ' '))
            buf[--n] = '\0';
        if (n == 0 || buf[0] == '#')
            continue;
        if (!header_seen) { /* the header, checked by the caller */
            header_seen = true;
            continue;
        }
        char *f[EM_MAX_FIELDS];
        const int nf = split_csv(buf, f, EM_MAX_FIELDS);
        if (nf <= col || nf <= c->time) {
            diag_error(d, (struct src_pos){ name, line, 1 }, "grid.series: expected %d columns as in the header, got %d",
                       c->n, nf);
            bad++;
            continue;
        }
        double t, v;
        const char *why;
        if (!time_parse_iso8601(f[c->time], &t, &why)) {
            diag_error(d, (struct src_pos){ name, line, 1 }, "grid.series: '%s': %s", f[c->time], why);
            bad++;
            continue;
        }
        if (!schema_parse_number(f[col], &v, &why) || v < 0) {
            diag_error(d, (struct src_pos){ name, line, 1 }, "grid.series: carbon intensity '%s' (g/kWh) %s", f[col],
                       v < 0 ? "is negative" : why);
            bad++;
            continue;
        }
        if (out->n > 0 && t <= out->t_unix_s[out->n - 1]) {
            diag_error(d, (struct src_pos){ name, line, 1 },
                       "grid.series: timestamps must increase strictly ('%s' is not after the row before)", f[c->time]);
            bad++;
            continue;
        }
        if (out->n >= SERIES_MAX_ROWS) {
            diag_error(d, (struct src_pos){ name, line, 1 }, "grid.series: more than %d rows", SERIES_MAX_ROWS);
            bad++;
            break;
        }
        push(out, &cap, t, v / G_PER_KG);
    }
    if (bad == 0 && out->n == 0) {
        diag_error(d, (struct src_pos){ name, 1, 1 }, "grid.series: the Electricity Maps file has no rows");
        bad++;
    }
    return bad == 0;
}

/* A number in a JSON scalar; false for null or anything else. */
static bool json_number(const struct ynode *n, double *v)
{
    const char *why;
    return n && n->kind == YNODE_SCALAR && n->is_plain && schema_parse_number(n->text, v, &why);
}

static bool json_time(const struct ynode *n, double *t)
{
    const char *why;
    return n && n->kind == YNODE_SCALAR && time_parse_iso8601(n->text, t, &why);
}

/* WattTime v3 (meta.units lbs_co2_per_mwh) or UK Carbon Intensity API (intensity.actual,
 * g/kWh) rows of data[] -> kg/kWh. *format names what was found; false after reporting. */
static bool parse_json(struct diag *d, const struct ynode *root, const char *first, struct series *out,
                       const char **format)
{
    const struct ynode *data = ytree_get(root, "data");
    const struct ynode *item0 = data && data->kind == YNODE_SEQ && data->n > 0 ? data->vals[0] : NULL;
    const bool watttime = item0 && ytree_get(item0, "point_time") && ytree_get(item0, "value");
    const bool uk = item0 && ytree_get(item0, "from") && ytree_get(item0, "intensity");
    if (!watttime && !uk) {
        diag_error(d, root->pos, "grid.series: the JSON matches no known format (it begins '%.80s'); %s", first, FORMATS);
        return false;
    }
    double scale = 1.0 / G_PER_KG; /* UK: g/kWh */
    if (watttime) {
        const struct ynode *units = ytree_get(ytree_get(root, "meta"), "units");
        if (!units || units->kind != YNODE_SCALAR || strcmp(units->text, "lbs_co2_per_mwh") != 0) {
            diag_error(d, units ? units->pos : root->pos,
                       "grid.series: WattTime meta.units must be lbs_co2_per_mwh, got '%s'",
                       units && units->kind == YNODE_SCALAR ? units->text : "nothing");
            return false;
        }
        scale = KG_PER_LB / KWH_PER_MWH;
        *format = "WattTime v3 JSON (MOER, lbs_co2_per_mwh)";
    } else {
        *format = "UK Carbon Intensity API JSON (intensity.actual, g/kWh)";
    }
    int cap = 0, bad = 0, n_forecast = 0;
    for (int i = 0; i < data->n && bad < SERIES_MAX_REPORTED; i++) {
        const struct ynode *it = data->vals[i];
        const struct ynode *tn = ytree_get(it, watttime ? "point_time" : "from");
        double t, v;
        if (!json_time(tn, &t)) {
            diag_error(d, tn ? tn->pos : it->pos, "grid.series: data[%d]: expected an ISO 8601 %s", i,
                       watttime ? "point_time" : "from");
            bad++;
            continue;
        }
        const struct ynode *vn = watttime ? ytree_get(it, "value") : ytree_get(ytree_get(it, "intensity"), "actual");
        if (!json_number(vn, &v) && uk && json_number(ytree_get(ytree_get(it, "intensity"), "forecast"), &v)) {
            n_forecast++; /* no actual yet: the forecast stands in */
        } else if (!json_number(vn, &v)) {
            diag_error(d, vn ? vn->pos : it->pos, "grid.series: data[%d]: expected a number for %s", i,
                       watttime ? "value" : "intensity.actual");
            bad++;
            continue;
        }
        if (v < 0) {
            diag_error(d, vn->pos, "grid.series: data[%d]: negative intensity %g", i, v);
            bad++;
            continue;
        }
        push(out, &cap, t, v * scale);
    }
    /* WattTime may list the newest point first */
    if (!bad && out->n > 1 && out->t_unix_s[0] > out->t_unix_s[out->n - 1]) {
        for (int i = 0, j = out->n - 1; i < j; i++, j--) {
            const double t = out->t_unix_s[i], v = out->value[i];
            out->t_unix_s[i] = out->t_unix_s[j];
            out->value[i] = out->value[j];
            out->t_unix_s[j] = t;
            out->value[j] = v;
        }
    }
    for (int i = 1; !bad && i < out->n; i++) {
        if (out->t_unix_s[i] <= out->t_unix_s[i - 1]) {
            diag_error(d, data->vals[i]->pos, "grid.series: data[%d]: times must increase strictly", i);
            bad++;
        }
    }
    if (!bad && n_forecast)
        diag_warning(d, data->pos, "grid.series: %d of %d half-hours have no intensity.actual; their forecast is used",
                     n_forecast, out->n);
    return bad == 0;
}

/* Median of v (n > 0), on a sorted copy. */
static int cmp_double(const void *a, const void *b)
{
    const double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static double median_of(const double *v, int n)
{
    double *c = xmalloc((size_t)n * sizeof *c);
    memcpy(c, v, (size_t)n * sizeof *c);
    qsort(c, (size_t)n, sizeof *c, cmp_double);
    const double m = n % 2 ? c[n / 2] : (c[n / 2 - 1] + c[n / 2]) / 2;
    free(c);
    return m;
}

/* The values of the second column of a two-column CSV, as far as they parse (a quick look
 * before the strict parse, to tell g/kWh from a dirty grid). */
static double plain_median(const char *text, size_t len)
{
    double *v = NULL;
    int n = 0, cap = 0;
    const char *p = text, *end = text + len;
    while (p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        const char *le = nl ? nl : end;
        const char *comma = memchr(p, ',', (size_t)(le - p));
        if (comma && *p != '#') {
            char buf[64];
            size_t k = (size_t)(le - comma - 1);
            if (k < sizeof buf) {
                memcpy(buf, comma + 1, k);
                buf[k] = '\0';
                char *e;
                const double x = strtod(buf, &e);
                if (e != buf && isfinite(x)) {
                    if (n == cap) {
                        cap = cap ? 2 * cap : 256;
                        v = xrealloc(v, (size_t)cap * sizeof *v);
                    }
                    v[n++] = x;
                }
            }
        }
        p = nl ? nl + 1 : end;
    }
    const double m = n ? median_of(v, n) : 0;
    free(v);
    return m;
}

/* A warning when a grid series (kg/kWh) goes above any grid's intensity: probably g/kWh. */
static bool series_check_grid(struct diag *d, struct series *out)
{
    int at = 0;
    for (int i = 1; i < out->n; i++)
        if (out->value[i] > out->value[at])
            at = i;
    if (out->n && out->value[at] > GRID_WARN_KG_PER_KWH) {
        char when[32];
        time_format_iso8601(out->t_unix_s[at], when, sizeof when);
        diag_warning(d, (struct src_pos){ out->path, 0, 0 },
                     "grid.series: %g kg/kWh at %s is above any grid's (about 1.1 at most); is the file g/kWh? "
                     "(%g g/kWh = %g kg/kWh)", out->value[at], when, out->value[at], out->value[at] / G_PER_KG);
    }
    return true;
}

/* The project's two-column kg/kWh CSV, then the same check. */
static bool series_parse_checked(struct diag *d, const char *file, const char *text, size_t len, struct series *out)
{
    return series_parse(d, file, text, len, 0, 10, "grid.series", out) && series_check_grid(d, out);
}

bool series_parse_grid(struct diag *d, const char *file, const char *text, size_t len, bool direct,
                       struct series *out, const char **format_out)
{
    memset(out, 0, sizeof *out);
    *format_out = NULL;
    if (len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0) {
        text += 3;
        len -= 3;
    }
    char first[EM_MAX_LINE];
    int first_no;
    first_line(text, len, first, sizeof first, &first_no);
    bool ok;
    const char *format = NULL;
    struct em_columns em;
    if (first[0] == '{' || first[0] == '[') {
        struct ynode *root = ytree_parse(d, file, text, len, 0);
        ok = root && parse_json(d, root, first, out, &format);
        ytree_free(root);
    } else if (em_header(first, &em)) {
        const char *name = diag_add_source(d, file, text, len);
        const int col = direct ? em.direct : em.lifecycle;
        if (col < 0) {
            diag_error(d, (struct src_pos){ name, first_no, 1 }, "grid.series: this Electricity Maps file has no %s column",
                       direct ? "direct" : "lifecycle (LCA)");
            return false;
        }
        ok = parse_em(d, name, text, len, &em, col, out);
        format = em.is_new_portal || (direct && contains_ci(first, "Carbon intensity"))
                     ? (direct ? "Electricity Maps CSV, new portal (direct, g/kWh)" : "Electricity Maps CSV, new portal (life cycle, g/kWh)")
                     : (direct ? "Electricity Maps CSV, old portal (direct, g/kWh)" : "Electricity Maps CSV, old portal (LCA, g/kWh)");
    } else {
        char buf[EM_MAX_LINE];
        snprintf(buf, sizeof buf, "%s", first);
        char *f[EM_MAX_FIELDS];
        const int nf = first[0] ? split_csv(buf, f, EM_MAX_FIELDS) : 2; /* no content: the plain parse says so */
        if (nf != 2) {
            const char *name = diag_add_source(d, file, text, len);
            diag_error(d, (struct src_pos){ name, first_no ? first_no : 1, 1 },
                       "grid.series: the file matches no known format (its first line is '%.120s'); %s", first, FORMATS);
            return false;
        }
        const double med = plain_median(text, len);
        if (med > GRID_G_PER_KWH_MEDIAN) {
            const char *name = diag_add_source(d, file, text, len);
            diag_error(d, (struct src_pos){ name, first_no, 1 },
                       "grid.series: the values (median %g) look like g/kWh, not kg/kWh: divide them by 1000 (%g g/kWh "
                       "= %g kg/kWh), or use the Electricity Maps export as downloaded", med, med, med / G_PER_KG);
            return false;
        }
        return series_parse_checked(d, file, text, len, out);
    }
    if (!ok) {
        series_clear(out);
        return false;
    }
    out->path = xstrdup(file);
    *format_out = format;
    return series_check_grid(d, out);
}

bool series_load_grid(struct diag *d, const char *path, struct src_pos from, bool direct, struct series *out,
                      const char **format)
{
    *format = NULL;
    memset(out, 0, sizeof *out);
    char *text;
    size_t len;
    char why[1024];
    bool is_io;
    if (!ytree_read_file(path, SERIES_MAX_BYTES, &text, &len, why, sizeof why, &is_io)) {
        diag_error(d, from, "grid.series: %s", why);
        d->n_io_errors += is_io;
        return false;
    }
    const bool ok = series_parse_grid(d, path, text, len, direct, out, format);
    free(text);
    return ok;
}
