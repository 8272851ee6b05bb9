"""Plain statements for the two hot paths, webhook intake and the inbox drain.

Both run the same few statements thousands of times with many parameters, so they skip the
ORM's query building and, on PostgreSQL, let the server bind the parameters.
"""

from django.db import DEFAULT_DB_ALIAS, connections
from psycopg import Cursor as ServerBindingCursor


def server_bound_cursor(connection=None):
    """A Django cursor (error mapping, query log) for statements that run again and again.

    On PostgreSQL the server binds the parameters: values travel beside the SQL text instead of
    being escaped into it (a webhook body, a parcel's raw JSON), and psycopg prepares a
    statement once it has run a few times, so the server stops parsing and planning it. Other
    databases get Django's own cursor."""
    connection = connection or connections[DEFAULT_DB_ALIAS]
    if connection.vendor != "postgresql":
        return connection.cursor()
    connection.ensure_connection()
    with connection.wrap_database_errors:
        cursor = ServerBindingCursor(connection.connection)
    return connection._prepare_cursor(cursor)


def rows_update(objects: list, field_names: list[str] | None = None) -> None:
    """Save many model instances of one model with one UPDATE statement sent for all of them
    (executemany: psycopg pipelines it): what `save()` each would write, without compiling a
    query per row or the CASE expressions of `bulk_update`."""
    if not objects:
        return
    connection = connections[DEFAULT_DB_ALIAS]
    meta = type(objects[0])._meta
    fields = [
        f
        for f in meta.concrete_fields
        if not f.primary_key and (field_names is None or f.name in field_names)
    ]
    quote = connection.ops.quote_name
    sql = "UPDATE {} SET {} WHERE {} = %s".format(
        quote(meta.db_table),
        ", ".join(f"{quote(f.column)} = %s" for f in fields),
        quote(meta.pk.column),
    )
    params = [
        [f.get_db_prep_save(f.pre_save(obj, False), connection) for f in fields] + [obj.pk]
        for obj in objects
    ]
    with server_bound_cursor(connection) as cursor:
        cursor.executemany(sql, params)


def rows_insert_new(objects: list, unique: tuple[str, ...]) -> set[tuple]:
    """INSERT new instances of one model, skipping any whose `unique` key another writer stored
    meanwhile; sets the primary key of those inserted and returns their keys."""
    if not objects:
        return set()
    connection = connections[DEFAULT_DB_ALIAS]
    meta = type(objects[0])._meta
    fields = [f for f in meta.concrete_fields if not f.primary_key]
    keys = [meta.get_field(name) for name in unique]
    quote = connection.ops.quote_name
    row = "({})".format(", ".join(["%s"] * len(fields)))
    statement = (
        "INSERT INTO {} ({}) VALUES {{}} ON CONFLICT ({}) DO NOTHING RETURNING {}, {}".format(
            quote(meta.db_table),
            ", ".join(quote(f.column) for f in fields),
            ", ".join(quote(f.column) for f in keys),
            quote(meta.pk.column),
            ", ".join(quote(f.column) for f in keys),
        )
    )
    params = [
        [f.get_db_prep_save(f.pre_save(obj, True), connection) for f in fields] for obj in objects
    ]
    returned = []
    with server_bound_cursor(connection) as cursor:
        if connection.vendor == "postgresql":
            # One prepared single-row statement for all rows, pipelined, each returning its row
            # (a many-row VALUES text is too long for psycopg to cache or prepare). Django's
            # wrapper has no `returning`, so its error mapping is applied here.
            with connection.wrap_database_errors:
                cursor.cursor.executemany(statement.format(row), params, returning=True)
                while True:
                    returned += cursor.cursor.fetchall()
                    if not cursor.cursor.nextset():
                        break
        else:
            cursor.execute(statement.format(", ".join([row] * len(objects))), sum(params, []))
            returned = cursor.fetchall()
    by_key = {tuple(getattr(obj, f.attname) for f in keys): obj for obj in objects}
    for pk, *key in returned:
        obj = by_key[tuple(key)]
        obj.pk, obj._state.adding, obj._state.db = pk, False, connection.alias
    return {tuple(key) for _pk, *key in returned}
