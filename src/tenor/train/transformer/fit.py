"""Fine-tuning with checkpoints: resumable to the step, deterministic for a seed.

The loop saves everything it needs to continue (weights, optimizer, scheduler step, RNG state,
position in the epoch's batch order) every `checkpoint_s` seconds, atomically; a run started
with the same configuration and data finds the checkpoint and goes on from it, so a session cut
off mid-run loses minutes, not hours. The result does not depend on where it was interrupted:
the batch order of an epoch is a function of (seed, epoch) alone, and the RNG state is restored.
"""

from __future__ import annotations

import hashlib
import json
import math
import os
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np
import torch

from .net import MultiTaskNet

__all__ = ["Example", "FitConfig", "batch_order", "fit"]


@dataclass(frozen=True)
class FitConfig:
    epochs: float = 1.0  # may be fractional: the last epoch stops early
    batch_size: int = 32
    max_tokens: int = 96  # training windows: a comment's first max_tokens - 2 tokens
    lr_encoder: float = 4e-5
    lr_heads: float = 1e-3
    weight_decay: float = 0.01
    warmup: float = 0.05  # share of the steps
    token_loss_weight: float = 0.5
    seed: int = 0
    threads: int = 2
    checkpoint_s: float = 240.0
    log_every: int = 25


@dataclass(frozen=True)
class Example:
    ids: tuple[int, ...]  # [CLS] ... [SEP]
    targets: tuple[float, ...]  # per attribute, NaN where the source says nothing
    weight: float = 1.0
    token_labels: tuple[float, ...] | None = None  # per id (0 for [CLS]/[SEP]); None: no span labels
    target_weights: tuple[float, ...] | None = None  # per attribute loss weight; None: all 1


def batch_order(lengths: Sequence[int], batch_size: int, seed: int, epoch: int) -> list[list[int]]:
    """An epoch's batches: a seeded shuffle, then lengths sorted within pools of 50 batches (less
    padding), then the batches shuffled again. A function of its arguments alone."""
    rng = np.random.default_rng([seed, epoch])
    order = rng.permutation(len(lengths))
    pool = batch_size * 50
    batches: list[list[int]] = []
    for k in range(0, len(order), pool):
        members = sorted(order[k : k + pool].tolist(), key=lambda i: (lengths[i], i))
        batches.extend(members[j : j + batch_size] for j in range(0, len(members), batch_size))
    return [batches[i] for i in rng.permutation(len(batches))]


def _tensors(examples: Sequence[Example], pad_id: int) -> tuple[torch.Tensor, ...]:
    width = max(len(e.ids) for e in examples)
    n, a = len(examples), len(examples[0].targets)
    ids = torch.full((n, width), pad_id, dtype=torch.long)
    mask = torch.zeros((n, width), dtype=torch.long)
    targets = torch.tensor([e.targets for e in examples], dtype=torch.float32).reshape(n, a)
    weights = torch.tensor([e.weight for e in examples], dtype=torch.float32)
    cell_weights = torch.tensor(
        [e.target_weights if e.target_weights is not None else (1.0,) * a for e in examples],
        dtype=torch.float32,
    ).reshape(n, a)
    token_labels = torch.zeros((n, width), dtype=torch.float32)
    token_mask = torch.zeros((n, width), dtype=torch.float32)
    for row, e in enumerate(examples):
        ids[row, : len(e.ids)] = torch.tensor(e.ids)
        mask[row, : len(e.ids)] = 1
        if e.token_labels is not None:
            token_labels[row, : len(e.ids)] = torch.tensor(e.token_labels)
            token_mask[row, 1 : len(e.ids) - 1] = 1.0
    return ids, mask, targets, weights, token_labels, token_mask, cell_weights


def _loss(net: MultiTaskNet, batch: tuple[torch.Tensor, ...], token_weight: float) -> torch.Tensor:
    ids, mask, targets, weights, token_labels, token_mask, cell_weights = batch
    logits, token_logits = net(ids, mask)
    labelled = ~torch.isnan(targets)
    safe = torch.where(labelled, targets, torch.zeros_like(targets))
    bce = torch.nn.functional.binary_cross_entropy_with_logits(logits, safe, reduction="none")
    w = labelled.float() * weights[:, None] * cell_weights
    per_attribute = (bce * w).sum(0) / w.sum(0).clamp(min=1e-6)
    present = (w.sum(0) > 0).float()
    loss = (per_attribute * present).sum() / present.sum().clamp(min=1.0)
    if token_mask.sum() > 0:
        token_bce = torch.nn.functional.binary_cross_entropy_with_logits(
            token_logits, token_labels, reduction="none"
        )
        loss = loss + token_weight * (token_bce * token_mask).sum() / token_mask.sum()
    return loss


def run_key(config: FitConfig, examples: Sequence[Example], start: str) -> str:
    """What a checkpoint must match to be resumed: the configuration, the data and the start."""
    h = hashlib.sha256(
        json.dumps({**asdict(config), "checkpoint_s": 0, "log_every": 0, "start": start}).encode()
    )
    for e in examples:
        h.update(repr((e.ids, e.targets, e.weight, e.token_labels, e.target_weights)).encode())
    return h.hexdigest()


def fit(
    net: MultiTaskNet,
    examples: Sequence[Example],
    config: FitConfig,
    work: Path,
    *,
    pad_id: int,
    key: str,
    log: Callable[[str], None] = print,
) -> MultiTaskNet:
    """Train `net` on `examples`, checkpointing into `work`; resumes a matching checkpoint."""
    torch.set_num_threads(config.threads)
    torch.manual_seed(config.seed)
    torch.use_deterministic_algorithms(True)
    lengths = [len(e.ids) for e in examples]
    per_epoch = math.ceil(len(examples) / config.batch_size)
    total = max(1, round(per_epoch * config.epochs))
    heads = [p for n, p in net.named_parameters() if not n.startswith("encoder.")]
    encoder = [p for n, p in net.named_parameters() if n.startswith("encoder.")]
    optimizer = torch.optim.AdamW(
        [{"params": encoder, "lr": config.lr_encoder}, {"params": heads, "lr": config.lr_heads}],
        weight_decay=config.weight_decay,
    )
    warm = max(1, int(total * config.warmup))
    schedule = torch.optim.lr_scheduler.LambdaLR(
        optimizer, lambda s: min((s + 1) / warm, max(0.0, (total - s) / max(1, total - warm)))
    )
    step = 0
    checkpoint = work / "checkpoint.pt"
    if checkpoint.is_file():
        state = torch.load(checkpoint, weights_only=False)
        if state.get("key") == key:
            net.load_state_dict(state["net"])
            optimizer.load_state_dict(state["optimizer"])
            schedule.load_state_dict(state["schedule"])
            torch.set_rng_state(state["rng"])
            step = int(state["step"])
            log(f"resumed from {checkpoint} at step {step}/{total}")
        else:
            log(f"{checkpoint} belongs to another configuration or data: starting over")
    work.mkdir(parents=True, exist_ok=True)
    net.train()
    started, last_save, done_at_start = time.monotonic(), time.monotonic(), step
    seen_tokens = 0
    orders: dict[int, list[list[int]]] = {}
    while step < total:
        epoch, index = divmod(step, per_epoch)
        if epoch not in orders:
            orders = {epoch: batch_order(lengths, config.batch_size, config.seed, epoch)}
        batch = orders[epoch][index]
        tensors = _tensors([examples[i] for i in batch], pad_id)
        loss = _loss(net, tensors, config.token_loss_weight)
        optimizer.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(net.parameters(), 1.0)
        optimizer.step()
        schedule.step()
        step += 1
        seen_tokens += int(tensors[1].sum())
        now = time.monotonic()
        if step % config.log_every == 0 or step == total:
            rate = (step - done_at_start) / max(now - started, 1e-9)
            eta = (total - step) / max(rate, 1e-9)
            log(
                f"step {step}/{total} (epoch {epoch + 1}) loss {float(loss.detach()):.4f} "
                f"{rate * config.batch_size:.1f} examples/s, ETA {eta / 60:.1f} min"
            )
        if now - last_save >= config.checkpoint_s or step == total:
            _save(checkpoint, net, optimizer, schedule, step, key)
            last_save = now
    net.eval()
    return net


def _save(path: Path, net: MultiTaskNet, optimizer, schedule, step: int, key: str) -> None:
    state = {
        "net": net.state_dict(), "optimizer": optimizer.state_dict(), "schedule": schedule.state_dict(),
        "rng": torch.get_rng_state(), "step": step, "key": key,
    }  # fmt: skip
    tmp = path.with_name(path.name + ".tmp")
    torch.save(state, tmp)
    os.replace(tmp, path)
