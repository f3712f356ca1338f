/*
 * plot.c - charts with PLplot: every chart as PNG (pngcairo) and SVG (svgcairo).
 *
 * Each chart is drawn by one draw_* function from plain data; chart_write() runs it once per
 * file format on a fresh PLplot stream writing to a temporary file, which is renamed into
 * place when PLplot has finished, so a chart appears complete or not at all. Only file
 * devices are used: no display is needed. Numbers are shown in a unit chosen for their size
 * (kWh as MWh or GWh, kg as t or kt, USD in millions); user text is escaped for PLplot
 * ('#' is its escape character). This is the only file that includes <plplot.h>; without
 * PLplot (TRAINSIM_HAVE_PLPLOT undefined) every function reports that charts are
 * unavailable.
 *
 * PLplot keeps its state in library globals, so charts are drawn one at a time, from the
 * main thread, never inside the OpenMP sample loop.
 */
#include "output/plot.h"

#include <stdio.h>

#ifndef TRAINSIM_HAVE_PLPLOT

static bool unavailable(void)
{
    fputs("trainsim: error: --plot: this trainsim was built without PLplot (install libplplot-dev and "
          "plplot-driver-cairo, then rebuild)\n",
          stderr);
    return false;
}

bool plot_available(void)
{
    return false;
}

bool plot_check(void)
{
    return unavailable();
}

bool plot_run(const char *dir, const struct report *r)
{
    (void)dir, (void)r;
    return unavailable();
}

bool plot_sweep(const char *dir, const struct sweep_report *r)
{
    (void)dir, (void)r;
    return unavailable();
}

bool plot_compare(const char *dir, const struct compare_report *r)
{
    (void)dir, (void)r;
    return unavailable();
}

bool plot_sensitivity(const char *dir, const struct sensitivity_report *r)
{
    (void)dir, (void)r;
    return unavailable();
}

bool plot_trace(const char *dir, const struct plot_trace *t)
{
    (void)dir, (void)t;
    return unavailable();
}

bool plot_layout(const char *dir, const struct layout_report *r)
{
    (void)dir, (void)r;
    return unavailable();
}

#else

#include <errno.h>
#include <math.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <plplot.h>

#include "output/writer.h"
#include "util/timeutil.h"
#include "util/xalloc.h"

/* Inputs shown in a tornado or Sobol chart (the largest). */
enum { PLOT_MAX_BARS = 12 };
/* A sweep labels each point with its value when it has at most this many. */
enum { PLOT_MAX_VALUE_LABELS = 12 };
/* Characters of user text (titles, input paths) kept before an ellipsis. */
enum { PLOT_MAX_TITLE = 96, PLOT_MAX_LABEL = 44 };

static const double TEXT_SCALE = 0.85;      /* PLplot character height factor for labels */
static const double SMALL_SCALE = 0.7;      /* annotations */
static const double TITLE_SCALE = 1.05;
static const double LEGEND_TEXT_SCALE = 0.8; /* legend(): pllegend's text_scale (of the default height) */
static const double BAND_ALPHA = 0.22;      /* P5-P95 bands and overlaid histograms */
static const double HEADROOM = 1.18;        /* y range above the tallest bar, for labels */
static const double BAR_HEADROOM = 0.2;     /* rows of margin above a tornado or Sobol chart */

/* ---- Colours: cmap0 indices. */

enum { PLOT_N_SERIES = 8 }; /* colours of data series, cycled */
enum colour {
    COL_BG, COL_FG, COL_GRID, COL_MUTED, COL_FILL, COL_EDGE, COL_Q_OUTER, COL_Q_MID, COL_EVENT,
    COL_SERIES,                                      /* PLOT_N_SERIES colours */
    COL_SERIES_ALPHA = COL_SERIES + PLOT_N_SERIES,   /* the same, translucent */
    COL_COUNT = COL_SERIES_ALPHA + PLOT_N_SERIES
};

struct rgb {
    int r, g, b;
};
/* Tableau 10 (the matplotlib default cycle): distinguishable, also in grey. */
static const struct rgb series_rgb[PLOT_N_SERIES] = {
    { 31, 119, 180 }, { 255, 127, 14 }, { 44, 160, 44 }, { 214, 39, 40 },
    { 148, 103, 189 }, { 140, 86, 75 }, { 227, 119, 194 }, { 127, 127, 127 },
};
enum { SER_BLUE, SER_ORANGE, SER_GREEN, SER_RED, SER_PURPLE, SER_BROWN, SER_PINK, SER_GREY };

static void palette(void)
{
    plscmap0n(COL_COUNT);
    plscol0a(COL_BG, 255, 255, 255, 1.0);
    plscol0a(COL_FG, 0, 0, 0, 1.0);
    plscol0a(COL_GRID, 225, 225, 225, 1.0);
    plscol0a(COL_MUTED, 90, 90, 90, 1.0);
    plscol0a(COL_FILL, 158, 202, 225, 1.0);
    plscol0a(COL_EDGE, 49, 130, 189, 1.0);
    plscol0a(COL_Q_OUTER, 230, 85, 13, 1.0);
    plscol0a(COL_Q_MID, 166, 54, 3, 1.0);
    plscol0a(COL_EVENT, 248, 196, 196, 1.0); /* failure lines behind a trace: pale red, opaque */
    for (int i = 0; i < PLOT_N_SERIES; i++) {
        const struct rgb c = series_rgb[i];
        plscol0a(COL_SERIES + i, c.r, c.g, c.b, 1.0);
        plscol0a(COL_SERIES_ALPHA + i, c.r, c.g, c.b, BAND_ALPHA);
    }
}

/* ---- Files: one chart, every format, written through a temporary file. */

static const struct {
    const char *device, *ext;
} formats[] = { { "pngcairo", "png" }, { "svgcairo", "svg" } };

/* PLplot calls this before it exits the process on an internal error. */
static int on_plplot_exit(const char *msg)
{
    fprintf(stderr, "trainsim: error: --plot: PLplot: %s\n", msg);
    return EXIT_FAILURE;
}

static bool has_device(const char *name)
{
    enum { MAX_DEVICES = 128 };
    const char *menu[MAX_DEVICES], *names[MAX_DEVICES];
    const char **pm = menu, **pn = names;
    int n = MAX_DEVICES;
    plgDevs(&pm, &pn, &n);
    for (int i = 0; i < n; i++)
        if (strcmp(names[i], name) == 0)
            return true;
    return false;
}

bool plot_available(void)
{
    for (size_t i = 0; i < sizeof formats / sizeof formats[0]; i++)
        if (!has_device(formats[i].device))
            return false;
    return true;
}

bool plot_check(void)
{
    if (plot_available())
        return true;
    fputs("trainsim: error: --plot: PLplot's cairo devices (pngcairo, svgcairo) are not installed "
          "(install plplot-driver-cairo)\n",
          stderr);
    return false;
}

/* mkdir -p dir. */
static bool make_dir(const char *dir)
{
    char *p = xstrdup(dir);
    bool ok = true;
    for (char *s = p + 1;; s++) {
        if (*s != '/' && *s != '\0')
            continue;
        const char c = *s;
        *s = '\0';
        if (mkdir(p, 0777) != 0 && errno != EEXIST)
            ok = false;
        *s = c;
        if (!ok || c == '\0')
            break;
    }
    struct stat st;
    if (!ok || stat(dir, &st) != 0 || !S_ISDIR(st.st_mode)) {
        fprintf(stderr, "trainsim: error: --plot: cannot create the folder '%s': %s\n", dir,
                strerror(errno ? errno : ENOTDIR));
        ok = false;
    }
    free(p);
    return ok;
}

/* Draws one chart into DIR/name.png and DIR/name.svg. */
static bool chart_write(const char *dir, const char *name, int height, void (*draw)(const void *), const void *ctx)
{
    plsexit(on_plplot_exit);
    for (size_t i = 0; i < sizeof formats / sizeof formats[0]; i++) {
        char path[4096], tmp[4096];
        const int n1 = snprintf(path, sizeof path, "%s/%s.%s", dir, name, formats[i].ext);
        const int n2 = snprintf(tmp, sizeof tmp, "%s/.%s.%s.tmp", dir, name, formats[i].ext);
        if (n1 < 0 || n2 < 0 || (size_t)n2 >= sizeof tmp) {
            fprintf(stderr, "trainsim: error: --plot: the path '%s' is too long\n", dir);
            return false;
        }
        FILE *probe = fopen(tmp, "wb");
        if (!probe) {
            fprintf(stderr, "trainsim: error: --plot: cannot write '%s': %s\n", tmp, strerror(errno));
            return false;
        }
        fclose(probe);
        plsdev(formats[i].device);
        plsfnam(tmp);
        plspage(0, 0, PLOT_WIDTH, height, 0, 0);
        palette();
        plinit();
        pladv(0);
        draw(ctx);
        plend();
        struct stat st;
        if (stat(tmp, &st) != 0 || st.st_size == 0) {
            fprintf(stderr, "trainsim: error: --plot: PLplot wrote nothing to '%s'\n", tmp);
            remove(tmp);
            return false;
        }
        if (rename(tmp, path) != 0) {
            fprintf(stderr, "trainsim: error: --plot: cannot rename '%s' to '%s': %s\n", tmp, path, strerror(errno));
            remove(tmp);
            return false;
        }
    }
    return true;
}

/* ---- Text and numbers */

/* Copies s into buf for PLplot: '#' doubled (PLplot's escape), "CO2" as "CO₂", cut with an
 * ellipsis after max characters (bytes; never inside a UTF-8 sequence). */
static void pl_text(char *buf, size_t size, const char *s, int max)
{
    size_t o = 0;
    int n = 0;
    for (const char *p = s ? s : ""; *p && o + 8 < size; p++) {
        if (n >= max && ((unsigned char)*p & 0xC0) != 0x80) {
            static const char ellipsis[] = "\u2026";
            memcpy(buf + o, ellipsis, sizeof ellipsis - 1);
            o += sizeof ellipsis - 1;
            break;
        }
        if (*p == '#') {
            buf[o++] = '#';
            buf[o++] = '#';
        } else if (strncmp(p, "CO2", 3) == 0) {
            static const char co2[] = "CO\u2082";
            memcpy(buf + o, co2, sizeof co2 - 1);
            o += sizeof co2 - 1;
            p += 2;
        } else {
            buf[o++] = *p;
        }
        n++;
    }
    buf[o] = '\0';
}

/* A number for a chart label: about four significant digits, thousands separated. */
static void fmt_num(double v, char *buf, int size)
{
    writer_human_number(v, buf, size);
}

/* A short number for annotations: three significant digits. */
static void fmt_short(double v, char *buf, int size)
{
    if (fabs(v) >= 1000)
        writer_human_number(v, buf, size);
    else
        snprintf(buf, (size_t)size, "%.3g", v);
}

/* The unit numbers are shown in, chosen from the largest magnitude shown. */
struct unit_scale {
    double factor;   /* shown = value / factor */
    char unit[32];
};

static struct unit_scale scale_for(const char *unit, double max_abs)
{
    static const struct {
        const char *unit;
        double at;
        const char *shown;
    } steps[] = {
        /* largest first within a unit */
        { "kWh", 1e6, "GWh" }, { "kWh", 1e3, "MWh" },
        { "kg", 1e6, "kt" }, { "kg", 1e3, "t" },
        { "USD", 1e9, "billion USD" }, { "USD", 1e6, "million USD" }, { "USD", 1e3, "thousand USD" },
        { "h", 1e6, "million h" }, { "h", 1e3, "thousand h" },
        { "L", 1e6, "million L" }, { "L", 1e3, "thousand L" },
        { "W", 1e6, "MW" }, { "W", 1e3, "kW" },
    };
    struct unit_scale s = { 1.0, "" };
    snprintf(s.unit, sizeof s.unit, "%s", unit ? unit : "");
    for (size_t i = 0; i < sizeof steps / sizeof steps[0]; i++) {
        if (unit && strcmp(unit, steps[i].unit) == 0 && max_abs >= steps[i].at) {
            s.factor = steps[i].at;
            snprintf(s.unit, sizeof s.unit, "%s", steps[i].shown);
            break;
        }
    }
    return s;
}

/* "label (unit)" for an axis, escaped. */
static void axis_label(char *buf, size_t size, const char *label, const char *unit)
{
    char l[160], u[64];
    pl_text(l, sizeof l, label, PLOT_MAX_LABEL);
    pl_text(u, sizeof u, unit, PLOT_MAX_LABEL);
    snprintf(buf, size, u[0] ? "%s (%s)" : "%s", l, u);
}

/* A range that can be drawn: [lo, hi] widened when empty, with a margin of frac. */
static void pad_range(double *lo, double *hi, double frac)
{
    if (!(*hi > *lo)) {
        const double d = fabs(*lo) > 0 ? 0.05 * fabs(*lo) : 1.0;
        *lo -= d;
        *hi += d;
        return;
    }
    const double d = (*hi - *lo) * frac;
    *lo -= d;
    *hi += d;
}

/* ---- Frames, titles, legends */

/* Approximate width of text at the current character height, in world units of an x range
 * of span (PLplot cannot measure text; a DejaVu Sans glyph averages about 0.7 of its height). */
static double text_width(const char *text, double span)
{
    PLFLT def_mm, ht_mm, vx0, vx1, vy0, vy1, px0, px1, py0, py1;
    plgchr(&def_mm, &ht_mm);
    plgvpd(&vx0, &vx1, &vy0, &vy1);
    plgspa(&px0, &px1, &py0, &py1);
    long n = 0;
    for (const char *p = text; *p; p++)
        n += ((unsigned char)*p & 0xC0) != 0x80; /* characters, not UTF-8 bytes */
    const double glyph_mm = 0.72 * ht_mm;
    return (double)n * glyph_mm / ((vx1 - vx0) * (px1 - px0)) * span;
}


/* World window, then a light grid where xopt / yopt hold 'g', then the box drawn with the
 * rest of the options (plbox's: "bcnst" = both edges, numbers, major and minor ticks). */
static void frame(double x0, double x1, double y0, double y1, const char *xopt, const char *yopt)
{
    char xo[32], yo[32];
    size_t nx = 0, ny = 0;
    for (const char *p = xopt; *p && nx + 1 < sizeof xo; p++)
        if (*p != 'g')
            xo[nx++] = *p;
    for (const char *p = yopt; *p && ny + 1 < sizeof yo; p++)
        if (*p != 'g')
            yo[ny++] = *p;
    xo[nx] = yo[ny] = '\0';
    plwind(x0, x1, y0, y1);
    plschr(0, TEXT_SCALE);
    plwidth(1);
    pllsty(1);
    plcol0(COL_GRID);
    plbox(strchr(xopt, 'g') ? "g" : "", 0, 0, strchr(yopt, 'g') ? "g" : "", 0, 0);
    plcol0(COL_FG);
    plbox(xo, 0, 0, yo, 0, 0);
}

/* The character scale (at most 'scale') at which text fits the page width with a margin. */
static double fit_scale(const char *text, double scale)
{
    PLFLT vx0, vx1, vy0, vy1;
    plgvpd(&vx0, &vx1, &vy0, &vy1);
    plschr(0, scale);
    const double w = text_width(text, vx1 - vx0); /* in page fractions, at this viewport */
    const double room = 0.96;
    return w > room ? scale * room / w : scale;
}

/* Title (escaped already) and a subtitle above the viewport; axis labels. */
static void titles(const char *title, const char *subtitle, const char *xlabel, const char *ylabel)
{
    /* centred on the page, not on the viewport (tornado charts leave room for labels) */
    PLFLT vx0, vx1, vy0, vy1;
    plgvpd(&vx0, &vx1, &vy0, &vy1);
    plvpor(0.02, 0.98, vy0, vy1);
    plcol0(COL_FG);
    plschr(0, fit_scale(title, TITLE_SCALE));
    plmtex("t", 3.0, 0.5, 0.5, title);
    plschr(0, fit_scale(subtitle, TEXT_SCALE));
    plcol0(COL_MUTED);
    plmtex("t", 1.2, 0.5, 0.5, subtitle);
    plschr(0, TEXT_SCALE);
    plvpor(vx0, vx1, vy0, vy1);
    plcol0(COL_FG);
    if (xlabel)
        plmtex("b", 3.0, 0.5, 0.5, xlabel);
    if (ylabel)
        plmtex("l", 5.2, 0.5, 0.5, ylabel);
}

enum legend_kind { LEG_LINE, LEG_BOX, LEG_DASH };
struct legend_item {
    enum legend_kind kind;
    int colour;
    const char *text;   /* escaped */
};

/* A legend of n items in one row (or a column when is_column), inside the plot at its top
 * right (or bottom right when is_bottom), on a white background. */
static void legend_at(const struct legend_item *items, int n, bool is_column, bool is_bottom)
{
    enum { MAX_ITEMS = 16 };
    if (n > MAX_ITEMS)
        n = MAX_ITEMS;
    PLINT opt[MAX_ITEMS], text_col[MAX_ITEMS], box_col[MAX_ITEMS], box_pat[MAX_ITEMS], line_col[MAX_ITEMS],
        line_sty[MAX_ITEMS], sym_col[MAX_ITEMS], sym_num[MAX_ITEMS];
    PLFLT box_scale[MAX_ITEMS], box_width[MAX_ITEMS], line_width[MAX_ITEMS], sym_scale[MAX_ITEMS];
    const char *text[MAX_ITEMS], *sym[MAX_ITEMS];
    for (int i = 0; i < n; i++) {
        opt[i] = items[i].kind == LEG_BOX ? PL_LEGEND_COLOR_BOX : PL_LEGEND_LINE;
        text_col[i] = COL_FG;
        text[i] = items[i].text;
        box_col[i] = items[i].colour;
        box_pat[i] = 0;
        box_scale[i] = 0.8;
        box_width[i] = 1;
        line_col[i] = items[i].colour;
        line_sty[i] = items[i].kind == LEG_DASH ? 2 : 1;
        line_width[i] = 2;
        sym_col[i] = items[i].colour;
        sym_num[i] = 0;
        sym_scale[i] = 1;
        sym[i] = "";
    }
    PLFLT w, h;
    plschr(0, SMALL_SCALE + 0.05);
    pllegend(&w, &h, PL_LEGEND_BACKGROUND | PL_LEGEND_BOUNDING_BOX,
             (is_bottom ? PL_POSITION_BOTTOM : PL_POSITION_TOP) | PL_POSITION_RIGHT | PL_POSITION_INSIDE,
             0.01, 0.01, 0.05, COL_BG, COL_GRID, 1, is_column ? n : 1, is_column ? 1 : n, n, opt, 0.6, LEGEND_TEXT_SCALE, 2.0, 0.0,
             text_col, text, box_col, box_pat, box_scale, box_width, line_col, line_sty, line_width, sym_col,
             sym_scale, sym_num, sym);
    plschr(0, TEXT_SCALE);
}

static void legend(const struct legend_item *items, int n, bool is_column)
{
    legend_at(items, n, is_column, false);
}

/* Fills the rectangle [x0, x1] x [y0, y1] in colour fill, outlined in edge (< 0: none). */
static void rect(double x0, double x1, double y0, double y1, int fill, int edge)
{
    const PLFLT x[5] = { x0, x0, x1, x1, x0 }, y[5] = { y0, y1, y1, y0, y0 };
    plcol0(fill);
    plfill(4, x, y);
    if (edge >= 0) {
        plcol0(edge);
        plline(5, x, y);
    }
}

static void vline(double x, double y0, double y1, int colour, int style, double width)
{
    plcol0(colour);
    pllsty(style);
    plwidth(width);
    pljoin(x, y0, x, y1);
    pllsty(1);
    plwidth(1);
}

/* ---- run: a histogram per key metric */

static const char *const key_metrics[] = { "wall_days", "facility_energy_kwh", "total_co2e_kg", "cost_usd" };

struct hist_chart {
    const char *title;      /* escaped */
    const char *subtitle;   /* escaped */
    const char *xlabel;     /* escaped */
    const char *unit;       /* escaped, shown after quantile values */
    double lo, hi;          /* the report's min and max, in shown units */
    const double *count;    /* REPORT_HIST_BINS counts over [lo, hi] (the report's histogram) */
    double q[3];            /* the marked quantiles, in shown units */
    const char *q_head[3];  /* their heads, "P5" ... */
};

static void draw_hist(const void *ctx)
{
    const struct hist_chart *c = ctx;
    double lo = c->lo, hi = c->hi; /* the bars' span */
    double x0 = lo, x1 = hi;        /* the axis */
    const bool is_point = !(hi > lo);
    int n_bins = REPORT_HIST_BINS;
    const double *count = c->count;
    double all = 0;
    if (is_point) { /* one value: one bar, as wide as one of an odd number of bins, in the middle */
        for (int b = 0; b < REPORT_HIST_BINS; b++)
            all += c->count[b];
        pad_range(&x0, &x1, 0);
        const double w = (x1 - x0) / (REPORT_HIST_BINS + 1);
        lo = c->lo - w / 2;
        hi = c->lo + w / 2;
        n_bins = 1;
        count = &all;
    }
    double top = 0;
    for (int b = 0; b < n_bins; b++)
        top = fmax(top, count[b]);
    pad_range(&x0, &x1, 0.04);
    const double y1 = top * HEADROOM;

    plvpor(0.10, 0.96, 0.12, 0.84);
    frame(x0, x1, 0, y1, "bcnstg", "bcnstvg");
    const double w = (hi - lo) / n_bins;
    for (int b = 0; b < n_bins; b++)
        if (count[b] > 0)
            rect(lo + b * w, lo + (b + 1) * w, 0, count[b], COL_FILL, COL_EDGE);

    const double label_y[3] = { 0.965, 0.90, 0.965 };
    const double gap = 0.006 * (x1 - x0);
    for (int k = 0; k < 3; k++) {
        vline(c->q[k], 0, y1, k == 1 ? COL_Q_MID : COL_Q_OUTER, k == 1 ? 1 : 2, k == 1 ? 2.5 : 2);
        char num[64], label[96];
        fmt_num(c->q[k], num, sizeof num);
        snprintf(label, sizeof label, "%s %s %s", c->q_head[k], num, c->unit);
        plschr(0, SMALL_SCALE + 0.05);
        plcol0(k == 1 ? COL_Q_MID : COL_Q_OUTER);
        if (is_point && k != 1)
            continue;
        /* the low quantile's label left of its line, the others right, unless that leaves the plot */
        const double tw = text_width(label, x1 - x0);
        double just = k == 0 ? 1.0 : 0.0;
        if (just > 0.5 && c->q[k] - gap - tw < x0)
            just = 0.0;
        else if (just < 0.5 && c->q[k] + gap + tw > x1)
            just = 1.0;
        plptex(c->q[k] + (just > 0.5 ? -gap : gap), y1 * label_y[k], 1, 0, just, label);
    }
    plschr(0, TEXT_SCALE);
    titles(c->title, c->subtitle, c->xlabel, "samples");
}

bool plot_run(const char *dir, const struct report *r)
{
    if (!make_dir(dir))
        return false;
    if (r->samples <= 0)
        return true;
    bool ok = true;
    char title[512];
    pl_text(title, sizeof title, r->scenario, PLOT_MAX_TITLE);
    /* the report's quantiles nearest P5, P50 and P95 (those three by default) */
    static const double marked[3] = { 0.05, 0.5, 0.95 };
    int qi[3];
    char heads[3][32];
    for (int k = 0; k < 3; k++) {
        qi[k] = writer_nearest_quantile(r, marked[k]);
        writer_quantile_head(r->quantiles[qi[k]], heads[k], sizeof heads[k]);
    }
    for (size_t i = 0; ok && i < sizeof key_metrics / sizeof key_metrics[0]; i++) {
        int m = -1;
        for (int j = 0; j < r->n_metrics; j++)
            if (strcmp(r->metric[j].key, key_metrics[i]) == 0)
                m = j;
        if (m < 0 || r->metric[m].not_modelled) /* nothing measured to draw */
            continue;
        const struct report_metric *rm = &r->metric[m];
        const struct unit_scale sc = scale_for(rm->unit, fmax(fabs(rm->s.min), fabs(rm->s.max)));
        char xlabel[256], subtitle[256], num[32], name[128];
        axis_label(xlabel, sizeof xlabel, rm->label, sc.unit);
        writer_count(r->samples, num, sizeof num);
        if (r->nominal)
            snprintf(subtitle, sizeof subtitle, "nominal run (central values, no random events)");
        else
            snprintf(subtitle, sizeof subtitle, "%s of %s samples, seed %lu; %s, %s and %s marked", rm->label, num,
                     r->seed, heads[0], heads[1], heads[2]);
        char sub[320];
        pl_text(sub, sizeof sub, subtitle, PLOT_MAX_TITLE);
        char unit[64];
        pl_text(unit, sizeof unit, sc.unit, PLOT_MAX_LABEL);
        const struct hist_chart c = { title, sub, xlabel, unit, rm->s.min / sc.factor, rm->s.max / sc.factor,
                                      rm->s.hist,
                                      { rm->s.q[qi[0]] / sc.factor, rm->s.q[qi[1]] / sc.factor,
                                        rm->s.q[qi[2]] / sc.factor },
                                      { heads[0], heads[1], heads[2] } };
        snprintf(name, sizeof name, "run-%s", rm->key);
        ok = chart_write(dir, name, PLOT_HEIGHT, draw_hist, &c);
    }
    return ok;
}

/* ---- sweep: P50 and the P5-P95 band against the first varied value */

enum axis_kind { AXIS_LINEAR, AXIS_LOG, AXIS_DATE, AXIS_CATEGORY };

struct sweep_chart {
    const struct sweep_report *r;
    int metric;               /* report metric index */
    struct unit_scale sc;
    int q_lo, q_mid, q_hi;    /* quantile indices of the band and the line */
    int n_x;                  /* distinct values of the first --vary */
    int stride;               /* points per value of the first --vary (the other --vary's grid) */
    const double *x;          /* n_x positions on the axis */
    const int *order;         /* n_x: x indices in ascending position */
    enum axis_kind axis;
    const char *title, *subtitle, *xlabel, *ylabel; /* escaped */
};

static void draw_sweep(const void *ctx)
{
    const struct sweep_chart *c = ctx;
    const struct sweep_report *r = c->r;
    double ylo = HUGE_VAL, yhi = -HUGE_VAL;
    for (int p = 0; p < r->n_points; p++) {
        const struct metric_stats *s = &r->points[p].metric[c->metric].s;
        ylo = fmin(ylo, s->q[c->q_lo] / c->sc.factor);
        yhi = fmax(yhi, s->q[c->q_hi] / c->sc.factor);
    }
    if (ylo > 0 && ylo < 0.25 * yhi) {
        ylo = 0; /* show the origin when the data come near it, without a margin below */
        yhi *= 1.08;
    } else {
        pad_range(&ylo, &yhi, 0.08);
    }
    double x0 = c->x[c->order[0]], x1 = c->x[c->order[c->n_x - 1]];
    pad_range(&x0, &x1, 0.05);

    plvpor(0.11, 0.96, 0.12, 0.84);
    const bool label_points = c->axis == AXIS_CATEGORY || c->n_x <= PLOT_MAX_VALUE_LABELS;
    const char *xopt = label_points ? "bc" : (c->axis == AXIS_DATE ? "bcnstdg" : (c->axis == AXIS_LOG ? "bcnstlg" : "bcnstg"));
    if (c->axis == AXIS_DATE)
        pltimefmt("%Y-%m-%d");
    frame(x0, x1, ylo, yhi, xopt, "bcnstvg");
    if (label_points) {
        plschr(0, c->n_x > 8 ? SMALL_SCALE : TEXT_SCALE);
        for (int i = 0; i < c->n_x; i++) {
            const double x = c->x[i];
            plcol0(COL_GRID);
            pljoin(x, ylo, x, yhi);
            plcol0(COL_FG);
            pljoin(x, ylo, x, ylo + 0.015 * (yhi - ylo));
            char t[64];
            pl_text(t, sizeof t, r->value_text[(long)i * c->stride * r->n_vary], 16);
            plmtex("b", 1.6, (x - x0) / (x1 - x0), 0.5, t);
        }
        plschr(0, TEXT_SCALE);
    }

    struct legend_item items[PLOT_N_SERIES + 1];
    char texts[PLOT_N_SERIES][160];
    int n_items = 0;
    PLFLT *px = xmalloc((size_t)(2 * c->n_x + 1) * sizeof *px), *py = xmalloc((size_t)(2 * c->n_x + 1) * sizeof *py);
    PLFLT *lx = xmalloc((size_t)c->n_x * sizeof *lx), *ly = xmalloc((size_t)c->n_x * sizeof *ly);
    for (int s = 0; s < c->stride; s++) {
        const int col = s % PLOT_N_SERIES;
        for (int i = 0; i < c->n_x; i++) {
            const int xi = c->order[i];
            const struct metric_stats *st = &r->points[(long)xi * c->stride + s].metric[c->metric].s;
            px[i] = c->x[xi];
            py[i] = st->q[c->q_hi] / c->sc.factor;
            px[2 * c->n_x - 1 - i] = c->x[xi];
            py[2 * c->n_x - 1 - i] = st->q[c->q_lo] / c->sc.factor;
            lx[i] = c->x[xi];
            ly[i] = st->q[c->q_mid] / c->sc.factor;
        }
        if (c->q_lo != c->q_hi) {
            if (c->n_x > 1) {
                plcol0(COL_SERIES_ALPHA + col);
                plfill(2 * c->n_x, px, py);
            }
            /* whiskers at each point, so single points and thin bands stay visible */
            plcol0(COL_SERIES + col);
            for (int i = 0; i < c->n_x; i++)
                pljoin(px[i], py[i], px[i], py[2 * c->n_x - 1 - i]);
        }
        plcol0(COL_SERIES + col);
        plwidth(2.5);
        plline(c->n_x, lx, ly);
        plwidth(1);
        plschr(0, c->n_x > PLOT_MAX_VALUE_LABELS ? 0.55 : 0.9);
        plstring(c->n_x, lx, ly, "\u25cf");
        plschr(0, TEXT_SCALE);
        if (c->stride > 1 && n_items < PLOT_N_SERIES) {
            char raw[160] = "";
            size_t o = 0;
            for (int v = 1; v < r->n_vary && o < sizeof raw; v++)
                o += (size_t)snprintf(raw + o, sizeof raw - o, "%s%s = %s", v > 1 ? ", " : "", r->vary[v],
                                      r->value_text[(long)s * r->n_vary + v]);
            pl_text(texts[n_items], sizeof texts[n_items], raw, 60);
            items[n_items] = (struct legend_item){ LEG_LINE, COL_SERIES + col, texts[n_items] };
            n_items++;
        }
    }
    free(px);
    free(py);
    free(lx);
    free(ly);
    if (n_items)
        legend(items, n_items, true);
    titles(c->title, c->subtitle, c->xlabel, c->ylabel);
}

static int cmp_by_x(const void *a, const void *b, const double *x)
{
    const double u = x[*(const int *)a], v = x[*(const int *)b];
    return (u > v) - (u < v);
}

/* Sorts idx[0..n) by x[idx[i]]: insertion sort, n is small. */
static void order_by(int *idx, int n, const double *x)
{
    for (int i = 0; i < n; i++)
        idx[i] = i;
    for (int i = 1; i < n; i++)
        for (int j = i; j > 0 && cmp_by_x(&idx[j - 1], &idx[j], x) > 0; j--) {
            const int t = idx[j];
            idx[j] = idx[j - 1];
            idx[j - 1] = t;
        }
}

/* True when text is a plain number (not a date or a distribution). */
static bool is_plain_number(const char *text)
{
    char *end;
    strtod(text, &end);
    return end != text && *end == '\0';
}

bool plot_sweep(const char *dir, const struct sweep_report *r)
{
    if (!make_dir(dir))
        return false;
    if (r->n_points == 0 || r->n_vary == 0)
        return true;
    /* Points run with the last --vary fastest: those sharing the first value are adjacent. */
    int stride = 1;
    if (r->n_vary > 1)
        while (stride < r->n_points && strcmp(r->value_text[(long)stride * r->n_vary], r->value_text[0]) == 0)
            stride++;
    const int n_x = r->n_points / stride;
    double *x = xmalloc((size_t)n_x * sizeof *x);
    int *order = xmalloc((size_t)n_x * sizeof *order);
    enum axis_kind axis = AXIS_LINEAR;
    bool all_positive = true;
    for (int i = 0; i < n_x; i++) {
        const long p = (long)i * stride;
        x[i] = r->value_num[p * r->n_vary];
        if (!isfinite(x[i]))
            axis = AXIS_CATEGORY;
        else if (!is_plain_number(r->value_text[p * r->n_vary]) && axis != AXIS_CATEGORY)
            axis = AXIS_DATE;
        all_positive = all_positive && x[i] > 0;
    }
    if (axis == AXIS_CATEGORY) {
        for (int i = 0; i < n_x; i++)
            x[i] = i;
    }
    order_by(order, n_x, x);
    if (axis == AXIS_LINEAR && all_positive && n_x >= 3) {
        /* Geometric values (1024, 2048, 4096, ...) read best on a log axis. */
        const double ratio = x[order[1]] / x[order[0]];
        bool geometric = ratio > 1.5;
        for (int i = 2; geometric && i < n_x; i++)
            geometric = fabs(x[order[i]] / x[order[i - 1]] / ratio - 1) < 0.02;
        if (geometric) {
            axis = AXIS_LOG;
            for (int i = 0; i < n_x; i++)
                x[i] = log10(x[i]);
        }
    }
    const struct report *p0 = &r->points[0];
    char title[512], vary[256], sub[512];
    pl_text(title, sizeof title, p0->scenario, PLOT_MAX_TITLE);
    pl_text(vary, sizeof vary, r->vary[0], PLOT_MAX_LABEL);
    char vary_label[300];
    snprintf(vary_label, sizeof vary_label, axis == AXIS_LOG ? "%s (log scale)" : "%s", vary);
    bool ok = true;
    for (int i = 0; ok && i < r->n_metrics; i++) {
        const int m = r->metrics[i];
        const struct report_metric *rm = &p0->metric[m];
        struct sweep_chart c = { .r = r, .metric = m, .n_x = n_x, .stride = stride, .x = x, .order = order,
                                 .axis = axis, .title = title, .xlabel = vary_label };
        c.q_lo = 0;
        c.q_hi = p0->n_quantiles - 1;
        c.q_mid = writer_nearest_quantile(p0, 0.5);
        double top = 0;
        for (int p = 0; p < r->n_points; p++)
            top = fmax(top, fabs(r->points[p].metric[m].s.q[c.q_hi]));
        c.sc = scale_for(rm->unit, top);
        char ylabel[256], raw[512], klo[16], kmid[16], khi[16], num[32];
        axis_label(ylabel, sizeof ylabel, rm->label, c.sc.unit);
        c.ylabel = ylabel;
        writer_quantile_head(p0->quantiles[c.q_lo], klo, sizeof klo);
        writer_quantile_head(p0->quantiles[c.q_mid], kmid, sizeof kmid);
        writer_quantile_head(p0->quantiles[c.q_hi], khi, sizeof khi);
        writer_count(p0->samples, num, sizeof num);
        if (c.q_lo == c.q_hi)
            snprintf(raw, sizeof raw, "%s: %s against %s, %s samples per point", rm->label, kmid, r->vary[0], num);
        else
            snprintf(raw, sizeof raw, "%s: %s (line) and %s\u2013%s (band) against %s, %s samples per point",
                     rm->label, kmid, klo, khi, r->vary[0], num);
        pl_text(sub, sizeof sub, raw, PLOT_MAX_TITLE + 20);
        c.subtitle = sub;
        char name[128];
        snprintf(name, sizeof name, "sweep-%s", rm->key);
        ok = chart_write(dir, name, PLOT_HEIGHT, draw_sweep, &c);
    }
    free(x);
    free(order);
    return ok;
}

/* ---- compare: overlaid histograms */

struct compare_chart {
    const struct compare_report *r;
    int metric;
    const struct compare_hist *h; /* the metric's shared bins and medians */
    double factor;                /* shown units: value / factor */
    const char *title, *subtitle, *xlabel, *unit; /* escaped */
};

static void draw_compare(const void *ctx)
{
    const struct compare_chart *c = ctx;
    const struct compare_hist *h = c->h;
    const int ns = c->r->n_scenarios;
    const double f = c->factor;
    double lo = h->lo / f, hi = h->hi / f;
    if (!(hi > lo))
        pad_range(&lo, &hi, 0);
    const int n_bins = h->n_bins;
    const double w = (hi - lo) / n_bins;
    double top = 0;
    for (int k = 0; k < ns; k++) {
        const struct metric_stats *s = &c->r->scenarios[k].metric[c->metric].s;
        /* A scenario whose samples are all equal is a line, not a bar: it sets no height. */
        if (s->max / f > s->min / f)
            for (int b = 0; b < n_bins; b++)
                top = fmax(top, 100.0 * h->count[k * n_bins + b] / (double)h->n);
    }
    if (top <= 0)
        top = 100;
    double x0 = lo, x1 = hi;
    pad_range(&x0, &x1, 0.04);
    const double y1 = top * (HEADROOM + 0.09 * (ns < 8 ? ns : 8)); /* room for the legend */
    plvpor(0.10, 0.96, 0.12, 0.84);
    frame(x0, x1, 0, y1, "bcnstg", "bcnstvg");

    enum { MAX_LEGEND = 8 };
    struct legend_item items[MAX_LEGEND];
    char texts[MAX_LEGEND][320];
    PLFLT *px = xmalloc((size_t)(2 * n_bins + 2) * sizeof *px), *py = xmalloc((size_t)(2 * n_bins + 2) * sizeof *py);
    for (int k = 0; k < ns; k++) {
        const int col = k % PLOT_N_SERIES;
        const struct metric_stats *s = &c->r->scenarios[k].metric[c->metric].s;
        const bool is_point = !(s->max / f > s->min / f);
        const double median = h->median[k] / f;
        if (is_point) {
            vline(s->min / f, 0, y1, COL_SERIES + col, 1, 3);
        } else {
            /* The histogram as a closed step outline over its non-empty span, filled translucent. */
            const double *cnt = &h->count[k * n_bins];
            int b0 = 0, b1 = n_bins - 1;
            while (cnt[b0] == 0)
                b0++;
            while (cnt[b1] == 0)
                b1--;
            int m = 0;
            px[m] = lo + b0 * w;
            py[m++] = 0;
            for (int b = b0; b <= b1; b++) {
                const double y = 100.0 * cnt[b] / (double)h->n;
                px[m] = lo + b * w;
                py[m++] = y;
                px[m] = lo + (b + 1) * w;
                py[m++] = y;
            }
            px[m] = lo + (b1 + 1) * w;
            py[m++] = 0;
            plcol0(COL_SERIES_ALPHA + col);
            plfill(m, px, py);
            plcol0(COL_SERIES + col);
            plwidth(2);
            plline(m, px, py);
            plwidth(1);
            vline(median, 0, y1, COL_SERIES + col, 2, 2);
        }
        if (k < MAX_LEGEND) {
            char name[200], num[64];
            fmt_num(median, num, sizeof num);
            /* the name shortened until the entry fits the plot */
            plschr(0, LEGEND_TEXT_SCALE);
            for (int max = 64; max > 8; max -= 2) {
                pl_text(name, sizeof name, c->r->scenarios[k].scenario, max);
                snprintf(texts[k], sizeof texts[k], "[%d] %s %s %s: %s", k + 1, is_point ? "every sample" : "median",
                         num, c->unit, name);
                if (text_width(texts[k], 1.0) < 0.82)
                    break;
            }
            plschr(0, TEXT_SCALE);
            items[k] = (struct legend_item){ is_point ? LEG_LINE : LEG_BOX, COL_SERIES + col, texts[k] };
        }
    }
    free(px);
    free(py);
    legend(items, ns < MAX_LEGEND ? ns : MAX_LEGEND, true);
    titles(c->title, c->subtitle, c->xlabel, "share of samples (%)");
}

bool plot_compare(const char *dir, const struct compare_report *r)
{
    if (!make_dir(dir))
        return false;
    if (!r->hist || r->n_scenarios == 0)
        return true;
    const int ns = r->n_scenarios;
    bool ok = true;
    const struct report *a = &r->scenarios[0];
    for (int i = 0; ok && i < r->n_metrics; i++) {
        const int m = r->metrics[i];
        const struct compare_hist *h = &r->hist[i];
        if (h->n <= 0)
            continue;
        const struct report_metric *rm = &a->metric[m];
        double top = 0;
        for (int k = 0; k < ns; k++)
            top = fmax(top, fmax(fabs(r->scenarios[k].metric[m].s.min), fabs(r->scenarios[k].metric[m].s.max)));
        const struct unit_scale sc = scale_for(rm->unit, top);
        char title[256], raw[256], sub[320], xlabel[256], num[32], name[128];
        snprintf(raw, sizeof raw, "%s: %d scenarios compared", rm->label, ns);
        pl_text(title, sizeof title, raw, PLOT_MAX_TITLE);
        writer_count(h->n, num, sizeof num);
        snprintf(raw, sizeof raw, "%s paired samples each, seed %lu; medians dashed", num, a->seed);
        pl_text(sub, sizeof sub, raw, PLOT_MAX_TITLE);
        axis_label(xlabel, sizeof xlabel, rm->label, sc.unit);
        char unit[64];
        pl_text(unit, sizeof unit, sc.unit, PLOT_MAX_LABEL);
        const struct compare_chart c = { r, m, h, sc.factor, title, sub, xlabel, unit };
        snprintf(name, sizeof name, "compare-%s", rm->key);
        ok = chart_write(dir, name, PLOT_HEIGHT, draw_compare, &c);
    }
    return ok;
}

/* ---- sensitivity: tornado and Sobol bars */

struct sens_chart {
    const struct sensitivity_report *r;
    int metric_i;             /* index into r->metrics */
    const int *order;         /* inputs shown, most important first */
    int n_shown;
    struct unit_scale sc;
    const char *title, *subtitle, *xlabel; /* escaped */
    bool with_elasticity;     /* the labels carry each input's elasticity */
};

/* Input labels left of the viewport, one per bar row (row 0 at the top). */
static void bar_labels(const struct sens_chart *c)
{
    plschr(0, SMALL_SCALE + 0.05);
    plcol0(COL_FG);
    for (int i = 0; i < c->n_shown; i++) {
        char t[128], raw[160];
        const double el = c->r->entries[c->metric_i * c->r->n_inputs + c->order[i]].elasticity;
        if (c->with_elasticity && !isnan(el))
            snprintf(raw, sizeof raw, "%s (e %.2f)", c->r->inputs[c->order[i]], el);
        else
            snprintf(raw, sizeof raw, "%s", c->r->inputs[c->order[i]]);
        pl_text(t, sizeof t, raw, PLOT_MAX_LABEL);
        plmtex("lv", 0.8, (c->n_shown - i - 0.5) / (c->n_shown + BAR_HEADROOM), 1.0, t);
    }
    plschr(0, TEXT_SCALE);
}

/* The two ends of input j's tornado bar: the means at its P5 and P95 when it is uncertain,
 * at x 0.9 and x 1.1 (the elasticity runs) when it is fixed; and the input's values there. */
static void tornado_ends(const struct sensitivity_report *r, int mi, int j, double *lo, double *hi, double *x_lo,
                         double *x_hi)
{
    const struct sensitivity_entry *e = &r->entries[mi * r->n_inputs + j];
    const bool unc = j < r->n_uncertain;
    *lo = unc ? e->tornado_low : e->at_minus;
    *hi = unc ? e->tornado_high : e->at_plus;
    *x_lo = unc ? r->input_p5[j] : r->input_central[j] * (1 - r->elasticity_step);
    *x_hi = unc ? r->input_p95[j] : r->input_central[j] * (1 + r->elasticity_step);
}

static void draw_tornado(const void *ctx)
{
    const struct sens_chart *c = ctx;
    const struct sensitivity_report *r = c->r;
    const int mi = c->metric_i;
    const double base = r->base->metric[r->metrics[mi]].s.mean / c->sc.factor;
    double lo = base, hi = base;
    for (int i = 0; i < c->n_shown; i++) {
        double a, b, xa, xb;
        tornado_ends(r, mi, c->order[i], &a, &b, &xa, &xb);
        lo = fmin(lo, fmin(a, b) / c->sc.factor);
        hi = fmax(hi, fmax(a, b) / c->sc.factor);
    }
    pad_range(&lo, &hi, 0.12);
    plvpor(0.36, 0.96, 0.12, 0.84);
    frame(lo, hi, 0, c->n_shown + BAR_HEADROOM, "bcnstg", "bc");
    const double half = 0.34;
    for (int i = 0; i < c->n_shown; i++) {
        const int j = c->order[i];
        const double y = c->n_shown - i - 0.5;
        double at_lo, at_hi, x_lo, x_hi;
        tornado_ends(r, mi, j, &at_lo, &at_hi, &x_lo, &x_hi);
        at_lo /= c->sc.factor;
        at_hi /= c->sc.factor;
        const bool unc = j < r->n_uncertain;
        rect(fmin(base, at_lo), fmax(base, at_lo), y - half, y + half, COL_SERIES + (unc ? SER_BLUE : SER_GREEN), -1);
        rect(fmin(base, at_hi), fmax(base, at_hi), y - half, y + half, COL_SERIES + (unc ? SER_ORANGE : SER_PURPLE), -1);
        /* the input's values at the bar ends */
        char t[64];
        const double gap = 0.006 * (hi - lo);
        plschr(0, SMALL_SCALE - 0.05);
        plcol0(COL_MUTED);
        fmt_short(x_lo, t, sizeof t);
        plptex(at_lo + (at_lo <= at_hi ? -gap : gap), y - 0.15, 1, 0, at_lo <= at_hi ? 1.0 : 0.0, t);
        fmt_short(x_hi, t, sizeof t);
        plptex(at_hi + (at_hi >= at_lo ? gap : -gap), y - 0.15, 1, 0, at_hi >= at_lo ? 0.0 : 1.0, t);
        plschr(0, TEXT_SCALE);
    }
    vline(base, 0, c->n_shown + BAR_HEADROOM, COL_FG, 1, 1.5);
    bar_labels(c);
    const struct legend_item items[4] = { { LEG_BOX, COL_SERIES + SER_BLUE, "input at its P5" },
                                          { LEG_BOX, COL_SERIES + SER_ORANGE, "input at its P95" },
                                          { LEG_BOX, COL_SERIES + SER_GREEN, "fixed input x 0.9" },
                                          { LEG_BOX, COL_SERIES + SER_PURPLE, "fixed input x 1.1" } };
    const int first = r->n_uncertain > 0 ? 0 : 2, last = r->n_uncertain < r->n_inputs ? 4 : 2;
    legend_at(items + first, last - first, true, true);
    titles(c->title, c->subtitle, c->xlabel, NULL);
}

static void draw_sobol(const void *ctx)
{
    const struct sens_chart *c = ctx;
    const struct sensitivity_report *r = c->r;
    const int k = r->n_inputs, mi = c->metric_i;
    double lo = 0, hi = 1;
    for (int i = 0; i < c->n_shown; i++) {
        const struct sensitivity_entry *e = &r->entries[mi * k + c->order[i]];
        lo = fmin(lo, fmin(e->sobol_first_lo, e->sobol_total_lo));
        hi = fmax(hi, fmax(e->sobol_first_hi, e->sobol_total_hi));
    }
    pad_range(&lo, &hi, 0.03);
    plvpor(0.36, 0.96, 0.12, 0.84);
    frame(lo, hi, 0, c->n_shown + BAR_HEADROOM, "bcnstg", "bc");
    const double h = 0.34;
    for (int i = 0; i < c->n_shown; i++) {
        const struct sensitivity_entry *e = &r->entries[mi * k + c->order[i]];
        const double y = c->n_shown - i - 0.5;
        const double v[2] = { e->sobol_first, e->sobol_total };
        const double vlo[2] = { e->sobol_first_lo, e->sobol_total_lo }, vhi[2] = { e->sobol_first_hi, e->sobol_total_hi };
        for (int s = 0; s < 2; s++) {
            const double yc = s == 0 ? y + h / 2 : y - h / 2;
            rect(fmin(0, v[s]), fmax(0, v[s]), yc - h / 2, yc + h / 2, COL_SERIES + (s ? SER_ORANGE : SER_BLUE), -1);
            plcol0(COL_FG);
            plwidth(1.5);
            pljoin(vlo[s], yc, vhi[s], yc);
            pljoin(vlo[s], yc - h / 4, vlo[s], yc + h / 4);
            pljoin(vhi[s], yc - h / 4, vhi[s], yc + h / 4);
            plwidth(1);
        }
    }
    vline(0, 0, c->n_shown + BAR_HEADROOM, COL_FG, 1, 1);
    bar_labels(c);
    const struct legend_item items[3] = { { LEG_BOX, COL_SERIES + SER_BLUE, "first-order" },
                                          { LEG_BOX, COL_SERIES + SER_ORANGE, "total" },
                                          { LEG_LINE, COL_FG, "95 % bootstrap interval" } };
    legend_at(items, 3, true, true);
    titles(c->title, c->subtitle, c->xlabel, NULL);
}

/* Shown inputs of metric mi, most important first: by swing (tornado: every input) or total
 * index (Sobol: the uncertain inputs only). */
static int rank_inputs(const struct sensitivity_report *r, int mi, bool by_swing, int *order)
{
    const int k = by_swing ? r->n_inputs : r->n_uncertain;
    double *key = xmalloc((size_t)(k ? k : 1) * sizeof *key);
    for (int j = 0; j < k; j++) {
        const struct sensitivity_entry *e = &r->entries[mi * r->n_inputs + j];
        double a, b, xa, xb;
        tornado_ends(r, mi, j, &a, &b, &xa, &xb);
        const double swing = fabs(b - a);
        key[j] = -(by_swing ? (isnan(swing) ? 0 : swing) : e->sobol_total);
    }
    order_by(order, k, key);
    free(key);
    return k < PLOT_MAX_BARS ? k : PLOT_MAX_BARS;
}

bool plot_sensitivity(const char *dir, const struct sensitivity_report *r)
{
    if (!make_dir(dir))
        return false;
    if (r->n_inputs == 0)
        return true; /* nothing to rank (the command warns) */
    int *order = xmalloc((size_t)r->n_inputs * sizeof *order);
    char title[512];
    pl_text(title, sizeof title, r->scenario, PLOT_MAX_TITLE);
    bool ok = true;
    for (int i = 0; ok && i < r->n_metrics; i++) {
        const struct report_metric *rm = &r->base->metric[r->metrics[i]];
        char raw[512], sub[600], xlabel[256], num[32], name[128], label[160];
        /* tornado */
        struct sens_chart c = { .r = r, .metric_i = i, .order = order, .title = title };
        c.n_shown = rank_inputs(r, i, true, order);
        double top = fabs(rm->s.mean);
        for (int j = 0; j < r->n_inputs; j++) {
            double a, b, xa, xb;
            tornado_ends(r, i, j, &a, &b, &xa, &xb);
            top = fmax(top, fmax(fabs(a), fabs(b)));
        }
        c.sc = scale_for(rm->unit, top);
        c.with_elasticity = true;
        writer_count(r->samples, num, sizeof num);
        snprintf(raw, sizeof raw, "tornado (%s sample%s): uncertain inputs at P5/P95, fixed x0.9/x1.1; e = elasticity",
                 num, r->samples == 1 ? "" : "s");
        pl_text(sub, sizeof sub, raw, PLOT_MAX_TITLE + 20);
        snprintf(label, sizeof label, "mean %s", rm->label);
        axis_label(xlabel, sizeof xlabel, label, c.sc.unit);
        c.subtitle = sub;
        c.xlabel = xlabel;
        snprintf(name, sizeof name, "tornado-%s", rm->key);
        ok = chart_write(dir, name, PLOT_HEIGHT, draw_tornado, &c);
        if (!ok)
            break;
        /* Sobol */
        if (r->n_uncertain == 0)
            continue;
        c.with_elasticity = false;
        c.n_shown = rank_inputs(r, i, false, order);
        writer_count(r->sobol_samples, num, sizeof num);
        snprintf(raw, sizeof raw, "Sobol indices of %s: share of its variance (Saltelli design, N = %s)", rm->label,
                 num);
        pl_text(sub, sizeof sub, raw, PLOT_MAX_TITLE + 20);
        c.subtitle = sub;
        c.xlabel = "Sobol index (share of variance)";
        snprintf(name, sizeof name, "sobol-%s", rm->key);
        ok = chart_write(dir, name, PLOT_HEIGHT, draw_sobol, &c);
    }
    free(order);
    return ok;
}

/* ---- trace: one sample's timeline */

/* The trace is drawn in at most this many time buckets: power is the average over a
 * bucket (energy / time), PUE and grid intensity its mean with a min-max band. */
enum { PLOT_TRACE_BUCKETS = 600 };

struct trace_bucket {
    double t, t_end;               /* mid and end time, x units */
    double it_w, facility_w;       /* average power */
    double pue, pue_lo, pue_hi;
    double ci, ci_lo, ci_hi;
    double progress_pct;           /* at the end */
    bool has_checkpoint;
};

struct trace_chart {
    const struct plot_trace *t;
    double x_scale;           /* hours per x unit: 24 (days) or 1 (hours) */
    const struct trace_bucket *b;
    int n_b;
    const char *title, *subtitle, *xlabel; /* escaped */
};

/* Buckets of equal time; returns how many hold at least one point. */
static int trace_buckets(const struct plot_trace *t, double x_scale, struct trace_bucket *out)
{
    const double end = t->t_h[t->n - 1];
    const int n_b = t->n < PLOT_TRACE_BUCKETS ? (int)t->n : PLOT_TRACE_BUCKETS;
    int m = 0;
    long i = 0, ck = 0;
    double t0 = 0, it0 = 0, fac0 = 0;
    for (int b = 0; b < n_b && i < t->n; b++) {
        const double edge = b + 1 == n_b ? end : end * (b + 1) / n_b;
        struct trace_bucket k = { .pue_lo = HUGE_VAL, .pue_hi = -HUGE_VAL, .ci_lo = HUGE_VAL, .ci_hi = -HUGE_VAL };
        long n_in = 0;
        for (; i < t->n && t->t_h[i] <= edge; i++, n_in++) {
            k.pue += t->pue[i];
            k.ci += t->ci_kg_per_kwh[i];
            k.pue_lo = fmin(k.pue_lo, t->pue[i]);
            k.pue_hi = fmax(k.pue_hi, t->pue[i]);
            k.ci_lo = fmin(k.ci_lo, t->ci_kg_per_kwh[i]);
            k.ci_hi = fmax(k.ci_hi, t->ci_kg_per_kwh[i]);
        }
        if (n_in == 0)
            continue;
        const double t1 = t->t_h[i - 1], dt = t1 - t0;
        if (!(dt > 0))
            continue;
        const double w_per_kwh_h = 1000.0; /* kWh per hour -> W */
        k.it_w = (t->it_energy_kwh[i - 1] - it0) / dt * w_per_kwh_h;
        k.facility_w = (t->facility_energy_kwh[i - 1] - fac0) / dt * w_per_kwh_h;
        k.pue /= (double)n_in;
        k.ci /= (double)n_in;
        k.t = 0.5 * (t0 + t1) / x_scale;
        k.t_end = t1 / x_scale;
        k.progress_pct = 100.0 * t->progress_frac[i - 1];
        for (; ck < t->n_checkpoints && t->checkpoint_t_h[ck] <= t1; ck++)
            k.has_checkpoint = true;
        out[m++] = k;
        t0 = t1;
        it0 = t->it_energy_kwh[i - 1];
        fac0 = t->facility_energy_kwh[i - 1];
    }
    return m;
}

/* Viewport of panel p of n (0 at the top), world window [0, x1] x [y0, y1] padded, grid
 * and axes (time labels on the bottom panel only), the y label, and the failure lines when
 * has_failures (power and progress: PUE and grid intensity do not depend on them). */
static void trace_panel(const struct trace_chart *c, int p, int n, double y0, double y1, const char *ylabel,
                        bool has_failures)
{
    const double top = 0.86, bottom = 0.12, gap = 0.02;
    const double h = (top - bottom - gap * (n - 1)) / n;
    const double vy1 = top - p * (h + gap);
    plvpor(0.11, 0.96, vy1 - h, vy1);
    const struct plot_trace *t = c->t;
    const double x1 = t->t_h[t->n - 1] / c->x_scale;
    pad_range(&y0, &y1, 0.1);
    plwind(0, x1, y0, y1);
    plcol0(COL_EVENT);
    for (long i = 0; has_failures && i < t->n_failures; i++)
        pljoin(t->failure_t_h[i] / c->x_scale, y0, t->failure_t_h[i] / c->x_scale, y1);
    frame(0, x1, y0, y1, p == n - 1 ? "bcnstg" : "bcstg", "bcnstvg");
    plschr(0, SMALL_SCALE + 0.05);
    plmtex("l", 5.4, 0.5, 0.5, ylabel);
    plschr(0, TEXT_SCALE);
}

/* Panel p of a bucketed quantity, its y range that of the min-max band: the band (when it
 * has width) and the mean line. */
static void trace_band(const struct trace_chart *c, int p, const char *ylabel, size_t off_mean, size_t off_lo,
                       size_t off_hi, int colour)
{
    PLFLT *x = xmalloc((size_t)(2 * c->n_b) * sizeof *x), *y = xmalloc((size_t)(2 * c->n_b) * sizeof *y);
    bool has_width = false;
    double y0 = HUGE_VAL, y1 = -HUGE_VAL;
    for (int i = 0; i < c->n_b; i++) {
        const char *b = (const char *)&c->b[i];
        const double lo = *(const double *)(b + off_lo), hi = *(const double *)(b + off_hi);
        x[i] = c->b[i].t;
        y[i] = hi;
        x[2 * c->n_b - 1 - i] = c->b[i].t;
        y[2 * c->n_b - 1 - i] = lo;
        has_width = has_width || hi > lo;
        y0 = fmin(y0, lo);
        y1 = fmax(y1, hi);
    }
    trace_panel(c, p, 4, y0, y1, ylabel, false);
    if (has_width && c->n_b > 1) {
        plcol0(COL_SERIES_ALPHA + colour);
        plfill(2 * c->n_b, x, y);
    }
    for (int i = 0; i < c->n_b; i++)
        y[i] = *(const double *)((const char *)&c->b[i] + off_mean);
    plcol0(COL_SERIES + colour);
    plwidth(1.5);
    plline(c->n_b, x, y);
    plwidth(1);
    free(x);
    free(y);
}

/* Progress at time t_h (the last point at or before it), percent. */
static double progress_at(const struct plot_trace *t, double t_h)
{
    long a = 0, b = t->n - 1;
    while (a < b) {
        const long mid = (a + b + 1) / 2;
        if (t->t_h[mid] <= t_h)
            a = mid;
        else
            b = mid - 1;
    }
    return 100.0 * t->progress_frac[a];
}

/* A glyph on the progress line at each of n event times, lifted by dy percent. */
static void progress_marks(const struct trace_chart *c, const double *t_h, long n, const char *glyph, int colour,
                           double size, double dy)
{
    if (n == 0)
        return;
    PLFLT *x = xmalloc((size_t)n * sizeof *x), *y = xmalloc((size_t)n * sizeof *y);
    for (long i = 0; i < n; i++) {
        x[i] = t_h[i] / c->x_scale;
        y[i] = progress_at(c->t, t_h[i]) + dy;
    }
    plcol0(colour);
    plschr(0, size);
    plstring((PLINT)n, x, y, glyph);
    plschr(0, TEXT_SCALE);
    free(x);
    free(y);
}

static void draw_trace(const void *ctx)
{
    const struct trace_chart *c = ctx;
    const struct plot_trace *t = c->t;
    /* 1. average power */
    double top = 0;
    for (int i = 0; i < c->n_b; i++)
        top = fmax(top, c->b[i].facility_w);
    const struct unit_scale sc = scale_for("W", top);
    char label[64];
    snprintf(label, sizeof label, "power (%s)", sc.unit);
    trace_panel(c, 0, 4, 0, 1.3 * top / sc.factor, label, true); /* headroom for the legend */
    PLFLT *x = xmalloc((size_t)c->n_b * sizeof *x), *y = xmalloc((size_t)c->n_b * sizeof *y);
    for (int s = 0; s < 2; s++) {
        for (int i = 0; i < c->n_b; i++) {
            x[i] = c->b[i].t;
            y[i] = (s ? c->b[i].it_w : c->b[i].facility_w) / sc.factor;
        }
        plcol0(COL_SERIES + (s ? SER_ORANGE : SER_BLUE));
        plwidth(1.5);
        plline(c->n_b, x, y);
        plwidth(1);
    }
    free(x);
    free(y);
    const struct legend_item items[2] = { { LEG_LINE, COL_SERIES + SER_BLUE, "facility (IT \u00d7 PUE)" },
                                          { LEG_LINE, COL_SERIES + SER_ORANGE, "IT" } };
    legend(items, 2, false);
    titles(c->title, c->subtitle, NULL, NULL);
    /* 2. PUE, 3. grid intensity */
    trace_band(c, 1, "PUE", offsetof(struct trace_bucket, pue), offsetof(struct trace_bucket, pue_lo),
               offsetof(struct trace_bucket, pue_hi), SER_GREEN);
    trace_band(c, 2, "grid (kg CO\u2082e/kWh)", offsetof(struct trace_bucket, ci), offsetof(struct trace_bucket, ci_lo),
               offsetof(struct trace_bucket, ci_hi), SER_BROWN);
    /* 4. progress with the events; checkpoints as a rug, one tick per bucket that has any
     * (there may be thousands) */
    trace_panel(c, 3, 4, 0, 100, "progress (%)", true);
    plcol0(COL_MUTED);
    for (int i = 0; i < c->n_b; i++)
        if (c->b[i].has_checkpoint)
            pljoin(c->b[i].t, -9, c->b[i].t, -5);
    x = xmalloc((size_t)(c->n_b + 1) * sizeof *x);
    y = xmalloc((size_t)(c->n_b + 1) * sizeof *y);
    x[0] = 0;
    y[0] = 0;
    for (int i = 0; i < c->n_b; i++) {
        x[i + 1] = c->b[i].t_end;
        y[i + 1] = c->b[i].progress_pct;
    }
    plcol0(COL_SERIES + SER_PURPLE);
    plwidth(2);
    plline(c->n_b + 1, x, y);
    plwidth(1);
    free(x);
    free(y);
    progress_marks(c, t->maintenance_t_h, t->n_maintenances, "\u25c6", COL_SERIES + SER_GREY, 0.55, 0);
    progress_marks(c, t->restart_t_h, t->n_restarts, "\u25b2", COL_SERIES + SER_GREEN, 0.55, -6);
    progress_marks(c, t->failure_t_h, t->n_failures, "\u2716", COL_SERIES + SER_RED, 0.7, 6);
    plcol0(COL_FG);
    plmtex("b", 2.8, 0.5, 0.5, c->xlabel);
    char key[512], nc[32];
    writer_count(t->n_checkpoints, nc, sizeof nc);
    snprintf(key, sizeof key, "\u2716 %ld failures (pale red lines)    \u25b2 %ld restarts done    "
                              "\u25c6 %ld maintenances    | %s checkpoints (grey ticks)", t->n_failures, t->n_restarts,
             t->n_maintenances, nc);
    PLFLT vx0, vx1, vy0, vy1;
    plgvpd(&vx0, &vx1, &vy0, &vy1);
    plvpor(0.02, 0.98, vy0, vy1); /* centred on the page */
    const double key_scale = fit_scale(key, SMALL_SCALE);
    plschr(0, key_scale);
    plcol0(COL_MUTED);
    plmtex("b", 5.0 * SMALL_SCALE / key_scale, 0.5, 0.5, key); /* the same distance at any size */
    plschr(0, TEXT_SCALE);
}

bool plot_trace(const char *dir, const struct plot_trace *t)
{
    if (!make_dir(dir))
        return false;
    if (t->n == 0)
        return true;
    char title[512], raw[512], sub[600], start[32], xlabel[160], days[32], power[64];
    pl_text(title, sizeof title, t->scenario, PLOT_MAX_TITLE);
    const double end_h = t->t_h[t->n - 1];
    const bool in_days = end_h > 72;
    const double x_scale = in_days ? 24.0 : 1.0;
    struct trace_bucket *b = xmalloc(PLOT_TRACE_BUCKETS * sizeof *b);
    const int n_b = trace_buckets(t, x_scale, b);
    fmt_num(end_h / 24.0, days, sizeof days);
    const double bucket_min = end_h / (t->n < PLOT_TRACE_BUCKETS ? (double)t->n : PLOT_TRACE_BUCKETS) * 60;
    if (bucket_min >= 90)
        snprintf(power, sizeof power, "%.1f h", bucket_min / 60);
    else
        snprintf(power, sizeof power, "%.3g min", bucket_min);
    if (t->is_nominal)
        snprintf(raw, sizeof raw, "nominal run (central values, no random events): %s days; power averaged over %s",
                 days, power);
    else
        snprintf(raw, sizeof raw, "sample %ld of seed %lu: %s days; power averaged over %s", t->sample, t->seed,
                 days, power);
    pl_text(sub, sizeof sub, raw, PLOT_MAX_TITLE + 20);
    time_format_iso8601(t->start_unix_s, start, sizeof start); /* YYYY-MM-DDTHH:MM:SSZ */
    start[10] = ' ';
    start[16] = '\0';
    snprintf(xlabel, sizeof xlabel, "%s since the start (%s UTC)", in_days ? "days" : "hours", start);
    const struct trace_chart c = { t, x_scale, b, n_b, title, sub, xlabel };
    const bool ok = n_b == 0 || chart_write(dir, "trace", PLOT_TRACE_HEIGHT, draw_trace, &c);
    free(b);
    return ok;
}

/* ---- layout: step-time breakdown of the fastest layouts */

enum { LAYOUT_N_TERMS = 8 };

struct layout_chart {
    const struct layout_report *r;
    int n_shown;
    const char *title, *subtitle;
};

/* The terms of row w, in the order they are stacked. */
static void layout_terms(const struct layout_row *w, double *v)
{
    const double t[LAYOUT_N_TERMS] = { w->compute_s, w->bubble_s, w->tp_s, w->pp_s,
                                       w->dp_s, w->ep_s, w->cp_s, w->optimizer_s };
    memcpy(v, t, sizeof t);
}

static void draw_layout(const void *ctx)
{
    const struct layout_chart *c = ctx;
    static const char *const names[LAYOUT_N_TERMS] = { "compute", "pipeline bubble", "TP/SP comm.", "PP p2p",
                                                        "DP comm. (exposed)", "EP all-to-all", "CP exchange",
                                                        "optimizer" };
    static const int colours[LAYOUT_N_TERMS] = { SER_BLUE, SER_ORANGE, SER_GREEN, SER_RED,
                                                  SER_PURPLE, SER_BROWN, SER_PINK, SER_GREY };
    double hi = 0;
    for (int i = 0; i < c->n_shown; i++)
        hi = fmax(hi, c->r->rows[i].step_s);
    const double top = c->n_shown + BAR_HEADROOM;
    plvpor(0.27, 0.96, 0.12, 0.84);
    frame(0, hi * 1.8, 0, top, "bcnstg", "bc"); /* room on the right for the legend */
    const double half = 0.34;
    for (int i = 0; i < c->n_shown; i++) {
        const struct layout_row *w = &c->r->rows[i];
        const double y = c->n_shown - i - 0.5;
        double v[LAYOUT_N_TERMS], x = 0;
        layout_terms(w, v);
        for (int k = 0; k < LAYOUT_N_TERMS; k++) {
            if (v[k] > 0)
                rect(x, x + v[k], y - half, y + half, COL_SERIES + colours[k], -1);
            x += v[k];
        }
        /* "tp8 pp16 ep64 dp16 mb1 sel z1": degrees of 1 left out, except tp and pp */
        char label[160];
        int len = snprintf(label, sizeof label, "tp%ld pp%ld", w->tp, w->pp);
        if (w->cp > 1)
            len += snprintf(label + len, sizeof label - (size_t)len, " cp%ld", w->cp);
        if (w->ep > 1)
            len += snprintf(label + len, sizeof label - (size_t)len, " ep%ld", w->ep);
        if (w->interleave > 1)
            len += snprintf(label + len, sizeof label - (size_t)len, " v%ld", w->interleave);
        snprintf(label + len, sizeof label - (size_t)len, " dp%ld mb%ld %.4s z%d", w->dp, w->microbatch, w->recompute,
                 w->zero);
        char t[200];
        pl_text(t, sizeof t, label, PLOT_MAX_LABEL);
        plschr(0, SMALL_SCALE);
        plcol0(COL_FG);
        plmtex("lv", 0.8, y / top, 1.0, t);
        plschr(0, TEXT_SCALE);
    }
    struct legend_item items[LAYOUT_N_TERMS];
    int n = 0;
    for (int k = 0; k < LAYOUT_N_TERMS; k++) {
        bool used = false;
        for (int i = 0; i < c->n_shown; i++) {
            double v[LAYOUT_N_TERMS];
            layout_terms(&c->r->rows[i], v);
            used |= v[k] > 0;
        }
        if (used)
            items[n++] = (struct legend_item){ LEG_BOX, COL_SERIES + colours[k], names[k] };
    }
    legend_at(items, n, true, false);
    titles(c->title, c->subtitle, "time of one optimizer step (s)", NULL);
}

bool plot_layout(const char *dir, const struct layout_report *r)
{
    if (!make_dir(dir))
        return false;
    if (r->n_rows == 0)
        return true;
    char title[512], raw[512], sub[600];
    pl_text(title, sizeof title, r->scenario, PLOT_MAX_TITLE);
    snprintf(raw, sizeof raw, "step time of the %d fastest layouts of stage '%s' on %ld %s, at central efficiencies",
             r->n_rows < PLOT_MAX_BARS ? r->n_rows : PLOT_MAX_BARS, r->stage, r->count, r->accelerator);
    pl_text(sub, sizeof sub, raw, PLOT_MAX_TITLE + 20);
    const struct layout_chart c = { r, r->n_rows < PLOT_MAX_BARS ? r->n_rows : PLOT_MAX_BARS, title, sub };
    return chart_write(dir, "layout-step", PLOT_HEIGHT, draw_layout, &c);
}

#endif
