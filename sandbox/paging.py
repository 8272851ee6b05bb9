"""Opaque cursors (base64 of ``p=<position>`` / ``r=1&p=<position>``, or ``o=<offset>`` for
lists sorted by other fields) and their pages."""

import base64
import binascii
from urllib.parse import parse_qs, urlencode


class InvalidCursor(Exception):
    pass


def encode_cursor(position: int, reverse: bool = False) -> str:
    text = f"r=1&p={position}" if reverse else f"p={position}"
    return base64.b64encode(text.encode()).decode()


def decode_cursor(cursor: str) -> tuple[int, bool]:
    try:
        text = base64.b64decode(cursor.encode(), validate=True).decode()
        fields = parse_qs(text, strict_parsing=True)
        position = int(fields["p"][0])
        reverse = fields.get("r", ["0"])[0] == "1"
    except (binascii.Error, UnicodeDecodeError, ValueError, KeyError):
        raise InvalidCursor(cursor) from None
    return position, reverse


class Page:
    def __init__(self, rows, next_position, previous_position):
        self.rows = rows
        self.next = None if next_position is None else encode_cursor(next_position)
        self.previous = (
            None if previous_position is None else encode_cursor(previous_position, True)
        )


def keyset(conn, select, where, params, key, size, cursor, key_index=0, descending=True):
    """Rows ordered by ``key`` (descending by default), ``size`` per page, after the cursor.

    ``select`` is ``SELECT … FROM …``; ``where`` a list of SQL conditions; the row's key value
    is at ``key_index``. Raises InvalidCursor.
    """
    position, reverse = decode_cursor(cursor) if cursor else (None, False)
    conditions = list(where)
    args = list(params)
    if position is not None:
        after = reverse == descending  # walking towards larger keys
        conditions.append(f"{key} {'>' if after else '<'} ?")
        args.append(position)
    sql = select
    if conditions:
        sql += " WHERE " + " AND ".join(conditions)
    ascending = reverse == descending
    sql += f" ORDER BY {key} {'ASC' if ascending else 'DESC'} LIMIT ?"
    args.append(size + 1)
    rows = conn.execute(sql, args).fetchall()
    more = len(rows) > size
    rows = rows[:size]
    if reverse:
        rows.reverse()
        nxt = rows[-1][key_index] if rows else position
        prev = rows[0][key_index] if more and rows else None
        return Page(rows, nxt, prev)
    nxt = rows[-1][key_index] if more else None
    prev = rows[0][key_index] if position is not None and rows else None
    return Page(rows, nxt, prev)


def decode_offset(cursor: str) -> int:
    try:
        text = base64.b64decode(cursor.encode(), validate=True).decode()
        offset = int(parse_qs(text, strict_parsing=True)["o"][0])
    except (binascii.Error, UnicodeDecodeError, ValueError, KeyError):
        raise InvalidCursor(cursor) from None
    if offset < 0:
        raise InvalidCursor(cursor)
    return offset


class OffsetPage:
    """A page of a list sorted by something other than its key: cursors carry ``o=<offset>``."""

    def __init__(self, rows, offset, size, more):
        self.rows = rows
        self.next = _b64(f"o={offset + size}") if more else None
        self.previous = _b64(f"o={max(0, offset - size)}") if offset > 0 else None


def _b64(text: str) -> str:
    return base64.b64encode(text.encode()).decode()


def offset_page(conn, select, where, params, order_by, size, cursor) -> OffsetPage:
    """Rows in ``order_by`` (a list of SQL terms), ``size`` per page. Raises InvalidCursor."""
    offset = decode_offset(cursor) if cursor else 0
    sql = select
    if where:
        sql += " WHERE " + " AND ".join(where)
    sql += f" ORDER BY {', '.join(order_by)} LIMIT ? OFFSET ?"
    rows = conn.execute(sql, [*params, size + 1, offset]).fetchall()
    return OffsetPage(rows[:size], offset, size, len(rows) > size)


def page_link(url: str, args, cursor: str, cursor_first: bool = False) -> str:
    """``url`` with the original filters plus ``cursor`` (percent-encoded)."""
    query = [(k, v) for k, v in args.items() if k != "cursor"]
    if cursor_first:
        query.insert(0, ("cursor", cursor))
    else:
        query.append(("cursor", cursor))
    return f"{url}?{urlencode(query)}"
