def test_the_back_office_ships_a_favicon(client):
    response = client.get("/favicon.ico")

    assert response.status_code == 200
    assert b"".join(response.streaming_content)[:4] == b"\x00\x00\x01\x00"


def test_pages_name_their_favicon(clerk_client):
    page = clerk_client.get("/").content.decode()

    assert 'rel="icon"' in page and "favicon.ico" in page
