/*
 * plan.c - --vary values and sweep grids, paired differences, solve's target, range and
 * bisection (see plan.h). Pure computation: no loading, no printing.
 */
#include "sample/plan.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/result.h"
#include "core/spec.h"
#include "util/timeutil.h"
#include "util/xalloc.h"

/* ---- --vary */

void plan_vary_release(struct plan_vary *v)
{
    for (int i = 0; i < v->n; i++)
        free(v->text[i]);
    free(v->text);
    free(v->num);
    v->text = NULL;
    v->num = NULL;
    v->n = 0;
}

static void vary_add(struct plan_vary *v, const char *text, size_t len)
{
    v->text = xrealloc(v->text, (size_t)(v->n + 1) * sizeof *v->text);
    v->num = xrealloc(v->num, (size_t)(v->n + 1) * sizeof *v->num);
    v->text[v->n] = xstrndup(text, len);
    char *end;
    double x = strtod(v->text[v->n], &end);
    const char *why;
    if (end == v->text[v->n] || *end)
        x = time_parse_iso8601(v->text[v->n], &x, &why) ? x : (double)NAN;
    v->num[v->n] = x;
    v->n++;
}

/* Parses "a:b:c" or "a:b*c" when all three are numbers. */
static bool parse_range(const char *spec, double *a, double *b, double *c, bool *geometric)
{
    char *end;
    *a = strtod(spec, &end);
    if (end == spec || *end != ':')
        return false;
    const char *p = end + 1;
    *b = strtod(p, &end);
    if (end == p || (*end != ':' && *end != '*'))
        return false;
    *geometric = *end == '*';
    p = end + 1;
    *c = strtod(p, &end);
    return end != p && *end == '\0' && isfinite(*a) && isfinite(*b) && isfinite(*c);
}

/* The values of a list V1,V2,...: false at an empty one. */
static bool split_list(const char *spec, struct plan_vary *v)
{
    int depth = 0;
    const char *start = spec;
    for (const char *p = spec;; p++) {
        if (*p == '{' || *p == '[')
            depth++;
        else if (*p == '}' || *p == ']')
            depth--;
        if ((*p == ',' && depth == 0) || *p == '\0') {
            if (p == start)
                return false;
            vary_add(v, start, (size_t)(p - start));
            start = p + 1;
        }
        if (*p == '\0')
            return true;
    }
}

bool plan_vary_parse(const char *arg, bool values_required, struct plan_vary *v, char *err, size_t n_err)
{
    memset(v, 0, sizeof *v);
    const char *eq = strchr(arg, '=');
    if (!values_required && !eq) {
        snprintf(v->path, sizeof v->path, "%s", arg);
        return true;
    }
    if (!eq || eq == arg || (size_t)(eq - arg) >= sizeof v->path || !eq[1]) {
        snprintf(err, n_err, "--vary: expected PATH=V1,V2,... or PATH=START:STOP:STEP or PATH=START:STOP*FACTOR, "
                             "got '%s'", arg);
        return false;
    }
    snprintf(v->path, sizeof v->path, "%.*s", (int)(eq - arg), arg);
    const char *spec = eq + 1;
    double a, b, c;
    bool geometric;
    if (parse_range(spec, &a, &b, &c, &geometric)) {
        if (b < a || (geometric ? !(c > 1) || !(a > 0) : !(c > 0))) {
            snprintf(err, n_err, "--vary %s: the range %s is empty or endless (need START <= STOP and STEP > 0, or "
                                 "START > 0 and FACTOR > 1)", v->path, spec);
            return false;
        }
        for (int k = 0; k <= PLAN_MAX_POINTS; k++) {
            const double x = geometric ? a * pow(c, k) : a + k * c;
            if (x > b + 1e-9 * fabs(b))
                break;
            char buf[64];
            snprintf(buf, sizeof buf, "%.10g", x);
            vary_add(v, buf, strlen(buf));
        }
    } else if (!split_list(spec, v)) {
        snprintf(err, n_err, "--vary %s: empty value in '%s'", v->path, spec);
        plan_vary_release(v);
        return false;
    }
    if (v->n > PLAN_MAX_POINTS) {
        snprintf(err, n_err, "--vary %s: more than %d values", v->path, PLAN_MAX_POINTS);
        plan_vary_release(v);
        return false;
    }
    return true;
}

void plan_grid_point(const struct plan_vary *vary, int n_vary, long p, int *idx)
{
    long stride = 1;
    for (int v = n_vary - 1; v >= 0; v--) {
        idx[v] = (int)((p / stride) % vary[v].n);
        stride *= vary[v].n;
    }
}

/* ---- compare */

void plan_paired(const double *a, const double *b, long n, long stride, int n_q, const double *q,
                 struct metric_stats *diff, double *p_a_less)
{
    double *d = xmalloc((size_t)(n > 0 ? n : 1) * sizeof *d);
    long less = 0;
    bool modelled = true; /* a metric one side does not model has no difference */
    for (long i = 0; i < n; i++) {
        const double x = a[i * stride], y = b[i * stride];
        d[i] = y - x;
        less += x < y;
        modelled &= !isnan(d[i]);
    }
    montecarlo_stats(d, n, n_q, q, diff);
    *p_a_less = modelled ? (double)less / (double)n : (double)NAN;
    free(d);
}

/* Bins of compare's shared histograms: Rice's rule 2 n^(1/3), within these bounds. */
enum { PLAN_MIN_BINS = 10, PLAN_MAX_BINS = 60 };

static int bins_for(long n)
{
    const int b = (int)ceil(2.0 * cbrt((double)n));
    return b < PLAN_MIN_BINS ? PLAN_MIN_BINS : (b > PLAN_MAX_BINS ? PLAN_MAX_BINS : b);
}

struct compare_hist *plan_compare_hists(const struct mc_result *const *res, int n, const int *metrics, int n_metrics)
{
    struct compare_hist *hs = xcalloc((size_t)(n_metrics > 0 ? n_metrics : 1), sizeof *hs);
    struct metric_stats *st = xmalloc((size_t)n * sizeof *st);
    static const double half = 0.5;
    const long ns = n > 0 ? res[0]->n_samples : 0;
    for (int i = 0; i < n_metrics; i++) {
        struct compare_hist *h = &hs[i];
        const int m = metrics[i];
        h->n = ns;
        h->lo = HUGE_VAL;
        h->hi = -HUGE_VAL;
        h->median = xmalloc((size_t)(n > 0 ? n : 1) * sizeof *h->median);
        double widest = 0;
        for (int k = 0; k < n; k++) {
            montecarlo_metric_stats(res[k], m, 1, &half, &st[k]); /* NAN throughout: not modelled */
            h->lo = fmin(h->lo, st[k].min);
            h->hi = fmax(h->hi, st[k].max);
            widest = fmax(widest, st[k].max - st[k].min);
            h->median[k] = st[k].q[0];
        }
        const double b_real = widest > 0 ? bins_for(ns) * (h->hi - h->lo) / widest : PLAN_MIN_BINS;
        h->n_bins = b_real > PLAN_MAX_BINS ? PLAN_MAX_BINS : (b_real < PLAN_MIN_BINS ? PLAN_MIN_BINS : (int)b_real);
        h->count = xcalloc((size_t)(n > 0 ? n : 1) * (size_t)h->n_bins, sizeof *h->count);
        const double w = (h->hi - h->lo) / h->n_bins;
        for (int k = 0; k < n; k++)
            for (long j = 0; j < ns && !isnan(st[k].min); j++) {
                const double v = res[k]->metrics[j * METRIC_COUNT + m];
                int b = w > 0 ? (int)floor((v - h->lo) / w) : h->n_bins / 2;
                b = b < 0 ? 0 : (b >= h->n_bins ? h->n_bins - 1 : b);
                h->count[(long)k * h->n_bins + b]++;
            }
    }
    free(st);
    return hs;
}

void plan_compare_hists_free(struct compare_hist *h, int n_metrics)
{
    for (int i = 0; h && i < n_metrics; i++) {
        free(h[i].count);
        free(h[i].median);
    }
    free(h);
}

/* ---- solve: the target */

enum plan_target_status plan_target_parse(const char *text, struct plan_target *t, char *err, size_t n_err)
{
    memset(t, 0, sizeof *t);
    t->metric = -1;
    char stat[32];
    const char *dot = strchr(text, '.');
    const char *opp = strpbrk(text, "<>");
    if (!dot || !opp || dot > opp || (size_t)(dot - text) >= sizeof t->metric_name ||
        (size_t)(opp - dot - 1) >= sizeof stat)
        goto bad;
    snprintf(t->metric_name, sizeof t->metric_name, "%.*s", (int)(dot - text), text);
    snprintf(stat, sizeof stat, "%.*s", (int)(opp - dot - 1), dot + 1);
    while (strlen(stat) && stat[strlen(stat) - 1] == ' ')
        stat[strlen(stat) - 1] = '\0';
    if (opp[1] != '=') {
        snprintf(err, n_err, "--target: '%c' is not allowed, only <= and >= (a statistic of samples meets a bound "
                             "or not), got '%s'", opp[0], text);
        return PLAN_TARGET_BAD;
    }
    t->is_le = opp[0] == '<';
    char *end;
    t->value = strtod(opp + 2, &end);
    while (*end == ' ')
        end++;
    if (end == opp + 2 || *end || !isfinite(t->value))
        goto bad;
    t->metric = metric_find(t->metric_name);
    if (t->metric < 0)
        return PLAN_TARGET_UNKNOWN_METRIC;
    t->is_mean = strcmp(stat, "mean") == 0;
    if (!t->is_mean) {
        t->q = stat[0] == 'p' ? strtod(stat + 1, &end) / 100.0 : (double)NAN;
        if (stat[0] != 'p' || end == stat + 1 || *end || !(t->q > 0 && t->q < 1)) {
            snprintf(err, n_err, "--target: the statistic must be mean or a quantile like p90 or p99.5, got '%s'",
                     stat);
            return PLAN_TARGET_BAD;
        }
    }
    return PLAN_TARGET_OK;
bad:
    snprintf(err, n_err, "--target: expected 'METRIC.STAT OP VALUE' such as 'wall_days.p90<=30', got '%s'", text);
    return PLAN_TARGET_BAD;
}

void plan_solve_quantiles(const struct plan_target *t, int n_q, const double *q, char *buf, size_t n_buf)
{
    int nq = snprintf(buf, n_buf, "sim.quantiles=[");
    bool have_q = t->is_mean;
    for (int i = 0; i < n_q; i++) {
        if (!have_q && t->q < q[i]) {
            nq += snprintf(buf + nq, n_buf - (size_t)nq, "%s%.10g", i ? ", " : "", t->q);
            have_q = true;
        } else if (!have_q && t->q == q[i]) {
            have_q = true;
        }
        nq += snprintf(buf + nq, n_buf - (size_t)nq, "%s%.10g", i || nq > 16 ? ", " : "", q[i]);
    }
    if (!have_q)
        nq += snprintf(buf + nq, n_buf - (size_t)nq, ", %.10g", t->q);
    snprintf(buf + nq, n_buf - (size_t)nq, "]");
}

const char *const *plan_solve_overrides(const char *quantiles, const char *path, double x, struct plan_overrides *o)
{
    snprintf(o->set, sizeof o->set, "%s=%.10g", path, x);
    o->sets[0] = quantiles;
    o->sets[1] = o->set;
    return o->sets;
}

void plan_solve_measure(const struct plan_target *t, const struct mc_result *res, struct solve_eval *e)
{
    struct metric_stats st;
    montecarlo_metric_stats(res, t->metric, 1, &t->q, &st);
    e->stat = t->is_mean ? st.mean : st.q[0];
    e->is_met = t->is_le ? e->stat <= t->value : e->stat >= t->value;
    e->is_censored = res->n_unfinished > 0;
}

/* ---- solve: the range */

void plan_param_of(const struct spec *s, const char *path, struct plan_param *p)
{
    *p = (struct plan_param){ .is_count = strcmp(path, "cluster.count") == 0, .count = s->count,
                              .gpus_per_node = s->gpus_per_node, .current = NAN };
    if (p->is_count)
        p->current = (double)s->count;
    for (int i = 0; i < s->n_inputs; i++)
        if (strcmp(s->inputs[i].path, path) == 0)
            p->current = s->inputs[i].central;
}

void plan_solve_range(const struct plan_param *p, double *lo, double *hi, bool *is_int)
{
    *is_int = p->is_count || (p->has_rule && p->rule_is_int);
    *lo = p->is_count ? (double)p->gpus_per_node : p->current / 8;
    *hi = p->is_count ? 64.0 * (double)p->count : p->current * 8;
    if (p->has_rule && !p->is_count && !isnan(p->current)) {
        /* never a PUE below 1 or an MFU above 1: an open end is nudged inside */
        const double span = p->rule_hi - p->rule_lo;
        const double nudge = isfinite(span) && span > 0 ? 1e-6 * span : 1e-6 * fmax(fabs(p->current), 1e-300);
        *lo = fmax(*lo, p->rule_lo_open ? p->rule_lo + nudge : p->rule_lo);
        *hi = fmin(*hi, p->rule_hi_open ? p->rule_hi - nudge : p->rule_hi);
    }
    if (*is_int && !isnan(*lo)) {
        *lo = ceil(*lo);
        *hi = floor(*hi);
    }
}

bool plan_solve_grid(const char *path, const struct plan_param *p, bool is_int, double lo, double hi,
                     double *step, long *k_max, char *err, size_t n_err)
{
    if (isnan(*step))
        *step = p->is_count ? 1 : is_int ? fmax(1, floor((hi - lo) / 1000)) : (hi - lo) / 1000;
    if (isnan(lo) || isnan(hi) || !(hi > lo) || !(*step > 0) || (hi - lo) / *step > 1e9) {
        snprintf(err, n_err, "solve: give --min < --max and --step > 0 for %s%s", path,
                 isnan(p->current) ? " (it is not a number the scenario sets, so there is no default range)" : "");
        return false;
    }
    *k_max = (long)floor((hi - lo) / *step + 1e-9);
    return true;
}

bool plan_solve_setup(const struct spec *base, const char *path, const struct plan_target *t,
                      const struct plan_param *p, double min, double max, double step, struct plan_solve_setup *out,
                      char *err, size_t n_err)
{
    plan_solve_range(p, &out->lo, &out->hi, &out->is_int);
    plan_solve_quantiles(t, base->n_quantiles, base->quantiles, out->quantiles, sizeof out->quantiles);
    if (!isnan(min))
        out->lo = min;
    if (!isnan(max))
        out->hi = max;
    out->step = step;
    return plan_solve_grid(path, p, out->is_int, out->lo, out->hi, &out->step, &out->k_max, err, n_err);
}

/* ---- solve: the bisection */

/* Evaluates grid point k (cached). Returns the index of the evaluation, or -1 when the
 * evaluation failed (counted in n_failed) or there is no room for another. */
static int solver_eval(struct plan_solver *sv, long k)
{
    for (int i = 0; i < sv->n_evals; i++)
        if (sv->eval_k[i] == k)
            return i;
    if (sv->n_evals == PLAN_MAX_EVALS)
        return -1;
    const int i = sv->n_evals;
    struct solve_eval e = { .x = sv->lo + (double)k * sv->step };
    if (!sv->eval(sv->ctx, i, e.x, &e)) {
        sv->n_failed++;
        return -1;
    }
    sv->evals[i] = e;
    sv->eval_k[i] = k;
    sv->slot[i] = i;
    sv->n_evals++;
    return i;
}

/* Puts the evaluations in order of k (insertion sort: a few dozen at most). */
static void sort_evals(struct plan_solver *sv)
{
    for (int a = 1; a < sv->n_evals; a++)
        for (int b = a; b > 0 && sv->eval_k[b - 1] > sv->eval_k[b]; b--) {
            const long tk = sv->eval_k[b];
            sv->eval_k[b] = sv->eval_k[b - 1];
            sv->eval_k[b - 1] = tk;
            const struct solve_eval te = sv->evals[b];
            sv->evals[b] = sv->evals[b - 1];
            sv->evals[b - 1] = te;
            const int ts = sv->slot[b];
            sv->slot[b] = sv->slot[b - 1];
            sv->slot[b - 1] = ts;
        }
}

void plan_solver_run(struct plan_solver *sv)
{
    sv->n_evals = sv->n_failed = 0;
    sv->outcome = PLAN_SOLVE_UNREACHABLE;
    sv->answer = sv->neighbour = -1;
    sv->is_monotone = true;
    const bool largest = sv->largest;
    long good = -1, bad = -1; /* k where the target holds / fails, adjacent at the end */
    const int e_lo = solver_eval(sv, 0), e_hi = e_lo >= 0 ? solver_eval(sv, sv->k_max) : -1;
    if (e_lo < 0 || e_hi < 0) {
        sv->outcome = PLAN_SOLVE_FAILED;
        return;
    }
    const bool met_lo = sv->evals[e_lo].is_met, met_hi = sv->evals[e_hi].is_met;
    const bool want_at_far_end = largest ? met_lo : met_hi; /* the end that should meet */
    const bool other_end = largest ? met_hi : met_lo;
    if (!want_at_far_end) {
        sv->outcome = other_end ? PLAN_SOLVE_WRONG_WAY : PLAN_SOLVE_UNREACHABLE;
    } else if (other_end) {
        sv->outcome = PLAN_SOLVE_RANGE_END;
        good = largest ? sv->k_max : 0; /* met everywhere the search looks */
    } else {
        sv->outcome = PLAN_SOLVE_ANSWER;
        long k_bad = largest ? sv->k_max : 0, k_good = largest ? 0 : sv->k_max;
        while (labs(k_good - k_bad) > 1) {
            const long mid = (k_good + k_bad) / 2;
            const int e = solver_eval(sv, mid);
            if (e < 0)
                break;
            if (sv->evals[e].is_met)
                k_good = mid;
            else
                k_bad = mid;
        }
        good = k_good;
        bad = k_bad;
    }
    if (good >= 0) {
        /* A met/failed pattern that is not one boundary means the metric is not monotone
         * in the range, and the answer is only a local one. */
        const long probes[] = { sv->k_max / 4, sv->k_max / 2, 3 * sv->k_max / 4 };
        for (int i = 0; i < 3; i++)
            solver_eval(sv, probes[i]);
    }
    for (int i = 0; i < sv->n_evals; i++)
        for (int j = 0; j < sv->n_evals; j++)
            if (sv->eval_k[i] < sv->eval_k[j] && sv->evals[i].is_met != sv->evals[j].is_met &&
                sv->evals[i].is_met == !largest)
                sv->is_monotone = false;
    sort_evals(sv);
    for (int i = 0; i < sv->n_evals; i++) {
        if (sv->eval_k[i] == good)
            sv->answer = i;
        if (sv->eval_k[i] == bad)
            sv->neighbour = i;
    }
}

void plan_solve_message(const struct plan_solver *sv, const char *path, const char *target, char *buf,
                        size_t n_buf)
{
    const double lo = sv->lo, hi = sv->lo + (double)sv->k_max * sv->step;
    buf[0] = '\0';
    if (sv->outcome == PLAN_SOLVE_UNREACHABLE) {
        snprintf(buf, n_buf, "unreachable: the target %s is not met anywhere in [%.10g, %.10g]", target, lo, hi);
    } else if (sv->outcome == PLAN_SOLVE_WRONG_WAY) {
        snprintf(buf, n_buf, "not monotone the expected way: the target is met at %s = %.10g but not at %.10g; try %s",
                 path, sv->largest ? hi : lo, sv->largest ? lo : hi, sv->largest ? "without --largest" : "--largest");
    } else if (sv->answer >= 0) {
        const bool has_neighbour = sv->neighbour >= 0;
        snprintf(buf, n_buf, "answer: %s = %.10g meets %s%s%s", path, sv->evals[sv->answer].x, target,
                 has_neighbour ? "; one step " : " everywhere in the range (the answer is the range's end)",
                 has_neighbour ? (sv->largest ? "above fails it" : "below fails it") : "");
        if (!sv->is_monotone) {
            const size_t len = strlen(buf);
            snprintf(buf + len, n_buf - len, "; WARNING: the metric is not monotone in the range, this is one "
                                             "crossing of several");
        }
    }
}
