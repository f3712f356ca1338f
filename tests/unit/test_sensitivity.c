/*
 * test_sensitivity.c - the sensitivity estimators against analytic answers.
 *
 * Ishigami function (Ishigami & Homma 1990), the standard test of Sobol estimators:
 * f = sin x1 + a sin^2 x2 + b x3^4 sin x1, x_i ~ U(-pi, pi), a = 7, b = 0.1. Analytic values
 * (Saltelli et al. 2008, "Global Sensitivity Analysis: The Primer", sec. 4.6):
 * V = a^2/8 + b pi^4/5 + b^2 pi^8/18 + 1/2 = 13.8446;
 * S1 = (b pi^4/5 + b^2 pi^8/50 + 1/2)/V = 0.3139, S2 = a^2/(8V) = 0.4424, S3 = 0;
 * ST1 = 0.5576, ST2 = 0.4424, ST3 = (8 b^2 pi^8/225)/V = 0.2437.
 */
#include <math.h>
#include <stdlib.h>

#include <gsl/gsl_rng.h>

#include "check.h"
#include "sample/rng.h"
#include "sample/sensitivity.h"

static const double PI = 3.14159265358979323846;

static double ishigami(const double *x)
{
    return sin(x[0]) + 7.0 * sin(x[1]) * sin(x[1]) + 0.1 * pow(x[2], 4) * sin(x[0]);
}

static void test_ishigami(void)
{
    enum { N = 50000, K = 3 };
    double *a = malloc(N * K * sizeof *a), *b = malloc(N * K * sizeof *b);
    double *fa = malloc(N * sizeof *fa), *fb = malloc(N * sizeof *fb), *fab = malloc(N * sizeof *fab);
    gsl_rng *r = rng_new();
    gsl_rng_set(r, 20251128);
    for (int i = 0; i < N * K; i++) {
        a[i] = -PI + 2 * PI * gsl_rng_uniform(r);
        b[i] = -PI + 2 * PI * gsl_rng_uniform(r);
    }
    for (int i = 0; i < N; i++) {
        fa[i] = ishigami(&a[i * K]);
        fb[i] = ishigami(&b[i * K]);
    }
    const double s1[K] = { 0.3139, 0.4424, 0.0 }, st[K] = { 0.5576, 0.4424, 0.2437 };
    for (int j = 0; j < K; j++) {
        for (int i = 0; i < N; i++) {
            double x[K] = { a[i * K], a[i * K + 1], a[i * K + 2] };
            x[j] = b[i * K + j];
            fab[i] = ishigami(x);
        }
        struct sobol_estimate e;
        sensitivity_sobol(fa, fb, fab, N, 100, 7, &e);
        fprintf(stderr, "ishigami x%d: first %.4f [%.4f, %.4f] (want %.4f), total %.4f [%.4f, %.4f] (want %.4f)\n",
                j + 1, e.first, e.first_lo, e.first_hi, s1[j], e.total, e.total_lo, e.total_hi, st[j]);
        /* With N = 50,000 the estimators' standard errors are about 0.01 (the bootstrap
         * intervals printed above); 0.03 is three of them. */
        CHECK_ABS(e.first, s1[j], 0.03);
        CHECK_ABS(e.total, st[j], 0.03);
        CHECK(e.first_lo <= e.first && e.first <= e.first_hi);
        CHECK(e.total_lo <= e.total && e.total <= e.total_hi);
        CHECK(e.first_hi - e.first_lo < 0.1);
    }
    gsl_rng_free(r);
    free(a);
    free(b);
    free(fa);
    free(fb);
    free(fab);
}

/* A constant output has no variance to share: both indices 0. */
static void test_constant(void)
{
    double f[4] = { 2, 2, 2, 2 };
    struct sobol_estimate e;
    sensitivity_sobol(f, f, f, 4, 10, 1, &e);
    CHECK_ABS(e.first, 0, 0);
    CHECK_ABS(e.total, 0, 0);
}

/* Spearman: 1 for any increasing relation, -1 for decreasing, 0 for a constant. */
static void test_spearman(void)
{
    double x[6] = { 0.3, 1.7, 2.2, 5.9, 6.1, 9.4 }, y[6], z[6], c[6] = { 1, 1, 1, 1, 1, 1 };
    for (int i = 0; i < 6; i++) {
        y[i] = exp(x[i]);
        z[i] = -x[i] * x[i];
    }
    CHECK_NEAR(sensitivity_spearman(x, y, 6), 1.0, 1e-12);
    CHECK_NEAR(sensitivity_spearman(x, z, 6), -1.0, 1e-12);
    CHECK_ABS(sensitivity_spearman(x, c, 6), 0, 0);
}

/* Elasticity by central difference: f = x^2 at x = 3 gives (3.3^2 - 2.7^2) / (0.2 x 9) = 2
 * exactly (a power law's elasticity is its exponent; the central difference is exact for
 * x^2); f = 5 x gives 1; f = 1 / x gives -1 / (1 - h^2) = -1.0101; f0 = 0 gives NAN. */
static void test_elasticity(void)
{
    CHECK_NEAR(sensitivity_elasticity(2.7 * 2.7, 9, 3.3 * 3.3, 0.1), 2, 1e-12);
    CHECK_NEAR(sensitivity_elasticity(5 * 0.9, 5, 5 * 1.1, 0.1), 1, 1e-12);
    CHECK_NEAR(sensitivity_elasticity(1 / 0.9, 1, 1 / 1.1, 0.1), -1 / (1 - 0.01), 1e-12);
    CHECK(isnan(sensitivity_elasticity(1, 0, 2, 0.1)));
    /* scaling a distribution scales its support and centre, not a lognormal's gsd */
    struct dist d = { .kind = DIST_LOGNORMAL, .a = 30, .b = 1.8, .lo = 0, .hi = HUGE_VAL }, sc;
    sensitivity_scale_dist(&d, 1.1, &sc);
    CHECK_NEAR(sc.a, 33, 1e-15);
    CHECK(sc.b == 1.8 && sc.lo == 0 && isinf(sc.hi));
    sensitivity_dist_release(&sc);
    double v[2] = { 1, 3 }, w[2] = { 0.25, 0.75 };
    struct dist c = { .kind = DIST_CHOICE, .n_values = 2, .values = v, .weights = w, .lo = 1, .hi = 3 };
    sensitivity_scale_dist(&c, 0.9, &sc);
    CHECK(sc.values != v && sc.values[1] == 3 * 0.9 && sc.weights[1] == 0.75 && sc.hi == 3 * 0.9);
    sensitivity_dist_release(&sc);
    struct dist n = { .kind = DIST_NORMAL, .a = 10, .b = 2, .lo = -HUGE_VAL, .hi = HUGE_VAL };
    sensitivity_scale_dist(&n, 1.1, &sc);
    CHECK_NEAR(sc.a, 11, 1e-15);
    CHECK_NEAR(sc.b, 2.2, 1e-15);
    CHECK(isinf(sc.lo) && sc.lo < 0);
    sensitivity_dist_release(&sc);
}

/* The Saltelli design on 2 rows of 3 inputs, by hand: AB_j is A with column j from B. */
static void test_saltelli_design(void)
{
    const double a[6] = { 1, 2, 3, 4, 5, 6 }, b[6] = { 10, 20, 30, 40, 50, 60 };
    const double want[3][6] = { { 10, 2, 3, 40, 5, 6 }, { 1, 20, 3, 4, 50, 6 }, { 1, 2, 30, 4, 5, 60 } };
    for (int j = 0; j < 3; j++) {
        double ab[6];
        sensitivity_saltelli_ab(a, b, 2, 3, j, ab);
        for (int c = 0; c < 6; c++)
            CHECK(ab[c] == want[j][c]);
    }
    double t[6];
    sensitivity_tornado_inputs(a, 2, 3, 2, 0.5, t);
    const double tw[6] = { 1, 2, 0.5, 4, 5, 0.5 };
    for (int c = 0; c < 6; c++)
        CHECK(t[c] == tw[c]);
    /* every (metric, input) pair its own bootstrap seed: seed + mi k + j */
    CHECK(sensitivity_sobol_seed(1, 0, 3, 0) == 1 && sensitivity_sobol_seed(1, 0, 3, 2) == 3);
    CHECK(sensitivity_sobol_seed(1, 1, 3, 0) == 4 && sensitivity_sobol_seed(7, 2, 5, 4) == 21);
}

/* An additive linear model on the design: f = 2 x1 + x2 + 0 x3, x_i ~ U(0, 1) independent:
 * V = (4 + 1) / 12, S1 = ST1 = 4/5, S2 = ST2 = 1/5, S3 = ST3 = 0. */
static double linear(const double *x)
{
    return 2 * x[0] + x[1] + 0 * x[2];
}

static void test_linear_model(void)
{
    enum { N = 20000, K = 3 };
    double *a = malloc(N * K * sizeof *a), *b = malloc(N * K * sizeof *b), *ab = malloc(N * K * sizeof *ab);
    double *fa = malloc(N * sizeof *fa), *fb = malloc(N * sizeof *fb), *fab = malloc(N * sizeof *fab);
    gsl_rng *r = rng_new();
    gsl_rng_set(r, 42);
    for (int i = 0; i < N * K; i++) {
        a[i] = gsl_rng_uniform(r);
        b[i] = gsl_rng_uniform(r);
    }
    for (int i = 0; i < N; i++) {
        fa[i] = linear(&a[i * K]);
        fb[i] = linear(&b[i * K]);
    }
    const double want[K] = { 0.8, 0.2, 0.0 };
    for (int j = 0; j < K; j++) {
        sensitivity_saltelli_ab(a, b, N, K, j, ab);
        for (int i = 0; i < N; i++)
            fab[i] = linear(&ab[i * K]);
        struct sobol_estimate e;
        sensitivity_sobol(fa, fb, fab, N, 50, sensitivity_sobol_seed(1, 0, K, j), &e);
        fprintf(stderr, "linear x%d: first %.4f, total %.4f (want %.1f)\n", j + 1, e.first, e.total, want[j]);
        /* standard errors about 0.01 at N = 20,000: 0.03 is three of them */
        CHECK_ABS(e.first, want[j], 0.03);
        CHECK_ABS(e.total, want[j], 0.03);
        if (j == 2)
            CHECK(e.first == 0 && e.total == 0); /* AB_3 changes nothing the model sees: exactly 0 */
    }
    gsl_rng_free(r);
    free(a);
    free(b);
    free(ab);
    free(fa);
    free(fb);
    free(fab);
}

int main(void)
{
    test_saltelli_design();
    test_linear_model();
    test_elasticity();
    test_ishigami();
    test_constant();
    test_spearman();
    return CHECK_EXIT();
}
