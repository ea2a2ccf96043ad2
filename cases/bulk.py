"""Bulk writes on PostgreSQL, for the batch engine and the import: COPY for new rows, COPY into a
staging table and one INSERT ... ON CONFLICT for upserts, one UPDATE joined to unnested arrays
for the cases (Django's bulk_create/bulk_update elsewhere)."""

import functools

from django.core.validators import MaxLengthValidator
from django.db import connection, connections, models, transaction
from django.db.models import Field

from cases.models import Case
from nordic.money import MAX_AMOUNT, AmountError, check_bounds

# Values of these field types go to psycopg as they are; others through the field's own prep.
PLAIN = {
    "CharField", "TextField", "DateField", "DateTimeField", "DecimalField", "ForeignKey",
    "BigAutoField", "AutoField", "BooleanField", "IntegerField", "BigIntegerField",
    "PositiveIntegerField", "PositiveSmallIntegerField", "SmallIntegerField",
}  # fmt: skip
NEXT_IDS = "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)"


def next_ids(model, n: int) -> list[int]:
    """N fresh primary keys from the table's sequence (PostgreSQL)."""
    with connection.cursor() as cursor:
        cursor.execute(NEXT_IDS, [model._meta.db_table, model._meta.pk.column, n])
        return [i for (i,) in cursor.fetchall()]


def copy_rows(model, columns: list[str], rows: list[tuple], table: str | None = None) -> None:
    """Write rows (tuples of values in `columns`, by attname) as they are: on PostgreSQL by COPY
    (values of field types outside PLAIN through the field's own prep), elsewhere bulk_create.
    No field's pre_save runs: auto_now(_add) values must be in the rows."""
    if not rows:
        return
    if connection.vendor != "postgresql":
        model.objects.bulk_create(model(**dict(zip(columns, row, strict=True))) for row in rows)
        return
    db = connections[connection.alias]  # not the proxy: it is asked once per value below
    fields = {f.attname: f for f in model._meta.concrete_fields}
    prep = [
        (i, fields[c]) for i, c in enumerate(columns) if fields[c].get_internal_type() not in PLAIN
    ]
    names = ", ".join(db.ops.quote_name(fields[c].column) for c in columns)
    with db.cursor() as cursor:
        copy_sql = f"COPY {table or model._meta.db_table} ({names}) FROM STDIN"
        with db.wrap_database_errors, cursor.cursor.copy(copy_sql) as copy:
            for row in rows:
                if prep:
                    row = list(row)
                    for i, f in prep:
                        row[i] = f.get_db_prep_save(row[i], db)
                copy.write_row(row)


def insert(model, objs: list) -> None:
    """bulk_create, on PostgreSQL by COPY: ids are drawn from the table's sequence first, then
    the rows are streamed (Django's bulk_create prepares and quotes every value in Python)."""
    if connection.vendor != "postgresql" or not objs:
        model.objects.bulk_create(objs)
        return
    pk = model._meta.pk
    fields = [f for f in model._meta.concrete_fields if f is not pk]
    columns = [[f.pre_save(obj, True) for obj in objs] for f in fields]  # auto_now_add
    ids = next_ids(model, len(objs))
    copy_rows(
        model, [pk.attname, *(f.attname for f in fields)], list(zip(ids, *columns, strict=True))
    )
    for obj, obj_id in zip(objs, ids, strict=True):
        obj.pk, obj._state.adding, obj._state.db = obj_id, False, connection.alias


def upsert(
    model,
    columns: list[str],
    rows: list[tuple],
    *,
    conflict: tuple[str, str] = ("creditor_id", "erp_id"),
    unless_set: str | None = None,
) -> dict:
    """Insert or update rows (tuples of values in `columns`) on the unique `conflict` columns;
    returns {second conflict column's value: pk}. On PostgreSQL: COPY into a staging table, then
    one INSERT ... ON CONFLICT DO UPDATE (54 000 rows/s where update_or_create did a few
    hundred); elsewhere bulk_create(update_conflicts=True) and one SELECT of the ids.
    `unless_set`: a column that, once set on the stored row, keeps the row as it is (and its id
    out of the answer), e.g. an invoice already in a case. Rows must not repeat a key."""
    if not rows:
        return {}
    scope, key = conflict
    k = columns.index(key)
    fields = {f.attname: f for f in model._meta.concrete_fields}
    if connection.vendor != "postgresql":
        scopes = {row[columns.index(scope)] for row in rows}
        stored = model.objects.filter(**{f"{scope}__in": scopes})
        if unless_set:
            kept = stored.filter(**{f"{key}__in": [r[k] for r in rows]}).exclude(
                **{f"{unless_set}__isnull": True}
            )
            kept = set(kept.values_list(key, flat=True))
            rows = [r for r in rows if r[k] not in kept]
        model.objects.bulk_create(
            [model(**dict(zip(columns, row, strict=True))) for row in rows],
            update_conflicts=True,
            unique_fields=[fields[c].name for c in conflict],
            update_fields=[fields[c].name for c in columns if c not in conflict],
        )
        found = stored.filter(**{f"{key}__in": [r[k] for r in rows]})
        return dict(found.values_list(key, "pk"))
    table = model._meta.db_table
    stage = f"stage_{table}"
    q = connection.ops.quote_name
    cols = ", ".join(q(fields[c].column) for c in columns)
    sets = ", ".join(
        f"{q(fields[c].column)} = EXCLUDED.{q(fields[c].column)}"
        for c in columns
        if c not in conflict
    )
    guard = f" WHERE {table}.{q(fields[unless_set].column)} IS NULL" if unless_set else ""
    target = ", ".join(q(fields[c].column) for c in conflict)
    with transaction.atomic(savepoint=False), connection.cursor() as cursor:
        # Dropped at commit; one per table and transaction, emptied by the INSERT below.
        cursor.execute(
            f"CREATE TEMP TABLE IF NOT EXISTS {stage} ON COMMIT DROP AS "
            f"SELECT {cols} FROM {table} WITH NO DATA"
        )
        copy_rows(model, columns, rows, table=stage)
        cursor.execute(
            f"WITH staged AS (DELETE FROM {stage} RETURNING {cols}) "
            f"INSERT INTO {table} ({cols}) SELECT {cols} FROM staged "
            f"ON CONFLICT ({target}) DO UPDATE SET {sets}{guard} "
            f"RETURNING {q(fields[key].column)}, id"
        )
        return dict(cursor.fetchall())


def misfits(model, columns: list[str], row: tuple) -> dict[str, list[str]]:
    """What full_clean would say about a row (values in `columns`, by attname), without building
    the model: lengths, blanks, NUL characters, choices and amount bounds, so that a bulk write
    meets no DataError on PostgreSQL and no oversized row on SQLite. Empty when it fits."""
    texts, amounts = _checks(model, tuple(columns))
    errors: dict[str, list[str]] = {}
    for i, name in amounts:
        if row[i] is not None and abs(row[i]) > MAX_AMOUNT:
            try:
                check_bounds(row[i])
            except AmountError as exc:
                errors[name] = [str(exc)]
    for i, name, limit, blank, choices in texts:
        value = row[i]
        if not value:
            if not blank:
                errors[name] = [str(Field.default_error_messages["blank"])]
        elif limit is not None and len(value) > limit:
            message = MaxLengthValidator.message % {"limit_value": limit, "show_value": len(value)}
            errors[name] = [str(message)]
        elif "\x00" in value:  # PostgreSQL takes no NUL in text; SQLite would
            errors[name] = ["Null characters are not allowed."]
        elif choices is not None and value not in choices:
            errors[name] = [str(Field.default_error_messages["invalid_choice"] % {"value": value})]
    return errors


@functools.cache
def _checks(model, columns: tuple[str, ...]) -> tuple[list, list]:
    fields = {f.attname: f for f in model._meta.concrete_fields}
    texts, amounts = [], []
    for i, column in enumerate(columns):
        f = fields[column]
        if isinstance(f, models.DecimalField):
            amounts.append((i, f.name))
        elif isinstance(f, (models.CharField, models.TextField)):
            choices = frozenset(str(v) for v, _ in f.choices) if f.choices else None
            texts.append((i, f.name, getattr(f, "max_length", None), f.blank, choices))
    return texts, amounts


# closed_at too: a batch closes cases (a creditor's default decision) through cases.closing;
# outstanding as the batch's ledger entries moved it (cases.ledger.entries_post).
CASE_FIELDS = [
    "stage", "stage_since", "next_action_on", "status", "outcome", "closed_at", "outstanding",
    "decision_deadline",
]  # fmt: skip
UPDATE_CASES = """UPDATE cases_case AS c SET stage = v.stage, stage_since = v.stage_since,
    next_action_on = v.next_action_on, status = v.status, outcome = v.outcome,
    closed_at = v.closed_at, outstanding = v.outstanding, decision_deadline = v.decision_deadline
    FROM unnest(%s::bigint[], %s::text[], %s::date[], %s::date[], %s::text[], %s::text[],
        %s::timestamptz[], %s::numeric[], %s::date[])
    AS v(id, stage, stage_since, next_action_on, status, outcome, closed_at, outstanding,
        decision_deadline)
    WHERE c.id = v.id"""


def update_cases(cases: list[Case]) -> None:
    """bulk_update of the planned fields; on PostgreSQL one UPDATE joined to unnested arrays
    (bulk_update's CASE WHEN per row and field cost more than planning the whole batch)."""
    if connection.vendor != "postgresql":
        Case.objects.bulk_update(cases, CASE_FIELDS)
        return
    columns = [[c.pk for c in cases]] + [[getattr(c, f) for c in cases] for f in CASE_FIELDS]
    with connection.cursor() as cursor:
        cursor.execute(UPDATE_CASES, columns)
