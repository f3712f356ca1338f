/*
 * layout.h - throughput from the model, the parallel layout and the hardware (DESIGN 8).
 *
 * Pure functions of plain data: an architecture (struct arch), a layout (struct layout), the
 * hardware and batch of one stage (struct layout_problem) and one sample's efficiencies
 * (struct layout_eff) give the time of one optimizer step, split into named terms
 * (struct layout_time), and the per-GPU memory by component (struct layout_memory). Every
 * term is its own function in layout.c with its equation in the comment and in
 * docs/throughput.md. The engine turns tokens_per_gpu_s into a rate exactly as the
 * tokens_per_gpu_s work form does (DESIGN 3.2).
 *
 * Ownership: nothing here owns memory except the candidate array of layout_enumerate(),
 * which the caller frees with free().
 */
#ifndef TS_CORE_LAYOUT_H
#define TS_CORE_LAYOUT_H

#include <stdbool.h>

#include "core/arch.h"

/* ---- Layout (workload.stages[k].layout) */

/* keep in sync with layout_schedule_names[] in layout.c -- grep SCHEDULE_ORDER */
enum layout_schedule { SCHEDULE_1F1B, SCHEDULE_INTERLEAVED, SCHEDULE_ZERO_BUBBLE, SCHEDULE_DUALPIPE, SCHEDULE_COUNT };
/* keep in sync with layout_recompute_names[] in layout.c -- grep RECOMPUTE_ORDER */
enum layout_recompute { RECOMPUTE_NONE, RECOMPUTE_SELECTIVE, RECOMPUTE_FULL, RECOMPUTE_COUNT };

struct layout {
    long tp, pp, cp, ep, dp;              /* dp = count / (tp pp cp) once resolved */
    long microbatch;                      /* sequences per micro-batch */
    long interleave;                      /* virtual pipeline stages per device */
    enum layout_schedule schedule;
    enum layout_recompute recompute;
    int zero;                             /* 0-3 */
    bool sequence_parallel;
};

const char *layout_schedule_name(enum layout_schedule s);   /* "1f1b", ... */
const char *layout_recompute_name(enum layout_recompute r); /* "none", ... */

/* ---- Hardware, batch and efficiencies of one stage */

struct layout_hw {
    double peak_flops;                    /* dense peak of the stage's precision, FLOP/s per GPU */
    double hbm_bytes_per_s;
    double nvlink_bytes_per_s;            /* per GPU, per direction, nominal */
    double network_bytes_per_s;           /* scale-out per GPU, per direction, nominal */
    long nvlink_domain;                   /* GPUs sharing one NVLink domain */
    double memory_bytes;                  /* accelerator memory */
};

struct layout_problem {
    const struct arch *arch;              /* borrowed */
    struct layout_hw hw;
    long count;                           /* accelerators */
    long seq_len;
    long global_batch_seqs;               /* sequences per optimizer step */
    bool is_fp8;                          /* the stage's precision is fp8 */
};

/* keep in sync with layout_eff_names[] in layout.c -- grep EFF_ORDER */
enum layout_eff_kind { EFF_MATMUL, EFF_ATTENTION, EFF_NETWORK, EFF_OVERLAP, EFF_COUNT };

struct layout_eff {
    double frac[EFF_COUNT];               /* each in (0, 1] (overlap in [0, 1]) */
};

const char *layout_eff_name(enum layout_eff_kind k); /* "matmul", "attention", "network", "overlap" */

/* ---- Results */

/* One optimizer step, seconds; step_s is the sum of the exposed terms. */
struct layout_time {
    double compute_s;        /* model FLOPs + recompute at the matmul/attention efficiencies */
    double bubble_s;         /* pipeline bubble of the schedule */
    double tp_s;             /* exposed tensor/sequence-parallel collectives */
    double pp_s;             /* pipeline point-to-point sends */
    double dp_s;             /* exposed data-parallel gradient/parameter collectives */
    double ep_s;             /* exposed expert-parallel all-to-all */
    double cp_s;             /* exposed context-parallel exchange */
    double optimizer_s;      /* optimizer step (memory bound) */
    double step_s;
    double tokens_per_gpu_s; /* global_batch_seqs x seq_len / step_s / count */
    double mfu;              /* model FLOPs per token x tokens_per_gpu_s / peak_flops */
};

/* Per-GPU memory, bytes. */
struct layout_memory {
    double weights, gradients, optimizer, activations, buffers;
    double total;
};

/* Why a layout is not valid (bits of layout_check's result). */
/* keep in sync with layout_reason_names[] in layout.c -- grep REASON_ORDER */
enum layout_reason {
    LAYOUT_COUNT_NOT_DIVISIBLE,  /* count % (tp pp cp) != 0, or an explicit dp disagrees */
    LAYOUT_HEADS_NOT_DIVISIBLE,  /* heads % tp != 0 */
    LAYOUT_EXPERTS_NOT_DIVISIBLE,/* experts % ep != 0, or ep > 1 on a dense model */
    LAYOUT_EP_NOT_IN_DP,         /* (tp dp) % ep != 0 */
    LAYOUT_BATCH_NOT_DIVISIBLE,  /* global_batch_seqs % (dp microbatch) != 0 */
    LAYOUT_TOO_FEW_MICROBATCHES, /* fewer than pp micro-batches per step */
    LAYOUT_TOO_MANY_STAGES,      /* pp x interleave > layers */
    LAYOUT_CP_NOT_DIVISIBLE,     /* seq_len % (2 cp) != 0 when cp > 1 */
    LAYOUT_MEMORY,               /* estimate above memory_bytes (used by the enumeration only) */
    LAYOUT_REASON_COUNT
};

const char *layout_reason_name(enum layout_reason r); /* one short phrase, for `trainsim layout` */

/* Bits (1u << enum layout_reason) of every validity rule l breaks for p; 0 = valid.
 * Memory is not checked here (see layout_memory). */
unsigned layout_check(const struct layout_problem *p, const struct layout *l);

/* The step time of layout l (valid for p) at efficiencies eff. */
void layout_step(const struct layout_problem *p, const struct layout *l, const struct layout_eff *eff,
                 struct layout_time *out);

/* The per-GPU memory estimate of layout l. */
void layout_memory(const struct layout_problem *p, const struct layout *l, struct layout_memory *out);

/* Number of layers of the stage that sets the pace: ceil(layers / (pp x interleave)). */
long layout_max_stage_layers(const struct arch *a, const struct layout *l);

/* ---- layout: auto and `trainsim layout` */

struct layout_candidate {
    struct layout l;
    struct layout_time t;     /* at the efficiencies given to layout_enumerate */
    struct layout_memory mem;
};

/* Enumerates the layouts of p (tp, pp, cp, ep, microbatch, interleave, recompute, zero, with
 * 1f1b for interleave 1 and interleaved above it, unless base's schedule is zero-bubble or
 * dualpipe, which is kept with interleave 1; sequence parallelism with tp > 1), checks each, and returns
 * the valid ones that fit in memory, fastest first (ties: the smaller tp x pp), in *out
 * (malloc'd, caller frees; NULL when none). n_rejected[r] counts the layouts rejected by
 * reason r (a layout breaking several rules counts under its first). Returns the number of
 * valid candidates. */
int layout_enumerate(const struct layout_problem *p, const struct layout *base, const struct layout_eff *eff,
                     struct layout_candidate **out, long n_rejected[LAYOUT_REASON_COUNT]);

#endif
