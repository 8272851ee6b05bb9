"""The panel's shipments page lists created shipments with their labels and zoned times."""

from sandbox_labels import announce_body, us_body


def test_panel_lists_created_shipments_with_label_links_and_zoned_times(
    sandbox_client, sandbox_control, sandbox_account
):
    created = sandbox_client.post(
        "/api/v3/shipments/announce", json=announce_body(external_reference_id="LA-5#1")
    ).json()["data"]
    sandbox_client.post("/api/v3/shipments/announce", json=us_body())
    page = sandbox_control.get(f"/panel/shipments?account={sandbox_account['id']}&lang=de")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    parcel = created["parcels"][0]
    assert "Sendungen und Labels" in html and "2 Sendungen" in html
    assert "LA-5#1" in html and parcel["tracking_number"] in html
    assert f"/api/v3/parcels/{parcel['id']}/documents/label" in html
    assert "/documents/customs-declaration" in html
    assert " CET" in html or " CEST" in html  # times carry their zone
    seeded_only = sandbox_control.get("/panel/shipments?account=1")
    assert seeded_only.status_code == 404


def test_panel_in_english_without_shipments(sandbox_control, sandbox_account):
    html = sandbox_control.get(
        f"/panel/shipments?account={sandbox_account['id']}&lang=en"
    ).get_data(as_text=True)
    assert "No shipments yet" in html
