"""pipeline.toml validation: errors name the key and its line before any work starts."""

from __future__ import annotations

from pathlib import Path

import pytest

from curate.config import load_pipeline
from curate.errors import ConfigError
from curate.schemas import render, schemas
from tests.conftest import REPO, chat, write_jsonl


@pytest.fixture
def data(tmp_path: Path) -> Path:
    return write_jsonl(tmp_path / "d.jsonl", [chat("hi", "hello")])


def load(tmp_path: Path, text: str):
    path = tmp_path / "p.toml"
    path.write_text(text, encoding="utf-8")
    return load_pipeline(path)


def error_of(tmp_path: Path, text: str) -> str:
    with pytest.raises(ConfigError) as info:
        load(tmp_path, text)
    return str(info.value)


def test_valid_config_resolves_inputs_relative_to_the_file(tmp_path: Path, data: Path) -> None:
    pipeline = load(
        tmp_path, '[run]\noutput = "o"\n[[inputs]]\npath = "d.jsonl"\nlicense = "MIT"\n'
    )
    assert pipeline.sources[0].path == data
    assert pipeline.sources[0].source == "d.jsonl"
    assert pipeline.output_dir == (tmp_path / "o").resolve()


def test_unknown_key_names_key_and_line(tmp_path: Path, data: Path) -> None:
    message = error_of(tmp_path, '[run]\nname = "x"\nsed = 1\n[[inputs]]\npath = "d.jsonl"\n')
    assert message.endswith("p.toml:3: run.sed: unknown key")


def test_wrong_type_in_a_stage(tmp_path: Path, data: Path) -> None:
    text = (
        '[[inputs]]\npath = "d.jsonl"\n\n[[stages]]\nkind = "exact_dedup"\n\n'
        '[[stages]]\nkind = "exact_dedup"\nname = "again"\nfield = 3\n'
    )
    message = error_of(tmp_path, text)
    assert ":10: stages[1].field:" in message


def test_unknown_stage_kind(tmp_path: Path, data: Path) -> None:
    message = error_of(tmp_path, '[[inputs]]\npath = "d.jsonl"\n[[stages]]\nkind = "magic"\n')
    assert "stages[0]" in message and "magic" in message


def test_bad_value(tmp_path: Path, data: Path) -> None:
    message = error_of(tmp_path, '[run]\nengine = "spark"\n[[inputs]]\npath = "d.jsonl"\n')
    assert ":2: run.engine:" in message


def test_duplicate_stage_names(tmp_path: Path, data: Path) -> None:
    text = '[[inputs]]\npath = "d.jsonl"\n[[stages]]\nkind = "exact_dedup"\n[[stages]]\nkind = "exact_dedup"\n'
    assert "give one a `name`" in error_of(tmp_path, text)


def test_missing_input_file_and_empty_glob(tmp_path: Path) -> None:
    assert "inputs[0].path: no such file: nope.jsonl" in error_of(
        tmp_path, '[[inputs]]\npath = "nope.jsonl"\n'
    )
    assert "no file matches" in error_of(tmp_path, '[[inputs]]\npath = "x/*.jsonl"\n')


def test_no_inputs(tmp_path: Path) -> None:
    assert "inputs" in error_of(tmp_path, '[run]\nname = "x"\n')


def test_invalid_toml(tmp_path: Path) -> None:
    assert "invalid TOML" in error_of(tmp_path, "[run\n")


def test_sources_must_be_unique(tmp_path: Path, data: Path) -> None:
    text = '[[inputs]]\npath = "d.jsonl"\n[[inputs]]\npath = "d.jsonl"\n'
    assert "inputs[1].source" in error_of(tmp_path, text)


def test_glob_and_folder_inputs_name_each_file(tmp_path: Path) -> None:
    folder = tmp_path / "data"
    folder.mkdir()
    for name in ("a.jsonl", "b.jsonl"):
        write_jsonl(folder / name, [chat("hi", "hello")])
    pipeline = load(
        tmp_path, '[[inputs]]\npath = "data/*.jsonl"\nsource = "demo"\n[[inputs]]\npath = "data"\n'
    )
    assert [s.source for s in pipeline.sources] == [
        "demo/a.jsonl",
        "demo/b.jsonl",
        "data/a.jsonl",
        "data/b.jsonl",
    ]


def test_schemas_are_in_sync_with_the_code() -> None:
    for name, schema in schemas().items():
        shipped = REPO / "schemas" / name
        assert shipped.exists(), f"{shipped} missing: run `curate schema`"
        assert shipped.read_text(encoding="utf-8") == render(schema), (
            f"{name} is stale: run `make schema`"
        )


def test_record_schema_matches_the_frame_schema() -> None:
    from curate.ledger import LEDGER_COLUMNS
    from curate.records import MESSAGE, RECORD_SCHEMA

    record = schemas()["record.schema.json"]
    assert list(record["properties"]) == list(RECORD_SCHEMA)
    message = next(d for d in record["$defs"].values() if d["title"] == "Message")
    assert list(message["properties"]) == [f.name for f in MESSAGE.fields]
    assert tuple(schemas()["ledger.schema.json"]["properties"]) == LEDGER_COLUMNS
