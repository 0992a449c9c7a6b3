"""Files people write: contracts as TOML, placements, labour hours and period reports as CSV.

- `procure.formats.contract_toml`: `load_contract`, `load_contract_file`, `dump_contract`
- `procure.formats.records_csv`: `read_placements`, `read_labour_hours`,
  `read_period_reports` and the matching writers
- `procure.formats.errors`: `InputError`, `InputErrors` (every problem of a file at once)
"""

from procure.formats.errors import InputError, InputErrors

__all__ = ["InputError", "InputErrors"]
