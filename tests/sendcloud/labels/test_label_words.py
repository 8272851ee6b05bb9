from django.utils import translation

from sendcloud.models import Label


def test_a_shipping_label_is_called_versandlabel_in_german_not_bezeichnung():
    # "label" alone is also a catalogue entry's caption ("Bezeichnung"); the model says which.
    with translation.override("de"):
        assert str(Label._meta.verbose_name) == "Versandlabel"
        assert str(Label._meta.verbose_name_plural) == "Versandlabels"
    with translation.override("en"):
        assert str(Label._meta.verbose_name) == "label"
