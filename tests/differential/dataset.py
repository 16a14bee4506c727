"""
The fixed dataset both databases receive: the same rows, ids included.

Every value comes from ``random.Random(DATASET_SEED)``, so the rows never
change between runs; only the generated querysets do. Nullable columns get
NULL about one time in five.
"""
import datetime
import random
from decimal import Decimal

from tests.differential.app.models import Child, GrandChild, Parent, Tag

DATASET_SEED = 7

# Strings chosen to trip LIKE translation: case, LIKE wildcards, the escape
# character, regex metacharacters, and the empty string.
WORDS = [
    "alpha", "Alpha", "ALPHA", "beta", "Beta_1", "gamma%", "50% off", "a_b",
    "a\\b", "back\\slash", "", "x", "X", "dot.star*", "(paren)", "[brack]",
    "Mixed Case", "under_score", "per%cent", "zeta", "Zeta", "o'quote", "caret^$",
]
TAG_NAMES = ["red", "Red", "green", "blue_", "%hot", "cold\\", "", "mauve", "Teal", "navy", "x_y", "a%b"]

N_PARENTS = 30
N_CHILDREN = 60
N_GRANDCHILDREN = 90

BASE_DAY = datetime.date(2024, 1, 1)
BASE_MOMENT = datetime.datetime(2024, 1, 1, tzinfo=datetime.timezone.utc)


def _maybe(rng, value, p_null=0.2):
    """Return None with probability p_null, else value."""
    return None if rng.random() < p_null else value


def _decimal(rng, low, high):
    """Return a Decimal with two places between low and high."""
    return Decimal(rng.randint(low * 100, high * 100)) / Decimal(100)


def _float(rng):
    """Return a float with a short exact binary-ish representation."""
    return rng.choice([0.0, 0.5, -1.25, 2.75, 3.0, 10.125, -7.5, 1e3, 0.1, 1.0 / 3])


def build_rows():
    """Return the dataset as lists of unsaved model instances and M2M pairs."""
    rng = random.Random(DATASET_SEED)
    parents = [
        Parent(
            id=i,
            name=rng.choice(WORDS),
            code=_maybe(rng, rng.choice(WORDS)),
            num=rng.randint(-5, 20),
            opt=_maybe(rng, rng.randint(-5, 20)),
            ratio=_maybe(rng, _float(rng)),
            price=_maybe(rng, _decimal(rng, -10, 100)),
            flag=rng.random() < 0.5,
            day=_maybe(rng, BASE_DAY + datetime.timedelta(days=rng.randint(0, 60))),
            moment=_maybe(rng, BASE_MOMENT + datetime.timedelta(minutes=rng.randint(0, 60 * 24 * 60))),
        )
        for i in range(1, N_PARENTS + 1)
    ]
    tags = [
        Tag(id=i, name=name, weight=_maybe(rng, rng.randint(0, 9)))
        for i, name in enumerate(TAG_NAMES, start=1)
    ]
    children = [
        Child(
            id=i,
            # Leave the last few parents childless, so reverse relations meet NULLs.
            parent_id=rng.randint(1, N_PARENTS - 4),
            buddy_id=_maybe(rng, rng.randint(1, N_PARENTS), p_null=0.4),
            label=rng.choice(WORDS),
            note=_maybe(rng, rng.choice(WORDS)),
            score=rng.randint(-10, 30),
            bonus=_maybe(rng, rng.randint(-10, 30)),
            weight=_float(rng),
            amount=_maybe(rng, _decimal(rng, 0, 50)),
            active=rng.random() < 0.6,
            day=BASE_DAY + datetime.timedelta(days=rng.randint(0, 60)),
            moment=_maybe(rng, BASE_MOMENT + datetime.timedelta(minutes=rng.randint(0, 60 * 24 * 60))),
        )
        for i in range(1, N_CHILDREN + 1)
    ]
    grandchildren = [
        GrandChild(
            id=i,
            child_id=_maybe(rng, rng.randint(1, N_CHILDREN - 5), p_null=0.15),
            title=rng.choice(WORDS),
            qty=rng.randint(0, 12),
            extra=_maybe(rng, rng.randint(0, 12)),
            cost=_decimal(rng, 0, 30),
            seen=_maybe(rng, BASE_DAY + datetime.timedelta(days=rng.randint(0, 60))),
        )
        for i in range(1, N_GRANDCHILDREN + 1)
    ]
    pairs = sorted({
        (rng.randint(1, N_CHILDREN), rng.randint(1, len(TAG_NAMES) - 2))
        for _ in range(120)
    })
    return parents, tags, children, grandchildren, pairs


def seed(alias):
    """Insert the dataset into the database ``alias``."""
    parents, tags, children, grandchildren, pairs = build_rows()
    Parent.objects.using(alias).bulk_create(parents)
    Tag.objects.using(alias).bulk_create(tags)
    Child.objects.using(alias).bulk_create(children)
    GrandChild.objects.using(alias).bulk_create(grandchildren)
    Through = Child.tags.through
    Through.objects.using(alias).bulk_create(
        Through(id=n, child_id=c, tag_id=t) for n, (c, t) in enumerate(pairs, start=1)
    )
