"""
Differential test: random querysets on djongo and on SQLite must agree.

``test_fixed_seed`` runs DJONGO_DIFF_COUNT (default 500) querysets from the
fixed seed FIXED_SEED and fails when any disagree. ``test_random_seed`` runs
as many from a seed taken fresh on each run (or DJONGO_DIFF_SEED), prints
the disagreements and never fails: it is marked ``explore``, which ``make
explore`` runs and ``make test`` leaves out. See docs/differential-testing.md.
"""
import os
import random

import pytest

from tests.differential.generator import Case, Generator
from tests.differential.harness import run_cases, summary

FIXED_SEED = 20261121
COUNT = int(os.environ.get("DJONGO_DIFF_COUNT", "500"))


def _run(seed, replay):
    """Generate COUNT cases from ``seed``, run them, return (failures, report)."""
    cases = Generator(seed).cases(COUNT)
    failures, both_raised = run_cases(cases)
    return failures, summary(failures, len(cases), both_raised, seed, replay)


# The shapes the optimizer rewrites (djongo/sql2mongo/optimize/), each run on
# both databases every time, beside the random cases that also draw them.
PLANNED = [
    # Joins filtered on both sides; a filter-only join; a join that filters and is selected.
    Case("Child", ".filter(parent__name__contains='a', score__gt=3)", False, "rows"),
    Case("Child", ".filter(parent__num__lt=10)", False, "rows"),
    Case("Child", ".select_related('parent', 'buddy').filter(buddy__flag=True).order_by('-pk')[:7]", True, "rows"),
    Case("Child", ".filter(Q(label__icontains='a') | Q(parent__name__icontains='a')).order_by('-pk')[:9]", True, "rows"),
    Case("Child", ".exclude(parent__code__startswith='x').order_by('pk')[:11]", True, "rows"),
    Case("GrandChild", ".filter(child__parent__flag=True, qty__gte=2)", False, "rows"),
    Case("Parent", ".filter(children__score__gt=5)", False, "rows"),
    Case("Parent", ".filter(children__score__gt=5).distinct()", False, "rows"),
    # EXISTS and NOT EXISTS.
    Case("Parent", ".filter(Exists(Child.objects.filter(parent=OuterRef('pk'), score__gt=5)))", False, "rows"),
    Case("Parent", ".filter(~Exists(Child.objects.filter(buddy=OuterRef('pk'))))", False, "rows"),
    Case("Child", ".filter(~Exists(Parent.objects.filter(pk=OuterRef('buddy_id'), flag=True)))", False, "rows"),
    Case("Child", ".filter(Exists(GrandChild.objects.filter(child=OuterRef('pk'))) | Q(score=3))", False, "rows"),
    # Count of children with order and slice; Sum of children; a subquery annotation.
    Case("Parent", ".annotate(n=Count('children')).order_by('-n', 'pk')[:4]", True, "rows"),
    Case("Parent", ".annotate(n=Count('children'), s=Sum('children__score')).order_by('pk')", True, "rows"),
    Case("Parent", ".filter(num__gt=3).annotate(n=Count('buddies')).order_by('name', 'pk')[1:6]", True, "rows"),
    Case("Tag", ".annotate(n=Count('children', distinct=True)).order_by('-n', 'pk')", True, "rows"),
    Case("Parent", ".annotate(top=Subquery(Child.objects.filter(parent=OuterRef('pk')).order_by('-score', 'pk')"
                   ".values('label')[:1])).order_by('pk')[:8]", True, "rows"),
    Case("Parent", ".annotate(c=Subquery(Child.objects.filter(parent=OuterRef('pk')).values('parent')"
                   ".annotate(c=Count('*')).values('c'))).order_by('-c', 'pk')", True, "rows"),
    # Grouping across a join.
    Case("Child", ".values('parent__name').annotate(n=Count('id'), s=Sum('score'), m=Max('weight'))"
                  ".order_by('parent__name')", True, "values"),
    Case("Child", ".filter(parent__flag=True).aggregate(n=Count('id'), s=Sum('score'))", True, "scalar"),
    # Many-to-many.
    Case("Child", ".filter(tags__name='alpha')", False, "rows"),
    Case("Tag", ".filter(children__parent__name__startswith='a')", False, "rows"),
    Case("Child", ".filter(tags__weight__gt=1).distinct().order_by('pk')", True, "rows"),
    # IN lists of any length.
    Case("Child", ".filter(id__in=list(range(0, 60, 3))).order_by('pk')", True, "rows"),
    Case("Child", ".exclude(bonus__in=[1, 2, None])", False, "rows"),
]


@pytest.mark.usefixtures("seeded_databases")
def test_planned_shapes():
    """Fail when a query the optimizer rewrites returns different results on djongo and SQLite."""
    failures, both_raised = run_cases(PLANNED)
    if failures or both_raised:
        pytest.fail(summary(failures, len(PLANNED), both_raised, "planned", "python -m pytest tests/differential -k planned"),
                    pytrace=False)


@pytest.mark.usefixtures("seeded_databases")
def test_fixed_seed():
    """Fail when any queryset of the fixed seed returns different results on djongo and SQLite."""
    failures, report = _run(FIXED_SEED, f"DJONGO_DIFF_COUNT={COUNT} python -m pytest tests/differential -q -k fixed_seed")
    if failures:
        pytest.fail(report, pytrace=False)


@pytest.mark.explore
@pytest.mark.usefixtures("seeded_databases")
def test_random_seed():
    """Run querysets from a fresh seed (or $DJONGO_DIFF_SEED); print disagreements, never fail."""
    seed = int(os.environ.get("DJONGO_DIFF_SEED") or random.SystemRandom().randrange(2**32))
    _, report = _run(
        seed, f"DJONGO_DIFF_SEED={seed} DJONGO_DIFF_COUNT={COUNT} python -m pytest tests/differential -q -s -k random_seed",
    )
    print(report)
