/*
 * override.h - --set PATH=VALUE: splicing a YAML value into a scenario tree.
 */
#ifndef TS_LOAD_OVERRIDE_H
#define TS_LOAD_OVERRIDE_H

#include <stdbool.h>

#include "load/ytree.h"
#include "util/diag.h"

/* Applies one "PATH=VALUE" override to root (a mapping): PATH is a key path such as
 * cluster.count or workload.stages[0].mfu; VALUE is parsed as YAML. Missing mappings on
 * the way are created; list indices must exist. Problems are reported with the position
 * inside the argument (file "<command line>"). Returns false on error. */
bool override_apply(struct diag *d, struct ynode *root, const char *arg);

#endif
