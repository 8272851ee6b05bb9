"""Demo data: one company with warehouses, products, customers and ~90 days of orders."""

import random
from datetime import timedelta
from decimal import Decimal

from django.db import transaction
from django.dispatch import Signal
from django.utils import timezone

from backoffice.addresses import ADDRESS_FIELDS
from backoffice.companies.models import Company
from backoffice.inventory.gtin import gtin_check_digit
from backoffice.inventory.models import Product, Warehouse
from backoffice.sales.models import (
    Customer,
    CustomerAddress,
    DeliveryOrder,
    DeliveryOrderLine,
    Package,
    SalesOrder,
    SalesOrderLine,
    ShippingMethod,
)

DEMO_COMPANY = "Muster Handel GmbH"

# Sent with `company=` once the demo company exists (new or found again): integrations add their
# own demo rows (sendcloud: the sandbox printer and a packing station) without the host
# importing them.
demo_data_ready = Signal()

WAREHOUSES = [
    ("BER", "Zentrallager Berlin", "Lagerstraße", "12", "10115", "Berlin", "DE"),
    ("VIE", "Lager Wien", "Industriestraße", "4", "1110", "Wien", "AT"),
    ("AMS", "Magazijn Amsterdam", "Havenweg", "33", "1013 AB", "Amsterdam", "NL"),
]

PRODUCTS = [
    ("TS-100", "T-Shirt Bio-Baumwolle", "0.180", "61091000", "PT", "19.90"),
    ("HD-200", "Kapuzenpullover", "0.650", "61102099", "TR", "49.90"),
    ("JN-300", "Jeans Straight Fit", "0.720", "62034231", "TR", "79.00"),
    ("SN-400", "Sneaker Leder", "1.100", "64039993", "VN", "99.00"),
    ("CP-500", "Kappe", "0.120", "65050090", "CN", "14.50"),
    ("BG-600", "Rucksack 20 l", "0.900", "42029291", "CN", "59.00"),
    ("SK-700", "Socken 3er-Pack", "0.150", "61159500", "DE", "9.90"),
    ("MG-800", "Kaffeebecher Steingut", "0.400", "69120021", "DE", "12.00"),
    ("BK-900", "Kochbuch", "0.850", "49019900", "DE", "24.00"),
    ("LT-010", "Schreibtischlampe", "1.600", "94052040", "CN", "45.00"),
    ("TW-020", "Handtuch-Set", "1.200", "63026000", "PK", "29.90"),
    ("UM-030", "Regenschirm", "0.500", "66019100", "CN", "19.00"),
]

# (city, postal code, country, street, state code) — EU, special territories and non-EU.
CITIES = [
    ("München", "80331", "DE", "Marienplatz", ""),
    ("Hamburg", "20095", "DE", "Mönckebergstraße", ""),
    ("Köln", "50667", "DE", "Hohe Straße", ""),
    ("Leipzig", "04109", "DE", "Grimmaische Straße", ""),
    ("Graz", "8010", "AT", "Herrengasse", ""),
    ("Linz", "4020", "AT", "Landstraße", ""),
    ("Utrecht", "3511 AB", "NL", "Oudegracht", ""),
    ("Rotterdam", "3011 AA", "NL", "Coolsingel", ""),
    ("Brussel", "1000", "BE", "Rue Neuve", ""),
    ("Paris", "75002", "FR", "Rue Montorgueil", ""),
    ("Roma", "00184", "IT", "Via Nazionale", "IT-RM"),
    ("Madrid", "28013", "ES", "Calle Mayor", ""),
    ("Las Palmas de Gran Canaria", "35001", "ES", "Calle Triana", ""),
    ("Zürich", "8001", "CH", "Bahnhofstrasse", ""),
    ("London", "SW1A 1AA", "GB", "Whitehall", ""),
    ("Oslo", "0150", "NO", "Karl Johans gate", ""),
    ("New York", "10001", "US", "Broadway", "US-NY"),
]

FIRST = [
    "Anna",
    "Jonas",
    "Lea",
    "Felix",
    "Marie",
    "Paul",
    "Sophie",
    "Lukas",
    "Emma",
    "Noah",
    "Mia",
    "Elias",
    "Lina",
    "Ben",
    "Clara",
    "Finn",
    "Ida",
    "Max",
    "Nora",
    "Theo",
]
LAST = [
    "Müller",
    "Schmidt",
    "Schneider",
    "Fischer",
    "Weber",
    "Meyer",
    "Wagner",
    "Becker",
    "Hoffmann",
    "de Vries",
    "Jansen",
    "Gruber",
    "Huber",
    "Rossi",
    "García",
    "Smith",
]

SHIPPING_METHODS = [
    ("DHL-PAKET", "DHL Paket", "sendcloud", "dhl", False),
    ("DHL-PACKSTATION", "DHL Packstation / Paketshop", "sendcloud", "dhl", True),
    ("DPD-CLASSIC", "DPD Classic", "sendcloud", "dpd", False),
    ("POSTNL", "PostNL Standaard", "sendcloud", "postnl", False),
    ("UPS-STANDARD", "UPS Standard", "sendcloud", "ups", False),
    ("PICKUP", "Abholung im Lager", "pickup", "", False),
]


def demo_ean(index: int) -> str:
    """A valid EAN-13 for the demo's n-th product (German prefix 400, a made-up company)."""
    body = f"400123456{index + 1:03d}"
    return body + str(gtin_check_digit(body))


@transaction.atomic
def demo_data_create(*, seed: int = 42, orders: int = 300) -> Company:
    """Create the demo company and its data; refuses to run twice."""
    rng = random.Random(seed)
    company = Company.objects.create(name=DEMO_COMPANY)
    warehouses = [
        Warehouse.objects.create(
            company=company,
            code=code,
            name=name,
            company_name=DEMO_COMPANY,
            street=street,
            house_number=number,
            postal_code=postal,
            city=city,
            country=country,
            email="lager@muster-handel.example",
            phone="+49 30 1234567",
        )
        for code, name, street, number, postal, city, country in WAREHOUSES
    ]
    products = Product.objects.bulk_create(
        Product(
            company=company,
            sku=sku,
            name=name,
            weight_kg=Decimal(weight),
            hs_code=hs,
            origin_country=origin,
            price=Decimal(price),
            ean=demo_ean(index),
        )
        for index, (sku, name, weight, hs, origin, price) in enumerate(PRODUCTS)
    )
    methods = ShippingMethod.objects.bulk_create(
        ShippingMethod(
            company=company,
            code=code,
            name=name,
            provider=provider,
            carrier_code=carrier,
            uses_service_point=service_point,
        )
        for code, name, provider, carrier, service_point in SHIPPING_METHODS
    )
    customers, addresses = _customers(company, rng)
    _orders(company, rng, orders, warehouses, products, methods, customers, addresses)
    demo_data_ready.send(sender=Company, company=company)
    return company


def _customers(company, rng):
    customers, addresses = [], []
    for index in range(80):
        name = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
        customers.append(
            Customer(
                company=company,
                number=f"K{10001 + index}",
                name=name,
                email=f"kunde{index + 1}@example.com",
                phone=f"+49 170 {1000000 + index}",
            )
        )
    Customer.objects.bulk_create(customers)
    for customer in customers:
        city, postal, country, street, state = rng.choice(CITIES)
        addresses.append(
            CustomerAddress(
                customer=customer,
                is_default=True,
                contact_name=customer.name,
                street=street,
                house_number=str(rng.randint(1, 120)),
                address_line_2=rng.choice(["", "", "", "2. OG", "Hinterhaus"]),
                postal_code=postal,
                city=city,
                country=country,
                state_code=state,
                email=customer.email,
                phone=customer.phone,
            )
        )
    CustomerAddress.objects.bulk_create(addresses)
    # E-mails (the return label) go out in German to German-speaking countries, else English.
    for customer, address in zip(customers, addresses, strict=True):
        customer.language = "de" if address.country in ("DE", "AT", "CH", "LI") else "en"
    Customer.objects.bulk_update(customers, ["language"])
    return customers, addresses


def _orders(company, rng, count, warehouses, products, methods, customers, addresses):
    now = timezone.now()
    by_country = {"DE": warehouses[0], "AT": warehouses[1], "NL": warehouses[2]}
    shippable = [m for m in methods if m.provider == ShippingMethod.Provider.SENDCLOUD]
    for index in range(count):
        pick = rng.randrange(len(customers))
        customer, address = customers[pick], addresses[pick]
        created = now - timedelta(days=rng.uniform(0, 90))
        order = SalesOrder.objects.create(
            company=company,
            number=f"AU-{20000 + index}",
            customer=customer,
            order_date=created.date(),
            payment_status=rng.choice(["paid", "paid", "paid", "open"]),
        )
        chosen = rng.sample(products, rng.randint(1, 4))
        lines = [
            SalesOrderLine(order=order, product=p, quantity=rng.randint(1, 3), unit_price=p.price)
            for p in chosen
        ]
        SalesOrderLine.objects.bulk_create(lines)
        age_days = (now - created).days
        state = (
            rng.choice(["done", "done", "ready"])
            if age_days > 14
            else rng.choice(["draft", "ready", "ready", "done", "cancelled"])
        )
        method = rng.choice(methods) if rng.random() < 0.1 else rng.choice(shippable)
        delivery = DeliveryOrder.objects.create(
            company=company,
            number=f"LA-{30000 + index}",
            sales_order=order,
            warehouse=by_country.get(address.country.code, warehouses[0]),
            delivery_date=(created + timedelta(days=1)).date(),
            state=state,
            shipping_method=method,
            created_at=created,
            **{f: getattr(address, f) for f in ADDRESS_FIELDS},
        )
        DeliveryOrderLine.objects.bulk_create(
            DeliveryOrderLine(
                delivery_order=delivery,
                product=line.product,
                quantity=line.quantity,
                weight_kg=line.product.weight_kg,
                value=line.unit_price,
            )
            for line in lines
        )
        if rng.random() < 0.08:
            Package.objects.bulk_create(
                Package(delivery_order=delivery, weight_kg=Decimal("1.500")) for _ in range(2)
            )
