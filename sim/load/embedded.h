/*
 * embedded.h - the YAML data files compiled into the binary (configs/, models/).
 *
 * The table is generated at build time by cmake/embed.cmake; paths are relative to the
 * project root ("configs/grids.yaml", "models/deepseek-v3.yaml").
 */
#ifndef TS_LOAD_EMBEDDED_H
#define TS_LOAD_EMBEDDED_H

#include <stddef.h>

struct embedded_file {
    const char *path; /* "models/deepseek-v3.yaml" */
    const char *key;  /* the file name without ".yaml": "deepseek-v3" */
    const char *text; /* NUL-terminated */
    size_t len;
};

extern const struct embedded_file embedded_files[];
extern const int n_embedded_files;

#endif
