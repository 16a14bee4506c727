"""
Plans: a SQL string parsed and translated once, run many times.

Django sends the same SQL text with different parameters over and over, so
the parse and the translation are cached per SQL text in a bounded LRU
cache; only parameter binding happens per execution.
"""
from dataclasses import dataclass
from functools import lru_cache

from djongo.exceptions import SQLDecodeError

from .parser import Parser
from .translate import translate

PLAN_CACHE_SIZE = 2048


@dataclass(frozen=True)
class Plan:
    """The commands one SQL statement becomes, and how many parameters it takes."""
    sql: str
    commands: tuple
    param_count: int


@lru_cache(maxsize=PLAN_CACHE_SIZE)
def get_plan(sql):
    """Return the Plan for ``sql``, parsing and translating it on first use."""
    try:
        parser = Parser(sql)
        statement = parser.parse()
        commands = translate(statement)
    except SQLDecodeError as exc:
        raise exc.with_sql(sql)
    return Plan(sql, tuple(commands), parser.param_count)


def cache_info():
    """Return the plan cache's hits, misses and size (functools' CacheInfo)."""
    return get_plan.cache_info()
