/*
 * xalloc.h - allocation that never returns NULL.
 *
 * trainsim is a command-line tool: running out of memory is fatal. These wrappers print
 * one message and exit(1), which removes a whole class of error paths from every caller.
 */
#ifndef TS_UTIL_XALLOC_H
#define TS_UTIL_XALLOC_H

#include <stddef.h>

void *xmalloc(size_t n);              /* never NULL; n == 0 gives a valid pointer */
void *xcalloc(size_t n, size_t size); /* zeroed; exits on overflow of n * size */
void *xrealloc(void *p, size_t n);
/* For large arrays that are filled once: from 1 MB on, aligned on 2 MB, rounded up to whole
 * 2 MB pages and marked for transparent huge pages where Linux offers them (its "madvise"
 * mode), so that filling them takes one page fault per 2 MB instead of one per 4 KB -- on a
 * virtual machine a fault costs more than writing the page (issue 15). Less than 2 MB more
 * than asked, at most twice; smaller requests are plain malloc. free() releases them. */
void *xmalloc_huge(size_t n);
void *xcalloc_huge(size_t n, size_t size); /* zeroed; exits on overflow of n * size */
char *xstrdup(const char *s);         /* NULL in, NULL out */
char *xstrndup(const char *s, size_t n);

#endif
