"""Where a table or key of a TOML document is, by line, for error messages.

`tomllib` gives values but no positions, so the text is scanned once for table headers
and `key =` lines. This is a heuristic (a multi-line string can hide a line that looks
like a key), which is good enough to point a person at the right place.
"""

from __future__ import annotations

import re

_HEADER = re.compile(r"\s*(\[\[?)\s*([^\[\]]+?)\s*\]\]?\s*(?:#.*)?$")
_KEY = re.compile(r"""\s*(?:"([^"]*)"|'([^']*)'|([A-Za-z0-9_-]+))\s*[.=]""")
_TRIPLE_QUOTES = re.compile(r'"""|\'\'\'')
_TOP = ""


class TomlLines:
    """Line numbers (1-based) of tables and keys: `line("clause", 2, "target")`.

    Arrays of tables are numbered from 0 in the order they appear, as `tomllib` lists
    them. Keys of a sub-table (`[clause.penalty]`) are found under the key `penalty`.
    """

    def __init__(self, text: str):
        self._tables: dict[tuple[str, int | None], int] = {}
        self._keys: dict[tuple[str, int | None, str], int] = {}
        counts: dict[str, int] = {}
        table, index = _TOP, None
        in_multiline = False
        for number, line in enumerate(text.splitlines(), start=1):
            quotes = len(_TRIPLE_QUOTES.findall(line))
            if in_multiline:
                in_multiline = quotes % 2 == 0
                continue
            header = _HEADER.match(line)
            if header is not None and not line.lstrip().startswith("#"):
                parts = [part.strip().strip("\"'") for part in header.group(2).split(".")]
                if header.group(1) == "[[" and len(parts) == 1:
                    table = parts[0]
                    index = counts.get(table, 0)
                    counts[table] = index + 1
                    self._tables.setdefault((table, index), number)
                elif len(parts) == 1:
                    table, index = parts[0], None
                    self._tables.setdefault((table, None), number)
                else:
                    # [clause.penalty] belongs to the latest [[clause]]; [contract.buyer] to [contract].
                    table = parts[0]
                    index = counts[table] - 1 if table in counts else None
                    self._keys.setdefault((table, index, parts[1]), number)
                    table = f"{table}.{parts[1]}"
                continue
            key = _KEY.match(line)
            if key is not None:
                name = next(group for group in key.groups() if group is not None)
                self._keys.setdefault((table, index, name), number)
            in_multiline = quotes % 2 == 1

    def line(self, table: str, index: int | None = None, key: str | None = None) -> int | None:
        """The line of `key` in the table, else of the table's header, else None."""
        if key is not None and (table, index, key) in self._keys:
            return self._keys[(table, index, key)]
        return self._tables.get((table, index))
