"""
Parse SQL text into the query tree (``tree.py``).

sqlparse's lexer supplies the tokens; the grouping is ours: a small
recursive-descent parser with one method per clause and an expression parser
that follows SQL operator precedence. sqlparse's own grouping is not used
because it is approximate (it happily groups malformed SQL), and a translator
that must refuse what it does not understand needs an exact tree.
"""
from dataclasses import dataclass, replace

from sqlparse import lexer
from sqlparse import tokens as T

from djongo.exceptions import SQLDecodeError

from . import analysis, ddl_tree, dialect, tree

# Token kinds of our own, simpler than sqlparse's ttype hierarchy.
WORD, IDENT, STRING, NUMBER, PARAM, OP, PUNCT, HINT, END = (
    "word", "identifier", "string", "number", "parameter", "operator", "punctuation", "hint", "end"
)

COMPARISON_OPS = {"=": "=", "==": "=", "<>": "<>", "!=": "<>", "<": "<", "<=": "<=", ">": ">", ">=": ">="}
COMPOUND_OPS = ("UNION", "INTERSECT", "EXCEPT")
# Words that end an expression or a select item when met unquoted.
CLAUSE_WORDS = frozenset({
    "FROM", "WHERE", "GROUP", "HAVING", "ORDER", "LIMIT", "OFFSET", "UNION", "INTERSECT",
    "EXCEPT", "ON", "INNER", "LEFT", "RIGHT", "FULL", "CROSS", "JOIN", "RETURNING",
    "ASC", "DESC", "NULLS", "AND", "OR", "THEN", "ELSE", "END", "WHEN", "AS", "SET",
    "VALUES", "FOR", "NOT", "IS", "IN", "LIKE", "ILIKE", "BETWEEN", "ESCAPE", "REGEXP", "IREGEXP",
})

# EXPLAIN's options, and the verbosities of MongoDB's explain command
# (https://www.mongodb.com/docs/manual/reference/command/explain/).
EXPLAIN_OPTIONS = ("FORMAT", "VERBOSITY")
EXPLAIN_VERBOSITIES = ("queryPlanner", "executionStats", "allPlansExecution")

# Functions SQL calls without parentheses (Django's Now() is CURRENT_TIMESTAMP).
NILADIC_FUNCTIONS = frozenset({"CURRENT_TIMESTAMP", "CURRENT_DATE", "CURRENT_TIME"})


@dataclass(frozen=True, slots=True)
class Token:
    kind: str
    value: object  # the identifier's name, the literal's value or the word in upper case
    text: str
    position: int


def tokenize(sql):
    """Return the list of tokens of ``sql``, whitespace and comments left out."""
    tokens = []
    position = 0
    for ttype, text in lexer.tokenize(sql):
        start = position
        position += len(text)
        if ttype in T.Comment.Multiline.Hint:
            # /*+ ... */: a hint djongo's compiler writes (see
            # Parser._parse_hint); its body is read where one may stand.
            tokens.append(Token(HINT, text[3:-2].strip(), text, start))
            continue
        if ttype in T.Whitespace or ttype in T.Newline or ttype in T.Comment:
            continue
        if ttype in T.Name.Placeholder:
            if text != "%s":
                raise SQLDecodeError(f"placeholder {text!r} (only %s is supported)", sql, start)
            tokens.append(Token(PARAM, None, text, start))
        elif ttype in T.Literal.String.Symbol:
            tokens.append(Token(IDENT, text[1:-1].replace('""', '"'), text, start))
        elif ttype in T.Literal.String:
            if not (len(text) >= 2 and text[0] == text[-1] == "'"):
                raise SQLDecodeError(f"string literal {text!r}", sql, start)
            tokens.append(Token(STRING, _unquote(text[1:-1]), text, start))
        elif ttype in T.Literal.Number:
            if text.startswith(("-", "+")) and tokens and _ends_operand(tokens[-1]):
                # "a -1" is lexed as "a", "-1": split the sign off.
                tokens.append(Token(OP, text[0], text[0], start))
                text, start = text[1:].lstrip(), start + 1
            tokens.append(Token(NUMBER, _number(text, sql, start), text, start))
        elif ttype in T.Keyword or ttype in T.Name or ttype in T.Name.Builtin:
            # sqlparse merges some keyword runs ("ORDER BY", "NOT NULL",
            # "LEFT OUTER JOIN", "DESC NULLS LAST"): split them into words.
            offset = start
            for word in text.split():
                tokens.append(Token(WORD, word.upper(), word, offset))
                offset += len(word) + 1
        elif ttype in T.Wildcard:
            tokens.append(Token(OP, "*", text, start))
        elif ttype in T.Operator or ttype in T.Operator.Comparison:
            word = text.upper()
            if word.replace(" ", "").isalpha():  # LIKE, ILIKE, NOT LIKE, ...
                offset = start
                for part in text.split():
                    tokens.append(Token(WORD, part.upper(), part, offset))
                    offset += len(part) + 1
            else:
                # "%%" is the modulo operator written for pyformat substitution.
                op = "%" if text == "%%" else text
                tokens.append(Token(OP, op, text, start))
        elif ttype in T.Punctuation:
            tokens.append(Token(PUNCT, text, text, start))
        else:
            raise SQLDecodeError(f"token {text!r}", sql, start)
    tokens.append(Token(END, None, "", len(sql)))
    return tokens


def _unquote(body):
    """
    Decode a string literal's body: '' is a quote and a backslash is itself
    (standard SQL), and %% is % (the SQL text is written for the DB-API's
    format paramstyle, where a literal % is doubled).
    """
    return body.replace("''", "'").replace("%%", "%")


def _ends_operand(token):
    return token.kind in (IDENT, STRING, NUMBER, PARAM) or (token.kind == PUNCT and token.value == ")")


def _number(text, sql, start):
    try:
        return int(text)
    except ValueError:
        pass
    try:
        return float(text)
    except ValueError:
        # sqlparse reads 0x1F and the like as numbers; SQL has no such literal.
        raise SQLDecodeError(f"numeric literal {text!r}", sql, start) from None


# The deepest nesting of expressions a statement may have. Django writes a
# few levels; each level costs the recursive-descent parser about ten Python
# frames, and Python allows 1,000.
MAX_NESTING = 64


def parse(sql):
    """Parse one SQL statement into a tree node; raise SQLDecodeError otherwise."""
    return Parser(sql).parse()


class Parser:
    """Recursive-descent parser over the tokens of one statement."""

    def __init__(self, sql):
        self.sql = sql
        self.tokens = tokenize(sql)
        self.pos = 0
        self.param_count = 0
        self.depth = 0  # of nested expressions, see _nested()

    # The method that parses each kind of statement, by its first keyword.
    # Names, not bound methods: a parser holding its own bound methods is a
    # reference cycle, garbage that only the cycle collector frees (Django's
    # select_related tests check that a query leaves none).
    STATEMENT_PARSERS = {
        "SELECT": "_parse_select_statement",
        "INSERT": "_parse_insert",
        "UPDATE": "_parse_update",
        "DELETE": "_parse_delete",
        "CREATE": "_parse_create",
        "DROP": "_parse_drop",
        "ALTER": "_parse_alter",
        "EXPLAIN": "_parse_explain",
    }

    # Token helpers ---------------------------------------------------------

    @property
    def current(self):
        return self.tokens[self.pos]

    def peek(self, offset=1):
        return self.tokens[min(self.pos + offset, len(self.tokens) - 1)]

    def advance(self):
        token = self.tokens[self.pos]
        if token.kind != END:
            self.pos += 1
        return token

    def at_word(self, *words):
        token = self.current
        return token.kind == WORD and token.value in words

    def at_punct(self, value):
        token = self.current
        return token.kind == PUNCT and token.value == value

    def at_op(self, value):
        token = self.current
        return token.kind == OP and token.value == value

    def accept_word(self, *words):
        if self.at_word(*words):
            return self.advance().value
        return None

    def accept_words(self, *words):
        """Consume the run of words ``words`` if all are next; return whether it did."""
        for offset, word in enumerate(words):
            token = self.peek(offset)
            if token.kind != WORD or token.value != word:
                return False
        self.pos += len(words)
        return True

    def accept_punct(self, value):
        if self.at_punct(value):
            self.advance()
            return True
        return False

    def expect_word(self, *words):
        if not self.at_word(*words):
            self.error(f"expected {' or '.join(words)}")
        return self.advance().value

    def expect_punct(self, value):
        if not self.accept_punct(value):
            self.error(f"expected {value!r}")

    def error(self, what):
        token = self.current
        found = "end of statement" if token.kind == END else repr(token.text)
        raise SQLDecodeError(f"{what}, found {found}", self.sql, token.position)

    def unsupported(self, construct, token=None):
        token = token or self.current
        raise SQLDecodeError(construct, self.sql, token.position)

    def name(self, what="a name"):
        """Consume an identifier, quoted or not, and return its name."""
        token = self.current
        if token.kind == IDENT:
            self.advance()
            return token.value
        if token.kind == WORD:
            self.advance()
            return token.text
        self.error(f"expected {what}")

    def name_list(self):
        """Parse ``(name, name, ...)``."""
        self.expect_punct("(")
        names = [self.name()]
        while self.accept_punct(","):
            names.append(self.name())
        self.expect_punct(")")
        return tuple(names)

    # Statements ------------------------------------------------------------

    def parse(self):
        token = self.current
        if token.kind == PUNCT and token.value == "(":
            statement = self._parse_select_statement()
        else:
            method = self.STATEMENT_PARSERS.get(token.value) if token.kind == WORD else None
            if method is None:
                self.unsupported(f"statement {token.text!r}")
            statement = getattr(self, method)()
        if isinstance(statement, (tree.Select, tree.Compound)):
            mode = self._parse_for_update()
            if mode is not None:
                statement = tree.ForUpdate(statement, mode)
        self.accept_punct(";")
        if self.current.kind != END:
            self.error("expected end of statement")
        return statement

    def _parse_explain(self):
        """
        Parse ``EXPLAIN [(option value, ...)] SELECT ...``, the options being
        FORMAT (TEXT or JSON) and VERBOSITY (MongoDB's explain verbosity).
        """
        self.expect_word("EXPLAIN")
        options = {}
        if self.at_punct("(") and self.peek().kind == WORD and self.peek().value in EXPLAIN_OPTIONS:
            self.advance()
            while True:
                option = self.expect_word(*EXPLAIN_OPTIONS)
                options[option.lower()] = self.name(f"a value for {option}")
                if not self.accept_punct(","):
                    break
            self.expect_punct(")")
        if not (self.at_word("SELECT") or self.at_punct("(")):
            self.unsupported(f"EXPLAIN of {self.current.text.upper() or 'nothing'} (only SELECT is explained)")
        explain = tree.Explain(self._parse_select_statement())
        # EXPLAIN reads nothing, so it locks nothing.
        self._parse_for_update()
        format_ = options.get("format", explain.format).upper()
        if format_ not in ("TEXT", "JSON"):
            self.unsupported(f"EXPLAIN format {format_}")
        verbosity = options.get("verbosity", explain.verbosity)
        if verbosity not in EXPLAIN_VERBOSITIES:
            self.unsupported(f"EXPLAIN verbosity {verbosity}")
        return replace(explain, format=format_, verbosity=verbosity)

    def _parse_select_statement(self):
        """Parse a SELECT, possibly compound (UNION, INTERSECT, EXCEPT)."""
        parenthesized = self.at_punct("(")
        first = self._parse_select_operand()
        if not self.at_word(*COMPOUND_OPS):
            if parenthesized and self.at_word("ORDER", "LIMIT", "OFFSET"):
                # (SELECT ...) LIMIT n: Django's combinator query over one
                # non-empty operand (the others were empty).
                return self._parse_order_limit_of(first)
            return first
        op = None
        selects = [first]
        all_ = False
        while self.at_word(*COMPOUND_OPS):
            this_op = self.advance().value
            this_all = bool(self.accept_word("ALL"))
            if op is not None and (this_op, this_all) != (op, all_):
                self.unsupported("mixed compound operators")
            op, all_ = this_op, this_all
            selects.append(self._parse_select_operand(tail=False))
        order_by, limit, offset = self._parse_order_limit()
        return tree.Compound(op, tuple(selects), all_, order_by, limit, offset)

    def _parse_for_update(self):
        """Parse ``FOR UPDATE [NOWAIT | SKIP LOCKED]``; return its mode, or None when absent."""
        if not self.at_word("FOR"):
            return None
        self.advance()
        if self.at_word("NO", "SHARE", "KEY"):
            self.unsupported(f"FOR {self.current.text.upper()} (only FOR UPDATE)")
        self.expect_word("UPDATE")
        if self.at_word("OF"):
            self.unsupported("FOR UPDATE OF")
        if self.accept_word("NOWAIT"):
            return "nowait"
        if self.accept_words("SKIP", "LOCKED"):
            return "skip locked"
        return "wait"

    def _parse_order_limit_of(self, select):
        """Parse ORDER BY and LIMIT applying to the rows of a parenthesized ``select``."""
        order_by, limit, offset = self._parse_order_limit()
        if isinstance(select, tree.Select) and not select.order_by and select.limit is None and select.offset is None:
            return replace(select, order_by=order_by, limit=limit, offset=offset)
        # A compound of one operand orders and limits its rows.
        return tree.Compound("UNION", (select,), True, order_by, limit, offset)

    def _parse_select_operand(self, tail=True):
        if self.accept_punct("("):
            select = self._parse_select_statement()
            self.expect_punct(")")
            return select
        return self._parse_select(tail)

    def _parse_select(self, tail=True):
        """Parse one SELECT; ``tail=False`` leaves ORDER BY and LIMIT to an enclosing compound."""
        self.expect_word("SELECT")
        distinct = bool(self.accept_word("DISTINCT"))
        items = self._parse_select_items()
        source, joins = None, ()
        if self.accept_word("FROM"):
            source = self._parse_source()
            joins = self._parse_joins()
        where = self.parse_condition() if self.accept_word("WHERE") else None
        group_by = ()
        if self.accept_words("GROUP", "BY"):
            group_by = self._parse_expression_list()
        having = self.parse_condition() if self.accept_word("HAVING") else None
        if not tail or self.at_word(*COMPOUND_OPS):
            # ORDER BY/LIMIT after a compound belong to the compound.
            return tree.Select(items, source, joins, where, group_by, having, distinct=distinct)
        order_by, limit, offset = self._parse_order_limit()
        return tree.Select(items, source, joins, where, group_by, having, order_by, limit, offset, distinct)

    def _parse_select_items(self):
        items = [self._parse_select_item()]
        while self.accept_punct(","):
            items.append(self._parse_select_item())
        return tuple(items)

    def _parse_select_item(self):
        expr = self.parse_expression()
        alias = None
        if self.accept_word("AS"):
            alias = self.name("an alias")
        elif self.current.kind == IDENT:
            alias = self.name()
        return tree.SelectItem(expr, alias)

    def _parse_source(self):
        if self.accept_punct("("):
            select = self._parse_select_statement()
            self.expect_punct(")")
            self.accept_word("AS")
            alias = self._parse_optional_alias()
            return tree.DerivedTable(select, alias)
        name = self.name("a table name")
        self.accept_word("AS")
        return tree.Table(name, self._parse_optional_alias())

    def _parse_optional_alias(self):
        token = self.current
        if token.kind == IDENT or (token.kind == WORD and token.value not in CLAUSE_WORDS):
            return self.name()
        return None

    def _parse_joins(self):
        joins = []
        while True:
            token = self.current
            if self.accept_words("INNER", "JOIN") or self.accept_words("JOIN"):
                kind = "INNER"
            elif self.accept_words("LEFT", "OUTER", "JOIN") or self.accept_words("LEFT", "JOIN"):
                kind = "LEFT"
            elif self.at_word("RIGHT", "FULL", "CROSS", "NATURAL"):
                self.unsupported(f"{token.text.upper()} JOIN")
            elif self.accept_punct(","):
                # FROM a, b (QuerySet.extra(tables=[...])): every pair of
                # rows, an INNER JOIN ON TRUE whose WHERE does the joining
                # (optimize/cross_joins.py moves it into ON).
                if self.at_punct("("):
                    self.unsupported("comma join to a subquery")
                joins.append(tree.Join("INNER", self._parse_source(), as_condition(tree.Literal(True))))
                continue
            else:
                return tuple(joins)
            if self.at_punct("("):
                self.unsupported("JOIN to a subquery")
            table = self._parse_source()
            self.expect_word("ON")
            on = self.parse_condition()
            joins.append(tree.Join(kind, table, on, self._parse_join_hint(on)))

    def _parse_join_hint(self, on):
        """
        Parse the optional ``/*+ UNIQUE(1, 2) */`` after a JOIN's ON
        equality: the positions of its columns that Django's compiler knows
        to be unique (djongo/compiler.py). Return those columns.
        """
        token = self.current
        if token.kind != HINT:
            return ()
        positions = self._parse_hint(dialect.UNIQUE)
        operands = (on.left, on.right) if isinstance(on, tree.Comparison) and on.op == "=" else ()
        if (not all(position in (1, 2) for position in positions)
                or not all(isinstance(operand, tree.Column) for operand in operands) or not operands):
            self.unsupported(f"hint {token.text}", token)
        return tuple(operands[position - 1] for position in positions)

    def _parse_hint(self, name):
        """Parse the hint ``/*+ name(1, 2, ...) */`` at the current token; return its positions."""
        token = self.current
        self.advance()
        hint = Parser(token.value)
        positions = []
        if hint.accept_word(name) and hint.accept_punct("("):
            positions.append(hint.current.value)
            hint.advance()
            while hint.accept_punct(","):
                positions.append(hint.current.value)
                hint.advance()
            hint.expect_punct(")")
        if hint.current.kind != END or not positions or not all(type(position) is int for position in positions):
            self.unsupported(f"hint {token.text}", token)
        return positions

    def _parse_order_limit(self):
        order_by = ()
        if self.accept_words("ORDER", "BY"):
            items = [self._parse_order_item()]
            while self.accept_punct(","):
                items.append(self._parse_order_item())
            order_by = tuple(items)
        limit = offset = None
        if self.accept_word("LIMIT"):
            limit = self._parse_count()
        if self.accept_word("OFFSET"):
            offset = self._parse_count()
        return order_by, limit, offset

    def _parse_count(self):
        token = self.current
        if token.kind == NUMBER and isinstance(token.value, int) and token.value >= 0:
            self.advance()
            return tree.Literal(token.value)
        if token.kind == PARAM:
            return self._param()
        self.error("expected a row count")

    def _parse_order_item(self):
        expr = self.parse_expression()
        descending = False
        if self.accept_word("DESC"):
            descending = True
        else:
            self.accept_word("ASC")
        nulls = None
        if self.accept_word("NULLS"):
            nulls = self.expect_word("FIRST", "LAST")
        return tree.OrderItem(expr, descending, nulls)

    def _parse_expression_list(self):
        exprs = [self.parse_expression()]
        while self.accept_punct(","):
            exprs.append(self.parse_expression())
        return tuple(exprs)

    def _parse_insert(self):
        self.expect_word("INSERT")
        self.expect_word("INTO")
        table = self.name("a table name")
        columns = self.name_list() if self.at_punct("(") else ()
        if self.accept_words("DEFAULT", "VALUES"):
            rows = ((),)
        else:
            if self.at_word("SELECT"):
                self.unsupported("INSERT ... SELECT")
            self.expect_word("VALUES")
            rows = [self._parse_values_row()]
            while self.accept_punct(","):
                rows.append(self._parse_values_row())
            rows = tuple(rows)
            for row in rows:
                if len(row) != len(columns):
                    self.unsupported(f"VALUES row of {len(row)} values for {len(columns)} columns")
        on_conflict = self._parse_on_conflict() if self.accept_word("ON") else None
        returning = ()
        if self.accept_word("RETURNING"):
            returning = self._parse_expression_list()
        return tree.Insert(table, columns, rows, returning, on_conflict)

    def _parse_on_conflict(self):
        """
        Parse what follows ``ON`` in PostgreSQL's ``ON CONFLICT`` clause, the
        form DatabaseOperations.on_conflict_suffix_sql() writes for
        ``bulk_create(ignore_conflicts=True)`` and ``update_conflicts=True``.
        """
        self.expect_word("CONFLICT")
        target = self.name_list() if self.at_punct("(") else ()
        self.expect_word("DO")
        if self.accept_word("NOTHING"):
            return tree.OnConflict(target)
        self.expect_word("UPDATE")
        if not target:
            self.unsupported("ON CONFLICT DO UPDATE without a conflict target")
        self.expect_word("SET")
        updates = []
        while True:
            column, source = self._parse_assignment()
            if not (isinstance(source, tree.Column) and (source.table or "").upper() == "EXCLUDED"):
                self.unsupported("ON CONFLICT DO UPDATE SET of something other than EXCLUDED.column")
            updates.append((column, source.name))
            if not self.accept_punct(","):
                break
        if self.at_word("WHERE"):
            self.unsupported("ON CONFLICT DO UPDATE ... WHERE")
        return tree.OnConflict(target, tuple(updates))

    def _parse_values_row(self):
        self.expect_punct("(")
        values = []
        while True:
            if self.accept_word("DEFAULT"):
                values.append(tree.Default())
            else:
                values.append(self.parse_expression())
            if not self.accept_punct(","):
                break
        self.expect_punct(")")
        return tuple(values)

    def _parse_update(self):
        self.expect_word("UPDATE")
        table = self.name("a table name")
        self.expect_word("SET")
        assignments = [self._parse_assignment()]
        while self.accept_punct(","):
            assignments.append(self._parse_assignment())
        if self.at_word("FROM"):
            self.unsupported("UPDATE ... FROM")
        where = self.parse_condition() if self.accept_word("WHERE") else None
        return tree.Update(table, tuple(assignments), where)

    def _parse_assignment(self):
        column = self.name("a column name")
        if self.accept_punct("."):  # "table"."column"
            column = self.name("a column name")
        if not (self.current.kind == OP and self.current.value in ("=", "==")):
            self.error("expected '='")
        self.advance()
        return (column, self.parse_expression())

    def _parse_delete(self):
        self.expect_word("DELETE")
        self.expect_word("FROM")
        table = self.name("a table name")
        where = self.parse_condition() if self.accept_word("WHERE") else None
        return tree.Delete(table, where)

    # DDL -------------------------------------------------------------------

    def _parse_create(self):
        self.expect_word("CREATE")
        if self.accept_word("TABLE"):
            return self._parse_create_table()
        unique = bool(self.accept_word("UNIQUE"))
        if self.accept_word("INDEX"):
            return self._parse_create_index(unique)
        self.unsupported(f"CREATE {self.current.text}")

    def _parse_create_table(self):
        if_not_exists = bool(self.accept_words("IF", "NOT", "EXISTS"))
        table = self.name("a table name")
        self.expect_punct("(")
        columns, constraints = [], []
        while True:
            if self.at_word("CONSTRAINT", "UNIQUE", "PRIMARY", "CHECK", "FOREIGN"):
                constraints.append(self._parse_table_constraint())
            else:
                columns.append(self._parse_column_def())
            if not self.accept_punct(","):
                break
        self.expect_punct(")")
        return ddl_tree.CreateTable(table, tuple(columns), tuple(constraints), if_not_exists)

    def _parse_column_def(self):
        name = self.name("a column name")
        type_ = self._parse_type()
        nullable, primary_key, unique, autoincrement, default, check = True, False, False, False, None, None
        while True:
            if self.accept_words("NOT", "NULL"):
                nullable = False
            elif self.accept_word("NULL"):
                nullable = True
            elif self.accept_words("PRIMARY", "KEY"):
                primary_key, nullable = True, False
            elif self.accept_word("UNIQUE"):
                unique = True
            elif self.accept_word("AUTOINCREMENT"):
                autoincrement = True
            elif self.accept_word("DEFAULT"):
                default = self._parse_primary()
            elif self.accept_word("CHECK"):
                if check is not None:
                    self.unsupported("more than one CHECK on a column")
                check = self._parse_check_condition()
            elif self.at_word("REFERENCES", "COLLATE", "GENERATED"):
                self.unsupported(f"column option {self.current.text.upper()}")
            else:
                break
        return ddl_tree.ColumnDef(name, type_, nullable, primary_key, unique, autoincrement, default, check)

    def _parse_check_condition(self):
        """Parse the parenthesised condition that follows CHECK."""
        self.expect_punct("(")
        condition = self.parse_condition()
        self.expect_punct(")")
        return condition

    def _parse_type(self):
        token = self.current
        if token.kind != WORD:
            self.error("expected a column type")
        self.advance()
        type_ = token.text.lower()
        if self.accept_punct("("):  # varchar(100), decimal(10, 2): sizes do not matter here
            while not self.accept_punct(")"):
                if self.current.kind == END:
                    self.error("expected ')'")
                self.advance()
        return type_

    def _parse_table_constraint(self):
        name = None
        if self.accept_word("CONSTRAINT"):
            name = self.name("a constraint name")
        if self.accept_word("UNIQUE"):
            return ddl_tree.UniqueConstraint(name, self.name_list())
        if self.accept_words("PRIMARY", "KEY"):
            return ddl_tree.UniqueConstraint(name, self.name_list(), primary_key=True)
        if self.accept_word("CHECK"):
            return ddl_tree.CheckConstraint(name, self._parse_check_condition())
        self.unsupported(f"constraint {self.current.text.upper()}")

    def _parse_create_index(self, unique):
        if self.at_word("IF"):
            self.unsupported("CREATE INDEX IF NOT EXISTS")
        name = self.name("an index name")
        self.expect_word("ON")
        table = self.name("a table name")
        self.expect_punct("(")
        columns = []
        while True:
            if self.current.kind not in (IDENT, WORD):
                self.unsupported("index on an expression")
            column = self.name()
            descending = bool(self.accept_word("DESC"))
            if not descending:
                self.accept_word("ASC")
            columns.append(ddl_tree.IndexColumn(column, descending))
            if not self.accept_punct(","):
                break
        self.expect_punct(")")
        if self.at_word("INCLUDE"):
            self.unsupported("index with INCLUDE columns")
        where = self.parse_condition() if self.accept_word("WHERE") else None
        return ddl_tree.CreateIndex(name, table, tuple(columns), unique, where)

    def _parse_drop(self):
        self.expect_word("DROP")
        if self.accept_word("TABLE"):
            table = self.name("a table name")
            if self.at_word("CASCADE"):
                self.advance()
            return ddl_tree.DropTable(table)
        if self.accept_word("INDEX"):
            name = self.name("an index name")
            self.expect_word("ON")
            return ddl_tree.DropIndex(name, self.name("a table name"))
        self.unsupported(f"DROP {self.current.text}")

    def _parse_alter(self):
        self.expect_word("ALTER")
        self.expect_word("TABLE")
        table = self.name("a table name")
        actions = [self._parse_alter_action()]
        while self.accept_punct(","):
            actions.append(self._parse_alter_action())
        return ddl_tree.AlterTable(table, tuple(actions))

    def _parse_alter_action(self):
        if self.accept_word("ADD"):
            if self.at_word("CONSTRAINT", "UNIQUE", "PRIMARY", "CHECK", "FOREIGN"):
                return ddl_tree.AddConstraint(self._parse_table_constraint())
            self.accept_word("COLUMN")
            return ddl_tree.AddColumn(self._parse_column_def())
        if self.accept_word("DROP"):
            if self.accept_word("CONSTRAINT"):
                return ddl_tree.DropConstraint(self.name("a constraint name"))
            if self.accept_word("CHECK"):
                return ddl_tree.DropCheck(self.name("a constraint name"))
            self.accept_word("COLUMN")
            name = self.name("a column name")
            self.accept_word("CASCADE")
            return ddl_tree.DropColumn(name)
        if self.accept_word("RENAME"):
            if self.accept_word("TO"):
                return ddl_tree.RenameTable(self.name("a table name"))
            self.accept_word("COLUMN")
            old = self.name("a column name")
            self.expect_word("TO")
            return ddl_tree.RenameColumn(old, self.name("a column name"))
        if self.accept_word("ALTER"):
            self.accept_word("COLUMN")
            name = self.name("a column name")
            return ddl_tree.AlterColumn(name, self._parse_column_change())
        self.unsupported(f"ALTER TABLE action {self.current.text!r}")

    def _parse_column_change(self):
        """Parse what follows ``ALTER COLUMN name`` and describe it in words."""
        if self.accept_word("TYPE"):
            return f"TYPE {self._parse_type()}"
        if self.accept_words("SET", "NOT", "NULL"):
            return "SET NOT NULL"
        if self.accept_words("DROP", "NOT", "NULL"):
            return "DROP NOT NULL"
        if self.accept_words("DROP", "DEFAULT"):
            return "DROP DEFAULT"
        if self.accept_words("SET", "DEFAULT"):
            self._parse_primary()
            return "SET DEFAULT"
        self.unsupported(f"ALTER COLUMN change {self.current.text!r}")

    # Conditions and expressions --------------------------------------------

    def parse_condition(self):
        """Parse an expression used as a condition (WHERE, ON, HAVING, WHEN)."""
        return as_condition(self._parse_or())

    def parse_expression(self):
        return self._parse_or()

    def _nested(self):
        """
        Enter one more level of nesting (parentheses, a function's
        arguments, CASE, a subquery, NOT, a sign); refuse a statement nested
        deeper than MAX_NESTING rather than run out of Python's stack.
        """
        self.depth += 1
        if self.depth > MAX_NESTING:
            raise SQLDecodeError(f"expression nested more than {MAX_NESTING} levels deep", self.sql,
                                 self.current.position)

    def _parse_or(self):
        self._nested()
        items = [self._parse_and()]
        while self.accept_word("OR"):
            items.append(self._parse_and())
        self.depth -= 1
        if len(items) == 1:
            return items[0]
        return tree.Or(tuple(as_condition(item) for item in items))

    def _parse_and(self):
        items = [self._parse_not()]
        while self.accept_word("AND"):
            items.append(self._parse_not())
        if len(items) == 1:
            return items[0]
        return tree.And(tuple(as_condition(item) for item in items))

    def _parse_not(self):
        if self.at_word("NOT") and not self.peek().value == "EXISTS":
            self.advance()
            self._nested()
            node = tree.Not(as_condition(self._parse_not()))
            self.depth -= 1
            return node
        return self._parse_predicate()

    def _parse_predicate(self):
        if self.at_word("NOT") or self.at_word("EXISTS"):
            negated = bool(self.accept_word("NOT"))
            self.expect_word("EXISTS")
            self.expect_punct("(")
            select = self._parse_select_statement()
            self.expect_punct(")")
            node = tree.Exists(select)
            token = self.current
            if token.kind == OP and token.value in COMPARISON_OPS:
                # EXISTS(...) = x: Django's exact lookup on an Exists.
                self.advance()
                node = tree.Comparison(COMPARISON_OPS[token.value], node, self._parse_additive())
            return tree.Not(node) if negated else node
        left = self._parse_additive()
        if isinstance(left, tree.Row):
            return self._parse_row_predicate(left)
        token = self.current
        if token.kind == OP and token.value in COMPARISON_OPS:
            self.advance()
            if self.at_word("ANY", "ALL", "SOME"):
                self.unsupported(f"{self.current.text.upper()} (subquery)")
            return tree.Comparison(COMPARISON_OPS[token.value], left, self._parse_additive())
        if self.accept_word("IS"):
            negated = bool(self.accept_word("NOT"))
            if self.accept_word("NULL"):
                return tree.IsNull(left, negated)
            if self.at_word("TRUE", "FALSE"):
                return tree.IsBoolean(left, self.advance().value == "TRUE", negated)
            self.unsupported("IS DISTINCT FROM" if self.at_word("DISTINCT") else "IS predicate")
        negated = False
        if self.at_word("NOT") and self.peek().kind == WORD and self.peek().value in ("IN", "BETWEEN", "LIKE", "ILIKE", "REGEXP", "IREGEXP"):
            self.advance()
            negated = True
        if self.accept_word("IN"):
            if self.current.kind == PARAM:
                # x IN %s: one parameter holding the whole list.
                self.advance()
                param = tree.ListParam(self.param_count)
                self.param_count += 1
                return tree.InList(left, (param,), negated)
            self.expect_punct("(")
            if self._at_subquery():
                select = self._parse_select_statement()
                self.expect_punct(")")
                return tree.InSubquery(left, select, negated)
            items = self._parse_expression_list()
            self.expect_punct(")")
            return tree.InList(left, items, negated)
        if self.accept_word("BETWEEN"):
            low = self._parse_additive()
            self.expect_word("AND")
            return tree.Between(left, low, self._parse_additive(), negated)
        word = self.accept_word("LIKE", "ILIKE")
        if word:
            pattern = self._parse_additive()
            if self.at_word("ESCAPE"):
                self.unsupported("LIKE ... ESCAPE (backslash is the escape character)")
            return tree.Like(left, pattern, negated, insensitive=word == "ILIKE")
        word = self.accept_word("REGEXP", "IREGEXP")
        if word:
            return tree.Regex(left, self._parse_additive(), negated, insensitive=word == "IREGEXP")
        if negated:
            self.error("expected IN, BETWEEN, LIKE, ILIKE or REGEXP after NOT")
        if self.at_word("SIMILAR", "GLOB", "MATCH"):
            self.unsupported(f"{self.current.text.upper()} operator")
        return left

    def _parse_row_predicate(self, left):
        """
        Parse the rest of a predicate whose left side holds a row value:
        ``(a, b) [NOT] IN (SELECT x, y ...)`` or ``(a, b) = (SELECT x, y ...
        LIMIT 1)``, the forms Django writes for a composite key against a
        subquery when tuple lookups are off (features.supports_tuple_lookups).
        """
        node = None
        if self.at_op("="):
            self.advance()
            right = self._parse_additive()
            if isinstance(right, tree.Subquery):
                select = right.select
                if not (isinstance(select, tree.Select) and isinstance(select.limit, tree.Literal)
                        and select.limit.value == 1 and select.offset is None):
                    # SQLite reads the first of many rows, PostgreSQL fails.
                    self.unsupported("row value (a, b) = (SELECT ...) without LIMIT 1")
                node = tree.InSubquery(left, select, scalar=True)
        else:
            negated = self.at_word("NOT") and self.peek().kind == WORD and self.peek().value == "IN"
            if negated:
                self.advance()
            if self.accept_word("IN") and self.at_punct("(") and self._at_subquery():
                self.advance()
                node = tree.InSubquery(left, self._parse_select_statement(), negated)
                self.expect_punct(")")
        if node is None:
            self.unsupported("row value (a, b) outside IN (SELECT ...) and = (SELECT ...)")
        first = node.select.selects[0] if isinstance(node.select, tree.Compound) else node.select
        if len(first.items) != len(left.items) or any(isinstance(item.expr, tree.Star) for item in first.items):
            self.unsupported(f"row value of {len(left.items)} columns against a subquery of another width")
        return node

    def _at_subquery(self):
        """Return whether a SELECT starts here, behind any number of parentheses."""
        offset = 0
        while self.peek(offset).kind == PUNCT and self.peek(offset).value == "(":
            offset += 1
        token = self.peek(offset)
        return token.kind == WORD and token.value == "SELECT"

    def _at_parenthesized_compound(self):
        """Return whether ``(SELECT ...) UNION|INTERSECT|EXCEPT`` or ``(SELECT ...) LIMIT`` starts here."""
        if not (self.at_punct("(") and self._at_subquery()):
            return False
        depth = 0
        offset = 0
        while True:
            token = self.peek(offset)
            if token.kind == END:
                return False
            if token.kind == PUNCT and token.value == "(":
                depth += 1
            elif token.kind == PUNCT and token.value == ")":
                depth -= 1
                if depth == 0:
                    following = self.peek(offset + 1)
                    return following.kind == WORD and following.value in (*COMPOUND_OPS, "ORDER", "LIMIT", "OFFSET")
            offset += 1

    def _parse_additive(self):
        left = self._parse_multiplicative()
        while self.current.kind == OP and self.current.value in ("+", "-", "||"):
            op = self.advance().value
            left = tree.BinaryOp(op, left, self._parse_multiplicative())
        return left

    def _parse_multiplicative(self):
        left = self._parse_unary()
        while self.current.kind == OP and self.current.value in ("*", "/", "%"):
            op = self.advance().value
            left = tree.BinaryOp(op, left, self._parse_unary())
        return left

    def _parse_unary(self):
        if self.at_op("-") or self.at_op("+"):
            sign = self.advance().value
            self._nested()
            operand = self._parse_unary()
            self.depth -= 1
            if sign == "+":
                return operand
            if isinstance(operand, tree.Literal) and isinstance(operand.value, (int, float)):
                return tree.Literal(-operand.value)
            return tree.Negative(operand)
        expr = self._parse_primary()
        if self.at_punct("::"):
            self.unsupported("'::' cast")
        return expr

    def _param(self):
        self.advance()
        param = tree.Param(self.param_count)
        self.param_count += 1
        return param

    def _parse_primary(self):
        token = self.current
        kind = token.kind
        if kind == PARAM:
            return self._param()
        if kind == NUMBER:
            self.advance()
            return tree.Literal(token.value)
        if kind == STRING:
            self.advance()
            return tree.Literal(token.value)
        if kind == OP and token.value == "*":
            self.advance()
            return tree.Star()
        if kind == PUNCT and token.value == "(":
            self.advance()
            if self.at_word("SELECT") or self._at_parenthesized_compound():
                select = self._parse_select_statement()
                self.expect_punct(")")
                return tree.Subquery(select)
            expr = self.parse_expression()
            if self.at_punct(","):
                items = [expr]
                while self.accept_punct(","):
                    items.append(self.parse_expression())
                expr = tree.Row(tuple(items))
            self.expect_punct(")")
            return expr
        if kind == IDENT:
            return self._parse_column_ref()
        if kind == WORD:
            word = token.value
            if word == "NULL":
                self.advance()
                return tree.Literal(None)
            if word in ("TRUE", "FALSE"):
                self.advance()
                return tree.Literal(word == "TRUE")
            if word in NILADIC_FUNCTIONS:
                self.advance()
                return tree.Func(word)
            if word == "CASE":
                return self._parse_case()
            if word == "CAST":
                return self._parse_cast()
            if self.peek().kind == PUNCT and self.peek().value == "(":
                return self._parse_function()
            if word in CLAUSE_WORDS or word == "SELECT":
                self.error("expected an expression")
            return self._parse_column_ref()
        self.error("expected an expression")

    def _parse_column_ref(self):
        first = self.name()
        if self.accept_punct("."):
            if self.at_op("*"):
                self.advance()
                return tree.Star(first)
            return tree.Column(self.name("a column name"), first)
        return tree.Column(first)

    def _parse_function(self):
        name = self.advance().value
        self.expect_punct("(")
        distinct = bool(self.accept_word("DISTINCT"))
        args = ()
        if not self.at_punct(")"):
            args = self._parse_expression_list()
        order_by = ()
        if self.at_word("ORDER"):
            # An aggregate's own ORDER BY (Django's Aggregate.order_by, as
            # StringAgg writes it): STRING_AGG(x, %s ORDER BY y DESC).
            if name not in analysis.AGGREGATES:
                self.unsupported(f"ORDER BY in {name}()")
            self.expect_word("ORDER")
            self.expect_word("BY")
            items = [self._parse_order_item()]
            while self.accept_punct(","):
                items.append(self._parse_order_item())
            order_by = tuple(items)
        self.expect_punct(")")
        if self.at_word("FILTER"):
            self.unsupported(f"FILTER clause of {name}()")
        func = tree.Func(name, args, distinct, order_by)
        if self.accept_word("OVER"):
            return self._parse_over(func)
        return func

    def _parse_over(self, func):
        """Parse the window of ``func`` after OVER: ``([PARTITION BY ...] [ORDER BY ...] [frame])``."""
        self.expect_punct("(")
        partition_by = order_by = ()
        if self.accept_words("PARTITION", "BY"):
            partition_by = self._parse_expression_list()
        if self.accept_words("ORDER", "BY"):
            items = [self._parse_order_item()]
            while self.accept_punct(","):
                items.append(self._parse_order_item())
            order_by = tuple(items)
        frame = None
        if self.at_word("ROWS", "RANGE", "GROUPS"):
            frame = self._parse_frame()
        self.expect_punct(")")
        return tree.Window(func, partition_by, order_by, frame)

    def _parse_frame(self):
        """Parse ``ROWS|RANGE BETWEEN bound AND bound [EXCLUDE ...]``, or a frame of one bound."""
        token = self.current
        kind = self.advance().value
        if kind == "GROUPS":
            self.unsupported("GROUPS frame of a window", token)
        if self.accept_word("BETWEEN"):
            start = self._parse_frame_bound()
            self.expect_word("AND")
            end = self._parse_frame_bound()
        else:
            # "ROWS 2 PRECEDING" is "ROWS BETWEEN 2 PRECEDING AND CURRENT ROW".
            start, end = self._parse_frame_bound(), 0
        if start == "UNBOUNDED FOLLOWING" or end == "UNBOUNDED PRECEDING":
            self.unsupported(f"{kind} frame from {start} to {end}", token)
        start = None if start == "UNBOUNDED PRECEDING" else start
        end = None if end == "UNBOUNDED FOLLOWING" else end
        if start is not None and end is not None and start > end:
            # SQL gives every row an empty frame; MongoDB refuses such bounds.
            self.unsupported(f"{kind} frame whose start follows its end", token)
        exclusion = None
        if self.accept_word("EXCLUDE"):
            if self.accept_words("CURRENT", "ROW"):
                exclusion = "CURRENT ROW"
            elif self.accept_words("NO", "OTHERS"):
                exclusion = None
            else:
                exclusion = self.expect_word("GROUP", "TIES")
        return tree.Frame(kind, start, end, exclusion)

    def _parse_frame_bound(self):
        """Return a frame bound: an offset (negative PRECEDING), or "UNBOUNDED PRECEDING|FOLLOWING"."""
        if self.accept_word("UNBOUNDED"):
            return "UNBOUNDED " + self.expect_word("PRECEDING", "FOLLOWING")
        if self.accept_words("CURRENT", "ROW"):
            return 0
        token = self.current
        if token.kind != NUMBER or not isinstance(token.value, int) or token.value < 0:
            self.error("expected a frame bound")
        self.advance()
        return -token.value if self.expect_word("PRECEDING", "FOLLOWING") == "PRECEDING" else token.value

    def _parse_case(self):
        self.expect_word("CASE")
        operand = None if self.at_word("WHEN") else self.parse_expression()
        whens = []
        while self.accept_word("WHEN"):
            condition = self.parse_expression() if operand is not None else self.parse_condition()
            self.expect_word("THEN")
            whens.append((condition, self.parse_expression()))
        if not whens:
            self.error("expected WHEN")
        default = self.parse_expression() if self.accept_word("ELSE") else None
        self.expect_word("END")
        return tree.Case(tuple(whens), default, operand)

    def _parse_cast(self):
        self.expect_word("CAST")
        self.expect_punct("(")
        expr = self.parse_expression()
        self.expect_word("AS")
        length = None
        if self.at_word("STRING", "CHAR", "VARCHAR", "CHARACTER"):
            # string(n): Cast(x, CharField(max_length=n)), which cuts the
            # text, as SQL's CHAR(n) and VARCHAR(n) do in hand-written SQL.
            self.advance()
            type_ = "string"
            if self.accept_punct("("):
                size = self.current
                if size.kind != NUMBER or not isinstance(size.value, int) or size.value < 0:
                    self.error("expected a length")
                self.advance()
                self.expect_punct(")")
                length = size.value
        else:
            type_ = self._parse_type()
        self.expect_punct(")")
        return tree.Cast(expr, type_, length)


CONDITION_NODES = (
    tree.Comparison, tree.InList, tree.InSubquery, tree.Between, tree.Like, tree.Regex, tree.IsNull,
    tree.IsBoolean, tree.Exists, tree.IsTrue, tree.And, tree.Or, tree.Not,
)


def as_condition(node):
    """Wrap an expression met where a condition is expected, e.g. a boolean column."""
    if isinstance(node, CONDITION_NODES):
        return node
    return tree.IsTrue(node)
