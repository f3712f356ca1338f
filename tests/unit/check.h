/*
 * check.h - minimal assertions for unit tests; include once per test program.
 * Failures print "file:line: check failed: ..." so they open in an editor like diagnostics.
 */
#ifndef TS_TESTS_CHECK_H
#define TS_TESTS_CHECK_H

#include <math.h>
#include <stdio.h>
#include <stdlib.h>

static int check_failed;
#define CHECK(cond)                                                                                  \
    do {                                                                                             \
        if (!(cond)) {                                                                               \
            check_failed++;                                                                          \
            fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #cond);                 \
        }                                                                                            \
    } while (0)
/* |got - want| <= rel * |want|; with want == 0 use CHECK_ABS. */
#define CHECK_NEAR(got, want, rel)                                                                   \
    do {                                                                                             \
        const double g_ = (got), w_ = (want);                                                        \
        if (!(fabs(g_ - w_) <= (rel) * fabs(w_))) {                                                  \
            check_failed++;                                                                          \
            fprintf(stderr, "%s:%d: check failed: %s = %.17g, want %.17g (rel %g)\n", __FILE__,      \
                    __LINE__, #got, g_, w_, (double)(rel));                                          \
        }                                                                                            \
    } while (0)
#define CHECK_ABS(got, want, tol)                                                                    \
    do {                                                                                             \
        const double g_ = (got), w_ = (want);                                                        \
        if (!(fabs(g_ - w_) <= (tol))) {                                                             \
            check_failed++;                                                                          \
            fprintf(stderr, "%s:%d: check failed: %s = %.17g, want %.17g (abs %g)\n", __FILE__,      \
                    __LINE__, #got, g_, w_, (double)(tol));                                          \
        }                                                                                            \
    } while (0)
#define CHECK_EXIT() (check_failed ? EXIT_FAILURE : EXIT_SUCCESS)

#endif
