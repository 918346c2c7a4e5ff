#!/usr/bin/env python3
"""PyTorch CPU eager next to `actbench bench activations`: same method, same JSON records.

Usage:
    python3 scripts/bench_pytorch.py [--elements N] [--repeats R] [--device cpu|cuda] > pytorch.json

Method, as in crates/runner/src/activation_bench.rs: one float32 tensor drawn uniform in [-5, 5];
two untimed warm-up repeats; every repeat is timed whole (forward, or forward and backward from
dL/dy = 1), reading the result's first element inside the timer; all repeats kept; the median is
the estimate. `copy` is x * 1, the memory-bandwidth reference. PyTorch uses its default thread
count (the number of cores). `--device cuda` times on the GPU (reading the first element waits
for the device, as actbench's `Device::sync` does). Gated activations (`--activation swiglu,geglu`)
take a second tensor b drawn the same way and are timed as `F.silu(a) * b` etc., both inputs
requiring gradients. Needs `pip install torch`.
"""

import argparse
import json
import statistics
import sys
import time

import torch
import torch.nn.functional as F

ACTIVATIONS = {
    "copy": lambda x: x * 1.0,
    "relu": F.relu,
    "leaky-relu": lambda x: F.leaky_relu(x, 0.01),
    "sigmoid": torch.sigmoid,
    "tanh": torch.tanh,
    "elu": F.elu,
    "selu": F.selu,
    "gelu": F.gelu,
    "swish": F.silu,
    "mish": F.mish,
}
# Gated activations f(a) * b, as a PyTorch user writes them (actbench's labels).
GATED = {
    "glu": lambda a, b: torch.sigmoid(a) * b,
    "bilinear": lambda a, b: a * b,
    "reglu": lambda a, b: F.relu(a) * b,
    "geglu": lambda a, b: F.gelu(a) * b,
    "geglu-tanh": lambda a, b: F.gelu(a, approximate="tanh") * b,
    "swiglu": lambda a, b: F.silu(a) * b,
}
BYTES_PER_ELEMENT = {"forward": 8.0, "forward+backward": 20.0}
# A gated activation reads a and b and writes y; backward reads a, b, dL/dy, writes two gradients.
GATED_BYTES_PER_ELEMENT = {"forward": 12.0, "forward+backward": 32.0}


def timed(op, repeats):
    def once():
        start = time.perf_counter()
        result = op()
        float(result.reshape(-1)[0])
        return time.perf_counter() - start

    for _ in range(2):
        once()
    return [once() for _ in range(repeats)]


def record(name, mode, elements, times, device):
    median = statistics.median(times)
    bytes_per_element = (GATED_BYTES_PER_ELEMENT if name in GATED else BYTES_PER_ELEMENT)[mode]
    return {
        "activation": name,
        "mode": mode,
        "elements": elements,
        "median_s": median,
        "min_s": min(times),
        "max_s": max(times),
        "elements_per_s": elements / median,
        "gb_per_s": elements * bytes_per_element / median / 1e9,
        "backend": f"pytorch-{torch.__version__.split('+')[0]}-{device}",
        "times_s": times,
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--elements", type=int, default=1 << 24)
    parser.add_argument("--repeats", type=int, default=10)
    known = list(ACTIVATIONS) + list(GATED)
    parser.add_argument("--activation", default=",".join(ACTIVATIONS), help="comma-separated: " + ", ".join(known))
    parser.add_argument("--device", choices=["cpu", "cuda"], default="cpu")
    args = parser.parse_args()
    if args.device == "cuda" and not torch.cuda.is_available():
        sys.exit("--device cuda: this PyTorch sees no CUDA device (torch.cuda.is_available() is False)")
    names = [n for n in args.activation.split(",") if n]
    unknown = [n for n in names if n not in known]
    if unknown:
        sys.exit(f"--activation: unknown {', '.join(unknown)}; known: {', '.join(known)}")
    if "copy" not in names:
        names.insert(0, "copy")
    torch.manual_seed(77)
    x = torch.empty(args.elements, dtype=torch.float32).uniform_(-5.0, 5.0).to(args.device)
    other = torch.empty(args.elements, dtype=torch.float32).uniform_(-5.0, 5.0).to(args.device)
    print(f"timing {len(names)} operations on PyTorch {torch.__version__} {args.device}, {torch.get_num_threads()} CPU threads", file=sys.stderr)
    records = []
    for name in names:
        if name in GATED:
            records.extend(gated_records(name, x, other, args))
            continue
        f = ACTIVATIONS[name]
        with torch.no_grad():
            records.append(record(name, "forward", args.elements, timed(lambda: f(x), args.repeats), args.device))

        def forward_backward():
            leaf = x.detach().requires_grad_()
            f(leaf).backward(torch.ones_like(leaf))
            return leaf.grad

        records.append(record(name, "forward+backward", args.elements, timed(forward_backward, args.repeats), args.device))
    json.dump(records, sys.stdout, indent=2)
    print()


def gated_records(name, a, b, args):
    """Forward, and forward+backward with both inputs requiring gradients."""
    f = GATED[name]
    with torch.no_grad():
        forward = record(name, "forward", args.elements, timed(lambda: f(a, b), args.repeats), args.device)

    def forward_backward():
        leaf_a, leaf_b = a.detach().requires_grad_(), b.detach().requires_grad_()
        f(leaf_a, leaf_b).backward(torch.ones_like(leaf_a))
        return leaf_a.grad

    timed_fb = timed(forward_backward, args.repeats)
    return [forward, record(name, "forward+backward", args.elements, timed_fb, args.device)]


if __name__ == "__main__":
    main()
