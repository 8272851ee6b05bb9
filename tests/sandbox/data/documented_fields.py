"""Documented response fields of the endpoints that have no payload sample.

Each entry is a *skeleton*: the body the reference's field table describes, with a value of the
documented JSON type in every field (``""`` string, ``0`` number, ``False`` bool, ``{}``/``[]``
object/array, ``None`` where the type is "id or null" or not stated). ``test_fidelity`` compares
the sandbox's answer with it exactly like with a recorded sample: every key must be there, no
key may be added, and the types must agree. The comment above each entry cites the section of
``shared/reference/sendcloud-api.md`` (v2) or ``sendcloud-api-v3.md`` (v3) it was copied from.
"""

_PARCEL_DATA = {
    "tracking_url": "",
    "tracking_number": "",
    "parcel_status": 0,
    "global_status_slug": "",
    "brand_name": None,
    "order_number": "",
    "from_email": "",
    "deleted": False,
    "collo_count": 0,
    "from_country": "",
    "from_name": "",
    "shipping_method": None,
    "extra_data": {},
    "rules": [],
    "customs_information": None,
}

# v2 §5.9 Returns, "Return object [DOC] OAS2". `reason` is an int, `refund.total_refund` a
# string, `refunded_at` ms (null until refunded), `outgoing_parcel`/`incoming_parcel` parcel ids;
# `outgoing_parcel_data`/`incoming_parcel_data` the same object. `images[]` and
# `rule_modifications[]` items are listed with their fields.
V2_RETURN = {
    "id": 0,
    "created_at": "",
    "reason": 0,
    "outgoing_parcel": 0,
    "incoming_parcel": 0,
    "message": "",
    "refund": {
        "total_refund": "",
        "refunded_at": None,
        "message": "",
        "refund_type": {"code": "", "label": "", "require_message": False},
    },
    "is_cancellable": False,
    "return_fee": None,
    "return_fee_currency": None,
    "label_cost": None,
    "label_currency": None,
    "items_cost": None,
    "delivered_at": None,
    "delivery_option": "",
    "store_location": None,
    "outgoing_parcel_data": _PARCEL_DATA,
    "incoming_parcel_data": _PARCEL_DATA,
    "incoming_parcel_status": {"id": 0, "message": "", "global_status_slug": ""},
    "images": [],
    "rule_modifications": [],
}

# v2 §5.11 Invoices: the detail is wrapped in `invoice`, `items` is a list of `{id, name}`;
# `isPayed` camelCase, `date` `DD-MM-YYYY HH:MM:SS`, prices numbers.
V2_INVOICE_DETAIL = {
    "invoice": {
        "id": 0,
        "ref": "",
        "type": "",
        "price_incl": 0,
        "price_excl": 0,
        "isPayed": False,
        "date": "",
        "items": [{"id": 0, "name": ""}],
    }
}

# v2 §5.13 Integrations, PUT/PATCH: "response echoes the updatable fields plus
# `last_updated_at`".
V2_INTEGRATION_UPDATE = {
    "shop_name": "",
    "shop_url": "",
    "service_point_enabled": False,
    "service_point_carriers": [""],
    "webhook_active": False,
    "webhook_url": None,
    "last_updated_at": "",
}

DOCUMENTED = {
    # v2 §5.9: `GET /returns` → `{"next", "previous", "returns": [Return…]}`.
    "v2 returns list": {"next": None, "previous": None, "returns": [V2_RETURN]},
    # v2 §5.9: `GET /returns/{id}` → Return object, not wrapped.
    "v2 return detail": V2_RETURN,
    "v2 invoice detail": V2_INVOICE_DETAIL,
    "v2 integration update": V2_INTEGRATION_UPDATE,
}
