/*
 * provenance.c - the provenance block, the as-run header and the not-modelled marks of a
 * report, from the spec's tables.
 */
#include "provenance.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/spec.h"
#include "load/schema.h"
#include "output/writer.h"
#include "util/diag.h"
#include "util/xalloc.h"

/* A metric whose every input under 'inputs' (key-path prefixes, '|'-separated) is fixed at 0
 * or absent, and whose samples are all 0, is not modelled: its 0 would read as a measurement.
 * Rows name metrics by key, so a metric another part adds needs a row here only when it
 * depends on optional inputs. */
static const struct {
    const char *metric;
    const char *inputs; /* prefixes of the inputs that feed it */
    const char *set;    /* what to set, for the message */
} not_modelled_rules[] = {
    { "water_l", "facility.wue_l_per_kwh", "facility.wue_l_per_kwh" },
    { "water_offsite_l", "grid.water_l_per_kwh", "grid.water_l_per_kwh" },
    { "cost_usd", "economics.", "economics.gpu_hour_usd or other economics.* prices" },
    { "cost_rental_usd", "economics.gpu_hour_usd", "economics.gpu_hour_usd" },
    { "cost_energy_usd", "economics.electricity_usd_per_kwh", "economics.electricity_usd_per_kwh" },
    { "cost_capex_usd", "economics.capex_usd_per_gpu", "economics.capex_usd_per_gpu" },
    { "cost_facility_usd", "economics.colocation_usd_per_kw_month", "economics.colocation_usd_per_kw_month" },
    { "embodied_co2e_kg", "embodied.", "the embodied: section" },
};

/* Whether input path starts with one of the '|'-separated prefixes. */
static bool matches(const char *path, const char *prefixes)
{
    for (const char *p = prefixes; *p;) {
        const char *bar = strchr(p, '|');
        const size_t n = bar ? (size_t)(bar - p) : strlen(p);
        if (strncmp(path, p, n) == 0)
            return true;
        p += bar ? n + 1 : n;
    }
    return false;
}

static bool any_input_given(const struct spec *s, const char *prefixes)
{
    for (int i = 0; i < s->n_inputs; i++) {
        const struct input *in = &s->inputs[i];
        if (matches(in->path, prefixes) && !(in->dist.kind == DIST_FIXED && in->dist.value == 0))
            return true;
    }
    return false;
}

static void put_param(struct provenance_input *pi, const char *name, double v)
{
    pi->param_name[pi->n_params] = name;
    pi->param[pi->n_params++] = v;
}

void provenance_build(struct provenance_store *ps, const struct spec *s, const struct cli_options *o,
                      const struct diag *d)
{
    memset(ps, 0, sizeof *ps);
    ps->inputs = xcalloc((size_t)(s->n_inputs ? s->n_inputs : 1), sizeof *ps->inputs);
    for (int i = 0; i < s->n_inputs; i++) {
        const struct input *in = &s->inputs[i];
        const struct dist *dd = &in->dist;
        struct provenance_input *pi = &ps->inputs[i];
        pi->path = in->path;
        pi->central = in->central;
        pi->per_event = in->draw != INPUT_PER_SAMPLE;
        if (dd->kind == DIST_FIXED)
            continue;
        pi->dist = schema_dist_name(dd->kind);
        switch (dd->kind) {
        case DIST_NORMAL:
            put_param(pi, "mean", dd->a);
            put_param(pi, "sd", dd->b);
            if (!isinf(dd->lo))
                put_param(pi, "min", dd->lo);
            if (!isinf(dd->hi))
                put_param(pi, "max", dd->hi);
            break;
        case DIST_UNIFORM:
            put_param(pi, "min", dd->lo);
            put_param(pi, "max", dd->hi);
            break;
        case DIST_TRIANGULAR:
        case DIST_PERT:
            put_param(pi, "min", dd->lo);
            put_param(pi, "mode", dd->a);
            put_param(pi, "max", dd->hi);
            break;
        case DIST_LOGNORMAL:
            put_param(pi, "median", dd->a);
            put_param(pi, "gsd", dd->b);
            break;
        case DIST_CHOICE:
            pi->n_values = dd->n_values;
            pi->values = dd->values;
            pi->weights = dd->weights;
            break;
        case DIST_FIXED:
        case DIST_KIND_COUNT:
            break;
        }
    }
    ps->p = (struct provenance){ .file = s->file, .file_sha256 = s->file_sha256, .n_overrides = o->n_sets,
                                 .overrides = o->sets, .n_inputs = s->n_inputs, .inputs = ps->inputs,
                                 .n_warnings = d->n_warning_texts,
                                 .warnings = (const char *const *)d->warning_texts };
    /* The header names the scenario as run once a --set changed it (sim.* ones do not). */
    int n_changes = 0;
    for (int i = 0; i < o->n_sets; i++)
        n_changes += strncmp(o->sets[i], "sim.", 4) != 0;
    if (n_changes) {
        const char *slash = strrchr(s->file, '/');
        size_t n = (size_t)snprintf(ps->as_run, sizeof ps->as_run, "%s with", slash ? slash + 1 : s->file);
        for (int i = 0; i < o->n_sets && n < sizeof ps->as_run; i++)
            if (strncmp(o->sets[i], "sim.", 4) != 0)
                n += (size_t)snprintf(ps->as_run + n, sizeof ps->as_run - n, " --set %s", o->sets[i]);
        char count[32];
        writer_count(s->count, count, sizeof count);
        if (n < sizeof ps->as_run)
            snprintf(ps->as_run + n, sizeof ps->as_run - n, " (%s%s%s x %s)", s->model_name ? s->model_name : "",
                     s->model_name ? " on " : "", count, s->accelerator);
    }
}

void provenance_release(struct provenance_store *ps)
{
    free(ps->inputs);
    memset(ps, 0, sizeof *ps);
}

void provenance_apply(struct report *rep, const struct provenance_store *ps, const struct spec *s)
{
    rep->prov = &ps->p;
    if (ps->as_run[0])
        rep->scenario = ps->as_run;
    provenance_mark_not_modelled(rep, s);
}

/* A metric the scenario's work forms do not determine has NAN statistics (core/model.c):
 * what would determine it. */
static const struct {
    const char *metric;
    const char *set;
} undetermined_rules[] = {
    { "tokens_per_gpu_s", "tokens + layout, params + mfu or tokens_per_gpu_s on every stage" },
    { "mfu", "tokens + layout, or mfu, on every stage" },
    { "effective_mfu", "tokens + layout, or mfu, on every stage" },
    { "step_time_s", "tokens + layout on every stage" },
    { "memory_gb_per_gpu", "tokens + layout on every stage" },
};

void provenance_mark_not_modelled(struct report *rep, const struct spec *s)
{
    for (int m = 0; m < rep->n_metrics; m++) {
        struct report_metric *rm = &rep->metric[m];
        if (isnan(rm->s.mean)) {
            rm->not_modelled = "inputs that determine it";
            for (size_t r = 0; r < sizeof undetermined_rules / sizeof undetermined_rules[0]; r++)
                if (strcmp(rm->key, undetermined_rules[r].metric) == 0)
                    rm->not_modelled = undetermined_rules[r].set;
            continue;
        }
        for (size_t r = 0; r < sizeof not_modelled_rules / sizeof not_modelled_rules[0]; r++)
            if (strcmp(rm->key, not_modelled_rules[r].metric) == 0 && rm->s.min == 0 && rm->s.max == 0 &&
                !any_input_given(s, not_modelled_rules[r].inputs))
                rm->not_modelled = not_modelled_rules[r].set;
    }
}
