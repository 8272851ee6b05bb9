"""Numbers as a person in the reader's language writes them: "1.800,01 €", "16,229 kg", "0,8 s".

Django formats numbers in templates by the active language but groups thousands only with
USE_THOUSAND_SEPARATOR, which would also split ids ("700.052"). These helpers group where a
quantity is shown and leave ids alone.
"""

from __future__ import annotations

import ast
import re
from datetime import timedelta
from decimal import Decimal, InvalidOperation
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from django.utils import formats, timezone
from django.utils.timesince import timesince
from django.utils.translation import get_language
from django.utils.translation import gettext as _

CURRENCY_SIGNS = {"EUR": "€", "GBP": "£", "USD": "$", "CHF": "CHF"}


def _decimal(value) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        return Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None


def number(value, places: int | None = None) -> str:
    """A number with the language's decimal mark and thousands grouping."""
    amount = _decimal(value)
    if amount is None:
        return ""
    if places is None:
        text = format(amount.normalize(), "f")
        places = len(text.split(".")[1]) if "." in text else 0
    return formats.number_format(amount, places, use_l10n=True, force_grouping=True)


def money(value, currency: str = "EUR") -> str:
    """An amount with two decimals and its currency: "1.800,01 €" / "€1,800.01"."""
    text = number(value, 2)
    if not text:
        return ""
    sign = CURRENCY_SIGNS.get((currency or "EUR").upper(), currency or "")
    if (get_language() or "de").startswith("en"):
        return f"{sign}{text}" if len(sign) == 1 else f"{sign} {text}"
    return f"{text} {sign}"


def weight_kg(value) -> str:
    """A weight in kilograms, as precise as stored: "16,229 kg", "31,5 kg"."""
    text = number(value)
    return f"{text} kg" if text else ""


def weight_range_kg(low, high) -> str:
    """A weight range: "0,001–31,5 kg"; an open end is a dash."""
    if low in (None, "") and high in (None, ""):
        return "–"
    return f"{number(low) or '–'}–{number(high) or '–'} kg"


def seconds(value) -> str:
    """A duration in seconds with one decimal ("0,8 s"), or minutes and seconds when long."""
    if isinstance(value, timedelta):
        value = value.total_seconds()
    amount = _decimal(value)
    if amount is None:
        return ""
    if amount >= 3600:
        hours, rest = divmod(int(amount) // 60, 60)
        return _("%(hours)s h %(minutes)s min") % {"hours": hours, "minutes": rest}
    if amount >= 60:
        minutes, rest = divmod(int(amount), 60)
        return _("%(minutes)s min %(seconds)s s") % {"minutes": minutes, "seconds": rest}
    return f"{number(amount, 1)} s"


def run_duration(run) -> str:
    """How long a run took, or a dash while it has not finished."""
    return seconds(run.duration) if run.duration is not None else "–"


def milliseconds(value) -> str:
    """A duration stored in ms, shown like `seconds` under a second as "120 ms"."""
    amount = _decimal(value)
    if amount is None:
        return ""
    if amount < 1000:
        return f"{number(amount, 0)} ms"
    return seconds(amount / 1000)


TRACKING_LANGUAGES = {"de": "de-de", "en": "en-us"}


def tracking_url(url: str, language: str | None = None) -> str:
    """Sendcloud's tracking link in the reader's language (its `lang` parameter), else as given."""
    if not url:
        return ""
    parts = urlsplit(url)
    pairs = parse_qsl(parts.query, keep_blank_values=True)
    if not any(key == "lang" for key, _value in pairs):
        return url
    wanted = TRACKING_LANGUAGES.get((language or get_language() or "de")[:2], "de-de")
    query = urlencode([(key, wanted if key == "lang" else value) for key, value in pairs])
    return urlunsplit(parts._replace(query=query))


def query_string(stored: str) -> str:
    """The query string as sent, also for calls logged as a Python dict or list of pairs."""
    text = (stored or "").strip()
    if text[:1] in "{[(" and text:
        try:
            value = ast.literal_eval(text)
        except (ValueError, SyntaxError, MemoryError, RecursionError):
            return text
        pairs = value.items() if isinstance(value, dict) else value
        try:
            return urlencode(list(pairs), doseq=True, safe=":,")
        except (TypeError, ValueError):
            return text
    return text


def ago(moment) -> str:
    """How long ago something happened: "gerade eben" under a minute, else "vor 5 Minuten"."""
    if moment is None:
        return ""
    if (timezone.now() - moment).total_seconds() < 60:
        return _("just now")
    return _("%(when)s ago") % {"when": timesince(moment)}


_BINARY_BODY = re.compile(r"^\[binary body: (?P<kind>[^,\]]+), (?P<size>\d+) bytes\]$")
FILE_KINDS = {"application/pdf": "PDF", "image/png": "PNG", "image/jpeg": "JPEG",
              "application/zip": "ZIP"}  # fmt: skip


def file_size(size: int) -> str:
    """Bytes as a person reads them: "850 B", "12 KB", "1,4 MB"."""
    if size < 1024:
        return f"{number(size)} B"
    if size < 1024 * 1024:
        return f"{number(round(size / 1024))} KB"
    return f"{number(round(Decimal(size) / (1024 * 1024), 1))} MB"


def api_body(text: str) -> str:
    """A logged request or response body; a file is named by kind and size ("PDF, 12 KB").

    Calls logged before files were recorded as such hold the bytes decoded as text: a PDF is
    recognised by its header, other binary text by its replacement characters."""
    text = text or ""
    match = _BINARY_BODY.match(text)
    if match:
        kind = FILE_KINDS.get(match["kind"], match["kind"])
        return _("%(kind)s, %(size)s (file, not shown)") % {
            "kind": kind,
            "size": file_size(int(match["size"])),
        }
    if text.startswith("%PDF"):
        return _("%(kind)s (file, not shown)") % {"kind": "PDF"}
    if text.count("\ufffd") > 8:
        return _("binary data (not shown)")
    return text


def moment(value) -> str:
    """A point in time in the back office's one short form ("07.12.2026 01:21")."""
    if value is None:
        return ""
    return formats.date_format(timezone.localtime(value), "SHORT_DATETIME_FORMAT")
