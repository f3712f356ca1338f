/*
 * buildinfo.c - the features compiled in, from the definitions sim/CMakeLists.txt gives
 * this file (the commit is in the generated commit.c).
 */
#include "util/buildinfo.h"

bool build_has_mpi(void)
{
#ifdef TRAINSIM_HAVE_MPI
    return true;
#else
    return false;
#endif
}

bool build_has_plplot(void)
{
#ifdef TRAINSIM_HAVE_PLPLOT
    return true;
#else
    return false;
#endif
}

bool build_has_openmp(void)
{
#ifdef TRAINSIM_HAVE_OPENMP
    return true;
#else
    return false;
#endif
}
