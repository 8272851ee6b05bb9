"""Sendcloud's refusals in German: the field to fix and how, the carrier's words once."""

import json

import pytest
from django.utils import translation

from sendcloud.client.errors import (
    AnnouncementFailed,
    RateLimited,
    ServerError,
    Timeout,
    error_from_response,
)
from sendcloud.refusals import is_definite, refusal_for_error, refusal_for_text


@pytest.fixture(autouse=True)
def german():
    with translation.override("de"):
        yield


def v3_400(*errors) -> bytes:
    return json.dumps(
        {
            "errors": [
                {"detail": detail, "status": "400", "source": {"pointer": pointer}, "code": code}
                for pointer, detail, code in errors
            ]
        }
    ).encode()


CARRIER_TEXTS = [
    (
        "Service error: DPD Home does not ship from DE to GB.",
        "shipping_method",
        "Strecke: DPD Home versendet nicht von Deutschland (DE) nach Vereinigtes Königreich (GB)",
    ),
    (
        "Service error: The parcel weight of 40.000 kg is outside the range of "
        "0.001-31.500 kg allowed for DHL Paket.",
        "weight",
        "Gewicht: 40 kg liegt außerhalb von 0,001–31,5 kg, die DHL Paket annimmt",
    ),
    (
        "Service error: PostNL Standard does not support multicollo shipments.",
        "packages",
        "PostNL Standard nimmt keine Sendung mit mehreren Paketen an",
    ),
    ("Service error: a service point is required.", "service_point_id", "liefert nur an einen"),
    ("Service error: invalid service point id 42", "service_point_id", "passt nicht"),
    ("Service error: phone number is required for this carrier", "phone", "Telefonnummer"),
    ("Service error: recipient email missing", "email", "E-Mail-Adresse"),
    (
        "Service error: An error occurred while connecting to the carrier.",
        "",
        "Sendcloud hat das Label abgelehnt",
    ),
]


@pytest.mark.parametrize(("text", "field", "german"), CARRIER_TEXTS)
def test_carrier_refusal_texts_become_german_reasons_naming_the_field(text, field, german):
    refusal = refusal_for_text(text)
    [problem] = refusal.problems
    assert problem.field == field
    assert german in problem.message
    assert refusal.carrier_text == text  # kept once, beside the German reason


FIELD_POINTERS = [
    (
        "/data/attributes/parcels/1/parcel_items",
        "This field is required for shipments outside the EU customs territory.",
        "required",
        "customs",
        "Zolltarifnummer",
    ),
    (
        "/to_service_point",
        "A service point is required for x.",
        "required",
        "service_point_id",
        "Paketshop",
    ),
    (
        "/to_address/country_code",
        '"NO" is not a valid choice.',
        "invalid_choice",
        "country",
        "Sendcloud nimmt Norwegen (NO) als Ziel",
    ),  # fmt: skip
    (
        "/to_address/postal_code",
        "This field is required.",
        "required",
        "postal_code",
        "Postleitzahl",
    ),
    (
        "/to_address/house_number",
        "Ensure this field has no more than 8 characters.",
        "max_length",
        "house_number",
        "nimmt das Feld „Hausnummer“ nicht an",
    ),  # fmt: skip
    ("/to_address/phone_number", "This field is required.", "required", "phone", "Telefon"),
    ("/to_address/email", "Enter a valid email address.", "invalid", "email", "E-Mail"),
    ("/parcels/0/weight", "A valid weight is required.", "invalid", "weight", "Gewicht"),
    (
        "/ship_with/properties/shipping_option_code",
        'Shipping option "x:y" is not available for this account.',
        "invalid",
        "shipping_method",
        "Abgleich",
    ),
    ("/from_address/sender_address_id", 'Invalid pk "9".', "invalid", "sender_address", "Lager"),
    ("/label_details/dpi", "Something new.", "invalid", "", "Sendcloud hat das Label abgelehnt"),
]


@pytest.mark.parametrize(("pointer", "detail", "code", "field", "german"), FIELD_POINTERS)
def test_400_field_pointers_become_german_reasons_naming_the_field(
    pointer, detail, code, field, german
):
    error = error_from_response(400, v3_400((pointer, detail, code)))
    assert is_definite(error)
    [problem] = refusal_for_error(error).problems
    assert problem.field == field
    assert german in problem.message


V2_MESSAGES = [
    ('country: "Select a valid choice. NO is not one of the choices."', "country", "NO"),
    (
        'to_service_point: "This shipping method requires a service point."',
        "service_point_id",
        "liefert nur an einen",
    ),  # fmt: skip
    ('parcel_items: "This field is required for shipments outside the EU."', "customs", "Zoll"),
    ('telephone: "This field is required."', "phone", "Telefonnummer"),
    (
        "non_field_errors: Service error: DHL Paket does not ship from NL to NL.",
        "shipping_method",
        "von Niederlande (NL) nach Niederlande (NL)",
    ),
]


@pytest.mark.parametrize(("message", "field", "german"), V2_MESSAGES)
def test_v2_answers_map_like_v3_pointers(message, field, german):
    body = json.dumps({"error": {"code": 400, "message": message}}).encode()
    error = error_from_response(400, body)
    [problem] = refusal_for_error(error).problems
    assert problem.field == field and german in problem.message


def test_a_service_point_sendcloud_does_not_know_is_named_invalid_not_missing():
    error = error_from_response(400, v3_400(("/to_service_point/id", "Invalid pk.", "invalid")))
    [problem] = refusal_for_error(error).problems
    assert problem.field == "service_point_id" and "passt nicht" in problem.message


def test_several_parcels_missing_items_give_one_reason_not_one_per_parcel():
    error = error_from_response(
        400,
        v3_400(
            (
                "/parcels/0/parcel_items",
                "This field is required for shipments outside.",
                "required",
            ),
            (
                "/parcels/1/parcel_items",
                "This field is required for shipments outside.",
                "required",
            ),
        ),
    )
    assert [p.field for p in refusal_for_error(error).problems] == ["customs"]


def test_only_validation_answers_and_carrier_refusals_are_definite():
    assert is_definite(AnnouncementFailed("Service error: x"))
    assert is_definite(error_from_response(400, v3_400(("/to_address/city", "Required", "x"))))
    assert not is_definite(RateLimited("slow down", status_code=429))
    assert not is_definite(ServerError("boom", status_code=502))
    assert not is_definite(Timeout("read timeout"))
    busy = b'{"errors":[{"detail":"We are still processing a previous request"}]}'
    assert not is_definite(error_from_response(400, busy))
