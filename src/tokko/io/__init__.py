"""Files in and out: declaration files, agreements, tables, and safe CSV/XLSX output."""

from tokko.io.inputs import agreement_errors, read_agreements, read_declaration_file
from tokko.io.table import Table, open_table

__all__ = ["Table", "agreement_errors", "open_table", "read_agreements", "read_declaration_file"]
