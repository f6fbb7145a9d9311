"""pipeline.toml as pydantic models (DESIGN section 4).

`load_pipeline` validates everything before any work starts: unknown keys, wrong types,
bad values and missing inputs are one `ConfigError` naming the key and its TOML line.
The JSON Schema in `schemas/pipeline.schema.json` is generated from these models.
"""

from __future__ import annotations

import glob as globlib
import hashlib
import re
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any, Literal, Union

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from curate.errors import ConfigError
from curate.io.formats import FieldNames
from curate.io.ingest import SourceFile
from curate.io.readers import FILE_TYPES
from curate.stages import STAGES
from curate.train.config import TrainConfig


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class RunConfig(Strict):
    name: str = "run"
    output: str = Field("runs/run", description="run directory, relative to the toml file")
    seed: int = 0
    engine: Literal["local", "ray"] = "local"
    ray_address: str | None = Field(
        None,
        description='engine = "ray": the cluster to join (default: RAY_ADDRESS, else a local one)',
    )


class InputConfig(Strict):
    path: str = Field(description="a file, a glob or a folder, relative to the toml file")
    format: Literal["auto", "alpaca", "sharegpt", "messages", "prompt_response"] = "auto"
    source: str | None = Field(None, description="input name; default: the file name")
    license: str | None = None
    prompt_field: str = "prompt"
    response_field: str = "response"
    system_field: str = "system"


class OutputConfig(Strict):
    format: Literal["messages", "sharegpt", "alpaca"] = "messages"
    parquet: bool = Field(False, description="also write curated.parquet")


def _stage_union() -> Any:
    configs = tuple(cls.Config for cls in STAGES.values())
    if len(configs) == 1:
        return configs[0]
    return Annotated[Union[configs], Field(discriminator="kind")]  # noqa: UP007


StageConfigs = _stage_union()


class OverridesConfig(Strict):
    path: str = Field(
        description="overrides.jsonl downloaded from report.html, relative to the toml file"
    )


class PipelineConfig(Strict):
    run: RunConfig = Field(default_factory=RunConfig)
    inputs: list[InputConfig] = Field(min_length=1)
    stages: list[StageConfigs] = Field(default_factory=list)  # type: ignore[valid-type]
    output: OutputConfig = Field(default_factory=OutputConfig)
    overrides: list[OverridesConfig] = Field(default_factory=list, description="review decisions")
    train: TrainConfig | None = Field(None, description="masked-loss SFT on the curated set")

    @model_validator(mode="after")
    def _stages_fit_together(self) -> PipelineConfig:
        seen: set[str] = set()
        for i, stage in enumerate(self.stages):
            if stage.label in seen:
                raise ValueError(
                    f"stages[{i}]: two stages are named {stage.label!r}; give one a `name`"
                )
            seen.add(stage.label)
            try:
                stage.check_pipeline(self.stages[:i])
            except ValueError as exc:
                raise ValueError(f"stages[{i}] ({stage.label}): {exc}") from None
        return self


@dataclass
class Pipeline:
    """A validated pipeline: config, where it lives, and its resolved input files."""

    config: PipelineConfig
    path: Path | None
    base_dir: Path
    sources: list[SourceFile]
    config_hash: str

    @property
    def output_dir(self) -> Path:
        return (self.base_dir / self.config.run.output).resolve()


def load_pipeline(path: str | Path) -> Pipeline:
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError(f"{path}: no such file") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read: {exc}") from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: invalid TOML: {exc}") from None
    return pipeline_from_dict(data, base_dir=path.parent, path=path, text=text)


def pipeline_from_dict(
    data: dict[str, Any], *, base_dir: Path, path: Path | None = None, text: str = ""
) -> Pipeline:
    where = str(path) if path else "pipeline"
    try:
        config = PipelineConfig.model_validate(data)
    except ValidationError as exc:
        raise ConfigError(_describe(exc, where, text)) from None
    sources = resolve_inputs(config.inputs, base_dir, where, text)
    for i, spec in enumerate(config.overrides):
        if not (base_dir / spec.path).is_file():
            line = _line_of(text, ("overrides", i, "path"))
            raise ConfigError(f"{where}:{line}: overrides[{i}].path: no such file: {spec.path}")
    for i, stage in enumerate(config.stages):
        for key, paths in stage.input_files().items():
            for path in paths:
                if not (base_dir / path).exists():
                    line = _line_of(text, ("stages", i, key))
                    prefix = f"{where}:{line}" if line else where
                    raise ConfigError(f"{prefix}: stages[{i}].{key}: no such file: {path}")
    digest = hashlib.blake2b(config.model_dump_json().encode(), digest_size=8).hexdigest()
    return Pipeline(config, path, base_dir.resolve(), sources, digest)


def resolve_inputs(
    inputs: list[InputConfig], base_dir: Path, where: str = "pipeline", text: str = ""
) -> list[SourceFile]:
    """Expand files, globs and folders; name each file's source; sources must be unique."""
    sources: list[SourceFile] = []
    names: dict[str, int] = {}
    for i, spec in enumerate(inputs):
        fields = FieldNames(spec.prompt_field, spec.response_field, spec.system_field)
        for file, name in _expand(spec, base_dir, i, where, text):
            if name in names:
                line = _line_of(text, ("inputs", i, "source"))
                raise ConfigError(
                    f"{where}:{line}: inputs[{i}].source: {name!r} is already the source of "
                    f"inputs[{names[name]}]; sources must be unique (set `source`)"
                )
            names[name] = i
            display = _display(file, base_dir)
            sources.append(SourceFile(file, display, name, spec.format, spec.license, fields))
    return sources


def _expand(
    spec: InputConfig, base_dir: Path, i: int, where: str, text: str
) -> list[tuple[Path, str]]:
    target = base_dir / spec.path
    line = _line_of(text, ("inputs", i, "path"))
    if any(ch in spec.path for ch in "*?["):
        files = sorted(Path(p) for p in globlib.glob(str(target), recursive=True))
        files = [f for f in files if f.is_file()]
        if not files:
            raise ConfigError(f"{where}:{line}: inputs[{i}].path: no file matches {spec.path!r}")
        return [(f, f"{spec.source}/{f.name}" if spec.source else f.name) for f in files]
    if target.is_dir():
        files = sorted(f for f in target.rglob("*") if f.is_file() and _supported(f))
        if not files:
            raise ConfigError(
                f"{where}:{line}: inputs[{i}].path: folder {spec.path!r} has no input files"
            )
        prefix = spec.source or target.name
        return [(f, f"{prefix}/{f.relative_to(target).as_posix()}") for f in files]
    if not target.exists():
        raise ConfigError(f"{where}:{line}: inputs[{i}].path: no such file: {spec.path}")
    if not _supported(target):
        raise ConfigError(
            f"{where}:{line}: inputs[{i}].path: {spec.path!r} is not one of {', '.join(FILE_TYPES)} (plain or .gz)"
        )
    return [(target, spec.source or target.name)]


def _supported(path: Path) -> bool:
    from curate.io.readers import file_type

    try:
        file_type(path)
    except ValueError:
        return False
    return True


def _display(file: Path, base_dir: Path) -> str:
    try:
        return file.relative_to(base_dir).as_posix()
    except ValueError:
        return str(file)


def _describe(exc: ValidationError, where: str, text: str) -> str:
    """The first validation error as `FILE:LINE: key.path: message`."""
    errors = exc.errors()
    first = errors[0]
    loc = _clean_loc(first["loc"])
    key = ".".join(f"[{p}]" if isinstance(p, int) else str(p) for p in loc).replace(".[", "[")
    message = first["msg"].removeprefix("Value error, ")
    if first["type"] == "extra_forbidden":
        message = "unknown key"
    elif first["type"] == "union_tag_invalid" or (loc[:1] == ("stages",) and loc[-1:] == ("kind",)):
        kind = first["input"].get("kind") if isinstance(first["input"], dict) else first["input"]
        message = f"unknown stage kind {kind!r}; known: {', '.join(STAGES)}"
    line = _line_of(text, loc)
    more = f" (+{len(errors) - 1} more)" if len(errors) > 1 else ""
    prefix = f"{where}:{line}" if line else where
    return f"{prefix}: {key or '(top level)'}: {message}{more}"


def _clean_loc(loc: tuple[Any, ...]) -> tuple[Any, ...]:
    """Drop the discriminator tag pydantic puts after a list index: stages.2.near_dedup.x."""
    out: list[Any] = []
    for i, part in enumerate(loc):
        if isinstance(part, str) and i > 0 and isinstance(loc[i - 1], int) and part in STAGES:
            continue
        out.append(part)
    return tuple(out)


_HEADER = re.compile(r"^\s*(\[\[?)\s*([A-Za-z0-9_.\-\"']+)\s*\]\]?")


def _line_of(text: str, loc: tuple[Any, ...]) -> int | None:
    """The 1-based line in the TOML text where the key `loc` is (or its table starts)."""
    if not text:
        return None
    tables = [p for p in loc if isinstance(p, (str, int))]
    counters: dict[str, int] = {}
    current: tuple[Any, ...] = ()
    table_line: dict[tuple[Any, ...], int] = {(): 1}
    found: int | None = None
    for n, line in enumerate(text.splitlines(), start=1):
        header = _HEADER.match(line)
        if header:
            name = header.group(2).strip("\"'")
            if header.group(1) == "[[":
                counters[name] = counters.get(name, -1) + 1
                current = (name, counters[name])
            else:
                current = tuple(name.split("."))
            table_line.setdefault(current, n)
            continue
        key = re.match(r"^\s*([A-Za-z0-9_\-]+)\s*=", line)
        if key and (*current, key.group(1)) == tuple(tables[: len(current) + 1]):
            found = n
            break
    if found is not None:
        return found
    for size in range(len(tables), -1, -1):
        if tuple(tables[:size]) in table_line:
            return table_line[tuple(tables[:size])]
    return None
