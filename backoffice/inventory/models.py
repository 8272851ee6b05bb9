from decimal import Decimal

from django.core.validators import MinValueValidator, RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from backoffice.addresses import PostalAddress
from backoffice.companies.models import CompanyOwned

from .gtin import validate_gtin

positive_weight = MinValueValidator(Decimal("0.001"), message=_("The weight must be above 0 kg."))
hs_code_validator = RegexValidator(
    r"^\d{6,10}$", _("An HS code has 6 to 10 digits, without dots or spaces, e.g. 61091000.")
)


class Warehouse(CompanyOwned, PostalAddress):
    """A Lager: the place shipments leave from."""

    code = models.CharField(_("code"), max_length=20)
    name = models.CharField(_("warehouse name"), max_length=100)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("warehouse")
        verbose_name_plural = _("warehouses")
        ordering = ["code"]
        constraints = [
            models.UniqueConstraint(
                fields=["company", "code"],
                name="warehouse_code_unique_per_company",
                violation_error_message=_("A warehouse with this code already exists."),
            )
        ]

    def __str__(self):
        return f"{self.code} – {self.name}"


class Product(CompanyOwned):
    sku = models.CharField(_("SKU"), max_length=50)
    ean = models.CharField(
        _("EAN"),
        max_length=14,
        blank=True,
        validators=[validate_gtin],
        help_text=_("The number under the product's barcode (EAN-8, EAN-13, UPC or GTIN-14)."),
    )
    name = models.CharField(_("name"), max_length=200)
    weight_kg = models.DecimalField(
        _("weight (kg)"), max_digits=8, decimal_places=3, validators=[positive_weight]
    )
    hs_code = models.CharField(
        _("HS code"), max_length=10, blank=True, validators=[hs_code_validator]
    )
    origin_country = CountryField(_("country of origin"), blank=True)
    price = models.DecimalField(
        _("price"), max_digits=10, decimal_places=2, validators=[MinValueValidator(Decimal("0"))]
    )
    currency = models.CharField(_("currency"), max_length=3, default="EUR")
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("product")
        verbose_name_plural = _("products")
        ordering = ["sku"]
        constraints = [
            models.UniqueConstraint(
                fields=["company", "sku"],
                name="product_sku_unique_per_company",
                violation_error_message=_("A product with this SKU already exists."),
            ),
            models.UniqueConstraint(
                fields=["company", "ean"],
                condition=~models.Q(ean=""),
                name="product_ean_unique_per_company",
                violation_error_message=_("A product with this EAN already exists."),
            ),
        ]

    def __str__(self):
        return f"{self.sku} – {self.name}"


class StockLevel(models.Model):
    """How many pieces of a product lie in a warehouse (booked by goods receipts such as a
    Retoure; kept simple: one number per product and warehouse)."""

    product = models.ForeignKey(
        Product, verbose_name=_("product"), on_delete=models.CASCADE, related_name="stock_levels"
    )
    warehouse = models.ForeignKey(
        Warehouse, verbose_name=_("warehouse"), on_delete=models.CASCADE, related_name="+"
    )
    quantity = models.IntegerField(_("quantity in stock"), default=0)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("stock level")
        verbose_name_plural = _("stock levels")
        ordering = ["warehouse", "product"]
        constraints = [
            models.UniqueConstraint(
                fields=["product", "warehouse"], name="one_stock_level_per_product_and_warehouse"
            )
        ]

    def __str__(self):
        return f"{self.product} @ {self.warehouse}: {self.quantity}"
