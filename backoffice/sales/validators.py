from decimal import Decimal

from django.core.validators import MinValueValidator
from django.utils.translation import gettext_lazy as _

positive_quantity = MinValueValidator(1, message=_("The quantity must be at least 1."))
non_negative_amount = MinValueValidator(Decimal("0"), message=_("The amount cannot be negative."))
