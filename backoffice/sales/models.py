from decimal import Decimal

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from backoffice.addresses import PostalAddress
from backoffice.companies.models import CompanyOwned
from backoffice.inventory.models import Product

from .delivery import DeliveryOrder, DeliveryOrderLine, Package  # noqa: F401  (re-exported)
from .retoure import Retoure, RetoureLine  # noqa: F401  (re-exported)
from .validators import non_negative_amount, positive_quantity


class Customer(CompanyOwned):
    number = models.CharField(_("customer number"), max_length=30)
    name = models.CharField(_("name"), max_length=100)
    company_name = models.CharField(_("company"), max_length=100, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    language = models.CharField(
        _("language"),
        max_length=2,
        choices=[("de", _("German")), ("en", _("English"))],
        default="de",
        help_text=_("Language of the e-mails the customer gets (e.g. the return label)."),
    )

    class Meta:
        verbose_name = _("customer")
        verbose_name_plural = _("customers")
        ordering = ["number"]
        constraints = [
            models.UniqueConstraint(
                fields=["company", "number"],
                name="customer_number_unique_per_company",
                violation_error_message=_("A customer with this number already exists."),
            )
        ]

    def __str__(self):
        return f"{self.number} – {self.name}"


class CustomerAddress(PostalAddress):
    customer = models.ForeignKey(
        Customer, verbose_name=_("customer"), on_delete=models.CASCADE, related_name="addresses"
    )
    is_default = models.BooleanField(_("default shipping address"), default=False)

    class Meta:
        verbose_name = _("customer address")
        verbose_name_plural = _("customer addresses")
        ordering = ["-is_default", "id"]

    def __str__(self):
        return self.one_line()


class ShippingMethod(CompanyOwned):
    """How the back office ships a delivery order; Sendcloud methods map onto these."""

    class Provider(models.TextChoices):
        SENDCLOUD = "sendcloud", _("Sendcloud")
        PICKUP = "pickup", _("Pickup by customer")
        OWN = "own", _("Own delivery")

    code = models.CharField(_("code"), max_length=30)
    name = models.CharField(_("name"), max_length=100)
    provider = models.CharField(
        _("provider"), max_length=20, choices=Provider.choices, default=Provider.SENDCLOUD
    )
    carrier_code = models.CharField(
        _("carrier"), max_length=50, blank=True, help_text=_("Carrier code, e.g. dhl or postnl.")
    )
    uses_service_point = models.BooleanField(_("delivers to a service point"), default=False)

    class Meta:
        verbose_name = _("shipping method")
        verbose_name_plural = _("shipping methods")
        ordering = ["code"]
        constraints = [
            models.UniqueConstraint(
                fields=["company", "code"],
                name="shipping_method_code_unique_per_company",
                violation_error_message=_("A shipping method with this code already exists."),
            )
        ]

    def __str__(self):
        return self.name


class SalesOrder(CompanyOwned):
    class PaymentStatus(models.TextChoices):
        OPEN = "open", _("open")
        PAID = "paid", _("paid")
        PARTIALLY_PAID = "partially_paid", _("partially paid")
        REFUNDED = "refunded", _("refunded")

    number = models.CharField(_("order number"), max_length=30)
    customer = models.ForeignKey(
        Customer, verbose_name=_("customer"), on_delete=models.PROTECT, related_name="orders"
    )
    order_date = models.DateField(_("order date"), default=timezone.localdate)
    currency = models.CharField(_("currency"), max_length=3, default="EUR")
    payment_status = models.CharField(
        _("payment status"),
        max_length=20,
        choices=PaymentStatus.choices,
        default=PaymentStatus.OPEN,
    )
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("sales order")
        verbose_name_plural = _("sales orders")
        ordering = ["-order_date", "-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["company", "number"],
                name="sales_order_number_unique_per_company",
                violation_error_message=_("A sales order with this number already exists."),
            )
        ]

    def __str__(self):
        return self.number

    @property
    def total(self) -> Decimal:
        return sum((line.total for line in self.lines.all()), Decimal("0"))


class SalesOrderLine(models.Model):
    order = models.ForeignKey(
        SalesOrder, verbose_name=_("sales order"), on_delete=models.CASCADE, related_name="lines"
    )
    product = models.ForeignKey(Product, verbose_name=_("product"), on_delete=models.PROTECT)
    quantity = models.PositiveIntegerField(_("quantity"), validators=[positive_quantity])
    unit_price = models.DecimalField(
        _("unit price"), max_digits=10, decimal_places=2, validators=[non_negative_amount]
    )

    class Meta:
        verbose_name = _("order line")
        verbose_name_plural = _("order lines")

    def __str__(self):
        return f"{self.quantity} × {self.product}"

    @property
    def total(self) -> Decimal:
        return self.unit_price * self.quantity
