"""Queue Sendcloud order pushes in the same transaction as the delivery order change; add the
packing station's demo rows to the demo company."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from backoffice.demo import demo_data_ready
from backoffice.sales.models import DeliveryOrder, DeliveryOrderLine, Package
from sendcloud import jobs
from sendcloud.services.orders.outbox import order_outbox_enqueue
from sendcloud.services.printer_setup import printing_demo_setup


def _queue(delivery: DeliveryOrder) -> None:
    if order_outbox_enqueue(delivery) is not None:
        jobs.kick(jobs.ORDER_OUTBOX_DELIVER)


@receiver(post_save, sender=DeliveryOrder, dispatch_uid="sendcloud_delivery_saved")
def delivery_order_saved(sender, instance, raw=False, **kwargs):
    if not raw:
        _queue(instance)


@receiver(post_save, sender=DeliveryOrderLine, dispatch_uid="sendcloud_line_saved")
@receiver(post_delete, sender=DeliveryOrderLine, dispatch_uid="sendcloud_line_deleted")
@receiver(post_save, sender=Package, dispatch_uid="sendcloud_package_saved")
@receiver(post_delete, sender=Package, dispatch_uid="sendcloud_package_deleted")
def delivery_part_changed(sender, instance, raw=False, **kwargs):
    if raw:
        return
    try:
        delivery = instance.delivery_order
    except DeliveryOrder.DoesNotExist:  # deleted together with its order
        return
    _queue(delivery)


@receiver(demo_data_ready, dispatch_uid="sendcloud_demo_printing")
def demo_printing(sender, company, **kwargs):
    printing_demo_setup(company)
