/*
 * fuzz_scenario.c - libFuzzer target: scenario text -> load_scenario_text() -> a short run.
 *
 * Each input is one scenario document. It is loaded against the built-in catalogs (loaded
 * once, in LLVMFuzzerInitialize) as if it were the file named by TS_FUZZ_SCENARIO_NAME,
 * so relative series paths resolve beside the golden cases (tests/golden/series_*.csv).
 * When the scenario loads, the rest of the pipeline runs on it with small bounds: the
 * resolved print, a 2-sample Monte Carlo run over at most 30 days and FUZZ_MAX_STEPS steps,
 * a nominal run, the report and every writer, all written to /dev/null. A crash, leak, hang or sanitizer
 * report anywhere on that path is a finding (see README.md).
 *
 * Not a test of diagnostics' text: messages go to /dev/null. The harness keeps the two
 * pieces of state libFuzzer forces on it (catalog, /dev/null stream) in file statics.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_errno.h>

#include "core/spec.h"
#include "load/catalog.h"
#include "load/load.h"
#include "output/report.h"
#include "output/writer.h"
#include "sample/montecarlo.h"
#include "util/diag.h"

#ifndef TS_FUZZ_SCENARIO_NAME
#define TS_FUZZ_SCENARIO_NAME "fuzz.yaml"
#endif

/* Bounds that keep one execution short while still running the engine: the loader allows
 * 2e7 steps per sample, about 20 s each under ASan, which would drown real hangs in
 * timeouts. The horizon is shortened, never the step, so tiny steps are still exercised. */
static const long FUZZ_SAMPLES = 2;
static const double FUZZ_MAX_DAYS = 30;
static const double FUZZ_MAX_STEPS = 1e4;
static const double MIN_PER_DAY = 1440;

static struct catalog fuzz_catalog; /* built-in catalogs, loaded once */
static FILE *fuzz_null;             /* every diagnostic and output goes here */

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    gsl_set_error_handler_off(); /* as main() does: GSL's default handler abort()s */
    fuzz_null = fopen("/dev/null", "w");
    if (!fuzz_null) {
        perror("fuzz_scenario: /dev/null");
        exit(1);
    }
    struct diag d;
    diag_init(&d, stderr);
    if (!catalog_load(&fuzz_catalog, &d, NULL)) {
        fputs("fuzz_scenario: the built-in catalogs do not load\n", stderr);
        exit(1);
    }
    diag_release(&d);
    return 0;
}

/* Runs samples (or the nominal sample) of s and writes the report in every format. */
static void run_spec(const struct spec *s, bool nominal)
{
    const struct mc_options mo = { .samples = s->samples, .seed = s->seed, .threads = 1, .nominal = nominal };
    struct mc_result res;
    montecarlo_run(s, &mo, &res);
    struct report rep;
    montecarlo_report(s, &mo, &res, &rep);
    const struct writer *const writers[] = { &writer_table, &writer_json, &writer_csv };
    for (size_t i = 0; i < sizeof writers / sizeof writers[0]; i++)
        writers[i]->write(fuzz_null, &rep);
    struct sample_table t;
    montecarlo_table(s, &res, &t);
    write_samples_csv(fuzz_null, &t);
    montecarlo_table_release(&t);
    mc_result_release(&res);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    /* Real callers hand the loader a NUL-terminated buffer (ytree_read_file); so do we. */
    char *text = malloc(size + 1);
    if (!text)
        return 0;
    memcpy(text, data, size);
    text[size] = '\0';

    struct diag d;
    diag_init(&d, fuzz_null);
    const struct load_options lo = { .catalog = &fuzz_catalog };
    struct spec s;
    if (load_scenario_text(&d, TS_FUZZ_SCENARIO_NAME, text, size, &lo, &s)) {
        load_print_resolved(fuzz_null, &s);
        s.samples = FUZZ_SAMPLES;
        if (s.max_days > FUZZ_MAX_DAYS)
            s.max_days = FUZZ_MAX_DAYS;
        if (s.max_days * MIN_PER_DAY / s.step_min > FUZZ_MAX_STEPS)
            s.max_days = FUZZ_MAX_STEPS * s.step_min / MIN_PER_DAY;
        run_spec(&s, false);
        run_spec(&s, true);
        spec_release(&s);
    }
    diag_release(&d);
    free(text);
    return 0;
}
