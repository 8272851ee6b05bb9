"""English dates in one short form everywhere: 2026-12-07 and 2026-12-07 01:21.

The back office's English readers are European colleagues: Django's US forms ("12/07/2026",
"1:21 a.m.") read as 12 July to them, ISO dates read the same to everyone, match the admin's
date inputs (DATE_INPUT_FORMATS[0] is %Y-%m-%d) and are what an English spreadsheet parses.
"""

DATE_FORMAT = "Y-m-d"
DATETIME_FORMAT = "Y-m-d H:i"
SHORT_DATE_FORMAT = "Y-m-d"
SHORT_DATETIME_FORMAT = "Y-m-d H:i"
TIME_FORMAT = "H:i"
