"""Forms of the returns pages: create a return (a quantity per line), book a Retoure."""

from django import forms
from django.utils.translation import gettext_lazy as _

from backoffice.inventory.models import Warehouse
from sendcloud.errors import ApplicationError
from sendcloud.models import Return
from sendcloud.vocabulary import RETURN_REASON

DELIVERY_OPTION_NAMES = {
    "drop_off_point": _("Return label, handed in at a drop-off point"),
    "drop_off_labelless": _("Drop-off with QR code (no label to print)"),
}


def problems_to_form(form: forms.Form, error: ApplicationError, fields: dict[str, str]) -> None:
    """Show a service's problems on the fields they name (`fields`: problem field → form
    field); the rest above the form."""
    for problem in error.problems or []:
        target = fields.get(problem.field)
        form.add_error(target if target in form.fields else None, problem.message)
    if not error.problems:
        form.add_error(None, error.message)


class ReturnCreateForm(forms.Form):
    reason = forms.TypedChoiceField(label=_("Return reason"), coerce=int)
    refund_type = forms.ChoiceField(label=_("Refund preference"), choices=Return.Refund.choices)
    option = forms.ChoiceField(label=_("Return shipping option"))
    delivery_option = forms.ChoiceField(label=_("Return method"))
    warehouse = forms.ModelChoiceField(
        label=_("Back to warehouse"), queryset=Warehouse.objects.none(), empty_label=None
    )

    def __init__(self, *args, delivery, lines, options, delivery_options, **kwargs):
        super().__init__(*args, **kwargs)
        self.lines = lines
        for line, left in lines:
            self.fields[f"qty_{line.pk}"] = forms.IntegerField(
                label=f"{line.product.sku} – {line.product.name}",
                min_value=0,
                max_value=max(left, 0),
                initial=left,
                help_text=_("%(left)s of %(shipped)s pieces can go back.")
                % {"left": left, "shipped": line.quantity},
            )
        self.fields["reason"].choices = sorted(
            ((int(k), v) for k, v in RETURN_REASON.items()), key=lambda c: str(c[1])
        )
        self.fields["reason"].initial = 8
        self.fields["option"].choices = [(o.code, str(o)) for o in options]
        self.fields["delivery_option"].choices = [
            (code, DELIVERY_OPTION_NAMES[code]) for code in delivery_options
        ]
        self.fields["warehouse"].queryset = Warehouse.objects.filter(
            company_id=delivery.company_id, is_active=True
        )
        self.fields["warehouse"].initial = delivery.warehouse_id

    def quantities(self) -> dict[int, int]:
        return {line.pk: self.cleaned_data.get(f"qty_{line.pk}") or 0 for line, _ in self.lines}

    def error_fields(self) -> dict[str, str]:
        fields = {f"line_{line.pk}": f"qty_{line.pk}" for line, _left in self.lines}
        fields.update(
            reason="reason", refund_type="refund_type", option="option",
            delivery_option="delivery_option", warehouse="warehouse",
        )  # fmt: skip
        return fields


class RetoureBookForm(forms.Form):
    """Per Retoure line: pieces back to stock, pieces written off, and why."""

    def __init__(self, *args, retoure, **kwargs):
        super().__init__(*args, **kwargs)
        self.retoure_lines = list(retoure.lines.select_related("delivery_order_line__product"))
        for line in self.retoure_lines:
            self.fields[f"restock_{line.pk}"] = forms.IntegerField(
                label=_("Back to stock"), min_value=0, initial=line.quantity_expected
            )
            self.fields[f"write_off_{line.pk}"] = forms.IntegerField(
                label=_("Written off"), min_value=0, initial=0
            )
            self.fields[f"reason_{line.pk}"] = forms.CharField(
                label=_("Write-off reason"), max_length=200, required=False
            )

    def rows(self):
        return [
            (line, self[f"restock_{line.pk}"], self[f"write_off_{line.pk}"],
             self[f"reason_{line.pk}"])
            for line in self.retoure_lines
        ]  # fmt: skip

    def error_fields(self) -> dict[str, str]:
        out = {}
        for line in self.retoure_lines:
            out[f"line_{line.pk}"] = f"restock_{line.pk}"
            out[f"reason_{line.pk}"] = f"reason_{line.pk}"
        return out
