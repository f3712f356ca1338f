/*
 * diag.c - diagnostics sink: GNU-style located messages plus a source excerpt.
 */
#include "util/diag.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "util/xalloc.h"

void diag_init(struct diag *d, FILE *out)
{
    memset(d, 0, sizeof *d);
    d->out = out;
}

void diag_release(struct diag *d)
{
    if (!d)
        return;
    for (int i = 0; i < d->n_sources; i++) {
        free(d->sources[i].file);
        free(d->sources[i].text);
    }
    free(d->sources);
    d->sources = NULL;
    d->n_sources = 0;
    for (int i = 0; i < d->n_warning_texts; i++)
        free(d->warning_texts[i]);
    free(d->warning_texts);
    d->warning_texts = NULL;
    d->n_warning_texts = 0;
    for (int i = 0; i < d->n_records; i++) {
        free(d->records[i].file);
        free(d->records[i].message);
    }
    free(d->records);
    d->records = NULL;
    d->n_records = 0;
}

const char *diag_add_source(struct diag *d, const char *file, const char *text, size_t len)
{
    /* A name that is already a registered copy keeps its text (a --set value parsed on its
     * own is shown within its whole argument). */
    for (int i = 0; i < d->n_sources; i++)
        if (d->sources[i].file == file)
            return file;
    d->sources = xrealloc(d->sources, (size_t)(d->n_sources + 1) * sizeof *d->sources);
    d->sources[d->n_sources].file = xstrdup(file);
    d->sources[d->n_sources].text = text ? xstrndup(text, len) : xstrdup("");
    return d->sources[d->n_sources++].file;
}

/* The text of line 'line' (1-based) of a registered source, or NULL. *len gets its length. */
static const char *source_line(const struct diag *d, struct src_pos at, size_t *len)
{
    if (!at.file || at.line < 1)
        return NULL;
    /* Positions point at the registered copy of the name, so identity finds the right text
     * even when two sources share a name (several --set values). */
    int found = -1;
    for (int i = d->n_sources - 1; i >= 0 && found < 0; i--)
        if (d->sources[i].file == at.file)
            found = i;
    for (int i = d->n_sources - 1; i >= 0 && found < 0; i--)
        if (strcmp(d->sources[i].file, at.file) == 0)
            found = i;
    for (int i = found; i >= 0; i = -1) {
        const char *p = d->sources[i].text;
        for (int l = 1; l < at.line; l++) {
            p = strchr(p, '\n');
            if (!p)
                return NULL;
            p++;
        }
        size_t n = strcspn(p, "\r\n");
        *len = n;
        return p;
    }
    return NULL;
}

/* Prints "   12 |   gpus_per_node: 0" and a caret line under column at.col. */
static void excerpt(const struct diag *d, struct src_pos at)
{
    size_t len = 0;
    const char *text = source_line(d, at, &len);
    if (!text || len > 200)
        return;
    fprintf(d->out, "%5d | ", at.line);
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)text[i];
        fputc(c == '\t' ? ' ' : (c < 0x20 || c == 0x7f ? '?' : c), d->out);
    }
    fputs("\n      | ", d->out);
    /* The caret goes under the col-th character; count UTF-8 lead bytes as one column. */
    int col = 1;
    for (size_t i = 0; i < len && col < at.col; i++) {
        unsigned char c = (unsigned char)text[i];
        if ((c & 0xC0) == 0x80)
            continue;
        fputc(' ', d->out);
        col++;
    }
    fputs("^\n", d->out);
}

/* Appends the message as a diag_record. */
static void keep_record(struct diag *d, struct src_pos at, const char *kind, const char *fmt, va_list ap)
{
    va_list aq;
    va_copy(aq, ap);
    const int len = vsnprintf(NULL, 0, fmt, aq);
    va_end(aq);
    char *message = xmalloc((size_t)(len > 0 ? len : 0) + 1);
    vsnprintf(message, (size_t)(len > 0 ? len : 0) + 1, fmt, ap);
    d->records = xrealloc(d->records, (size_t)(d->n_records + 1) * sizeof *d->records);
    d->records[d->n_records++] = (struct diag_record){ kind, at.file ? xstrdup(at.file) : NULL, at.file ? at.line : 0,
                                                       at.file && at.line > 0 ? at.col : 0, message };
}

static void vreport(struct diag *d, struct src_pos at, const char *kind, const char *fmt, va_list ap)
{
    if (d->keep_records) {
        va_list aq;
        va_copy(aq, ap);
        keep_record(d, at, kind, fmt, aq);
        va_end(aq);
    }
    if (!d->out)
        return;
    if (at.file && at.line > 0)
        fprintf(d->out, "%s:%d:%d: %s: ", at.file, at.line, at.col, kind);
    else if (at.file)
        fprintf(d->out, "%s: %s: ", at.file, kind);
    else
        fprintf(d->out, "trainsim: %s: ", kind);
    vfprintf(d->out, fmt, ap);
    fputc('\n', d->out);
    if (strcmp(kind, "note") != 0)
        excerpt(d, at);
}

void diag_error(struct diag *d, struct src_pos at, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vreport(d, at, "error", fmt, ap);
    va_end(ap);
    d->n_errors++;
}

void diag_warning(struct diag *d, struct src_pos at, const char *fmt, ...)
{
    d->n_warnings++;
    /* Kept as text, quiet or not, for the provenance block of machine outputs. */
    char msg[1024];
    int n = 0;
    if (at.file && at.line > 0)
        n = snprintf(msg, sizeof msg, "%s:%d:%d: ", at.file, at.line, at.col);
    else if (at.file)
        n = snprintf(msg, sizeof msg, "%s: ", at.file);
    va_list ap;
    va_start(ap, fmt);
    if (n >= 0 && (size_t)n < sizeof msg)
        vsnprintf(msg + n, sizeof msg - (size_t)n, fmt, ap);
    va_end(ap);
    d->warning_texts = xrealloc(d->warning_texts, (size_t)(d->n_warning_texts + 1) * sizeof *d->warning_texts);
    d->warning_texts[d->n_warning_texts++] = xstrdup(msg);
    if (d->quiet_warnings)
        return;
    va_start(ap, fmt);
    vreport(d, at, "warning", fmt, ap);
    va_end(ap);
}

void diag_note(struct diag *d, struct src_pos at, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vreport(d, at, "note", fmt, ap);
    va_end(ap);
}

void diag_summary(const struct diag *d, const char *file)
{
    if (d->n_errors == 0 || !d->out)
        return;
    fprintf(d->out, "trainsim: %d error%s in %s\n", d->n_errors, d->n_errors == 1 ? "" : "s",
            file ? file : "input");
}
