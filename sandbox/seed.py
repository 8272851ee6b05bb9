"""Deterministic seeding of an account at any volume (batched inserts of JSON documents)."""

import json
import random
import uuid

from . import catalogue as cat
from . import routes
from . import seed_data as sd
from .render_parcels import Parcel, v3_shipment_text
from .timefmt import days, midnight

BATCH = 5000
LABEL_NOTES = ["Bitte beim Nachbarn abgeben", "Klingel defekt"]


def _uuid(rng, salt: int) -> str:
    """A v4 UUID from the seeded generator, salted with a storage-unique id."""
    bits = (rng.getrandbits(128) ^ (salt * 0x9E3779B97F4A7C15)) & ((1 << 128) - 1)
    return str(uuid.UUID(int=bits, version=4))


def seed_base(store, accounts, account_id: int, seed: int = 1):
    """Sender addresses (DE, AT, NL), brands and a second (shop) integration."""
    rng = random.Random(f"base:{seed}")
    with store.write() as conn:
        first_brand = store.next_ids(conn, "brands", len(sd.BRANDS))
        for i, (name, color, color2, website, domain) in enumerate(sd.BRANDS):
            brand = {
                "name": name, "color": color, "secondary_color": color2, "website": website,
                "overlay_logo": {}, "screen_logo": {}, "print_logo": {}, "overlay_thumb": None,
                "screen_thumb": None, "print_thumb": None,
                "notify_reply_to_email": f"service{i + 1}@example.com", "domain": domain,
                "notify_bcc_email": None, "hide_powered_by": False,
                "google_analytics_id": None,
                "features": {"tracking_page": True, "tracking_email": True,
                             "tracking_sms": False, "tracking_whatsapp": False,
                             "returns_portal": domain is not None},
            }  # fmt: skip
            conn.execute(
                "INSERT INTO brands (id, account_id, data) VALUES (?,?,?)",
                (first_brand + i, account_id, json.dumps(brand)),
            )
        first = store.next_ids(conn, "sender_addresses", len(sd.SENDER_ADDRESSES))
        for i, row in enumerate(sd.SENDER_ADDRESSES):
            company, label, street, number, postal, city, country, brand, vat = row
            contact = f"{rng.choice(sd.FIRST_NAMES)} {rng.choice(sd.LAST_NAMES)}"
            address = {
                "company_name": company, "contact_name": contact,
                "email": f"lager{i + 1}@example.com", "telephone": f"+4930123456{i:02d}",
                "street": street, "house_number": number, "postal_box": "",
                "postal_code": postal, "city": city, "country": country, "country_state": None,
                "vat_number": vat, "eori_number": vat[:2] + "EORI" + vat[2:9],
                "brand_id": first_brand + brand, "label": label,
                "signature_full_name": contact,
                "signature_initials": "".join(p[0] for p in contact.split()),
            }  # fmt: skip
            conn.execute(
                "INSERT INTO sender_addresses (id, account_id, data) VALUES (?,?,?)",
                (first + i, account_id, json.dumps(address)),
            )
    accounts.create_integration(
        account_id,
        {"shop_name": "Muster Webshop", "shop_url": "https://shop.example.com/",
         "system": "shopware", "service_point_enabled": True,
         "service_point_carriers": ["dhl", "dpd"], "feedback_type": "eager"},
    )  # fmt: skip


def _person(rng, country):
    postal, city = rng.choice(sd.CITIES[country])
    street = rng.choice(sd.STREETS[country])
    number = str(rng.randint(1, 180))
    return {
        "name": f"{rng.choice(sd.FIRST_NAMES)} {rng.choice(sd.LAST_NAMES)}",
        "street": street,
        "house_number": number,
        "postal_code": postal,
        "city": city,
        "country": country,
        "to_state": sd.US_STATES.get(postal),
    }


def _items(rng, count, weight):
    items = []
    for n in range(count):
        desc, hs, item_weight, value = rng.choice(sd.PRODUCTS)
        items.append({
            "description": desc, "quantity": rng.randint(1, 2),
            "weight": f"{min(item_weight, weight):.3f}", "value": f"{value:.2f}",
            "hs_code": hs, "origin_country": rng.choice(["DE", "CN", "PT", "TR"]),
            "sku": f"SKU-{hs[:4]}-{n}", "product_id": hs[:5],
            "properties": {"size": rng.choice(["S", "M", "L", "XL"]),
                           "color": rng.choice(["schwarz", "blau", "grün"])},
            "item_id": str(rng.randint(10000, 99999)), "return_reason": None,
            "return_message": None,
        })  # fmt: skip
    return items


def _timeline(rng, status_id, created):
    """(announced_at, updated_at) for a parcel that reached ``status_id``."""
    if status_id in (999, 1002):
        return None, created + rng.uniform(1, 5)
    if status_id == 1001:
        return None, created + 1
    announced = created + rng.uniform(1, 30)
    if status_id == 1000:
        return announced, announced
    return announced, announced + rng.uniform(days(0.2), days(4))


def _destinations(product, source) -> list[str]:
    """Countries with seed addresses that the product ships to from ``source``."""
    return [c for c in product.to_countries if c in sd.CITIES and routes.ships(product, source, c)]


def seed_parcels(store, account_id, integration_ids, addresses, count, seed=1, anchor=0.0):
    """``count`` parcels in shipments of 1–3 collos, spread over the 180 days before anchor."""
    rng = random.Random(f"parcels:{seed}")
    products = [p for p in cat.PRODUCTS if not p.is_return]
    made = 0
    while made < count:
        n = min(BATCH, count - made)
        with store.write() as conn:
            first_id = store.next_ids(conn, "parcels", n)
            first_seq = store.next_ids(conn, "shipments", n)
            shipments, parcels = [], []
            seq = first_seq
            done = 0
            while done < n:
                sender_id, sender = rng.choice(addresses)
                source = sender["country"]
                choices = [p for p in products if _destinations(p, source)]
                product = rng.choice(choices)
                if product.letter and rng.random() < 0.7:
                    product = rng.choice(choices)
                dests = _destinations(product, source)
                home = source in dests and rng.random() < 0.65
                dest = source if home else rng.choice(dests)
                person = _person(rng, dest)
                # Creation time grows with the id, as on the real panel (id desc = newest first).
                created = anchor - days(180) * (count - made - done) / count - rng.uniform(0, 1)
                collos = 1
                if product.functionalities.get("multicollo") and rng.random() < 0.04:
                    collos = min(rng.randint(2, 3), n - done)
                order_number = f"SO-{rng.randint(100000, 999999)}"
                integration_id = integration_ids[0] if rng.random() < 0.9 else integration_ids[-1]
                status_id = rng.choices(*zip(*sd.STATUS_WEIGHTS, strict=True))[0]
                announced, updated = _timeline(rng, status_id, created)
                updated = min(updated, anchor)
                shipment_uuid = _uuid(rng, first_id + done)
                value = round(rng.uniform(9, 300), 2)
                international = cat.needs_customs(dest, person["postal_code"])
                shipment = {
                    "sender_address_id": sender_id, "sender": sender, "person": person,
                    "ship_with": product.code, "carrier": product.carrier,
                    "total_order_price": f"{value:.2f}",
                    "brand_id": sender["brand_id"], "international": international,
                }  # fmt: skip
                rendered = []
                for collo in range(collos):
                    pid = first_id + done
                    weight = round(rng.uniform(0.1, min(product.bands[-1], 20)), 3)
                    if product.letter:
                        weight = round(rng.uniform(0.02, 1.9), 3)
                    method = cat.method_for_weight(product, weight)
                    tracking = ""
                    if status_id not in cat.UNANNOUNCED:
                        tracking = cat.TRACKING_PREFIX[product.carrier] + str(
                            rng.randint(10**9, 10**10 - 1)
                        )
                    dims = None
                    if rng.random() < 0.5:
                        dims = [f"{rng.randint(10, 60)}.00" for _ in range(3)]
                    data = {
                        "weight": f"{weight:.3f}", "dims": dims,
                        "items": _items(rng, rng.randint(0, 2) + international, weight),
                        "method_id": method.id, "collo_nr": collo, "collo_count": collos,
                        "colli_uuid": _uuid(rng, pid), "shipment_uuid": shipment_uuid,
                        "total_order_value": f"{value:.2f}",
                        "insured_value": rng.choice([0, 0, 0, 100, 250]),
                        "email": f"kunde{rng.randint(1, 99999)}@example.com",
                        "telephone": rng.choice(["", f"+49170{rng.randint(1000000, 9999999)}"]),
                        "company_name": rng.choice(["", "", "", "Beispiel GmbH"]),
                        "checkout_name": rng.choice([None, "Standardversand", "Express"]),
                        "customs_invoice_nr": f"INV-{order_number}" if international else "",
                        # Delivery notes on some parcels; from the id, so the generator's
                        # sequence (and every other seeded value) stays as it was.
                        "label_notes": LABEL_NOTES if pid % 7 == 0 else [],
                    }  # fmt: skip
                    parcels.append((pid, account_id, integration_id, seq, status_id, tracking,
                                    None, order_number, created, updated, announced,
                                    json.dumps(data)))  # fmt: skip
                    rendered.append(Parcel((pid, integration_id, status_id, tracking, None,
                                            order_number, created, updated, announced, data,
                                            shipment_uuid, shipment, seq)))  # fmt: skip
                    done += 1
                shipments.append((seq, shipment_uuid, account_id, integration_id, created,
                                  updated, announced, order_number, None, json.dumps(shipment),
                                  v3_shipment_text(rendered)))  # fmt: skip
                seq += 1
            conn.executemany("INSERT INTO shipments VALUES (?,?,?,?,?,?,?,?,?,?,?)", shipments)
            conn.executemany("INSERT INTO parcels VALUES (?,?,?,?,?,?,?,?,?,?,?,?)", parcels)
        made += n
    return made


def _delivered_parcels(store, account_id) -> list[tuple]:
    """(id, integration id, order number) of delivered outgoing parcels, newest first."""
    return store.query(
        "SELECT id, integration_id, order_number FROM parcels WHERE account_id = ?"
        " AND status_id = 11 ORDER BY id DESC LIMIT 5000",
        (account_id,),
    )


def seed_returns(store, account_id, addresses, brand_ids, count, seed=1, anchor=0.0):
    """Returns of delivered outgoing parcels; each belongs to its parcel's integration.

    A return with no outgoing parcel to point at (an account without delivered parcels) has
    no integration, like a return from the brand's portal, and is listed for every key pair.
    """
    rng = random.Random(f"returns:{seed}")
    # A second generator, so that linking returns leaves the rest of the seeded data as it was.
    link_rng = random.Random(f"returns-outgoing:{seed}")
    outgoing = _delivered_parcels(store, account_id)
    slugs = ["ready-to-send", "announced", "to-sorting", "delivered", "delivered", "cancelled"]
    made = 0
    while made < count:
        n = min(BATCH, count - made)
        with store.write() as conn:
            first = store.next_ids(conn, "returns", n)
            rows = []
            for i in range(n):
                _, warehouse = rng.choice(addresses)
                customer = _person(rng, warehouse["country"])
                created = anchor - days(120) * (count - made - i) / count - rng.uniform(0, 1)
                slug = rng.choice(slugs)
                reason = rng.choice(list(sd.RETURN_REASONS))
                data = {
                    "warehouse": warehouse, "customer": customer, "slug": slug,
                    "reason": reason, "brand_id": rng.choice(brand_ids),
                    "parcel_id": 900000000 + first + i,
                    "tracking_number": "RET" + str(rng.randint(10**11, 10**12 - 1)),
                    "weight": round(rng.uniform(0.2, 5), 3),
                    "order_number": f"SO-{rng.randint(100000, 999999)}",
                    "refund": rng.choice(["money", "credit", "exchange"]),
                    "label_cost": rng.choice([4.95, 5.50, 6.15]),
                    "delivered_after": rng.uniform(days(1), days(5)),
                    "items": _items(rng, rng.randint(1, 2), 1.0),
                }  # fmt: skip
                if outgoing:
                    parcel_id, integration_id, order_number = link_rng.choice(outgoing)
                    data.update(outgoing_parcel_id=parcel_id, integration_id=integration_id,
                                order_number=order_number)  # fmt: skip
                rows.append((first + i, account_id, created, slug, json.dumps(data)))
            conn.executemany("INSERT INTO returns VALUES (?,?,?,?,?)", rows)
        made += n
    return made


def seed_invoices(store, account_id, count, seed=1, anchor=0.0):
    if count <= 0:
        return 0
    rng = random.Random(f"invoices:{seed}")
    with store.write() as conn:
        first = store.next_ids(conn, "invoices", count)
        rows = []
        for i in range(count):
            # One periodic invoice per week going back from the anchor, some ad-hoc ones.
            kind = rng.choices(["periodic", "forced", "other", "unblock_payment"], [8, 1, 1, 1])[0]
            date = midnight(anchor) - days(7 * (count - i)) + rng.uniform(0, days(1))
            excl = round(rng.uniform(20, 2500), 2)
            items = [
                {"id": (first + i) * 10 + k, "name": name}
                for k, name in enumerate(rng.sample(sd.INVOICE_ITEMS, rng.randint(1, 4)))
            ]
            data = {
                "ref": f"EU-CENTRAL-1-0-{(first + i) % 100:02d}-DE{first + i:07d}",
                "type": kind, "price_incl": round(excl * 1.19, 2), "price_excl": excl,
                "isPayed": date < anchor - days(14) or rng.random() < 0.5, "date": date,
                "items": items,
            }  # fmt: skip
            rows.append((first + i, account_id, json.dumps(data)))
        conn.executemany("INSERT INTO invoices VALUES (?,?,?)", rows)
    return count


def seed_account(state, account_id, parcels=0, returns=0, invoices=0, seed=1, anchor=None):
    """Add volume to an account; returns the counts added."""
    store = state.store
    if anchor is None:
        anchor = state.clock.now()
    addresses = [
        (r[0], json.loads(r[1]))
        for r in store.query(
            "SELECT id, data FROM sender_addresses WHERE account_id = ? ORDER BY id",
            (account_id,),
        )
    ]
    brand_ids = [
        r[0] for r in store.query("SELECT id FROM brands WHERE account_id = ?", (account_id,))
    ]
    integration_ids = [i["id"] for i in state.accounts.integrations(account_id)]
    return {
        "parcels": seed_parcels(
            store, account_id, integration_ids, addresses, parcels, seed, anchor
        ),
        "returns": seed_returns(store, account_id, addresses, brand_ids, returns, seed, anchor),
        "invoices": seed_invoices(store, account_id, invoices, seed, anchor),
    }
