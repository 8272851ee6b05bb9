"""The date formats of the Sendcloud API; each object family uses its own (reference §3.2)."""

from datetime import UTC, datetime, timedelta

try:
    from zoneinfo import ZoneInfo

    PANEL_TZ = ZoneInfo("Europe/Amsterdam")
except Exception:  # no tz database: offsets become +00:00, still valid ISO 8601
    PANEL_TZ = UTC


def _dt(ts: float) -> datetime:
    return datetime.fromtimestamp(ts, UTC)


def v2_datetime(ts: float | None) -> str | None:
    """Parcels and invoices: ``DD-MM-YYYY HH:MM:SS``, UTC, no zone."""
    return None if ts is None else _dt(ts).strftime("%d-%m-%Y %H:%M:%S")


def user_datetime(ts: float) -> str:
    """``GET /user`` ``registered``: ``YYYY-MM-DD HH:MM:SS``."""
    return _dt(ts).strftime("%Y-%m-%d %H:%M:%S")


def iso_local(ts: float | None) -> str | None:
    """v2 integrations, returns: ISO 8601 with microseconds and the panel's offset."""
    if ts is None:
        return None
    return _dt(ts).astimezone(PANEL_TZ).isoformat(timespec="microseconds")


def iso_z(ts: float | None, micro: bool = True) -> str | None:
    """v3 shipments (microseconds) and integrations (seconds): UTC with ``Z``."""
    if ts is None:
        return None
    spec = "microseconds" if micro else "seconds"
    return _dt(ts).isoformat(timespec=spec).replace("+00:00", "Z")


def iso_utc(ts: float | None) -> str | None:
    """v3 orders: ISO 8601 with microseconds and ``+00:00``."""
    return None if ts is None else _dt(ts).isoformat(timespec="microseconds")


def epoch_ms(ts: float | None) -> int | None:
    return None if ts is None else int(round(ts * 1000))


def parse_iso(value: str) -> float | None:
    """An ISO 8601 query value (``+`` may arrive decoded as a space) → epoch; None if invalid."""
    text = value.strip()
    if " " in text and "T" in text:
        text = text.replace(" ", "+")  # an unencoded "+00:00" arrives as " 00:00"
    text = text.replace("Z", "+00:00")
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        return None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    return parsed.timestamp()


def parse_plain(value: str) -> float | None:
    """``YYYY-MM-DD HH:MM:SS`` or ``YYYY-MM-DD`` (v3 returns filters), read as UTC."""
    for fmt in ("%Y-%m-%d %H:%M:%S", "%Y-%m-%d"):
        try:
            return datetime.strptime(value.strip(), fmt).replace(tzinfo=UTC).timestamp()
        except ValueError:
            continue
    return parse_iso(value)


def midnight(ts: float) -> float:
    day = _dt(ts).replace(hour=0, minute=0, second=0, microsecond=0)
    return day.timestamp()


def days(n: float) -> float:
    return timedelta(days=n).total_seconds()
