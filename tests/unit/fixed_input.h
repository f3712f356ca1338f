/*
 * fixed_input.h - building a struct spec by hand in unit tests: a fixed input (DESIGN 2.9) at
 * key path 'path' with value v, drawn once per sample. Returns its index. Include once.
 */
#ifndef TS_TESTS_FIXED_INPUT_H
#define TS_TESTS_FIXED_INPUT_H

#include <string.h>

#include "core/spec.h"
#include "util/xalloc.h"

static int fixed_input(struct spec *s, const char *path, double v)
{
    s->inputs = xrealloc(s->inputs, (size_t)(s->n_inputs + 1) * sizeof *s->inputs);
    struct input *in = &s->inputs[s->n_inputs];
    memset(in, 0, sizeof *in);
    in->path = xstrdup(path);
    in->dist = (struct dist){ .kind = DIST_FIXED, .value = v, .lo = v, .hi = v };
    in->central = v;
    in->draw = INPUT_PER_SAMPLE;
    return s->n_inputs++;
}

#endif
