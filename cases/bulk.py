"""Bulk writes for the batch engine on PostgreSQL: COPY for new rows, one UPDATE joined to
unnested arrays for the cases (Django's bulk_create/bulk_update elsewhere)."""

from django.db import connection, connections

from cases.models import Case

# Values of these field types go to psycopg as they are; others through the field's own prep.
PLAIN = {"CharField", "TextField", "DateField", "DateTimeField", "DecimalField", "ForeignKey"}
NEXT_IDS = "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)"


def insert(model, objs: list) -> None:
    """bulk_create, on PostgreSQL by COPY: ids are drawn from the table's sequence first, then
    the rows are streamed (Django's bulk_create prepares and quotes every value in Python)."""
    if connection.vendor != "postgresql" or not objs:
        model.objects.bulk_create(objs)
        return
    db = connections[connection.alias]  # not the proxy: it is asked once per value below
    table, pk = model._meta.db_table, model._meta.pk
    fields = [f for f in model._meta.concrete_fields if f is not pk]
    columns = [[f.pre_save(obj, True) for obj in objs] for f in fields]  # auto_now_add
    for i, f in enumerate(fields):
        if f.get_internal_type() not in PLAIN:
            columns[i] = [f.get_db_prep_save(v, db) for v in columns[i]]
    names = ", ".join(db.ops.quote_name(c) for c in [pk.column, *(f.column for f in fields)])
    with db.cursor() as cursor:
        cursor.execute(NEXT_IDS, [table, pk.column, len(objs)])
        ids = [i for (i,) in cursor.fetchall()]
        copy_sql = f"COPY {table} ({names}) FROM STDIN"
        with db.wrap_database_errors, cursor.cursor.copy(copy_sql) as copy:
            for row in zip(ids, *columns, strict=True):
                copy.write_row(row)
    for obj, obj_id in zip(objs, ids, strict=True):
        obj.pk, obj._state.adding, obj._state.db = obj_id, False, db.alias


# closed_at too: a batch closes cases (a creditor's default decision) through cases.closing.
CASE_FIELDS = ["stage", "stage_since", "next_action_on", "status", "outcome", "closed_at"]
UPDATE_CASES = """UPDATE cases_case AS c SET stage = v.stage, stage_since = v.stage_since,
    next_action_on = v.next_action_on, status = v.status, outcome = v.outcome,
    closed_at = v.closed_at
    FROM unnest(%s::bigint[], %s::text[], %s::date[], %s::date[], %s::text[], %s::text[],
        %s::timestamptz[])
    AS v(id, stage, stage_since, next_action_on, status, outcome, closed_at)
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
