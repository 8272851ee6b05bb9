from decimal import Decimal

import factory
from django.contrib.auth.models import Group
from django.utils import timezone

from backoffice.companies import roles
from backoffice.companies.models import Company, User
from backoffice.inventory.models import Product, Warehouse
from backoffice.sales.models import (
    Customer,
    CustomerAddress,
    DeliveryOrder,
    DeliveryOrderLine,
    SalesOrder,
    ShippingMethod,
)


class CompanyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Company

    name = factory.Sequence(lambda n: f"Firma {n} GmbH")


class UserFactory(factory.django.DjangoModelFactory):
    """A staff user of a company with a role (Verwaltung unless `role=` says otherwise).

    `role=""` gives a staff user without any role; `OperatorFactory` the installation operator.
    """

    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    company = factory.SubFactory(CompanyFactory)
    is_staff = True
    is_superuser = False
    password = factory.django.Password("pw-for-tests-1")

    @factory.post_generation
    def role(self, create, extracted, **kwargs):
        name = roles.MANAGEMENT if extracted is None else extracted
        if create and name:
            self.groups.add(Group.objects.get(name=name))


class OperatorFactory(UserFactory):
    """The installation operator: a superuser of no company, sees and changes every company."""

    username = factory.Sequence(lambda n: f"operator{n}")
    company = None
    is_superuser = True

    @factory.post_generation
    def role(self, create, extracted, **kwargs):
        """The operator needs no role: a superuser has every permission."""


class WarehouseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Warehouse

    company = factory.SubFactory(CompanyFactory)
    code = factory.Sequence(lambda n: f"W{n}")
    name = factory.Sequence(lambda n: f"Lager {n}")
    street = "Lagerstraße"
    house_number = "1"
    postal_code = "10115"
    city = "Berlin"
    country = "DE"


class ProductFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Product

    company = factory.SubFactory(CompanyFactory)
    sku = factory.Sequence(lambda n: f"SKU-{n}")
    name = "Artikel"
    weight_kg = Decimal("0.500")
    hs_code = "61091000"
    origin_country = "DE"
    price = Decimal("19.90")


class CustomerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Customer

    company = factory.SubFactory(CompanyFactory)
    number = factory.Sequence(lambda n: f"K{n}")
    name = "Erika Mustermann"
    email = "erika@example.com"


class CustomerAddressFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CustomerAddress

    customer = factory.SubFactory(CustomerFactory)
    contact_name = "Erika Mustermann"
    street = "Hauptstraße"
    house_number = "5"
    postal_code = "80331"
    city = "München"
    country = "DE"
    is_default = True


class ShippingMethodFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ShippingMethod

    company = factory.SubFactory(CompanyFactory)
    code = factory.Sequence(lambda n: f"SM{n}")
    name = "DHL Paket"
    carrier_code = "dhl"


class SalesOrderFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SalesOrder

    company = factory.SubFactory(CompanyFactory)
    number = factory.Sequence(lambda n: f"AU-{n}")
    customer = factory.SubFactory(CustomerFactory, company=factory.SelfAttribute("..company"))


class DeliveryOrderFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DeliveryOrder

    company = factory.SubFactory(CompanyFactory)
    number = factory.Sequence(lambda n: f"LA-{n}")
    sales_order = factory.SubFactory(SalesOrderFactory, company=factory.SelfAttribute("..company"))
    warehouse = factory.SubFactory(WarehouseFactory, company=factory.SelfAttribute("..company"))
    shipping_method = factory.SubFactory(
        ShippingMethodFactory, company=factory.SelfAttribute("..company")
    )
    state = DeliveryOrder.State.READY
    contact_name = "Erika Mustermann"
    street = "Hauptstraße"
    house_number = "5"
    postal_code = "80331"
    city = "München"
    country = "DE"
    created_at = factory.LazyFunction(timezone.now)


class DeliveryOrderLineFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DeliveryOrderLine

    delivery_order = factory.SubFactory(DeliveryOrderFactory)
    product = factory.SubFactory(
        ProductFactory, company=factory.SelfAttribute("..delivery_order.company")
    )
    quantity = 1
    weight_kg = Decimal("0.500")
    value = Decimal("19.90")
