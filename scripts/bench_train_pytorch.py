#!/usr/bin/env python3
"""Training steps of actbench and of PyTorch eager, side by side in one run.

Usage:
    python3 scripts/bench_train_pytorch.py configs/speed.toml [--steps 20] [--warmup 3]
        [--rounds 1] [--actbench target/release/actbench] [--format table|markdown|json]
        [--only EXPERIMENT] [--vocab N] [--backend flex|ndarray|wgpu|cuda] [--device cpu|cuda]

It runs `actbench bench train --config CONFIG` (one cell per experiment and activation, the
first seed, on `--backend`, flex by default; on a GPU backend with fusion on and off, one row
each), then builds the same models in PyTorch from the config's planned cells
(`actbench run CONFIG --dry-run --format json`): the same layer sizes, activation, output layer
and loss, batch size and Adam (eps 1e-8) at the cell's learning rate. Both sides time `warmup`
untimed and `steps` timed training steps (forward, loss, backward, optimizer step) on one batch
shape and report the median; PyTorch uses its default thread count (the number of cores), as
flex does. PyTorch's batches are random tensors of the cell's input shape (step time does not
depend on the values); LSTM and GRU cells with the standard activations use torch.nn.LSTM /
torch.nn.GRU, as a PyTorch user would.

Transformer cells (`corpus` and `text` datasets) are built as actbench's decoder-only
transformer: token embedding [vocab, d_model] plus learned positions [context, d_model];
`layers` pre-norm blocks `h = x + Attn(Norm(x))`, `y = h + FFN(Norm(h))`; a final norm and an
untied output Linear d_model -> vocab; nn.LayerNorm (or nn.RMSNorm for `norm = "rms-norm"`),
eps 1e-5; dropout after attention and after the feed-forward layer when the model sets one.
Attention is written out as actbench computes it, op for op, rather than with
F.scaled_dot_product_attention: separate q, k, v and out nn.Linear layers (with biases), scores
q k^T / sqrt(head_dim) plus an additive causal mask (-1e30 above the diagonal), F.softmax, then
the weighted values. The feed-forward layer is `W2 f(x W1)` with d_ff hidden units for an
element-wise activation, and `W2 (f(x W) * (x V))` with gated_width(d_ff) = 2 d_ff / 3 rounded
to a multiple of 8 hidden units for a gated one (glu = sigmoid gate, bilinear = identity,
reglu = relu, geglu = gelu, geglu-tanh = gelu-tanh, swiglu = swish, or `glu:GATE`; a planned
cell spells it `{"glu": GATE}`). The loss is the mean cross-entropy over every position (logits
[batch * context, vocab]); inputs and targets are random token ids. The script checks that the
PyTorch model has exactly actbench's parameter count (ModelConfig::transformer_parameters,
activation parameters left out) and prints it. The dry run does not say the vocabulary size, so
it is taken as 62 for `text` (actbench's generated text: its records say "vocabulary 62") and
114 for `corpus` (Debian's fortunes); `--vocab N` overrides it (the step time barely depends on
it). The context is the dataset's `steps` (default 64).

`--rounds N` times every cell N times on each side, in rounds: a round runs actbench's cells,
then PyTorch's, and the next round the other way round, so a slow spell of a shared machine
lands on both sides alike. Samples/s are then the medians over the rounds, the ratio the median
of the rounds' ratios, beside their range and a distribution-free interval for the median (the
order statistics whose coverage is at least 95%, else the whole range with the coverage it has:
93.75% for five rounds). One round (the default) prints the ratio alone.

`--only EXPERIMENT` times that experiment alone: actbench then runs on a copy of the config that
keeps only that `[[experiment]]` (the config's experiments must come after its other tables).

`--device cuda` runs PyTorch's side on the first CUDA GPU (models, batches and optimizer state
on the device; each step ends with torch.cuda.synchronize(), as actbench's ends with a device
sync): with `--backend wgpu` or `--backend cuda`, the GPU counterpart of the CPU comparison.

Needs `pip install torch`.
"""

import argparse
import json
import math
import os
import statistics
import subprocess
import sys
import tempfile
import time
import tomllib

import torch
import torch.nn as nn
import torch.nn.functional as F

ACTIVATIONS = {
    "identity": lambda: nn.Identity(),
    "relu": lambda: nn.ReLU(),
    "leaky-relu": lambda: nn.LeakyReLU(0.01),
    "prelu": lambda: nn.PReLU(init=0.25),
    "sigmoid": lambda: nn.Sigmoid(),
    "tanh": lambda: nn.Tanh(),
    "elu": lambda: nn.ELU(),
    "celu": lambda: nn.CELU(),
    "selu": lambda: nn.SELU(),
    "gelu": lambda: nn.GELU(),
    "gelu-tanh": lambda: nn.GELU(approximate="tanh"),
    "swish": lambda: nn.SiLU(),
    "mish": lambda: nn.Mish(),
    "softplus": lambda: nn.Softplus(),
    "softsign": lambda: nn.Softsign(),
    "log-sigmoid": lambda: nn.LogSigmoid(),
    "relu6": lambda: nn.ReLU6(),
    "hard-sigmoid": lambda: nn.Hardsigmoid(),
    "hard-swish": lambda: nn.Hardswish(),
}

# Input shape (channels, height, width) or (steps, features) or (features,) or (context,), and
# outputs, of each dataset kind the script knows.
IMAGE = (1, 28, 28)

# Vocabulary of the text datasets (the dry run does not say it): actbench's generated text, and
# Debian's fortunes (the `corpus` default).
VOCAB = {"text": 62, "corpus": 114}

# Gate of each published gated activation (crates/activations/src/config/gated.rs).
GATED = {"glu": "sigmoid", "bilinear": "identity", "reglu": "relu", "geglu": "gelu",
         "geglu-tanh": "gelu-tanh", "swiglu": "swish"}


def input_shape(dataset):
    kind = dataset["kind"]
    if kind in ("images", "idx"):
        return IMAGE
    if kind == "adding":
        return (dataset.get("steps", 20), 2)
    if kind in ("two-circles", "xor", "spirals"):
        return (2,)
    if kind == "regression":
        return (dataset.get("features", 8),)
    if kind in ("corpus", "text"):
        return (dataset.get("steps", 64),)
    sys.exit(f"bench_train_pytorch.py: dataset kind `{kind}` is not supported here")


def outputs(dataset, output, vocab=None):
    kind = dataset["kind"]
    if kind in ("images", "idx"):
        return 10
    if kind in ("corpus", "text"):
        return vocab or VOCAB[kind]
    if kind in ("adding", "regression"):
        return 1
    return 1 if output == "sigmoid" else 2


# Parameters at the values PyTorch's modules use (anything else has no twin here).
DEFAULTS = {"alpha": [1.0, 1.6732632423543772], "beta": [1.0], "learnable": [False],
            "slope": [0.01], "init": [0.25], "lambda": [1.0507009873554805]}


def activation(config):
    if "glu" in config:
        sys.exit(f"bench_train_pytorch.py: gated activation {config} only in transformers here")
    name = config["name"]
    params = {k: v for k, v in config.items() if k != "name"}
    if name not in ACTIVATIONS or any(v not in DEFAULTS.get(k, []) for k, v in params.items()):
        sys.exit(f"bench_train_pytorch.py: activation {config} has no PyTorch twin here")
    return ACTIVATIONS[name]()


def dense_stack(n, width, count, batch_norm, dropout, act):
    """`count` x (Linear, [BatchNorm1d], activation, [Dropout]) from `n` inputs, as actbench's
    MLP hidden layers and CNN dense layers; returns the layers and their output width."""
    layers = []
    for _ in range(count):
        layers.append(nn.Linear(n, width))
        if batch_norm:
            layers.append(nn.BatchNorm1d(width))
        layers.append(activation(act))
        if dropout:
            layers.append(nn.Dropout(dropout))
        n = width
    return layers, n


class Mlp(nn.Module):
    def __init__(self, m, features, outs, act):
        super().__init__()
        layers, n = dense_stack(features, m["width"], m["depth"], m.get("batch_norm"),
                                m.get("dropout"), act)
        self.hidden = nn.Sequential(*layers)
        self.output = nn.Linear(n, outs)

    def forward(self, x):
        return self.output(self.hidden(x.flatten(1)))


class Cnn(nn.Module):
    def __init__(self, m, shape, outs, act):
        super().__init__()
        layers, c = [], shape[0]
        k = m.get("kernel", 3)
        for channels in m["channels"]:
            for _ in range(m.get("blocks", 1)):
                layers.append(nn.Conv2d(c, channels, k, padding=k // 2))
                if m.get("batch_norm"):
                    layers.append(nn.BatchNorm2d(channels))
                layers.append(activation(act))
                c = channels
            layers.append(nn.MaxPool2d(2))
        if m.get("dropout"):
            layers.append(nn.Dropout(m["dropout"]))
        layers.append(nn.Flatten())
        shrink = 2 ** len(m["channels"])
        dense, n = dense_stack(c * (shape[1] // shrink) * (shape[2] // shrink), m["dense"],
                               m.get("dense_layers", 1), m.get("dense_batch_norm"),
                               m.get("dropout"), act)
        layers += dense
        layers.append(nn.Linear(n, outs))
        self.net = nn.Sequential(*layers)

    def forward(self, x):
        return self.net(x)


class BasicBlock(nn.Module):
    """actbench's ResNet block: f(skip(x) + BN(conv(f(BN(conv(x)))))), a 1x1 convolution on the
    skip where the channels change; convolutions with bias."""

    def __init__(self, c_in, c_out, act):
        super().__init__()
        self.conv1, self.norm1 = nn.Conv2d(c_in, c_out, 3, padding=1), nn.BatchNorm2d(c_out)
        self.conv2, self.norm2 = nn.Conv2d(c_out, c_out, 3, padding=1), nn.BatchNorm2d(c_out)
        self.skip = nn.Conv2d(c_in, c_out, 1) if c_in != c_out else nn.Identity()
        self.act1, self.act2 = activation(act), activation(act)

    def forward(self, x):
        branch = self.norm2(self.conv2(self.act1(self.norm1(self.conv1(x)))))
        return self.act2(self.skip(x) + branch)


class Resnet(nn.Module):
    """actbench's ResNet: stem conv + BN + f, stages of basic blocks with 2x2 max-pooling before
    every stage after the first, global average pooling, Linear."""

    def __init__(self, m, shape, outs, act):
        super().__init__()
        channels, blocks = m.get("channels", [16, 32, 64]), m.get("blocks", 1)
        layers = [nn.Conv2d(shape[0], channels[0], 3, padding=1), nn.BatchNorm2d(channels[0]),
                  activation(act)]
        c = channels[0]
        for stage, width in enumerate(channels):
            if stage > 0:
                layers.append(nn.MaxPool2d(2))
            for _ in range(blocks):
                layers.append(BasicBlock(c, width, act))
                c = width
        layers += [nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(c, outs)]
        self.net = nn.Sequential(*layers)

    def forward(self, x):
        return self.net(x)


class Rnn(nn.Module):
    def __init__(self, m, shape, outs, act):
        super().__init__()
        steps, features = (shape[1], shape[0] * shape[2]) if len(shape) == 3 else shape
        self.steps, self.features = steps, features
        standard = act["name"] == "tanh" and m.get("gate_activation", "sigmoid") in (
            "sigmoid",
            {"name": "sigmoid"},
        )
        cell = m.get("cell", "lstm")
        kind = {"lstm": nn.LSTM, "gru": nn.GRU}.get(cell)
        if kind is None or not standard:
            sys.exit(f"bench_train_pytorch.py: only standard LSTM and GRU cells here, not {m}")
        self.rnn = kind(features, m["hidden"], num_layers=m.get("layers", 1), batch_first=True)
        self.output = nn.Linear(m["hidden"], outs)

    def forward(self, x):
        out, _ = self.rnn(x.reshape(x.shape[0], self.steps, self.features))
        return self.output(out[:, -1])


def gated_width(d_ff):
    """Hidden units of a gated feed-forward layer standing in for a plain one of `d_ff`."""
    return max(1, round(2 * d_ff / 3 / 8)) * 8


def transformer_parameters(m, context, vocab, gated):
    """actbench's ModelConfig::transformer_parameters (crates/models/src/config.rs)."""
    d, layers = m["d_model"], m["layers"]
    norm = 2 * d if m.get("norm", "layer-norm") == "layer-norm" else d
    if gated:
        w = gated_width(m["d_ff"])
        ffn = 2 * (d * w + w) + w * d + d
    else:
        w = m["d_ff"]
        ffn = d * w + w + w * d + d
    block = 4 * (d * d + d) + ffn + 2 * norm
    return vocab * d + context * d + layers * block + norm + d * vocab + vocab


def norm_layer(m):
    d = m["d_model"]
    if m.get("norm", "layer-norm") == "rms-norm":
        return nn.RMSNorm(d, eps=1e-5)
    return nn.LayerNorm(d, eps=1e-5)


class Attention(nn.Module):
    """Causal multi-head self-attention, op for op as actbench's."""

    def __init__(self, d, heads):
        super().__init__()
        self.heads = heads
        self.query, self.key, self.value, self.out = (nn.Linear(d, d) for _ in range(4))

    def forward(self, x, mask):
        b, t, d = x.shape
        head = d // self.heads
        split = lambda z: z.view(b, t, self.heads, head).transpose(1, 2)
        q, k, v = split(self.query(x)), split(self.key(x)), split(self.value(x))
        scores = q @ k.transpose(2, 3) * (1.0 / math.sqrt(head)) + mask
        mixed = F.softmax(scores, dim=-1) @ v
        return self.out(mixed.transpose(1, 2).reshape(b, t, d))


class FeedForward(nn.Module):
    """`W2 f(x W1)`, or `W2 (f(x W) * (x V))` for a gated activation."""

    def __init__(self, d, d_ff, act):
        super().__init__()
        if "glu" in act:
            width = gated_width(d_ff)
            self.gate, self.value = nn.Linear(d, width), nn.Linear(d, width)
            self.activation = activation(act["glu"])
        else:
            width = d_ff
            self.gate, self.value = nn.Linear(d, width), None
            self.activation = activation(act)
        self.output = nn.Linear(width, d)

    def forward(self, x):
        a = self.activation(self.gate(x))
        return self.output(a if self.value is None else a * self.value(x))


class Block(nn.Module):
    def __init__(self, m, act):
        super().__init__()
        d = m["d_model"]
        self.attention_norm, self.ffn_norm = norm_layer(m), norm_layer(m)
        self.attention = Attention(d, m["heads"])
        self.ffn = FeedForward(d, m["d_ff"], act)
        self.dropout = nn.Dropout(m["dropout"]) if m.get("dropout") else nn.Identity()

    def forward(self, x, mask):
        h = x + self.dropout(self.attention(self.attention_norm(x), mask))
        return h + self.dropout(self.ffn(self.ffn_norm(h)))


class Transformer(nn.Module):
    def __init__(self, m, context, vocab, act):
        super().__init__()
        d = m["d_model"]
        self.tokens = nn.Embedding(vocab, d)
        self.positions = nn.Parameter(torch.randn(context, d) * 0.02)
        self.blocks = nn.ModuleList(Block(m, act) for _ in range(m["layers"]))
        self.final_norm = norm_layer(m)
        self.output = nn.Linear(d, vocab)
        # 0 where a position may look (itself and earlier), -1e30 at later positions.
        self.register_buffer("mask", torch.full((context, context), -1e30).triu(1))

    def forward(self, x):
        h = self.tokens(x) + self.positions
        for block in self.blocks:
            h = block(h, self.mask)
        logits = self.output(self.final_norm(h))
        return logits.reshape(-1, logits.shape[-1])


def build(cell, vocab=None):
    m, shape = cell["model"], input_shape(cell["dataset"])
    unsupported = [k for k in ("residual", "alpha_dropout") if m.get(k)]
    if unsupported:
        sys.exit(f"bench_train_pytorch.py: {', '.join(unsupported)} not built here ({cell['id']})")
    outs = outputs(cell["dataset"], cell["output"], vocab)
    if m["kind"] == "transformer":
        model = Transformer(m, shape[0], outs, cell["activation"])
        ours = transformer_parameters(m, shape[0], outs, "glu" in cell["activation"])
        theirs = sum(p.numel() for name, p in model.named_parameters()
                     if ".activation." not in name)
        if theirs != ours:
            sys.exit(f"bench_train_pytorch.py: {cell['id']}: PyTorch model has {theirs} "
                     f"parameters, actbench's {ours}")
        print(f"{cell['id']}: {theirs} parameters on both sides (context {shape[0]}, "
              f"vocabulary {outs})", file=sys.stderr)
        return model, shape, outs
    if m["kind"] == "mlp":
        return Mlp(m, shape[0] if len(shape) == 1 else torch.Size(shape).numel(), outs, cell["activation"]), shape, outs
    if m["kind"] == "cnn":
        return Cnn(m, shape, outs, cell["activation"]), shape, outs
    if m["kind"] == "resnet":
        return Resnet(m, shape, outs, cell["activation"]), shape, outs
    return Rnn(m, shape, outs, cell["activation"]), shape, outs


def loss_fn(output):
    if output == "softmax":
        return lambda logits, y: F.cross_entropy(logits, y)
    if output == "sigmoid":
        return lambda logits, y: F.binary_cross_entropy_with_logits(logits, y)
    return lambda logits, y: F.mse_loss(logits, y)


def time_cell(cell, steps, warmup, vocab=None, device="cpu"):
    torch.manual_seed(cell["seed"])
    model, shape, outs = build(cell, vocab)
    model = model.to(device)
    batch = cell["train"]["batch_size"]
    optimizer = torch.optim.Adam(model.parameters(), lr=cell["train"]["learning_rate"], eps=1e-8)
    x = torch.randn(batch, *shape)
    if cell["model"]["kind"] == "transformer":
        # Token ids; the targets are every position's next token, flat as the logits.
        x = torch.randint(0, outs, (batch, *shape))
        y = torch.randint(0, outs, (batch * shape[0],))
    elif cell["output"] == "softmax":
        y = torch.randint(0, outs, (batch,))
    else:
        y = torch.rand(batch, outs)
    x, y = x.to(device), y.to(device)
    loss = loss_fn(cell["output"])
    sync = torch.cuda.synchronize if device == "cuda" else (lambda: None)
    times = []
    for i in range(warmup + steps):
        sync()
        start = time.perf_counter()
        optimizer.zero_grad(set_to_none=True)
        value = loss(model(x), y)
        value.backward()
        optimizer.step()
        sync()
        elapsed = time.perf_counter() - start
        if i >= warmup:
            times.append(elapsed)
    median = statistics.median(times)
    return {"median_step_s": median, "samples_per_s": batch / median, "step_times_s": times}


def actbench_json(binary, args):
    out = subprocess.run([binary, *args], capture_output=True, text=True)
    if out.returncode != 0:
        sys.exit(f"{binary} {' '.join(args)}: {out.stderr.strip()}")
    return json.loads(out.stdout)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("config")
    parser.add_argument("--steps", type=int, default=20)
    parser.add_argument("--warmup", type=int, default=3)
    parser.add_argument("--rounds", type=positive, default=1,
                        help="rounds, each side timing every cell once, the side going first "
                             "alternating (default 1)")
    parser.add_argument("--actbench", default="target/release/actbench")
    parser.add_argument("--format", choices=["table", "markdown", "json"], default="table")
    parser.add_argument("--only", metavar="EXPERIMENT", help="time only this experiment")
    parser.add_argument("--vocab", type=int, help="vocabulary of text datasets (default: "
                        + ", ".join(f"{k} {v}" for k, v in VOCAB.items()) + ")")
    parser.add_argument("--backend", default="flex", choices=["flex", "ndarray", "wgpu", "cuda"],
                        help="actbench's backend (default flex)")
    parser.add_argument("--device", default="cpu", choices=["cpu", "cuda"],
                        help="PyTorch's device (default cpu)")
    args = parser.parse_args()
    if args.device == "cuda" and not torch.cuda.is_available():
        sys.exit("bench_train_pytorch.py: --device cuda, but PyTorch finds no CUDA GPU here")

    config = args.config
    if args.only:
        config = only_experiment(args.config, args.only)
    try:
        cells = actbench_json(args.actbench, ["run", config, "--dry-run", "--format", "json"])
        ours_args = ["bench", "train", "--config", config, "--backend", args.backend, "--steps",
                     str(args.steps), "--warmup", str(args.warmup), "--format", "json"]
        rounds = []
        for r in range(args.rounds):
            # The second, fourth, ... rounds time PyTorch first: a drift in the machine's speed
            # then favours neither side.
            if r % 2 == 0:
                ours = actbench_json(args.actbench, ours_args)
                theirs = time_torch(ours, cells, args)
            else:
                theirs = time_torch(rounds[0][0], cells, args)
                ours = actbench_json(args.actbench, ours_args)
            rounds.append((ours, theirs))
    finally:
        if config != args.config:
            os.unlink(config)
    rows = [summarise(i, rounds) for i in range(len(rounds[0][0]))]
    if args.format == "json":
        json.dump(
            {"torch_version": torch.__version__, "torch_threads": torch.get_num_threads(),
             "torch_device": torch_device_name(args.device), "backend": args.backend,
             "steps": args.steps, "warmup": args.warmup, "rounds": args.rounds, "cells": rows},
            sys.stdout, indent=2)
        print()
        return
    header = ["experiment", "model", "activation", "batch", "actbench samples/s",
              "PyTorch samples/s", "actbench / PyTorch"]
    lines = [[r["experiment"], r["model"], r["activation"], str(r["batch_size"]),
              f"{r['actbench_samples_per_s']:.0f}", f"{r['pytorch_samples_per_s']:.0f}",
              f"{r['ratio']:.2f}x"] for r in rows]
    if args.rounds > 1:
        header += ["per round", "interval of the median"]
        for line, r in zip(lines, rows):
            lo, hi = r["ratio_interval"]
            line += [f"{min(r['round_ratios']):.2f}x-{max(r['round_ratios']):.2f}x",
                     f"{lo:.2f}x-{hi:.2f}x ({100 * r['ratio_interval_coverage']:.0f}%)"]
    if any(r["fusion"] is not None for r in rows):
        header[3:3] = ["fusion", "launches/step"]
        for line, r in zip(lines, rows):
            line[3:3] = [{True: "on", False: "off", None: "-"}[r["fusion"]],
                         "-" if r["launches_per_step"] is None else f"{r['launches_per_step']:.0f}"]
    each = "each side" if args.rounds == 1 else (
        f"each side, {args.rounds} rounds; samples/s and the ratio are the medians of the rounds'")
    print(f"actbench on {args.backend}; PyTorch {torch.__version__} on {torch_device_name(args.device)}, "
          f"{torch.get_num_threads()} threads; median of {args.steps} steps after {args.warmup} "
          f"warm-up, {each}")
    if args.format == "markdown":
        print("| " + " | ".join(header) + " |")
        print("|" + "---|" * len(header))
        for line in lines:
            print("| " + " | ".join(line) + " |")
    else:
        widths = [max(len(h), *(len(l[i]) for l in lines)) for i, h in enumerate(header)]
        for line in [header, *lines]:
            print("  ".join(c.ljust(w) for c, w in zip(line, widths)))


def positive(text):
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"{text} is not a positive count")
    return value


def time_torch(ours, cells, args):
    """PyTorch's timing of each cell that actbench's records `ours` name, keyed by (experiment,
    activation): one per cell, beside both fusion settings of a GPU backend."""
    times = {}
    for record in ours:
        key = cell_key(record)
        cell = next((c for c in cells
                     if (c["experiment"], activation_label(c["activation"])) == key), None)
        if cell is None:
            sys.exit(f"bench_train_pytorch.py: no planned cell for {key[0]} {key[1]}")
        if key not in times:
            times[key] = time_cell(cell, args.steps, args.warmup, args.vocab, args.device)
    return times


def cell_key(record):
    """The cell an actbench record times, as PyTorch's timings are keyed."""
    return (record["experiment"], record["activation"])


def summarise(i, rounds):
    """Record `i` of every round, both sides: samples/s are the medians over the rounds, the
    ratio the median of the rounds' ratios with a distribution-free interval."""
    ours = [round_ours[i] for round_ours, _ in rounds]
    timed = lambda r: (cell_key(r), r.get("fusion"))
    if any(timed(o) != timed(ours[0]) for o in ours):
        sys.exit("bench_train_pytorch.py: actbench timed other cells in another round")
    theirs = [times[cell_key(o)] for o, (_, times) in zip(ours, rounds)]
    ratios = [o["samples_per_s"] / t["samples_per_s"] for o, t in zip(ours, theirs)]
    lo, hi, coverage = median_interval(ratios)
    first = ours[0]
    return {
        "experiment": first["experiment"],
        "model": first["model"],
        "activation": first["activation"],
        "backend": first["backend"],
        "fusion": first.get("fusion"),
        "launches_per_step": first.get("launches_per_step"),
        "batch_size": first["batch_size"],
        "actbench_samples_per_s": statistics.median(o["samples_per_s"] for o in ours),
        "pytorch_samples_per_s": statistics.median(t["samples_per_s"] for t in theirs),
        "ratio": statistics.median(ratios),
        "round_ratios": ratios,
        "ratio_interval": [lo, hi],
        "ratio_interval_coverage": coverage,
        "actbench_step_times_s": [t for o in ours for t in o["step_times_s"]],
        "pytorch_step_times_s": [x for t in theirs for x in t["step_times_s"]],
    }


def median_interval(values, level=0.95):
    """A distribution-free interval for the median of `values` from their order statistics:
    the k-th smallest to the k-th largest, with the largest k whose coverage (the chance that
    it holds the median of the distribution the values are independent draws from,
    `1 - 2 P(Binomial(n, 1/2) < k)`) is at least
    `level`, else k = 1 (all of them) with the lower coverage it has. Returns (low, high,
    coverage)."""
    xs, n = sorted(values), len(values)
    coverage = lambda k: 1 - 2 * sum(math.comb(n, j) for j in range(k)) / 2 ** n
    k = max((k for k in range(1, (n + 1) // 2 + 1) if coverage(k) >= level), default=1)
    return xs[k - 1], xs[n - k], coverage(k)


def torch_device_name(device):
    return torch.cuda.get_device_name(0) if device == "cuda" else "cpu"


def activation_label(config):
    # actbench labels an activation at its default parameters by its name, a gated one by its
    # published name (`swiglu`) or `glu:GATE`.
    if "glu" in config:
        gate = activation_label(config["glu"])
        return next((name for name, g in GATED.items() if g == gate), f"glu:{gate}")
    return config["name"]


def only_experiment(path, name):
    """A temporary copy of the config at `path` with only the `[[experiment]]` named `name`."""
    text = open(path).read()
    head, *blocks = text.split("\n[[experiment]]\n")
    kept = [b for b in blocks if tomllib.loads(b).get("name") == name]
    if not kept:
        sys.exit(f"bench_train_pytorch.py: no experiment `{name}` in {path}")
    out = tempfile.NamedTemporaryFile("w", suffix=".toml", delete=False)
    out.write(head + "\n[[experiment]]\n" + kept[0])
    out.close()
    return out.name


if __name__ == "__main__":
    main()
