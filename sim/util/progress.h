/*
 * progress.h - a progress bar with ETA on standard error, for long runs on a terminal.
 *
 * Silent unless standard error is a terminal, progress is enabled and the work has run
 * for PROGRESS_DELAY_S; it redraws at most every PROGRESS_PERIOD_S and erases itself when
 * done, leaving the terminal tidy.
 */
#ifndef TS_UTIL_PROGRESS_H
#define TS_UTIL_PROGRESS_H

#include <stdbool.h>

struct progress {
    bool is_enabled;     /* stderr is a terminal and the caller wants it */
    bool is_shown;       /* something is on the line */
    long total;
    double t0_s, last_s; /* monotonic clock */
    const char *label;
};

/* Starts tracking 'total' units of work labelled 'label' (borrowed). */
void progress_init(struct progress *p, bool enabled, long total, const char *label);

/* Reports that 'done' units are complete; redraws when due. Call from one thread. */
void progress_update(struct progress *p, long done);

/* Erases the bar. */
void progress_end(struct progress *p);

#endif
