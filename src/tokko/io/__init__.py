"""Files in and out: declaration files, agreements, indices, tables, and safe outputs."""

from tokko.io.inputs import read_agreements_file, read_declaration_file, read_indices_file
from tokko.io.paths import check_outputs
from tokko.io.table import Table, open_table

__all__ = [
    "Table",
    "check_outputs",
    "open_table",
    "read_agreements_file",
    "read_declaration_file",
    "read_indices_file",
]
