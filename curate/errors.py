"""Errors the CLI turns into one clear line on stderr and an exit code."""

from __future__ import annotations


class CurateError(Exception):
    """Anything the user can fix: bad config, bad input. Exit code 2."""

    exit_code = 2


class ConfigError(CurateError):
    """pipeline.toml is wrong; raised before any work starts."""


class InputError(CurateError):
    """An input file is missing, unreadable, or (with --strict) holds a bad row."""
