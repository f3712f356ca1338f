/*
 * layout_validate.c - the layout model (core/layout.c) against measured throughput.
 *
 *   layout_validate DATA.csv [--samples N] [--rows] [--terms] [--eff KEY=m,a,n,o]...
 *                   [--max-median PCT] [--max-max PCT] [--min-coverage PCT] [--split NAME]
 *
 * For every row of DATA.csv (tests/data/throughput-measured.csv, made by
 * throughput_convert.py) it predicts tokens/s per GPU with the accelerator's catalog
 * defaults: the median and the P5-P95 band of N draws of the efficiency distributions
 * (N = 0: the central values only), and prints per data set and accelerator, calibration
 * and holdout apart, the median and max |error| of the median and the share of rows whose
 * measured figure lies inside the band. --eff replaces an accelerator's efficiencies by
 * fixed values (for calibrating); --terms prints each row's step-time breakdown. With the --max-median, --max-max and --min-coverage limits (on the rows of
 * --split, default holdout) it exits 1 when a limit is missed, for ctest.
 */
#include <gsl/gsl_rng.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/layout.h"
#include "load/catalog.h"
#include "sample/dist.h"
#include "util/diag.h"

enum { MAX_COLS = 64, MAX_LINE = 4096, MAX_OVERRIDES = 16 };

struct row {
    char id[128], dataset[64], accel[32], split[16];
    struct arch a;
    struct layout l;
    long count, seq_len, batch;
    bool fp8;
    double nvlink_gb_s, network_gb_s, measured;
};

struct override {
    char key[32];
    double eff[EFF_COUNT];
};

static int col_of(char *const *names, int n, const char *name)
{
    for (int i = 0; i < n; i++)
        if (strcmp(names[i], name) == 0)
            return i;
    fprintf(stderr, "layout_validate: column %s missing\n", name);
    exit(2);
}

static int split_line(char *line, char **out)
{
    int n = 0;
    line[strcspn(line, "\r\n")] = 0;
    for (char *p = line;; p++) {
        out[n++] = p;
        p = strchr(p, ',');
        if (!p || n == MAX_COLS)
            break;
        *p = 0;
    }
    return n;
}

static long num(char **f, int c) { return strtol(f[c], NULL, 10); }
static double dbl(char **f, int c) { return f[c][0] ? strtod(f[c], NULL) : (double)NAN; }

static void copy(char *dst, size_t size, const char *src) { snprintf(dst, size, "%s", src); }

static int read_rows(const char *path, struct row **out)
{
    FILE *fp = fopen(path, "r");
    if (!fp) {
        perror(path);
        exit(2);
    }
    char line[MAX_LINE], head[MAX_LINE], *names[MAX_COLS], *f[MAX_COLS];
    if (!fgets(head, sizeof head, fp))
        exit(2);
    const int nc = split_line(head, names);
#define C(name) col_of(names, nc, name)
    int n = 0, cap = 1024;
    struct row *rows = malloc((size_t)cap * sizeof *rows);
    while (fgets(line, sizeof line, fp)) {
        if (split_line(line, f) != nc)
            continue;
        if (n == cap)
            rows = realloc(rows, (size_t)(cap *= 2) * sizeof *rows);
        struct row *r = &rows[n++];
        memset(r, 0, sizeof *r);
        copy(r->id, sizeof r->id, f[C("id")]);
        copy(r->dataset, sizeof r->dataset, f[C("dataset")]);
        copy(r->accel, sizeof r->accel, f[C("accelerator")]);
        copy(r->split, sizeof r->split, f[C("split")]);
        r->a = (struct arch){
            .layers = num(f, C("layers")), .hidden = num(f, C("hidden")), .ffn_hidden = num(f, C("ffn_hidden")),
            .ffn_kind = strcmp(f[C("ffn_kind")], "gelu") == 0 ? FFN_GELU : FFN_SWIGLU, .heads = num(f, C("heads")),
            .kv_heads = num(f, C("kv_heads")), .head_dim = num(f, C("head_dim")), .vocab = num(f, C("vocab")),
            .experts = num(f, C("experts")), .top_k = num(f, C("top_k")), .shared_experts = num(f, C("shared_experts")),
            .expert_ffn_hidden = num(f, C("expert_ffn_hidden")), .dense_layers = num(f, C("dense_layers")),
            .q_lora_rank = num(f, C("q_lora_rank")), .kv_lora_rank = num(f, C("kv_lora_rank")),
            .rope_head_dim = num(f, C("rope_head_dim")), .nope_head_dim = num(f, C("nope_head_dim")),
            .v_head_dim = num(f, C("v_head_dim"))};
        r->a.has_mla = r->a.kv_lora_rank > 0;
        const char *sch = f[C("schedule")], *rc = f[C("recompute")];
        r->l = (struct layout){
            .tp = num(f, C("tp")), .pp = num(f, C("pp")), .cp = num(f, C("cp")), .ep = num(f, C("ep")),
            .dp = num(f, C("dp")), .microbatch = num(f, C("microbatch")), .interleave = num(f, C("interleave")),
            .zero = (int)num(f, C("zero")),
            .schedule = strcmp(sch, "interleaved") == 0  ? SCHEDULE_INTERLEAVED
                        : strcmp(sch, "zero-bubble") == 0 ? SCHEDULE_ZERO_BUBBLE
                        : strcmp(sch, "dualpipe") == 0    ? SCHEDULE_DUALPIPE
                                                          : SCHEDULE_1F1B,
            .recompute = strcmp(rc, "full") == 0 ? RECOMPUTE_FULL
                         : strcmp(rc, "none") == 0 ? RECOMPUTE_NONE
                                                   : RECOMPUTE_SELECTIVE};
        r->l.sequence_parallel = r->l.tp > 1;
        r->count = num(f, C("count"));
        r->seq_len = num(f, C("seq_len"));
        r->batch = num(f, C("global_batch_seqs"));
        r->fp8 = strcmp(f[C("precision")], "fp8") == 0;
        r->nvlink_gb_s = dbl(f, C("nvlink_gb_s"));
        r->network_gb_s = dbl(f, C("network_gb_s"));
        r->measured = dbl(f, C("measured_tokens_per_gpu_s"));
    }
#undef C
    fclose(fp);
    *out = rows;
    return n;
}

static int cmp_double(const void *x, const void *y)
{
    const double a = *(const double *)x, b = *(const double *)y;
    return (a > b) - (a < b);
}

static double quantile(double *v, int n, double q)
{
    qsort(v, (size_t)n, sizeof *v, cmp_double);
    const double pos = q * (n - 1);
    const int i = (int)floor(pos);
    return i + 1 < n ? v[i] + (pos - i) * (v[i + 1] - v[i]) : v[n - 1];
}

/* One group of the summary. */
struct group {
    char split[16], dataset[64], accel[32];
    int n, inside;
    double *err;
};

static struct group *group_of(struct group *g, int *ng, const char *split, const char *dataset, const char *accel)
{
    for (int i = 0; i < *ng; i++)
        if (!strcmp(g[i].split, split) && !strcmp(g[i].dataset, dataset) && !strcmp(g[i].accel, accel))
            return &g[i];
    struct group *x = &g[(*ng)++];
    memset(x, 0, sizeof *x);
    copy(x->split, sizeof x->split, split);
    copy(x->dataset, sizeof x->dataset, dataset);
    copy(x->accel, sizeof x->accel, accel);
    x->err = malloc(4096 * sizeof *x->err);
    return x;
}

static void print_group(const struct group *g, double *out_median, double *out_max, double *out_cov)
{
    double *e = malloc((size_t)(g->n > 0 ? g->n : 1) * sizeof *e);
    double mx = 0;
    for (int i = 0; i < g->n; i++)
        e[i] = fabs(g->err[i]), mx = fmax(mx, e[i]);
    const double med = g->n ? quantile(e, g->n, 0.5) : (double)NAN;
    const double cov = g->n ? 100.0 * g->inside / g->n : (double)NAN;
    printf("%-11s %-26s %-14s %4d %8.2f %8.2f %8.1f\n", g->split, g->dataset, g->accel, g->n, med, mx, cov);
    if (out_median)
        *out_median = med, *out_max = mx, *out_cov = cov;
    free(e);
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: layout_validate DATA.csv [--samples N] [--rows] [--eff KEY=m,a,n,o] "
                        "[--max-median PCT] [--max-max PCT] [--min-coverage PCT] [--split NAME]\n");
        return 2;
    }
    int samples = 400;
    bool show_rows = false, show_terms = false;
    double lim_median = NAN, lim_max = NAN, lim_cov = NAN;
    const char *lim_split = "holdout";
    struct override ov[MAX_OVERRIDES];
    int n_ov = 0;
    for (int i = 2; i < argc; i++) {
        if (!strcmp(argv[i], "--rows"))
            show_rows = true;
        else if (!strcmp(argv[i], "--terms"))
            show_terms = show_rows = true;
        else if (i + 1 < argc && !strcmp(argv[i], "--samples"))
            samples = atoi(argv[++i]);
        else if (i + 1 < argc && !strcmp(argv[i], "--max-median"))
            lim_median = atof(argv[++i]);
        else if (i + 1 < argc && !strcmp(argv[i], "--max-max"))
            lim_max = atof(argv[++i]);
        else if (i + 1 < argc && !strcmp(argv[i], "--min-coverage"))
            lim_cov = atof(argv[++i]);
        else if (i + 1 < argc && !strcmp(argv[i], "--split"))
            lim_split = argv[++i];
        else if (i + 1 < argc && !strcmp(argv[i], "--eff") && n_ov < MAX_OVERRIDES) {
            struct override *o = &ov[n_ov++];
            const char *eq = strchr(argv[++i], '=');
            if (!eq || sscanf(eq + 1, "%lf,%lf,%lf,%lf", &o->eff[0], &o->eff[1], &o->eff[2], &o->eff[3]) != 4) {
                fprintf(stderr, "layout_validate: --eff KEY=matmul,attention,network,overlap\n");
                return 2;
            }
            snprintf(o->key, sizeof o->key, "%.*s", (int)(eq - argv[i]), argv[i]);
        } else {
            fprintf(stderr, "layout_validate: unknown option %s\n", argv[i]);
            return 2;
        }
    }
    struct diag d;
    diag_init(&d, stderr);
    struct catalog cat;
    if (!catalog_load(&cat, &d, NULL)) {
        catalog_release(&cat);
        diag_release(&d);
        return 2;
    }
    struct row *rows;
    const int n = read_rows(argv[1], &rows);
    gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);
    gsl_rng_set(rng, 20261202);
    double *draw = malloc((size_t)(samples > 0 ? samples : 1) * sizeof *draw);
    struct group groups[256], total[4];
    int ng = 0, nt = 0;
    int bad_rows = 0;
    if (show_rows)
        printf("%-58s %-10s %-14s %9s %9s %9s %9s %7s\n", "id", "split", "accelerator", "measured", "median", "p5",
               "p95", "err%");
    for (int i = 0; i < n; i++) {
        const struct row *r = &rows[i];
        const struct accel_entry *acc = catalog_accel(&cat, r->accel);
        if (!acc || !acc->has_eff) {
            fprintf(stderr, "layout_validate: %s: %s has no efficiency defaults in the catalog\n", r->id, r->accel);
            bad_rows++;
            continue;
        }
        struct layout_problem p = {.arch = &r->a, .count = r->count, .seq_len = r->seq_len,
                                   .global_batch_seqs = r->batch, .is_fp8 = r->fp8};
        p.hw = (struct layout_hw){
            .peak_flops = acc->peak_tflops[r->fp8 ? 1 : 0] * 1e12, .hbm_bytes_per_s = acc->hbm_tb_s * 1e12,
            .nvlink_bytes_per_s = (isnan(r->nvlink_gb_s) ? acc->nvlink_gb_s : r->nvlink_gb_s) * 1e9,
            .network_bytes_per_s = (isnan(r->network_gb_s) ? acc->network_gb_s : r->network_gb_s) * 1e9,
            .nvlink_domain = acc->nvlink_domain, .memory_bytes = acc->memory_gb * 1e9};
        const unsigned bad = layout_check(&p, &r->l);
        if (bad) {
            fprintf(stderr, "layout_validate: %s: layout not valid (0x%x)\n", r->id, bad);
            bad_rows++;
            continue;
        }
        const struct override *o = NULL;
        for (int k = 0; k < n_ov; k++)
            if (!strcmp(ov[k].key, r->accel))
                o = &ov[k];
        struct layout_eff eff;
        struct layout_time t;
        for (int k = 0; k < EFF_COUNT; k++)
            eff.frac[k] = o ? o->eff[k] : acc->eff_central[k];
        layout_step(&p, &r->l, &eff, &t);
        if (show_terms)
            printf("  %s: step %.4g s = compute %.4g + bubble %.4g + tp %.4g + pp %.4g + dp %.4g + ep %.4g + cp %.4g"
                   " + optimizer %.4g; mfu %.3f\n", r->id, t.step_s, t.compute_s, t.bubble_s, t.tp_s, t.pp_s, t.dp_s,
                   t.ep_s, t.cp_s, t.optimizer_s, t.mfu);
        double med = t.tokens_per_gpu_s, p5 = med, p95 = med;
        if (samples > 0 && !o) {
            struct dist_sampler s[EFF_COUNT];
            for (int k = 0; k < EFF_COUNT; k++)
                dist_sampler_init(&s[k], &acc->eff_dist[k]);
            for (int j = 0; j < samples; j++) {
                for (int k = 0; k < EFF_COUNT; k++)
                    eff.frac[k] = dist_sample(&s[k], rng);
                layout_step(&p, &r->l, &eff, &t);
                draw[j] = t.tokens_per_gpu_s;
            }
            for (int k = 0; k < EFF_COUNT; k++)
                dist_sampler_release(&s[k]);
            med = quantile(draw, samples, 0.5);
            p5 = quantile(draw, samples, 0.05);
            p95 = quantile(draw, samples, 0.95);
        }
        const double err = 100.0 * (med - r->measured) / r->measured;
        const bool inside = r->measured >= p5 && r->measured <= p95;
        if (show_rows)
            printf("%-58s %-10s %-14s %9.1f %9.1f %9.1f %9.1f %+7.1f\n", r->id, r->split, r->accel, r->measured, med,
                   p5, p95, err);
        struct group *g = group_of(groups, &ng, r->split, r->dataset, r->accel);
        struct group *tg = group_of(total, &nt, r->split, "all", "all");
        g->err[g->n++] = err, tg->err[tg->n++] = err;
        g->inside += inside, tg->inside += inside;
    }
    printf("%-11s %-26s %-14s %4s %8s %8s %8s\n", "split", "dataset", "accelerator", "n", "med|e|%", "max|e|%",
           "in-band%");
    for (int i = 0; i < ng; i++)
        print_group(&groups[i], NULL, NULL, NULL);
    int fail = bad_rows > 0;
    for (int i = 0; i < nt; i++) {
        double med, mx, cov;
        print_group(&total[i], &med, &mx, &cov);
        if (strcmp(total[i].split, lim_split) == 0) {
            if (med > lim_median || mx > lim_max || cov < lim_cov) {
                fprintf(stderr, "layout_validate: %s misses a limit: median %.1f%% (limit %g), max %.1f%% (%g), "
                                "coverage %.0f%% (%g)\n", lim_split, med, lim_median, mx, lim_max, cov, lim_cov);
                fail = 1;
            }
        }
    }
    for (int i = 0; i < ng; i++)
        free(groups[i].err);
    for (int i = 0; i < nt; i++)
        free(total[i].err);
    free(draw);
    free(rows);
    gsl_rng_free(rng);
    catalog_release(&cat);
    diag_release(&d);
    return fail;
}
