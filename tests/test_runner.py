"""The runner and the ledger: nothing lost, every rejection explained, reproducible outputs."""

from __future__ import annotations

import json
from pathlib import Path

import polars as pl
import pytest

import curate
from curate.errors import InputError
from tests.conftest import chat, shared, write_jsonl, write_pipeline

OUTPUTS = ("curated.jsonl", "rejected.jsonl", "ledger.parquet", "summary.json", "summary.md")


def real_pipeline(tmp_path: Path, **run) -> Path:
    """Real files in three formats, plus a file of bad rows."""
    bad = tmp_path / "bad.jsonl"
    bad.write_bytes(
        json.dumps(chat("Is this fine?", "Yes.")).encode()
        + b"\n{not json\n"
        + b'{"messages": [{"role": "user", "content": "hi"}]}\n'
    )
    return write_pipeline(
        tmp_path,
        inputs=[
            {"path": str(shared("llama-factory/alpaca_en_demo.json")), "license": "Apache-2.0"},
            {"path": str(shared("llama-factory/v1_sft_demo.jsonl"))},
            {"path": str(shared("fastchat/dummy_conversation.json"))},
            {"path": "bad.jsonl"},
        ],
        stages=[{"kind": "exact_dedup"}],
        run=run,
    )


def read_jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def test_ledger_invariants_on_real_data(tmp_path: Path) -> None:
    summary = curate.run(str(real_pipeline(tmp_path)))
    out = tmp_path / "out"
    for name in OUTPUTS:
        assert (out / name).is_file()
    ledger = pl.read_parquet(out / "ledger.parquet")
    assert ledger.height == 999 + 500 + 500 + 3 == summary["input_rows"]
    kept = ledger.filter(pl.col("decision") == "kept")
    rejected = ledger.filter(pl.col("decision") == "rejected")
    assert kept.height + rejected.height == ledger.height
    assert summary["kept"] == kept.height and summary["rejected"] == rejected.height
    # every rejection names its stage and reason; kept rows have neither
    assert rejected["stage"].null_count() == 0 and rejected["reason"].null_count() == 0
    assert kept["stage"].null_count() == kept.height and kept["reason"].null_count() == kept.height
    # ledger in input order: sources in config order, rows ascending
    sources = ["alpaca_en_demo.json", "v1_sft_demo.jsonl", "dummy_conversation.json", "bad.jsonl"]
    order = ledger.with_columns(
        pl.col("source").replace_strict({s: i for i, s in enumerate(sources)}).alias("s")
    )
    assert order.select(["s", "row"]).rows() == sorted(order.select(["s", "row"]).rows())
    # curated ids == kept ids, in input order
    curated = read_jsonl(out / "curated.jsonl")
    assert [r["id"] for r in curated] == kept["id"].to_list()
    # rejected.jsonl holds every rejected row with stage, reason, detail
    rejected_rows = read_jsonl(out / "rejected.jsonl")
    assert [(r["source"], r["row"]) for r in rejected_rows] == rejected.select(
        "source", "row"
    ).rows()
    assert all(r["stage"] and r["reason"] for r in rejected_rows)
    ingest = [r for r in rejected_rows if r["stage"] == "ingest"]
    assert [r["reason"] for r in ingest] == ["invalid_json", "no_assistant_turn"]
    assert ingest[0]["raw"] == "{not json"
    # v1_sft_demo repeats alpaca_en_demo rows in another format: found as exact duplicates
    dups = rejected.filter(pl.col("reason") == "duplicate")
    assert dups.filter(pl.col("source") == "v1_sft_demo.jsonl").height > 200
    # every duplicate points to a kept row (an identical copy shares the keeper's id)
    keepers = kept.filter(pl.col("id").is_in(dups["duplicate_of"].implode()))
    assert set(dups["duplicate_of"]) == set(keepers["id"])
    # keeper and members share a cluster id
    joined = dups.join(
        keepers.select("id", pl.col("cluster_id").alias("keeper_cluster")),
        left_on="duplicate_of",
        right_on="id",
    )
    assert (joined["cluster_id"] == joined["keeper_cluster"]).all()
    # summary: per-stage counts and sources with licences
    stages = {s["name"]: s for s in summary["stages"]}
    assert stages["ingest"]["reasons"] == {"invalid_json": 1, "no_assistant_turn": 1}
    assert stages["exact_dedup"]["rejected"] == dups.height
    assert summary["sources"][0]["license"] == "Apache-2.0"
    assert summary["sources"][0]["rows"] == 999


def test_outputs_are_byte_identical_across_runs(tmp_path: Path) -> None:
    pipeline = real_pipeline(tmp_path)
    curate.run(str(pipeline), out=tmp_path / "a")
    curate.run(str(pipeline), out=tmp_path / "b")
    for name in ("curated.jsonl", "rejected.jsonl", "ledger.parquet"):
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes(), name


def test_failed_run_leaves_previous_outputs_whole(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    pipeline = real_pipeline(tmp_path)
    curate.run(str(pipeline))
    before = {n: (tmp_path / "out" / n).read_bytes() for n in OUTPUTS}

    def explode(*args, **kwargs):
        raise RuntimeError("killed mid-write")

    monkeypatch.setattr("curate.runner.write_parquet", explode)
    with pytest.raises(RuntimeError):
        curate.run(str(pipeline))
    assert {n: (tmp_path / "out" / n).read_bytes() for n in OUTPUTS} == before
    leftovers = [
        p.name for p in tmp_path.iterdir() if "staging" in p.name or p.name.endswith(".tmp")
    ]
    assert leftovers == []


def test_exact_dedup_prompt_field_and_canonical_text(tmp_path: Path) -> None:
    write_jsonl(
        tmp_path / "d.jsonl",
        [
            chat("What is the capital of France?", "Paris."),
            chat("what is the  capital of FRANCE?", "Paris."),  # case + whitespace: duplicate
            chat("What is the capital of France?", "It is Paris."),  # same prompt, other answer
            chat("What is 2+2?", "4"),
            chat("What is 2+3?", "5"),  # numbers are kept
        ],
    )
    whole = write_pipeline(
        tmp_path, [{"path": "d.jsonl"}], [{"kind": "exact_dedup"}], run={"output": "w"}
    )
    curate.run(str(whole))
    ledger = pl.read_parquet(tmp_path / "w" / "ledger.parquet")
    assert ledger["reason"].to_list() == [None, "duplicate", None, None, None]
    assert ledger["duplicate_of"][1] == ledger["id"][0]
    prompt = write_pipeline(
        tmp_path,
        [{"path": "d.jsonl"}],
        [{"kind": "exact_dedup", "field": "prompt"}],
        run={"output": "p"},
    )
    curate.run(str(prompt))
    ledger = pl.read_parquet(tmp_path / "p" / "ledger.parquet")
    assert ledger["reason"].to_list() == [None, "duplicate", "duplicate", None, None]
    assert ledger["cluster_id"].to_list()[:3] == [0, 0, 0]


def test_output_formats(tmp_path: Path) -> None:
    rows = [
        {
            "messages": [
                {"role": "system", "content": "Be kind."},
                {"role": "user", "content": "Hi"},
                {"role": "assistant", "content": "Hello"},
                {"role": "user", "content": "Bye"},
                {"role": "assistant", "content": "Goodbye"},
            ],
            "topic": "greeting",
        }
    ]
    write_jsonl(tmp_path / "d.jsonl", rows)
    for fmt in ("messages", "sharegpt", "alpaca"):
        path = write_pipeline(
            tmp_path,
            [{"path": "d.jsonl"}],
            run={"output": fmt},
            extra=f'\n[output]\nformat = "{fmt}"\n',
        )
        curate.run(str(path))
        (line,) = read_jsonl(tmp_path / fmt / "curated.jsonl")
        assert json.loads(line["meta"]) == {"topic": "greeting"}
        if fmt == "messages":
            assert [m["role"] for m in line["messages"]] == [
                "system",
                "user",
                "assistant",
                "user",
                "assistant",
            ]
        elif fmt == "sharegpt":
            assert [t["from"] for t in line["conversations"]] == [
                "system",
                "human",
                "gpt",
                "human",
                "gpt",
            ]
        else:
            assert (line["instruction"], line["output"], line["system"]) == (
                "Bye",
                "Goodbye",
                "Be kind.",
            )
            assert line["history"] == [["Hi", "Hello"]]


def test_all_bad_rows_and_empty_files_warn_but_do_not_fail(tmp_path: Path) -> None:
    (tmp_path / "bad.jsonl").write_text("{nope\n")
    (tmp_path / "empty.jsonl").write_text("")
    path = write_pipeline(
        tmp_path, [{"path": "bad.jsonl"}, {"path": "empty.jsonl"}], [{"kind": "exact_dedup"}]
    )
    summary = curate.run(str(path))
    assert summary["input_rows"] == 1 and summary["kept"] == 0
    assert any("every row is bad" in w for w in summary["warnings"])
    assert any("empty" in w for w in summary["warnings"])
    with pytest.raises(InputError, match=r"bad\.jsonl:1: invalid_json"):
        curate.run(str(path), strict=True)


def test_limit_reads_first_rows_of_each_file(tmp_path: Path) -> None:
    write_jsonl(tmp_path / "d.jsonl", [chat(f"q{i}", f"a{i}") for i in range(50)])
    path = write_pipeline(tmp_path, [{"path": "d.jsonl"}])
    assert curate.run(str(path), limit=10)["input_rows"] == 10


def test_review_overrides_keep_and_drop(tmp_path: Path) -> None:
    write_jsonl(
        tmp_path / "d.jsonl",
        [
            chat("What is 2+2?", "4"),
            chat("what is 2+2?", "4"),
            chat("Name a colour.", "Blue."),
            chat("Hi", "Hello"),
        ],
    )
    stages = [{"kind": "exact_dedup"}]
    path = write_pipeline(tmp_path, [{"path": "d.jsonl"}], stages, run={"output": "first"})
    curate.run(str(path))
    ledger = pl.read_parquet(tmp_path / "first" / "ledger.parquet")
    ids = ledger["id"].to_list()
    marks = [
        {
            "source": "d.jsonl",
            "row": 1,
            "id": ids[1],
            "decision": "keep",
            "note": "phrasing differs",
        },
        {"source": "d.jsonl", "row": 3, "id": ids[3], "decision": "drop", "note": "too thin"},
    ]
    write_jsonl(tmp_path / "overrides.jsonl", marks)
    path = write_pipeline(
        tmp_path,
        [{"path": "d.jsonl"}],
        stages,
        run={"output": "second"},
        extra='\n[[overrides]]\npath = "overrides.jsonl"\n',
    )
    summary = curate.run(str(path))
    ledger = pl.read_parquet(tmp_path / "second" / "ledger.parquet")
    assert ledger["decision"].to_list() == ["kept", "kept", "kept", "rejected"]
    assert ledger.row(3, named=True)["stage"] == "review"
    assert ledger.row(3, named=True)["reason"] == "override"
    assert "too thin" in ledger.row(3, named=True)["detail"]
    assert "review:keep" in ledger.row(1, named=True)["tags"]
    curated = read_jsonl(tmp_path / "second" / "curated.jsonl")
    assert [r["id"] for r in curated] == ids[:3]
    assert {s["name"]: s for s in summary["stages"]}["review"]["rejected"] == 1


def test_override_for_a_changed_row_is_refused(tmp_path: Path) -> None:
    write_jsonl(tmp_path / "d.jsonl", [chat("What is 2+2?", "4")])
    write_jsonl(
        tmp_path / "o.jsonl",
        [{"source": "d.jsonl", "row": 0, "id": "0000000000000000", "decision": "drop", "note": ""}],
    )
    path = write_pipeline(
        tmp_path, [{"path": "d.jsonl"}], extra='\n[[overrides]]\npath = "o.jsonl"\n'
    )
    with pytest.raises(InputError, match=r"o\.jsonl"):
        curate.run(str(path))
    missing = write_pipeline(
        tmp_path, [{"path": "d.jsonl"}], extra='\n[[overrides]]\npath = "nope.jsonl"\n'
    )
    from curate.errors import ConfigError

    with pytest.raises(ConfigError, match=r"overrides\[0\]\.path: no such file"):
        curate.run(str(missing))


def test_stages_warm_up_beside_ingest_and_a_failed_warm_up_is_harmless(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The runner loads each stage's kernels in a background thread while ingest reads;
    a warm-up that fails changes nothing (the stage itself still runs, same outputs)."""
    import threading

    from curate.stages.exact_dedup import ExactDedup
    from curate.stages.near_dedup import NearDedup

    write_jsonl(tmp_path / "d.jsonl", [chat("What is 2+2?", "4"), chat("What is 2+2?", "4")])
    stages = [{"kind": "exact_dedup"}, {"kind": "near_dedup"}]
    first = write_pipeline(tmp_path, [{"path": "d.jsonl"}], stages, run={"output": "a"})
    warmed: list[tuple[str, str]] = []
    real = ExactDedup.warm_up

    def record(self, ctx) -> None:
        warmed.append((self.kind, threading.current_thread().name))
        real(self, ctx)

    def fail(self, ctx) -> None:
        warmed.append((self.kind, threading.current_thread().name))
        raise RuntimeError("no kernels today")

    monkeypatch.setattr(ExactDedup, "warm_up", record)
    monkeypatch.setattr(NearDedup, "warm_up", fail)
    curate.run(str(first))
    assert [kind for kind, _ in warmed] == ["exact_dedup", "near_dedup"]
    assert all(name != threading.main_thread().name for _, name in warmed)
    monkeypatch.undo()
    second = write_pipeline(tmp_path, [{"path": "d.jsonl"}], stages, run={"output": "b"})
    curate.run(str(second))
    for name in ("curated.jsonl", "rejected.jsonl"):
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes()


def test_ingest_scores_equal_the_text_views() -> None:
    """prompt_chars/response_chars are the lengths of `field_text` (computed without
    joining the texts): checked on multi-turn, system and tool-call conversations."""
    from curate.io.ingest import read_records
    from curate.runner import KEY, ingest_scores
    from curate.text import field_text

    for name in ("lima/lima.json.gz", "llama-factory/glaive_toolcall_en_demo.json"):
        records = read_records(shared(name)).records.with_row_index(KEY)
        expected = records.select(
            field_text("prompt").str.len_chars().cast(pl.Float64).alias("prompt_chars"),
            field_text("response").str.len_chars().cast(pl.Float64).alias("response_chars"),
        )
        scores = ingest_scores(records)
        assert scores.select(expected.columns).equals(expected)
        assert (scores["turns"] > 2).any()
