"""Breadcrumbs built from the menu, so a page sits where the menu puts it.

The menu (templates/backoffice/nav.html) is the one place that says where a page lives:
"Konfiguration › Lager › Eigene Versandarten", "Verkauf › Versandlabels". A page names the menu
entry it belongs to (its URL) and what follows it; the trail down to that entry is read from the
menu as this user sees it, so menu and breadcrumb cannot disagree.

Template library `backoffice_menu` (registered in settings.TEMPLATES):

    {% url 'admin:sales_deliveryorder_changelist' as entry %}
    {% url 'admin:sales_deliveryorder_change' delivery.pk as delivery_url %}
    {% menu_breadcrumbs entry delivery.number delivery_url title "" %}

The arguments after the entry are pairs of a label and its link ("" for none).
"""

from __future__ import annotations

from html.parser import HTMLParser

from django import template
from django.template.loader import get_template
from django.urls import reverse
from django.utils.translation import get_language

register = template.Library()
MENU_TEMPLATE = "backoffice/nav.html"


class _MenuParser(HTMLParser):
    """Reads nested <li><a|span>label</…><ul>…</ul></li> into href → labels down to it."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.open_items: list[str] = []  # the label of every <li> we are inside
        self.capturing = ""
        self.href = ""
        self.text: list[str] = []
        self.entries: dict[str, list[str]] = {}

    def handle_starttag(self, tag, attrs):
        if tag == "li":
            self.open_items.append("")
        elif tag in ("a", "span") and self.open_items and not self.open_items[-1]:
            if not self.capturing:
                self.capturing, self.text = tag, []
                self.href = dict(attrs).get("href", "") if tag == "a" else ""

    def handle_data(self, data):
        if self.capturing:
            self.text.append(data)

    def handle_endtag(self, tag):
        if tag == self.capturing:
            self.open_items[-1] = " ".join("".join(self.text).split())
            if tag == "a" and self.href:
                self.entries.setdefault(self.href, list(self.open_items))
            self.capturing = ""
        elif tag == "li" and self.open_items:
            self.open_items.pop()


def menu_entries(context) -> dict[str, list[str]]:
    """Every link of the menu as this user sees it: href → the labels from the top down to it."""
    request = context.get("request")
    key = get_language()
    cached = getattr(request, "_menu_entries", None)
    if cached is not None and cached[0] == key:
        return cached[1]
    rendered = get_template(MENU_TEMPLATE).render(context.flatten(), request)
    parser = _MenuParser()
    parser.feed(rendered)
    parser.close()
    if request is not None:  # a page asks twice (admin: its entry, then the trail)
        request._menu_entries = (key, parser.entries)
    return parser.entries


def menu_trail(context, entry: str) -> list[tuple[str, str]]:
    """(label, link) from the first level of the menu down to `entry`; only the entry links."""
    labels = menu_entries(context).get(entry)
    if not labels:
        return []
    return [(label, "") for label in labels[:-1]] + [(labels[-1], entry)]


@register.inclusion_tag("backoffice/breadcrumbs.html", takes_context=True)
def menu_breadcrumbs(context, entry, *tail):
    """The overview, the menu's trail down to `entry`, then `tail` (label, link, label, link…)."""
    crumbs = menu_trail(context, str(entry or ""))
    pairs = list(tail) + [""] * (len(tail) % 2)
    crumbs += [(str(pairs[i]), str(pairs[i + 1] or "")) for i in range(0, len(pairs), 2)]
    crumbs = [(label, link) for label, link in crumbs if label]
    if crumbs:  # the page itself is never a link to itself
        crumbs[-1] = (crumbs[-1][0], "")
    overview = reverse("admin:index")
    if crumbs and crumbs[0][1] == overview:
        crumbs = crumbs[1:]
    return {"overview": overview, "crumbs": crumbs}


@register.simple_tag(takes_context=True)
def admin_menu_entry(context, opts) -> str:
    """The changelist URL of an admin page's model if the menu links it, else ""."""
    try:
        url = reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")
    except Exception:  # noqa: BLE001 - a model without a changelist is simply not in the menu
        return ""
    return url if url in menu_entries(context) else ""
