"""The sandbox's root page says what it is and links its pages and the demo account."""


def test_root_page_links_connect_page_panel_and_demo_account(sandbox_app, sandbox_control):
    account, _created = sandbox_app.extensions["sandbox"].ensure_demo_account(
        parcels=0, returns=0, invoices=0
    )

    page = sandbox_control.get("/?lang=de")

    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "Sendcloud-Sandbox" in html and "Not found" not in html
    assert "/shops/api/connect/" in html
    assert f"/panel/orders?lang=de&account={account['id']}" in html
    assert account["email"] in html and account["public_key"] in html
    english = sandbox_control.get("/?lang=en").get_data(as_text=True)
    assert "Incoming orders" in english
