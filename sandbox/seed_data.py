"""Word lists for seeding: invented names and real-looking places (no real persons)."""

FIRST_NAMES = [
    "Anna", "Lukas", "Mia", "Jonas", "Lea", "Felix", "Emma", "Paul", "Sophie", "Elias",
    "Hannah", "Noah", "Lena", "Ben", "Marie", "Finn", "Laura", "Tim", "Julia", "Max",
    "Sanne", "Daan", "Fleur", "Bram", "Eva", "Lotte", "Ruben", "Tobias", "Katharina", "Jakob",
]  # fmt: skip
LAST_NAMES = [
    "Muster", "Beispiel", "Probe", "Testmann", "Vorlage", "Schablone", "Entwurf", "Modell",
    "Voorbeeld", "Proefmans", "Steekproef", "Exempel", "Platzhalter", "Attrappe", "Skizze",
]  # fmt: skip
STREETS = {
    "DE": ["Hauptstraße", "Bahnhofstraße", "Gartenweg", "Lindenallee", "Schulstraße", "Mühlenweg"],
    "AT": ["Mariahilfer Straße", "Landstraße", "Kirchengasse", "Ringstraße"],
    "NL": ["Dorpsstraat", "Kerkstraat", "Molenweg", "Stationsplein"],
    "BE": ["Kerkstraat", "Stationsstraat", "Rue de la Gare"],
    "FR": ["Rue de la Paix", "Avenue Victor Hugo", "Rue du Moulin"],
    "LU": ["Rue de Luxembourg", "Grand-Rue"],
    "DK": ["Nørregade", "Vestergade"],
    "PL": ["ulica Polna", "ulica Lipowa"],
    "IT": ["Via Roma", "Via Garibaldi"],
    "ES": ["Calle Mayor", "Calle del Sol"],
    "CH": ["Bahnhofstrasse", "Dorfstrasse"],
    "GB": ["High Street", "Station Road"],
    "US": ["Main Street", "Oak Avenue"],
}
CITIES = {
    "DE": [("10115", "Berlin"), ("20095", "Hamburg"), ("80331", "München"), ("50667", "Köln"),
           ("60311", "Frankfurt am Main"), ("04109", "Leipzig"), ("28195", "Bremen")],
    "AT": [("1010", "Wien"), ("8010", "Graz"), ("4020", "Linz"), ("5020", "Salzburg")],
    "NL": [("1012 AB", "Amsterdam"), ("3011 AD", "Rotterdam"), ("5611 EM", "Eindhoven"),
           ("3511 AX", "Utrecht")],
    "BE": [("1000", "Brussel"), ("2000", "Antwerpen"), ("9000", "Gent")],
    "FR": [("75001", "Paris"), ("69001", "Lyon"), ("13001", "Marseille")],
    "LU": [("1111", "Luxembourg")],
    "DK": [("1050", "København")],
    "PL": [("00-001", "Warszawa"), ("30-001", "Kraków")],
    "IT": [("00118", "Roma"), ("20121", "Milano")],
    "ES": [("28001", "Madrid"), ("08001", "Barcelona")],
    "CH": [("8001", "Zürich"), ("3011", "Bern")],
    "GB": [("SW1A 1AA", "London"), ("M1 1AE", "Manchester")],
    "US": [("10001", "New York"), ("94105", "San Francisco")],
}  # fmt: skip
US_STATES = {"10001": "US-NY", "94105": "US-CA"}
PRODUCTS = [
    ("T-Shirt", "610910", 0.2, 19.95), ("Jeans", "620342", 0.6, 79.90),
    ("Sneaker", "640411", 0.9, 89.00), ("Jacke", "620193", 1.1, 149.00),
    ("Rucksack", "420292", 0.8, 59.00), ("Kaffeebecher", "691200", 0.35, 12.50),
    ("Buch", "490199", 0.5, 24.00), ("Schal", "611710", 0.15, 29.90),
]  # fmt: skip

# Sender addresses seeded for every account: DE, AT, NL, with brand index and label.
SENDER_ADDRESSES = [
    ("Muster Handel GmbH", "Lager Berlin", "Lagerstraße", "12", "12099", "Berlin", "DE", 0,
     "DE123456789"),
    ("Muster Handel GmbH", "Lager Hamburg", "Hafenweg", "7a", "20457", "Hamburg", "DE", 0,
     "DE123456789"),
    ("Muster Outdoor GmbH", "Outdoor München", "Isarring", "3", "80805", "München", "DE", 1,
     "DE987654321"),
    ("Muster Handel GmbH", "Lager Wien", "Simmeringer Hauptstraße", "101", "1110", "Wien",
     "AT", 0, "ATU12345678"),
    ("Muster Handel B.V.", "Magazijn Venlo", "Logistiekweg", "24", "5928 LZ", "Venlo", "NL", 0,
     "NL123456789B01"),
]  # fmt: skip
BRANDS = [
    ("Muster Mode", "#112857", "#f2c12e", "https://mode.example.com", "muster-mode"),
    ("Muster Outdoor", "#2e6b30", "#e0e0e0", "https://outdoor.example.com", None),
]
RETURN_REASONS = {
    1: "Product did not match expectations",
    4: "Incorrect product ordered",
    11: "Changed my mind",
    21: "Poor quality / faulty",
    22: "Does not fit properly",
    26: "Wrong size ordered",
}
INVOICE_ITEMS = ["Label", "Insurance", "Fuel surcharge", "Credit requested for label",
                 "Subscription", "Return label"]  # fmt: skip
# Weighted parcel status mix of a shop's history (v2 ids).
STATUS_WEIGHTS = [
    (11, 40), (93, 4), (1000, 8), (1, 4), (3, 3), (5, 2), (7, 1), (22, 3), (91, 4), (92, 2),
    (12, 2), (62990, 2), (62989, 1), (8, 1), (4, 2), (13, 1), (80, 1), (62991, 1), (62992, 1),
    (62996, 1), (62997, 1), (999, 4), (1001, 1), (1002, 2), (2000, 4), (1999, 1), (1998, 1),
    (2001, 1), (94, 1), (15, 1), (6, 1), (1337, 1), (62993, 1), (62994, 1), (62995, 1),
]  # fmt: skip
