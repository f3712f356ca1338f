/*
 * validate.c - a published case run and judged figure by figure (sample/validate.h).
 */
#include "sample/validate.h"

#include "core/result.h"
#include "core/verdict.h"
#include "sample/montecarlo.h"
#include "util/xalloc.h"

/* The band and the median every row reports. */
static const double VALIDATE_Q[3] = { 0.05, 0.5, 0.95 };

void validate_case(const struct spec *s, int threads, struct validate_row **rows, int *n_rows)
{
    if (s->n_reported == 0)
        return;
    const struct mc_options mo = { .samples = s->samples, .seed = s->seed, .threads = threads };
    struct mc_result res;
    montecarlo_run(s, &mo, &res);
    *rows = xrealloc(*rows, (size_t)(*n_rows + s->n_reported) * sizeof **rows);
    for (int i = 0; i < s->n_reported; i++) {
        const struct reported *r = &s->reported[i];
        struct metric_stats st;
        montecarlo_metric_stats(&res, r->metric, 3, VALIDATE_Q, &st);
        const struct verdict v = verdict_of(r->value, r->tolerance_pct, r->is_prediction, st.q[0], st.q[1], st.q[2]);
        (*rows)[(*n_rows)++] = (struct validate_row){
            .run = s->name, .file = s->file, .metric = metric_info(r->metric)->key,
            .unit = metric_info(r->metric)->unit, .is_prediction = r->is_prediction, .reported = r->value,
            .p5 = st.q[0], .p50 = st.q[1], .p95 = st.q[2], .error_pct = v.error_pct,
            .tolerance_pct = r->tolerance_pct, .inside = v.inside, .ok = v.ok, .source = r->source,
        };
    }
    mc_result_release(&res);
}

int validate_failures(const struct validate_row *rows, int n_rows)
{
    int n = 0;
    for (int i = 0; i < n_rows; i++)
        n += !rows[i].ok;
    return n;
}
