"""Parsers for user, key metadata, invoices, brands, integrations and sender addresses."""

from __future__ import annotations

from typing import Any

from .._values import (
    as_bool,
    as_decimal,
    as_dict,
    as_int,
    as_list,
    as_nullable_str,
    as_str,
    parse_iso,
    parse_v2_datetime,
    str_list,
)
from ..types.account import AuthMetadata, Brand, Integration, Invoice, InvoiceLine, User
from ..types.addresses import SenderAddress
from ..types.common import TaxNumber
from .common import parse_tax_numbers, require_dict, require_id, unwrap


def parse_auth_metadata(body: Any) -> AuthMetadata:
    data = unwrap(body, "data", "auth metadata")
    return AuthMetadata(as_int(data.get("user_id")), as_int(data.get("integration_id")), data)


def parse_user(body: Any) -> User:
    data = unwrap(body, "user", "user")
    modules = tuple(
        name
        for name in (
            as_str(m.get("short_name") or m.get("name"))
            for m in as_list(data.get("modules"))
            if isinstance(m, dict)
        )
        if name
    )
    return User(
        username=as_str(data.get("username")),
        company_name=as_str(data.get("company_name")),
        email=as_str(data.get("email")),
        telephone=as_str(data.get("telephone")),
        address=as_str(data.get("address")),
        postal_code=as_str(data.get("postal_code")),
        city=as_str(data.get("city")),
        registered=parse_v2_datetime(data.get("registered")),
        modules=modules,
        raw=data,
    )


def parse_invoice(body: Any) -> Invoice:
    data = unwrap(body, "invoice", "invoice")
    items = data.get("items")
    lines = tuple(
        InvoiceLine(as_int(i.get("id")), as_str(i.get("name")))
        for i in as_list(items)
        if isinstance(i, dict)
    )
    paid = data.get("isPayed", data.get("is_paid", data.get("isPaid")))
    return Invoice(
        id=require_id(data, "invoice"),
        ref=as_str(data.get("ref")),
        type=as_str(data.get("type")),
        price_incl=as_decimal(data.get("price_incl")),
        price_excl=as_decimal(data.get("price_excl")),
        is_paid=as_bool(paid),
        date=parse_v2_datetime(data.get("date")),
        items_url=items if isinstance(items, str) else None,
        items=lines,
        raw=data,
    )


def parse_brand(body: Any) -> Brand:
    data = unwrap(body, "brand", "brand")
    return Brand(
        id=require_id(data, "brand"),
        name=as_str(data.get("name")),
        domain=as_str(data.get("domain")),
        color=as_str(data.get("color")),
        secondary_color=as_str(data.get("secondary_color")),
        website=as_str(data.get("website")),
        raw=data,
    )


def parse_integration_v2(body: Any) -> Integration:
    data = require_dict(body, "integration")
    return Integration(
        id=require_id(data, "integration"),
        shop_name=as_str(data.get("shop_name")),
        shop_url=as_str(data.get("shop_url")),
        type=as_str(data.get("system")),
        webhook_active=as_bool(data.get("webhook_active")),
        webhook_url=as_str(data.get("webhook_url")),
        service_point_enabled=as_bool(data.get("service_point_enabled")),
        service_point_carriers=str_list(data.get("service_point_carriers")),
        started_failing_at=parse_iso(data.get("failing_since")),
        last_fetched_at=parse_iso(data.get("last_fetch")),
        updated_at=parse_iso(data.get("last_updated_at")),
        raw=data,
    )


def parse_integration_v3(body: Any) -> Integration:
    data = unwrap(body, "data", "integration")
    return Integration(
        id=require_id(data, "integration"),
        shop_name=as_str(data.get("shop_name")),
        shop_url=as_str(data.get("shop_url")),
        type=as_str(data.get("type", data.get("system"))),
        webhook_active=as_bool(data.get("webhook_active")),
        webhook_url=as_str(data.get("webhook_url")),
        service_point_enabled=as_bool(data.get("service_point_enabled")),
        service_point_carriers=str_list(data.get("service_point_carriers")),
        feedback_type=as_str(data.get("feedback_type")),
        started_failing_at=parse_iso(data.get("started_failing_at")),
        last_fetched_at=parse_iso(data.get("last_fetched_at")),
        created_at=parse_iso(data.get("created_at")),
        updated_at=parse_iso(data.get("updated_at")),
        raw=data,
    )


def parse_sender_address_v3(body: Any) -> SenderAddress:
    data = unwrap(body, "data", "sender address")
    signature = as_dict(data.get("signature"))
    text = {
        key: as_nullable_str(data.get(key))
        for key in (
            "name",
            "company_name",
            "address_line_1",
            "house_number",
            "address_line_2",
            "postal_code",
            "city",
            "po_box",
            "state_province_code",
            "country_code",
            "email",
            "phone_number",
        )
    }
    return SenderAddress(
        id=require_id(data, "sender address"),
        **text,
        tax_numbers=parse_tax_numbers(data.get("tax_numbers")),
        signature_full_name=as_str(signature.get("full_name")),
        signature_initials=as_str(signature.get("initials")),
        brand_id=as_int(data.get("brand_id")),
        label=as_str(data.get("label")),
        generation="v3",
        raw=data,
    )


def parse_sender_address_v2(body: Any) -> SenderAddress:
    """v2 names mapped to v3 ones (street → address_line_1, telephone → phone_number, …)."""
    data = unwrap(body, "sender_address", "sender address")
    country = as_str(data.get("country"))
    taxes = tuple(
        TaxNumber(name, country, value)
        for name, value in (
            ("VAT", as_nullable_str(data.get("vat_number"))),
            ("EORI", as_nullable_str(data.get("eori_number"))),
        )
        if value
    )
    return SenderAddress(
        id=require_id(data, "sender address"),
        name=as_str(data.get("contact_name")),
        company_name=as_str(data.get("company_name")),
        address_line_1=as_str(data.get("street")),
        house_number=as_str(data.get("house_number")),
        address_line_2=None,
        postal_code=as_str(data.get("postal_code")),
        city=as_str(data.get("city")),
        po_box=as_str(data.get("postal_box")) or None,
        state_province_code=as_nullable_str(data.get("country_state")),
        country_code=country,
        email=as_str(data.get("email")),
        phone_number=as_str(data.get("telephone")),
        tax_numbers=taxes,
        signature_full_name=as_str(data.get("signature_full_name")),
        signature_initials=as_str(data.get("signature_initials")),
        brand_id=as_int(data.get("brand_id")),
        label=as_str(data.get("label")),
        generation="v2",
        raw=data,
    )
