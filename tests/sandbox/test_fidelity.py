"""Sandbox fidelity: every API endpoint the sandbox serves answers with the reference's fields.

For each case below the sandbox (a seeded account, in-process WSGI) is called and its body is
compared with a payload sample from ``shared/reference/sendcloud-payloads/`` or, where no sample
exists, with the documented skeleton in ``data/documented_fields.py``: same envelope, same keys
at every level (list items one by one; keys the reference shows on some items only may be
missing on some sandbox items but not on all), same JSON types (``null`` matches anything). See
``fidelity_compare.py`` for the rules.

``test_every_api_endpoint_is_compared_or_exempt`` walks the sandbox's URL map and fails for every
``/api/v2`` or ``/api/v3`` method + rule that has no case here and no entry in ``EXEMPT``.

How to add an endpoint (one line in ``CASES``)::

    case("GET /api/v3/shipments/{shipment}/return-portal-url", "v3_rp_url.json"),

* the URL's ``{name}`` placeholders are filled from the ``ids`` fixture (add a name there if
  the endpoint needs a new kind of id); the path must match the Flask rule with its ``<…>``
  converters replaced by placeholders;
* the second argument is a sample file name, or ``documented="<key>"`` for an entry of
  ``data/documented_fields.py`` (add the skeleton there, citing the reference section);
* optional: ``status=`` (default 200), ``body=`` (request JSON: a sample name, a dict or a
  function of ``ids``), ``pick=`` (takes part of a sample, e.g. one list item for a detail
  endpoint), ``loose=``/``extra=`` (paths whose type may differ / extra keys allowed — each
  with a comment saying which reference fact allows it), ``label=`` (a second case of the same
  endpoint, e.g. its 404).

A write endpoint whose answer has no body or is covered by another case goes into ``EXEMPT``
with the reason. Cases for endpoints the sandbox does not serve yet are skipped, not failed.
"""

import importlib.util
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from fidelity_compare import Each, differences
from sandbox_shapes import sample

HERE = Path(__file__).parent
_spec = importlib.util.spec_from_file_location(
    "documented_fields", HERE / "data/documented_fields.py"
)
documented_fields = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(documented_fields)
DOCUMENTED = documented_fields.DOCUMENTED

FIDELITY_SEED = {"parcels": 300, "returns": 40, "invoices": 5, "seed": 1}


@dataclass(frozen=True)
class Case:
    method: str
    url: str
    sample: str | None = None
    documented: str | None = None
    status: int = 200
    body: Any = None
    pick: Any = None
    loose: tuple = ()
    extra: tuple = ()
    label: str = ""
    auth: tuple | None = None  # other credentials than the seeded account's

    @property
    def endpoint(self) -> str:
        return f"{self.method} {normalise(self.url.split('?')[0])}"

    @property
    def id(self) -> str:
        return f"{self.method} {self.url.split('?')[0]}" + (
            f" [{self.label}]" if self.label else ""
        )

    def expected(self):
        if self.documented:
            body = DOCUMENTED[self.documented]
        else:
            body = sample(self.sample)
        return self.pick(body) if self.pick else body


def case(request_line, sample_name=None, **kwargs) -> Case:
    method, url = request_line.split(" ", 1)
    return Case(method, url, sample_name, **kwargs)


def normalise(path: str) -> str:
    """``/api/v2/parcels/{parcel}`` and ``/api/v2/parcels/<int:parcel_id>`` → ``…/{}``."""
    return re.sub(r"\{[^}]*\}|<[^>]*>", "{}", path.rstrip("/"))


def _first(key):
    return lambda body: body[key][0]


def _each(key, wrap=None):
    """Every item of the sample's list ``key``, each as a detail body (optionally wrapped)."""
    return lambda body: Each({wrap: i} if wrap else i for i in (body[key] if key else body))


def _order(item, order_id, integration_id):
    """A sample order as an upsert item, under one of the account's integrations."""
    order = {k: v for k, v in item.items() if k not in ("id", "created_at", "modified_at")}
    order["order_id"] = order_id
    order["order_details"]["integration"]["id"] = integration_id
    return order


def _orders_body(ids):
    return [_order(item, f"fidelity-{n}", ids["integration"])
            for n, item in enumerate(sample("v3_orders_list.json")["data"])]  # fmt: skip


ITEM_WEIGHT = "$.data[].parcels[].parcel_items[].weight.value"  # string in one DOC example
# Sender addresses: keys the 2020 recording predates (v2 §5.2: "2020 recordings lack
# country_state, brand_id, label, signature_* (fields were added later)").
V2_SENDER_LATER = ("country_state", "brand_id", "label", "signature_full_name",
                   "signature_initials")  # fmt: skip
# Brands: the 2020 recording "has only the first 14 of these keys" (v2 §5.12).
V2_BRAND_LATER = ("google_analytics_id", "features", "customization_settings")
# v3 shipment-response fields the DOC list/get examples leave out but §6.3 documents
# (request echo: brand_id, reference, external_reference_id, label_details; plus carrier,
# to_service_point, errors; parcels echo additional_insured_price and sscc;
# documents[].document_type next to the deprecated type, §15 item 14).
V3_SHIPMENT_LATER = ("brand_id", "carrier", "errors", "external_reference_id", "label_details",
                     "reference", "to_service_point")  # fmt: skip
V3_PARCEL_LATER = ("additional_insured_price", "sscc")
# §3.4: state_province_code is part of every v3 address (shown by the async/failed examples);
# shipments created through the API echo it.
V3_ADDRESS_LATER = ("from_address.state_province_code", "to_address.state_province_code")
# v3 Return fields documented in §10.4 but absent from the DOC example, and `id`, which the
# schema lacks although GET /returns/{id} needs it (§10.4 note, §17).
V3_RETURN_LATER = ("delivery_option", "images", "status", "id", "contract",
                   "customs_information", "errors")  # fmt: skip


WRONG_KEYS = ("00000000-0000-4000-8000-000000000000", "0" * 32)


def _paths(prefix, keys):
    return tuple(f"{prefix}.{k}" for k in keys)


def _announce(ids, **changes):
    body = sample("v3_shipment_announce.request.json")
    body["from_address"] = {"sender_address_id": ids["sender"]}
    body["to_address"].update(country_code="DE", postal_code="80331", city="München")
    body["ship_with"] = {
        "type": "shipping_option_code",
        "properties": {"shipping_option_code": "dhl:paket"},
    }
    body.update(changes)
    return body


def _too_heavy(ids):
    body = _announce(ids)
    body["parcels"][0]["weight"] = {"value": "40.000", "unit": "kg"}
    return body


def _no_name(ids):
    body = _announce(ids)
    del body["to_address"]["name"]
    return body


def _v2_parcel(ids, **changes):
    parcel = sample("parcel_created.request.json")["parcel"]
    parcel.update(changes)
    return {"parcel": parcel}


def _label_sync(ids):
    return {
        "integration_id": ids["integration"],
        "order": {"order_number": "fidelity-label"},
        "label_details": {"mime_type": "application/pdf", "dpi": 72},
    }


def _labels_async(ids):
    body = sample("v3_orders_create_labels_async.request.json")
    body["integration_id"] = ids["integration"]
    body["orders"] = [{"order_number": "fidelity-label"}, {"order_number": "no-such-order"}]
    return body


# Shipments created through the API echo what the request carried (§6.3).
V3_CREATED_LATER = ("brand_id", "external_reference_id", "reference", "to_service_point")
V3_CREATED_PARCEL_LATER = ("additional_insured_price", "sscc", "label_file")
V3_CREATED_EXTRA = (
    _paths("$.data", V3_CREATED_LATER)
    + _paths("$.data.parcels[]", V3_CREATED_PARCEL_LATER)
    + (
        "$.data.parcels[].documents[].document_type",
        "$.data.from_address.state_province_code",
        "$.data.to_address.state_province_code",
    )
)
V3_CREATED_LOOSE = (
    "$.data.parcels[].parcel_items[].price.value",
    "$.data.parcels[].parcel_items[].properties.size",
)

CASES = [
    # -- v2 ------------------------------------------------------------------------------------
    # v2 §5.1
    case("GET /api/v2/user", "user.json"),
    # v2 §5.2
    case("GET /api/v2/user/addresses/sender", "sender_addresses.json",
         extra=_paths("$.sender_addresses[]", V2_SENDER_LATER)),
    case("GET /api/v2/user/addresses/sender/{sender}", "sender_addresses.json",
         pick=_each("sender_addresses", "sender_address"),
         extra=_paths("$.sender_address", V2_SENDER_LATER)),
    # v2 §5.3
    case("GET /api/v2/shipping_methods", "shipping_methods.json"),
    case("GET /api/v2/shipping_methods/{method}?to_country=AT", "shipping_method_single.json"),
    # v2 §5.5; v2 §2.1 (401 with wrong keys)
    case("GET /api/v2/parcels/statuses", "parcel_statuses.json"),
    case("GET /api/v2/parcels/statuses", "error_401_invalid_credentials.json", status=401,
         auth=WRONG_KEYS, label="401"),
    # v2 §5.6.3, §5.6.4
    # (multicollo parcels carry colli_tracking_number, §5.6.1; the recording has none)
    case("GET /api/v2/parcels", "parcels_list_page1.json",
         extra=("$.parcels[].colli_tracking_number",)),
    case("GET /api/v2/parcels/{parcel}", "parcels_list_page1.json",
         pick=_each("parcels", "parcel"), extra=("$.parcel.colli_tracking_number",)),
    case("GET /api/v2/parcels/{missing}", "parcel_get_404.json", status=404, label="404"),
    # v2 §5.6.5
    case("GET /api/v2/parcels/{portal_parcel}/return_portal_url", "return_portal_url.json"),
    case("GET /api/v2/parcels/{plain_parcel}/return_portal_url", "return_portal_url_404.json",
         status=404, label="no portal"),
    # v2 §5.9
    case("GET /api/v2/returns", documented="v2 returns list"),
    case("GET /api/v2/returns/{return}", documented="v2 return detail"),
    case("GET /api/v2/returns/{missing}", "parcel_get_404.json", status=404, label="404"),
    # v2 §5.11
    case("GET /api/v2/user/invoices", "user.json",
         pick=lambda body: {"invoices": body["user"]["invoices"]}),
    case("GET /api/v2/user/invoices/{invoice}", documented="v2 invoice detail"),
    # v2 §5.12
    case("GET /api/v2/brands", "brands.json", extra=_paths("$.brands[]", V2_BRAND_LATER)),
    case("GET /api/v2/brands/{brand}", "brands.json", pick=_each("brands"),
         extra=_paths("$", V2_BRAND_LATER)),
    case("GET /api/v2/brands", documented="v2 brands list", label="documented"),
    case("GET /api/v2/brands/{brand}", documented="v2 brand detail", label="documented"),
    # v2 §5.13
    case("GET /api/v2/integrations", "integrations.json"),
    case("GET /api/v2/integrations/{shop_integration}", "integrations.json", pick=_each(None)),
    case("PATCH /api/v2/integrations/{shop_integration}", documented="v2 integration update",
         body={"shop_name": "Kasse"}),
    case("PUT /api/v2/integrations/{shop_integration}", documented="v2 integration update",
         body={"shop_name": "Kasse"}),
    # -- v3 ------------------------------------------------------------------------------------
    # v3 §2.5; v3 §2.1 (401 with wrong keys)
    case("GET /api/v3/user/auth/metadata", "v3_user_auth_metadata.json"),
    case("GET /api/v3/user/auth/metadata", "v3_error_401.json", status=401, auth=WRONG_KEYS,
         label="401"),
    # v3 §4.1-4.4: the `ids` fixture stores the list sample's orders under the API integration
    # and the fixture order `v3_order.json` under the shop integration.
    case("POST /api/v3/orders", "v3_orders_create_201.json", status=201, body=lambda ids: [
        _order(sample("v3_order.json"), "fidelity-post", ids["integration"])]),
    case("GET /api/v3/orders?integration={integration}", "v3_orders_list.json"),
    case("GET /api/v3/orders?cursor=bad", "v3_orders_list_404_cursor.json", status=404,
         label="bad cursor"),
    case("POST /api/v3/orders", "v3_orders_create_400_wrong_format.json", status=400,
         body={"order_id": "1"}, label="not a list"),
    case("POST /api/v3/orders", "v3_orders_create_400_batch_size.json", status=400,
         body=lambda ids: [{}] * 101, label="101 orders"),
    case("GET /api/v3/orders/{order}", "v3_order.json", pick=lambda body: {"data": body}),
    case("GET /api/v3/orders/{missing}", "v3_order_404.json", status=404, label="404"),
    case("PATCH /api/v3/orders/{order}", "v3_order_patch_200.json",
         body=lambda ids: {**sample("v3_order_patch.request.json"), "id": str(ids["order"]),
                           "order_id": "fidelity-order"}),
    # v3 §6.5, §6.6
    case("GET /api/v3/shipments?page_size=100", "v3_shipments_list.json", loose=(ITEM_WEIGHT,),
         extra=_paths("$.data[]", V3_SHIPMENT_LATER + V3_ADDRESS_LATER)
         + _paths("$.data[].parcels[]", V3_PARCEL_LATER)
         + ("$.data[].parcels[].documents[].document_type",)),
    case("GET /api/v3/shipments/{shipment}", "v3_shipment_get.json",
         loose=(ITEM_WEIGHT.replace("data[]", "data"),),
         extra=_paths("$.data", V3_SHIPMENT_LATER) + _paths("$.data.parcels[]", V3_PARCEL_LATER)
         + ("$.data.parcels[].documents[].document_type",)),
    # v3 §8.1 (`message` is part of the envelope, §3.1; the 200_empty sample shows it), §8.4
    case("POST /api/v3/shipping-options", "v3_shipping_options_200.json",
         body="v3_shipping_options.request.json", extra=("$.message",)),
    case("POST /api/v3/compat/shipping-options", "v3_compat_shipping_options.json",
         body={"shipping_method_ids": [1, 2, 3]}),
    # v3 §9 (`po_box` is in the §9.1 field list, not in the DOC example)
    case("GET /api/v3/addresses/sender-addresses", "v3_sender_addresses.json",
         extra=("$.data[].po_box",)),
    case("GET /api/v3/addresses/sender-addresses/{sender}", "v3_sender_addresses.json",
         pick=_each("data", "data"), extra=("$.data.po_box",)),
    case("GET /api/v3/addresses/sender-addresses/{missing}", "v3_sender_address_404.json",
         status=404, label="404"),
    # v3 §10.4, §10.5
    case("GET /api/v3/returns?from_date=2000-01-01 00:00:00&to_date=2100-01-01 00:00:00",
         "v3_returns_list.json", extra=_paths("$.data[]", V3_RETURN_LATER)),
    case("GET /api/v3/returns/{return}", "v3_returns_list.json", pick=_each("data"),
         extra=_paths("$", V3_RETURN_LATER)),
    case("GET /api/v3/returns?from_date=2000-01-01 00:00:00&to_date=2100-01-01 00:00:00",
         documented="v3 returns list", label="documented"),
    case("GET /api/v3/returns/{return}", documented="v3 return detail", label="documented"),
    # v3 §11.1
    case("GET /api/v3/parcels/statuses", "v3_parcel_statuses_doc_example.json"),
    # v3 §12
    case("GET /api/v3/integrations", "v3_integration.json",
         pick=lambda body: {"data": [body["data"]]}),
    case("GET /api/v3/integrations/{shop_integration}", "v3_integration.json"),
    case("GET /api/v3/integrations/{missing}", "v3_integration_404.json", status=404,
         label="404"),
    case("PATCH /api/v3/integrations/{integration}", "v3_integration_patch_400.json",
         status=400, body={"webhook_active": True}, label="400"),
    # v3 §6.1–§6.4, §6.7: labels created through the API
    case("POST /api/v3/shipments/announce", "v3_shipment_announce_201.json", status=201,
         body=_announce, extra=V3_CREATED_EXTRA, loose=V3_CREATED_LOOSE),
    case("POST /api/v3/shipments/announce", "v3_shipment_announce_201_failed.json", status=201,
         body=_too_heavy, label="carrier refused", loose=V3_CREATED_LOOSE,
         extra=V3_CREATED_EXTRA + ("$.data.label_details", "$.data.customs_information",
               "$.data.parcels[].documents", "$.data.parcels[].tracking_url",
               "$.data.parcels[].label_notes", "$.data.parcels[].package_type")),
    case("POST /api/v3/shipments/announce", "v3_shipment_announce_400.json", status=400,
         body=_no_name, label="400"),
    case("POST /api/v3/shipments", "v3_shipment_create_async_201.json", status=201,
         body=_announce, loose=V3_CREATED_LOOSE, extra=V3_CREATED_EXTRA + ("$.data.label_details",
         "$.data.parcels[].label_notes", "$.data.parcels[].package_type")),
    case("POST /api/v3/shipments/{created_shipment}/cancel", "v3_shipment_cancel_202.json",
         status=202),
    case("POST /api/v3/shipments/{missing}/cancel", "v3_shipment_cancel_404.json", status=404,
         label="404"),
    # v3 §5
    case("POST /api/v3/orders/create-label-sync", "v3_orders_create_label_sync_201.json",
         status=201, body=_label_sync),
    case("POST /api/v3/orders/create-labels-async",
         "v3_orders_create_labels_async_202_partial.json", status=202, body=_labels_async,
         extra=("$.data[].ship_with",)),
    # v3 §7.2, §7.3 (the bodies of found documents are files)
    case("GET /api/v3/parcels/{missing}/documents/{label_type}", "v3_parcel_document_404.json",
         status=404),
    case("GET /api/v3/parcel-documents/{label_type}?parcels={missing}",
         "v3_parcel_document_404.json", status=404),
    # v2 §5.6–§5.8
    case("POST /api/v2/parcels?errors=verbose-carrier", "parcel_created.json", body=_v2_parcel,
         extra=("$.parcel.quantity",)),
    case("POST /api/v2/parcels?errors=verbose-carrier", "parcel_create_error_400.json",
         status=400, body="parcel_create_error_400.request.json", label="400"),
    # v2 §5.6.2: announcing an unannounced parcel answers like a created one (no `errors`:
    # no errors= query on PUT)
    case("PUT /api/v2/parcels", "parcel_created.json", extra=("$.parcel.quantity",),
         body=lambda ids: {"parcel": {"id": ids["unlabelled_v2_parcel"], "request_label": True}},
         pick=lambda body: {"parcel": {k: v for k, v in body["parcel"].items() if k != "errors"}}),
    case("POST /api/v2/parcels/{created_v2_parcel}/cancel", "parcel_cancel_202_queued.json",
         status=202),
    case("POST /api/v2/parcels/{missing}/cancel", "parcel_cancel_404_not_found.json",
         status=404, label="404"),
    case("GET /api/v2/labels/label_printer/{missing}", "label_printer_404.json", status=404),
]  # fmt: skip

EXEMPT = {
    # 204 without a body (v2 §5.13); deleting the caller's integration would end the run.
    "DELETE /api/v2/integrations/{}": "204, no body",
    # 204 without a body (v3 §12); its 400 is compared as "PATCH … [400]" above.
    "PATCH /api/v3/integrations/{}": "204, no body",
    "DELETE /api/v3/integrations/{}": "204, no body",
    # 204 without a body (v3 §4.4); its 404 is the one of GET /orders/{id}.
    "DELETE /api/v3/orders/{}": "204, no body",
    # Documents: the body is a file (PDF or ZPL); their 404s are compared above.
    "GET /api/v3/parcels/{}/documents/{}": "binary body",
    "GET /api/v3/parcel-documents/{}": "binary body",
    "GET /api/v2/labels/label_printer/{}": "binary body",
    "GET /api/v2/labels/normal_printer/{}": "binary body",
    "GET /api/v2/labels/label_printer": "binary body",
    "GET /api/v2/labels/normal_printer": "binary body",
    "GET /api/v2/customs_declaration/normal_printer/{}": "binary body",
    "GET /api/v2/customs_declaration/normal_printer": "binary body",
    "GET /api/v2/parcels/{}/documents/{}": "binary body",
    "GET /api/v2/labels/{}": "no sample (v2 §5.7); tested in test_sandbox_v2_parcels_write",
    "POST /api/v2/labels": "no sample (v2 §5.7); tested in test_sandbox_v2_parcels_write",
    # Return writes: compared with their samples in test_sandbox_v3_returns_write.
    "POST /api/v3/returns": "compared in test_sandbox_v3_returns_write",
    "POST /api/v3/returns/announce-synchronously": "compared in test_sandbox_v3_returns_write",
    "POST /api/v3/returns/validate": "no sample (v3 §10.3); test_sandbox_v3_returns_write",
    "PATCH /api/v3/returns/{}/cancel": "compared in test_sandbox_v3_returns_write",
}


@pytest.fixture
def fidelity_client(sandbox_app, sandbox_control, sandbox_transport):
    import httpx

    from sandbox.testing import SANDBOX_BASE_URL

    account = sandbox_control.post("/_sandbox/accounts", json=FIDELITY_SEED).get_json()
    sandbox_control.post("/_sandbox/orders/settings", json={"processing_seconds": 0})
    auth = (account["public_key"], account["secret_key"])
    with httpx.Client(transport=sandbox_transport, base_url=SANDBOX_BASE_URL, auth=auth) as c:
        c.account = account
        yield c


@pytest.fixture
def ids(fidelity_client):
    """Ids of the seeded account's objects, by the placeholder names the cases use."""
    c = fidelity_client
    own = c.account["integration_id"]
    shop = next(i["id"] for i in c.get("/api/v2/integrations").json() if i["id"] != own)
    parcels = c.get("/api/v2/parcels").json()["parcels"]
    announced = [p for p in parcels if p["tracking_number"]]
    brands = {b["id"]: b for b in c.get("/api/v2/brands").json()["brands"]}
    shipments = c.get("/api/v3/shipments?page_size=100").json()["data"]
    portal = [s for s in shipments if (brands.get(s["brand_id"]) or {}).get("domain")]
    plain = [s for s in shipments if not (brands.get(s["brand_id"]) or {}).get("domain")]
    c.post("/api/v3/orders", json=_orders_body({"integration": own}))
    order = c.post(
        "/api/v3/orders", json=[_order(sample("v3_order.json"), "fidelity-order", shop)]
    ).json()["data"][0]
    returns = "/api/v3/returns?from_date=2000-01-01 00:00:00&to_date=2100-01-01 00:00:00"
    sender = c.get("/api/v2/user/addresses/sender").json()["sender_addresses"][0]["id"]
    label_order = _order(sample("v3_orders_list.json")["data"][0], "fidelity-label", own)
    label_order["order_number"] = "fidelity-label"
    label_order["shipping_address"].update(country_code="DE", postal_code="80331", city="München")
    label_order["shipping_details"]["ship_with"]["properties"]["shipping_option_code"] = "dhl:paket"
    c.post("/api/v3/orders", json=[label_order])
    created = c.post("/api/v3/shipments/announce", json=_announce({"sender": sender})).json()
    v2_parcel = c.post("/api/v2/parcels", json=_v2_parcel({})).json()["parcel"]
    unlabelled = c.post("/api/v2/parcels", json=_v2_parcel({}, request_label=False)).json()
    return {
        "integration": own,
        "shop_integration": shop,
        "sender": sender,
        "created_shipment": created["data"]["id"],
        "created_v2_parcel": v2_parcel["id"],
        "unlabelled_v2_parcel": unlabelled["parcel"]["id"],
        "label_type": "label",
        "method": next(  # a DHL method that ships from the first sender (DE) to AT
            m["id"] for m in c.get("/api/v2/shipping_methods").json()["shipping_methods"]
            if m["carrier"] == "dhl" and any(x["iso_2"] == "AT" for x in m["countries"])
        ),
        "parcel": announced[0]["id"],
        "portal_parcel": portal[0]["parcels"][0]["id"],
        "plain_parcel": plain[0]["parcels"][0]["id"],
        "shipment": next(  # announced, with items and label notes to compare
            s["id"] for s in shipments
            if s["parcels"][0]["tracking_number"] and s["parcels"][0]["parcel_items"]
            and s["parcels"][0]["label_notes"]
        ),
        "return": c.get(returns).json()["data"][0]["id"],
        "invoice": c.get("/api/v2/user/invoices").json()["invoices"][0]["id"],
        "brand": next(iter(brands)),
        "order": order["id"],
        "missing": 1,
    }  # fmt: skip


def _served(app) -> set[str]:
    endpoints = set()
    for rule in app.url_map.iter_rules():
        if rule.rule.startswith(("/api/v2/", "/api/v3/")):
            for method in rule.methods - {"HEAD", "OPTIONS"}:
                endpoints.add(f"{method} {normalise(rule.rule)}")
    return endpoints


def _call(client, c: Case, ids):
    url = c.url.format(**ids) if "{" in c.url else c.url
    body = c.body
    if isinstance(body, str):
        body = sample(body)
    elif callable(body):
        body = body(ids)
    if c.auth:
        return client.request(c.method, url, json=body, auth=c.auth)
    return client.request(c.method, url, json=body)


@pytest.mark.parametrize("c", CASES, ids=[c.id for c in CASES])
def test_sandbox_answers_with_the_reference_fields(c, sandbox_app, fidelity_client, ids):
    if c.endpoint not in _served(sandbox_app):
        pytest.skip(f"{c.endpoint} is not served by the sandbox (yet)")
    response = _call(fidelity_client, c, ids)
    assert response.status_code == c.status, response.text
    expected = c.expected()
    problems = differences(
        response.json(), expected, loose=c.loose, extra=c.extra, single=isinstance(expected, Each)
    )
    assert not problems, "\n".join(problems)


def uncovered(app) -> list[str]:
    """API endpoints of ``app`` with neither a case nor an exemption."""
    covered = {c.endpoint for c in CASES} | set(EXEMPT)
    return sorted(_served(app) - covered)


def test_every_api_endpoint_is_compared_or_exempt(sandbox_app):
    missing = uncovered(sandbox_app)
    assert not missing, (
        "API endpoints without a fidelity case (add one line to CASES in "
        "tests/sandbox/test_fidelity.py, or an explained EXEMPT entry):\n" + "\n".join(missing)
    )


def test_a_new_endpoint_without_a_case_is_reported(sandbox_app):
    sandbox_app.add_url_rule(
        "/api/v3/shipments/<shipment_id>/labels", "new", lambda shipment_id: "", methods=["GET"]
    )
    sandbox_app.add_url_rule("/_sandbox/new", "control", lambda: "")
    assert uncovered(sandbox_app) == ["GET /api/v3/shipments/{}/labels"]


def test_every_case_names_a_sample_or_documented_fields():
    for c in CASES:
        assert (c.sample is None) != (c.documented is None), c.id
        c.expected()


def test_parcel_status_webhook_body_has_the_recorded_fields(fidelity_client, sandbox_control, ids):
    """Not an endpoint, but what the sandbox sends: the logged `parcel_status_changed` body
    (v2 §7.2; `webhook_parcel_status_changed.json`)."""
    c = fidelity_client
    url = f"/api/v3/integrations/{ids['integration']}"
    hook = {"webhook_active": True, "webhook_url": "http://receiver.invalid/hook"}
    assert c.patch(url, json=hook).status_code == 204
    for status in (11, 1000, 999):  # delivered, ready to send, unannounced
        changed = sandbox_control.post(
            f"/_sandbox/parcels/{ids['parcel']}/status", json={"status": status}
        )
        assert changed.status_code == 200
    deliveries = sandbox_control.get("/_sandbox/webhooks?action=parcel_status_changed").get_json()
    bodies = [json.loads(d["body"]) for d in deliveries["deliveries"]]
    assert len(bodies) == 3
    for body in bodies:
        problems = differences(body, sample("webhook_parcel_status_changed.json"))
        assert not problems, "\n".join(problems)
