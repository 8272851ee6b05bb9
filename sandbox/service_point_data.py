"""The sandbox's service points: a few hundred per country, generated the same on every start.

Points sit around real city centres (latitude/longitude of the centre plus a seeded offset of up
to ~4 km); their postal codes start with the city's prefix, so a postal code finds its city and a
coordinate near it (`reference_point`). Carriers per country follow the catalogue's
service-point products (DHL Packstation/Filiale in DE, DPD Pickup everywhere in the EU, GLS
PaketShop in DE/AT, PostNL in NL/BE).
"""

import hashlib
import math
import random
from dataclasses import dataclass
from functools import cache

from . import catalogue as cat

# (city, latitude, longitude, postal prefix) per country; the first city is the fallback.
CITIES = {
    "DE": [
        ("Berlin", 52.5200, 13.4050, "10"), ("Hamburg", 53.5511, 9.9937, "20"),
        ("München", 48.1374, 11.5755, "80"), ("Köln", 50.9375, 6.9603, "50"),
        ("Frankfurt am Main", 50.1109, 8.6821, "60"), ("Stuttgart", 48.7758, 9.1829, "70"),
        ("Düsseldorf", 51.2277, 6.7735, "40"), ("Leipzig", 51.3397, 12.3731, "04"),
        ("Dresden", 51.0504, 13.7373, "01"), ("Hannover", 52.3759, 9.7320, "30"),
        ("Nürnberg", 49.4521, 11.0767, "90"), ("Bremen", 53.0793, 8.8017, "28"),
    ],
    "AT": [
        ("Wien", 48.2082, 16.3738, "10"), ("Graz", 47.0707, 15.4395, "80"),
        ("Linz", 48.3069, 14.2858, "40"), ("Salzburg", 47.8095, 13.0550, "50"),
        ("Innsbruck", 47.2692, 11.4041, "60"),
    ],
    "NL": [
        ("Amsterdam", 52.3676, 4.9041, "10"), ("Rotterdam", 51.9244, 4.4777, "30"),
        ("Den Haag", 52.0705, 4.3007, "25"), ("Utrecht", 52.0907, 5.1214, "35"),
        ("Eindhoven", 51.4416, 5.4697, "56"), ("Groningen", 53.2194, 6.5665, "97"),
    ],
    "BE": [
        ("Bruxelles", 50.8503, 4.3517, "10"), ("Antwerpen", 51.2194, 4.4025, "20"),
        ("Gent", 51.0543, 3.7174, "90"), ("Liège", 50.6326, 5.5797, "40"),
        ("Brugge", 51.2093, 3.2247, "80"),
    ],
    "FR": [
        ("Paris", 48.8566, 2.3522, "75"), ("Lyon", 45.7640, 4.8357, "69"),
        ("Marseille", 43.2965, 5.3698, "13"), ("Toulouse", 43.6047, 1.4442, "31"),
        ("Lille", 50.6292, 3.0573, "59"), ("Strasbourg", 48.5734, 7.7521, "67"),
    ],
    "LU": [("Luxembourg", 49.6116, 6.1319, "1"), ("Esch-sur-Alzette", 49.4958, 5.9806, "4")],
    "DK": [
        ("København", 55.6761, 12.5683, "1"), ("Aarhus", 56.1629, 10.2039, "8"),
        ("Odense", 55.4038, 10.4024, "5"),
    ],
    "PL": [
        ("Warszawa", 52.2297, 21.0122, "00"), ("Kraków", 50.0647, 19.9450, "30"),
        ("Wrocław", 51.1079, 17.0385, "50"), ("Gdańsk", 54.3520, 18.6466, "80"),
    ],
    "IT": [
        ("Roma", 41.9028, 12.4964, "00"), ("Milano", 45.4642, 9.1900, "20"),
        ("Napoli", 40.8518, 14.2681, "80"), ("Torino", 45.0703, 7.6869, "10"),
    ],
    "ES": [
        ("Madrid", 40.4168, -3.7038, "28"), ("Barcelona", 41.3874, 2.1686, "08"),
        ("Valencia", 39.4699, -0.3763, "46"), ("Sevilla", 37.3891, -5.9845, "41"),
    ],
}  # fmt: skip
STREETS = {
    "DE": ["Hauptstraße", "Bahnhofstraße", "Schulstraße", "Gartenstraße", "Marktplatz",
           "Lindenallee", "Kirchweg", "Goethestraße", "Berliner Straße", "Friedrichstraße"],
    "AT": ["Hauptplatz", "Bahnhofstraße", "Landstraße", "Mariahilfer Straße", "Kirchengasse"],
    "NL": ["Dorpsstraat", "Kerkstraat", "Stationsweg", "Molenweg", "Hoofdstraat", "Marktplein"],
    "BE": ["Kerkstraat", "Rue de la Station", "Stationsstraat", "Grand-Place", "Dorpsstraat"],
    "FR": ["Rue de la République", "Avenue Jean Jaurès", "Rue Victor Hugo", "Place du Marché"],
    "LU": ["Grand-Rue", "Rue de la Gare", "Avenue de la Liberté"],
    "DK": ["Vestergade", "Østergade", "Nørregade", "Søndergade"],
    "PL": ["ul. Długa", "ul. Kościuszki", "ul. Mickiewicza", "ul. Polna"],
    "IT": ["Via Roma", "Via Garibaldi", "Corso Italia", "Via Mazzini"],
    "ES": ["Calle Mayor", "Calle Real", "Avenida de la Constitución", "Calle Nueva"],
}  # fmt: skip
SHOPS = ["Kiosk am Markt", "Schreibwaren Lehmann", "Tabak & Presse", "Blumen Krause",
         "Späti Ecke", "Copyshop Express", "Handyladen", "Getränkemarkt Nord", "Bäckerei Sonne",
         "Reinigung Blitz", "Buchhandlung Seite", "Supermarkt City"]  # fmt: skip
# (carrier, kind, general_shop_type, shop_type, share) — how a country's points are made up.
MIX = {
    "DE": [("dhl", "packstation", "locker", "packstation", 4), ("dhl", "filiale", "post_office",
           "postfiliale", 2), ("dhl", "paketshop", "servicepoint", "paketshop", 2),
           ("dpd", "pickup", "servicepoint", "pickup_point", 3),
           ("gls_de", "paketshop", "servicepoint", "parcelshop", 2)],
    "AT": [("dpd", "pickup", "servicepoint", "pickup_point", 3),
           ("gls_de", "paketshop", "servicepoint", "parcelshop", 2)],
    "NL": [("postnl", "punt", "servicepoint", "retail", 4),
           ("postnl", "automaat", "locker", "parcel_locker", 1),
           ("dpd", "pickup", "servicepoint", "pickup_point", 2)],
    "BE": [("postnl", "punt", "servicepoint", "retail", 3),
           ("dpd", "pickup", "servicepoint", "pickup_point", 2)],
}  # fmt: skip
DEFAULT_MIX = [("dpd", "pickup", "servicepoint", "pickup_point", 1)]
POINTS_PER_CITY = 400  # divided over the country's cities, at least 60 each
LOCKER_HOURS = [["00:00 - 23:59"]] * 7
SHOP_HOURS = [
    [["08:00 - 18:30"]] * 5 + [["08:00 - 14:00"], []],
    [["09:00 - 12:30", "14:00 - 18:00"]] * 2 + [["09:00 - 12:30"]] + [
        ["09:00 - 12:30", "14:00 - 18:00"]] * 2 + [["09:00 - 13:00"], []],
    [["07:00 - 20:00"]] * 6 + [["10:00 - 16:00"]],
    [["10:00 - 19:00"]] * 6 + [[]],
]  # fmt: skip
POST_OFFICE_HOURS = [["09:00 - 18:00"]] * 5 + [["09:00 - 12:00"], []]


@dataclass(frozen=True)
class Point:
    id: int
    code: str
    carrier: str
    name: str
    street: str
    house_number: str
    postal_code: str
    city: str
    country: str
    latitude: float
    longitude: float
    shop_type: str
    general_shop_type: str
    hours: tuple  # 7 lists of "HH:MM - HH:MM", 0 = Monday
    closed_for_holidays: bool = False


def service_point_countries() -> list[str]:
    """Every destination a service-point product of the catalogue ships to."""
    countries = {c for p in cat.PRODUCTS if p.service_point for c in p.to_countries}
    return sorted(c for c in countries if c in CITIES)


def _postal(country: str, prefix: str, rng: random.Random) -> str:
    if country == "NL":
        digits = prefix + "".join(rng.choice("0123456789") for _ in range(4 - len(prefix)))
        return f"{digits} {rng.choice('ABCDEGHJKLMNPRST')}{rng.choice('ABCDEGHJKLMNPRST')}"
    length = {"DE": 5, "FR": 5, "IT": 5, "ES": 5, "AT": 4, "BE": 4, "DK": 4, "LU": 4}.get(
        country, 5
    )
    if country == "PL":
        rest = "".join(rng.choice("0123456789") for _ in range(3))
        return f"{prefix}-{rest}"
    return prefix + "".join(rng.choice("0123456789") for _ in range(length - len(prefix)))


def _name(carrier: str, kind: str, number: int, shop: str, city: str) -> str:
    return {
        ("dhl", "packstation"): f"Packstation {number}",
        ("dhl", "filiale"): f"Postfiliale {number}",
        ("dhl", "paketshop"): f"DHL Paketshop {shop}",
        ("dpd", "pickup"): f"DPD Pickup Paketshop {shop}",
        ("gls_de", "paketshop"): f"GLS PaketShop {shop}",
        ("postnl", "punt"): f"PostNL-punt {shop}",
        ("postnl", "automaat"): f"PostNL Pakketautomaat {city} {number}",
    }[(carrier, kind)]


@cache
def points_of(country: str) -> tuple[Point, ...]:
    """The country's points, identical on every start (seeded by the country code)."""
    cities = CITIES.get(country)
    if not cities:
        return ()
    rng = random.Random(f"service-points-{country}")
    mix = MIX.get(country, DEFAULT_MIX)
    kinds = [entry for entry in mix for _ in range(entry[4])]
    base = (cat.COUNTRY[country][0] if country in cat.COUNTRY else 99) * 100_000
    per_city = max(60, POINTS_PER_CITY // len(cities))
    points = []
    for city, lat, lon, prefix in cities:
        for _ in range(per_city):
            n = len(points)
            carrier, kind, general, shop_type, _share = kinds[n % len(kinds)]
            # Up to ~4 km from the centre: points thin out towards the edge of town.
            angle, radius = rng.uniform(0, 2 * math.pi), 0.04 * math.sqrt(rng.random())
            number = 100 + rng.randrange(900)
            if general == "locker":
                hours = LOCKER_HOURS
            elif general == "post_office":
                hours = POST_OFFICE_HOURS
            else:
                hours = rng.choice(SHOP_HOURS)
            closed = general != "locker" and n % 23 == 7  # closed this week (holidays)
            points.append(
                Point(
                    id=base + n + 1,
                    code=str(number)
                    if kind == "packstation"
                    else f"{carrier[:3].upper()}{country}{base + n + 1:08d}",
                    carrier=carrier,
                    name=_name(carrier, kind, number, rng.choice(SHOPS), city),
                    street=rng.choice(STREETS.get(country, ["Main Street"])),
                    house_number=str(1 + rng.randrange(120)),
                    postal_code=_postal(country, prefix, rng),
                    city=city,
                    country=country,
                    latitude=round(lat + radius * math.sin(angle), 6),
                    longitude=round(lon + radius * math.cos(angle) * 1.5, 6),
                    shop_type=shop_type,
                    general_shop_type=general,
                    hours=tuple(tuple(day) for day in hours),
                    closed_for_holidays=closed,
                )
            )
    return tuple(points)


@cache
def point_by_id() -> dict[int, Point]:
    return {p.id: p for country in service_point_countries() for p in points_of(country)}


def _jitter(text: str, scale: float) -> tuple[float, float]:
    digest = hashlib.sha256(text.encode()).digest()
    return ((digest[0] / 255) - 0.5) * scale, ((digest[1] / 255) - 0.5) * scale * 1.5


def reference_point(country: str, postal_code="", city="", address="") -> tuple | None:
    """A coordinate for an address: the city its postal code (else its name) belongs to, moved
    by a hash of the postal code and street so neighbours differ and repeats agree."""
    cities = CITIES.get(country)
    if not cities or not (postal_code or city or address):
        return None
    compact = "".join(ch for ch in postal_code if ch.isalnum())
    match = None
    if compact:
        matches = [c for c in cities if compact.startswith(c[3])]
        if matches:
            match = max(matches, key=lambda c: len(c[3]))
        elif compact[:2].isdigit():
            match = min(cities, key=lambda c: abs(int(c[3][:2].ljust(2, "0")) - int(compact[:2])))
    if match is None and city:
        match = next((c for c in cities if c[0].lower() == city.strip().lower()), None)
    match = match or cities[0]
    d_lat, d_lon = _jitter(compact or city, 0.05)
    s_lat, s_lon = _jitter(address.lower(), 0.006) if address else (0.0, 0.0)
    return match[1] + d_lat + s_lat, match[2] + d_lon + s_lon


def distance_m(lat1: float, lon1: float, lat2: float, lon2: float) -> int:
    """Great-circle distance (haversine), whole metres."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return int(round(6_371_000 * 2 * math.asin(math.sqrt(a))))


def point_problem(point_id, carrier: str, country: str) -> str | None:
    """Why a label to this point must be refused, or None: an unknown point, one of another
    carrier or in another country than the address (the labels endpoints ask this)."""
    try:
        point = point_by_id().get(int(str(point_id)))
    except ValueError:
        point = None
    if point is None:
        return f'Invalid service point "{point_id}" - object does not exist.'
    if point.carrier != carrier:
        return f'Service point "{point_id}" belongs to carrier "{point.carrier}", not "{carrier}".'
    if point.country != country:
        return f'Service point "{point_id}" is in {point.country}, not in {country}.'
    return None
