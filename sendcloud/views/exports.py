"""A report table as a download: CSV (stdlib) or Excel (openpyxl), in the reader's locale.

CSV is read by a spreadsheet with the reader's regional settings, so it is written in them:
German → semicolons, decimal commas and dates as on screen ("07.12.2026 01:21"); English →
commas, decimal points and ISO dates. German numbers carry no thousands dots ("1800,01", not
"1.800,01"): German Excel and LibreOffice read both as the number, but only the plain form is
never mistaken for a decimal point by a tool told "decimal comma" and nothing else (pandas,
Power Query). Excel cells keep their types; only the display format of times follows the locale.
"""

import csv
from datetime import date, datetime
from decimal import Decimal
from io import BytesIO

from django.http import HttpResponse
from django.utils import formats, timezone
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

FORMATS = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
# Excel's number formats for the back office's date formats (config/formats/), by language.
EXCEL_TIME_FORMATS = {
    "d.m.Y H:i": ("dd.mm.yyyy hh:mm", "dd.mm.yyyy"),
    "Y-m-d H:i": ("yyyy-mm-dd hh:mm", "yyyy-mm-dd"),
}
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _plain(value):
    """A cell as the file keeps it: numbers stay numbers, times lose their zone (Excel has none)."""
    if isinstance(value, datetime):
        return timezone.localtime(value).replace(tzinfo=None) if timezone.is_aware(value) else value
    if value is None or isinstance(value, bool | int | float | Decimal | date):
        return value
    return str(value)


class CsvCells:
    """Turns plain values into CSV text in the active language's conventions."""

    def __init__(self):
        self.decimal_mark = formats.get_format("DECIMAL_SEPARATOR")
        # Spreadsheets split on ";" where the comma is the decimal mark (Excel's list separator).
        self.delimiter = ";" if self.decimal_mark == "," else ","
        self.datetime_format = formats.get_format("SHORT_DATETIME_FORMAT")
        self.date_format = formats.get_format("SHORT_DATE_FORMAT")

    def text(self, value) -> str:
        value = _plain(value)
        if value is None:
            return ""
        if isinstance(value, bool):
            return "1" if value else "0"
        if isinstance(value, datetime):
            return formats.date_format(value, self.datetime_format)
        if isinstance(value, date):
            return formats.date_format(value, self.date_format)
        if isinstance(value, int):
            return str(value)
        if isinstance(value, float | Decimal):
            # Never "1E+3": the digits as stored, with the reader's decimal mark.
            return format(Decimal(str(value)), "f").replace(".", self.decimal_mark)
        # Text that a spreadsheet would run as a formula is quoted (CSV injection).
        return "'" + value if value[:1] in FORMULA_STARTS else value


def _csv(response: HttpResponse, headings, rows) -> None:
    cells = CsvCells()
    response.write("\ufeff")  # Excel opens UTF-8 CSV correctly only with a BOM
    writer = csv.writer(response, delimiter=cells.delimiter)
    writer.writerow([str(h) for h in headings])
    for row in rows:
        writer.writerow([cells.text(v) for v in row])


def _xlsx(response: HttpResponse, title: str, headings, rows) -> None:
    """Write-only workbook (streams rows, no cell objects kept); widths need the rows first."""
    headings = [str(h) for h in headings]
    table = [[_plain(v) for v in row] for row in rows]
    widths = [len(h) for h in headings]
    for values in table:
        widths = [
            max(w, min(len(str(v)) if v is not None else 0, 60))
            for w, v in zip(widths, values, strict=False)
        ]
    datetime_format, date_format = EXCEL_TIME_FORMATS.get(
        formats.get_format("SHORT_DATETIME_FORMAT"), EXCEL_TIME_FORMATS["Y-m-d H:i"]
    )
    book = Workbook(write_only=True)
    sheet = book.create_sheet(title[:31])
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width + 2
    sheet.freeze_panes = "A2"
    bold = Font(bold=True)

    def heading(text):
        cell = WriteOnlyCell(sheet, value=text)
        cell.font = bold
        return cell

    def styled(value):
        if isinstance(value, str) and value[:1] == "=":
            cell = WriteOnlyCell(sheet, value=value)
            cell.data_type = "s"  # text from Sendcloud is never run as a formula
            return cell
        if isinstance(value, datetime):
            cell = WriteOnlyCell(sheet, value=value)
            cell.number_format = datetime_format
            return cell
        if isinstance(value, date):
            cell = WriteOnlyCell(sheet, value=value)
            cell.number_format = date_format
            return cell
        return value

    sheet.append([heading(h) for h in headings])
    for values in table:
        sheet.append([styled(v) for v in values])
    buffer = BytesIO()
    book.save(buffer)
    response.write(buffer.getvalue())


def table_download(filename: str, fmt: str, headings, rows) -> HttpResponse:
    """The headings and rows (lists of plain values) as `filename.<fmt>`."""
    response = HttpResponse(content_type=FORMATS[fmt])
    response["Content-Disposition"] = f'attachment; filename="{filename}.{fmt}"'
    if fmt == "csv":
        _csv(response, headings, rows)
    else:
        _xlsx(response, filename, headings, rows)
    return response
