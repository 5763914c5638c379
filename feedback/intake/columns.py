"""Which column of a file feeds which field: pure, no ORM.

`column_plan` matches the file's columns to the fields of DESIGN.md
(case-insensitively, through an optional mapping); `parse_mapping_args` reads
the command line's `COLUMN=FIELD` pairs. `constants_check` and
`with_constants` give a field one value for every row (`created=import_date`
among them), `dates_note` says so when the dates are not the customers' own.
"""

from dataclasses import dataclass, field

import pandas as pd

from feedback.intake.dates import parse_dates
from feedback.intake.fields import (
    CHANNEL_ALIASES,
    CHANNELS,
    EXTRA,
    FIELDS,
    IGNORE,
    REQUIRED,
    SCORE_TYPE_ALIASES,
    SCORE_TYPES,
    normalise_name,
)


@dataclass
class ColumnPlan:
    columns: dict[str, str]  # field -> column of the file
    constants: dict[str, str]  # field -> value given in the mapping ("=value")
    extra: list[str]  # columns kept in `extra`
    ignored: list[str]
    errors: list[dict] = field(default_factory=list)

    def label(self, name: str) -> str:
        """What to call a field in an error: the file's column when it has one."""
        return self.columns.get(name, name)


def parse_mapping_args(pairs: list[str]) -> dict[str, str]:
    """`["Review Text=text", "=review=channel"]` -> mapping dict.

    The last `=` splits, so a column (or a `=value` constant) may hold one.
    """
    mapping = {}
    for pair in pairs:
        column, sep, target = pair.rpartition("=")
        if not sep or not column or not target:
            raise ValueError(f"mapping {pair!r} is not column=field")
        mapping[column] = target.strip()
    return mapping


def column_plan(
    columns: list[str], mapping: dict[str, str] | None = None
) -> ColumnPlan:
    """Decide which column feeds which field.

    `mapping` maps a column (matched case-insensitively) to a field, to `extra`
    or to `ignore`; a key starting with `=` is a constant for every row
    (`{"=review": "channel"}`). Columns not mapped whose name is a field's name
    feed that field; the rest go to `extra`.
    """
    mapping = mapping or {}
    by_lower = {}
    for column in columns:
        by_lower.setdefault(str(column).strip().lower(), column)
    plan = ColumnPlan(columns={}, constants={}, extra=[], ignored=[])
    taken: set[str] = set()
    for key, target in mapping.items():
        target = normalise_name(target) if target else IGNORE
        if target in ("", "-", "none", "skip"):
            target = IGNORE
        if target not in FIELDS and target not in (EXTRA, IGNORE):
            plan.errors.append(
                {
                    "line": 1,
                    "field": key,
                    "message": f"'{target}' is not a field; use one of "
                    + ", ".join(FIELDS)
                    + ", extra or ignore",
                }
            )
            continue
        if key.startswith("="):
            if target in (EXTRA, IGNORE):
                continue
            plan.constants[target] = key[1:]
            continue
        column = by_lower.get(key.strip().lower())
        if column is None:
            plan.errors.append(
                {"line": 1, "field": key, "message": "no such column in the file"}
            )
            continue
        taken.add(column)
        if target == IGNORE:
            plan.ignored.append(column)
        elif target == EXTRA:
            plan.extra.append(column)
        elif target in plan.columns or target in plan.constants:
            plan.errors.append(
                {
                    "line": 1,
                    "field": key,
                    "message": f"{target} is mapped from two columns",
                }
            )
        else:
            plan.columns[target] = column
    for column in columns:
        if column in taken:
            continue
        name = normalise_name(column)
        if name in FIELDS and name not in plan.columns and name not in plan.constants:
            plan.columns[name] = column
        else:
            plan.extra.append(column)
    for name in REQUIRED:
        if name not in plan.columns and name not in plan.constants:
            plan.errors.append(
                {
                    "line": 1,
                    "field": name,
                    "message": f"no column gives the required field {name}; map one",
                }
            )
    return plan


IMPORT_DATE = "import_date"
# Fields a whole file may share; the text is each row's own.
CONSTANT_FIELDS = tuple(name for name in FIELDS if name != "text")


def constants_check(constants: dict[str, str]) -> dict[str, str]:
    """Check `{"field": "value"}` given for every row; return them cleaned.

    `created` takes `import_date` or an ISO date; `channel` and `score_type`
    take the words the columns take. Raises `ValueError` naming the problem.
    """
    cleaned = {}
    for name, value in (constants or {}).items():
        name, value = normalise_name(name), str(value).strip()
        if name not in CONSTANT_FIELDS:
            raise ValueError(
                f"'{name}' cannot be a constant; use one of "
                + ", ".join(CONSTANT_FIELDS)
            )
        if not value:
            continue
        if name == "created" and value.lower() == IMPORT_DATE:
            value = IMPORT_DATE
        elif name == "created" and parse_dates(pd.Series([value])).isna().iloc[0]:
            raise ValueError(
                f"created: '{value}' is not an ISO date; give one such as "
                "2024-01-31, or import_date"
            )
        if name == "channel":
            value = CHANNEL_ALIASES.get(value.lower(), value.lower())
            if value not in CHANNELS:
                raise ValueError(
                    f"channel: '{value}' is not one of " + ", ".join(CHANNELS)
                )
        if name == "score_type":
            value = SCORE_TYPE_ALIASES.get(value.lower(), value.lower())
            if value not in SCORE_TYPES:
                raise ValueError(
                    f"score_type: '{value}' is not one of " + ", ".join(SCORE_TYPES)
                )
        cleaned[name] = value
    return cleaned


def with_constants(
    mapping: dict[str, str], constants: dict[str, str], *, import_date: str = ""
) -> dict[str, str]:
    """The mapping with each constant as a `=value` key; a constant replaces
    a column mapped to the same field. `import_date` (ISO) stands in for
    `created=import_date`."""
    if not constants:
        return dict(mapping)
    taken = set(constants)
    merged = {
        column: target
        for column, target in mapping.items()
        if normalise_name(target) not in taken
    }
    for name, value in constants.items():
        if name == "created" and value == IMPORT_DATE:
            value = import_date
        merged[f"={value}"] = name
    return merged


def dates_note(constants: dict[str, str], *, import_date: str) -> str:
    """What a reader must know when the dates are not the customers' own."""
    value = (constants or {}).get("created", "")
    if value == IMPORT_DATE:
        return (
            f"The file has no dates: every item is dated {import_date}, the day "
            "it was imported, not when the customer wrote it."
        )
    if value:
        return (
            f"Every item is dated {value}, a date given for the whole file, "
            "not when each customer wrote it."
        )
    return ""
