/*
 * par.h - distribution over processes with MPI (optional).
 *
 * Under `mpirun -np K trainsim ...` every rank runs the same command; sample/montecarlo.c
 * gives each rank a contiguous block of the samples and gathers every block to every rank,
 * so all ranks hold the same results and the output (written by rank 0 only) is
 * byte-identical to one process. Built without MPI, this is a single process of rank 0.
 */
#ifndef TS_UTIL_PAR_H
#define TS_UTIL_PAR_H

#include <stdbool.h>

/* Starts MPI when built with it (no-op otherwise). Call once, first thing in main. */
void par_init(int *argc, char ***argv);
void par_finalize(void);

int par_rank(void);      /* 0 without MPI */
int par_size(void);      /* 1 without MPI */
bool par_is_root(void);  /* rank 0: the process that writes output and messages */

/* First and one-past-last index of this rank's block of n items. */
void par_block(long n, long *first, long *end);

/* Gathers every rank's block (this rank's n_local values at data + first * width, blocks
 * laid out as par_block says, width values per item) so every rank holds all n items. */
void par_allgather(double *data, long n, int width);

#endif
