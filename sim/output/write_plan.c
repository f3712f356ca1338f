/*
 * write_plan.c - sweep, compare, solve and sensitivity reports as table, JSON and CSV (compare
 * as Markdown too: write_markdown.c), a function per format for their slots in writer.c.
 */
#include "output/write_formats.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "output/format.h"
#include "util/xalloc.h"

/* Prints a value as JSON: a number when it is one, else a string. */
static void json_value(FILE *out, const char *text, double num)
{
    if (isfinite(num)) {
        char *end;
        strtod(text, &end);
        if (*end == '\0' && end != text) {
            writer_json_number(out, num);
            return;
        }
    }
    writer_json_string(out, text);
}

/* "{ "wall_days": {stats}, ... }" for the chosen metrics of a report. */
static void json_metrics(FILE *out, const struct report *r, int n, const int *metrics, const char *indent)
{
    fputs("{\n", out);
    for (int i = 0; i < n; i++) {
        fprintf(out, "%s  ", indent);
        writer_json_string(out, r->metric[metrics[i]].key);
        fputs(": ", out);
        writer_json_stats(out, r, &r->metric[metrics[i]]);
        fputs(i + 1 < n ? ",\n" : "\n", out);
    }
    fprintf(out, "%s}", indent);
}

/* ---- sweep */

bool write_sweep_table(FILE *out, const void *report)
{
    const struct sweep_report *r = report;
    if (r->n_points == 0)
        return false;
    const struct report *p0 = &r->points[0];
    fprintf(out, "%s\nsweep over %d point%s, %ld samples each, seed %lu\n", p0->scenario, r->n_points,
            r->n_points == 1 ? "" : "s", p0->samples, p0->seed);
    for (int i = 0; i < r->n_metrics; i++) {
        const struct report_metric *rm = &p0->metric[r->metrics[i]];
        fprintf(out, "\n%s (%s)\n", rm->key, rm->unit);
        for (int v = 0; v < r->n_vary; v++)
            fprintf(out, "%-26s ", r->vary[v]);
        writer_table_stats_head(out, p0);
        fputc('\n', out);
        for (int p = 0; p < r->n_points; p++) {
            for (int v = 0; v < r->n_vary; v++)
                fprintf(out, "%-26s ", r->value_text[p * r->n_vary + v]);
            writer_table_stats(out, &r->points[p], &r->points[p].metric[r->metrics[i]].s);
            fputs(r->points[p].unfinished_samples ? "  (some samples unfinished)\n" : "\n", out);
        }
    }
    return !ferror(out);
}

bool write_sweep_json(FILE *out, const void *report)
{
    const struct sweep_report *r = report;
    if (r->n_points == 0)
        return false;
    const struct report *p0 = &r->points[0];
    fputs("{ ", out);
    writer_json_version(out);
    if (r->prov)
        writer_json_provenance(out, r->prov, "  ");
    fputs(",\n  \"scenario\": ", out);
    writer_json_string(out, p0->scenario);
    fprintf(out, ", \"seed\": %lu, \"samples\": %ld,\n  \"vary\": [", p0->seed, p0->samples);
    for (int v = 0; v < r->n_vary; v++) {
        writer_json_string(out, r->vary[v]);
        fputs(v + 1 < r->n_vary ? ", " : "", out);
    }
    fputs("],\n  \"points\": [\n", out);
    for (int p = 0; p < r->n_points; p++) {
        fputs("    { \"values\": {", out);
        for (int v = 0; v < r->n_vary; v++) {
            writer_json_string(out, r->vary[v]);
            fputs(": ", out);
            json_value(out, r->value_text[p * r->n_vary + v], r->value_num[p * r->n_vary + v]);
            fputs(v + 1 < r->n_vary ? ", " : "", out);
        }
        fprintf(out, "}, \"unfinished_samples\": %ld,\n      \"metrics\": ", r->points[p].unfinished_samples);
        json_metrics(out, &r->points[p], r->n_metrics, r->metrics, "      ");
        fputs(p + 1 < r->n_points ? " },\n" : " }\n", out);
    }
    fputs("  ]\n}\n", out);
    return !ferror(out);
}

bool write_sweep_csv(FILE *out, const void *report)
{
    const struct sweep_report *r = report;
    if (r->n_points == 0)
        return false;
    const struct report *p0 = &r->points[0];
    for (int v = 0; v < r->n_vary; v++)
        fprintf(out, "%s%s", v ? "," : "", r->vary[v]);
    for (int i = 0; i < r->n_metrics; i++) {
        const char *key = p0->metric[r->metrics[i]].key;
        fprintf(out, ",%s_mean", key);
        char prefix[96];
        snprintf(prefix, sizeof prefix, "%s_", key);
        writer_csv_quantile_columns(out, p0, prefix);
    }
    fputc('\n', out);
    for (int p = 0; p < r->n_points; p++) {
        for (int v = 0; v < r->n_vary; v++)
            fprintf(out, "%s%s", v ? "," : "", r->value_text[p * r->n_vary + v]);
        for (int i = 0; i < r->n_metrics; i++) {
            const struct metric_stats *s = &r->points[p].metric[r->metrics[i]].s;
            fprintf(out, ",%.17g", s->mean);
            for (int k = 0; k < p0->n_quantiles; k++)
                fprintf(out, ",%.17g", s->q[k]);
        }
        fputc('\n', out);
    }
    return !ferror(out);
}

/* A value of solve's parameter for people: whole numbers as such ("8", "2,933"). */
static void solve_value(const struct solve_report *r, double x, char *buf, int size)
{
    if (r->is_integer && fabs(x) < 9e15)
        writer_count((long)llround(x), buf, size);
    else
        writer_human_number(x, buf, size);
}

/* ---- compare */

bool write_compare_table(FILE *out, const void *report)
{
    const struct compare_report *r = report;
    const struct report *a = &r->scenarios[0];
    fprintf(out, "compare: %ld paired samples each, seed %lu (sample i of every scenario shares its draws)\n",
            a->samples, a->seed);
    for (int k = 0; k < r->n_scenarios; k++)
        fprintf(out, "  [%d] %s\n", k + 1, r->scenarios[k].scenario);
    for (int i = 0; i < r->n_metrics; i++) {
        const int m = r->metrics[i];
        fprintf(out, "\n%-22s", "");
        writer_table_stats_head(out, a);
        fprintf(out, "   %s (%s)\n", a->metric[m].key, a->metric[m].unit);
        for (int k = 0; k < r->n_scenarios; k++) {
            fprintf(out, "[%d]%-19s", k + 1, "");
            const struct report_metric *rm = &r->scenarios[k].metric[m];
            if (rm->not_modelled) /* a 0 or nan here would read as measured */
                fprintf(out, " %13s (set %s)", "not modelled", rm->not_modelled);
            else
                writer_table_stats(out, &r->scenarios[k], &rm->s);
            fputc('\n', out);
        }
        for (int k = 1; k < r->n_scenarios; k++) {
            fprintf(out, "[%d]-[1] %-14s", k + 1, "");
            if (a->metric[m].not_modelled || r->scenarios[k].metric[m].not_modelled) {
                fprintf(out, " %13s\n", "not modelled");
                continue;
            }
            writer_table_stats(out, a, &r->difference[(k - 1) * REPORT_MAX_METRICS + i]);
            fprintf(out, "   P([1] < [%d]) = %.3f\n", k + 1, r->p_a_less[(k - 1) * REPORT_MAX_METRICS + i]);
        }
    }
    return !ferror(out);
}

bool write_compare_json(FILE *out, const void *report)
{
    const struct compare_report *r = report;
    const struct report *a = &r->scenarios[0];
    fputs("{ ", out);
    writer_json_version(out);
    if (r->provs) { /* one provenance block per scenario, in the order of "scenarios" */
        fputs(",\n  \"provenance\": [", out);
        for (int k = 0; k < r->n_scenarios; k++) {
            fputs(k ? ",\n    { \"scenario\": " : "\n    { \"scenario\": ", out);
            writer_json_string(out, r->scenarios[k].scenario);
            writer_json_provenance(out, &r->provs[k], "      ");
            fputs(" }", out);
        }
        fputs("\n  ]", out);
    }
    fprintf(out, ",\n  \"seed\": %lu, \"samples\": %ld,\n  \"scenarios\": [", a->seed, a->samples);
    for (int k = 0; k < r->n_scenarios; k++) {
        writer_json_string(out, r->scenarios[k].scenario);
        fputs(k + 1 < r->n_scenarios ? ", " : "", out);
    }
    fputs("],\n  \"files\": [", out);
    for (int k = 0; k < r->n_scenarios; k++) {
        writer_json_string(out, r->scenarios[k].file);
        fputs(k + 1 < r->n_scenarios ? ", " : "", out);
    }
    fputs("],\n  \"metrics\": {\n", out);
    for (int i = 0; i < r->n_metrics; i++) {
        const int m = r->metrics[i];
        fputs("    ", out);
        writer_json_string(out, a->metric[m].key);
        fputs(": {\n      \"stats\": [\n", out);
        for (int k = 0; k < r->n_scenarios; k++) {
            fputs("        ", out);
            writer_json_stats(out, &r->scenarios[k], &r->scenarios[k].metric[m]);
            fputs(k + 1 < r->n_scenarios ? ",\n" : "\n", out);
        }
        const struct report_metric diff = { a->metric[m].key, a->metric[m].unit, a->metric[m].label,
                                            r->difference[i], NULL };
        fputs("      ],\n      \"difference\": ", out);
        writer_json_stats(out, a, &diff);
        fputs(", \"difference_of\": [", out);
        writer_json_string(out, r->scenarios[1].scenario);
        fputs(", ", out);
        writer_json_string(out, a->scenario);
        fputc(']', out);
        fputs(", \"p_a_less\": ", out);
        writer_json_number(out, r->p_a_less[i]);
        if (r->n_scenarios > 2) {
            fputs(",\n      \"differences\": [", out);
            for (int k = 1; k < r->n_scenarios; k++) {
                const struct report_metric dk = { a->metric[m].key, a->metric[m].unit, a->metric[m].label,
                                                  r->difference[(k - 1) * REPORT_MAX_METRICS + i], NULL };
                /* Each paired difference names its two scenarios: b minus a. */
                fputs("\n        { \"b\": ", out);
                writer_json_string(out, r->scenarios[k].scenario);
                fputs(", \"a\": ", out);
                writer_json_string(out, a->scenario);
                fputs(", \"stats\": ", out);
                writer_json_stats(out, a, &dk);
                fputs(", \"p_a_less\": ", out);
                writer_json_number(out, r->p_a_less[(k - 1) * REPORT_MAX_METRICS + i]);
                fputs(k + 1 < r->n_scenarios ? " }," : " }", out);
            }
            fputs("\n      ]", out);
        }
        fputs(i + 1 < r->n_metrics ? "\n    },\n" : "\n    }\n", out);
    }
    fputs("  }\n}\n", out);
    return !ferror(out);
}

bool write_compare_csv(FILE *out, const void *report)
{
    const struct compare_report *r = report;
    const struct report *a = &r->scenarios[0];
    fputs("metric,unit,scenario,mean,sd,min", out);
    writer_csv_quantile_columns(out, a, "");
    fputs(",max,p_a_less\n", out);
    for (int i = 0; i < r->n_metrics; i++) {
        const int m = r->metrics[i];
        for (int k = 0; k < 2 * r->n_scenarios - 1; k++) {
            const bool is_diff = k >= r->n_scenarios;
            const int j = is_diff ? k - r->n_scenarios : k;
            const struct metric_stats *s = is_diff ? &r->difference[j * REPORT_MAX_METRICS + i]
                                                   : &r->scenarios[k].metric[m].s;
            fprintf(out, "%s,%s,", a->metric[m].key, a->metric[m].unit);
            if (is_diff)
                fprintf(out, "\"difference %d-1\"", j + 2);
            else
                fprintf(out, "\"%s\"", r->scenarios[k].scenario);
            fprintf(out, ",%.17g,%.17g,%.17g", s->mean, s->sd, s->min);
            for (int q = 0; q < a->n_quantiles; q++)
                fprintf(out, ",%.17g", s->q[q]);
            fprintf(out, ",%.17g,", s->max);
            if (is_diff)
                fprintf(out, "%.17g", r->p_a_less[j * REPORT_MAX_METRICS + i]);
            fputc('\n', out);
        }
    }
    return !ferror(out);
}

/* ---- solve */

bool write_solve_table(FILE *out, const void *report)
{
    const struct solve_report *r = report;
    fprintf(out, "solve: %s %s such that %s\n%s\n", r->is_largest ? "largest" : "smallest", r->vary, r->target,
            r->message);
    const struct report *reps[2] = { r->at_answer, r->at_neighbour };
    const double xs[2] = { r->answer, r->neighbour };
    for (int j = 0; j < 2; j++) {
        if (!reps[j])
            continue;
        char num[64];
        solve_value(r, xs[j], num, sizeof num);
        fprintf(out, "\nat %s = %s%s\n%-20s %-16s", r->vary, num, j ? " (neighbour)" : "", "metric", "unit");
        writer_table_stats_head(out, reps[j]);
        fputc('\n', out);
        for (int m = 0; m < reps[j]->n_metrics; m++) {
            const struct report_metric *rm = &reps[j]->metric[m];
            fprintf(out, "%-20s %-16s", rm->key, rm->unit);
            if (rm->not_modelled)
                fprintf(out, " %13s (set %s)", "not modelled", rm->not_modelled);
            else
                writer_table_stats(out, reps[j], &rm->s);
            fputc('\n', out);
        }
    }
    fprintf(out, "\nevaluations (%d):", r->n_evals);
    for (int i = 0; i < r->n_evals; i++) {
        char x[64], y[64];
        solve_value(r, r->evals[i].x, x, sizeof x);
        writer_human_number(r->evals[i].stat, y, sizeof y);
        fprintf(out, "%s %s -> %s%s%s", i ? "," : "", x, y, r->evals[i].is_met ? " (met)" : "",
                r->evals[i].is_censored ? " (censored at sim.max_days)" : "");
    }
    fputc('\n', out);
    return !ferror(out);
}

bool write_solve_json(FILE *out, const void *report)
{
    const struct solve_report *r = report;
    int all[REPORT_MAX_METRICS];
    const struct report *base = r->at_answer ? r->at_answer : r->at_neighbour;
    const int n = base ? base->n_metrics : 0;
    for (int i = 0; i < n; i++)
        all[i] = i;
    fputs("{ ", out);
    writer_json_version(out);
    if (r->prov)
        writer_json_provenance(out, r->prov, "  ");
    fputs(",\n  \"vary\": ", out);
    writer_json_string(out, r->vary);
    fputs(", \"target\": ", out);
    writer_json_string(out, r->target);
    fputs(",\n  \"answer\": ", out);
    writer_json_optional(out, r->has_answer, r->answer);
    fprintf(out, ", \"met\": %s, \"largest\": %s, \"monotone\": %s", r->is_met ? "true" : "false",
            r->is_largest ? "true" : "false", r->is_monotone ? "true" : "false");
    writer_json_interval(out, "range", r->lo, r->hi);
    writer_json_field(out, "step", r->step);
    fputs(",\n  \"message\": ", out);
    writer_json_string(out, r->message);
    fputs(",\n  \"neighbour\": ", out);
    writer_json_optional(out, r->has_neighbour, r->neighbour);
    fputs(",\n  \"at_answer\": ", out);
    if (r->at_answer)
        json_metrics(out, r->at_answer, n, all, "  ");
    else
        fputs("null", out);
    fputs(",\n  \"at_neighbour\": ", out);
    if (r->at_neighbour)
        json_metrics(out, r->at_neighbour, n, all, "  ");
    else
        fputs("null", out);
    fputs(",\n  \"evaluations\": [", out);
    for (int i = 0; i < r->n_evals; i++) {
        fputs(i ? ", " : "", out);
        fputs("{\"value\": ", out);
        writer_json_number(out, r->evals[i].x);
        fputs(", \"stat\": ", out);
        writer_json_number(out, r->evals[i].stat);
        fprintf(out, ", \"met\": %s, \"censored\": %s}", r->evals[i].is_met ? "true" : "false",
                r->evals[i].is_censored ? "true" : "false");
    }
    fputs("]\n}\n", out);
    return !ferror(out);
}

bool write_solve_csv(FILE *out, const void *report)
{
    const struct solve_report *r = report;
    fprintf(out, "%s,stat,met,censored\n", r->vary);
    for (int i = 0; i < r->n_evals; i++)
        fprintf(out, "%.17g,%.17g,%d,%d\n", r->evals[i].x, r->evals[i].stat, r->evals[i].is_met,
                r->evals[i].is_censored);
    return !ferror(out);
}

/* ---- sensitivity */

/* |elasticity|, with an undefined one below every defined one. */
static double abs_elasticity(const struct sensitivity_entry *e)
{
    return isnan(e->elasticity) ? -1 : fabs(e->elasticity);
}

/* True when input v ranks before input b for metric mi: the uncertain inputs first, by total
 * Sobol index then |Spearman|; then the fixed ones by |elasticity|. */
static bool ranks_before(const struct sensitivity_report *r, int mi, int v, int b)
{
    const struct sensitivity_entry *ev = &r->entries[mi * r->n_inputs + v], *eb = &r->entries[mi * r->n_inputs + b];
    const bool uv = v < r->n_uncertain, ub = b < r->n_uncertain;
    if (uv != ub)
        return uv;
    if (uv)
        return ev->sobol_total > eb->sobol_total ||
               (ev->sobol_total == eb->sobol_total && fabs(ev->spearman) > fabs(eb->spearman));
    return abs_elasticity(ev) > abs_elasticity(eb);
}

/* Input order of one metric (insertion sort: stable, a few dozen inputs). */
static void rank_inputs(const struct sensitivity_report *r, int mi, int *order)
{
    for (int j = 0; j < r->n_inputs; j++)
        order[j] = j;
    for (int a = 1; a < r->n_inputs; a++) {
        const int v = order[a];
        int b = a - 1;
        for (; b >= 0 && ranks_before(r, mi, v, order[b]); b--)
            order[b + 1] = order[b];
        order[b + 1] = v;
    }
}

bool write_sensitivity_table(FILE *out, const void *report)
{
    const struct sensitivity_report *r = report;
    int *order = xmalloc((size_t)r->n_inputs * sizeof *order);
    fprintf(out, "%s\nsensitivity: %d uncertain input%s; Spearman and tornado from %ld samples, Sobol from "
                 "%ld x (%d + 2) runs, seed %lu\n",
            r->scenario, r->n_uncertain, r->n_uncertain == 1 ? "" : "s", r->samples, r->sobol_samples,
            r->n_uncertain, r->seed);
    fprintf(out, "elasticity: every one of the %d numeric inputs x (1 -+ %g), the others at their central "
                 "values, %ld sample%s per run (%% change of the metric per %% change of the input)\n",
            r->n_inputs, r->elasticity_step, r->elasticity_samples, r->elasticity_samples == 1 ? "" : "s");
    for (int i = 0; i < r->n_metrics; i++) {
        rank_inputs(r, i, order);
        const struct report_metric *rm = &r->base->metric[r->metrics[i]];
        char mean[64];
        writer_human_number(rm->s.mean, mean, sizeof mean);
        fprintf(out, "\n%s (%s), mean %s\n", rm->key, rm->unit, mean);
        fprintf(out, "%-44s %10s %8s %13s %13s %19s %19s\n", "input (uncertain by Sobol, then fixed)", "elasticity",
                "spearman", "mean at P5", "mean at P95", "Sobol first [95%]", "Sobol total [95%]");
        for (int a = 0; a < r->n_inputs; a++) {
            const struct sensitivity_entry *e = &r->entries[i * r->n_inputs + order[a]];
            char el[32] = "-";
            if (!isnan(e->elasticity))
                snprintf(el, sizeof el, "%.3f", e->elasticity);
            if (order[a] >= r->n_uncertain) {
                fprintf(out, "%-44.44s %10s %8s %13s %13s %19s %19s\n", r->inputs[order[a]], el, "fixed", "-",
                        "-", "-", "-");
                continue;
            }
            char lo[64], hi[64], s1[48], st[48];
            writer_human_number(e->tornado_low, lo, sizeof lo);
            writer_human_number(e->tornado_high, hi, sizeof hi);
            snprintf(s1, sizeof s1, "%.2f [%.2f,%.2f]", e->sobol_first, e->sobol_first_lo, e->sobol_first_hi);
            snprintf(st, sizeof st, "%.2f [%.2f,%.2f]", e->sobol_total, e->sobol_total_lo, e->sobol_total_hi);
            fprintf(out, "%-44.44s %10s %8.3f %13s %13s %19s %19s\n", r->inputs[order[a]], el, e->spearman, lo, hi,
                    s1, st);
        }
    }
    fputs("\nSobol indices and the tornado cover the uncertain inputs (their variance); elasticities cover every "
          "input, fixed ones included.\n", out);
    free(order);
    return !ferror(out);
}

bool write_sensitivity_json(FILE *out, const void *report)
{
    const struct sensitivity_report *r = report;
    int *order = xmalloc((size_t)r->n_inputs * sizeof *order);
    fputs("{ ", out);
    writer_json_version(out);
    if (r->base->prov)
        writer_json_provenance(out, r->base->prov, "  ");
    fputs(",\n", out);
    for (int i = 0; i < r->n_metrics; i++) {
        rank_inputs(r, i, order);
        fputs("  ", out);
        writer_json_string(out, r->base->metric[r->metrics[i]].key);
        fputs(": { \"inputs\": [\n", out);
        for (int a = 0; a < r->n_inputs; a++) {
            const int j = order[a];
            const struct sensitivity_entry *e = &r->entries[i * r->n_inputs + j];
            fputs("    { \"path\": ", out);
            writer_json_string(out, r->inputs[j]);
            writer_json_field(out, "spearman", e->spearman);
            writer_json_field(out, "tornado_low", e->tornado_low);
            writer_json_field(out, "tornado_high", e->tornado_high);
            writer_json_field(out, "sobol_first", e->sobol_first);
            writer_json_interval(out, "sobol_first_ci", e->sobol_first_lo, e->sobol_first_hi);
            writer_json_field(out, "sobol_total", e->sobol_total);
            writer_json_interval(out, "sobol_total_ci", e->sobol_total_lo, e->sobol_total_hi);
            writer_json_field(out, "input_p5", r->input_p5[j]);
            writer_json_field(out, "input_p95", r->input_p95[j]);
            writer_json_field(out, "elasticity", e->elasticity);
            writer_json_field(out, "at_minus_10pct", e->at_minus);
            writer_json_field(out, "at_plus_10pct", e->at_plus);
            fprintf(out, ", \"uncertain\": %s", j < r->n_uncertain ? "true" : "false");
            fputs(a + 1 < r->n_inputs ? " },\n" : " }\n", out);
        }
        fputs(i + 1 < r->n_metrics ? "  ] },\n" : "  ] }\n", out);
    }
    fputs("}\n", out);
    free(order);
    return !ferror(out);
}

bool write_sensitivity_csv(FILE *out, const void *report)
{
    const struct sensitivity_report *r = report;
    int *order = xmalloc((size_t)r->n_inputs * sizeof *order);
    fputs("metric,path,spearman,tornado_low,tornado_high,sobol_first,sobol_first_lo,sobol_first_hi,"
          "sobol_total,sobol_total_lo,sobol_total_hi,elasticity,uncertain\n", out);
    for (int i = 0; i < r->n_metrics; i++) {
        rank_inputs(r, i, order);
        for (int a = 0; a < r->n_inputs; a++) {
            const struct sensitivity_entry *e = &r->entries[i * r->n_inputs + order[a]];
            /* the fixed inputs' empty fields print as nan, the elasticity's too where undefined */
            fprintf(out, "%s,%s,%.17g,%.17g,%.17g,%.17g,%.17g,%.17g,%.17g,%.17g,%.17g,%.17g,%d\n",
                    r->base->metric[r->metrics[i]].key, r->inputs[order[a]], e->spearman, e->tornado_low,
                    e->tornado_high, e->sobol_first, e->sobol_first_lo, e->sobol_first_hi, e->sobol_total,
                    e->sobol_total_lo, e->sobol_total_hi, e->elasticity, order[a] < r->n_uncertain);
        }
    }
    free(order);
    return !ferror(out);
}
