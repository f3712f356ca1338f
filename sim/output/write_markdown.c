/*
 * write_markdown.c - run, compare and validate reports as Markdown (--format markdown).
 *
 * Each report opens with a plain-language statement a reader can quote ("Training X on Y is
 * expected to take ... days (90 % interval ...), use ... MWh and emit ... t CO2e, about ...
 * car-years"), then a table, then a note on how the numbers were made. "Expected" is the
 * median; the interval runs from the report's lowest to its highest quantile (P5 to P95 by
 * default, a 90 % interval). Statement numbers have three significant digits; the tables
 * four, as the table format has.
 */
#include "output/write_formats.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "output/format.h"
#include "util/xalloc.h"

/* Kilo-units for the statement: energy in MWh, CO2e in tonnes. */
static const double KWH_PER_MWH = 1000.0;
static const double KG_PER_T = 1000.0;

/* ---- Numbers and text */

/* v with three significant digits, thousands separated: 61.6, 3,010, 0.905. */
static void sig3(double v, char *buf, int size)
{
    if (v == 0 || !isfinite(v)) {
        writer_human_number(v, buf, size);
        return;
    }
    const int mag = (int)floor(log10(fabs(v)));
    const double unit = pow(10.0, mag - 2);
    const double r = round(v / unit) * unit;
    if (fabs(r) >= 1000)
        writer_human_number(r, buf, size); /* %.0f, grouped */
    else if (fabs(r) >= 100)
        snprintf(buf, (size_t)size, "%.0f", r);
    else
        snprintf(buf, (size_t)size, "%.*f", 2 - mag, r);
}

/* sig3 with an explicit sign, for differences. */
static void sig3_signed(double v, char *buf, int size)
{
    char num[48];
    sig3(fabs(v), num, sizeof num);
    snprintf(buf, (size_t)size, "%s%s", v > 0 ? "+" : (v < 0 ? "\u2212" : ""), num);
}

/* Text in a table cell or sentence: '|' and Markdown emphasis characters escaped. */
static void md_text(FILE *out, const char *s)
{
    for (const char *p = s ? s : ""; *p; p++) {
        if (strchr("|*_`\\<[", *p))
            fputc('\\', out);
        fputc(*p, out);
    }
}

static int find_metric(const struct report *r, const char *key)
{
    for (int m = 0; m < r->n_metrics; m++)
        if (strcmp(r->metric[m].key, key) == 0)
            return m;
    return -1;
}

/* Which quantiles give the median and the interval. */
struct interval {
    int lo, mid, hi;
    bool has_interval;
    double coverage_pct;   /* 90 for P5..P95 */
};

static struct interval interval_of(const struct report *r)
{
    struct interval iv = { 0, writer_nearest_quantile(r, 0.5), r->n_quantiles - 1, false, 0 };
    iv.has_interval = r->n_quantiles >= 2 && !r->nominal;
    iv.coverage_pct = 100.0 * (r->quantiles[iv.hi] - r->quantiles[iv.lo]);
    return iv;
}

/* "61.6 days (90 % interval 60.6–62.9 days)": the median of s scaled by 1/f, then 'what'
 * ("of facility energy"), then the interval unless it is a single value; its coverage is
 * said the first time (*said_coverage). */
static void stat_phrase(FILE *out, const struct metric_stats *s, const struct interval *iv, double f,
                        const char *unit, const char *what, bool *said_coverage)
{
    char mid[64], lo[64], hi[64];
    sig3(s->q[iv->mid] / f, mid, sizeof mid);
    fprintf(out, "%s %s%s", mid, unit, what);
    if (!iv->has_interval)
        return;
    sig3(s->q[iv->lo] / f, lo, sizeof lo);
    sig3(s->q[iv->hi] / f, hi, sizeof hi);
    if (strcmp(lo, hi) == 0)
        return;
    if (!*said_coverage)
        fprintf(out, " (%g %% interval %s\u2013%s %s)", iv->coverage_pct, lo, hi, unit);
    else
        fprintf(out, " (%s\u2013%s %s)", lo, hi, unit);
    *said_coverage = true;
}

/* The plain-language statement of one report, without a line end. */
static void statement(FILE *out, const struct report *r)
{
    const struct interval iv = interval_of(r);
    const int wall = find_metric(r, "wall_days"), energy = find_metric(r, "facility_energy_kwh");
    const int co2 = find_metric(r, "total_co2e_kg"), cars = find_metric(r, "car_years");
    const int cost = find_metric(r, "cost_usd");
    bool said = false; /* the interval's coverage has been named */
    if (r->model) {
        fputs("Training ", out);
        md_text(out, r->model);
    } else {
        fputs("The run \u201c", out);
        md_text(out, r->scenario);
        fputs("\u201d", out);
    }
    if (r->accelerator) {
        char count[64];
        writer_count(r->accelerator_count, count, sizeof count);
        fprintf(out, " on %s ", count);
        md_text(out, r->accelerator);
        fputs(r->accelerator_count == 1 ? " accelerator" : " accelerators", out);
    }
    fputs(r->nominal ? " takes " : " is expected to take ", out);
    if (wall >= 0)
        stat_phrase(out, &r->metric[wall].s, &iv, 1, "days", "", &said);
    const int mfu = find_metric(r, "mfu");
    if (mfu >= 0 && !r->metric[mfu].not_modelled && !isnan(r->metric[mfu].s.mean)) {
        /* "at 38-42 % MFU": the steady-state utilisation the layout model gives (DESIGN 8) */
        const struct metric_stats *u = &r->metric[mfu].s;
        char lo[64], hi[64];
        sig3(100 * u->q[iv.has_interval ? iv.lo : iv.mid], lo, sizeof lo);
        sig3(100 * u->q[iv.has_interval ? iv.hi : iv.mid], hi, sizeof hi);
        if (strcmp(lo, hi) == 0)
            fprintf(out, " at %s %% MFU", lo);
        else
            fprintf(out, " at %s\u2013%s %% MFU", lo, hi);
    }
    if (energy >= 0) {
        fputs(r->nominal ? ", uses " : ", use ", out);
        stat_phrase(out, &r->metric[energy].s, &iv, KWH_PER_MWH, "MWh", " of facility energy", &said);
    }
    if (co2 >= 0) {
        fputs(r->nominal ? " and emits " : " and emit ", out);
        stat_phrase(out, &r->metric[co2].s, &iv, KG_PER_T, "t", " CO\u2082e", &said);
        if (cars >= 0) {
            char num[64];
            sig3(r->metric[cars].s.q[iv.mid], num, sizeof num);
            fprintf(out, ", about %s car-years of driving", num);
        }
    }
    fputc('.', out);
    if (cost >= 0 && r->metric[cost].s.max > 0) {
        const double top = fabs(r->metric[cost].s.q[iv.mid]);
        const double f = top >= 1e9 ? 1e9 : (top >= 1e6 ? 1e6 : 1);
        const char *unit = f == 1e9 ? "billion USD" : (f == 1e6 ? "million USD" : "USD");
        fputs(r->nominal ? " It costs " : " It would cost about ", out);
        stat_phrase(out, &r->metric[cost].s, &iv, f, unit, "", &said);
        fputc('.', out);
    }
    if (r->nominal)
        fputs(" (Nominal run: every input at its central value, no random events.)", out);
}

/* The note under a report: how the numbers were made. */
static void method_note(FILE *out, const struct report *r)
{
    const struct interval iv = interval_of(r);
    char samples[64], lo[32], hi[32];
    writer_count(r->samples, samples, sizeof samples);
    writer_quantile_head(r->quantiles[iv.lo], lo, sizeof lo);
    writer_quantile_head(r->quantiles[iv.hi], hi, sizeof hi);
    fprintf(out, "*Simulated with trainsim %s", TRAINSIM_VERSION);
    if (r->file) {
        fputs(" from `", out);
        fputs(r->file, out);
        fputc('`', out);
    }
    if (r->nominal)
        fprintf(out, ": a nominal run, %g-minute steps.", r->step_min);
    else
        fprintf(out, ": %s Monte Carlo samples, seed %lu, %g-minute steps. Expected values are medians; "
                     "intervals run from the %s to the %s of the samples.",
                samples, r->seed, r->step_min, lo, hi);
    fputs(" CO\u2082e is location-based operational plus embodied emissions; a car-year is the CO\u2082 of "
          "an average passenger car in a year (EPA).*\n",
          out);
    if (r->unfinished_samples)
        fprintf(out, "\n**Warning:** %ld of %ld samples did not finish within sim.max_days; their values are "
                     "censored at the horizon.\n",
                r->unfinished_samples, r->samples);
}

/* ---- run */

bool write_run_markdown(FILE *out, const void *report)
{
    const struct report *r = report;
    fputs("## ", out);
    md_text(out, r->scenario);
    fputs("\n\n", out);
    if (find_metric(r, "wall_days") >= 0) { /* the statement needs the headline metrics (--metric may drop them) */
        statement(out, r);
        fputs("\n\n", out);
    }
    fputs("| metric | unit | mean |", out);
    for (int k = 0; k < r->n_quantiles; k++) {
        char head[32];
        writer_quantile_head(r->quantiles[k], head, sizeof head);
        fprintf(out, " %s |", head);
    }
    fputs("\n|:--|:--|--:|", out);
    for (int k = 0; k < r->n_quantiles; k++)
        fputs("--:|", out);
    fputc('\n', out);
    for (int m = 0; m < r->n_metrics; m++) {
        const struct report_metric *rm = &r->metric[m];
        char num[64];
        fputs("| ", out);
        md_text(out, rm->label);
        fputs(" | ", out);
        md_text(out, rm->unit);
        if (rm->not_modelled) { /* no input of it was given: a 0 would read as measured */
            fputs(" | not modelled (set ", out);
            md_text(out, rm->not_modelled);
            fputs(") |", out);
            for (int k = 0; k < r->n_quantiles; k++)
                fputs(" |", out);
            fputc('\n', out);
            continue;
        }
        writer_human_number(rm->s.mean, num, sizeof num);
        fprintf(out, " | %s |", num);
        for (int k = 0; k < r->n_quantiles; k++) {
            writer_human_number(rm->s.q[k], num, sizeof num);
            fprintf(out, " %s |", num);
        }
        fputc('\n', out);
    }
    fputc('\n', out);
    method_note(out, r);
    return !ferror(out);
}

/* ---- compare */

/* "+3.54 days (+2.10 to +5.01)" for a paired difference, scaled by 1/f. */
static void diff_phrase(FILE *out, const struct metric_stats *d, const struct interval *iv, double f,
                        const char *unit)
{
    char mid[64], lo[64], hi[64];
    sig3_signed(d->q[iv->mid] / f, mid, sizeof mid);
    fprintf(out, "%s %s", mid, unit);
    if (iv->has_interval) {
        sig3_signed(d->q[iv->lo] / f, lo, sizeof lo);
        sig3_signed(d->q[iv->hi] / f, hi, sizeof hi);
        fprintf(out, " (%s to %s)", lo, hi);
    }
}

bool write_compare_markdown(FILE *out, const void *report)
{
    const struct compare_report *r = report;
    const struct report *a = &r->scenarios[0];
    const struct interval iv = interval_of(a);
    fputs("## Comparison:", out);
    for (int k = 0; k < r->n_scenarios; k++) {
        fputs(k ? " vs " : " ", out);
        md_text(out, r->scenarios[k].scenario);
    }
    fputs("\n\n", out);
    for (int k = 0; k < r->n_scenarios; k++) {
        fprintf(out, "- **[%d]** ", k + 1);
        statement(out, &r->scenarios[k]);
        fputc('\n', out);
    }
    /* The paired differences of the headline metrics, when they are shown. */
    static const struct {
        const char *key, *what, *unit;
        double f;
    } heads[] = {
        { "wall_days", "wall time", "days", 1 },
        { "facility_energy_kwh", "facility energy", "MWh", KWH_PER_MWH },
        { "total_co2e_kg", "total CO\u2082e", "t", KG_PER_T },
    };
    for (int k = 1; k < r->n_scenarios; k++) {
        int n_said = 0, co2_i = -1;
        for (size_t h = 0; h < sizeof heads / sizeof heads[0]; h++) {
            for (int i = 0; i < r->n_metrics; i++) {
                if (strcmp(a->metric[r->metrics[i]].key, heads[h].key) != 0)
                    continue;
                if (n_said == 0)
                    fprintf(out, "\nSample by sample against [1], [%d] changes ", k + 1);
                else
                    fputs(h + 1 == sizeof heads / sizeof heads[0] ? " and " : ", ", out);
                fprintf(out, "%s by ", heads[h].what);
                diff_phrase(out, &r->difference[(k - 1) * REPORT_MAX_METRICS + i], &iv, heads[h].f, heads[h].unit);
                n_said++;
                if (h == 2)
                    co2_i = i;
            }
        }
        if (n_said) {
            if (co2_i >= 0)
                fprintf(out, "; it emits more than [1] in %.0f %% of the paired samples",
                        100.0 * r->p_a_less[(k - 1) * REPORT_MAX_METRICS + co2_i]);
            fputs(".\n", out);
        }
    }
    /* Table: P50 (interval) per scenario and per difference. */
    fputs("\n| metric | unit |", out);
    for (int k = 0; k < r->n_scenarios; k++)
        fprintf(out, " [%d] |", k + 1);
    for (int k = 1; k < r->n_scenarios; k++)
        fprintf(out, " [%d] \u2212 [1] | P([1] < [%d]) |", k + 1, k + 1);
    fputs("\n|:--|:--|", out);
    for (int k = 0; k < r->n_scenarios; k++)
        fputs("--:|", out);
    for (int k = 1; k < r->n_scenarios; k++)
        fputs("--:|--:|", out);
    fputc('\n', out);
    for (int i = 0; i < r->n_metrics; i++) {
        const int m = r->metrics[i];
        fputs("| ", out);
        md_text(out, a->metric[m].label);
        fputs(" | ", out);
        md_text(out, a->metric[m].unit);
        fputs(" |", out);
        for (int k = 0; k < 2 * r->n_scenarios - 1; k++) {
            const bool is_diff = k >= r->n_scenarios;
            const int j = is_diff ? k - r->n_scenarios : k;
            const struct metric_stats *s = is_diff ? &r->difference[j * REPORT_MAX_METRICS + i]
                                                   : &r->scenarios[k].metric[m].s;
            char mid[64], lo[64], hi[64];
            writer_human_number(s->q[iv.mid], mid, sizeof mid);
            fprintf(out, " %s", mid);
            if (iv.has_interval) {
                writer_human_number(s->q[iv.lo], lo, sizeof lo);
                writer_human_number(s->q[iv.hi], hi, sizeof hi);
                fprintf(out, " (%s \u2013 %s)", lo, hi);
            }
            fputs(" |", out);
            if (is_diff)
                fprintf(out, " %.3f |", r->p_a_less[j * REPORT_MAX_METRICS + i]);
        }
        fputc('\n', out);
    }
    fputs("\nCells are medians", out);
    if (iv.has_interval)
        fprintf(out, " with their %g %% interval", iv.coverage_pct);
    fputs("; differences are paired (sample i of every scenario shares its random draws).\n\n", out);
    method_note(out, a);
    return !ferror(out);
}

/* ---- validate */

static int cmp_double(const void *x, const void *y)
{
    const double a = *(const double *)x, b = *(const double *)y;
    return (a > b) - (a < b);
}

bool write_validate_markdown(FILE *out, const void *report)
{
    const struct validate_row *rows = ((const struct validate_report *)report)->rows;
    const int n = ((const struct validate_report *)report)->n_rows;
    int n_cons = 0, n_ok = 0, n_pred = 0, n_inside = 0, n_runs = 0;
    double *abs_err = xmalloc((size_t)n * sizeof *abs_err);
    for (int i = 0; i < n; i++) {
        const struct validate_row *v = &rows[i];
        if (v->is_prediction) {
            abs_err[n_pred++] = fabs(v->error_pct);
            n_inside += v->inside;
        } else {
            n_cons++;
            n_ok += v->ok;
        }
        n_runs += i == 0 || strcmp(rows[i - 1].run, v->run) != 0;
    }
    qsort(abs_err, (size_t)n_pred, sizeof *abs_err, cmp_double);
    fputs("## Validation against published training runs\n\n", out);
    fprintf(out, "Across %d published run%s, %d of %d consistency check%s (figures the scenarios take from the "
                 "publication) %s within tolerance",
            n_runs, n_runs == 1 ? "" : "s", n_ok, n_cons, n_cons == 1 ? "" : "s", n_ok == 1 ? "is" : "are");
    if (n_pred) {
        const double median = n_pred % 2 ? abs_err[n_pred / 2] : 0.5 * (abs_err[n_pred / 2 - 1] + abs_err[n_pred / 2]);
        fprintf(out, "; for %d prediction%s (figures trainsim estimates), the reported value lies inside the "
                     "simulated P5\u2013P95 interval in %d, and the median absolute error of the simulated median "
                     "is %.1f %%",
                n_pred, n_pred == 1 ? "" : "s", n_inside, median);
    }
    fputs(".\n\n| run | metric | unit | reported | simulated P50 | P5 \u2013 P95 | error | kind | status |\n"
          "|:--|:--|:--|--:|--:|--:|--:|:--|:--|\n",
          out);
    for (int i = 0; i < n; i++) {
        const struct validate_row *v = &rows[i];
        char rep[64], p50[64], p5[64], p95[64];
        writer_human_number(v->reported, rep, sizeof rep);
        writer_human_number(v->p50, p50, sizeof p50);
        writer_human_number(v->p5, p5, sizeof p5);
        writer_human_number(v->p95, p95, sizeof p95);
        fputs("| ", out);
        md_text(out, v->run);
        fprintf(out, " | `%s` | ", v->metric);
        md_text(out, v->unit);
        fprintf(out, " | %s | %s | %s \u2013 %s | %+.1f %% | %s | ", rep, p50, p5, p95, v->error_pct,
                v->is_prediction ? "prediction" : "consistency");
        if (v->is_prediction)
            fprintf(out, "%s |\n", v->inside ? "inside" : "outside");
        else
            fprintf(out, "%s (tolerance %g %%) |\n", v->ok ? "pass" : "**FAIL**", v->tolerance_pct);
    }
    fprintf(out, "\n*trainsim %s. Consistency checks must fall within their tolerance; predictions are reported, "
                 "never hidden. Each scenario in scenarios/published cites its sources.*\n",
            TRAINSIM_VERSION);
    free(abs_err);
    return !ferror(out);
}
