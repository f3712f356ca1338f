/*
 * validate.c - the validation command: published runs in, one row per reported figure out.
 * Wiring only: the folder listed here, each case loaded (load/), run and judged
 * (sample/validate.h, core/verdict.h), the rows written by the output layer.
 */
#include "validate.h"

#include <dirent.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "core/spec.h"
#include "load/catalog.h"
#include "output/writer.h"
#include "sample/validate.h"
#include "util/diag.h"
#include "util/outfile.h"
#include "util/xalloc.h"

static const char DEFAULT_DIR[] = "scenarios/published";

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The *.yaml files of dir, sorted, into *files (owned by the caller) and *n. Returns
 * EXIT_OK, or after a message EXIT_RUNTIME (the folder cannot be read) or EXIT_INPUT (it
 * holds no .yaml file). */
static int list_yaml(const char *dir, char ***files, int *n)
{
    *files = NULL;
    *n = 0;
    DIR *d = opendir(dir);
    if (!d) {
        fprintf(stderr, "trainsim: error: validate: cannot open folder '%s'%s\n", dir,
                dir == DEFAULT_DIR ? " (run from the project root, or name the folder)" : "");
        return EXIT_RUNTIME;
    }
    const struct dirent *e;
    while ((e = readdir(d))) {
        const size_t len = strlen(e->d_name);
        if (len < 6 || strcmp(e->d_name + len - 5, ".yaml") != 0)
            continue;
        *files = xrealloc(*files, (size_t)(*n + 1) * sizeof **files);
        const size_t size = strlen(dir) + len + 2;
        (*files)[*n] = xmalloc(size);
        snprintf((*files)[*n], size, "%s/%s", dir, e->d_name);
        (*n)++;
    }
    closedir(d);
    if (*n == 0) {
        fprintf(stderr, "trainsim: error: validate: no .yaml files in '%s'\n", dir);
        return EXIT_INPUT;
    }
    qsort(*files, (size_t)*n, sizeof **files, cmp_str);
    return EXIT_OK;
}

int validate_command(const struct cli_options *o)
{
    const char *dir = o->n_files ? o->files[0] : DEFAULT_DIR;
    const char *format = o->format ? o->format : "table";
    if (!writer_offers(&validate_writer, format)) {
        fprintf(stderr, "trainsim: error: --format: unknown format '%s' (expected %s)\n", format,
                writer_formats_text(&validate_writer));
        return EXIT_INPUT;
    }
    int n_files;
    char **files;
    const int listed = list_yaml(dir, &files, &n_files);
    if (listed != EXIT_OK)
        return listed;
    struct diag d;
    diag_init(&d, stderr);
    d.quiet_warnings = true; /* published cases reproduce others' choices (e.g. the napkin's 350 W) */
    struct catalog cat;
    int rc = EXIT_OK;
    if (!catalog_load(&cat, &d, o->configs)) {
        diag_summary(&d, "the catalogs");
        rc = d.n_io_errors ? EXIT_RUNTIME : EXIT_INPUT;
    }
    struct spec *specs = xcalloc((size_t)(n_files ? n_files : 1), sizeof *specs);
    struct validate_row *rows = NULL;
    int n_rows = 0, n_loaded = 0;
    for (int f = 0; f < n_files && rc == EXIT_OK; f++) {
        rc = command_load_scenario(o, &d, &cat, files[f], &specs[f]);
        if (rc != EXIT_OK)
            break;
        n_loaded = f + 1;
        validate_case(&specs[f], o->threads, &rows, &n_rows);
    }
    if (rc == EXIT_OK) {
        struct outfile out;
        if (!outfile_open(&out, o->output)) {
            rc = EXIT_RUNTIME;
        } else if (!writer_write(&validate_writer, format, out.f, &(struct validate_report){ n_rows, rows })) {
            outfile_abort(&out);
            rc = EXIT_RUNTIME;
        } else {
            rc = outfile_commit(&out) ? EXIT_OK : EXIT_RUNTIME;
        }
        const int n_fail = validate_failures(rows, n_rows);
        if (rc == EXIT_OK && n_fail) {
            fprintf(stderr, "trainsim: validate: %d consistency check%s outside tolerance\n", n_fail,
                    n_fail == 1 ? "" : "s");
            rc = EXIT_RUNTIME;
        }
    }
    free(rows);
    for (int f = 0; f < n_loaded; f++)
        spec_release(&specs[f]);
    free(specs);
    for (int f = 0; f < n_files; f++)
        free(files[f]);
    free(files);
    catalog_release(&cat);
    diag_release(&d);
    return rc;
}
