"""The countries Sendcloud ships to in the sandbox, and the EU customs territory.

Ids: the 13 countries the sandbox started with keep their ids (stored parcels and tests carry
them). Countries added later take the id the 2020 recording of ``GET /shipping_methods`` gives
them (``sendcloud-payloads/shipping_methods.json``) where the sandbox does not use it yet; the
seven whose recorded id is taken (BG 4, EE 6, HU 10, IE 11, LV 13, LT 14) get 254–259, after
the recorded range (which ends with Kosovo, 253).
"""

# (id, iso_2, iso_3, name, zone). The zone drives prices and lead times:
# 1 = DE and its Benelux/AT neighbours, 2 = the rest of the EU's core, 3 = the EU's periphery
# and the rest of Europe, 4 = North America, 5 = the rest of the world.
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
    (7, "FI", "FIN", "Finland", 3),
    (18, "PT", "PRT", "Portugal", 3),
    (19, "RO", "ROU", "Romania", 3),
    (20, "SI", "SVN", "Slovenia", 2),
    (21, "SK", "SVK", "Slovakia", 2),
    (23, "CZ", "CZE", "Czechia", 2),
    (24, "SE", "SWE", "Sweden", 2),
    (25, "GR", "GRC", "Greece", 3),
    (26, "HR", "HRV", "Croatia", 3),
    (27, "NO", "NOR", "Norway", 3),
    (29, "RS", "SRB", "Serbia", 3),
    (31, "LI", "LIE", "Liechtenstein", 3),
    (33, "IS", "ISL", "Iceland", 3),
    (47, "AU", "AUS", "Australia", 5),
    (69, "CA", "CAN", "Canada", 4),
    (87, "CY", "CYP", "Cyprus", 3),
    (129, "JP", "JPN", "Japan", 5),
    (151, "MT", "MLT", "Malta", 3),
    (229, "TR", "TUR", "Turkey", 3),
    (234, "UA", "UKR", "Ukraine", 3),
    (254, "BG", "BGR", "Bulgaria", 3),
    (255, "EE", "EST", "Estonia", 3),
    (256, "HU", "HUN", "Hungary", 2),
    (257, "IE", "IRL", "Ireland", 3),
    (258, "LV", "LVA", "Latvia", 3),
    (259, "LT", "LTU", "Lithuania", 3),
]
COUNTRY = {c[1]: c for c in COUNTRIES}

# The 27 member states: the EU customs territory, less the special territories below.
EU = frozenset({
    "AT", "BE", "BG", "CY", "CZ", "DE", "DK", "EE", "ES", "FI", "FR", "GR", "HR", "HU", "IE",
    "IT", "LT", "LU", "LV", "MT", "NL", "PL", "PT", "RO", "SE", "SI", "SK",
})  # fmt: skip
# Parts of member states outside the EU customs (VAT) territory, by postal-code prefix. The
# back office decides customs the same way (sendcloud/services/orders/mapping.py).
SPECIAL_TERRITORIES = {
    "ES": ("35", "38", "51", "52"),  # Canary Islands (Las Palmas, Santa Cruz), Ceuta, Melilla
    "FI": ("22",),  # Åland
    "GR": ("63086", "63087"),  # Mount Athos
    "DE": ("78266", "27498"),  # Büsingen, Heligoland
    "IT": ("23041", "22061", "22060"),  # Livigno, Campione d'Italia
}
LEAD_TIME_HOURS = {1: 24, 2: 48, 3: 72, 4: 96, 5: 120}


def country_obj(iso_2: str) -> dict:
    _, iso2, iso3, name, _ = COUNTRY[iso_2]
    return {"iso_2": iso2, "iso_3": iso3, "name": name}


def zone(iso_2: str) -> int:
    return COUNTRY[iso_2][4]


def needs_customs(country: str, postal_code: str | None = "") -> bool:
    """True outside the EU customs territory, special territories of member states included:
    the carrier then needs customs data and items (HS code, origin, value) for the CN23 or
    commercial invoice."""
    if country not in EU:
        return True
    compact = (postal_code or "").replace(" ", "")
    return compact.startswith(SPECIAL_TERRITORIES.get(country, ()))
