"""The user pages are German throughout, also the texts Django 5.1+ added to contrib.auth and
its admin, which Django's own German catalogue still leaves untranslated."""

import re

import pytest
from django.urls import reverse

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

ENGLISH = [
    "After you",
    "Password-based authentication",
    "Disabled",
    "Enabled",
    "Reset password",
    "Set password",
    "Raw passwords are not stored",
    "Whether the user will be able",
]


def visible_text(html: str) -> str:
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    return re.sub(r"<[^>]+>", " ", html)


@pytest.mark.parametrize("who", ["administrator", "operator"])
def test_the_add_and_change_user_pages_show_no_english(clerk, who, admin_user, client):
    client.force_login(clerk if who == "administrator" else admin_user)
    client.cookies["django_language"] = "de"
    colleague = UserFactory(company=clerk.company)
    for url in (
        reverse("admin:companies_user_add"),
        reverse("admin:companies_user_change", args=[colleague.pk]),
        reverse("admin:auth_user_password_change", args=[colleague.pk]),
    ):
        text = visible_text(client.get(url).content.decode())
        assert [word for word in ENGLISH if word in text] == [], url
    add = visible_text(client.get(reverse("admin:companies_user_add")).content.decode())
    assert "Anmeldung mit Passwort" in add and "Nachdem Sie den Benutzer angelegt haben" in add


def test_the_group_chooser_speaks_german(clerk_client):
    clerk_client.cookies["django_language"] = "de"
    catalog = clerk_client.get(reverse("admin:jsi18n")).content.decode()
    for english, german in [
        ("Choose all %s", "Alle %s ausw\\u00e4hlen"),
        ("Remove selected %s", "Ausgew\\u00e4hlte %s entfernen"),
        ("Remove all %s", "Alle %s entfernen"),
    ]:
        assert f'"{english}": "{german}"' in catalog, english
