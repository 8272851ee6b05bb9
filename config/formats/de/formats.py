"""German dates in one short form everywhere: 07.12.2026 and 07.12.2026 01:21.

Django's German DATE_FORMAT ("7. Dezember 2026") is what admin lists and plain `{{ value }}`
print, while our pages print the short forms; a back office that mixes both reads as three
formats. Only the display formats change; input formats and numbers stay Django's.
"""

DATE_FORMAT = "d.m.Y"
DATETIME_FORMAT = "d.m.Y H:i"
SHORT_DATE_FORMAT = "d.m.Y"
SHORT_DATETIME_FORMAT = "d.m.Y H:i"
TIME_FORMAT = "H:i"
