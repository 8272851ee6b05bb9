"""What the REST API reads and writes (pydantic schemas, published in the OpenAPI schema)."""

from datetime import date, datetime
from decimal import Decimal

from ninja import Field, Schema


class ProblemOut(Schema):
    message: str
    object: str
    field: str


class ErrorDetail(Schema):
    code: str
    message: str
    fields: dict[str, list[str]]
    problems: list[ProblemOut]


class ErrorOut(Schema):
    error: ErrorDetail


class AddressIn(Schema):
    contact_name: str = Field("", max_length=100)
    company_name: str = Field("", max_length=100)
    street: str = Field(..., min_length=1, max_length=100)
    house_number: str = Field("", max_length=20)
    address_line_2: str = Field("", max_length=100)
    postal_code: str = Field(..., min_length=1, max_length=12)
    city: str = Field(..., min_length=1, max_length=60)
    country: str = Field(..., min_length=2, max_length=2, description="ISO 3166-1 alpha-2")
    state_code: str = Field("", max_length=10)
    email: str = Field("", max_length=254)
    phone: str = Field("", max_length=30)


class AddressOut(Schema):
    contact_name: str
    company_name: str
    street: str
    house_number: str
    address_line_2: str
    postal_code: str
    city: str
    country: str
    state_code: str
    email: str
    phone: str


class LineIn(Schema):
    product: int = Field(..., description="id of a product of your company")
    quantity: int = Field(..., ge=1, le=1_000_000)
    weight_kg: Decimal = Field(..., gt=0, max_digits=8, decimal_places=3)
    value: Decimal = Field(Decimal("0"), ge=0, max_digits=10, decimal_places=2)


class LineOut(Schema):
    product: int
    product_name: str
    quantity: int
    weight_kg: Decimal
    value: Decimal


class PackageIn(Schema):
    weight_kg: Decimal = Field(..., gt=0, max_digits=8, decimal_places=3)
    length_cm: Decimal | None = Field(None, gt=0, max_digits=6, decimal_places=1)
    width_cm: Decimal | None = Field(None, gt=0, max_digits=6, decimal_places=1)
    height_cm: Decimal | None = Field(None, gt=0, max_digits=6, decimal_places=1)


class PackageOut(Schema):
    id: int
    weight_kg: Decimal
    length_cm: Decimal | None
    width_cm: Decimal | None
    height_cm: Decimal | None


class DeliveryOrderIn(Schema):
    number: str = Field(..., min_length=1, max_length=30)
    sales_order: int
    warehouse: int
    shipping_method: int | None = None
    delivery_date: date | None = None
    state: str = Field("ready", pattern="^(draft|ready)$")
    service_point_id: str = Field("", max_length=50)
    address: AddressIn
    lines: list[LineIn] = Field(..., min_length=1, max_length=500)
    packages: list[PackageIn] = Field([], max_length=50)


class LabelOut(Schema):
    id: int
    collo: int
    parcel_id: int | None
    tracking_number: str
    tracking_url: str
    status_id: int | None
    status: str
    status_changed_at: datetime | None
    pdf_url: str | None
    zpl_url: str | None
    customs_url: str | None


class ShipmentOut(Schema):
    id: int
    state: str
    carrier: str
    shipping_option: str
    price: Decimal | None
    cancel_status: str
    created_at: datetime
    labels: list[LabelOut]


class EventOut(Schema):
    at: datetime
    kind: str
    text: str


class DeliveryOrderSummary(Schema):
    id: int
    number: str
    state: str
    delivery_date: date
    created_at: datetime
    contact_name: str
    company_name: str
    country: str
    sendcloud_state: str = Field(description="state of the newest label, '' without one")


class DeliveryOrderOut(DeliveryOrderSummary):
    sales_order: int
    warehouse: int
    shipping_method: int | None
    service_point_id: str
    address: AddressOut
    lines: list[LineOut]
    packages: list[PackageOut]
    sendcloud_problems: list[str]
    labels: list[ShipmentOut]
    timeline: list[EventOut]


class DeliveryOrderPage(Schema):
    items: list[DeliveryOrderSummary]
    next_cursor: str | None


class PreflightOut(Schema):
    ok: bool
    problems: list[ProblemOut]


class OptionFitOut(Schema):
    code: str
    name: str
    carrier: str
    label: str


class ChoiceIn(Schema):
    option: str | None = Field(
        None, max_length=200, description="code of a fitting Sendcloud option; null: inherit"
    )


class ChoiceOut(Schema):
    option: str | None
    fits: list[OptionFitOut]


class PushOut(Schema):
    outcome: str
    message: str


class LabelJobIn(Schema):
    delivery_orders: list[int] = Field(..., min_length=1, max_length=500)
    choose: str = Field("", pattern="^(|cheapest|fastest)$")


class LabelJobItemOut(Schema):
    delivery_order: int
    state: str
    message: str
    problems: list[str]


class LabelJobOut(Schema):
    id: int
    state: str
    total: int
    items: list[LabelJobItemOut]


class CancelOut(Schema):
    state: str
    cancel_status: str
    result: str


class StatusOut(Schema):
    delivery_order: int
    state: str
    sendcloud_state: str
    labels: list[LabelOut]
