"""
Compute an argument a function writes more than once only once.

Many SQL functions repeat their argument in their aggregation expression:
UPPER(x) is ``{$cond: [x is null, null, {$toUpper: x}]}``, REPLACE uses its
string three times. Nested, they double the command per level, so twenty
nested UPPERs would make a command of millions of operators. A function
translator therefore runs with a ``compile`` that names each large argument
(``$$arg0``, ...) and binds those it wrote more than once to a variable.
Arguments used once are put back in place, and small ones (a field path, a
few operators) are cheaper written out, so ordinary statements read as
before and the command grows linearly with the nesting.

The variable is bound by ``$map`` over a one-element array, the first
element of whose result is the value: exactly what ``$let`` does, in a form
every MongoDB-compatible server has (the local test server, and some
compatible services, lack ``$let``;
https://www.mongodb.com/docs/v4.4/reference/operator/aggregation/map/).
"""
from collections import Counter

# Arguments of more operators than this are shared through a variable.
SHARED_SIZE = 8

_NAME = "arg{}"


def call(translator, node, compile_):
    """Return ``translator(node, compile)`` with every large argument it repeats computed once."""
    shared = {}

    def compile_shared(arg):
        expression = compile_(arg)
        if size(expression) <= SHARED_SIZE:
            return expression
        for name, known in shared.items():
            if known == expression:
                return "$$" + name
        name = _NAME.format(len(shared))
        shared[name] = expression
        return "$$" + name

    result = translator(node, compile_shared)
    if not shared:
        return result
    uses = Counter()

    def count(reference, shadowed):
        name, dot, _path = reference[2:].partition(".")
        if name in shared and name not in shadowed:
            # A path into the variable ("$$arg0.a") cannot be put back in
            # place of the variable: it keeps the variable bound.
            uses[name] += 2 if dot else 1
        return reference

    def put_back(reference, shadowed):
        name = reference[2:]
        return shared[name] if name in shared and uses[name] <= 1 and name not in shadowed else reference

    _map_variables(result, count)
    result = _map_variables(result, put_back)
    for name, expression in reversed([item for item in shared.items() if uses[item[0]] > 1]):
        result = {"$arrayElemAt": [{"$map": {"input": [expression], "as": name, "in": result}}, 0]}
    return result


def _map_variables(expression, visit, shadowed=frozenset()):
    """
    Return ``expression`` with each variable reference ("$$name...")
    replaced by ``visit(reference, shadowed)``, where ``shadowed`` holds the
    names an enclosing $let, $map or $filter binds anew; $literal values are
    left alone.
    """
    if isinstance(expression, str):
        return visit(expression, shadowed) if expression.startswith("$$") else expression
    if isinstance(expression, list):
        return [_map_variables(item, visit, shadowed) for item in expression]
    if not isinstance(expression, dict) or "$literal" in expression:
        return expression
    if "$let" in expression:
        let = expression["$let"]
        return {"$let": {
            "vars": {name: _map_variables(item, visit, shadowed) for name, item in let["vars"].items()},
            "in": _map_variables(let["in"], visit, shadowed | set(let["vars"])),
        }}
    for operator, body in (("$map", "in"), ("$filter", "cond")):
        spec = expression.get(operator)
        if isinstance(spec, dict) and "as" in spec:
            return {operator: {
                key: value if key == "as" else _map_variables(value, visit, shadowed | {spec["as"]} if key == body else shadowed)
                for key, value in spec.items()
            }}
    return {key: _map_variables(item, visit, shadowed) for key, item in expression.items()}


def size(expression, at_most=SHARED_SIZE):
    """
    Return the number of operator documents in ``expression``, counted
    without recursion, or ``at_most + 1`` when there are more.
    """
    count, stack = 0, [expression]
    while stack and count <= at_most:
        item = stack.pop()
        if isinstance(item, dict):
            count += 1
            if "$literal" not in item:
                stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return count
