#!/usr/bin/env bash
# One command for a machine with an NVIDIA GPU: checks actbench's GPU backends against the CPU and
# times them, and writes one JSON file.
#
#   scripts/gpu-check.sh [--out gpu-check.json] [--actbench PATH]
#   scripts/gpu-check.sh --dry-run [--out FILE] [--actbench PATH]
#
# What it records (each step under its own key, with the command that made it):
#   device        the GPU's name (nvidia-smi), or "dry run" and the Vulkan driver in use
#   curves        every activation's f(x) and f'(x) on wgpu (and cuda, when compiled) against flex:
#                 the largest absolute difference of each
#   quick_run     the quick config trained on the GPU backend against the same cells on flex: the
#                 largest difference of any cell's final test metric
#   activations   `actbench bench activations` at 2^24 elements on each GPU backend
#   train         `actbench bench train` step times of configs/speed.toml (MLP, CNN, LSTM, GRU and
#                 transformer cells) on each GPU backend, with burn's fusion on and off, and the
#                 kernels each step launches
#   fusion        per cell: launches per step with fusion on and off, and their ratio
#   pytorch       PyTorch CUDA's activation timing at the same size (scripts/bench_pytorch.py
#                 --device cuda) and its training steps on the same cells
#                 (scripts/bench_train_pytorch.py --device cuda), when PyTorch with CUDA is
#                 installed, each timed in the same run as ours; the ratios beside ours
# A real run takes a few minutes (each step has a time limit, and all of them 8 minutes). Without an NVIDIA
# GPU it stops with exit code 2 and says so. `--dry-run` runs every step at toy sizes on the
# Vulkan driver the machine has (Mesa's CPU driver in CI), to check the script and the JSON; its
# numbers mean nothing about a GPU. Needs python3 (standard library only) and a release build of
# actbench (`cargo build --release`; or name the binary with --actbench).
set -euo pipefail
cd "$(dirname "$0")/.."

out="gpu-check.json"
dry_run=0
actbench="${CARGO_TARGET_DIR:-target}/release/actbench"
while [ $# -gt 0 ]; do
  case "$1" in
    --dry-run) dry_run=1 ;;
    --out) out="${2:?--out needs a file}"; shift ;;
    --actbench) actbench="${2:?--actbench needs a path}"; shift ;;
    -h|--help) sed -n '2,22p' "$0"; exit 0 ;;
    *) echo "gpu-check: unknown argument '$1' (allowed: --dry-run, --out FILE, --actbench PATH)" >&2; exit 2 ;;
  esac
  shift
done

if [ ! -x "$actbench" ]; then
  echo "gpu-check: no actbench binary at $actbench: run 'cargo build --release' first, or pass --actbench PATH" >&2
  exit 2
fi

if [ "$dry_run" = 0 ]; then
  if ! command -v nvidia-smi >/dev/null 2>&1 || ! device=$(nvidia-smi --query-gpu=name --format=csv,noheader 2>/dev/null | head -n 1) || [ -z "$device" ]; then
    echo "gpu-check: no NVIDIA GPU here (nvidia-smi finds none): run it on a GPU machine, or pass --dry-run to check the script on this machine's Vulkan driver" >&2
    exit 2
  fi
  elements=$((1 << 24)); repeats=10; steps=20; warmup=3
  run_config=configs/quick.toml; train_config=configs/speed.toml
else
  device="dry run: wgpu on this machine's Vulkan driver (numbers say nothing about a GPU)"
  elements=4096; repeats=2; steps=2; warmup=1
  work_config=$(mktemp --suffix=.toml)
  cat > "$work_config" <<'TOML'
name = "gpu-check-dry-run"
seeds = [1]
[train]
epochs = 1
batch_size = 16
[[experiment]]
name = "circles"
activations = ["relu", "mish"]
dataset = { kind = "two-circles", n = 64 }
model = { kind = "mlp", depth = 2, width = 8 }
TOML
  run_config="$work_config"; train_config="$work_config"
fi

work=$(mktemp -d)
trap 'rm -rf "$work" ${work_config:+"$work_config"}' EXIT
gpu_backends=(wgpu)
if "$actbench" list backends --format json 2>/dev/null | python3 -c 'import json,sys; sys.exit(0 if any(b.get("backend")=="cuda" and b.get("compiled") for b in json.load(sys.stdin)) else 1)'; then
  gpu_backends+=(cuda)
fi
started=$(date +%s)
budget=470  # seconds for every step together, so that the whole check stays under 8 minutes
# `limit SECONDS COMMAND...`: the step's own limit, or what is left of the budget if less.
limit() {
  local left=$(( budget - ($(date +%s) - started) ))
  if [ "$left" -le 0 ]; then echo "gpu-check: out of time (${budget} s) before: ${*:2}" >&2; exit 1; fi
  timeout "$(( $1 < left ? $1 : left ))" "${@:2}"
}

# 1. Curves on each GPU backend against flex.
limit 120 "$actbench" curves --activation all --backend flex --format json > "$work/curves-flex.json"
for b in "${gpu_backends[@]}"; do
  limit 120 "$actbench" curves --activation all --backend "$b" --format json > "$work/curves-$b.json"
done

# 2. The quick config on each GPU backend and on flex, the same cells.
limit 240 "$actbench" run "$run_config" --backend flex --out "$work/run-flex" --no-plots --jobs 1 > /dev/null
for b in "${gpu_backends[@]}"; do
  limit 240 "$actbench" run "$run_config" --backend "$b" --out "$work/run-$b" --no-plots --jobs 1 > /dev/null
done

# 3. Activation timing and 4. training step times on each GPU backend.
for b in "${gpu_backends[@]}"; do
  limit 120 "$actbench" bench activations --activation all --backend "$b" --elements "$elements" --repeats "$repeats" --format json > "$work/activations-$b.json"
  limit 240 "$actbench" bench train --config "$train_config" --backend "$b" --steps "$steps" --warmup "$warmup" --format json > "$work/train-$b.json"
done

# 5. PyTorch CUDA beside ours, when it is there: activations, and training steps timed in the
# same run as ours on each GPU backend.
pytorch_note="not run: PyTorch with CUDA is not installed here"
if [ "$dry_run" = 0 ] && python3 -c 'import torch, sys; sys.exit(0 if torch.cuda.is_available() else 1)' 2>/dev/null; then
  limit 120 python3 scripts/bench_pytorch.py --device cuda --elements "$elements" --repeats "$repeats" > "$work/pytorch.json"
  for b in "${gpu_backends[@]}"; do
    limit 180 python3 scripts/bench_train_pytorch.py "$train_config" --device cuda --backend "$b" --actbench "$actbench" --steps "$steps" --warmup "$warmup" --format json > "$work/pytorch-train-$b.json"
  done
  pytorch_note=""
fi

python3 - "$work" "$out" "$device" "$dry_run" "$elements" "$(( $(date +%s) - started ))" "$pytorch_note" "${gpu_backends[@]}" <<'PY'
import glob, gzip, json, os, sys

work, out, device, dry_run, elements, seconds, pytorch_note, *backends = sys.argv[1:]

def load(name):
    with open(os.path.join(work, name)) as f:
        return json.load(f)

def curves_by_name(data):
    return {c["activation"]: c for c in data}

def max_diff(a, b, key):
    return max((abs(x - y) for x, y in zip(a[key], b[key])), default=0.0)

def finals(directory):
    metrics = {}
    for path in glob.glob(os.path.join(directory, "*.json*")):
        name = os.path.basename(path)
        if name in ("run.json", "bench-activations.json") or name.startswith("."):
            continue
        opener = gzip.open if name.endswith(".gz") else open
        with opener(path, "rt") as f:
            record = json.load(f)
        cell = record["cell"]["id"].rsplit("/", 1)[0]
        metrics[cell] = record["epochs"][-1]["test_metric"]
    return metrics

flex_curves = curves_by_name(load("curves-flex.json"))
flex_finals = finals(os.path.join(work, "run-flex"))
report = {
    "device": device,
    "dry_run": dry_run == "1",
    "seconds": int(seconds),
    "backends": backends,
    "curves": {},
    "quick_run": {},
    "activations": {},
    "train": {},
    "pytorch": None,
    "fusion": {},
}
for b in backends:
    gpu = curves_by_name(load(f"curves-{b}.json"))
    report["curves"][b] = {
        name: {"max_abs_diff_y": max_diff(gpu[name], c, "y"), "max_abs_diff_dy": max_diff(gpu[name], c, "dy")}
        for name, c in flex_curves.items() if name in gpu
    }
    gpu_finals = finals(os.path.join(work, f"run-{b}"))
    shared = sorted(set(gpu_finals) & set(flex_finals))
    report["quick_run"][b] = {
        "cells": len(shared),
        "max_abs_diff_final_test_metric": max((abs(gpu_finals[c] - flex_finals[c]) for c in shared), default=None),
    }
    report["activations"][b] = load(f"activations-{b}.json")
    report["train"][b] = load(f"train-{b}.json")
    cells = {}
    for r in report["train"][b]:
        if r.get("fusion") is not None:
            cells.setdefault((r["experiment"], r["activation"]), {})["on" if r["fusion"] else "off"] = r
    report["fusion"][b] = [
        {
            "experiment": experiment,
            "activation": activation,
            "launches_per_step_on": pair["on"]["launches_per_step"],
            "launches_per_step_off": pair["off"]["launches_per_step"],
            "launches_on_over_off": pair["on"]["launches_per_step"] / pair["off"]["launches_per_step"],
            "median_step_s_on": pair["on"]["median_step_s"],
            "median_step_s_off": pair["off"]["median_step_s"],
        }
        for (experiment, activation), pair in cells.items() if "on" in pair and "off" in pair
    ]
if pytorch_note:
    report["pytorch"] = {"note": pytorch_note}
else:
    torch_records = load("pytorch.json")
    ours = {(r["activation"], r["mode"]): r["median_s"] for r in report["activations"].get("wgpu", [])}
    report["pytorch"] = {
        "records": torch_records,
        "wgpu_speed_vs_pytorch": {
            f'{r["activation"]} {r["mode"]}': r["median_s"] / ours[(r["activation"], r["mode"])]
            for r in torch_records if (r["activation"], r["mode"]) in ours
        },
        # Per backend: each training cell's samples/s over PyTorch CUDA's, timed in one run.
        "train": {b: load(f"pytorch-train-{b}.json") for b in backends},
    }
with open(out, "w") as f:
    json.dump(report, f, indent=2)
    f.write("\n")
print(f"gpu-check: {device}; {len(backends)} GPU backend(s); {seconds} s; written to {out}", file=sys.stderr)
PY
