"""Translate a KeyedJoin, the optimizer's join that djongo completes itself (see tree.KeyedJoin)."""
import dataclasses

from ..commands import KeyedJoin
from .select import SelectTranslator, translate_select
from .values import row_count, value


def translate_keyed_join(node):
    """Return the KeyedJoin command of ``node``."""
    outer = translate_select(node.outer)
    if node.first_per_key:
        inner = _first_per_key(node.inner)
    else:
        inner = translate_select(node.inner)
    fills = tuple((position, inner_position, value(default)) for position, inner_position, default in node.fills)
    return KeyedJoin(
        outer.collection, outer, inner, node.key, fills, node.width, node.by_keys, node.order,
        row_count(node.offset), row_count(node.limit), outer.names[:node.width],
    )


def _first_per_key(select):
    """
    Return the Aggregate yielding, per key (the first column), the first
    row of ``select`` in its ORDER BY: $group's $first keeps the first
    document of each group in the order the stages before it give
    (https://www.mongodb.com/docs/manual/reference/operator/aggregation/first/).
    """
    command = SelectTranslator(select).aggregate()
    key, *rest = command.columns
    group = {"_id": "$" + key, **{column: {"$first": "$" + column} for column in rest}}
    project = {"_id": 0, key: "$_id", **{column: 1 for column in rest}}
    return dataclasses.replace(command, pipeline=[*command.pipeline, {"$group": group}, {"$project": project}])
