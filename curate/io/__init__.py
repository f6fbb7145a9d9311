"""Reading inputs and writing outputs."""

from curate.io.ingest import Batch, SourceFile, read_records, read_source

__all__ = ["Batch", "SourceFile", "read_records", "read_source"]
