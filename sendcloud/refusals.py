"""Sendcloud's refusals of a label in the clerk's words: which field, and what to do.

A refusal is definite when asking again unchanged gets the same answer: a 4xx validation answer
(the field errors of `sendcloud.client.errors`), a carrier "Service error: …" or a parcel in
ANNOUNCEMENT_FAILED. Timeouts, 5xx and 429 are not refusals; they are retried as they are.

Known texts (the carrier's and the sandbox's, reference v3 §6.4, v2 §5.6.1) and the field
pointers of a 400 map to a German reason naming the field and the fix; anything else gets a
general reason. The carrier's own text is kept beside it (`carrier_text`), once.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_countries import countries

from sendcloud.client.errors import (
    AnnouncementFailed,
    FieldError,
    SendcloudError,
    StillProcessing,
    ValidationError,
)
from sendcloud.errors import ApplicationError, Problem
from sendcloud.formatting import weight_kg, weight_range_kg

ADDRESS_FIELDS = {
    "name": gettext_lazy("name"),
    "contact_name": gettext_lazy("name"),
    "company_name": gettext_lazy("company"),
    "address": gettext_lazy("street"),
    "address_line_1": gettext_lazy("street"),
    "street": gettext_lazy("street"),
    "house_number": gettext_lazy("house number"),
    "address_2": gettext_lazy("address line 2"),
    "address_line_2": gettext_lazy("address line 2"),
    "postal_code": gettext_lazy("postal code"),
    "city": gettext_lazy("city"),
    "country_state": gettext_lazy("state / province"),
    "state_province_code": gettext_lazy("state / province"),
    "to_state": gettext_lazy("state / province"),
    "po_box": gettext_lazy("PO box"),
}
_ROUTE = re.compile(
    r"(?P<option>[^:;]+?) does not ship from (?P<from>[A-Z]{2}) to (?P<to>[A-Z]{2})", re.I
)
_WEIGHT = re.compile(
    r"weight of (?P<weight>[\d.]+) ?kg is outside the range of "
    r"(?P<low>[\d.]+) ?(?:kg)? ?[-–] ?(?P<high>[\d.]+) ?kg(?: allowed for (?P<option>[^.;]+))?",
    re.I,
)
_MULTICOLLO = re.compile(
    r"(?:(?P<option>[^:;]+?) does not support multi-?collo)|multi-?collo[^;]*not (?:supported|"
    r"allowed|available)",
    re.I,
)
_COUNTRY = re.compile(r'"?(?P<code>[A-Z]{2})"? is not (?:a valid choice|one of the choices)')
_SERVICE_POINT = re.compile(r"service ?point", re.I)
_CUSTOMS = re.compile(r"outside the EU|customs|parcel_items|hs[_ ]code|origin_country", re.I)
_PHONE = re.compile(r"phone|telephone", re.I)
_EMAIL = re.compile(r"e-?mail", re.I)
_WEIGHT_WORD = re.compile(r"\bweight\b|too heavy", re.I)
_REQUIRED = re.compile(r"required|requires|may not be blank|missing", re.I)
_INDEX = re.compile(r"^\[?\d+\]?$")


@dataclass(frozen=True)
class Refusal:
    """Why Sendcloud refused: `problems` in German (each names its field), and the words of
    Sendcloud or the carrier as they came."""

    problems: tuple[Problem, ...]
    carrier_text: str = ""
    fields: tuple[str, ...] = field(default=())


class LabelRefused(ApplicationError):
    """Sendcloud or the carrier refused the label definitely; asking again unchanged fails too.
    `refusal` says what to fix; `carrier_text` is Sendcloud's own answer."""

    def __init__(self, number: str, refusal: Refusal):
        super().__init__(
            _("%(number)s: Sendcloud refused the label; correct the delivery order first.")
            % {"number": number},
            list(refusal.problems),
        )
        self.refusal = refusal
        self.carrier_text = refusal.carrier_text


def problem_rows(problems) -> list[dict]:
    """Problems as a job item stores them."""
    return [{"message": p.message, "object": p.object, "field": p.field} for p in problems]


def is_definite(error: SendcloudError) -> bool:
    """True for answers that would come again unchanged (validation, carrier refusal)."""
    if isinstance(error, AnnouncementFailed):
        return True
    return isinstance(error, ValidationError) and not isinstance(error, StillProcessing)


def refusal_for_error(error: SendcloudError) -> Refusal:
    """A definite error (`is_definite`) in the clerk's words."""
    if isinstance(error, AnnouncementFailed) or not error.field_errors:
        return refusal_for_text(error.message)
    return refusal_for_field_errors(error.field_errors, error.message)


def refusal_for_text(text: str) -> Refusal:
    """A carrier's refusal text ("Service error: …", one or several joined by "; ")."""
    text = (text or "").strip()
    problems = [_problem_for_text(part.strip()) for part in text.split("; ") if part.strip()]
    return _refusal(problems, text)


def refusal_for_field_errors(errors: Iterable[FieldError], message: str = "") -> Refusal:
    """The field errors of a 400 (v3 pointers, v2 field names) in the clerk's words."""
    problems = []
    for error in errors:
        path = _path(error.field or error.pointer or "")
        problems.append(_problem_for_field(path, error.message or "", error.code or ""))
    return _refusal(problems, message)


def _refusal(problems: list[Problem | None], carrier_text: str) -> Refusal:
    unique: list[Problem] = []
    for problem in problems:
        if problem is None:
            problem = _general()
        if problem not in unique:
            unique.append(problem)
    if not unique:
        unique = [_general()]
    return Refusal(tuple(unique), carrier_text, tuple(p.field for p in unique))


def _path(raw: str) -> list[str]:
    """`/data/attributes/parcels/1/parcel_items` or `parcels.1.parcel_items` → names only."""
    parts = [p for p in re.split(r"[./]", raw) if p and p not in ("data", "attributes")]
    return [p for p in parts if not _INDEX.match(p)]


def _general() -> Problem:
    return Problem(
        _(
            "Sendcloud refused the label. Check the delivery order against Sendcloud's answer "
            "below, correct it, then create the label again."
        ),
        field="",
    )


def _problem_for_text(text: str) -> Problem | None:
    found = _ROUTE.search(text)
    if found:
        return _route(found["option"].strip(), found["from"].upper(), found["to"].upper())
    found = _WEIGHT.search(text)
    if found:
        return _weight(found["weight"], found["low"], found["high"], found["option"])
    found = _MULTICOLLO.search(text)
    if found:
        return _multicollo((found["option"] or "").strip())
    if _SERVICE_POINT.search(text):
        return _service_point(_REQUIRED.search(text) is not None)
    if _CUSTOMS.search(text):
        return _customs()
    found = _COUNTRY.search(text)
    if found and "country" in text.lower():
        return _country(found["code"])
    if _PHONE.search(text):
        return _phone()
    if _EMAIL.search(text):
        return _email()
    if _WEIGHT_WORD.search(text):
        return _weight(None, None, None, None)
    return None


def _problem_for_field(path: list[str], message: str, code: str) -> Problem | None:
    names = [p.lower() for p in path]
    last = names[-1] if names else ""
    sender = any(n in ("from_address", "sender_address", "from_country") for n in names)
    if any(n in ("parcel_items", "customs_information", "customs_invoice_nr") for n in names) or (
        last in ("hs_code", "origin_country", "invoice_number", "export_reason")
    ):
        return _customs()
    if "to_service_point" in names or last in ("service_point", "to_post_number"):
        return _service_point(_REQUIRED.search(message) is not None or code == "required")
    if sender:
        return Problem(
            _(
                "Sender address: Sendcloud does not accept the warehouse's sender address "
                "(%(field)s). Check it in the Sendcloud panel, then under Configure warehouses."
            )
            % {"field": last or "from_address"},
            field="sender_address",
        )
    if "ship_with" in names or last in ("shipping_option_code", "shipping_method", "shipment"):
        return Problem(
            _(
                "Shipping option: Sendcloud does not offer the chosen option to this account. "
                "Run a sync and map the shipping method to an option Sendcloud offers."
            ),
            field="shipping_method",
        )
    if last in ("country_code", "country", "to_country"):
        found = _COUNTRY.search(message)
        return _country(found["code"] if found else "")
    if last in ("phone_number", "telephone", "phone"):
        return _phone()
    if last == "email":
        return _email()
    if last == "weight" or (last == "parcels" and _WEIGHT_WORD.search(message)):
        return _weight(None, None, None, None)
    if last in ("length", "width", "height", "dimensions"):
        return Problem(
            _("Package size: length, width and height must be given together; correct them."),
            field="packages",
        )
    if last == "quantity" or (last == "parcels" and "elements" in message):
        return Problem(
            _(
                "Packages: Sendcloud does not take this many packages in one shipment; split "
                "them over several delivery orders."
            ),
            field="packages",
        )
    if last in ADDRESS_FIELDS:
        return _address_field(last, missing=code == "required" or bool(_REQUIRED.search(message)))
    return _problem_for_text(message)


def _country_name(code: str) -> str:
    """ "Norwegen (NO)" in the reader's language; the code alone where it is unknown."""
    name = countries.name(code) if code else ""
    return f"{name} ({code})" if name else code


def _route(option: str, source: str, destination: str) -> Problem:
    return Problem(
        _(
            "Route: %(option)s does not ship from %(from)s to %(to)s. Choose a shipping option "
            "that serves this route (or ship from another warehouse)."
        )
        % {"option": option, "from": _country_name(source), "to": _country_name(destination)},
        field="shipping_method",
    )


def _weight(weight, low, high, option) -> Problem:
    if weight is None:
        return Problem(
            _(
                "Weight: the carrier does not accept the weight of a package. Correct the "
                "package weights or choose an option for this weight."
            ),
            field="weight",
        )
    return Problem(
        _(
            "Weight: %(weight)s is outside the %(range)s that %(option)s accepts. Correct the "
            "package weight or choose a shipping option for this weight."
        )
        % {
            "weight": weight_kg(weight),
            "range": weight_range_kg(low, high),
            "option": (option or "").strip() or _("the shipping option"),
        },
        field="weight",
    )


def _multicollo(option: str) -> Problem:
    return Problem(
        _(
            "Packages: %(option)s takes no shipment of several packages. Pack everything into "
            "one package or choose an option that ships several packages."
        )
        % {"option": option or _("the shipping option")},
        field="packages",
    )


def _customs() -> Problem:
    return Problem(
        _(
            "Customs data: outside the EU customs territory every package needs its items with "
            "HS code and country of origin, and an invoice number. Complete the products' HS "
            "code and origin."
        ),
        field="customs",
    )


def _service_point(required: bool) -> Problem:
    if required:
        return Problem(
            _(
                "Service point: this shipping option delivers only to a service point or parcel "
                "locker. Choose one on the delivery order."
            ),
            field="service_point_id",
        )
    return Problem(
        _(
            "Service point: the chosen service point is not valid for this shipping option (or "
            "no longer open). Choose another one on the delivery order."
        ),
        field="service_point_id",
    )


def _country(code: str) -> Problem:
    return Problem(
        _(
            "Country: Sendcloud does not accept %(country)s as the destination for this "
            "shipment. Check the country of the delivery address."
        )
        % {"country": _country_name(code) or _("the country")},
        field="country",
    )


def _phone() -> Problem:
    return Problem(
        _(
            "Phone: the carrier needs the recipient's phone number for this option. Enter it "
            "on the delivery order."
        ),
        field="phone",
    )


def _email() -> Problem:
    return Problem(
        _(
            "E-mail: the carrier needs the recipient's e-mail address for this option (or the "
            "one given is invalid). Enter a valid one on the delivery order."
        ),
        field="email",
    )


def _address_field(name: str, *, missing: bool) -> Problem:
    label = ADDRESS_FIELDS[name]
    if missing:
        text = _("Delivery address: %(field)s is missing. Complete it on the delivery order.")
    else:
        text = _(
            "Delivery address: Sendcloud does not accept the %(field)s. Correct it on the "
            "delivery order."
        )
    return Problem(text % {"field": label}, field=name)
