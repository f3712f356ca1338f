/*
 * buildinfo.h - what this binary is: the git commit it was built from and the optional
 * features compiled in (for --version and the provenance block of JSON outputs).
 */
#ifndef TS_UTIL_BUILDINFO_H
#define TS_UTIL_BUILDINFO_H

#include <stdbool.h>

/* `git describe --always --dirty` of the checkout built, or a sentence saying there was none. */
const char *build_commit(void);

bool build_has_mpi(void);
bool build_has_plplot(void);
bool build_has_openmp(void);

#endif
