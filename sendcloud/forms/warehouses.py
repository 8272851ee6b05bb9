"""Lager konfigurieren: a formset with one row per warehouse, a sender address to choose in each.

The template draws each row's dropdown itself (labels with brands, other countries marked)."""

from django import forms

from sendcloud.errors import ApplicationError


class WarehouseSenderForm(forms.Form):
    """One warehouse's row; only active sender addresses of the integration can be chosen."""

    sender_address = forms.TypedChoiceField(coerce=int, empty_value=None, required=False)

    def __init__(self, *args, warehouse, addresses, **kwargs):
        super().__init__(*args, **kwargs)
        self.warehouse = warehouse
        self.fields["sender_address"].choices = [("", ""), *((a.pk, str(a)) for a in addresses)]


class BaseWarehouseSenderFormSet(forms.BaseFormSet):
    """Exactly one row per warehouse, whatever the posted form count says."""

    def __init__(self, data=None, *, warehouses, addresses, mapping, **kwargs):
        self.warehouses, self.addresses = list(warehouses), addresses
        initial = [
            {"sender_address": mapping[w.pk].sender_address_id if w.pk in mapping else None}
            for w in self.warehouses
        ]
        super().__init__(data, initial=initial, prefix="warehouse", **kwargs)

    def total_form_count(self) -> int:
        return len(self.warehouses)

    initial_form_count = total_form_count

    def add_prefix(self, index) -> str:
        return f"{self.prefix}-{self.warehouses[index].pk}"

    def get_form_kwargs(self, index):
        return {"warehouse": self.warehouses[index], "addresses": self.addresses}

    def choices_submitted(self) -> dict[int, int | None]:
        """Warehouse id → chosen sender address id (None: none), after `is_valid()`."""
        return {form.warehouse.pk: form.cleaned_data["sender_address"] for form in self.forms}

    def add_problems(self, error: ApplicationError) -> None:
        """Put the service's problems on the rows they name."""
        rows = {str(form.warehouse.pk): form for form in self.forms}
        for problem in error.problems:
            form = rows.get(problem.field)
            if form is not None:
                form.add_error("sender_address", problem.message)

    def row_errors(self) -> list[str]:
        """Every row's errors, each naming its warehouse unless the message does already."""
        return [
            message if form.warehouse.name in message else f"{form.warehouse.name}: {message}"
            for form in self.forms
            for message in form.errors.get("sender_address", [])
        ]


WarehouseSenderFormSet = forms.formset_factory(
    WarehouseSenderForm, formset=BaseWarehouseSenderFormSet, extra=0
)
