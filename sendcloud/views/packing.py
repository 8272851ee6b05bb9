"""Verkauf → Packplatz: the scanner-first packing page and its small JSON endpoints.

Every endpoint needs create_labels (roles Versand and Verwaltung); the state of the order being
packed lives in the session; orders, items and parcels are looked up within the user's company.
The page posts with fetch and swaps in the work area the answer brings (`html`).
"""

from django.http import JsonResponse
from django.shortcuts import redirect
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from backoffice.sales.models import DeliveryOrder
from sendcloud.client import SendcloudError
from sendcloud.errors import ApplicationError
from sendcloud.selectors import integration_default
from sendcloud.services.packing import (
    SESSION_KEY,
    PackState,
    packing_panel,
    packing_reprint,
    packing_scan,
    packing_ship,
    packing_stations,
    packing_undo,
)

from .base import company_of, render


def _state(request) -> PackState:
    return PackState.from_session(request.session.get(SESSION_KEY))


def _save(request, state: PackState) -> None:
    request.session[SESSION_KEY] = state.to_session()


def _station(request, state: PackState):
    if state.station_id is None:
        return None
    return packing_stations(company_of(request)).filter(pk=state.station_id).first()


def _current(request, state: PackState):
    if state.delivery_id is None:
        return None
    return (
        DeliveryOrder.objects.filter(company=company_of(request), pk=state.delivery_id)
        .select_related("warehouse", "shipping_method")
        .first()
    )


def _work(request, state: PackState) -> dict:
    company = company_of(request)
    delivery = _current(request, state)
    integration = integration_default(company)
    panel = packing_panel(delivery, state, integration) if delivery else None
    return {"panel": panel, "parcels": state.parcels, "state": state}


def _work_html(request, state: PackState) -> str:
    return render_to_string("sendcloud/packing_work.html", _work(request, state), request)


def _answer(request, state: PackState, *, ok: bool, message: str, **extra) -> JsonResponse:
    _save(request, state)
    return JsonResponse({"ok": ok, "message": message, "html": _work_html(request, state), **extra})


def _refused(request, state: PackState, exc: Exception) -> JsonResponse:
    if isinstance(exc, ApplicationError):
        message = exc.message
        problems = [p.message for p in exc.problems]
    else:
        message = _("Sendcloud did not answer: %(error)s") % {"error": exc}
        problems = []
    return _answer(request, state, ok=False, message=message, problems=problems)


def packing_page(request):
    state = _state(request)
    station = _station(request, state)
    if station is None and state.station_id is not None:
        state.station_id = None
        _save(request, state)
    return render(
        request,
        "sendcloud/packing.html",
        {
            **_work(request, state),
            "stations": packing_stations(company_of(request)),
            "station": station,
        },
        title=_("Packing station"),
    )


@require_POST
def packing_station_choose(request):
    """The station of this browser session ("" = none: labels open in the print dialog)."""
    state = _state(request)
    chosen = request.POST.get("station", "")
    station = (
        packing_stations(company_of(request)).filter(pk=chosen).first()
        if chosen.isdigit()
        else None
    )
    state.station_id = station.pk if station else None
    _save(request, state)
    return redirect("sendcloud:packing")


@require_POST
def packing_scan_view(request):
    state = _state(request)
    try:
        result, _delivery = packing_scan(
            company_of(request), state, request.POST.get("code", ""), _station(request, state)
        )
    except ApplicationError as exc:
        return _refused(request, state, exc)
    return _answer(request, state, ok=True, message=result.message, kind=result.kind)


def _printed_answer(request, state, printed, done_text: str) -> JsonResponse:
    trackings = ", ".join(printed.trackings)
    if printed.print_state == "failed":
        message = printed.message
    elif printed.print_state == "browser":
        message = _("%(done)s – tracking %(tracking)s; print it in the browser's dialog.") % {
            "done": done_text,
            "tracking": trackings or "–",
        }
    else:
        message = _("%(done)s – tracking %(tracking)s.") % {
            "done": done_text,
            "tracking": trackings or "–",
        }
    return _answer(
        request,
        state,
        ok=printed.print_state != "failed",
        message=message,
        print_state=printed.print_state,
        trackings=printed.trackings,
        shipment=printed.shipment.pk,
        browser_urls=printed.browser_urls,
    )


@require_POST
def packing_ship_view(request):
    """Enter: the label, printed at the station."""
    state = _state(request)
    delivery = _current(request, state)
    try:
        if delivery is None:
            raise ApplicationError(_("Scan a delivery order first."))
        printed = packing_ship(
            delivery,
            state,
            integration_default(company_of(request)),
            _station(request, state),
            user=request.user,
        )
    except (ApplicationError, SendcloudError) as exc:
        return _refused(request, state, exc)
    return _printed_answer(request, state, printed, _("printed"))


def _shipment_id(request, state: PackState):
    value = request.POST.get("shipment", "")
    if value.isdigit():
        return int(value)
    return state.parcels[0].shipment_id if state.parcels else None


@require_POST
def packing_reprint_view(request):
    """Erneut drucken: the same label again, nothing bought."""
    state = _state(request)
    try:
        shipment_id = _shipment_id(request, state)
        if shipment_id is None:
            raise ApplicationError(_("Nothing printed yet in this session."))
        printed = packing_reprint(
            company_of(request), state, shipment_id, _station(request, state), user=request.user
        )
    except (ApplicationError, SendcloudError) as exc:
        return _refused(request, state, exc)
    return _printed_answer(request, state, printed, _("printed again"))


@require_POST
def packing_undo_view(request):
    """Undo a parcel of the session: cancel its label (Sendcloud's answer is shown)."""
    state = _state(request)
    try:
        shipment_id = _shipment_id(request, state)
        if shipment_id is None:
            raise ApplicationError(_("Nothing printed yet in this session."))
        text = packing_undo(company_of(request), state, shipment_id)
    except (ApplicationError, SendcloudError) as exc:
        return _refused(request, state, exc)
    return _answer(request, state, ok=True, message=_("Label: %(result)s") % {"result": text})
