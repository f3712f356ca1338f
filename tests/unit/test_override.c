/*
 * test_override.c - --set overrides (load/override.h): paths, created mappings, list indexes,
 * YAML values, and every malformed override reported as a user sees it.
 */
#include <string.h>

#include "check.h"
#include "dbuf.h"
#include "load_check.h"
#include "load/override.h"
#include "load/ytree.h"
#include "util/diag.h"

static const char *const OVERRIDE_BASE = "cluster:\n"
                                         "  count: 2048\n"
                                         "workload:\n"
                                         "  stages:\n"
                                         "    - name: pre\n"
                                         "      mfu: 0.3\n"
                                         "    - name: post\n"
                                         "      mfu: 0.4\n";

static void test_override(void)
{
    struct dbuf b;
    dbuf_open(&b);
    struct ynode *root = parse(&b, OVERRIDE_BASE);
    CHECK(root != NULL);
    if (!root) {
        dbuf_close(&b);
        return;
    }
    const struct ynode *cl = ytree_get(root, "cluster");

    /* Replace a scalar; the value's position is inside the argument: "cluster.count=" is 14
     * characters, so the value starts at column 15 of "<command line>". */
    CHECK(override_apply(&b.d, root, "cluster.count=4096"));
    const struct ynode *cnt = ytree_get(cl, "count");
    CHECK(text_is(cnt, "4096") && cnt->is_plain && at(cnt, 1, 15));
    CHECK(cnt && strcmp(cnt->pos.file, "<command line>") == 0);
    CHECK(cl->n == 1);

    /* Missing mappings on the way are created. */
    CHECK(override_apply(&b.d, root, "facility.pue=1.25"));
    CHECK(text_is(ytree_get(ytree_get(root, "facility"), "pue"), "1.25"));
    CHECK(override_apply(&b.d, root, "a.b.c=[1, 2]"));
    const struct ynode *abc = ytree_get(ytree_get(ytree_get(root, "a"), "b"), "c");
    CHECK(abc && abc->kind == YNODE_SEQ && abc->n == 2);
    CHECK(root->n == 4);

    /* A list item's key; a whole list item. */
    CHECK(override_apply(&b.d, root, "workload.stages[0].mfu={dist: uniform, min: 0.3, max: 0.4}"));
    const struct ynode *stages = ytree_get(ytree_get(root, "workload"), "stages");
    const struct ynode *mfu0 = stages ? ytree_get(stages->vals[0], "mfu") : NULL;
    CHECK(mfu0 && mfu0->kind == YNODE_MAP && text_is(ytree_get(mfu0, "dist"), "uniform"));
    CHECK(text_is(ytree_get(stages->vals[1], "mfu"), "0.4")); /* the other stage is untouched */
    CHECK(override_apply(&b.d, root, "workload.stages[0].mfu=0.35"));
    CHECK(text_is(ytree_get(stages->vals[0], "mfu"), "0.35"));
    CHECK(text_is(ytree_get(stages->vals[0], "name"), "pre"));
    CHECK(override_apply(&b.d, root, "workload.stages[1]={name: late, mfu: 0.5}"));
    CHECK(text_is(ytree_get(stages->vals[1], "name"), "late") && stages->n == 2);
    CHECK(b.d.n_errors == 0);
    if (b.d.n_errors)
        fprintf(stderr, "%s", dbuf_text(&b));

    /* Errors: false, a message at the right column, the tree unchanged. */
    CHECK(!override_apply(&b.d, root, "cluster..count=1"));
    CHECK(said(&b, "<command line>:1:9: error: --set: 'cluster..count' is not a key path"));
    CHECK(!override_apply(&b.d, root, "workload.stages[5].mfu=0.5"));
    CHECK(said(&b, "--set workload.stages[5].mfu: 'stages' has no item [5]\n"));
    CHECK(!override_apply(&b.d, root, "workload.stages[2]=0.5"));
    CHECK(said(&b, "'stages' has no item [2]"));
    CHECK(!override_apply(&b.d, root, "cluster[0]=1"));
    CHECK(said(&b, "--set cluster[0]: 'cluster' has no item [0] (not a list)"));
    CHECK(!override_apply(&b.d, root, "cluster.count"));
    CHECK(said(&b, "<command line>:1:1: error: --set: expected PATH=VALUE, got 'cluster.count'"));
    CHECK(!override_apply(&b.d, root, "=5"));
    CHECK(said(&b, "expected PATH=VALUE, got '=5'"));
    CHECK(!override_apply(&b.d, root, "cluster.count.x=1"));
    CHECK(said(&b, "--set cluster.count.x: 'x' is inside a single value, not a mapping"));
    CHECK(!override_apply(&b.d, root, "cluster.count=[1,"));
    CHECK(!override_apply(&b.d, root, "cluster.=1"));
    CHECK(!override_apply(&b.d, root, "stages[x]=1"));
    CHECK(!override_apply(&b.d, root, "clu ster=1"));
    CHECK(b.d.n_errors == 11);
    CHECK(text_is(ytree_get(cl, "count"), "4096") && cl->n == 1 && stages->n == 2 && root->n == 4);
    CHECK(text_is(ytree_get(stages->vals[0], "mfu"), "0.35"));

    /* A value with a duplicate key is an error, so override_apply must say so (it returns
     * false on error, per override.h). */
    const int e0 = b.d.n_errors;
    const bool dup_ok = override_apply(&b.d, root, "facility={pue: 1.1, pue: 1.2}");
    CHECK(b.d.n_errors == e0 + 1);
    CHECK(said(&b, "<command line>:1:21: error: document: duplicate key 'pue'"));
    CHECK(!dup_ok);
    ytree_free(root);
    dbuf_close(&b);
}

int main(void)
{
    test_override();
    return CHECK_EXIT();
}
