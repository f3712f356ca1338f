/*
 * catalog.h - the catalogs of configs/ (accelerators, grids, facilities, equivalences) and
 * the model cards of models/, as plain data.
 *
 * By default the catalogs are the copies compiled into the binary (load/embedded.h);
 * --configs DIR or TRAINSIM_CONFIGS reads DIR/accelerators.yaml etc. instead. Every entry
 * is checked against a strict key table, like a scenario, and must carry a source.
 */
#ifndef TS_LOAD_CATALOG_H
#define TS_LOAD_CATALOG_H

#include <stdbool.h>
#include <stdio.h>

#include "core/arch.h"
#include "core/layout.h"
#include "core/spec.h"
#include "util/diag.h"

enum { CATALOG_MAX_PEAKS = 5 };

/* How far a card's stated params may be from its architecture's count before a warning
 * (3 %: published counts are rounded, and biases or position tables are not in the schema). */
#define CATALOG_PARAMS_TOLERANCE 0.03

/* Precisions a peak can be given for; keep in sync with accel_peak_rules -- grep PRECISION_ORDER */
extern const char *const catalog_precisions[CATALOG_MAX_PEAKS];

struct accel_entry {
    char *key, *name;                     /* owned */
    double tdp_w, idle_w;
    double peak_tflops[CATALOG_MAX_PEAKS]; /* by catalog_precisions index; NAN when unknown */
    double memory_gb;                     /* NAN when unknown */
    long gpus_per_node;
    double embodied_kg;                   /* NAN when unknown */
    /* Interconnect and memory bandwidth (DESIGN 8); NAN (nvlink_domain 0) when unknown. */
    double hbm_tb_s;                      /* TB/s */
    double nvlink_gb_s, network_gb_s;     /* GB/s per GPU per direction, nominal */
    long nvlink_domain;                   /* GPUs sharing one NVLink domain */
    /* Layout-model efficiency defaults (efficiency: in the catalog), each num|dist as in a
     * scenario; has_eff false when the accelerator has none. The dists own their arrays. */
    bool has_eff;
    struct dist eff_dist[EFF_COUNT];      /* by enum layout_eff_kind */
    double eff_central[EFF_COUNT];
    char *eff_source;                     /* owned: how the defaults were calibrated */
    char *estimated;                      /* owned, comma-separated field names, may be NULL */
    char *source, *notes;                 /* owned; notes may be NULL */
};

/* One published figure for a grid area: the catalog's value or one of the others. */
struct grid_figure {
    double intensity_kg_per_kwh;
    long year;                            /* 0 when unknown */
    char *basis, *source;                 /* owned */
};

struct grid_entry {
    char *key, *name;
    char *kind;                           /* owned: country, state, balancing-authority, ... */
    double intensity_kg_per_kwh;
    long year;                            /* 0 when unknown */
    char *basis;                          /* owned: location-based; consumption or generation; lifecycle or direct */
    char *source, *notes;
    struct grid_figure *others;           /* owned, n_others: other sources' figures for the area */
    int n_others;
    double water_l_per_kwh;               /* off-site water per kWh generated; NAN when unknown */
    char *water_source;                   /* owned, NULL when unknown */
};

/* A price of configs/prices.yaml; the fields it does not carry are NAN. */
struct price_entry {
    char *key, *item, *kind, *date;       /* owned */
    double capex_usd_per_gpu, gpu_hour_usd, colocation_usd_per_kw_month, electricity_usd_per_kwh;
    char *source, *notes;                 /* owned; notes may be NULL */
};

struct facility_entry {
    char *key, *name;
    double pue;
    double wue_l_per_kwh;                 /* NAN when unknown */
    char *source, *notes;
};

struct model_training {
    bool present;
    char *accelerator;                    /* may be NULL */
    double count, gpu_hours, days, power_w, pue, grid_kg_per_kwh, energy_mwh, co2e_t, co2e_market_t, cost_usd;
    int energy_is_tdp_times_hours;        /* -1 unknown, 0, 1 */
    char *source, *notes;
};

struct model_card {
    char *key, *name;                     /* owned */
    double params, active_params, tokens; /* NAN when unknown */
    struct arch arch;                     /* valid when has_arch (load/arch.h, DESIGN 8) */
    bool has_arch;                        /* the card gives an architecture: mapping */
    char *source, *notes;
    struct model_training training;       /* numbers NAN when absent */
};

struct catalog_deferred; /* the grids and prices (catalog.c) */

struct catalog {
    struct accel_entry *accels;
    int n_accels;
    struct facility_entry *facilities;
    int n_facilities;
    /* Grid areas and prices, behind catalog_grid() and catalog_price() (owned). With --configs
     * they are read and checked by catalog_load() like the rest; the built-in copies (most of
     * the catalogs' text) are only indexed there, each entry read when first asked for, and
     * the whole file when a list, a suggestion or a display name needs it. So a catalog is
     * not safe to share between threads until its grids and prices are read. */
    struct catalog_deferred *deferred;
    double car_kg_per_year, household_kwh_per_year;
    char *car_source, *household_source;
    char *dir;                            /* owned; NULL = the embedded copies */
};

/* Loads the four catalogs from dir (NULL: the embedded copies). Reports problems to d and
 * returns false on any error. Release with catalog_release() either way. */
bool catalog_load(struct catalog *cat, struct diag *d, const char *dir);
void catalog_release(struct catalog *cat);

const struct accel_entry *catalog_accel(const struct catalog *cat, const char *key);
/* A grid area by key, else by display name (case-insensitive, whole name or the part before
 * its first comma or parenthesis: "Norway", "virginia"). */
const struct grid_entry *catalog_grid(const struct catalog *cat, const char *key);
const struct price_entry *catalog_price(const struct catalog *cat, const char *key);
/* Every grid area / price, in file order, each read (the whole section); *n gets the count. */
const struct grid_entry *catalog_grids(const struct catalog *cat, int *n);
const struct price_entry *catalog_prices(const struct catalog *cat, int *n);

/* Lowest and highest of a grid area's figures (its value and the others). */
void catalog_grid_range(const struct grid_entry *g, double *lo, double *hi);
const struct facility_entry *catalog_facility(const struct catalog *cat, const char *key);

/* Suggestions for an unknown key of one catalog ("accelerators", "grids", "facilities",
 * "models") as people rank them, quoted and joined ("'H100-SXM' or 'H100-PCIe'"; owned), or
 * NULL: the key in another case or a display name ("Norway" -> 'NO'); keys the word starts
 * ("A100" -> every A100); else the nearest by edit distance, and on a tie the keys sharing its
 * first segment ("US-VA" -> the US regions). */
char *catalog_suggest(const struct catalog *cat, const char *which, const char *key);

/* A short, comma-separated list of the keys of a catalog, for messages (owned by caller). */
char *catalog_key_list(const struct catalog *cat, const char *which);

/* Loads a model card: 'ref' is a key of the embedded models/ (e.g. "deepseek-v3") or a
 * path to a YAML file (contains '/' or ends in .yaml), relative to base_dir. Problems are
 * reported at 'from' or inside the card. A complete architecture whose parameter counts
 * differ from the card's params or active_params by more than CATALOG_PARAMS_TOLERANCE is
 * a warning at that key. Returns false on error. */
bool catalog_load_model(struct diag *d, const char *ref, const char *base_dir, struct src_pos from,
                        struct model_card *out);
void model_card_release(struct model_card *m);

/* Keys of the embedded model cards, sorted; *n gets the count. The array is owned by the
 * caller (free it; the strings are static). */
const char **catalog_model_keys(int *n);

/* Prints a catalog as a table: which is one of accelerators, grids (grouped by kind),
 * facilities, equivalences, models, prices, or NULL for the first four catalogs; or the key
 * or display name of a grid area or a price, printed whole with every source. Returns false
 * on an unknown name or an unloadable model card (reported to d). */
bool catalog_print(FILE *out, const struct catalog *cat, struct diag *d, const char *which);

#endif
