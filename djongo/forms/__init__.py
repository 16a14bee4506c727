"""Form fields and widgets that edit EmbeddedField and ArrayField values as nested forms (the admin uses them)."""
from .fields import ArrayFormField, EmbeddedFormField
from .widgets import ArrayFormWidget, EmbeddedFormWidget

__all__ = ["ArrayFormField", "ArrayFormWidget", "EmbeddedFormField", "EmbeddedFormWidget"]
