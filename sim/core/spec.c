/*
 * spec.c - releasing a spec and simple queries on it. No I/O.
 */
#include "core/spec.h"

#include <stdlib.h>
#include <string.h>

static void series_release(struct series *s)
{
    free(s->t_unix_s);
    free(s->value);
    free(s->path);
}

void spec_release(struct spec *s)
{
    if (!s)
        return;
    for (int i = 0; i < s->n_inputs; i++) {
        free(s->inputs[i].path);
        free(s->inputs[i].dist.values);
        free(s->inputs[i].dist.weights);
    }
    free(s->inputs);
    for (int k = 0; k < s->n_stages; k++) {
        free(s->stages[k].name);
        free(s->stages[k].precision);
        free(s->stages[k].curve.x);
        free(s->stages[k].curve.y);
    }
    free(s->stages);
    free(s->name);
    free(s->description);
    free(s->file);
    free(s->model);
    free(s->model_name);
    free(s->accelerator);
    free(s->facility_preset);
    free(s->grid_region);
    series_release(&s->pue_series);
    series_release(&s->grid_series);
    free(s->quantiles);
    for (int i = 0; i < s->n_reported; i++)
        free(s->reported[i].source);
    free(s->reported);
    memset(s, 0, sizeof *s);
}

bool spec_input_uncertain(const struct spec *s, int i)
{
    return s->inputs[i].draw == INPUT_PER_SAMPLE && s->inputs[i].dist.kind != DIST_FIXED;
}

int spec_n_uncertain(const struct spec *s)
{
    int n = 0;
    for (int i = 0; i < s->n_inputs; i++)
        n += spec_input_uncertain(s, i);
    return n;
}
