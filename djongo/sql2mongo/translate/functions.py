"""
Translate SQL functions of django.db.models.functions (text, math,
COALESCE, NULLIF, GREATEST, LEAST, CAST...) into aggregation expressions.

Each entry of FUNCTIONS takes the ``tree.Func`` node and ``compile``, which
turns an argument node into its aggregation expression.
"""

FUNCTIONS = {}

DECODERS = {}

# Operators other than + - * / %, such as || (concatenation): node, compile -> expression.
OPERATORS = {}

# CAST(expr AS type): node, compile -> expression; None until implemented.
cast = None
