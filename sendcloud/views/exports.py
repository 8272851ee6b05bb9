"""A report table as a download: CSV (stdlib) or Excel (openpyxl)."""

import csv
from datetime import date, datetime
from decimal import Decimal
from io import BytesIO

from django.http import HttpResponse
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

FORMATS = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def _plain(value):
    """A cell as the file keeps it: numbers stay numbers, times lose their zone (Excel has none)."""
    if isinstance(value, datetime):
        return timezone.localtime(value).replace(tzinfo=None) if timezone.is_aware(value) else value
    if value is None or isinstance(value, bool | int | float | Decimal | date):
        return value
    return str(value)


def _csv_safe(value) -> str:
    """Text that a spreadsheet would run as a formula is quoted (CSV injection)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    text = value.isoformat(sep=" ") if isinstance(value, datetime) else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def table_download(filename: str, fmt: str, headings, rows) -> HttpResponse:
    """The headings and rows (lists of plain values) as `filename.<fmt>`."""
    response = HttpResponse(content_type=FORMATS[fmt])
    response["Content-Disposition"] = f'attachment; filename="{filename}.{fmt}"'
    if fmt == "csv":
        response.write("\ufeff")  # Excel opens UTF-8 CSV correctly only with a BOM
        writer = csv.writer(response, delimiter=";")
        writer.writerow([str(h) for h in headings])
        for row in rows:
            writer.writerow([_csv_safe(_plain(v)) for v in row])
        return response
    book = Workbook(write_only=False)
    sheet = book.active
    sheet.title = filename[:31]
    sheet.append([str(h) for h in headings])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    widths = [len(str(h)) for h in headings]
    for row in rows:
        values = [_plain(v) for v in row]
        sheet.append(values)
        for cell in sheet[sheet.max_row]:
            if cell.data_type == "f":  # text from Sendcloud is never run as a formula
                cell.data_type = "s"
        widths = [max(w, min(len(str(v or "")), 60)) for w, v in zip(widths, values, strict=False)]
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width + 2
    sheet.freeze_panes = "A2"
    buffer = BytesIO()
    book.save(buffer)
    response.write(buffer.getvalue())
    return response
