#!/usr/bin/env python3
"""PyTorch eager peer of Graft's fine-tuning step: MiniLM (BERT, 6 layers, hidden 384, 12 heads)
with the weights Graft uses (safetensors written by StepBenchmark), mean pooling, Graft's default
head (384-256-2, ReLU, dropout 0.2), AdamW and gradient clipping at norm 1 -- batch 16, 128 tokens.
full trains everything; partial2 trains the top two layers and the head, the rest under no_grad.

Usage: torch_step.py WEIGHTS.safetensors [steps=12] [rounds=3]; last line: RESULT {json}
"""
import json
import math
import os
import struct
import sys
import time

import torch
from torch import nn

HIDDEN, LAYERS, HEADS, INTERMEDIATE, BATCH, LENGTH = 384, 6, 12, 1536, 16, 128


def read_safetensors(path):
    with open(path, "rb") as f:
        size = struct.unpack("<Q", f.read(8))[0]
        header = json.loads(f.read(size))
        data = f.read()
    out = {}
    for name, info in header.items():
        if name == "__metadata__":
            continue
        if info["dtype"] != "F32":
            raise SystemExit(f"{path}: tensor {name} is {info['dtype']}, expected F32")
        start, end = info["data_offsets"]
        out[name] = torch.frombuffer(bytearray(data[start:end]), dtype=torch.float32).reshape(info["shape"])
    return out


class Embeddings(nn.Module):
    def __init__(self):
        super().__init__()
        self.word_embeddings = nn.Embedding(30522, HIDDEN)
        self.position_embeddings = nn.Embedding(512, HIDDEN)
        self.token_type_embeddings = nn.Embedding(2, HIDDEN)
        self.LayerNorm = nn.LayerNorm(HIDDEN, eps=1e-12)

    def forward(self, ids):
        positions = torch.arange(ids.shape[1]).unsqueeze(0)
        x = self.word_embeddings(ids) + self.position_embeddings(positions) + self.token_type_embeddings(torch.zeros_like(ids))
        return self.LayerNorm(x)


class SelfAttention(nn.Module):
    def __init__(self):
        super().__init__()
        self.query, self.key, self.value = nn.Linear(HIDDEN, HIDDEN), nn.Linear(HIDDEN, HIDDEN), nn.Linear(HIDDEN, HIDDEN)


class AttentionOutput(nn.Module):
    def __init__(self):
        super().__init__()
        self.dense = nn.Linear(HIDDEN, HIDDEN)
        self.LayerNorm = nn.LayerNorm(HIDDEN, eps=1e-12)


class Attention(nn.Module):
    def __init__(self):
        super().__init__()
        self.self = SelfAttention()
        self.output = AttentionOutput()


class Dense(nn.Module):
    def __init__(self, n_in, n_out):
        super().__init__()
        self.dense = nn.Linear(n_in, n_out)


class Output(nn.Module):
    def __init__(self):
        super().__init__()
        self.dense = nn.Linear(INTERMEDIATE, HIDDEN)
        self.LayerNorm = nn.LayerNorm(HIDDEN, eps=1e-12)


class Layer(nn.Module):
    def __init__(self):
        super().__init__()
        self.attention = Attention()
        self.intermediate = Dense(HIDDEN, INTERMEDIATE)
        self.output = Output()

    def forward(self, x, bias):
        b, length, _ = x.shape
        s = self.attention.self

        def heads(t):
            return t.view(b, length, HEADS, HIDDEN // HEADS).transpose(1, 2)

        q, k, v = heads(s.query(x)), heads(s.key(x)), heads(s.value(x))
        scores = q @ k.transpose(-1, -2) / math.sqrt(HIDDEN // HEADS) + bias
        context = (scores.softmax(-1) @ v).transpose(1, 2).reshape(b, length, HIDDEN)
        x = self.attention.output.LayerNorm(x + self.attention.output.dense(context))
        h = nn.functional.gelu(self.intermediate.dense(x))
        return self.output.LayerNorm(x + self.output.dense(h))


class Encoder(nn.Module):
    def __init__(self):
        super().__init__()
        self.layer = nn.ModuleList([Layer() for _ in range(LAYERS)])


class Classifier(nn.Module):
    def __init__(self):
        super().__init__()
        self.embeddings = Embeddings()
        self.encoder = Encoder()
        self.head = nn.Sequential(nn.Linear(HIDDEN, 256), nn.ReLU(), nn.Dropout(0.2), nn.Linear(256, 2))

    def forward(self, ids, mask, trained_layers):
        bias = (1.0 - mask[:, None, None, :].float()) * -10000.0
        frozen = LAYERS - trained_layers
        with torch.set_grad_enabled(trained_layers == LAYERS):
            x = self.embeddings(ids)
            for layer in self.encoder.layer[:frozen]:
                x = layer(x, bias)
        for layer in self.encoder.layer[frozen:]:
            x = layer(x, bias)
        m = mask.unsqueeze(-1).float()
        pooled = (x * m).sum(1) / m.sum(1)
        return self.head(pooled)


def step_seconds(model, trained_layers, steps, generator):
    for p in model.parameters():
        p.requires_grad_(False)
    trainable = list(model.head.parameters())
    trainable += [p for layer in model.encoder.layer[LAYERS - trained_layers:] for p in layer.parameters()]
    if trained_layers == LAYERS:
        trainable += list(model.embeddings.parameters())
    for p in trainable:
        p.requires_grad_(True)
    optimizer = torch.optim.AdamW(trainable, lr=1e-4, weight_decay=0.01)
    model.train()
    batches = [(torch.randint(1000, 30000, (BATCH, LENGTH), generator=generator), torch.randint(0, 2, (BATCH,), generator=generator))
               for _ in range(steps + 2)]
    mask = torch.ones(BATCH, LENGTH, dtype=torch.long)
    times = []
    for i, (ids, labels) in enumerate(batches):
        t0 = time.perf_counter()
        loss = nn.functional.cross_entropy(model(ids, mask, trained_layers), labels)
        optimizer.zero_grad(set_to_none=False)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(trainable, 1.0)
        optimizer.step()
        if i >= 2:
            times.append(time.perf_counter() - t0)
    return sum(times) / len(times)


def main():
    weights = sys.argv[1]
    steps = int(sys.argv[2]) if len(sys.argv) > 2 else 12
    rounds = int(sys.argv[3]) if len(sys.argv) > 3 else 3
    torch.set_num_threads(os.cpu_count())
    model = Classifier()
    missing, unexpected = model.load_state_dict(read_safetensors(weights), strict=False)
    missing = [m for m in missing if not m.startswith("head.")]
    if missing or unexpected:
        raise SystemExit(f"weights do not fit: missing {missing}, unexpected {unexpected}")
    generator = torch.Generator().manual_seed(1)
    print(f"torch {torch.__version__}, {torch.get_num_threads()} threads, {steps} steps of batch {BATCH} x {LENGTH}")
    matmul = {}
    for m, k, n in ((2048, 2048, 2048), (4096, 384, 1536)):
        a, b = torch.randn(m, k), torch.randn(k, n)
        a @ b
        rates = []
        for _ in range(5):
            t0 = time.perf_counter()
            a @ b
            rates.append(2 * m * k * n / (time.perf_counter() - t0) / 1e9)
        rates.sort()
        matmul[f"{m}x{k}x{n}"] = {"median": rates[2], "min": rates[0], "max": rates[-1]}
        print(f"torch matmul {m}x{k}x{n}: {rates[2]:.1f} GFLOP/s (min {rates[0]:.1f}, max {rates[-1]:.1f})")
    result = {"suite": "finetune", "engine": "pytorch-eager", "torch": torch.__version__, "batch": BATCH, "length": LENGTH, "steps": steps,
              "matmul": matmul}
    runs = {"full": [], "partial2_recomputed": []}
    for r in range(rounds):
        runs["full"].append(step_seconds(model, LAYERS, steps, generator))
        runs["partial2_recomputed"].append(step_seconds(model, 2, steps, generator))
        print(f"round {r + 1}: full {runs['full'][-1]:.3f} s/step, partial:2 {runs['partial2_recomputed'][-1]:.3f} s/step")
    for name, values in runs.items():
        s = sorted(values)
        result[name] = {"median": s[len(s) // 2], "min": s[0], "max": s[-1]}
    print("RESULT " + json.dumps(result))


if __name__ == "__main__":
    main()
