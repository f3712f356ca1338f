/*
 * format.c - the formatting helpers every writer shares (output/format.h): numbers for
 * people, quantile heads, table columns, CSV fields, JSON values and blocks.
 */
#include "output/format.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/buildinfo.h"

void report_quantile_key(double q, char *buf, int size)
{
    snprintf(buf, (size_t)size, "p%g", 100.0 * q);
}

/* Inserts thousands separators into the integer part of a formatted number. */
static void group_thousands(const char *in, char *out, int size)
{
    const char *p = in;
    int o = 0;
    if (*p == '-')
        out[o++] = *p++;
    const char *dot = strchr(p, '.');
    const int int_len = dot ? (int)(dot - p) : (int)strlen(p);
    for (int i = 0; i < int_len && o < size - 2; i++) {
        if (i > 0 && (int_len - i) % 3 == 0)
            out[o++] = ',';
        out[o++] = p[i];
    }
    if (dot)
        for (const char *q = dot; *q && o < size - 1; q++)
            out[o++] = *q;
    out[o] = '\0';
}

void writer_human_number(double v, char *buf, int size)
{
    if (!isfinite(v)) {
        snprintf(buf, (size_t)size, "%s", isnan(v) ? "nan" : (v < 0 ? "-inf" : "inf"));
        return;
    }
    const double a = fabs(v);
    char tmp[64];
    if (a == 0)
        snprintf(tmp, sizeof tmp, "0");
    else if (a >= 1e15 || (a > 0 && a < 1e-3))
        snprintf(tmp, sizeof tmp, "%.3e", v);
    else if (a >= 1000)
        snprintf(tmp, sizeof tmp, "%.0f", v);
    else if (a >= 100)
        snprintf(tmp, sizeof tmp, "%.1f", v);
    else if (a >= 10)
        snprintf(tmp, sizeof tmp, "%.2f", v);
    else if (a >= 1)
        snprintf(tmp, sizeof tmp, "%.3f", v);
    else
        snprintf(tmp, sizeof tmp, "%.4f", v);
    if (strchr(tmp, 'e'))
        snprintf(buf, (size_t)size, "%s", tmp);
    else
        group_thousands(tmp, buf, size);
}

void writer_count(long n, char *buf, int size)
{
    if (labs(n) < 1000)
        snprintf(buf, (size_t)size, "%ld", n);
    else
        writer_human_number((double)n, buf, size);
}

void writer_quantile_head(double q, char *buf, int size)
{
    report_quantile_key(q, buf, size);
    buf[0] = 'P';
}

int writer_nearest_quantile(const struct report *r, double q)
{
    int best = 0;
    for (int k = 1; k < r->n_quantiles; k++)
        if (fabs(r->quantiles[k] - q) < fabs(r->quantiles[best] - q))
            best = k;
    return best;
}

void writer_table_stats_head(FILE *out, const struct report *r)
{
    fprintf(out, " %13s", "mean");
    for (int k = 0; k < r->n_quantiles; k++) {
        char head[32];
        writer_quantile_head(r->quantiles[k], head, sizeof head);
        fprintf(out, " %13s", head);
    }
}

void writer_table_stats(FILE *out, const struct report *r, const struct metric_stats *s)
{
    char num[64];
    writer_human_number(s->mean, num, sizeof num);
    fprintf(out, " %13s", num);
    for (int k = 0; k < r->n_quantiles; k++) {
        writer_human_number(s->q[k], num, sizeof num);
        fprintf(out, " %13s", num);
    }
}

void writer_csv_quantile_columns(FILE *out, const struct report *r, const char *prefix)
{
    for (int k = 0; k < r->n_quantiles; k++) {
        char key[32];
        report_quantile_key(r->quantiles[k], key, sizeof key);
        fprintf(out, ",%s%s", prefix, key);
    }
}

void writer_json_string(FILE *out, const char *s)
{
    fputc('"', out);
    for (const unsigned char *p = (const unsigned char *)(s ? s : ""); *p; p++) {
        switch (*p) {
        case '"':
            fputs("\\\"", out);
            break;
        case '\\':
            fputs("\\\\", out);
            break;
        case '\n':
            fputs("\\n", out);
            break;
        case '\r':
            fputs("\\r", out);
            break;
        case '\t':
            fputs("\\t", out);
            break;
        default:
            if (*p < 0x20)
                fprintf(out, "\\u%04x", *p);
            else
                fputc(*p, out);
        }
    }
    fputc('"', out);
}

void writer_json_number(FILE *out, double v)
{
    if (isfinite(v))
        fprintf(out, "%.17g", v);
    else
        fputs("null", out);
}

void writer_json_field(FILE *out, const char *name, double v)
{
    fputs(", ", out);
    writer_json_string(out, name);
    fputs(": ", out);
    writer_json_number(out, v);
}

void writer_json_interval(FILE *out, const char *name, double lo, double hi)
{
    fputs(", ", out);
    writer_json_string(out, name);
    fputs(": [", out);
    writer_json_number(out, lo);
    fputs(", ", out);
    writer_json_number(out, hi);
    fputc(']', out);
}

void writer_json_optional(FILE *out, bool has, double v)
{
    if (has)
        writer_json_number(out, v);
    else
        fputs("null", out);
}

void writer_json_version(FILE *out)
{
    fprintf(out, "\"trainsim_version\": \"%s\",\n  \"build\": { \"commit\": ", TRAINSIM_VERSION);
    writer_json_string(out, build_commit());
    fputs(", \"features\": [", out);
    const char *sep = "";
    if (build_has_mpi())
        fprintf(out, "%s\"mpi\"", sep), sep = ", ";
    if (build_has_plplot())
        fprintf(out, "%s\"plplot\"", sep), sep = ", ";
    if (build_has_openmp())
        fprintf(out, "%s\"openmp\"", sep);
    fputs("] }", out);
}

static void json_key(FILE *out, const char *indent, const char *key)
{
    fprintf(out, ",\n%s", indent);
    writer_json_string(out, key);
    fputs(": ", out);
}

void writer_json_provenance(FILE *out, const struct provenance *p, const char *indent)
{
    json_key(out, indent, "file");
    writer_json_string(out, p->file);
    fputs(", \"file_sha256\": ", out);
    writer_json_string(out, p->file_sha256);
    json_key(out, indent, "overrides");
    fputc('[', out);
    for (int i = 0; i < p->n_overrides; i++) {
        fputs(i ? ", " : "", out);
        writer_json_string(out, p->overrides[i]);
    }
    fputc(']', out);
    json_key(out, indent, "inputs");
    fputc('{', out);
    for (int i = 0; i < p->n_inputs; i++) {
        const struct provenance_input *in = &p->inputs[i];
        fprintf(out, "%s\n%s  ", i ? "," : "", indent);
        writer_json_string(out, in->path);
        fputs(": ", out);
        if (!in->dist) {
            writer_json_number(out, in->central);
            continue;
        }
        fputs("{ \"dist\": ", out);
        writer_json_string(out, in->dist);
        for (int k = 0; k < in->n_params; k++)
            writer_json_field(out, in->param_name[k], in->param[k]);
        if (in->n_values) {
            fputs(", \"values\": [", out);
            for (int k = 0; k < in->n_values; k++) {
                fputs(k ? ", " : "", out);
                writer_json_number(out, in->values[k]);
            }
            fputs("], \"weights\": [", out);
            for (int k = 0; k < in->n_values; k++) {
                fputs(k ? ", " : "", out);
                writer_json_number(out, in->weights[k]);
            }
            fputc(']', out);
        }
        writer_json_field(out, "central", in->central);
        if (in->per_event)
            fputs(", \"per_event\": true", out);
        fputs(" }", out);
    }
    if (p->n_inputs)
        fprintf(out, "\n%s", indent);
    fputc('}', out);
    json_key(out, indent, "warnings");
    fputc('[', out);
    for (int i = 0; i < p->n_warnings; i++) {
        fputs(i ? ", " : "", out);
        writer_json_string(out, p->warnings[i]);
    }
    fputc(']', out);
}

void writer_json_stats(FILE *out, const struct report *r, const struct report_metric *m)
{
    fputs("{ \"unit\": ", out);
    writer_json_string(out, m->unit);
    writer_json_field(out, "mean", m->s.mean);
    writer_json_field(out, "sd", m->s.sd);
    writer_json_field(out, "min", m->s.min);
    writer_json_field(out, "max", m->s.max);
    for (int k = 0; k < r->n_quantiles; k++) {
        char key[32];
        report_quantile_key(r->quantiles[k], key, sizeof key);
        writer_json_field(out, key, m->s.q[k]);
    }
    if (m->not_modelled) {
        fputs(", \"not_modelled\": ", out);
        writer_json_string(out, m->not_modelled);
    }
    fputs(" }", out);
}

void writer_csv_quoted(FILE *out, const char *s)
{
    fputc('"', out);
    for (const char *p = s ? s : ""; *p; p++) {
        if (*p == '"')
            fputc('"', out);
        fputc(*p, out);
    }
    fputc('"', out);
}

void writer_csv_field(FILE *out, const char *s)
{
    if (s && !strpbrk(s, ",\"\r\n"))
        fputs(s, out);
    else
        writer_csv_quoted(out, s);
}
