/*
 * plot.c - charts with PLplot. (Placeholder until the PLplot implementation lands: every
 * function reports that charts are unavailable.)
 */
#include "output/plot.h"

#include <stdio.h>

static bool unavailable(void)
{
    fputs("trainsim: error: --plot: this trainsim was built without PLplot (install libplplot-dev and rebuild)\n",
          stderr);
    return false;
}

bool plot_available(void)
{
    return false;
}

bool plot_run(const char *dir, const struct report *r, const double *values, long n, int n_cols)
{
    (void)dir, (void)r, (void)values, (void)n, (void)n_cols;
    return unavailable();
}

bool plot_sweep(const char *dir, const struct sweep_report *r)
{
    (void)dir, (void)r;
    return unavailable();
}

bool plot_compare(const char *dir, const struct compare_report *r, const double *const *values, long n, int n_cols)
{
    (void)dir, (void)r, (void)values, (void)n, (void)n_cols;
    return unavailable();
}

bool plot_sensitivity(const char *dir, const struct sensitivity_report *r)
{
    (void)dir, (void)r;
    return unavailable();
}
