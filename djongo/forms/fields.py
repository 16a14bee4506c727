"""
Form fields of EmbeddedField (a nested ModelForm of the container) and
ArrayField (a formset of them). EmbeddedField.formfield() and
ArrayField.formfield() return these, so ModelForms and the admin edit
subdocuments as nested forms.
"""
from django import forms
from django.core.exceptions import ValidationError
from django.forms.models import modelform_factory

from djongo.containers import plain, to_value

from .widgets import ArrayFormWidget, ContainerFormSet, EmbeddedFormWidget


class EmbeddedFormField(forms.Field):
    """
    Edit a container value with a nested ModelForm: ``model_form_class``,
    or a ModelForm of all the container's fields. Clean to a container
    value, or None when the field is optional and the nested form was left
    as it was.
    """

    widget = EmbeddedFormWidget
    default_error_messages = {
        "nested": "Please correct the errors in %(label)s below.",
    }

    def __init__(self, model_container, model_form_class=None, model_form_kwargs=None, **kwargs):
        self.model_container = model_container
        self.model_form_class = model_form_class or modelform_factory(model_container, fields="__all__")
        self.model_form_kwargs = dict(model_form_kwargs or {})
        kwargs.setdefault("widget", self.make_widget())
        super().__init__(**kwargs)

    def make_widget(self):
        return EmbeddedFormWidget(
            form_class=self.model_form_class, form_kwargs=self.model_form_kwargs, container=self.model_container,
        )

    def nested_error(self):
        return ValidationError(
            self.error_messages["nested"], code="nested", params={"label": self.label or "the nested form"},
        )

    def clean(self, value):
        if not isinstance(value, forms.BaseForm):
            # An initial value (a disabled field) or a value set in code.
            value = to_value(self.model_container, value)
        elif not self.required and not value.has_changed():
            value = None
        elif not value.is_valid():
            raise self.nested_error()
        else:
            value = value.instance  # ModelForm._post_clean() filled it in
        self.validate(value)
        self.run_validators(value)
        return value

    def has_changed(self, initial, data):
        if self.disabled:
            return False
        try:
            value = self.clean(data)
        except ValidationError:
            return True
        return self.comparable(value) != self.comparable(initial)

    def comparable(self, value):
        """Return ``value`` (cleaned, or an initial value) as plain data to compare."""
        return plain(to_value(self.model_container, value))


class FormRows(list):
    """
    The cleaned value of an ArrayFormField: the kept rows' values, and in
    ``stored_indexes`` the index of the stored element each row showed
    (None for a new row), which ArrayField.save_form_data() reads.
    """

    stored_indexes = ()


class ArrayFormField(EmbeddedFormField):
    """
    Edit a list of container values with a formset of container forms:
    a row per element, a delete checkbox per row and ``extra`` empty rows
    to add elements. Clean to the list of the rows kept.
    """

    def __init__(self, model_container, model_form_class=None, model_form_kwargs=None, extra=1, **kwargs):
        self.extra = extra
        super().__init__(model_container, model_form_class, model_form_kwargs, **kwargs)

    def make_widget(self):
        formset_class = forms.formset_factory(
            self.model_form_class, formset=ContainerFormSet, extra=self.extra, can_delete=True,
        )
        formset_class.container = self.model_container
        return ArrayFormWidget(
            formset_class=formset_class, form_class=self.model_form_class, form_kwargs=self.model_form_kwargs, container=self.model_container,
        )

    def clean(self, value):
        if not isinstance(value, forms.BaseFormSet):
            value = None if value is None else [to_value(self.model_container, item) for item in value]
        elif not value.is_valid():
            raise self.nested_error()
        else:
            kept = value.kept_forms()
            value = FormRows(form.instance for _, form in kept)
            value.stored_indexes = [index for index, _ in kept]
        self.validate(value)
        self.run_validators(value)
        return value

    def comparable(self, value):
        return plain([to_value(self.model_container, item) for item in value or []])
