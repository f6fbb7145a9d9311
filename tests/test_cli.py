"""The `curate` command: exit codes and one-line errors, as a user sees them."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from tests.conftest import chat, shared, write_jsonl, write_pipeline


def curate(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "curate", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        timeout=300,
    )


def test_version() -> None:
    result = curate("--version")
    assert result.returncode == 0 and result.stdout.startswith("curate ")


def test_run_ok_and_quiet(tmp_path: Path) -> None:
    write_jsonl(tmp_path / "d.jsonl", [chat("hi", "hello"), chat("hi", "hello")])
    path = write_pipeline(tmp_path, [{"path": "d.jsonl"}], [{"kind": "exact_dedup"}])
    result = curate("run", str(path))
    assert result.returncode == 0, result.stderr
    assert "2 rows -> 1 kept, 1 rejected" in result.stdout
    assert f"outputs: {(tmp_path / 'out').resolve()}" in result.stdout
    quiet = curate("--quiet", "run", str(path))
    assert quiet.returncode == 0 and quiet.stdout == ""


def test_bad_config_is_one_line_and_exit_2(tmp_path: Path) -> None:
    write_jsonl(tmp_path / "d.jsonl", [chat("hi", "hello")])
    path = write_pipeline(
        tmp_path, [{"path": "d.jsonl"}], [{"kind": "exact_dedup", "feild": "prompt"}]
    )
    result = curate("run", str(path))
    assert result.returncode == 2
    assert result.stderr.strip().count("\n") == 0
    assert "stages[0].feild: unknown key" in result.stderr
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "out").exists()  # nothing ran


def test_missing_pipeline_and_missing_input(tmp_path: Path) -> None:
    result = curate("run", str(tmp_path / "nope.toml"))
    assert result.returncode == 2 and "no such file" in result.stderr
    path = write_pipeline(tmp_path, [{"path": "missing.jsonl"}])
    result = curate("validate", str(path))
    assert result.returncode == 2 and "inputs[0].path: no such file: missing.jsonl" in result.stderr


def test_strict_names_file_line_and_reason(tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir()
    (data / "d.jsonl").write_text(
        json.dumps(chat("hi", "hello"))
        + "\n"
        + '{"messages": [{"role": "user", "content": "x"}]}\n'
    )
    path = write_pipeline(tmp_path, [{"path": "data/d.jsonl"}])
    result = curate("run", "--strict", str(path))
    assert result.returncode == 2
    assert result.stderr.strip() == "error: data/d.jsonl:2: no_assistant_turn"
    assert curate("run", str(path)).returncode == 0  # without --strict the run goes on


def test_validate_and_inspect() -> None:
    pipeline = Path(__file__).resolve().parent.parent / "pipelines" / "quickstart.toml"
    result = curate("validate", str(pipeline))
    assert result.returncode == 0 and result.stdout.startswith("ok:")
    result = curate("inspect", str(shared("llama-factory/glaive_toolcall_en_demo.json")))
    assert result.returncode == 0, result.stderr
    info = json.loads(result.stdout)
    assert info["format"] == "sharegpt" and info["rows"] == 300 and info["with_tools"] > 0
    jsonl = json.loads(curate("inspect", str(shared("llama-factory/v1_sft_demo.jsonl"))).stdout)
    assert (jsonl["format"], jsonl["rows"], jsonl["bad_rows"]) == ("messages", 500, 0)


def test_schema_writes_three_files(tmp_path: Path) -> None:
    result = curate("schema", "--out", str(tmp_path))
    assert result.returncode == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "ledger.schema.json",
        "pipeline.schema.json",
        "record.schema.json",
    ]


def test_no_train_skips_the_train_table(tmp_path: Path) -> None:
    write_jsonl(tmp_path / "d.jsonl", [chat("hi", "hello")])
    extra = '\n[train]\nmodel = "no-such-model-dir"\nmax_steps = 1\n'
    path = write_pipeline(tmp_path, [{"path": "d.jsonl"}], extra=extra)
    skipped = curate("--quiet", "run", "--no-train", str(path))
    assert skipped.returncode == 0, skipped.stderr
    assert not (tmp_path / "out" / "model").exists()
    failed = curate("--quiet", "run", str(path))
    assert failed.returncode == 2, failed.stderr
    assert "no-such-model-dir" in failed.stderr and "Traceback" not in failed.stderr
