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
char *xstrdup(const char *s);         /* NULL in, NULL out */
char *xstrndup(const char *s, size_t n);

#endif
