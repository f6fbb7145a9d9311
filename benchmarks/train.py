"""Our masked-loss trainer against TRL's SFTTrainer: tokens/s, peak memory, initial loss.

Same model (SmolLM2-135M-Instruct, dequantised, fp32 on CPU / bf16 on CUDA), same rows
(alpaca_en_demo, rows that fit max_length), same batch size, learning rate and schedule.
TRL trains the assistant output only (`assistant_only_loss`, SmolLM2's template with
generation tags); both have the same labels (tests/test_train_parity.py).

Each trainer runs in a fresh spawned process, so peak RSS is its own; the figure is the
peak resident memory during training minus the resident memory just before it (CUDA:
torch.cuda.max_memory_allocated). tokens/s counts non-padding input tokens over the
optimizer steps after the first (warm-up) step; TRL's step time (its callbacks around a step)
leaves out its batch fetching and logging, ours counts collation: a slight edge to TRL.
On CUDA both sides take bf16 autocast on fp32 weights (ours: auto precision; TRL:
`bf16=True`). Initial loss: each trainer's own loss function on the same first batch of the
untrained model.

`--model smollm2-random` is SmolLM2-135M's exact architecture (SMOLLM2_135M below, its
config.json) with seeded random weights, for machines without the GGUF (such as a borrowed
GPU box): tokens/s and memory are valid, the losses are meaningless.
Random models ("tiny", "smollm2-random") are built once in the parent and saved as an HF dir
that both trainers load, like any other model. The data come from ../shared/data, or from
$CURATE_SHARED_DATA (as in the tests).

    .venv/bin/python benchmarks/train.py                    # SmolLM2, 6 steps (minutes on 2 cores)
    .venv/bin/python benchmarks/train.py --model tiny       # a 3M-parameter random Llama, seconds
    .venv/bin/python benchmarks/train.py --model smollm2-random --steps 30 --batch-size 8
"""

from __future__ import annotations

import argparse
import json
import multiprocessing as mp
import os
import sys
import tempfile
import threading
import time
from pathlib import Path
from queue import Empty
from typing import Any

REPO = Path(__file__).resolve().parent.parent
DATA = "llama-factory/alpaca_en_demo.json"  # under tests.conftest.SHARED_DATA
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
sys.path.insert(0, str(REPO))

# SmolLM2-135M-Instruct's config.json (the same as its GGUF's metadata): 30 layers, 576 wide,
# 9 query / 3 KV heads, tied embeddings, 134.5M parameters
SMOLLM2_135M: dict[str, Any] = {
    "model_type": "llama",
    "vocab_size": 49152,
    "hidden_size": 576,
    "intermediate_size": 1536,
    "num_hidden_layers": 30,
    "num_attention_heads": 9,
    "num_key_value_heads": 3,
    "head_dim": 64,
    "hidden_act": "silu",
    "max_position_embeddings": 8192,
    "rms_norm_eps": 1e-05,
    "rope_parameters": {"rope_type": "default", "rope_theta": 100000.0},
    "attention_bias": False,
    "mlp_bias": False,
    "initializer_range": 0.02,
    "tie_word_embeddings": True,
    "bos_token_id": 1,
    "eos_token_id": 2,
    "pad_token_id": 2,
}
RANDOM_MODELS = ("tiny", "smollm2-random")


class PeakRSS:
    """Sample this process's resident memory every few ms; report the peak above the start."""

    def __init__(self) -> None:
        self.page = os.sysconf("SC_PAGE_SIZE")
        self.start = self.peak = self._rss()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _rss(self) -> int:
        with open("/proc/self/statm") as f:
            return int(f.read().split()[1]) * self.page

    def _run(self) -> None:
        while not self._stop.wait(0.005):
            self.peak = max(self.peak, self._rss())

    def __enter__(self) -> PeakRSS:
        self._thread.start()
        return self

    def __exit__(self, *exc: Any) -> None:
        self._stop.set()
        self._thread.join()
        self.peak = max(self.peak, self._rss())

    @property
    def mb(self) -> float:
        return (self.peak - self.start) / 2**20


def _rows_and_model(args: argparse.Namespace):
    """The shared setup of every run: tokenizer, model, the rows that fit, the first batch."""
    import torch

    from curate.train.data import read_conversations, tokenize_conversations
    from curate.train.model import load_model, load_tokenizer
    from tests.conftest import SHARED_DATA

    name = args.model_path
    tokenizer = load_tokenizer(name)
    frame = read_conversations(SHARED_DATA / DATA).head(args.rows * 2)
    prepared = tokenize_conversations(frame, tokenizer, max_length=args.max_length)
    keep = list(range(min(args.rows, len(prepared))))
    prepared = prepared.subset(keep)
    messages = [
        {"messages": [{"role": m["role"], "content": m["content"]} for m in frame["messages"][i]]}
        for i in prepared.index
    ]
    torch.manual_seed(0)
    model = load_model(name)
    device = "cuda" if torch.cuda.is_available() else "cpu"
    return name, tokenizer, prepared, messages, model, device


def prepare_model(name: str, root: Path) -> str:
    """What both trainers load: an alias, HF dir or .gguf as given; a random model (tiny,
    smollm2-random) built here once, seeded, and saved under `root` as an HF dir."""
    if name not in RANDOM_MODELS:
        return name
    import torch
    from transformers import AutoTokenizer, LlamaConfig, LlamaForCausalLM

    from tests.train_support import tiny_model_dir, tokenizer_dir

    tokenizer_path = tokenizer_dir(root)  # $CURATE_TEST_TOKENIZER, else saved from the GGUF
    if name == "tiny":
        return str(tiny_model_dir(root, tokenizer_path))
    tokenizer = AutoTokenizer.from_pretrained(tokenizer_path)
    config = LlamaConfig(**{k: v for k, v in SMOLLM2_135M.items() if k != "model_type"})
    assert len(tokenizer) <= config.vocab_size, "the SmolLM2 tokenizer is needed"
    torch.manual_seed(0)
    model = LlamaForCausalLM(config)
    out = root / name
    model.save_pretrained(out)
    tokenizer.save_pretrained(out)
    return str(out)


def run_ours(args: argparse.Namespace, packing: bool, checkpointing: bool) -> dict[str, Any]:
    import torch

    from curate.train.config import TrainConfig
    from curate.train.data import collate
    from curate.train.loop import fit, runtime
    from curate.train.loss import loss_sum

    _, tokenizer, prepared, _, model, device = _rows_and_model(args)
    config = TrainConfig(
        max_steps=args.steps,
        batch_size=args.batch_size,
        max_length=args.max_length,
        lr=args.lr,
        packing=packing,
        seed=0,
        gradient_checkpointing=checkpointing,
    )
    rt = runtime(config)
    model.to(rt.device)
    first = collate(
        prepared, [[i] for i in range(args.batch_size)], tokenizer.pad_token_id, packed=False
    )
    with torch.no_grad(), rt.amp():
        n = int((first["targets"] != -100).sum())
        initial = float(loss_sum(model, {k: v.to(rt.device) for k, v in first.items()})) / n
    out = Path(tempfile.mkdtemp())
    if device == "cuda":
        torch.cuda.reset_peak_memory_stats()
    with PeakRSS() as mem:
        fit(
            model,
            prepared,
            prepared.subset([]),
            config,
            pad_id=tokenizer.pad_token_id,
            seed=0,
            log_path=out / "train_log.jsonl",
            checkpoints=out / "checkpoints",
        )
    log = [json.loads(x) for x in (out / "train_log.jsonl").read_text().splitlines()][1:]
    return {
        "tokens_per_s": sum(r["tokens"] for r in log) / sum(r["seconds"] for r in log),
        "peak_mb": _peak(mem, device),
        "initial_loss": initial,
        "step_s": sum(r["seconds"] for r in log) / len(log),
    }


def run_trl(args: argparse.Namespace, packing: bool, checkpointing: bool) -> dict[str, Any]:
    import torch
    from datasets import Dataset
    from transformers import TrainerCallback
    from trl import SFTConfig, SFTTrainer

    from curate.train.templates import SMOLLM2_GENERATION_TEMPLATE

    _, tokenizer, _, messages, model, device = _rows_and_model(args)
    tokenizer.chat_template = SMOLLM2_GENERATION_TEMPLATE
    config = SFTConfig(
        output_dir=tempfile.mkdtemp(),
        assistant_only_loss=True,
        max_length=args.max_length,
        packing=packing,
        gradient_checkpointing=checkpointing,  # TRL's default is True
        per_device_train_batch_size=args.batch_size,
        max_steps=args.steps,
        learning_rate=args.lr,
        lr_scheduler_type="cosine",
        max_grad_norm=1.0,
        logging_steps=1,
        report_to=[],
        save_strategy="no",
        use_cpu=device == "cpu",
        bf16=device == "cuda",
        seed=0,
        dataloader_num_workers=0,
        disable_tqdm=True,
    )
    trainer = SFTTrainer(
        model=model,
        args=config,
        train_dataset=Dataset.from_list(messages),
        processing_class=tokenizer,
    )
    counted: list[int] = []
    collator = trainer.data_collator

    def counting(examples: list[dict[str, Any]]) -> dict[str, Any]:
        batch = collator(examples)
        mask = batch.get("attention_mask")
        counted.append(int(mask.sum()) if mask is not None else int(batch["input_ids"].numel()))
        return batch

    trainer.data_collator = counting
    times: list[float] = []

    class Clock(TrainerCallback):
        def on_step_begin(self, *a: Any, **k: Any) -> None:
            self.t = time.perf_counter()

        def on_step_end(self, *a: Any, **k: Any) -> None:
            if device == "cuda":
                torch.cuda.synchronize()
            times.append(time.perf_counter() - self.t)

    trainer.add_callback(Clock())
    first = (
        counting([trainer.train_dataset[i] for i in range(args.batch_size)])
        if not packing
        else None
    )
    counted.clear()
    initial = None
    if first is not None:
        model.eval()
        with torch.no_grad(), trainer.accelerator.autocast():  # bf16 on CUDA, as in training
            initial = float(
                trainer.compute_loss(model, {k: v.to(model.device) for k, v in first.items()})
            )
        model.train()
    if device == "cuda":
        torch.cuda.reset_peak_memory_stats()
    with PeakRSS() as mem:
        trainer.train()
    # the dataloader may prefetch one batch beyond the last step
    tokens = counted[1 : len(times)]
    return {
        "tokens_per_s": sum(tokens) / sum(times[1:]),
        "peak_mb": _peak(mem, device),
        "initial_loss": initial,
        "step_s": sum(times[1:]) / len(times[1:]),
    }


def _peak(mem: PeakRSS, device: str) -> float:
    if device == "cuda":
        import torch

        return torch.cuda.max_memory_allocated() / 2**20
    return mem.mb


RUNS = {  # name: (runner, packing, activation checkpointing)
    "ours": (run_ours, False, False),
    "trl": (run_trl, False, False),
    "ours-packed": (run_ours, True, False),
    "trl-packed": (run_trl, True, False),
    "ours-ckpt": (run_ours, False, True),
    "trl-default": (run_trl, False, True),  # TRL's defaults: gradient checkpointing on
}


def _child(name: str, args: argparse.Namespace, queue: Any) -> None:
    fn, packing, checkpointing = RUNS[name]
    queue.put(fn(args, packing, checkpointing))


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--model",
        default="smollm2-135m",
        help="smollm2-135m (the GGUF), a model dir, tiny, or smollm2-random (its architecture, "
        "random weights)",
    )
    parser.add_argument("--rows", type=int, default=64)
    parser.add_argument("--steps", type=int, default=6)
    parser.add_argument("--batch-size", type=int, default=4)
    parser.add_argument("--max-length", type=int, default=512)
    parser.add_argument("--lr", type=float, default=1e-5)
    parser.add_argument("--runs", default="ours,trl,ours-packed,trl-packed")
    args = parser.parse_args()

    import torch

    cuda = torch.cuda.is_available()
    print(
        f"device: {torch.cuda.get_device_name(0) + ', bf16 autocast' if cuda else 'cpu, fp32'} "
        "(both trainers); peak memory: "
        + ("torch.cuda.max_memory_allocated" if cuda else "resident memory above the start"),
        flush=True,
    )
    if args.model in RANDOM_MODELS:
        print(
            f"model {args.model}: random weights, so the losses are meaningless; "
            "tokens/s and memory are valid",
            flush=True,
        )
    ctx = mp.get_context("spawn")
    results: dict[str, dict[str, Any]] = {}
    failed: list[str] = []
    with tempfile.TemporaryDirectory() as root:
        args.model_path = prepare_model(args.model, Path(root))
        for name in args.runs.split(","):
            queue = ctx.Queue()
            proc = ctx.Process(target=_child, args=(name, args, queue))
            proc.start()
            proc.join()  # the result is a few numbers: the pipe holds them until read
            try:
                results[name] = queue.get(timeout=10)
            except Empty:
                failed.append(name)
                print(f"{name:12s} failed (exit code {proc.exitcode}), traceback above", flush=True)
                continue
            r = results[name]
            loss = f"{r['initial_loss']:.6f}" if r["initial_loss"] is not None else "-"
            print(
                f"{name:12s} {r['tokens_per_s']:9.1f} tok/s  {r['step_s']:7.3f} s/step  "
                f"peak {'' if cuda else '+'}{r['peak_mb']:8.1f} MB  initial loss {loss}",
                flush=True,
            )

    def ratio(a: str, b: str) -> None:
        if a in results and b in results:
            ra, rb = results[a], results[b]
            print(
                f"{a} vs {b}: {ra['tokens_per_s'] / rb['tokens_per_s']:.2f}x tokens/s, "
                f"peak memory {ra['peak_mb'] / rb['peak_mb']:.2f}x"
            )

    print(
        f"model={args.model} rows={args.rows} steps={args.steps} batch={args.batch_size} max_length={args.max_length}"
    )
    ratio("ours", "trl")
    ratio("ours-packed", "trl")
    ratio("ours-packed", "trl-packed")
    ratio("ours-ckpt", "trl-default")
    if {"ours", "trl"} <= results.keys():
        a, b = results["ours"]["initial_loss"], results["trl"]["initial_loss"]
        print(f"initial loss: ours {a:.6f} trl {b:.6f} (|diff| {abs(a - b):.2e})")
    if failed:
        sys.exit(f"failed runs: {', '.join(failed)}")


if __name__ == "__main__":
    main()
