/*
 * bench.c - trainsim_bench: the figure of merit (samples per second per core, with the
 * random and deterministic events per sample beside it) on the bench scenarios, thread
 * scaling, peak memory, end-to-end time, and the numpy comparison.
 *
 * Every measurement runs in a fresh child process (this program re-executed with --child),
 * so each peak RSS belongs to one configuration only and no OpenMP runtime is ever forked.
 * A child loads one scenario, runs montecarlo_run() R times and reports the best wall time
 * (CLOCK_MONOTONIC around montecarlo_run only: loading is reported apart), the events per
 * sample (failures, maintenances and checkpoints, counted by running the first samples
 * again through the engine and reading engine_state()), the grid steps per sample, and its
 * peak RSS (getrusage ru_maxrss). The parent prints the tables; see README.md.
 * Timing is never part of pass/fail (DESIGN 6, STYLE B8.7): the only verdict printed is the
 * statistical agreement of trainsim with the numpy models in bench/.
 */
#include <errno.h>
#include <math.h>
#include <spawn.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "core/engine.h"
#include "core/profile.h"
#include "core/result.h"
#include "core/spec.h"
#include "load/catalog.h"
#include "load/load.h"
#include "sample/montecarlo.h"
#include "util/diag.h"
#include "util/par.h"

#ifdef _OPENMP
#include <omp.h>
#endif

extern char **environ;

enum { BENCH_MAX_SCENARIOS = 16, BENCH_OUT_MAX = 1 << 16, BENCH_PATH_MAX = 4096 };

/* Agreement threshold: |mean_a - mean_b| within this many combined standard errors. */
static const double AGREE_MAX_SE = 4.0;
static const double MIN_PER_H = 60.0;
static const double HOURS_PER_DAY = 24.0;

static const char *const default_scenarios[] = { "a-2048-57d.yaml", "a-2048-57d-varying.yaml", "b-16384-highfail.yaml",
                                                 "c-series-curve.yaml" };
enum { BENCH_N_DEFAULT = sizeof default_scenarios / sizeof default_scenarios[0] };
/* Samples run again through the engine to count their events. */
static const long EVENT_SAMPLES = 200;

struct bench_options {
    long samples;          /* per timing run */
    int threads;           /* the "all threads" count */
    int repeat;            /* best of */
    const char *trainsim;  /* binary for the end-to-end time */
    const char *python;    /* python with numpy */
    long numpy_samples;
    long agree_samples;    /* trainsim samples for the agreement check */
    long mem_samples;      /* samples of the step 1 vs step 60 memory comparison */
    bool do_scaling, do_e2e, do_memory, do_numpy;
    const char *scenarios[BENCH_MAX_SCENARIOS];
    int n_scenarios;
};

/* What one child reports. */
struct child_report {
    bool ok;
    double seconds;        /* best montecarlo_run wall time */
    double cpu_s;          /* process CPU time (all threads) of that best run */
    double sample_steps;
    double steps_mean;
    double failures_mean, maintenances_mean, checkpoints_mean; /* events per sample */
    double load_s;         /* catalog + scenario load, once */
    double profile_s;      /* profile_new() alone, once (also inside every montecarlo_run) */
    double rss_kb;
    double wall_days_mean, wall_days_sd, fac_kwh_mean, fac_kwh_sd;
    long samples;
};

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static double cpu_now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static double peak_rss_kb(void)
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return (double)ru.ru_maxrss; /* Linux: kilobytes */
}

static void mean_sd(const double *m, long n, int metric, double *mean, double *sd)
{
    double s = 0;
    for (long i = 0; i < n; i++)
        s += m[i * METRIC_COUNT + metric];
    *mean = s / (double)n;
    double ss = 0;
    for (long i = 0; i < n; i++) {
        const double d = m[i * METRIC_COUNT + metric] - *mean;
        ss += d * d;
    }
    *sd = n > 1 ? sqrt(ss / (double)(n - 1)) : 0.0;
}

/* ---- Child: one scenario, one configuration */

static int child_main(const char *file, long samples, int threads, int repeat, double step_min)
{
    struct diag d;
    diag_init(&d, stderr);
    d.quiet_warnings = true;
    struct catalog cat;
    struct spec s;
    char set_step[64];
    const char *sets[1];
    int n_sets = 0;
    if (step_min > 0) {
        snprintf(set_step, sizeof set_step, "sim.step_min=%g", step_min);
        sets[n_sets++] = set_step;
    }
    const double t_load = now_s();
    if (!catalog_load(&cat, &d, NULL)) {
        diag_release(&d);
        return 1;
    }
    const struct load_options lo = { .sets = sets, .n_sets = n_sets, .catalog = &cat };
    if (!load_scenario(&d, file, &lo, &s)) {
        catalog_release(&cat);
        diag_release(&d);
        return 1;
    }
    const double load_s = now_s() - t_load;

    const double t_prof = now_s();
    struct profile *prof = profile_new(&s);
    const double profile_s = now_s() - t_prof;
    profile_free(prof);

    const struct mc_options mo = { .samples = samples, .seed = s.seed, .threads = threads };
    const double step_h = s.step_min / MIN_PER_H;
    double best = HUGE_VAL, best_cpu = 0, sample_steps = 0;
    double wd_mean = 0, wd_sd = 0, fe_mean = 0, fe_sd = 0;
    for (int r = 0; r < repeat; r++) {
        struct mc_result res;
        const double t0 = now_s(), c0 = cpu_now_s();
        montecarlo_run(&s, &mo, &res);
        const double dt = now_s() - t0, cpu = cpu_now_s() - c0;
        if (dt < best) {
            best = dt;
            best_cpu = cpu;
        }
        sample_steps = 0;
        for (long i = 0; i < res.n_samples; i++)
            sample_steps += ceil(res.metrics[i * METRIC_COUNT + METRIC_WALL_DAYS] * HOURS_PER_DAY / step_h);
        mean_sd(res.metrics, res.n_samples, METRIC_WALL_DAYS, &wd_mean, &wd_sd);
        mean_sd(res.metrics, res.n_samples, METRIC_FACILITY_ENERGY_KWH, &fe_mean, &fe_sd);
        mc_result_release(&res);
    }
    /* Events per sample: the first samples again, each read back from engine_state(). */
    const long n_ev = samples < EVENT_SAMPLES ? samples : EVENT_SAMPLES;
    double fails = 0, maint = 0, ckpts = 0;
    prof = profile_new(&s);
    struct engine *e = engine_new(&s, prof);
    for (long i = 0; i < n_ev; i++) {
        struct mc_trial *t = montecarlo_trial_new(&s, s.seed, i, false);
        struct run_result r;
        engine_run(e, montecarlo_trial_get(t), &r);
        struct engine_state st;
        engine_state(e, &st);
        fails += (double)st.interruptions;
        maint += (double)st.maintenances;
        ckpts += (double)st.checkpoints;
        montecarlo_trial_free(t);
    }
    engine_free(e);
    profile_free(prof);
    printf("ok=1 samples=%ld seconds=%.6f cpu_s=%.6f sample_steps=%.0f steps_mean=%.2f load_s=%.6f profile_s=%.6f "
           "rss_kb=%.0f wall_days_mean=%.12g wall_days_sd=%.12g facility_energy_kwh_mean=%.12g "
           "facility_energy_kwh_sd=%.12g failures_mean=%.3f maintenances_mean=%.3f checkpoints_mean=%.3f\n",
           samples, best, best_cpu, sample_steps, sample_steps / (double)samples, load_s, profile_s, peak_rss_kb(), wd_mean,
           wd_sd, fe_mean, fe_sd, fails / (double)n_ev, maint / (double)n_ev, ckpts / (double)n_ev);
    spec_release(&s);
    catalog_release(&cat);
    diag_release(&d);
    return 0;
}

/* ---- Parent: spawning and parsing */

/* Runs argv with stdout captured into out (NUL-terminated, truncated to cap); stderr is
 * inherited. Returns the exit status (-1 when it could not run) and the wall time. */
static int spawn_capture(char *const argv[], char *out, size_t cap, double *seconds)
{
    *seconds = HUGE_VAL;
    out[0] = '\0';
    int fd[2];
    if (pipe(fd) != 0)
        return -1;
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_adddup2(&fa, fd[1], STDOUT_FILENO);
    posix_spawn_file_actions_addclose(&fa, fd[0]);
    posix_spawn_file_actions_addclose(&fa, fd[1]);
    pid_t pid;
    const double t0 = now_s();
    const int err = posix_spawn(&pid, argv[0], &fa, NULL, argv, environ);
    posix_spawn_file_actions_destroy(&fa);
    close(fd[1]);
    size_t n = 0;
    if (err == 0) {
        for (;;) {
            char buf[4096];
            const ssize_t k = read(fd[0], buf, sizeof buf);
            if (k < 0 && errno == EINTR)
                continue;
            if (k <= 0)
                break;
            const size_t take = (size_t)k < cap - 1 - n ? (size_t)k : cap - 1 - n;
            memcpy(out + n, buf, take);
            n += take;
        }
    }
    close(fd[0]);
    out[n] = '\0';
    if (err != 0) {
        fprintf(stderr, "trainsim_bench: cannot run '%s': %s\n", argv[0], strerror(err));
        return -1;
    }
    int status;
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
        ;
    *seconds = now_s() - t0;
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + (WIFSIGNALED(status) ? WTERMSIG(status) : 0);
}

/* An argv built from const strings: posix_spawn() wants char *const[], so copy them. */
struct argv_buf {
    char store[4 * BENCH_PATH_MAX];
    size_t used;
    char *v[16];
    int n;
};

static void argv_add(struct argv_buf *a, const char *s)
{
    const size_t len = strlen(s) + 1;
    if (a->n >= (int)(sizeof a->v / sizeof a->v[0]) - 1 || a->used + len > sizeof a->store) {
        fprintf(stderr, "trainsim_bench: argument list too long\n");
        exit(1);
    }
    memcpy(a->store + a->used, s, len);
    a->v[a->n++] = a->store + a->used;
    a->v[a->n] = NULL;
    a->used += len;
}

/* Value of "key=" in a line of key=value pairs, or NAN. */
static double field(const char *text, const char *key)
{
    const size_t k = strlen(key);
    for (const char *p = text; (p = strstr(p, key)) != NULL; p += k) {
        if ((p == text || p[-1] == ' ' || p[-1] == '\n') && p[k] == '=')
            return strtod(p + k + 1, NULL);
    }
    return NAN;
}

static struct child_report run_child(const char *self, const char *file, long samples, int threads, int repeat,
                                     double step_min)
{
    char a_samples[32], a_threads[32], a_repeat[32], a_step[32];
    snprintf(a_samples, sizeof a_samples, "%ld", samples);
    snprintf(a_threads, sizeof a_threads, "%d", threads);
    snprintf(a_repeat, sizeof a_repeat, "%d", repeat);
    snprintf(a_step, sizeof a_step, "%g", step_min);
    struct argv_buf av = { .n = 0 };
    const char *const args[] = { self, "--child", file, a_samples, a_threads, a_repeat, a_step };
    for (size_t k = 0; k < sizeof args / sizeof args[0]; k++)
        argv_add(&av, args[k]);
    static char out[BENCH_OUT_MAX];
    double sec;
    struct child_report r = { 0 };
    const int rc = spawn_capture(av.v, out, sizeof out, &sec);
    r.ok = rc == 0 && field(out, "ok") == 1;
    if (!r.ok) {
        fprintf(stderr, "trainsim_bench: measuring %s (samples %ld, threads %d) failed (status %d)\n", file, samples,
                threads, rc);
        return r;
    }
    r.samples = samples;
    r.seconds = field(out, "seconds");
    r.cpu_s = field(out, "cpu_s");
    r.sample_steps = field(out, "sample_steps");
    r.steps_mean = field(out, "steps_mean");
    r.failures_mean = field(out, "failures_mean");
    r.maintenances_mean = field(out, "maintenances_mean");
    r.checkpoints_mean = field(out, "checkpoints_mean");
    r.load_s = field(out, "load_s");
    r.profile_s = field(out, "profile_s");
    r.rss_kb = field(out, "rss_kb");
    r.wall_days_mean = field(out, "wall_days_mean");
    r.wall_days_sd = field(out, "wall_days_sd");
    r.fac_kwh_mean = field(out, "facility_energy_kwh_mean");
    r.fac_kwh_sd = field(out, "facility_energy_kwh_sd");
    return r;
}

static const char *base_name(const char *path)
{
    const char *s = strrchr(path, '/');
    return s ? s + 1 : path;
}

/* ---- Parent: the sections */

static void print_loadavg(const char *when)
{
    FILE *f = fopen("/proc/loadavg", "r");
    double l1 = NAN, l5 = NAN;
    if (f) {
        if (fscanf(f, "%lf %lf", &l1, &l5) != 2)
            l1 = l5 = NAN;
        fclose(f);
    }
    printf("load average %s: %.2f (1 min), %.2f (5 min) -- other processes on the machine skew the timings\n", when,
           l1, l5);
}

static void section_scaling(const char *self, const struct bench_options *o)
{
    printf("\n== samples/s (best of %d; %ld samples; montecarlo_run only, load excluded)\n", o->repeat, o->samples);
    printf("%-26s %7s %8s %7s %8s %9s %10s %10s %10s %12s %5s %7s %7s\n", "scenario", "samples", "fail/smp",
           "mnt/smp", "ckpt/smp", "steps/smp", "1 thread", "per cpu-s", "w/o prof", "T threads", "eff", "RSS MB",
           "prof s");
    for (int i = 0; i < o->n_scenarios; i++) {
        const char *f = o->scenarios[i];
        const struct child_report one = run_child(self, f, o->samples, 1, o->repeat, 0);
        const struct child_report all = run_child(self, f, o->samples, o->threads, o->repeat, 0);
        if (!one.ok || !all.ok)
            continue;
        const double n = (double)o->samples;
        const double r1 = n / one.seconds, rt = n / all.seconds;
        char tcol[32];
        snprintf(tcol, sizeof tcol, "%.3g @%d", rt, o->threads);
        printf("%-26s %7ld %8.1f %7.1f %8.0f %9.0f %10.3g %10.3g %10.3g %12s %5.2f %7.1f %7.3f\n", base_name(f),
               o->samples, one.failures_mean, one.maintenances_mean, one.checkpoints_mean, one.steps_mean, r1,
               n / one.cpu_s, n / (one.seconds - one.profile_s), tcol, rt / r1 / o->threads, all.rss_kb / 1024.0,
               one.profile_s);
        fflush(stdout);
    }
    printf("fail, mnt, ckpt /smp = failures, planned maintenances and checkpoints per sample (the first %ld\n"
           "samples); steps/smp = grid steps per sample (what a step-by-step walk does); 1 thread = samples /\n"
           "wall s at 1 thread; per cpu-s = the same per CPU second (robust to a busy machine); w/o prof = wall s\n"
           "minus one profile_new(), which every montecarlo_run pays; eff = (rate at T / rate at 1) / T; RSS =\n"
           "peak of the T-thread child process\n",
           EVENT_SAMPLES);
}

static void section_e2e(const struct bench_options *o)
{
    printf("\n== end to end: trainsim run FILE --format json -o TMP --quiet (best of %d, all threads)\n", o->repeat);
    char dir[] = "/tmp/trainsim_bench.XXXXXX";
    if (!mkdtemp(dir)) {
        fprintf(stderr, "trainsim_bench: mkdtemp: %s\n", strerror(errno));
        return;
    }
    char out_path[BENCH_PATH_MAX];
    snprintf(out_path, sizeof out_path, "%s/out.json", dir);
    for (int i = 0; i < o->n_scenarios; i++) {
        struct argv_buf av = { .n = 0 };
        const char *const args[] = { o->trainsim, "run", o->scenarios[i], "--format", "json", "-o", out_path,
                                     "--quiet" };
        for (size_t k = 0; k < sizeof args / sizeof args[0]; k++)
            argv_add(&av, args[k]);
        static char out[BENCH_OUT_MAX];
        double best = HUGE_VAL;
        int rc = 0;
        for (int r = 0; r < o->repeat && rc == 0; r++) {
            double sec;
            rc = spawn_capture(av.v, out, sizeof out, &sec);
            if (sec < best)
                best = sec;
        }
        /* The samples the file asks for, read back from the JSON it wrote. */
        long n = 0;
        FILE *fp = fopen(out_path, "r");
        if (fp) {
            const size_t k = fread(out, 1, sizeof out - 1, fp);
            out[k] = '\0';
            fclose(fp);
            const char *p = strstr(out, "\"samples\":");
            n = p ? strtol(p + 10, NULL, 10) : 0;
        }
        if (rc != 0)
            printf("%-24s failed (status %d)\n", base_name(o->scenarios[i]), rc);
        else
            printf("%-24s %8ld samples %8.3f s\n", base_name(o->scenarios[i]), n, best);
        remove(out_path);
        fflush(stdout);
    }
    rmdir(dir);
}

static void section_memory(const char *self, const struct bench_options *o)
{
    const char *a = o->scenarios[0];
    printf("\n== memory: peak RSS of one montecarlo_run (%d threads)\n", o->threads);
    printf("%-24s %9s %9s %10s %9s\n", "scenario", "step_min", "samples", "steps/smp", "RSS MB");
    const long big[] = { 100000, 1000000 };
    struct child_report rb[2];
    for (int k = 0; k < 2; k++) {
        rb[k] = run_child(self, a, big[k], o->threads, 1, 60);
        if (rb[k].ok)
            printf("%-24s %9d %9ld %10.0f %9.1f   (%.2f s)\n", base_name(a), 60, big[k], rb[k].steps_mean,
                   rb[k].rss_kb / 1024.0, rb[k].seconds);
        fflush(stdout);
    }
    if (rb[0].ok && rb[1].ok)
        printf("  -> %.0f bytes per extra sample between 1e5 and 1e6\n",
               (rb[1].rss_kb - rb[0].rss_kb) * 1024.0 / (double)(big[1] - big[0]));
    for (int i = 0; i < o->n_scenarios; i++) {
        const double steps[] = { 1, 60 };
        for (int k = 0; k < 2; k++) {
            const struct child_report r = run_child(self, o->scenarios[i], o->mem_samples, o->threads, 1, steps[k]);
            if (r.ok)
                printf("%-24s %9g %9ld %10.0f %9.1f\n", base_name(o->scenarios[i]), steps[k], o->mem_samples,
                       r.steps_mean, r.rss_kb / 1024.0);
            fflush(stdout);
        }
    }
}

/* Runs one numpy model (a script in bench/) on scenario A, checks that it agrees with
 * trainsim's run ts, and prints its speed against ts and the 1-thread run t1. */
static void numpy_model(const struct bench_options *o, const char *name, const char *what,
                        const struct child_report *ts, const struct child_report *t1)
{
    printf("\n-- %s: %s, %ld samples\n", name, what, o->numpy_samples);
    char script[BENCH_PATH_MAX], n_arg[32];
    snprintf(script, sizeof script, "%s/%s", TS_BENCH_DIR, name);
    snprintf(n_arg, sizeof n_arg, "%ld", o->numpy_samples);
    struct argv_buf av = { .n = 0 };
    const char *const args[] = { o->python, script, "--samples", n_arg };
    for (size_t k = 0; k < sizeof args / sizeof args[0]; k++)
        argv_add(&av, args[k]);
    static char out[BENCH_OUT_MAX];
    double sec;
    const int rc = spawn_capture(av.v, out, sizeof out, &sec);
    const double np_seconds = field(out, "seconds"), np_cpu_s = field(out, "cpu_seconds");
    const double np_rate = field(out, "samples") / np_seconds;
    if (rc != 0 || isnan(np_rate)) {
        printf("numpy model failed (status %d); is python3-numpy installed for %s?\n", rc, o->python);
        return;
    }
    const double n_np = field(out, "samples");
    struct {
        const char *name;
        double m1, s1, m2, s2;
    } rows[] = {
        { "wall_days", ts->wall_days_mean, ts->wall_days_sd, field(out, "wall_days_mean"), field(out, "wall_days_sd") },
        { "facility_energy_kwh", ts->fac_kwh_mean, ts->fac_kwh_sd, field(out, "facility_energy_kwh_mean"),
          field(out, "facility_energy_kwh_sd") },
    };
    bool agree = true;
    printf("%-20s %16s %12s %16s %12s %8s\n", "metric", "trainsim mean", "sd", "numpy mean", "sd", "z");
    for (size_t k = 0; k < sizeof rows / sizeof rows[0]; k++) {
        const double se = sqrt(rows[k].s1 * rows[k].s1 / (double)ts->samples + rows[k].s2 * rows[k].s2 / n_np);
        const double z = (rows[k].m1 - rows[k].m2) / se;
        agree = agree && fabs(z) <= AGREE_MAX_SE;
        printf("%-20s %16.6g %12.4g %16.6g %12.4g %8.2f\n", rows[k].name, rows[k].m1, rows[k].s1, rows[k].m2,
               rows[k].s2, z);
    }
    printf("agreement (|z| <= %g combined standard errors): %s\n", AGREE_MAX_SE, agree ? "PASS" : "FAIL");
    const double r1 = (double)t1->samples / t1->seconds;
    const double rt = (double)ts->samples / ts->seconds;
    const double np_cpu_rate = n_np / np_cpu_s;
    const double r1_cpu = (double)t1->samples / t1->cpu_s;
    printf("numpy %.3g samples/s (%.1f s), %.3g per cpu-s; trainsim %.3g (1 thread), %.3g per cpu-s, "
           "%.3g (%d threads)\n",
           np_rate, np_seconds, np_cpu_rate, r1, r1_cpu, rt, o->threads);
    printf("speed ratio trainsim / numpy: %.1fx (1 thread, wall), %.1fx (per cpu-s), %.1fx (%d threads, wall)\n",
           r1 / np_rate, r1_cpu / np_cpu_rate, rt / np_rate, o->threads);
    fflush(stdout);
}

static void section_numpy(const char *self, const struct bench_options *o)
{
    const char *a = o->scenarios[0];
    printf("\n== numpy comparison on %s (trainsim: %ld samples for agreement, %ld at 1 thread for speed)\n",
           base_name(a), o->agree_samples, o->samples);
    const struct child_report ts = run_child(self, a, o->agree_samples, o->threads, 1, 0);
    const struct child_report t1 = run_child(self, a, o->samples, 1, o->repeat, 0);
    if (!ts.ok || !t1.ok)
        return;
    numpy_model(o, "model_numpy.py", "the 1-minute grid with events inside steps (DESIGN 3, any inputs)", &ts, &t1);
    numpy_model(o, "model_numpy_events.py", "event to event, no grid (exact only for constant inputs)", &ts, &t1);
}

/* ---- Options */

static void usage(FILE *f)
{
    fputs("usage: trainsim_bench [options] [SCENARIO.yaml ...]\n"
          "  --samples N         samples per timing run (default 200)\n"
          "  --threads T         the 'all threads' count (default: OpenMP's maximum)\n"
          "  --repeat R          report the best of R runs (default 3)\n"
          "  --trainsim PATH     trainsim binary for the end-to-end time (default: next to this program)\n"
          "  --python PATH       python3 with numpy (default /usr/bin/python3)\n"
          "  --numpy-samples N   samples of the numpy model (default 10000)\n"
          "  --agree-samples N   trainsim samples for the agreement check (default 20000)\n"
          "  --mem-samples N     samples of the step 1 vs step 60 memory rows (default 1000)\n"
          "  --no-scaling --no-e2e --no-memory --no-numpy   skip a section\n"
          "Scenarios default to bench/a-2048-57d.yaml, a-2048-57d-varying.yaml, b-16384-highfail.yaml,\n"
          "c-series-curve.yaml;\n"
          "the memory and numpy sections use the first one (scenario A).\n",
          f);
}

static bool parse_long(const char *s, long lo, long *out)
{
    char *end;
    errno = 0;
    const long v = strtol(s, &end, 10);
    if (end == s || *end || errno || v < lo)
        return false;
    *out = v;
    return true;
}

static bool parse_options(int argc, char **argv, struct bench_options *o, char *trainsim_buf, size_t cap,
                          const char *self)
{
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        const bool has_value = i + 1 < argc;
        long v = 0;
        if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
            usage(stdout);
            exit(0);
        } else if (strcmp(a, "--no-scaling") == 0) {
            o->do_scaling = false;
        } else if (strcmp(a, "--no-e2e") == 0) {
            o->do_e2e = false;
        } else if (strcmp(a, "--no-memory") == 0) {
            o->do_memory = false;
        } else if (strcmp(a, "--no-numpy") == 0) {
            o->do_numpy = false;
        } else if (strncmp(a, "--", 2) == 0 && has_value) {
            const char *val = argv[++i];
            if (strcmp(a, "--trainsim") == 0)
                o->trainsim = val;
            else if (strcmp(a, "--python") == 0)
                o->python = val;
            else if (!parse_long(val, 1, &v)) {
                fprintf(stderr, "trainsim_bench: %s: expected a positive integer, got '%s'\n", a, val);
                return false;
            } else if (strcmp(a, "--samples") == 0)
                o->samples = v;
            else if (strcmp(a, "--threads") == 0)
                o->threads = (int)v;
            else if (strcmp(a, "--repeat") == 0)
                o->repeat = (int)v;
            else if (strcmp(a, "--numpy-samples") == 0)
                o->numpy_samples = v;
            else if (strcmp(a, "--agree-samples") == 0)
                o->agree_samples = v;
            else if (strcmp(a, "--mem-samples") == 0)
                o->mem_samples = v;
            else {
                fprintf(stderr, "trainsim_bench: unknown option '%s'\n", a);
                return false;
            }
        } else if (a[0] == '-') {
            fprintf(stderr, "trainsim_bench: unknown option or missing value '%s'\n", a);
            return false;
        } else if (o->n_scenarios < BENCH_MAX_SCENARIOS) {
            o->scenarios[o->n_scenarios++] = a;
        }
    }
    if (!o->trainsim) {
        const char *slash = strrchr(self, '/');
        const int dir_len = slash ? (int)(slash - self) : 1;
        snprintf(trainsim_buf, cap, "%.*s/trainsim", dir_len, slash ? self : ".");
        o->trainsim = trainsim_buf;
    }
    return true;
}

int main(int argc, char **argv)
{
    if (argc == 7 && strcmp(argv[1], "--child") == 0) {
        /* A child is one process of rank 0: montecarlo_run() asks util/par for its block. */
        par_init(&argc, &argv);
        const int rc = child_main(argv[2], atol(argv[3]), atoi(argv[4]), atoi(argv[5]), atof(argv[6]));
        par_finalize();
        return rc;
    }

    static char self[BENCH_PATH_MAX], trainsim_buf[BENCH_PATH_MAX];
    const ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);
    if (n <= 0) {
        fprintf(stderr, "trainsim_bench: cannot find its own path (/proc/self/exe)\n");
        return 1;
    }
    self[n] = '\0';

    static char default_paths[BENCH_N_DEFAULT][BENCH_PATH_MAX];
    struct bench_options o = { .samples = 200, .repeat = 3, .python = "/usr/bin/python3", .numpy_samples = 10000,
                               .agree_samples = 20000, .mem_samples = 1000, .do_scaling = true, .do_e2e = true,
                               .do_memory = true, .do_numpy = true };
#ifdef _OPENMP
    o.threads = omp_get_max_threads();
#else
    o.threads = 1;
#endif
    if (!parse_options(argc, argv, &o, trainsim_buf, sizeof trainsim_buf, self)) {
        usage(stderr);
        return 2;
    }
    if (o.n_scenarios == 0) {
        for (int i = 0; i < BENCH_N_DEFAULT; i++) {
            snprintf(default_paths[i], sizeof default_paths[i], "%s/%s", TS_BENCH_DIR, default_scenarios[i]);
            o.scenarios[o.n_scenarios++] = default_paths[i];
        }
    }

    printf("trainsim_bench: %d threads available, comparing 1 and %d; trainsim binary %s\n", o.threads, o.threads,
           o.trainsim);
    print_loadavg("at start");
    fflush(stdout);
    if (o.do_scaling)
        section_scaling(self, &o);
    if (o.do_e2e)
        section_e2e(&o);
    if (o.do_memory)
        section_memory(self, &o);
    if (o.do_numpy)
        section_numpy(self, &o);
    printf("\n");
    print_loadavg("at end");
    return 0;
}
