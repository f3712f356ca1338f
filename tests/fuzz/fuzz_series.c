/*
 * fuzz_series.c - libFuzzer target: CSV text -> series_parse() -> lookups in the series.
 *
 * Each input is one "timestamp,value" file, parsed with the bounds of grid.series
 * ([0, 10]). A series that parses is then looked up with profile_series_at() at its own
 * timestamps, between them and far outside its span (the lookup wraps around), as the
 * engine's profile does. A crash, leak, hang or sanitizer report is a finding (README.md).
 */
#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/profile.h"
#include "core/spec.h"
#include "load/series.h"
#include "util/diag.h"

/* The bounds load_scenario.c gives grid.series. */
static const double FUZZ_LO = 0, FUZZ_HI = 10;
/* Lookups far outside any timestamp the parser accepts (years 1970 to 2200), both ways. */
static const double FUZZ_FAR_S = 1e12;

static FILE *fuzz_null; /* diagnostics go here */

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    fuzz_null = fopen("/dev/null", "w");
    if (!fuzz_null) {
        perror("fuzz_series: /dev/null");
        exit(1);
    }
    return 0;
}

/* A lookup must return one of the series' values. */
static void probe(const struct series *s, double t)
{
    const double v = profile_series_at(s, t);
    if (!(v >= FUZZ_LO && v <= FUZZ_HI)) {
        fprintf(stderr, "fuzz_series: profile_series_at(%.17g) = %.17g, outside [%g, %g]\n", t, v, FUZZ_LO, FUZZ_HI);
        abort();
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    /* Real callers hand the parser a NUL-terminated buffer (ytree_read_file); so do we. */
    char *text = malloc(size + 1);
    if (!text)
        return 0;
    memcpy(text, data, size);
    text[size] = '\0';

    struct diag d;
    diag_init(&d, fuzz_null);
    struct series s;
    if (series_parse(&d, "fuzz.csv", text, size, FUZZ_LO, FUZZ_HI, "grid.series", &s)) {
        for (int i = 0; i < s.n; i++) {
            probe(&s, s.t_unix_s[i]);
            if (i + 1 < s.n)
                probe(&s, s.t_unix_s[i] + 0.5 * (s.t_unix_s[i + 1] - s.t_unix_s[i]));
        }
        probe(&s, s.t_unix_s[0] - FUZZ_FAR_S);
        probe(&s, s.t_unix_s[s.n - 1] + FUZZ_FAR_S);
        probe(&s, nextafter(s.t_unix_s[0], -HUGE_VAL));
        free(s.t_unix_s);
        free(s.value);
        free(s.path);
    }
    diag_release(&d);
    free(text);
    return 0;
}
