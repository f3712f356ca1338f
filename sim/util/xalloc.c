/*
 * xalloc.c - malloc/calloc/realloc/strdup that exit on out-of-memory.
 */
#ifdef __linux__
#define _DEFAULT_SOURCE /* madvise() and MADV_HUGEPAGE beside _POSIX_C_SOURCE */
#endif
#include "util/xalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#ifdef __linux__
#include <sys/mman.h>
#endif

static void oom(size_t n)
{
    fprintf(stderr, "trainsim: out of memory (requesting %zu bytes)\n", n);
    exit(1);
}

void *xmalloc(size_t n)
{
    void *p = malloc(n ? n : 1);
    if (!p)
        oom(n);
    return p;
}

void *xcalloc(size_t n, size_t size)
{
    void *p = calloc(n ? n : 1, size ? size : 1);
    if (!p)
        oom(n * size);
    return p;
}

void *xrealloc(void *p, size_t n)
{
    void *q = realloc(p, n ? n : 1);
    if (!q)
        oom(n);
    return q;
}

void *xmalloc_huge(size_t n)
{
    static const size_t HUGE_PAGE = 2u << 20;
#if defined(__linux__) && defined(MADV_HUGEPAGE)
    void *t = NULL;
    const size_t whole = (n + HUGE_PAGE - 1) / HUGE_PAGE * HUGE_PAGE;
    if (n >= HUGE_PAGE / 2 && whole >= n && posix_memalign(&t, HUGE_PAGE, whole) == 0) {
        (void)madvise(t, whole, MADV_HUGEPAGE); /* a hint: without it, small pages */
        return t;
    }
#endif
    (void)HUGE_PAGE;
    return xmalloc(n);
}

void *xcalloc_huge(size_t n, size_t size)
{
    if (size && n > (size_t)-1 / size)
        oom((size_t)-1);
    void *p = xmalloc_huge(n * size);
    memset(p, 0, n * size);
    return p;
}

char *xstrdup(const char *s)
{
    if (!s)
        return NULL;
    return xstrndup(s, strlen(s));
}

char *xstrndup(const char *s, size_t n)
{
    char *d = xmalloc(n + 1);
    memcpy(d, s, n);
    d[n] = '\0';
    return d;
}
