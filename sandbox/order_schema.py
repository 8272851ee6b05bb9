"""The v3 order schema (reference v3 §4.2) as a small validator with Pydantic-style messages.

``validate_order(value, patch=False)`` returns ``(normalised, problems)``: the order reduced to
the known fields (unknown keys are dropped, as Pydantic does), and a list of ``(path, message)``
with paths such as ``order_details/order_items/0/quantity``.
"""

from datetime import UTC, date, datetime

from .timefmt import parse_iso

Problems = list[tuple[str, str]]


class Field:
    def __init__(self, required=False):
        self.required = required

    def check(self, value, path: str, problems: Problems):
        raise NotImplementedError


class Str(Field):
    def __init__(self, required=False, min_length=0, max_length=None, choices=None):
        super().__init__(required)
        self.min_length, self.max_length, self.choices = min_length, max_length, choices

    def check(self, value, path, problems):
        if not isinstance(value, str):
            return problems.append((path, "Input should be a valid string"))
        if len(value) < self.min_length:
            return problems.append((path, f"String should have at least {_chars(self.min_length)}"))
        if self.max_length is not None and len(value) > self.max_length:
            return problems.append((path, f"String should have at most {_chars(self.max_length)}"))
        if self.choices and value not in self.choices:
            return problems.append((path, f"Input should be {_one_of(self.choices)}"))
        return value


class Num(Field):
    """A JSON number; ``integer`` rejects fractions, ``gt``/``ge`` are lower bounds."""

    def __init__(self, required=False, integer=False, gt=None, ge=None):
        super().__init__(required)
        self.integer, self.gt, self.ge = integer, gt, ge

    def check(self, value, path, problems):
        kind = "integer" if self.integer else "number"
        if isinstance(value, bool) or not isinstance(value, int | float):
            return problems.append((path, f"Input should be a valid {kind}"))
        if self.integer and value != int(value):
            return problems.append((path, "Input should be a valid integer, got a number with a "
                                          "fractional part"))  # fmt: skip
        if self.gt is not None and not value > self.gt:
            return problems.append((path, f"Input should be greater than {self.gt}"))
        if self.ge is not None and not value >= self.ge:
            return problems.append((path, f"Input should be greater than or equal to {self.ge}"))
        return int(value) if self.integer else value


class NumOrStr(Field):
    """Cost fields: the schema says string values, the fixture has numbers; both are kept."""

    def check(self, value, path, problems):
        if isinstance(value, bool) or not isinstance(value, int | float | str):
            return problems.append((path, "Input should be a valid string"))
        return value


class Bool(Field):
    def check(self, value, path, problems):
        if not isinstance(value, bool):
            return problems.append((path, "Input should be a valid boolean"))
        return value


class DateTime(Field):
    """Echoed as ISO 8601 with microseconds and an offset (naive input is read as UTC)."""

    def check(self, value, path, problems):
        stamp = parse_iso(value) if isinstance(value, str) and value.strip() else None
        if stamp is None:
            return problems.append((path, "Input should be a valid datetime"))
        parsed = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
        if parsed.tzinfo is None:
            parsed = parsed.replace(tzinfo=UTC)
        return parsed.isoformat(timespec="microseconds")


class Date(Field):
    def check(self, value, path, problems):
        try:
            return date.fromisoformat(value).isoformat()
        except (TypeError, ValueError):
            return problems.append((path, "Input should be a valid date"))


class Free(Field):
    """A free-form object (``properties``, ``extra_data``, ``dangerous_goods``)."""

    def check(self, value, path, problems):
        if not isinstance(value, dict):
            return problems.append((path, "Input should be a valid dictionary"))
        return value


class List(Field):
    def __init__(self, item: Field, required=False):
        super().__init__(required)
        self.item = item

    def check(self, value, path, problems):
        if not isinstance(value, list):
            return problems.append((path, "Input should be a valid list"))
        return [self.item.check(v, f"{path}/{i}", problems) for i, v in enumerate(value)]


class Obj(Field):
    def __init__(self, fields: dict, required=False, one_of=None):
        super().__init__(required)
        self.fields, self.one_of = fields, one_of

    def check(self, value, path, problems):
        if not isinstance(value, dict):
            return problems.append((path, "Input should be a valid dictionary"))
        out = {}
        prefix = f"{path}/" if path else ""
        for name, spec in self.fields.items():
            if name not in value:
                if spec.required:
                    problems.append((prefix + name, "Field required"))
                continue
            if value[name] is None and not spec.required:
                out[name] = None
                continue
            out[name] = spec.check(value[name], prefix + name, problems)
        if self.one_of and not any(value.get(k) for k in self.one_of):
            # Inferred wording: the schema says "either … or …" without an example message.
            problems.append((path, f"Value error, either {' or '.join(self.one_of)} is required"))
        return out


def _chars(n: int) -> str:
    return f"{n} character" if n == 1 else f"{n} characters"


def _one_of(choices) -> str:
    quoted = [f"'{c}'" for c in choices]
    return quoted[0] if len(quoted) == 1 else ", ".join(quoted[:-1]) + " or " + quoted[-1]


def price(required=False):
    currency = Str(True, min_length=3, max_length=3, choices=("EUR", "GBP", "USD"))
    return Obj({"value": Num(True), "currency": currency}, required)


def cost():
    currency = Str(True, min_length=3, max_length=3, choices=("EUR", "GBP", "USD"))
    return Obj({"value": NumOrStr(True), "currency": currency})


def status():
    return Obj({"code": Str(True, min_length=1), "message": Str()}, True)


def measurement():
    return Obj({
        "dimension": Obj({
            "length": Num(True, ge=0), "width": Num(True, ge=0), "height": Num(True, ge=0),
            "unit": Str(True, choices=("cm", "mm", "m", "yd", "ft", "in")),
        }),
        "weight": Obj({
            "value": Num(True, ge=0), "unit": Str(True, choices=("kg", "g", "lbs", "oz")),
        }),
        "volume": Obj({
            "value": Num(True, integer=True, ge=0),
            "unit": Str(True, choices=("m3", "cm3", "l", "ml", "gal")),
        }),
    })  # fmt: skip


def address():
    text = {k: Str() for k in ("company_name", "house_number", "address_line_2", "po_box",
                                "state_province_code", "email", "phone_number")}  # fmt: skip
    return Obj({
        "name": Str(True, min_length=1), "company_name": text["company_name"],
        "address_line_1": Str(True, min_length=1), "house_number": text["house_number"],
        "address_line_2": text["address_line_2"], "postal_code": Str(True, min_length=1),
        "city": Str(True, min_length=1), "po_box": text["po_box"],
        "state_province_code": text["state_province_code"],
        "country_code": Str(True, min_length=2, max_length=2),
        "email": text["email"], "phone_number": text["phone_number"],
    })  # fmt: skip


def order_item(patch=False):
    fields = {"item_id": Str(), "name": Str(True, min_length=1)}
    fields.update({k: Str() for k in ("description", "product_id", "variant_id", "image_url")})
    fields["measurement"] = measurement()
    # PATCH items may carry quantity 0 (reference v3 §4.4); a new order needs at least 1.
    fields["quantity"] = Num(True, integer=True, ge=0) if patch else Num(True, integer=True, gt=0)
    fields.update({k: Str() for k in ("sku", "hs_code", "ean")})
    fields["properties"] = Free()
    fields["country_of_origin"] = Str(min_length=2, max_length=2)
    fields["total_price"] = price(True)
    fields["unit_price"] = price()
    fields["delivery_dates"] = Obj({"handover_at": DateTime(), "deliver_at": DateTime()})
    fields.update({k: Str() for k in ("mid_code", "material_content", "intended_use")})
    # Not validated field by field: the fixture's values do not match the schema's enums.
    fields["dangerous_goods"] = Free()
    return Obj(fields)


def tax_numbers():
    number = Obj({"name": Str(True), "country_code": Str(True), "value": Str(True)})
    return Obj({k: List(number) for k in ("sender", "receiver", "importer_of_record")})


def order_schema(patch=False) -> Obj:
    choices = {
        "shipment_type": ("gift", "commercial_goods", "commercial_sample", "returned_goods"),
        "export_type": ("private", "commercial_b2c", "commercial_b2b"),
    }
    return Obj({
        "id": Str(),
        "order_id": Str(True, min_length=1),
        "order_number": Str(True, min_length=1),
        "order_details": Obj({
            "integration": Obj({"id": Num(True, integer=True)}, True),
            "status": status(),
            "order_created_at": DateTime(True),
            "order_updated_at": DateTime(),
            "order_items": List(order_item(patch), True),
            "notes": Str(),
            "tags": List(Str()),
        }, True),
        "payment_details": Obj({
            "subtotal_price": price(), "estimated_shipping_price": price(),
            "estimated_tax_price": price(), "total_price": price(True), "status": status(),
            "invoice_date": Date(), "discount_granted": cost(), "insurance_costs": cost(),
            "freight_costs": cost(), "other_costs": cost(), "is_cash_on_delivery": Bool(),
        }, True),
        "customs_details": Obj({
            "commercial_invoice_number": Str(),
            "shipment_type": Str(choices=choices["shipment_type"]),
            "export_type": Str(choices=choices["export_type"]),
            "tax_numbers": tax_numbers(),
        }),
        # The PATCH schema spells the phone field ``phone`` (spec conflict); both are kept.
        "customer_details": Obj({
            "name": Str(True, min_length=1), "phone_number": Str(), "phone": Str(),
            "email": Str(),
        }),
        "billing_address": address(),
        "shipping_address": address(),
        "shipping_details": Obj({
            "is_local_pickup": Bool(), "delivery_indicator": Str(),
            "measurement": measurement(),
            "ship_with": Obj({
                "type": Str(True, choices=("shipping_option_code",)),
                "properties": Obj({
                    "shipping_option_code": Str(True, min_length=1),
                    "contract_id": Num(integer=True, ge=1),
                }, True),
            }),
        }),
        "service_point_details": Obj({
            "id": Str(), "carrier_service_point_id": Str(), "post_number": Str(),
            "latitude": Str(), "longitude": Str(), "type": Str(), "extra_data": Free(),
        }, one_of=("id", "carrier_service_point_id")),
    })  # fmt: skip


ORDER = order_schema()
PATCHED_ORDER = order_schema(patch=True)


def validate_order(value, patch=False) -> tuple[dict | None, Problems]:
    problems: Problems = []
    out = (PATCHED_ORDER if patch else ORDER).check(value, "", problems)
    return (None if problems else out), problems
