"""Labels for delivery orders (issue 13): the service API the CLI, tasks and screens use.

Create / cancel one delivery order's label:
    delivery_order_label_create(delivery, integration, *, use_rules=False) -> Shipment
        raises LiveLabelExists (has one; `.shipment`), LabelPending (an earlier answer is being
        checked), ApplicationError (problems to fix / carrier refusal), SendcloudError
    delivery_order_label_cancel(delivery, integration) -> Shipment (cancel_status, cancel_message)
    label_preflight(delivery, integration) -> (LabelPlan, [Problem])   # nothing sent
Bulk (one job, per-order results, retry failed only):
    label_job_create(integration, deliveries, user=, kind="create"|"cancel") -> LabelJob
    label_job_execute(job_id, progress=callable)  # the task; also run inline by the CLI
    label_job_retry_failed(job) -> LabelJob | None  # refused orders only once they changed
    label_job_retryable(job) -> (items to send again, refused items unchanged since)
Documents (stored privately on Label.label_pdf / label_zpl / customs_pdf):
    shipment_documents_fetch(shipment_id); label_zpl_fetch(label, client)
    labels_merge(labels, out, paper="a6"|"a4", customs=True) -> pages; customs_merge(labels, out)
    labels_mark_printed(labels)
Status:
    label_status_apply(integration, parcel_dict, timestamp=) -> Label | None  (webhook handler)
    labels_reconcile(integration) -> pages read; labels_reconcile_all()
    (also polls announcements no webhook ended and queues documents live labels lack: sweep.py)
Reads for screens: selectors in `sendcloud.services.labels.queries`.
"""

from sendcloud.webhooks.labels import label_status_apply, status_group

from .cancel import cancel_result_text, delivery_order_label_cancel, shipment_cancel_now
from .create import LiveLabelExists, delivery_order_label_create
from .documents import (
    PAPER_A4,
    PAPER_A6,
    customs_merge,
    label_documents_fetch,
    label_zpl_fetch,
    labels_mark_printed,
    labels_merge,
)
from .preflight import LabelPlan, label_preflight
from .queries import (
    delivery_order_labels,
    label_documents_missing,
    label_section_state,
    label_timeline,
    label_worklist,
    labels_reconcile_all,
    shipment_documents_fetch,
)
from .resolve import LabelPending, shipment_poll, shipment_resolve
from .runs import (
    label_job_create,
    label_job_execute,
    label_job_retry_failed,
    label_job_retryable,
)
from .status import labels_reconcile

__all__ = [
    "PAPER_A4",
    "PAPER_A6",
    "LabelPending",
    "LabelPlan",
    "LiveLabelExists",
    "cancel_result_text",
    "customs_merge",
    "delivery_order_label_cancel",
    "delivery_order_label_create",
    "delivery_order_labels",
    "label_documents_fetch",
    "label_documents_missing",
    "label_job_create",
    "label_job_execute",
    "label_job_retry_failed",
    "label_job_retryable",
    "label_preflight",
    "label_section_state",
    "label_status_apply",
    "label_timeline",
    "label_worklist",
    "label_zpl_fetch",
    "labels_mark_printed",
    "labels_merge",
    "labels_reconcile",
    "labels_reconcile_all",
    "shipment_cancel_now",
    "shipment_documents_fetch",
    "shipment_poll",
    "shipment_resolve",
    "status_group",
]
