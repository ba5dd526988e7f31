"""`--catalogue FILE` for the commands that check or draft against a catalogue (`export`,
`check-plan`, `rollover`, `check-citations`, `findings`, `harvest-citations`,
`import-catalogue`): the file is read by the same reader as `check-catalogue`
(`planner.catalogue.files.read_table` with `planner.text.decode`), so every command accepts
the same encodings (UTF-8 with or without BOM, UTF-16, Windows-1258, …), delimiters and
XLSX; without the option, the shipped catalogue.
"""

from __future__ import annotations

from pathlib import Path

from planner.catalogue.files import read_table
from planner.catalogue.model import Catalogue
from planner.errors import CatalogueError, os_error_text

CLI_MAX_BYTES = 200 * 1024 * 1024  # as `check-catalogue` on the command line
CLI_MAX_ROWS = 500_000
NEEDED = ("id", "symbol", "title")


def read_catalogue(path: str | Path | None) -> Catalogue:
    """The catalogue in `path` (any form `check-catalogue` reads), or the shipped one."""
    if path is None:
        from planner.catalogue.user_rows import SHIPPED_CSV

        return Catalogue.from_csv(SHIPPED_CSV)
    p = Path(path)
    try:
        data = p.read_bytes()
    except OSError as err:
        raise CatalogueError(
            f"Không đọc được danh mục văn bản “{p.name}”: {os_error_text(err)}."
        ) from None
    table = read_table(data, p.name, max_bytes=CLI_MAX_BYTES, max_rows=CLI_MAX_ROWS)
    missing = [c for c in NEEDED if c not in table.headers]
    if missing:
        raise CatalogueError(f"Danh mục văn bản “{p.name}” thiếu cột: {', '.join(missing)}.")
    rows = [dict(zip(table.headers, row, strict=False)) for row in table.rows]
    return Catalogue.from_rows(rows, source=p.name)
