/*
 * series.c - time series CSV: "timestamp,value" rows, validated line by line.
 */
#include "load/series.h"

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
