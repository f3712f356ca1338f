/*
 * test_load_scenario.c - whole scenarios (load/load.h): a file walked into a spec with the
 * catalogs' values, defaults, messages at their positions, and series files beside it.
 * Scenario files are written to a private mkdtemp() folder with mkstemp() and removed at the end.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "check.h"
#include "dbuf.h"
#include "load_check.h"
#include "core/spec.h"
#include "load/catalog.h"
#include "load/load.h"
#include "load/ytree.h"
#include "util/diag.h"
#include "util/xalloc.h"

struct tmpdir {
    char dir[64];
    char files[8][128];
    int n;
};

/* Writes text to a new file in the temp folder (mkstemp) and returns its path. */
static const char *write_tmp(struct tmpdir *t, const char *prefix, const char *text)
{
    if (t->n == 8)
        return NULL;
    char *path = t->files[t->n];
    char tmpl[sizeof t->files[0]];
    snprintf(tmpl, sizeof tmpl, "%s/%sXXXXXX", t->dir, prefix);
    memcpy(path, tmpl, sizeof tmpl);
    const int fd = mkstemp(path);
    if (fd < 0) {
        perror("mkstemp");
        return NULL;
    }
    FILE *f = fdopen(fd, "w");
    if (!f) {
        close(fd);
        return NULL;
    }
    fputs(text, f);
    fclose(f);
    t->n++;
    return path;
}

static const char *basename_of(const char *path)
{
    const char *s = strrchr(path, '/');
    return s ? s + 1 : path;
}

/* A minimal valid scenario; counted by hand:
 *   line 6 "  accelerator: H800-SXM", line 7 "  count: 96". */
static const char *const SCENARIO = "name: unit test scenario\n"      /* 1 */
                                    "start: 2024-03-10T06:00:00Z\n"   /* 2 */
                                    "workload:\n"                     /* 3 */
                                    "  gpu_hours: 12_345\n"           /* 4 */
                                    "cluster:\n"                      /* 5 */
                                    "  accelerator: H800-SXM\n"       /* 6 */
                                    "  count: 96\n"                   /* 7 */
                                    "facility:\n"                     /* 8 */
                                    "  pue: 1.17\n"                   /* 9 */
                                    "grid:\n"                         /* 10 */
                                    "  intensity_kg_per_kwh: 0.4375\n" /* 11 */
                                    "sim:\n"                          /* 12 */
                                    "  samples: 7\n"                  /* 13 */
                                    "  quantiles: [0.025, 0.5, 0.975]\n";

static double central_of(const struct spec *s, int in)
{
    return in >= 0 && in < s->n_inputs ? s->inputs[in].central : (double)NAN;
}

static void test_load(const struct catalog *cat, struct tmpdir *t)
{
    const char *path = write_tmp(t, "scenario_", SCENARIO);
    CHECK(path != NULL);
    if (!path)
        return;
    struct load_options o = { NULL, 0, cat };
    struct dbuf b;
    struct spec s;

    /* A valid scenario loads; the catalog fills what it leaves out. */
    dbuf_open(&b);
    CHECK(load_scenario(&b.d, path, &o, &s));
    CHECK(b.d.n_errors == 0 && b.d.n_warnings == 0);
    if (b.d.n_errors || b.d.n_warnings)
        fprintf(stderr, "%s", dbuf_text(&b));
    CHECK(s.name && strcmp(s.name, "unit test scenario") == 0);
    CHECK(s.file && strcmp(s.file, path) == 0);
    /* 2024-03-10T06:00Z: day 19792 (python date arithmetic) * 86400 + 6 h = 1710050400. */
    CHECK(s.start_unix_s == 1710050400.0);
    CHECK(s.count == 96);
    /* configs/accelerators.yaml H800-SXM: tdp_w 700, idle_w 100, gpus_per_node 8. */
    CHECK(s.gpus_per_node == 8 && s.n_nodes == 12); /* 96 / 8 */
    CHECK(central_of(&s, s.tdp_w_in) == 700 && s.catalog_tdp_w == 700);
    CHECK(fabs(central_of(&s, s.idle_fraction_in) - 100.0 / 700) < 1e-15);
    CHECK(central_of(&s, s.busy_fraction_in) == 1.0 && central_of(&s, s.overhead_factor_in) == 1.0);
    CHECK(s.accelerator && strcmp(s.accelerator, "H800-SXM") == 0);
    CHECK(s.n_stages == 1);
    if (s.n_stages == 1) {
        CHECK(s.stages[0].form == WORK_GPU_HOURS);
        CHECK(central_of(&s, s.stages[0].gpu_hours_in) == 12345);
        CHECK(strcmp(s.inputs[s.stages[0].gpu_hours_in].path, "workload.gpu_hours") == 0);
    }
    CHECK(central_of(&s, s.pue_in) == 1.17 && s.pue_given && s.pue_series.n == 0);
    CHECK(central_of(&s, s.intensity_in) == 0.4375);
    CHECK(s.samples == 7 && s.seed == 1 && s.step_min == 5 && s.max_days == 3650);
    CHECK(s.n_quantiles == 3 && s.quantiles && s.quantiles[0] == 0.025 && s.quantiles[2] == 0.975);
    CHECK(isinf(s.checkpoint_interval_min)); /* no failures: auto means none */
    CHECK(s.car_kg_per_year == cat->car_kg_per_year && s.car_kg_per_year > 0);
    CHECK(spec_n_uncertain(&s) == 0);
    spec_release(&s);
    dbuf_close(&b);

    /* --set overrides change the spec (the last one wins). */
    dbuf_open(&b);
    const char *sets[] = { "cluster.count=2048", "facility.pue={dist: uniform, min: 1.1, max: 1.3}", "sim.seed=42",
                           "grid.carbon_free_fraction=0.25", "sim.samples=9", "sim.samples=11" };
    o.sets = sets;
    o.n_sets = 6;
    CHECK(load_scenario(&b.d, path, &o, &s));
    CHECK(b.d.n_errors == 0);
    CHECK(s.count == 2048 && s.n_nodes == 256); /* 2048 / 8 */
    CHECK(s.pue_in >= 0 && s.inputs[s.pue_in].dist.kind == DIST_UNIFORM);
    CHECK(fabs(central_of(&s, s.pue_in) - 1.2) < 1e-15); /* (1.1 + 1.3) / 2 */
    CHECK(s.seed == 42 && s.samples == 11);
    CHECK(central_of(&s, s.carbon_free_fraction_in) == 0.25);
    CHECK(spec_n_uncertain(&s) == 1);
    spec_release(&s);
    dbuf_close(&b);

    /* A bad --set value is reported at its place on the command line. */
    dbuf_open(&b);
    const char *bad_sets[] = { "cluster.count=0" };
    o.sets = bad_sets;
    o.n_sets = 1;
    CHECK(!load_scenario(&b.d, path, &o, &s));
    CHECK(said(&b, "<command line>:1:15: error: cluster.count: 0 is outside the valid range [1, 1e+07]"));
    CHECK(s.name == NULL && s.inputs == NULL); /* released on failure */
    dbuf_close(&b);

    /* A typo in a --set key path gets a suggestion. */
    dbuf_open(&b);
    const char *typo[] = { "workload.tokenz=5e12" };
    o.sets = typo;
    CHECK(!load_scenario(&b.d, path, &o, &s));
    CHECK(said(&b, "workload: unknown key 'tokenz' (did you mean 'tokens'?)"));
    dbuf_close(&b);

    /* A tdp_w far from the catalog's 700 W: a warning, not an error (|350 - 700| / 700 = 50%). */
    dbuf_open(&b);
    const char *tdp[] = { "cluster.tdp_w=350" };
    o.sets = tdp;
    CHECK(load_scenario(&b.d, path, &o, &s));
    CHECK(b.d.n_errors == 0 && b.d.n_warnings == 1);
    CHECK(said(&b, "warning: cluster.tdp_w: 350 W departs from the catalog's 700 W for H800-SXM by 50%"));
    CHECK(central_of(&s, s.tdp_w_in) == 350 && s.catalog_tdp_w == 700);
    spec_release(&s);
    dbuf_close(&b);
    o.sets = NULL;
    o.n_sets = 0;

    /* Every problem of a file is listed, each at its line and column. */
    const char *bad = write_tmp(t, "bad_",
                                "name: bad\n"             /* 1 */
                                "workload:\n"             /* 2 */
                                "  gpu_hours: 100\n"      /* 3 */
                                "  tokenz: 5\n"           /* 4: tokenz at col 3 */
                                "cluster:\n"              /* 5 */
                                "  accelerator: H800-SXM\n" /* 6: the cluster mapping starts at 6:3 */
                                "grid:\n"
                                "  intensity_kg_per_kwh: 0.5\n");
    dbuf_open(&b);
    CHECK(bad && !load_scenario(&b.d, bad, &o, &s));
    CHECK(b.d.n_errors == 2);
    char want[256];
    snprintf(want, sizeof want, "%s:4:3: error: workload: unknown key 'tokenz' (did you mean 'tokens'?)", bad);
    CHECK(said(&b, want));
    snprintf(want, sizeof want, "%s:6:3: error: cluster: missing required key 'count'", bad);
    CHECK(said(&b, want));
    CHECK(b.d.n_io_errors == 0);
    dbuf_close(&b);

    /* A missing scenario file is an I/O error. */
    dbuf_open(&b);
    char missing[128];
    snprintf(missing, sizeof missing, "%s/no_such_scenario.yaml", t->dir);
    CHECK(!load_scenario(&b.d, missing, &o, &s));
    CHECK(b.d.n_errors == 1 && b.d.n_io_errors == 1);
    CHECK(said(&b, "cannot open"));
    dbuf_close(&b);
}

static void test_load_series(const struct catalog *cat, struct tmpdir *t)
{
    /* Hourly PUE with a header row and CRLF line ends; 3 rows. */
    const char *csv = write_tmp(t, "pue_", "timestamp,pue\r\n"
                                           "2024-03-10T00:00:00Z,1.25\r\n"
                                           "2024-03-10T01:00:00Z,1.5\r\n"
                                           "2024-03-10T02:00:00Z,1.375\r\n");
    CHECK(csv != NULL);
    if (!csv)
        return;
    /* The scenario names the CSV by its bare file name: resolved in the scenario's folder,
     * not the working directory (ctest runs in the build tree). */
    char text[1024];
    snprintf(text, sizeof text,
             "name: series\n"
             "workload: {gpu_hours: 1000}\n"
             "cluster: {accelerator: H800-SXM, count: 8}\n"
             "facility:\n"
             "  pue_series: %s\n"
             "grid: {intensity_kg_per_kwh: 0.5}\n",
             basename_of(csv));
    const char *path = write_tmp(t, "series_", text);
    struct load_options o = { NULL, 0, cat };
    struct dbuf b;
    struct spec s;
    dbuf_open(&b);
    CHECK(path && load_scenario(&b.d, path, &o, &s));
    CHECK(b.d.n_errors == 0);
    if (b.d.n_errors)
        fprintf(stderr, "%s", dbuf_text(&b));
    else {
        CHECK(s.pue_series.n == 3);
        if (s.pue_series.n == 3) {
            /* 2024-03-10T00:00Z = 1710050400 - 6 h = 1710028800. */
            CHECK(s.pue_series.t_unix_s[0] == 1710028800.0 && s.pue_series.t_unix_s[2] == 1710028800.0 + 7200);
            CHECK(s.pue_series.value[0] == 1.25 && s.pue_series.value[1] == 1.5 && s.pue_series.value[2] == 1.375);
        }
        CHECK(s.pue_series.path && strcmp(s.pue_series.path, csv) == 0);
        CHECK(!s.pue_given);        /* a bare series: not scaled */
        CHECK(b.d.n_warnings == 0); /* no "pue not given" warning with a series */
        spec_release(&s);
    }
    dbuf_close(&b);

    /* A series file that does not exist: an I/O error, reported at the pue_series value
     * (line 5, column 15), naming the resolved path. */
    snprintf(text, sizeof text,
             "name: series\n"
             "workload: {gpu_hours: 1000}\n"
             "cluster: {accelerator: H800-SXM, count: 8}\n"
             "facility:\n"
             "  pue_series: missing_pue.csv\n"
             "grid: {intensity_kg_per_kwh: 0.5}\n");
    path = write_tmp(t, "noseries_", text);
    dbuf_open(&b);
    CHECK(path && !load_scenario(&b.d, path, &o, &s));
    CHECK(b.d.n_errors == 1 && b.d.n_io_errors == 1);
    char want[256];
    snprintf(want, sizeof want, "%s:5:15: error: facility.pue_series: cannot open '%s/missing_pue.csv'", path ? path : "",
             t->dir);
    CHECK(said(&b, want));
    dbuf_close(&b);
}

int main(void)
{
    struct dbuf b;
    dbuf_open(&b);
    struct catalog cat;
    const bool cat_ok = catalog_load(&cat, &b.d, NULL);
    CHECK(cat_ok && b.d.n_errors == 0);
    struct tmpdir t = { .n = 0 };
    snprintf(t.dir, sizeof t.dir, "/tmp/trainsim_test_load_XXXXXX");
    if (cat_ok && mkdtemp(t.dir)) {
        test_load(&cat, &t);
        test_load_series(&cat, &t);
        for (int i = 0; i < t.n; i++)
            unlink(t.files[i]);
        rmdir(t.dir);
    } else {
        CHECK(!"could not set up the catalog or a temp folder");
    }
    catalog_release(&cat);
    dbuf_close(&b);
    return CHECK_EXIT();
}

