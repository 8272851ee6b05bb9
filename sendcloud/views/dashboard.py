"""Berichte → Lager → Sendcloud → Dashboard: the day at a glance for everyone who may read.

A page of its own (the first entry under the Sendcloud reports) rather than a section of the
integration overview: the overview is where the integration is set up and lives under
Konfiguration, the dashboard is a report every reading role opens daily, and keeping it apart
keeps the overview's own queries out of the dashboard's budget. The overview links to it.
Figures come from sendcloud.services.dashboard (one query per chart); the charts are drawn by the
vendored Chart.js (static/vendor/chartjs) from the data passed with json_script.
"""

from __future__ import annotations

from django.utils import formats
from django.utils.translation import gettext as _

from sendcloud import formatting
from sendcloud.services import dashboard

from .base import company_of, render


def _day(value) -> str:
    return formats.date_format(value, "SHORT_DATE_FORMAT")


def _month(value) -> str:
    return formats.date_format(value, "YEAR_MONTH_FORMAT")


def sendcloud_dashboard(request):
    company = company_of(request)
    names = dashboard.carrier_names(company)

    def carrier(code: str) -> str:
        return names.get(code) or code.upper() or _("unknown carrier")

    statuses = dashboard.parcels_by_status(company)
    labels = dashboard.labels_per_day(company)
    cost = dashboard.cost_per_carrier_month(company)
    outbox = dashboard.outbox_backlog(company)
    lag = dashboard.webhook_lag(company)
    worklist = dashboard.open_worklist(company)
    errors = dashboard.last_errors(company)
    lag_days = [seconds for seconds in lag["average"] if seconds is not None]
    charts = {
        "statuses": {
            "labels": [name for name, _count in statuses],
            "datasets": [{"label": _("Parcels"), "data": [count for _n, count in statuses]}],
        },
        "labels": {
            "labels": [_day(day) for day in labels["days"]],
            "datasets": [
                {"label": carrier(code), "data": counts}
                for code, counts in labels["carriers"].items()
            ],
        },
        "cost": {
            "labels": [_month(month) for month in cost["months"]],
            "datasets": [
                {
                    "label": f"{carrier(code)} ({currency})",
                    "data": [float(total) for total in totals],
                    "currency": currency,
                }
                for (code, currency), totals in cost["series"].items()
            ],
        },
        "lag": {
            "labels": [_day(day) for day in lag["days"]],
            "datasets": [
                {"label": _("Average (s)"), "data": lag["average"]},
                {"label": _("Longest (s)"), "data": lag["longest"]},
            ],
        },
    }
    cost_totals = {}
    for (_code, currency), totals in cost["series"].items():
        cost_totals[currency] = cost_totals.get(currency, 0) + sum(totals)
    context = {
        "section": "reports",
        "charts": charts,
        "parcels_total": formatting.number(sum(count for _n, count in statuses)),
        "labels_total": formatting.number(
            sum(sum(counts) for counts in labels["carriers"].values())
        ),
        "cost_totals": [
            formatting.money(total, currency) for currency, total in cost_totals.items()
        ],
        "outbox": {
            "count": formatting.number(outbox["count"]),
            "failing": formatting.number(outbox["failing"]),
            "age": formatting.seconds(outbox["age_seconds"]) if outbox["age_seconds"] else "",
        },
        "lag_waiting": formatting.number(lag["waiting"]),
        "lag_average": formatting.seconds(sum(lag_days) / len(lag_days)) if lag_days else "",
        "worklist": worklist,
        "worklist_total": worklist["flagged"] + worklist["needs_fixing"],
        "errors": errors,
        "days": dashboard.DAYS,
        "months": dashboard.MONTHS,
        "webhook_days": dashboard.WEBHOOK_DAYS,
    }
    return render(request, "sendcloud/dashboard.html", context, title=_("Sendcloud dashboard"))
