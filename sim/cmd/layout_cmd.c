/*
 * layout_cmd.c - `trainsim layout`: loads the scenario, enumerates the layouts of one
 * stage at the central values (core/layout.c) and hands the ranking to the writer.
 * Nothing here computes.
 */
#include "layout_cmd.h"

#include <stdlib.h>

#include "commands.h"
#include "core/model.h"
#include "core/spec.h"
#include "load/catalog.h"
#include "output/plot.h"
#include "output/writer.h"
#include "util/diag.h"
#include "util/outfile.h"
#include "util/xalloc.h"

enum { DEFAULT_TOP = 20 };

/* The stage to rank: --stage K, else the first stage of the layout form; -1 after a message. */
static int pick_stage(const struct cli_options *o, const struct spec *s)
{
    if (o->stage >= 0) {
        if (o->stage >= s->n_stages) {
            fprintf(stderr, "trainsim: error: --stage %d: the scenario has %d stage%s (0 to %d)\n", o->stage,
                    s->n_stages, s->n_stages == 1 ? "" : "s", s->n_stages - 1);
            return -1;
        }
        if (s->stages[o->stage].form != WORK_LAYOUT) {
            fprintf(stderr, "trainsim: error: --stage %d: stage '%s' is not of the layout form (give it tokens, "
                            "seq_len, a global batch and layout: auto)\n", o->stage, s->stages[o->stage].name);
            return -1;
        }
        return o->stage;
    }
    for (int k = 0; k < s->n_stages; k++)
        if (s->stages[k].form == WORK_LAYOUT)
            return k;
    fprintf(stderr, "trainsim: error: %s: no stage of the layout form (tokens + seq_len + a global batch + layout); "
                    "`trainsim layout` ranks the layouts of such a stage\n", s->file);
    return -1;
}

static void fill_row(const struct layout_candidate *c, struct layout_row *w)
{
    const struct layout *l = &c->l;
    const struct layout_time *t = &c->t;
    *w = (struct layout_row){ .tp = l->tp, .pp = l->pp, .cp = l->cp, .ep = l->ep, .dp = l->dp,
                              .microbatch = l->microbatch, .interleave = l->interleave,
                              .schedule = layout_schedule_name(l->schedule),
                              .recompute = layout_recompute_name(l->recompute), .zero = l->zero,
                              .step_s = t->step_s, .tokens_per_gpu_s = t->tokens_per_gpu_s, .mfu = t->mfu,
                              .memory_gb = c->mem.total / 1e9, .bubble_frac = t->bubble_s / t->step_s,
                              .comm_frac = (t->tp_s + t->pp_s + t->dp_s + t->ep_s + t->cp_s) / t->step_s,
                              .compute_s = t->compute_s, .bubble_s = t->bubble_s, .tp_s = t->tp_s, .pp_s = t->pp_s,
                              .dp_s = t->dp_s, .ep_s = t->ep_s, .cp_s = t->cp_s, .optimizer_s = t->optimizer_s };
}

int layout_command(const struct cli_options *o)
{
    const char *format = o->format; /* one of the command table's, checked by the parser */
    struct diag d;
    struct catalog cat;
    struct spec s;
    int rc = command_load(o, o->quiet, &d, &cat, &s);
    const int k = rc == EXIT_OK ? pick_stage(o, &s) : -1;
    if (rc == EXIT_OK && k < 0)
        rc = EXIT_INPUT;
    if (rc != EXIT_OK)
        goto done;

    double *x = xmalloc((size_t)s.n_inputs * sizeof *x);
    for (int i = 0; i < s.n_inputs; i++)
        x[i] = s.inputs[i].central;
    struct layout_problem p;
    struct layout_eff eff;
    model_layout_problem(&s, x, k, &p);
    model_layout_eff(&s, x, k, &eff);
    free(x);
    const struct stage_spec *st = &s.stages[k];
    struct layout_candidate *cand = NULL;
    long rejected[LAYOUT_REASON_COUNT] = { 0 };
    const int n = layout_enumerate(&p, st->is_layout_auto ? NULL : &st->layout, &eff, &cand, rejected);
    const int top = o->top > 0 ? o->top : DEFAULT_TOP;
    const int shown = n < top ? n : top;
    struct layout_row *rows = xcalloc((size_t)(shown > 0 ? shown : 1), sizeof *rows);
    for (int i = 0; i < shown; i++)
        fill_row(&cand[i], &rows[i]);
    const char *reasons[LAYOUT_REASON_COUNT];
    for (int r = 0; r < LAYOUT_REASON_COUNT; r++)
        reasons[r] = layout_reason_name((enum layout_reason)r);
    const struct layout_report rep = { .scenario = s.name, .file = s.file, .stage = st->name,
                                       .accelerator = s.accelerator, .count = s.count, .memory_gb = s.memory_gb,
                                       .n_rows = shown, .n_valid = n, .rows = rows, .n_reasons = LAYOUT_REASON_COUNT,
                                       .reason = reasons, .n_rejected = rejected };
    struct outfile out;
    if (!outfile_open(&out, o->output)) {
        rc = EXIT_RUNTIME;
    } else if (!writer_write(&layout_writer, format, out.f, &rep)) {
        outfile_abort(&out);
        fprintf(stderr, "trainsim: error: writing the output failed\n");
        rc = EXIT_RUNTIME;
    } else {
        rc = outfile_commit(&out) ? EXIT_OK : EXIT_RUNTIME;
    }
    if (rc == EXIT_OK && o->plot_dir && !plot_layout(o->plot_dir, &rep))
        rc = EXIT_RUNTIME;
    free(rows);
    free(cand);
done:
    spec_release(&s);
    catalog_release(&cat);
    diag_release(&d);
    return rc;
}
