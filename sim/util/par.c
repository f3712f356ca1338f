/*
 * par.c - MPI wrapped for trainsim: init, rank, block split, all-gather.
 */
#include "util/par.h"

#include <stdio.h>
#include <stdlib.h>

#include "util/xalloc.h"

#ifdef TRAINSIM_HAVE_MPI
#include <mpi.h>
#endif

#ifdef TRAINSIM_HAVE_MPI
/* Library users (tests, the fuzzers, the bench) need not start MPI: then this is one process. */
static bool is_running(void)
{
    int init = 0, fin = 0;
    MPI_Initialized(&init);
    MPI_Finalized(&fin);
    return init && !fin;
}
#endif

void par_init(int *argc, char ***argv)
{
#ifdef TRAINSIM_HAVE_MPI
    /* Starting MPI costs about 0.4 s: do it only when a launcher started us (Open MPI sets
     * OMPI_COMM_WORLD_SIZE, MPICH and Hydra PMI_SIZE, PMIx PMIX_RANK). Otherwise this is one
     * process, which every par_ function handles without MPI. */
    if (!getenv("OMPI_COMM_WORLD_SIZE") && !getenv("PMI_SIZE") && !getenv("PMIX_RANK"))
        return;
    int provided;
    MPI_Init_thread(argc, argv, MPI_THREAD_FUNNELED, &provided);
#else
    (void)argc, (void)argv;
#endif
}

void par_finalize(void)
{
#ifdef TRAINSIM_HAVE_MPI
    if (is_running())
        MPI_Finalize();
#endif
}

int par_rank(void)
{
#ifdef TRAINSIM_HAVE_MPI
    int r = 0;
    if (is_running())
        MPI_Comm_rank(MPI_COMM_WORLD, &r);
    return r;
#else
    return 0;
#endif
}

int par_size(void)
{
#ifdef TRAINSIM_HAVE_MPI
    int s = 1;
    if (is_running())
        MPI_Comm_size(MPI_COMM_WORLD, &s);
    return s;
#else
    return 1;
#endif
}

bool par_is_root(void)
{
    return par_rank() == 0;
}

/* Block of rank r: items [n r / K, n (r + 1) / K). */
static long block_start(long n, int r, int k)
{
    return n * r / k; /* n <= 1e7 samples (or points): no overflow */
}

void par_block(long n, long *first, long *end)
{
    const int k = par_size(), r = par_rank();
    *first = block_start(n, r, k);
    *end = block_start(n, r + 1, k);
}

void par_allgather(double *data, long n, int width)
{
#ifdef TRAINSIM_HAVE_MPI
    const int k = par_size();
    if (k == 1)
        return;
    int *counts = xcalloc((size_t)k, sizeof *counts), *displs = xcalloc((size_t)k, sizeof *displs);
    for (int r = 0; r < k; r++) {
        const long a = block_start(n, r, k), b = block_start(n, r + 1, k);
        const long c = (b - a) * width, d = a * width;
        if (c > 2147483647L || d > 2147483647L) {
            fputs("trainsim: error: MPI: too many values to gather in one call\n", stderr);
            MPI_Abort(MPI_COMM_WORLD, 1);
        }
        counts[r] = (int)c;
        displs[r] = (int)d;
    }
    MPI_Allgatherv(MPI_IN_PLACE, 0, MPI_DATATYPE_NULL, data, counts, displs, MPI_DOUBLE, MPI_COMM_WORLD);
    free(counts);
    free(displs);
#else
    (void)data, (void)n, (void)width;
#endif
}
