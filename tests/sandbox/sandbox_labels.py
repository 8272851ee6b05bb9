"""Request bodies and helpers shared by the sandbox's label and shipment tests."""

import copy
import io

from pypdf import PdfReader
from sandbox_shapes import sample


def announce_body(**changes) -> dict:
    """The official announce example, made valid for the sandbox's catalogue (DE → DE, DHL)."""
    body = copy.deepcopy(sample("v3_shipment_announce.request.json"))
    body["ship_with"] = {
        "type": "shipping_option_code",
        "properties": {"shipping_option_code": "dhl:paket"},
    }
    body["from_address"].update(country_code="DE", postal_code="10115", city="Berlin")
    body["to_address"].update(country_code="DE", postal_code="80331", city="München")
    body.update(changes)
    return body


def us_body(**changes) -> dict:
    """A shipment to the US (outside the EU: customs data needed; UPS Standard stays in
    Europe, Express Saver goes worldwide)."""
    body = announce_body(**changes)
    body["ship_with"]["properties"]["shipping_option_code"] = "ups:express_saver"
    body["to_address"].update(country_code="US", postal_code="10001", city="New York",
                              state_province_code="US-NY")  # fmt: skip
    body["customs_information"] = {
        "invoice_number": "INV-1", "export_reason": "commercial_goods",
        "export_type": "commercial_b2c",
    }  # fmt: skip
    return body


def pdf_text(data: bytes) -> str:
    reader = PdfReader(io.BytesIO(data))
    return "\n".join(page.extract_text() for page in reader.pages)


def pdf_pages(data: bytes) -> list:
    return PdfReader(io.BytesIO(data)).pages
