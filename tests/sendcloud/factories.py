import factory

from sendcloud.models import SenderAddress


class SenderAddressFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SenderAddress

    sendcloud_id = factory.Sequence(lambda n: 9000 + n)
    company_name = "Muster Handel GmbH"
    contact_name = "Versand"
    street = "Lagerstraße"
    house_number = "12"
    postal_code = "10115"
    city = "Berlin"
    country = "DE"
