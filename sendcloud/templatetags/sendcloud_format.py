"""Template filters for quantities and Sendcloud codes (see sendcloud.formatting, .vocabulary)."""

from django import template

from sendcloud import formatting, vocabulary

register = template.Library()

register.filter("number", formatting.number)
register.filter("money", formatting.money)
register.filter("kg", formatting.weight_kg)
register.filter("seconds", formatting.seconds)
register.filter("ms", formatting.milliseconds)
register.filter("tracking_url", formatting.tracking_url)
register.filter("webhook_action", lambda code: vocabulary.name(vocabulary.WEBHOOK_ACTION, code))
register.filter("api_reference", vocabulary.api_reference_name)
register.filter("parcel_status", lambda code: vocabulary.parcel_status_name(code or ""))
register.filter("query_string", formatting.query_string)
register.filter("ago", formatting.ago)
register.filter("api_body", formatting.api_body)


@register.filter
def count_of(counts, key) -> int:
    """A run's count of one outcome, 0 while it has none (a queued run has no counts yet)."""
    return int((counts or {}).get(key) or 0)
