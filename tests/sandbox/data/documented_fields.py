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

_V3_ADDRESS = {
    "name": "",
    "address_line_1": "",
    "address_line_2": "",
    "house_number": "",
    "postal_code": "",
    "city": "",
    "country_code": "",
    "email": "",
}

# Addresses have one shape in v3 (§3.4) but which optional keys a return sends is not stated;
# these are the keys of the official example (`to_address` adds `po_box`, `state_province_code`).
# v3 §10.4 Return object (the list item; also `GET /returns/{id}`, §10.5). Item fields: the
# §10.1 request item fields a return echoes, plus read-only `variant_id` and `return_reason`.
# `id` is not in the schema (§10.4 note) but needed by §10.5; the sandbox adds it.
V3_RETURN = {
    "id": 0,
    "from_address": _V3_ADDRESS,
    "to_address": {**_V3_ADDRESS, "po_box": "", "state_province_code": None},
    "shipping_product": {"code": ""},
    "shipping_option": {"code": None},
    "dimensions": {"length": 0, "width": 0, "height": 0, "unit": ""},
    "weight": {"value": 0, "unit": ""},
    "collo_count": 0,
    "parcel_items": [
        {
            "description": "",
            "quantity": 0,
            "weight": {"value": 0, "unit": ""},
            "price": {"value": 0, "currency": ""},
            "hs_code": "",
            "origin_country": "",
            "sku": "",
            "product_id": "",
            "item_id": "",
            "variant_id": None,
            "return_reason": {"id": 0, "description": ""},
        }
    ],
    "send_tracking_emails": False,
    "brand_id": 0,
    "label": {"label_printer": "", "normal_printer": [""]},
    "label_url": "",
    "label_cost": {"value": 0, "currency": ""},
    "insurance": False,
    "tracking_number": "",
    "tracking_url": None,
    "is_cancellable": False,
    "status_history": [
        {
            "carrier_update_timestamp": "",
            "parcel_status_history_id": "",
            "parent_status": "",
            "carrier_code": "",
            "carrier_message": "",
        }
    ],
    "created_at": "",
    "delivered_at": None,
    "delivered_at_iso": None,
    "reason": {"id": 0, "description": ""},
    "refund": {"refund_type": "", "message": ""},
    "return_fee": None,
    "order_number": "",
    "contract": None,
    "customs_invoice_nr": "",
    "customs_shipment_type": 0,
    "delivery_option": None,
    "images": [],
    "status": None,
    "customs_information": None,
    "errors": [],
}

# v2 §5.12 Brand (the 2020 recording has only the first 14 keys). `customization_settings`
# is documented as `{header{…}, footer{…}}` without the inner keys.
V2_BRAND = {
    "id": 0,
    "name": "",
    "color": "",
    "secondary_color": "",
    "website": "",
    "screen_logo": {},
    "print_logo": {},
    "overlay_logo": {},
    "overlay_thumb": None,
    "screen_thumb": None,
    "print_thumb": None,
    "notify_reply_to_email": "",
    "notify_bcc_email": None,
    "domain": None,
    "hide_powered_by": False,
    "google_analytics_id": None,
    "features": {
        "tracking_page": False,
        "tracking_email": False,
        "tracking_sms": False,
        "tracking_whatsapp": False,
        "returns_portal": False,
    },
    "customization_settings": {"header": {}, "footer": {}},
}

DOCUMENTED = {
    # v2 §5.9: `GET /returns` → `{"next", "previous", "returns": [Return…]}`.
    "v2 returns list": {"next": None, "previous": None, "returns": [V2_RETURN]},
    # v2 §5.9: `GET /returns/{id}` → Return object, not wrapped.
    "v2 return detail": V2_RETURN,
    "v2 invoice detail": V2_INVOICE_DETAIL,
    "v2 integration update": V2_INTEGRATION_UPDATE,
    # v2 §5.12: `GET /brands` → `{"next", "previous", "brands": [Brand…]}`; detail not wrapped.
    "v2 brands list": {"next": None, "previous": None, "brands": [V2_BRAND]},
    "v2 brand detail": V2_BRAND,
    # v3 §10.4: `{"next": url|null, "previous": url|null, "data": [Return…]}`; §10.5 bare.
    "v3 returns list": {"next": None, "previous": None, "data": [V3_RETURN]},
    "v3 return detail": V3_RETURN,
}
