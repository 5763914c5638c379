"""Which column of a file feeds which field: pure, no ORM.

`column_plan` matches the file's columns to the fields of DESIGN.md
(case-insensitively, through an optional mapping); `parse_mapping_args` reads
the command line's `COLUMN=FIELD` pairs.
"""

from dataclasses import dataclass, field

from feedback.intake.fields import EXTRA, FIELDS, IGNORE, REQUIRED, normalise_name


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
