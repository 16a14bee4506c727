"""
The nodes of DDL statements: CREATE TABLE, ALTER TABLE, CREATE INDEX and
their DROPs, as the schema editor's templates write them (djongo/schema.py).

Like the nodes of queries (tree.py), they are small immutable dataclasses
named after SQL syntax; tree.py's walk() and transform() read them too.
"""
from typing import Any, Optional

from .tree import node


@node
class ColumnDef:
    name: str
    type: str
    nullable: bool = True
    primary_key: bool = False
    unique: bool = False
    autoincrement: bool = False
    default: Any = None  # an expression node, or None for no DEFAULT clause
    check: Any = None  # the condition of a column's CHECK, or None


@node
class UniqueConstraint:
    """``[CONSTRAINT name] UNIQUE (columns)`` or ``PRIMARY KEY (columns)``."""
    name: Optional[str]
    columns: tuple
    primary_key: bool = False


@node
class CheckConstraint:
    """``[CONSTRAINT name] CHECK (condition)``."""
    name: Optional[str]
    condition: Any


@node
class CreateTable:
    table: str
    columns: tuple
    constraints: tuple = ()
    if_not_exists: bool = False


@node
class DropTable:
    table: str


@node
class AddColumn:
    column: ColumnDef


@node
class DropColumn:
    name: str


@node
class RenameColumn:
    old: str
    new: str


@node
class RenameTable:
    new: str


@node
class AddConstraint:
    constraint: UniqueConstraint


@node
class DropConstraint:
    name: str


@node
class DropCheck:
    """``DROP CHECK name``: our schema editor's form for dropping a CHECK constraint."""
    name: str


@node
class AlterColumn:
    """``ALTER COLUMN name <change>``: type, nullability or default changes."""
    name: str
    change: str


@node
class AlterTable:
    table: str
    actions: tuple


@node
class IndexColumn:
    name: str
    descending: bool = False


@node
class CreateIndex:
    name: str
    table: str
    columns: tuple  # of IndexColumn
    unique: bool = False
    where: Any = None


@node
class DropIndex:
    name: str
    table: str
