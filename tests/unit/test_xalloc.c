/*
 * test_xalloc.c - util/xalloc.c's large-array allocations: xmalloc_huge() gives writable memory
 * of the size asked (from 1 MB on, 2 MB-aligned on Linux), xcalloc_huge() zeroed memory even
 * where a dirty block was just freed, both released by free(); an overflowing n x size exits
 * with status 1 and one message, as every x* allocation does.
 */
#include <stdint.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "check.h"
#include "util/xalloc.h"

static const size_t MB = (size_t)1 << 20;

static void test_sizes(void)
{
    const size_t sizes[] = { 0, 1, 4096, MB - 1, MB, 2 * MB, 2 * MB + 1, 5 * MB + 3 };
    for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
        unsigned char *p = xmalloc_huge(sizes[i]);
        CHECK(p != NULL);
#ifdef __linux__
        if (sizes[i] >= MB)
            CHECK((uintptr_t)p % (2 * MB) == 0);
#endif
        if (sizes[i]) {
            memset(p, 0xa5, sizes[i]); /* every byte asked for is writable (ASan/valgrind check the bounds) */
            CHECK(p[0] == 0xa5 && p[sizes[i] - 1] == 0xa5);
        }
        free(p);
    }
}

static void test_zeroed(void)
{
    for (int round = 0; round < 3; round++) {
        const size_t n = 3 * MB / sizeof(double) + 7;
        double *d = xcalloc_huge(n, sizeof *d);
        size_t nonzero = 0;
        for (size_t i = 0; i < n; i++)
            nonzero += d[i] != 0;
        CHECK(nonzero == 0);
        for (size_t i = 0; i < n; i++)
            d[i] = 1.0 + (double)i; /* dirty it for the next round */
        free(d);
    }
    char *small = xcalloc_huge(10, 3);
    CHECK(small[0] == 0 && small[29] == 0);
    free(small);
}

static void test_overflow_exits(void)
{
    fflush(NULL);
    const pid_t pid = fork();
    CHECK(pid >= 0);
    if (pid == 0) {
        if (!freopen("/dev/null", "w", stderr))
            _exit(2);
        (void)xcalloc_huge(SIZE_MAX / 2, 4);
        _exit(0); /* not reached */
    }
    int status = 0;
    CHECK(waitpid(pid, &status, 0) == pid);
    CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 1);
}

int main(void)
{
    test_sizes();
    test_zeroed();
    test_overflow_exits();
    return CHECK_EXIT();
}
