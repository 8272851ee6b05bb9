"""Fixed reference data: parcel statuses, countries, carriers, shipping products and methods."""

from dataclasses import dataclass, field

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


# (id, iso_2, iso_3, name, zone) — zone drives prices and lead times.
COUNTRIES = [
    (1, "BE", "BEL", "Belgium", 1),
    (2, "NL", "NLD", "Netherlands", 1),
    (3, "DE", "DEU", "Germany", 1),
    (4, "AT", "AUT", "Austria", 1),
    (5, "LU", "LUX", "Luxembourg", 1),
    (6, "DK", "DNK", "Denmark", 2),
    (8, "FR", "FRA", "France", 2),
    (9, "PL", "POL", "Poland", 2),
    (10, "IT", "ITA", "Italy", 2),
    (11, "ES", "ESP", "Spain", 2),
    (12, "CH", "CHE", "Switzerland", 3),
    (13, "GB", "GBR", "United Kingdom", 3),
    (14, "US", "USA", "United States", 4),
]
COUNTRY = {c[1]: c for c in COUNTRIES}
EU = {"BE", "NL", "DE", "AT", "LU", "DK", "FR", "PL", "IT", "ES"}


def country_obj(iso_2: str) -> dict:
    _, iso2, iso3, name, _ = COUNTRY[iso_2]
    return {"iso_2": iso2, "iso_3": iso3, "name": name}


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


_DE_AT = ("DE", "AT")
_BENE = ("NL", "BE")
_EU = tuple(sorted(EU))
_ALL = tuple(c[1] for c in COUNTRIES)
_SP = {"last_mile": "service_point"}
_RET = {"returns": True}
PRODUCTS = [
    Product("sendcloud:letter", "Unstamped letter", "Unstamped letter", (2,), _ALL, _ALL, 0.0,
            {"tracked": False, "form_factor": "letter"}, letter=True),
    Product("dhl:paket", "DHL Paket", "DHL Paket", (2, 5, 10, 31.5), _DE_AT, _EU, 4.49,
            {"multicollo": True, "neighbor_delivery": True}),
    Product("dhl:paket/signature", "DHL Paket + Unterschrift", "DHL Paket", (5, 31.5), _DE_AT,
            ("DE", "AT"), 5.39, {"signature": True}),
    Product("dhl:paket/service_point", "DHL Paket Packstation/Filiale", "DHL Paket", (31.5,),
            _DE_AT, ("DE",), 4.29, _SP),
    Product("dhl:retoure/return", "DHL Retoure", "DHL Retoure", (31.5,), _EU, _DE_AT, 5.10,
            _RET),
    Product("dpd:home", "DPD Home", "DPD Home", (3, 31.5), _ALL[:11], _EU, 4.95,
            {"multicollo": True, "b2b": True}),
    Product("dpd:shop", "DPD Pickup Paketshop", "DPD Shop", (20,), _EU, _EU, 4.25, _SP),
    Product("dpd:return/return", "DPD Shop Return", "DPD Return", (20,), _EU, _EU, 4.60, _RET),
    Product("postnl:standard", "PostNL Standard", "PostNL Standard", (23,), _BENE,
            _EU + ("CH", "GB"), 6.95, {"multicollo": True, "neighbor_delivery": True}),
    Product("postnl:standard/signature", "PostNL Standard + Handtekening", "PostNL Standard",
            (23,), _BENE, _BENE, 7.95, {"signature": True, "multicollo": True}),
    Product("postnl:mailbox", "PostNL Mailbox Parcel", "PostNL Mailbox", (2,), _BENE, _BENE,
            4.10, {"last_mile": "mailbox", "form_factor": "mailbox"}),
    Product("postnl:standard/service_point", "PostNL Service Point", "PostNL Standard", (23,),
            _BENE, _BENE, 6.25, _SP),
    Product("postnl:standard/return", "PostNL Return", "PostNL Standard", (23,), _EU, _BENE,
            6.10, _RET),
    Product("gls_de:business_parcel", "GLS BusinessParcel", "GLS BusinessParcel",
            (2, 5, 10, 20, 40), _DE_AT, _EU + ("CH",), 4.80, {"b2b": True, "multicollo": True}),
    Product("gls_de:shop_delivery", "GLS ShopDelivery", "GLS ShopDeliveryService", (20,),
            _DE_AT, ("DE", "AT"), 4.40, _SP),
    Product("ups:standard", "UPS Standard", "UPS Standard", (5, 10, 20, 70), _ALL[:11],
            _ALL, 7.90, {"multicollo": True, "b2b": True}),
    Product("ups:express_saver", "UPS Express Saver", "UPS Express Saver", (10, 70), _ALL[:11],
            _ALL, 14.90, {"priority": "express", "delivery_deadline": "nextday"}),
    Product("dhl_express:worldwide/incoterm=dap", "DHL Express Worldwide", "DHL Express "
            "Worldwide", (2, 10, 70), _ALL[:11], _ALL, 24.50,
            {"priority": "express", "incoterm": "dap", "service_area": "international"}),
]  # fmt: skip

LEAD_TIME_HOURS = {1: 24, 2: 48, 3: 72, 4: 96}


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
        zone = 0 if from_iso == to_iso else COUNTRY[to_iso][4]
        return round(self.product.base_price * (1 + 0.45 * zone) + 1.35 * self.band, 2)


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
