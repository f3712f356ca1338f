/*
 * test_catalog_lazy.c - the built-in grids and prices read on demand equal the files read
 * whole (issue 15).
 *
 * catalog_load() indexes the built-in grids.yaml and prices.yaml and reads an entry when it is
 * first asked for (load/catalog.c); --configs reads every file whole, as before. Here the
 * built-in catalog (lazy) is compared with the same files read whole from the source tree's
 * configs/ (eager): every grid area and every price printed one by one, then the full
 * listings and the key lists (after some entries were read singly, and from a fresh catalog),
 * a display-name lookup and suggestions, all byte-identical.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "load/catalog.h"

/* What catalog_print() writes for 'which' (owned). */
static char *printed(const struct catalog *cat, const char *which)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    struct diag d;
    diag_init(&d, f);
    CHECK(catalog_print(f, cat, &d, which));
    diag_release(&d);
    fclose(f);
    return buf;
}

static int same_print(const struct catalog *a, const struct catalog *b, const char *which)
{
    char *x = printed(a, which), *y = printed(b, which);
    const int same = strcmp(x, y) == 0;
    if (!same)
        fprintf(stderr, "catalog %s differs:\n--- lazy\n%s--- eager\n%s", which, x, y);
    free(x);
    free(y);
    return same;
}

static bool load(struct catalog *cat, const char *dir)
{
    struct diag d;
    diag_init(&d, stderr);
    const bool ok = catalog_load(cat, &d, dir);
    CHECK(d.n_errors == 0 && d.n_warnings == 0);
    diag_release(&d);
    return ok;
}

/* Every grid area and price looked up singly (each read alone) against the eager catalog. */
static void test_entries_one_by_one(const struct catalog *eager)
{
    struct catalog lazy;
    CHECK(load(&lazy, NULL));
    int n = 0, bad = 0;
    static const char *const which[] = { "grids", "prices" };
    for (int w = 0; w < 2; w++) {
        char *list = catalog_key_list(eager, which[w]);
        for (char *k = strtok(list, ", "); k; k = strtok(NULL, ", ")) {
            bad += !same_print(&lazy, eager, k);
            n++;
        }
        free(list);
    }
    fprintf(stderr, "%d entries read one by one, %d differ\n", n, bad);
    CHECK(bad == 0 && n > 500);
    /* then the whole listings, every entry read already */
    CHECK(same_print(&lazy, eager, NULL));
    CHECK(same_print(&lazy, eager, "prices"));
    catalog_release(&lazy);
}

static void test_mixed(const struct catalog *eager)
{
    /* a few entries singly, then the whole files */
    struct catalog lazy;
    CHECK(load(&lazy, NULL));
    CHECK(catalog_grid(&lazy, "US-VA") != NULL);
    CHECK(catalog_grid(&lazy, "CN") != NULL);
    CHECK(catalog_grid(&lazy, "CN") == catalog_grid(&lazy, "CN"));
    const struct grid_entry *cn = catalog_grid(&lazy, "CN");
    CHECK(catalog_price(&lazy, "amd-instinct-mi300a-purchase-2024-02-28") != NULL);
    CHECK(catalog_grid(&lazy, "no-such-area") == NULL);
    CHECK(catalog_grid(&lazy, "CN") == cn); /* entries stay where they are once the whole file is read */
    CHECK(same_print(&lazy, eager, "grids"));
    CHECK(same_print(&lazy, eager, "prices"));
    catalog_release(&lazy);

    /* a display name, the key lists and suggestions from a fresh catalog */
    CHECK(load(&lazy, NULL));
    const struct grid_entry *a = catalog_grid(&lazy, "Norway"), *b = catalog_grid(eager, "Norway");
    CHECK(a && b && strcmp(a->key, b->key) == 0);
    catalog_release(&lazy);
    static const char *const words[][2] = { { "grids", "US-VX" }, { "grids", "Norwey" }, { "prices", "h100-sxm" },
                                            { "grids", "us-va" } };
    for (int i = 0; i < 4; i++) {
        CHECK(load(&lazy, NULL));
        char *x = catalog_suggest(&lazy, words[i][0], words[i][1]), *y = catalog_suggest(eager, words[i][0], words[i][1]);
        CHECK((!x && !y) || (x && y && strcmp(x, y) == 0));
        free(x);
        free(y);
        x = catalog_key_list(&lazy, words[i][0]);
        y = catalog_key_list(eager, words[i][0]);
        CHECK(strcmp(x, y) == 0);
        free(x);
        free(y);
        catalog_release(&lazy);
    }
}

int main(void)
{
    struct catalog eager;
    CHECK(load(&eager, TS_SOURCE_DIR "/configs"));
    test_entries_one_by_one(&eager);
    test_mixed(&eager);
    catalog_release(&eager);
    return CHECK_EXIT();
}
