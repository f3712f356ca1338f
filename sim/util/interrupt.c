/*
 * interrupt.c - a flag set by SIGINT/SIGTERM (sigaction, async-signal-safe).
 */
#include "util/interrupt.h"

#include <signal.h>
#include <string.h>

static volatile sig_atomic_t received;

static void on_signal(int sig)
{
    received = sig;
}

void interrupt_install(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
}

bool interrupt_requested(void)
{
    return received != 0;
}

int interrupt_signal(void)
{
    return (int)received;
}
