"""Every command of the project speaks `--json` and exits with a code scripts can trust."""

import io
import json

import pytest
from django.core.management import call_command, get_commands, load_command_class
from django.core.management.base import CommandError

from backoffice.command_output import USAGE, JsonCommand
from backoffice.companies.models import ApiToken
from tests.factories import UserFactory


def project_commands() -> list[tuple[str, str]]:
    return sorted(
        (name, app)
        for name, app in get_commands().items()
        if app.startswith(("sendcloud", "backoffice"))
    )


def test_every_command_of_the_project_offers_json_in_its_help():
    found = project_commands()
    names = [name for name, _app in found]
    assert {"sendcloud_api_token", "sendcloud_labels", "demo_data"} <= set(names), names
    for name, app in found:
        command = load_command_class(app, name)
        assert isinstance(command, JsonCommand), name
        assert "--json" in command.create_parser("manage.py", name).format_help(), name


@pytest.mark.django_db
def test_the_token_command_with_json_prints_one_document_holding_the_token():
    api_user = UserFactory()
    out = io.StringIO()
    call_command("sendcloud_api_token", api_user.username, "--name", "POS", "--json", stdout=out)
    document = json.loads(out.getvalue())
    assert document["ok"] is True and document["exit_code"] == 0
    assert document["results"][0]["name"] == "POS"
    token = ApiToken.objects.get(user=api_user)
    assert token.digest == ApiToken.hash(document["summary"]["token"])
    assert document["results"][0]["prefix"] == token.prefix


@pytest.mark.django_db
def test_the_token_command_for_no_such_user_is_a_usage_error(db):
    out = io.StringIO()
    with pytest.raises(CommandError) as refused:
        call_command("sendcloud_api_token", "nobody", "--json", stdout=out)
    assert refused.value.returncode == USAGE
    document = json.loads(out.getvalue())
    assert document["ok"] is False and document["exit_code"] == USAGE
    assert "nobody" in document["error"]


@pytest.mark.django_db
def test_demo_data_with_json_gives_the_logins_in_its_summary(tmp_path):
    out = io.StringIO()
    call_command("demo_data", "--orders", "5", "--json", stdout=out)
    summary = json.loads(out.getvalue())["summary"]
    assert summary["created"] is True and summary["demo_password"]
    assert summary["operator_password"]
