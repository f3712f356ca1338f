#!/usr/bin/env python3
"""throughput_convert.py INPUT.yaml > tests/data/throughput-measured.csv

Converts a compilation of measured LLM training throughput (one YAML entry per measured
configuration: model, hardware, parallelism, batch, measured, source; the layout of the
compilation the layout model was calibrated on, see docs/throughput.md) into one CSV row
per configuration whose architecture and layout are complete, with the measured tokens/s
per GPU (the comparison that does not depend on a FLOP convention).

Rules (docs/throughput.md, "Calibration data"):
- architecture: the entry's own fields; where a model's entry lacks fields of its published
  configuration, ARCH below completes them and names that publication (column arch_source);
  models with no published configuration here are skipped;
- layout: tp, pp and the micro-batch must be stated (cp, ep, interleave default 1); zero
  and recompute follow the framework of the dataset (DATASET below) unless the entry says;
- measured tokens/s/GPU: measured or derived in the entry; hardware-FLOP figures
  (Narayanan 2021) are divided by the hardware FLOPs per token of the paper's eq. 3;
- accelerators map to trainsim catalog keys; parts the catalog lacks sourced peaks for
  (B300, GB300) and precisions it has no peak for (NVFP4) are skipped;
- split: whole datasets are held out (HOLDOUT) and never used to set the efficiencies.
Rows skipped, with the reason, are counted on stderr. Extra rows (extra_rows) are production
runs of primary papers whose layout is stated only in part: split "published", reported apart.
"""
import csv
import sys
from collections import Counter

import yaml

HOLDOUT = {"narayanan2021_table2", "vtrain_ground_truth_multi", "nvidia_nemo_24.07"}
# Production runs of the primary papers whose layout is stated only in part (EXTRA below):
# split "published", reported apart and in no tolerance.

ACCEL = {"A100-SXM4-80GB": "A100-SXM-80GB", "A100-SXM4-40GB": "A100-SXM-40GB", "H100-SXM5-80GB": "H100-SXM",
         "H800": "H800-SXM", "GB200": "GB200", "B200": "B200"}

# Architecture fields completed from each model's own publication.
DSV3 = dict(layers=61, hidden=7168, ffn_hidden=18432, ffn_kind="swiglu", heads=128, kv_heads=128, head_dim=128,
            vocab=129280, experts=256, top_k=8, shared_experts=1, expert_ffn_hidden=2048, dense_layers=3,
            q_lora_rank=1536, kv_lora_rank=512, rope_head_dim=64, nope_head_dim=128, v_head_dim=128)
ARCH = {
    "DeepSeek-V3 671B (37B active)": (DSV3, "deepseek-ai/DeepSeek-V3 config.json (HF)"),
    "Qwen3_30B_a3B": (dict(layers=48, hidden=2048, ffn_hidden=6144, ffn_kind="swiglu", heads=32, kv_heads=4,
                           head_dim=128, vocab=151936, experts=128, top_k=8, expert_ffn_hidden=768),
                      "Qwen/Qwen3-30B-A3B config.json (HF)"),
    "Qwen3_235B_a22B": (dict(layers=94, hidden=4096, ffn_hidden=12288, ffn_kind="swiglu", heads=64, kv_heads=4,
                             head_dim=128, vocab=151936, experts=128, top_k=8, expert_ffn_hidden=1536),
                        "Qwen/Qwen3-235B-A22B config.json (HF)"),
    "Nemotron-4 340B": (dict(heads=96, kv_heads=8, ffn_hidden=73728, ffn_kind="gelu"),
                        "Nemotron-4 340B Technical Report arXiv:2406.11704 Table 1 (squared ReLU: 2 FFN matrices)"),
    "Nemotron-4 15B": (dict(ffn_kind="gelu"), "Nemotron-4 15B arXiv:2402.16819 (squared ReLU: 2 FFN matrices)"),
}
GPT_SOURCE = "GPT convention of the source (ffn 4h; GELU; 2 FFN matrices)"

# What each dataset's framework does unless the entry says (docs/throughput.md).
DATASET = {
    "nvidia_megatron_bridge": dict(zero=1, recompute="none"),
    "nvidia_dgxc_benchmarking": dict(zero=1, recompute="none"),
    "nvidia_nemo_24.07": dict(zero=1, recompute="none"),
    "mosaicml_llm_foundry": dict(zero=3, recompute="none"),
    "vtrain_ground_truth_multi": dict(zero=0, recompute="full"),
    "narayanan2021_table2": dict(zero=3, recompute="full"),
}
# Interconnect the source states for its cluster (GB/s per GPU per direction), overriding
# the catalog: Selene 8 x 200 Gb/s HDR per 8 GPUs = 25; vTrain's configs (the only statement
# of its cluster) intra 150 GB/s and inter 800 Gb/s per 8-GPU node = 12.5.
NET = {
    "narayanan2021_table2": dict(network_gb_s=25),
    "vtrain_ground_truth_multi": dict(nvlink_gb_s=150, network_gb_s=12.5),
}
COLUMNS = ["id", "dataset", "source", "arch_source", "accelerator", "count", "layers", "hidden", "ffn_hidden",
           "ffn_kind", "heads", "kv_heads", "head_dim", "vocab", "experts", "top_k", "shared_experts",
           "expert_ffn_hidden", "dense_layers", "q_lora_rank", "kv_lora_rank", "rope_head_dim", "nope_head_dim",
           "v_head_dim", "seq_len", "global_batch_seqs", "precision", "tp", "pp", "cp", "ep", "dp", "microbatch",
           "interleave", "schedule", "recompute", "zero", "nvlink_gb_s", "network_gb_s",
           "measured_tokens_per_gpu_s", "split", "notes"]


def clean(s):
    return " ".join(str(s).replace(",", ";").replace('"', "'").split())


def precision_of(p):
    p = str(p).lower()
    if "nvfp4" in p:
        return None
    if "fp8" in p:
        return "fp8"
    if "bf16" in p or "16-bit" in p:
        return "bf16"
    return None


def measured_tps(r):
    m = r.get("measured") or {}
    if "tokens_per_s_per_gpu" in m:
        return float(m["tokens_per_s_per_gpu"])
    for x in r.get("derived") or []:
        if x.get("quantity") == "tokens_per_s_per_gpu":
            return float(x["value"])
    return None


def arch_of(r):
    m = r["model"]
    name = m.get("name", "")
    base = name.replace(" (tokendrop)", "")
    a = dict(layers=m.get("layers"), hidden=m.get("hidden"), ffn_hidden=m.get("ffn"), heads=m.get("heads"),
             kv_heads=m.get("kv_heads"), head_dim=m.get("head_dim"), vocab=m.get("vocab"))
    a = {k: v for k, v in a.items() if v is not None}
    src = "entry"
    if base in ARCH:
        extra, src = ARCH[base]
        for k, v in extra.items():
            a.setdefault(k, v)
        src = "entry + " + src
    if "llama" in name.lower():
        a.setdefault("ffn_kind", "swiglu")
    if name.startswith("GPT") or name.startswith("MPT"):
        a.setdefault("ffn_kind", "gelu")
        if "hidden" in a:
            a.setdefault("ffn_hidden", 4 * a["hidden"])
        if "ffn_hidden" not in (m or {}):
            src = "entry + " + GPT_SOURCE
    if r["dataset"] == "vtrain_ground_truth_multi":
        a.setdefault("vocab", 51200)
        src += "; vocab 51200 assumed (Megatron GPT padding; not in the vTrain CSV)"
    need = ["layers", "hidden", "ffn_hidden", "ffn_kind", "heads", "vocab"]
    if any(k not in a for k in need):
        return None, None
    a.setdefault("kv_heads", a["heads"])
    a.setdefault("head_dim", a["hidden"] // a["heads"])
    for k in ["experts", "top_k", "shared_experts", "expert_ffn_hidden", "dense_layers", "q_lora_rank",
              "kv_lora_rank", "rope_head_dim", "nope_head_dim", "v_head_dim"]:
        a.setdefault(k, 0)
    return a, src


def narayanan_hw_flops_per_token(a, s):
    """Narayanan 2021 eq. 3 per token: 96 l h^2 (1 + s/(6h) + V/(16 l h))."""
    l, h, v = a["layers"], a["hidden"], a["vocab"]
    return 96.0 * l * h * h * (1 + s / (6.0 * h) + v / (16.0 * l * h))


def convert(r, skipped):
    ds = r["dataset"]
    if ds not in DATASET:
        skipped[ds + ": no layout in the entry (GPU-hours or incomplete parallelism)"] += 1
        return None
    hw = r["hardware"]
    acc = hw.get("accelerator", "")
    if ds == "vtrain_ground_truth_multi":
        acc = "A100-SXM4-80GB"
    if acc not in ACCEL:
        skipped["accelerator without sourced catalog figures: " + acc] += 1
        return None
    prec = precision_of(r.get("precision"))
    if prec is None:
        skipped["precision without a catalog peak: " + str(r.get("precision"))] += 1
        return None
    a, asrc = arch_of(r)
    if a is None:
        skipped["architecture incomplete: " + r["model"].get("name", "?")] += 1
        return None
    p = r.get("parallelism") or {}
    b = r.get("batch") or {}
    count, B, s = hw.get("count"), b.get("global_batch_seqs"), r["model"].get("seq_len")
    if ds == "narayanan2021_table2" and p.get("scheme", "").startswith("PTD-P"):
        skipped["narayanan2021_table2: PTD-P tp x pp not stated"] += 1
        return None
    tp = p.get("tp", 1 if ds == "narayanan2021_table2" else None)
    pp = p.get("pp", 1 if ds == "narayanan2021_table2" else None)
    mb = p.get("microbatch")
    if None in (count, B, s, tp, pp, mb):
        skipped[ds + ": tp/pp/microbatch/batch/count not all stated"] += 1
        return None
    cp, ep, vp = p.get("cp") or 1, p.get("ep") or 1, p.get("vp") or 1
    d = dict(DATASET[ds])
    if p.get("fsdp"):
        d["zero"] = 3
    if ds == "mosaicml_llm_foundry":
        d["recompute"] = "full" if p.get("activation_checkpointing") else "none"
        d["zero"] = 2 if p.get("sharding") == "SHARD_GRAD_OP" else 3
    tps = measured_tps(r)
    notes = ""
    if ds == "narayanan2021_table2":
        x = float(r["measured"]["tflops_per_gpu"]) * 1e12
        tps = x / narayanan_hw_flops_per_token(a, s)
        notes = "tokens/s/GPU = hardware TFLOP/s / eq.3 FLOPs per token"
    if tps is None:
        skipped[ds + ": no tokens/s per GPU"] += 1
        return None
    if pp * vp > a["layers"]:
        skipped[ds + ": pp x interleave > layers (embedding and loss counted as pipeline layers)"] += 1
        return None
    dp = count // (tp * pp * cp)
    if dp * tp * pp * cp != count or B % (dp * mb) != 0:
        skipped[ds + ": count or batch not divisible by the layout"] += 1
        return None
    row = dict(a)
    row.update(id=r["id"], dataset=ds, source=clean(r["source"]["ref"] + " " + r["source"].get("location", "")),
               arch_source=clean(asrc), accelerator=ACCEL[acc], count=count, seq_len=s, global_batch_seqs=B,
               precision=prec, tp=tp, pp=pp, cp=cp, ep=ep, dp=dp, microbatch=mb, interleave=vp,
               schedule="interleaved" if vp > 1 else "1f1b", recompute=d["recompute"], zero=d["zero"],
               nvlink_gb_s=NET.get(ds, {}).get("nvlink_gb_s", ""), network_gb_s=NET.get(ds, {}).get("network_gb_s", ""),
               measured_tokens_per_gpu_s=round(tps, 2), split="holdout" if ds in HOLDOUT else "calibration",
               notes=clean(notes))
    return row


LLAMA405 = dict(layers=126, hidden=16384, ffn_hidden=53248, ffn_kind="swiglu", heads=128, kv_heads=8, head_dim=128,
                vocab=128256)


def extra_rows():
    """Published production runs from the primary papers (split published: layout in part assumed)."""
    rows = []
    z = {k: 0 for k in ["experts", "top_k", "shared_experts", "expert_ffn_hidden", "dense_layers", "q_lora_rank",
                        "kv_lora_rank", "rope_head_dim", "nope_head_dim", "v_head_dim"]}
    # Llama 3 paper (arXiv:2407.21783) Sec.3.3.2 Table 4: TFLOP/s per GPU in the PaLM convention
    # (6 N + 12 L s a hd); N here = active matmul parameters (LM head in, embedding out).
    a = dict(LLAMA405, **z)
    n_mm = 126 * (2 * 16384 * 128 * 128 + 2 * 16384 * 8 * 128 + 3 * 16384 * 53248) + 128256 * 16384
    # (The table's third row, 16,384 GPUs at TP8 CP16 PP16 DP4, multiplies to 8,192: left out.)
    for i, (gpus, cp, s, dp, tf) in enumerate([(8192, 1, 8192, 64, 430), (16384, 1, 8192, 128, 400)]):
        fpt = 6.0 * n_mm + 12.0 * 126 * s * 128 * 128
        B = 16 * 1024 * 1024 // s
        row = dict(a, id="llama3-405b-table4-%d" % i, dataset="llama3_table4",
                   source="Llama 3 Herd of Models arXiv:2407.21783 Sec.3.3.2 Table 4", arch_source="same paper Table 3",
                   accelerator="H100-SXM", count=gpus, seq_len=s, global_batch_seqs=B, precision="bf16", tp=8, pp=16,
                   cp=cp, ep=1, dp=dp, microbatch=1, interleave=1, schedule="1f1b", recompute="none", zero=1,
                   nvlink_gb_s="", network_gb_s="", measured_tokens_per_gpu_s=round(tf * 1e12 / fpt, 2),
                   split="published",
                   notes=clean("tokens/s/GPU = TFLOP/s / (6 N + 12 L s a hd); microbatch 1 and no interleave "
                               "assumed (not in the table; the paper's interleaved schedule is tuned); FSDP without "
                               "reshard = zero-1 traffic"))
        rows.append(row)
    # DeepSeek-V3 Technical Report arXiv:2412.19437: 180K H800 GPU-hours per trillion tokens on
    # 2048 H800; TP1 PP16 (DualPipe) EP64 ZeRO-1 FP8; batch 15360 x 4096. Production average.
    row = dict(DSV3, id="deepseek-v3-h800-2048", dataset="deepseek_v3_report",
               source="DeepSeek-V3 Technical Report arXiv:2412.19437 Sec.1 and Sec.3.2 (180K GPU-hours per 1T tokens)",
               arch_source="deepseek-ai/DeepSeek-V3 config.json (HF)", accelerator="H800-SXM", count=2048,
               seq_len=4096, global_batch_seqs=15360, precision="fp8", tp=1, pp=16, cp=1, ep=64, dp=128,
               microbatch=1, interleave=1, schedule="dualpipe", recompute="selective", zero=1, nvlink_gb_s="",
               network_gb_s="", measured_tokens_per_gpu_s=round(1e12 / (180e3 * 3600), 2), split="published",
               notes=clean("production average incl. downtime (lower than step throughput); microbatch 1 assumed"))
    rows.append(row)
    return rows


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: throughput_convert.py INPUT.yaml > throughput-measured.csv")
    with open(sys.argv[1]) as f:
        data = yaml.safe_load(f)
    skipped = Counter()
    rows = [x for x in (convert(r, skipped) for r in data["runs"]) if x] + extra_rows()
    w = csv.DictWriter(sys.stdout, fieldnames=COLUMNS, lineterminator="\n")
    w.writeheader()
    for row in rows:
        w.writerow({k: row.get(k, "") for k in COLUMNS})
    for k, n in sorted(skipped.items()):
        print("skipped %4d  %s" % (n, k), file=sys.stderr)
    print("kept %d rows (%d holdout)" % (len(rows), sum(r["split"] == "holdout" for r in rows)), file=sys.stderr)


if __name__ == "__main__":
    main()
