from django.core.checks import run_checks
from django.test import override_settings


def ids(**settings):
    with override_settings(**settings):
        return {message.id for message in run_checks()}


def test_production_refuses_development_secret_key():
    from django.conf import settings

    assert "config.E001" in ids(DEBUG=False, SECRET_KEY=settings.DEV_SECRET_KEY)


def test_production_requires_encryption_key():
    assert "config.E002" in ids(DEBUG=False, SECRETS_ENCRYPTION_KEY="")


def test_sendcloud_base_url_must_be_absolute():
    assert "config.E004" in ids(SENDCLOUD_BASE_URL="panel.sendcloud.sc")


def test_unknown_broker_scheme_is_refused():
    assert "config.E005" in ids(CELERY_BROKER_URL="kafka://localhost")


def test_development_defaults_pass():
    assert not {i for i in ids(DEBUG=True) if i.startswith("config.E")}


def test_production_with_keys_set_passes():
    found = ids(DEBUG=False, SECRET_KEY="x" * 50, SECRETS_ENCRYPTION_KEY="k" * 32)
    assert not {i for i in found if i.startswith("config.E")}


def test_a_mistyped_metrics_network_is_refused_at_start_up():
    assert "config.E010" in ids(METRICS_ALLOWED_NETWORKS=["10.0.0.0/8", "10.0.0.300"])
    assert "config.E010" not in ids(METRICS_ALLOWED_NETWORKS=["10.0.0.0/8", "none"])
