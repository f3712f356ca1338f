/*
 * interrupt.h - SIGINT and SIGTERM as a request to stop, not a kill.
 *
 * The handler only sets a flag (the one piece of global mutable state in trainsim: a
 * signal handler can reach nothing else). Long loops poll interrupt_requested() and stop
 * early; the command then exits 1 without writing any output file.
 */
#ifndef TS_UTIL_INTERRUPT_H
#define TS_UTIL_INTERRUPT_H

#include <stdbool.h>

void interrupt_install(void);
bool interrupt_requested(void);
int interrupt_signal(void); /* the signal received, 0 if none */

#endif
