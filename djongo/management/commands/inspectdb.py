"""
Django's inspectdb, writing ``from djongo import models``.

Models proposed for collections djongo did not create use djongo's
ObjectIdField for ``_id``; ``djongo.models`` holds every name of
``django.db.models`` as well, so the output imports one module.

Fields whose sampled values are subdocuments, or arrays of them, become an
EmbeddedField or ArrayField whose ``model_container`` is an abstract model
written just before the model that uses it (see docs/existing-databases.md).
"""
import re

from django.core.management.commands import inspectdb
from django.db import connections, models


class ClassName(str):
    """A class name, written into a field's arguments as a name, not a string."""

    def __repr__(self):
        # inspectdb writes each keyword argument as "%s=%r".
        return str(self)


class Command(inspectdb.Command):
    db_module = "djongo"

    def handle_inspection(self, options):
        """
        Yield Django's lines, with the container models of each model's
        embedded fields before that model.
        """
        connection = connections[options["database"]]
        # Container names must not take the name of a model written later.
        self.class_names = {
            self.normalize_table_name(name) for name in [*options["table"], *connection.introspection.table_names()]
        }
        self.container_lines = []
        # Django yields a model's field lines after its "class" line, and
        # only then learns of the containers they use: hold each model's
        # lines until the next model (or the end) begins.
        held = []
        for line in super().handle_inspection(options):
            if line.startswith("class "):
                yield from self.container_lines
                yield from held
                self.container_lines, held = [], []
            held.append(line)
        yield from self.container_lines
        yield from held

    def get_field_type(self, connection, table_name, row):
        return self.field_type(connection, self.normalize_table_name(table_name), row)

    def field_type(self, connection, owner, row):
        """
        Return get_field_type()'s field type, parameters and notes for
        ``row``, a field of the model or container class ``owner``, writing
        the container an embedded field needs.
        """
        # Django's get_field_type() does not use its table name argument.
        field_type, params, notes = super().get_field_type(connection, owner, row)
        embedded = getattr(row, "embedded", None)
        if embedded is not None:
            field_type = row.type_code  # EmbeddedField or ArrayField
            params["model_container"] = self.write_container(connection, owner + camel_case(row.name), embedded)
        if getattr(row, "note", None):
            notes.append(row.note)
        return field_type, params, notes

    def write_container(self, connection, name, fields):
        """
        Add the abstract model ``name`` (or a free variant of it) with
        ``fields`` to the containers to write, after the containers of its
        own embedded fields; return its name.
        """
        base, number = name, 1
        while name in self.class_names:
            number += 1
            name = f"{base}{number}"
        self.class_names.add(name)
        lines = [f"class {name}(models.Model):"]
        used_names = []
        for row in fields:
            att_name, params, notes = self.normalize_key(row.name, used_names)
            used_names.append(att_name)
            field_type, field_params, field_notes = self.field_type(connection, name, row)
            params.update(field_params)
            notes.extend(field_notes)
            if row.null_ok:
                params.update(blank=True, null=True)
            arguments = ", ".join(f"{key}={value!r}" for key, value in params.items())
            line = f"    {att_name} = models.{field_type}({arguments})"
            if notes:
                line += "  # " + " ".join(notes)
            lines.append(line)
        lines += ["", "    class Meta:", "        abstract = True", "", ""]
        self.container_lines += lines
        return ClassName(name)

    def normalize_key(self, key, used_names):
        """
        Return normalize_col_name()'s field name, parameters and notes for
        the subdocument key ``key``, also renaming names that Model uses:
        a field named ``clean`` or ``pk`` would hide what validating an
        embedded value calls.
        """
        att_name, params, notes = self.normalize_col_name(key, used_names, False)
        if hasattr(models.Model, att_name):
            base = att_name = f"{att_name}_field"
            number = 0
            while att_name in used_names:
                att_name = f"{base}_{number}"
                number += 1
            params["db_column"] = key
            notes.append("Field renamed because models.Model has an attribute of this name.")
        return att_name, params, notes


def camel_case(key):
    """Return ``key`` in CamelCase for a class name: ``home_address`` and ``homeAddress`` give ``HomeAddress``."""
    return "".join(part[:1].upper() + part[1:] for part in re.split(r"[^a-zA-Z0-9]+", key))
