"""
Window functions on djongo and on SQLite must agree.

Each case annotates Child rows (whose ``score`` has ties and whose ``bonus``
and ``amount`` hold NULLs) with a window and compares every row's value.
Functions that read rows in order (ROW_NUMBER, LAG, FIRST_VALUE, ROWS
frames) order by a total key (``pk`` last), since SQL leaves the order of
peers open; ranks, RANGE frames and EXCLUDE GROUP/TIES order by ``score``
alone, so that peers are in play. On a server without $setWindowFields
(the local test server) djongo computes the windows itself: this is the
end-to-end test of that path.
"""
import pytest

from tests.differential.generator import Case
from tests.differential.harness import ALIASES, evaluate, run_cases, summary


def _case(window, *, rest=""):
    return Case("Child", f".annotate(w={window}){rest}.values_list('pk', 'w')", False, "values_list")


W = "Window"
TOTAL = "order_by=['score', 'pk']"
TIES = "order_by='score'"

WINDOWS = [
    # Ranking, with ties and NULLS FIRST/LAST.
    f"{W}(RowNumber(), partition_by='parent', {TOTAL})",
    f"{W}(Rank(), {TIES})",
    f"{W}(Rank(), partition_by='active', order_by=[F('bonus').desc(nulls_last=True), F('score').asc()])",
    f"{W}(Rank(), order_by=F('bonus').asc(nulls_last=True))",
    f"{W}(DenseRank(), order_by=[F('bonus').desc(nulls_first=True)])",
    f"{W}(DenseRank(), partition_by=[F('parent'), F('active')], order_by='-score')",
    f"{W}(PercentRank(), {TIES})",
    f"{W}(PercentRank(), partition_by='parent', order_by='bonus')",
    f"{W}(CumeDist(), {TIES})",
    f"{W}(CumeDist(), partition_by='active', order_by='-bonus')",
    f"{W}(Ntile(4), {TOTAL})",
    f"{W}(Ntile(7), partition_by='active', {TOTAL})",
    f"{W}(Ntile(100), {TOTAL})",
    f"{W}(Rank())",
    # LAG and LEAD, with offsets and defaults.
    f"{W}(Lag('bonus'), {TOTAL})",
    f"{W}(Lag('score', 3, default=Value(-1)), partition_by='parent', {TOTAL})",
    f"{W}(Lead('bonus', 2), partition_by='active', {TOTAL})",
    f"{W}(Lead('amount', 1, default=Value(Decimal('0.50'))), {TOTAL})",
    f"{W}(Lag('label', 1, default=F('label')), {TOTAL})",
    # FIRST_VALUE, LAST_VALUE, NTH_VALUE.
    f"{W}(FirstValue('bonus'), partition_by='parent', {TOTAL})",
    f"{W}(LastValue('bonus'), {TOTAL})",
    f"{W}(LastValue('score'), {TIES})",
    f"{W}(NthValue('bonus', 3), {TOTAL})",
    f"{W}(NthValue('bonus', 2), partition_by='active', {TOTAL}, frame=RowRange(start=-2, end=2))",
    f"{W}(FirstValue('label'), {TOTAL}, frame=RowRange(start=-3, end=-1))",
    # Aggregates over the default frame (RANGE to the last peer), whole partitions, ROWS and RANGE frames.
    f"{W}(Sum('bonus'), {TIES})",
    f"{W}(Sum('bonus'), partition_by='parent')",
    f"{W}(Sum('amount'), {TIES})",
    f"{W}(Avg('bonus'), partition_by='active', {TIES})",
    f"{W}(Min('bonus'), order_by='-score')",
    f"{W}(Max('label'), {TIES})",
    f"{W}(Count('bonus'), {TIES})",
    f"{W}(Count('*'), partition_by='parent')",
    f"{W}(Sum('bonus'), {TOTAL}, frame=RowRange(start=-2, end=1))",
    f"{W}(Sum('bonus'), {TOTAL}, frame=RowRange(start=1, end=3))",
    f"{W}(Sum('bonus'), {TOTAL}, frame=RowRange(start=-3, end=-2))",
    f"{W}(Avg('score'), {TOTAL}, frame=RowRange(start=None, end=0))",
    f"{W}(Max('bonus'), {TOTAL}, frame=RowRange(start=0, end=None))",
    f"{W}(Sum('bonus'), {TIES}, frame=ValueRange(start=None, end=None))",
    f"{W}(Sum('bonus'), {TIES}, frame=ValueRange(start=0, end=None))",
    f"{W}(Count('bonus'), {TIES}, frame=ValueRange(start=-2, end=2))",
    f"{W}(Sum('bonus'), order_by='-score', frame=ValueRange(start=-3, end=0))",
    f"{W}(Sum('score'), partition_by='active', {TIES}, frame=ValueRange(start=-1, end=3))",
    # EXCLUDE.
    f"{W}(Sum('bonus'), {TOTAL}, frame=RowRange(start=-1, end=1, exclusion=Exclude.CURRENT_ROW))",
    f"{W}(Sum('bonus'), {TIES}, frame=ValueRange(end=0, exclusion=Exclude.GROUP))",
    f"{W}(Count('bonus'), {TIES}, frame=ValueRange(start=-1, end=1, exclusion=Exclude.TIES))",
    f"{W}(Max('score'), {TIES}, frame=ValueRange(exclusion=Exclude.TIES))",
    f"{W}(Min('bonus'), {TIES}, frame=ValueRange(end=2, exclusion=Exclude.CURRENT_ROW))",
]

CASES = [_case(window) for window in WINDOWS] + [
    # Filtering against a window, a window over grouped rows, ORDER BY and a slice after a window.
    _case(f"{W}(Rank(), {TIES})", rest=".filter(w__lte=5, active=True)"),
    _case(f"{W}(RowNumber(), partition_by='parent', {TOTAL})", rest=".filter(Q(w=1) | Q(w=3))"),
    Case("Child", f".values('parent').annotate(s=Sum('score'), w={W}(Rank(), order_by=Sum('score').desc()))"
                  ".order_by('w', 'parent').values_list('parent', 's', 'w')[:5]", True, "values_list"),
    Case("Child", f".annotate(w={W}(Sum('score'), {TIES})).order_by('-w', 'pk').values_list('pk', 'w')[3:9]",
         True, "values_list"),
    Case("Child", f".annotate(w={W}(Lead('score'), {TOTAL})).values_list('w', flat=True).distinct()", False,
         "values_list"),
]


@pytest.mark.usefixtures("seeded_databases")
def test_window_functions():
    """Fail when a window function returns different rows on djongo and SQLite, or raises on either."""
    failures, both_raised = run_cases(CASES)
    if both_raised:
        # Every case here is valid SQL that SQLite runs: none may raise.
        for case in CASES:
            outcomes = {alias: evaluate(case, alias) for alias in ALIASES}
            if any(outcome.error for outcome in outcomes.values()):
                print(case.description, {alias: outcome.error for alias, outcome in outcomes.items()})
    if failures or both_raised:
        pytest.fail(summary(failures, len(CASES), both_raised, "windows", "python -m pytest tests/differential -k window"),
                    pytrace=False)
