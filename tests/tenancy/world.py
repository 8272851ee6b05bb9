"""Two companies on one installation, with a row of every kind each and a user per role.

Every text of a company's rows carries its marker, so a page that shows any of them is caught
by a plain substring search.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.apps import apps
from django.utils import timezone

from backoffice.companies import roles
from backoffice.companies.models import Company
from backoffice.sales.models import Customer, CustomerAddress, Package, SalesOrderLine
from sendcloud.models import (
    ApiCall,
    Brand,
    Carrier,
    Integration,
    Invoice,
    Label,
    LabelJob,
    LabelJobItem,
    OrderOutbox,
    OrderPush,
    OrderPushEvent,
    OrderPushRun,
    PackingStation,
    Parcel,
    ParcelStatus,
    Printer,
    PrintJob,
    Return,
    SenderAddress,
    Shipment,
    ShippingMethodOption,
    ShippingOption,
    SyncRun,
    SyncState,
    WarehouseSenderAddress,
    WebhookEvent,
)
from tests.factories import (
    CompanyFactory,
    DeliveryOrderFactory,
    DeliveryOrderLineFactory,
    UserFactory,
)

ROLE_NAMES = [roles.READING, roles.SHIPPING, roles.MANAGEMENT]


@dataclass
class Tenant:
    marker: str
    company: Company
    users: dict[str, object]  # role name ("" for staff without a role) -> user
    objects: dict[type, list] = field(default_factory=dict)  # model -> rows

    def ids(self, model) -> list[int]:
        return [row.pk for row in self.objects.get(model, [])]

    def first(self, model):
        """The first row of a model, given as the class or by its name ("SyncRun")."""
        if isinstance(model, str):
            model = next(m for m in self.objects if m.__name__ == model)
        return self.objects[model][0]


def tenant_create(marker: str, sendcloud_id: int) -> Tenant:
    """A company whose every text says `marker`, with one row (or more) of each kind."""
    m = marker
    company = CompanyFactory(name=f"{m} Handel GmbH")
    users = {
        name: UserFactory(company=company, username=f"{m.lower()}-{name.lower()}", role=name)
        for name in ROLE_NAMES
    }
    users[""] = UserFactory(company=company, username=f"{m.lower()}-ohne-rolle", role="")
    delivery = DeliveryOrderFactory(
        company=company,
        number=f"LA-{m}",
        contact_name=f"Kunde {m}",
        sales_order__number=f"AU-{m}",
        sales_order__customer__name=f"Kunde {m}",
        warehouse__name=f"Lager {m}",
        warehouse__code=f"W{m}"[:10],
        shipping_method__name=f"Versandart {m}",
        shipping_method__code=f"SM{m}"[:30],
    )
    line = DeliveryOrderLineFactory(delivery_order=delivery, product__name=f"Artikel {m}")
    customer = delivery.sales_order.customer
    address = CustomerAddress.objects.create(
        customer=customer, contact_name=f"Adresse {m}", street="Weg", postal_code="1", city="X"
    )
    order_line = SalesOrderLine.objects.create(
        order=delivery.sales_order, product=line.product, quantity=1, unit_price=Decimal("1")
    )
    package = Package.objects.create(delivery_order=delivery, weight_kg=Decimal("1.000"))

    integration = Integration(
        company=company,
        shop_name=f"Shop {m}",
        state=Integration.State.CONNECTED,
        sendcloud_id=sendcloud_id,
        public_key=f"pk-{m}",
        account_username=f"konto-{m}",
    )
    integration.secret_key = f"secret-{m}-0123456789abcdef"
    integration.save()
    second = Integration.objects.create(company=company, shop_name=f"Zweiter Shop {m}", position=1)
    on = {"integration": integration}
    sender = SenderAddress.objects.create(
        **on, sendcloud_id=sendcloud_id, company_name=f"Absender {m}", country="DE"
    )
    option = ShippingOption.objects.create(**on, code=f"opt:{m}", name=f"Option {m}")
    now = timezone.now()
    objects = {
        Company: [company],
        Integration: [integration, second],
        SenderAddress: [sender],
        Brand: [Brand.objects.create(**on, sendcloud_id=sendcloud_id, name=f"Marke {m}")],
        Carrier: [Carrier.objects.create(**on, code=f"c-{m.lower()}", name=f"Carrier {m}")],
        ShippingOption: [option],
        ParcelStatus: [ParcelStatus.objects.create(**on, key=f"k-{m}", message=f"Status {m}")],
        Parcel: [
            Parcel.objects.create(
                **on,
                sendcloud_id=sendcloud_id,
                tracking_number=f"TN{m}",
                to_name=f"Empfänger {m}",
                order_number=f"AU-{m}",
                sendcloud_created_at=now,
            )
        ],
        Return: [
            Return.objects.create(
                **on, sendcloud_id=sendcloud_id, reason=f"Grund {m}", sendcloud_created_at=now
            )
        ],
        Invoice: [
            Invoice.objects.create(
                **on, sendcloud_id=sendcloud_id, reference=f"RE-{m}", date=now, items=[]
            )
        ],
        WebhookEvent: [
            WebhookEvent.objects.create(
                **on,
                company_id_hint=company.pk,
                token_hint=integration.webhook_token[:12],
                headers={"X-Marker": m},
                raw_body=f'{{"action": "parcel_status_changed", "note": "{m}"}}'.encode(),
                body_sha256="0" * 64,
                action="parcel_status_changed",
                signature=WebhookEvent.Signature.VALID,
                state=WebhookEvent.State.FAILED,
                reason=f"Fehler {m}",
                object_ref=f"parcel {m}",
            )
        ],
        ApiCall: [
            ApiCall.objects.create(
                **on,
                company_id_hint=company.pk,
                method="GET",
                path=f"/api/v3/{m}",
                status_code=500,
                response_excerpt=f"Antwort {m}",
                error=f"Fehler {m}",
                reference=f"ref {m}",
            )
        ],
        SyncRun: [
            SyncRun.objects.create(
                **on, trigger=SyncRun.Trigger.MANUAL, state=SyncRun.State.FAILED, error=f"E {m}"
            )
        ],
        SyncState: [SyncState.objects.create(**on, object_type="parcels", last_error=f"E {m}")],
        OrderPushRun: [
            OrderPushRun.objects.create(
                **on, since=date(2026, 1, 1), state=OrderPushRun.State.FAILED, error=f"E {m}"
            )
        ],
        OrderPush: [
            OrderPush.objects.create(
                **on,
                delivery_order=delivery,
                external_id=f"ext-{m}",
                state=OrderPush.State.NEEDS_FIXING,
            )
        ],
        OrderOutbox: [OrderOutbox.objects.create(**on, delivery_order=delivery, available_at=now)],
        WarehouseSenderAddress: [
            WarehouseSenderAddress.objects.create(
                **on, warehouse=delivery.warehouse, sender_address=sender
            )
        ],
        ShippingMethodOption: [
            ShippingMethodOption.objects.create(
                **on, shipping_method=delivery.shipping_method, shipping_option=option
            )
        ],
        Customer: [customer],
        CustomerAddress: [address],
        SalesOrderLine: [order_line],
        Package: [package],
    }
    job = LabelJob.objects.create(**on, error=f"Job {m}")
    shipment = Shipment.objects.create(
        **on,
        delivery_order=delivery,
        job=job,
        generation="v3",
        mode="announce",
        external_reference=f"LA-{m}-ref",
        state=Shipment.State.LIVE,
        carrier_name=f"Carrier {m}",
    )
    label = Label.objects.create(shipment=shipment, tracking_number=f"TNL{m}")
    LabelJobItem.objects.create(
        job=job, delivery_order=delivery, state="succeeded", message=f"TNL{m}", shipment=shipment
    )
    objects[LabelJob] = [job]
    objects[Shipment] = [shipment]
    objects[Label] = [label]
    printer = Printer.objects.create(
        company=company, warehouse=delivery.warehouse, name=f"Drucker {m}",
        address=f"{m.lower()}.lager.test:9100",
    )  # fmt: skip
    objects[Printer] = [printer]
    objects[PackingStation] = [
        PackingStation.objects.create(
            company=company,
            warehouse=delivery.warehouse,
            name=f"Packtisch {m}",
            label_printer=printer,
        )  # fmt: skip
    ]
    objects[PrintJob] = [
        PrintJob.objects.create(
            company=company,
            printer=printer,
            printer_name=printer.name,
            label=label,
            kind="label",
            state="failed",
            error=f"Fehler {m}",
            byte_count=1,
        )  # fmt: skip
    ]
    objects[OrderPushEvent] = [
        OrderPushEvent.objects.create(
            **on,
            delivery_order=delivery,
            run=objects[OrderPushRun][0],
            outcome="failed",
            message=f"Meldung {m}",
        )
    ]
    for row in (
        delivery,
        delivery.sales_order,
        delivery.warehouse,
        delivery.shipping_method,
        line,
        line.product,
    ):
        objects.setdefault(type(row), []).append(row)
    objects[apps.get_model("companies", "User")] = list(users.values())
    return Tenant(marker=m, company=company, users=users, objects=objects)


def _company_path(model, depth: int = 3) -> str | None:
    """The lookup from `model` to its Company (e.g. "delivery_order__company"), if any."""
    if model is Company:
        return "pk"
    frontier = [(model, "")]
    for _level in range(depth):
        following = []
        for current, prefix in frontier:
            for f in current._meta.get_fields():
                if not (f.many_to_one and f.concrete):
                    continue
                name = f"{prefix}{f.name}"
                if f.related_model is Company:
                    return name
                following.append((f.related_model, f"{name}__"))
        frontier = following
    return None


def snapshot(company: Company) -> dict:
    """Every stored value of every row that belongs to `company`, per model."""
    state = {}
    for model in apps.get_models():
        if model in (WebhookEvent, ApiCall):
            rows = model.objects.filter(company_id_hint=company.pk)
        else:
            path = _company_path(model)
            if path is None:
                continue
            rows = model.objects.filter(**{path: company.pk})
        state[model._meta.label] = sorted(repr(_plain(values)) for values in rows.values())
    return state


def _plain(values: dict) -> list:
    return sorted((k, bytes(v) if isinstance(v, memoryview) else v) for k, v in values.items())
