"""Fixed reference data: parcel statuses, countries, carriers, shipping products and methods."""

from dataclasses import dataclass, field

from . import countries

# (v2 id, v3 code, message) in the order of v3 reference §11.1; slug = code lower-cased, "-".
STATUSES = [
    (999, "NO_LABEL", "No label"),
    (1000, "READY_TO_SEND", "Ready to send"),
    (1001, "ANNOUNCING", "Being announced"),
    (1002, "ANNOUNCEMENT_FAILED", "Announcement failed"),
    (1, "ANNOUNCED", "Announced"),
    (13, "ANNOUNCED_UNCOLLECTED", "Announced: not collected"),
    (15, "COLLECT_ERROR", "Error collecting"),
    (22, "PICKED_UP_BY_DRIVER", "Shipment picked up by driver"),
    (3, "TO_SORTING", "En route to sorting center"),
    (62990, "AT_SORTING_CENTRE", "At sorting centre"),
    (7, "SORTING", "Being sorted"),
    (5, "SORTED", "Sorted"),
    (6, "UNSORTED", "Not sorted"),
    (4, "DELAYED", "Delivery delayed"),
    (62989, "AT_CUSTOMS", "At Customs"),
    (91, "SHIPMENT_ON_ROUTE", "Parcel en route"),
    (92, "DRIVER_ON_ROUTE", "Driver en route"),
    (8, "DELIVERY_FAILED", "Delivery attempt failed"),
    (12, "AWAITING_CUSTOMER_PICKUP", "Awaiting customer pickup"),
    (11, "DELIVERED", "Delivered"),
    (93, "COLLECTED_BY_CUSTOMER", "Shipment collected by customer"),
    (80, "UNDELIVERABLE", "Unable to deliver"),
    (62991, "REFUSED_BY_RECIPIENT", "Refused by recipient"),
    (62992, "RETURNED_TO_SENDER", "Returned to sender"),
    (62993, "DELIVERY_METHOD_CHANGED", "Delivery method changed"),
    (62994, "DELIVERY_DATE_CHANGED", "Delivery date changed"),
    (62995, "DELIVERY_ADDRESS_CHANGED", "Delivery address changed"),
    (62996, "EXCEPTION", "Exception"),
    (62997, "ADDRESS_INVALID", "Address invalid"),
    (1999, "CANCELLING", "Cancellation requested"),
    (2001, "CANCELLING_UPSTREAM", "Submitting cancellation request"),
    (1998, "CANCELLED_UPSTREAM", "Cancelled upstream"),
    (2000, "CANCELLED", "Cancelled"),
    (94, "CANCELLATION_FAILED", "Parcel cancellation failed."),
    (1337, "UNKNOWN", "Unknown status - check carrier track & trace page for more insights"),
]
STATUS_BY_ID = {sid: (code, message) for sid, code, message in STATUSES}
STATUS_BY_CODE = {code: sid for sid, code, _ in STATUSES}
# The v2 endpoint answered in this (unordered) sequence in the 2024 recording.
V2_STATUS_ORDER = [
    6, 15, 94, 1999, 62996, 62989, 62993, 62990, 1998, 1002, 62991, 62992, 62995, 2001, 92,
    62994, 62997, 12, 11, 93, 91, 80, 22, 13, 8, 7, 5, 4, 3, 1, 1337, 999, 1001, 2000, 1000,
]  # fmt: skip
UNANNOUNCED = {999, 1001, 1002}
FINAL = {11, 93, 2000, 1998, 62992}


def status_slug(status_id: int) -> str:
    return STATUS_BY_ID[status_id][0].lower().replace("_", "-")


def resolve_status(value) -> int | None:
    """A v2 id (int or digits) or a v3 code → v2 id; None when unknown."""
    if isinstance(value, int) or (isinstance(value, str) and value.isdigit()):
        return int(value) if int(value) in STATUS_BY_ID else None
    return STATUS_BY_CODE.get(str(value).upper())


# Countries and the EU customs territory live in countries.py; re-exported for the callers.
COUNTRIES, COUNTRY, EU, LEAD_TIME_HOURS = (
    countries.COUNTRIES, countries.COUNTRY, countries.EU, countries.LEAD_TIME_HOURS,
)  # fmt: skip
country_obj, needs_customs = countries.country_obj, countries.needs_customs


CARRIERS = {
    "sendcloud": "Sendcloud",
    "dhl": "DHL",
    "dpd": "DPD",
    "postnl": "PostNL",
    "gls_de": "GLS",
    "ups": "UPS",
    "dhl_express": "DHL Express",
}
# Contract per carrier, as v3 shipping options show it.
CONTRACTS = {code: 4100 + i for i, code in enumerate(CARRIERS)}
TRACKING_PREFIX = {
    "sendcloud": "SCL",
    "dhl": "00340434",
    "dpd": "0516",
    "postnl": "3SYZXG",
    "gls_de": "GLS",
    "ups": "1Z999AA1",
    "dhl_express": "JD0",
}

FUNCTIONALITY_DEFAULTS = {
    "b2b": False, "b2c": True, "ers": False, "size": None, "tyres": False, "sorted": False,
    "boxable": False, "premium": False, "returns": False, "segment": None, "tracked": True,
    "id_check": False, "incoterm": None, "manually": False, "priority": "standard",
    "age_check": None, "insurance": None, "labelless": False, "last_mile": "home_delivery",
    "signature": False, "surcharge": False, "first_mile": "pickup_dropoff", "multicollo": False,
    "bulky_goods": False, "form_factor": "parcel", "fresh_goods": False, "eco_delivery": False,
    "service_area": "domestic", "flex_delivery": False, "fragile_goods": False,
    "non_conveyable": False, "dangerous_goods": False, "delivery_before": None,
    "cash_on_delivery": None, "harmonized_label": False, "weekend_delivery": None,
    "carrier_insurance": False, "delivery_attempts": None, "delivery_deadline": "best_effort",
    "neighbor_delivery": False, "customs_value_limit": None, "registered_delivery": False,
    "carrier_billing_type": None, "personalized_delivery": False, "pick_up": False,
    "direct_contract_only": False,
}  # fmt: skip


@dataclass
class Product:
    code: str  # v3 shipping option code
    name: str
    product_name: str
    bands: tuple  # upper weight limits in kg
    from_countries: tuple
    to_countries: tuple
    base_price: float
    functionalities: dict = field(default_factory=dict)
    letter: bool = False
    # Route shape: from any of from_countries to any of to_countries, unless the product only
    # ships within one country (service points, lockers, mailbox) or only across borders.
    domestic_only: bool = False
    international_only: bool = False
    max_dims: tuple = (120.0, 60.0, 60.0)  # cm, longest side first
    fields: tuple = ()  # recipient fields the carrier needs on every route (to_email, …)
    international_fields: tuple = ()  # … and on cross-border routes only

    @property
    def carrier(self) -> str:
        return self.code.split(":")[0]

    @property
    def product_code(self) -> str:
        return self.code.split("/")[0]

    @property
    def service_point(self) -> bool:
        return self.functionalities.get("last_mile") == "service_point"

    @property
    def is_return(self) -> bool:
        return bool(self.functionalities.get("returns"))


_EU = tuple(sorted(EU))
_ALL = tuple(c[1] for c in COUNTRIES)
_EUROPE = _EU + ("CH", "GB", "NO", "LI", "IS")
# Where an account's warehouses may be: Sendcloud serves shippers in the EU, CH and GB.
_SENDERS = _EU + ("CH", "GB")
_DE_AT = ("DE", "AT")
_BENE = ("NL", "BE")
_DPD = ("DE", "AT", "NL", "BE", "LU")
_SP = {"last_mile": "service_point"}
_RET = {"returns": True}
_PHONE = ("to_telephone",)
# Routes as a late-2026 Sendcloud account in DE/AT/NL sees them [INF from the carriers' public
# service areas]: DHL Paket within DE and, as DHL Paket International, abroad; DPD from its
# home markets within the EU; PostNL from NL/BE; GLS from DE/AT to the EU and CH; UPS within
# Europe (Standard) and worldwide (Express Saver); DHL Express worldwide, never domestic;
# service-point, locker and mailbox products only within one country. The letter is the free
# test option and goes anywhere. New products go at the END: v2 method ids are numbered in
# this order, and tests and stored parcels carry the old ones.
PRODUCTS = [
    Product("sendcloud:letter", "Unstamped letter", "Unstamped letter", (2,), _ALL, _ALL, 0.0,
            {"tracked": False, "form_factor": "letter"}, letter=True,
            max_dims=(60.0, 40.0, 10.0)),
    Product("dhl:paket", "DHL Paket", "DHL Paket", (2, 5, 10, 31.5), ("DE",), ("DE",), 4.49,
            {"multicollo": True, "neighbor_delivery": True}),
    Product("dhl:paket/signature", "DHL Paket + Unterschrift", "DHL Paket", (5, 31.5), ("DE",),
            ("DE",), 5.39, {"signature": True}),
    Product("dhl:paket/service_point", "DHL Paket Packstation/Filiale", "DHL Paket", (31.5,),
            ("DE",), ("DE",), 4.29, _SP, domestic_only=True),
    Product("dhl:retoure/return", "DHL Retoure", "DHL Retoure", (31.5,), _EU, ("DE",), 5.10,
            _RET),
    Product("dpd:home", "DPD Home", "DPD Home", (3, 31.5), _DPD, _EU, 4.95,
            {"multicollo": True, "b2b": True}, max_dims=(175.0, 100.0, 100.0)),
    Product("dpd:shop", "DPD Pickup Paketshop", "DPD Shop", (20,), _DPD, _DPD, 4.25, _SP,
            domestic_only=True, max_dims=(100.0, 50.0, 50.0), fields=("to_email",)),
    Product("dpd:return/return", "DPD Shop Return", "DPD Return", (20,), _EU, _DPD, 4.60, _RET),
    Product("postnl:standard", "PostNL Standard", "PostNL Standard", (23,), _BENE,
            _EU + ("CH", "GB", "NO"), 6.95, {"multicollo": True, "neighbor_delivery": True},
            max_dims=(175.0, 78.0, 58.0)),
    Product("postnl:standard/signature", "PostNL Standard + Handtekening", "PostNL Standard",
            (23,), _BENE, _BENE, 7.95, {"signature": True, "multicollo": True},
            max_dims=(175.0, 78.0, 58.0)),
    Product("postnl:mailbox", "PostNL Mailbox Parcel", "PostNL Mailbox", (2,), ("NL",),
            ("NL",), 4.10, {"last_mile": "mailbox", "form_factor": "mailbox"},
            max_dims=(38.0, 26.5, 3.2)),
    Product("postnl:standard/service_point", "PostNL Service Point", "PostNL Standard", (23,),
            _BENE, _BENE, 6.25, _SP, domestic_only=True, max_dims=(175.0, 78.0, 58.0)),
    Product("postnl:standard/return", "PostNL Return", "PostNL Standard", (23,), _EU, _BENE,
            6.10, _RET),
    Product("gls_de:business_parcel", "GLS BusinessParcel", "GLS BusinessParcel",
            (2, 5, 10, 20, 40), _DE_AT, _EU + ("CH",), 4.80, {"b2b": True, "multicollo": True},
            max_dims=(200.0, 80.0, 60.0)),
    Product("gls_de:shop_delivery", "GLS ShopDelivery", "GLS ShopDeliveryService", (20,),
            _DE_AT, _DE_AT, 4.40, _SP, domestic_only=True, fields=("to_email",)),
    Product("ups:standard", "UPS Standard", "UPS Standard", (5, 10, 20, 70), _SENDERS,
            _EUROPE, 7.90, {"multicollo": True, "b2b": True}, max_dims=(274.0, 100.0, 100.0),
            international_fields=_PHONE),
    Product("ups:express_saver", "UPS Express Saver", "UPS Express Saver", (10, 70), _SENDERS,
            _ALL, 14.90, {"priority": "express", "delivery_deadline": "nextday",
                          "multicollo": True}, max_dims=(274.0, 100.0, 100.0),
            international_fields=_PHONE),
    Product("dhl_express:worldwide/incoterm=dap", "DHL Express Worldwide", "DHL Express "
            "Worldwide", (2, 10, 70), _SENDERS, _ALL, 24.50,
            {"priority": "express", "incoterm": "dap", "service_area": "international",
             "multicollo": True}, international_only=True, max_dims=(120.0, 80.0, 80.0),
            fields=("to_email", "to_telephone")),
    Product("dhl:paket_international", "DHL Paket International", "DHL Paket International",
            (5, 10, 20, 31.5), ("DE",), tuple(c for c in _ALL if c != "DE"), 13.99,
            {"service_area": "international"}, international_only=True),
]  # fmt: skip


@dataclass(frozen=True)
class Method:
    """A v2 shipping method = one product in one weight band."""

    id: int
    product: Product
    band: int  # index into product.bands

    @property
    def min_weight(self) -> float:
        return 0.001 if self.band == 0 else self.product.bands[self.band - 1] + 0.001

    @property
    def max_weight(self) -> float:
        return self.product.bands[self.band] + 0.001

    @property
    def name(self) -> str:
        if self.product.letter:
            return self.product.name
        low = 0 if self.band == 0 else self.product.bands[self.band - 1]
        return f"{self.product.name} {low:g}-{self.product.bands[self.band]:g}kg"

    def price(self, from_iso: str, to_iso: str) -> float:
        if self.product.letter:
            return 0.0
        zone = route_zone(from_iso, to_iso)
        return round(self.product.base_price * (1 + 0.45 * zone) + 1.35 * self.band, 2)


def route_zone(from_iso: str, to_iso: str) -> int:
    """0 within a country, else the farther of the two countries' zones."""
    if from_iso == to_iso:
        return 0
    return max(COUNTRY[from_iso][4], COUNTRY[to_iso][4])


def _build_methods():
    methods = []
    next_id = 101
    for product in PRODUCTS:
        for band in range(len(product.bands)):
            if product.letter:
                methods.append(Method(8, product, band))  # the free test method is id 8
                continue
            methods.append(Method(next_id, product, band))
            next_id += 1
    return methods


METHODS = _build_methods()
METHOD_BY_ID = {m.id: m for m in METHODS}
PRODUCT_BY_CODE = {p.code: p for p in PRODUCTS}


def methods_for(product_code: str) -> list[Method]:
    return [m for m in METHODS if m.product.code == product_code]


def method_for_weight(product: Product, weight: float) -> Method:
    for m in methods_for(product.code):
        if weight < m.max_weight:
            return m
    return methods_for(product.code)[-1]
