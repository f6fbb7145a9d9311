"""`curate` command line (DESIGN section 5). Exit codes: 0 ok, 2 bad config or input, 1 else.

Errors are one line on stderr; `--debug` adds the traceback. Heavy libraries load only in
the stages and commands that need them.
"""

from __future__ import annotations

import functools
import json
import sys
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer

from curate import __version__
from curate.errors import CurateError

app = typer.Typer(
    name="curate",
    help="Curate small, diverse, honest SFT sets; train on them with a response-only loss.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,  # help texts name TOML tables like [train]: print them as written
)
F = TypeVar("F", bound=Callable[..., Any])


class Options:
    quiet = False
    debug = False


def _version(value: bool) -> None:
    if value:
        print(f"curate {__version__}")
        raise typer.Exit()


@app.callback()
def main_options(
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress or log lines.")] = False,
    debug: Annotated[bool, typer.Option("--debug", help="Show tracebacks on errors.")] = False,
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Print the version.")
    ] = False,
) -> None:
    Options.quiet = quiet
    Options.debug = debug


def handle_errors(command: F) -> F:
    """One clear line on stderr and the documented exit code, instead of a traceback."""

    @functools.wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return command(*args, **kwargs)
        except (typer.Exit, typer.Abort):
            raise
        except CurateError as exc:
            if Options.debug:
                traceback.print_exc()
            print(f"error: {exc}", file=sys.stderr)
            raise typer.Exit(exc.exit_code) from None
        except KeyboardInterrupt:
            print("interrupted", file=sys.stderr)
            raise typer.Exit(130) from None
        except Exception as exc:
            if Options.debug:
                traceback.print_exc()
            print(
                f"error: {type(exc).__name__}: {exc} (run with --debug for the traceback)",
                file=sys.stderr,
            )
            raise typer.Exit(1) from None

    return wrapper  # type: ignore[return-value]


PipelineArg = Annotated[Path, typer.Argument(help="pipeline.toml", show_default=False)]


@app.command()
@handle_errors
def run(
    pipeline: PipelineArg,
    out: Annotated[Path | None, typer.Option(help="Run directory (default: [run].output).")] = None,
    cache: Annotated[
        Path | None, typer.Option(help="Cache directory (default: RUN_DIR/../.cache).")
    ] = None,
    strict: Annotated[bool, typer.Option(help="Stop at the first bad input row (exit 2).")] = False,
    limit: Annotated[
        int | None, typer.Option(help="Read at most N rows of each input file.")
    ] = None,
    train: Annotated[
        bool, typer.Option(help="Train when the pipeline has a [train] table.")
    ] = True,
) -> None:
    """Run the whole pipeline: ingest, stages, outputs; then [train] and compare."""
    from curate.runner import run_pipeline

    summary = run_pipeline(
        pipeline, out=out, cache=cache, strict=strict, limit=limit, quiet=Options.quiet, train=train
    )
    for warning in summary["warnings"]:
        print(f"warning: {warning}", file=sys.stderr)
    if not Options.quiet:
        print(
            f"{summary['input_rows']} rows -> {summary['kept']} kept, {summary['rejected']} rejected "
            f"in {summary['seconds']:.1f}s\noutputs: {summary['output_dir']}"
        )


@app.command()
@handle_errors
def validate(pipeline: PipelineArg) -> None:
    """Check the config and that every input exists; run nothing."""
    from curate.config import load_pipeline

    loaded = load_pipeline(pipeline)
    if not Options.quiet:
        stages = " -> ".join(s.label for s in loaded.config.stages) or "(no stages)"
        print(f"ok: {len(loaded.sources)} input file(s); stages: {stages}")


@app.command()
@handle_errors
def inspect(
    file: Annotated[Path, typer.Argument(help="An input file.", show_default=False)],
    format: Annotated[
        str, typer.Option(help="auto | alpaca | sharegpt | messages | prompt_response")
    ] = "auto",
) -> None:
    """Format, rows, bad rows and length stats of one input file."""
    from curate.inspect import inspect_file

    print(json.dumps(inspect_file(file, format=format), indent=2, ensure_ascii=False))


@app.command()
@handle_errors
def schema(
    out: Annotated[Path, typer.Option(help="Folder for the JSON Schemas.")] = Path("schemas"),
) -> None:
    """Write the JSON Schemas of pipeline.toml, the record and the ledger."""
    from curate.schemas import write_schemas

    for path in write_schemas(out):
        if not Options.quiet:
            print(path)


@app.command()
@handle_errors
def report(
    run_dir: Annotated[Path, typer.Argument(help="A run's output folder.", show_default=False)],
) -> None:
    """(Re)build summary.md (and report.html) from a run's outputs."""
    from curate.report.build import rebuild

    for path in rebuild(run_dir):
        if not Options.quiet:
            print(path)


def _register_training_commands() -> None:
    from curate.train.cli import compare_command, train_command

    app.command("train")(handle_errors(train_command))
    app.command("compare")(handle_errors(compare_command))


_register_training_commands()


def main() -> None:
    app()
