/*
 * override.c - --set PATH=VALUE on a scenario tree.
 */
#include "load/override.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "util/xalloc.h"

static const char CMDLINE[] = "<command line>";

/* One path segment: a key, optionally followed by [index]. */
struct segment {
    char key[128];
    int index; /* -1 when absent */
    int col;   /* 1-based column of the key in the argument */
};

/* Splits "a.b[2].c" into segments; returns the count, or -1 with *bad_col set (1-based). */
static int split_path(const char *path, struct segment *seg, int max, int *bad_col)
{
    int n = 0;
    const char *p = path;
    while (*p) {
        if (n == max) {
            *bad_col = (int)(p - path) + 1;
            return -1;
        }
        size_t k = 0;
        const char *start = p;
        while (*p && *p != '.' && *p != '[') {
            if (k + 1 >= sizeof seg[n].key || isspace((unsigned char)*p)) {
                *bad_col = (int)(p - path) + 1;
                return -1;
            }
            seg[n].key[k++] = *p++;
        }
        seg[n].key[k] = '\0';
        seg[n].index = -1;
        seg[n].col = (int)(start - path) + 1;
        if (k == 0) {
            *bad_col = (int)(start - path) + 1;
            return -1;
        }
        if (*p == '[') {
            char *end;
            const long i = strtol(p + 1, &end, 10);
            if (end == p + 1 || *end != ']' || i < 0 || i > 100000) {
                *bad_col = (int)(p - path) + 1;
                return -1;
            }
            seg[n].index = (int)i;
            p = end + 1;
        }
        n++;
        if (*p == '.') {
            p++;
            if (!*p) {
                *bad_col = (int)(p - path) + 1;
                return -1;
            }
        } else if (*p) {
            *bad_col = (int)(p - path) + 1;
            return -1;
        }
    }
    return n;
}

bool override_apply(struct diag *d, struct ynode *root, const char *arg)
{
    const int errors_before = d->n_errors;
    const char *file = diag_add_source(d, CMDLINE, arg, strlen(arg));
    const char *eq = strchr(arg, '=');
    if (!eq || eq == arg) {
        diag_error(d, (struct src_pos){ file, 1, 1 }, "--set: expected PATH=VALUE, got '%s'", arg);
        return false;
    }
    char *path = xstrndup(arg, (size_t)(eq - arg));
    struct segment seg[32];
    int bad_col = 0;
    const int n = split_path(path, seg, 32, &bad_col);
    if (n < 0) {
        diag_error(d, (struct src_pos){ file, 1, bad_col }, "--set: '%s' is not a key path (like cluster.count or "
                                                            "workload.stages[0].mfu)", path);
        free(path);
        return false;
    }
    const int col0 = (int)(eq - arg) + 1; /* the value starts at column col0 + 1 */
    struct ynode *value = ytree_parse(d, file, eq + 1, strlen(eq + 1), col0);
    if (!value) {
        free(path);
        return false;
    }
    /* Walk down, creating mappings where keys are missing. */
    struct ynode *node = root;
    bool ok = true;
    for (int i = 0; i < n && ok; i++) {
        const bool last = i == n - 1;
        if (node->kind != YNODE_MAP) {
            diag_error(d, (struct src_pos){ file, 1, 1 }, "--set %s: '%s' is inside %s, not a mapping", path, seg[i].key,
                       ytree_kind_name(node));
            ok = false;
            break;
        }
        struct ynode *child = ytree_get(node, seg[i].key);
        if (seg[i].index >= 0) {
            if (!child || child->kind != YNODE_SEQ || seg[i].index >= child->n) {
                diag_error(d, (struct src_pos){ file, 1, 1 }, "--set %s: '%s' has no item [%d]%s", path, seg[i].key,
                           seg[i].index, child && child->kind == YNODE_SEQ ? "" : " (not a list)");
                ok = false;
                break;
            }
            if (last) {
                ytree_free(child->vals[seg[i].index]);
                child->vals[seg[i].index] = value;
                value = NULL;
            } else {
                node = child->vals[seg[i].index];
            }
        } else if (last) {
            ytree_put(node, seg[i].key, value);
            ytree_key_at(node, seg[i].key, (struct src_pos){ file, 1, seg[i].col });
            value = NULL;
        } else {
            if (!child) {
                ytree_put(node, seg[i].key, ytree_new_map((struct src_pos){ file, 1, seg[i].col }));
                child = ytree_get(node, seg[i].key);
            }
            node = child;
        }
    }
    ytree_free(value);
    free(path);
    return ok && d->n_errors == errors_before; /* the value may parse with errors (duplicate keys) */
}
