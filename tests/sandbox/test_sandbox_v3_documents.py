"""v3 parcel documents: printable PDFs with the barcode's tracking number, ZPL, bulk files."""

import pytest
from sandbox_labels import announce_body, pdf_pages, pdf_text, us_body
from sandbox_shapes import sample


@pytest.fixture
def announced(sandbox_client):
    return sandbox_client.post("/api/v3/shipments/announce", json=announce_body()).json()["data"]


def test_label_is_an_a6_pdf_with_tracking_number_carrier_and_both_addresses(
    sandbox_client, announced
):
    parcel = announced["parcels"][0]
    response = sandbox_client.get(f"/api/v3/parcels/{parcel['id']}/documents/label")
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/pdf"
    pages = pdf_pages(response.content)
    assert len(pages) == 1
    width, height = float(pages[0].mediabox.width), float(pages[0].mediabox.height)
    assert (round(width), round(height)) == (298, 420)  # A6 in points
    text = pdf_text(response.content)
    assert parcel["tracking_number"] in text
    assert "DHL" in text and "Jan Voorbeeld" in text and "Marie Voorbeeld" in text
    assert "80331 München" in text and "10115 Berlin" in text


def test_a4_paper_and_zpl_on_request(sandbox_client, announced):
    parcel = announced["parcels"][0]
    url = f"/api/v3/parcels/{parcel['id']}/documents/label"
    a4 = sandbox_client.get(url, params={"paper_size": "A4"})
    page = pdf_pages(a4.content)[0]
    assert (round(float(page.mediabox.width)), round(float(page.mediabox.height))) == (595, 842)
    zpl = sandbox_client.get(url, headers={"Accept": "application/zpl"})
    assert zpl.headers["content-type"] == "application/zpl"
    assert zpl.content.startswith(b"^XA") and b"^BCN" in zpl.content
    assert parcel["tracking_number"].encode() in zpl.content
    png = sandbox_client.get(url, headers={"Accept": "image/png"})
    assert png.status_code == 406


def test_label_bought_as_native_zpl_stays_zpl(sandbox_client):
    body = announce_body(label_details={"mime_type": "application/zpl", "dpi": 203})
    data = sandbox_client.post("/api/v3/shipments/announce", json=body).json()["data"]
    parcel_id = data["parcels"][0]["id"]
    response = sandbox_client.get(f"/api/v3/parcels/{parcel_id}/documents/label")
    assert response.headers["content-type"] == "application/zpl"


def test_customs_declaration_for_a_parcel_leaving_the_eu(sandbox_client, announced):
    us = sandbox_client.post("/api/v3/shipments/announce", json=us_body()).json()["data"]
    parcel = us["parcels"][0]
    response = sandbox_client.get(f"/api/v3/parcels/{parcel['id']}/documents/customs-declaration")
    assert response.status_code == 200
    text = pdf_text(response.content)
    assert "Commercial invoice" in text and "620520" in text and parcel["tracking_number"] in text
    domestic = announced["parcels"][0]["id"]
    missing = sandbox_client.get(f"/api/v3/parcels/{domestic}/documents/customs-declaration")
    assert missing.status_code == 404
    assert missing.json() == sample("v3_parcel_document_404.json")


def test_unknown_parcel_and_unknown_type(sandbox_client):
    response = sandbox_client.get("/api/v3/parcels/1/documents/label")
    assert response.status_code == 404
    assert response.json() == sample("v3_parcel_document_404.json")
    bad = sandbox_client.get("/api/v3/parcels/1/documents/passport")
    assert bad.status_code == 400
    assert bad.json() == {
        "errors": [{"code": "invalid", "status": "400", "detail": "Invalid document type."}]
    }


def test_bulk_documents_put_several_parcels_into_one_file(sandbox_client):
    ids = [
        sandbox_client.post("/api/v3/shipments/announce", json=announce_body()).json()["data"][
            "parcels"
        ][0]["id"]
        for _ in range(3)
    ]
    response = sandbox_client.get(
        "/api/v3/parcel-documents/label", params=[("parcels", i) for i in ids]
    )
    assert response.status_code == 200
    assert len(pdf_pages(response.content)) == 3
    a4 = sandbox_client.get(
        "/api/v3/parcel-documents/label",
        params=[("parcels", i) for i in ids] + [("paper_size", "A4")],
    )
    assert len(pdf_pages(a4.content)) == 1  # four labels per sheet
    too_many = sandbox_client.get(
        "/api/v3/parcel-documents/label", params=[("parcels", ids[0])] * 21
    )
    assert too_many.status_code == 400
    unknown = sandbox_client.get("/api/v3/parcel-documents/label", params={"parcels": "1"})
    assert unknown.status_code == 404


def test_no_label_before_the_announcement(sandbox_client):
    data = sandbox_client.post("/api/v3/shipments", json=announce_body()).json()["data"]
    parcel_id = data["parcels"][0]["id"]
    response = sandbox_client.get(f"/api/v3/parcels/{parcel_id}/documents/label")
    assert response.status_code == 404
