/*
 * progress.c - "[=====>     ] 45%  12,000/26,000 samples  ETA 3 s" on a terminal.
 */
#include "util/progress.h"

#include <stdio.h>
#include <time.h>
#include <unistd.h>

static const double PROGRESS_DELAY_S = 1.0;  /* runs shorter than this show nothing */
static const double PROGRESS_PERIOD_S = 0.2; /* redraw at most this often */
enum { PROGRESS_WIDTH = 30 };

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

void progress_init(struct progress *p, bool enabled, long total, const char *label)
{
    p->is_enabled = enabled && isatty(STDERR_FILENO);
    p->is_shown = false;
    p->total = total > 0 ? total : 1;
    p->t0_s = p->is_enabled ? now_s() : 0;
    p->last_s = p->t0_s;
    p->label = label;
}

void progress_update(struct progress *p, long done)
{
    if (!p->is_enabled)
        return;
    const double t = now_s();
    if (t - p->t0_s < PROGRESS_DELAY_S || t - p->last_s < PROGRESS_PERIOD_S)
        return;
    p->last_s = t;
    const double frac = (double)done / (double)p->total;
    const int fill = (int)(frac * PROGRESS_WIDTH);
    char bar[PROGRESS_WIDTH + 1];
    for (int i = 0; i < PROGRESS_WIDTH; i++)
        bar[i] = i < fill ? '=' : (i == fill ? '>' : ' ');
    bar[PROGRESS_WIDTH] = '\0';
    const double eta = done > 0 ? (t - p->t0_s) * (1.0 - frac) / frac : 0;
    fprintf(stderr, "\r\033[K[%s] %3.0f%%  %ld/%ld %s  ETA %.0f s", bar, 100.0 * frac, done, p->total, p->label,
            eta);
    fflush(stderr);
    p->is_shown = true;
}

void progress_end(struct progress *p)
{
    if (p->is_shown) {
        fputs("\r\033[K", stderr);
        fflush(stderr);
    }
    p->is_shown = false;
}
