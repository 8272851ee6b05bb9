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


def test_german_panel_names_parcel_statuses_in_german(
    sandbox_client, sandbox_control, sandbox_account
):
    sandbox_client.post("/api/v3/shipments/announce", json=announce_body())
    german = sandbox_control.get(f"/panel/shipments?account={sandbox_account['id']}&lang=de")
    html = german.get_data(as_text=True)
    assert "Ready to send" not in html and "Announced" not in html
    assert "Versandbereit" in html or "Angemeldet" in html
    english = sandbox_control.get(f"/panel/shipments?account={sandbox_account['id']}&lang=en")
    assert "Ready to send" in english.get_data(as_text=True) or "Announced" in english.get_data(
        as_text=True
    )


def test_the_panels_german_statuses_cover_the_catalogue():
    from sandbox.catalogue import STATUSES
    from sandbox.panel import STATUS_DE

    assert {sid for sid, _code, _message in STATUSES} == set(STATUS_DE)
