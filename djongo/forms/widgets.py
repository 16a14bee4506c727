"""
Widgets that render a nested ModelForm (EmbeddedField) or a formset of them
(ArrayField) inside the form of the model that holds the field.

The widget reads the POST data of its nested form, whose field names carry
the outer field's name as prefix (``blog-name``, ``entries-0-headline``), and
hands the bound form to the form field, which validates it. A bound form
renders with its own errors, so a bad nested value is reported beside the
nested field.
"""
from django import forms
from django.utils.html import format_html, format_html_join

from djongo.containers import EmbeddedValue, to_value, value_class


class ContainerFormSet(forms.BaseFormSet):
    """A formset of container forms, one per element of an ArrayField value."""

    container = None

    def __init__(self, *args, values=None, **kwargs):
        self.values = list(values or [])
        if not kwargs.get("data") and not args:
            # Unbound: one initial form per element; get_form_kwargs() gives
            # each its element as the ModelForm's instance.
            kwargs["initial"] = [{} for _ in self.values]
        super().__init__(*args, **kwargs)

    def get_form_kwargs(self, index):
        kwargs = super().get_form_kwargs(index)
        if not self.is_bound and index is not None and index < len(self.values) and self.values[index] is not None:
            kwargs["instance"] = to_value(self.container, self.values[index])
        else:
            kwargs["instance"] = value_class(self.container)()
        return kwargs

    def kept_forms(self):
        """
        Return (index, form) for the forms whose values the array keeps: not
        deleted, and not an untouched extra row. The index of a row that
        showed a stored element is that element's index, None for a new row.
        """
        kept = []
        for index, form in enumerate(self.forms):
            if self.can_delete and self._should_delete_form(form):
                continue
            stored = index < self.initial_form_count()
            if not stored and not form.has_changed():
                continue
            kept.append((index if stored else None, form))
        return kept


class EmbeddedFormWidget(forms.Widget):
    """Render a container value as a nested ModelForm; read the POST data back as a bound form."""

    use_fieldset = True

    def __init__(self, form_class=None, form_kwargs=None, container=None, attrs=None):
        super().__init__(attrs)
        self.form_class = form_class
        self.form_kwargs = form_kwargs or {}
        self.container = container

    def make_form(self, name, value=None, data=None, files=None):
        if data is None:
            instance = to_value(self.container, value) if value is not None else None
        else:
            instance = None
        if instance is None:
            instance = value_class(self.container)()
        return self.form_class(data=data, files=files, prefix=name, instance=instance, **self.form_kwargs)

    def value_from_datadict(self, data, files, name):
        return self.make_form(name, data=data, files=files)

    def value_omitted_from_data(self, data, files, name):
        prefix = f"{name}-"
        return not any(key.startswith(prefix) for key in (*data, *files))

    @property
    def needs_multipart_form(self):
        return self.form_class(instance=value_class(self.container)()).is_multipart()

    def id_for_label(self, id_):
        return None

    def render(self, name, value, attrs=None, renderer=None):
        form = value if isinstance(value, forms.BaseForm) else self.make_form(name, value=value)
        return format_html(
            '<div class="djongo-embedded" id="{}">{}</div>', f"id_{name}", form.render(renderer=renderer),
        )


class ArrayFormWidget(EmbeddedFormWidget):
    """
    Render a list of container values as a formset: one row per element, a
    delete checkbox on each and empty rows to add elements (no JavaScript:
    save and continue to get more empty rows).
    """

    def __init__(self, formset_class=None, **kwargs):
        super().__init__(**kwargs)
        self.formset_class = formset_class

    def make_formset(self, name, values=None, data=None, files=None):
        if data is not None:
            return self.formset_class(data=data, files=files, prefix=name, form_kwargs=self.form_kwargs)
        values = [item for item in values or [] if isinstance(item, (dict, EmbeddedValue))]
        return self.formset_class(prefix=name, values=values, form_kwargs=self.form_kwargs)

    def value_from_datadict(self, data, files, name):
        return self.make_formset(name, data=data, files=files)

    def value_omitted_from_data(self, data, files, name):
        return f"{name}-TOTAL_FORMS" not in data

    def render(self, name, value, attrs=None, renderer=None):
        formset = value if isinstance(value, forms.BaseFormSet) else self.make_formset(name, values=value)
        rows = format_html_join(
            "", '<fieldset class="djongo-array-item"><legend>{}</legend>{}</fieldset>',
            (
                (f"Item {index + 1}" if index < formset.initial_form_count() else "New item",
                 form.render(renderer=renderer))
                for index, form in enumerate(formset.forms)
            ),
        )
        return format_html(
            '<div class="djongo-array" id="{}">{}{}{}</div>', f"id_{name}",
            formset.management_form.render(renderer=renderer), formset.non_form_errors(), rows,
        )


__all__ = ["ArrayFormWidget", "ContainerFormSet", "EmbeddedFormWidget"]
