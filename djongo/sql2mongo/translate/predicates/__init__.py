"""
Translate SQL predicates: each kind of condition (tree's Comparison, And,
Or, Not, IsNull, IsBoolean, IsTrue, Between, InList, InSubquery, Exists,
Like, Regex) in its two MongoDB forms, side by side in one module per
family of kinds:

- the filter form, a query filter (``{"field": {"$gt": v}}``) for "the
  condition is TRUE", or "is FALSE" when ``negated``: what find() and
  ``$match`` take, and what can use indexes;
- the expression form, an aggregation expression yielding SQL's three
  truth values as true, false and null: what ``$expr``, CASE and computed
  columns take.

SQL has three truth values: a comparison with NULL is UNKNOWN, and WHERE
keeps only rows where the condition is TRUE. ``NOT`` of UNKNOWN is still
UNKNOWN, so ``NOT (x = 5)`` must not match rows where x is NULL, which a
plain ``$ne`` would. The filter form is therefore asked for "is TRUE" or
"is FALSE", and NOT swaps them; the expression form keeps null for UNKNOWN.

A filter form falls back to its expression form inside ``$expr`` unless
``common.path_form()`` holds: the rule, in one place, of which predicates a
query filter can state.

kinds.KINDS maps each kind to its two forms; translate/where.py and
translate/expressions.py dispatch through it. This package does not import
them: they hand the forms their own translators (common.Parts).
"""
