"""Recursive-descent parser: tokens to a syntax tree.

Grammar, from the loosest operator to the tightest::

    or      := and ('or' and)*
    and     := not ('and' not)*
    not     := 'not' not | cmp
    cmp     := add [('=='|'!='|'<'|'<='|'>'|'>='|'in'|'not' 'in') add]
             | add 'is' ['not'] ('known'|'unknown')
    add     := mul (('+'|'-') mul)*
    mul     := unary (('*'|'/') unary)*
    unary   := '-' unary | primary
    primary := NUMBER ['%'] | STRING | 'true' | 'false' | '[' [expr (',' expr)* [',']] ']'
             | '(' expr ')' | NAME '(' [expr (',' expr)*] ')'
             | QUANT '(' NAME 'in' path ':' expr ')' | path
    path    := NAME ('.' NAME)*

Nesting (brackets, calls, quantifiers, ``not``, unary minus) is limited to
:data:`MAX_DEPTH` levels, which also keeps Python's own recursion far from its limit.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

from govrules.base.i18n import N_, _
from govrules.lang._lexer import Token, tokenize
from govrules.lang._nodes import (
    Arith,
    BoolLit,
    Call,
    Compare,
    IsKnown,
    ListLit,
    Logic,
    Neg,
    Node,
    Not,
    NumberLit,
    Path,
    Quantifier,
    StringLit,
)
from govrules.lang._problems import Problem

__all__ = ["MAX_DEPTH", "MAX_LIST", "QUANTIFIERS", "parse"]

MAX_DEPTH = 64
"""Deepest nesting of brackets, calls, quantifiers, ``not`` and unary minus."""

MAX_LIST = 1000
"""Most items in one list literal."""

QUANTIFIERS = frozenset({"any", "all", "count", "sum", "min", "max"})

_COMPARE = frozenset({"==", "!=", "<", "<=", ">", ">=", "in"})
_STARTS_COMPARISON = _COMPARE | {"is"}


def parse(text: str) -> Node:
    """The syntax tree of ``text``; raise :class:`Problem` on the first syntax error.

    >>> parse("a.b >= 10%")
    Compare(start=0, end=10, op='>=', left=Path(start=0, end=3, parts=('a', 'b')), \
right=NumberLit(start=7, end=10, value=Decimal('0.10')), op_start=4)
    """
    return _Parser(tokenize(text)).parse()


class _Parser:
    def __init__(self, tokens: list[Token]) -> None:
        self.tokens = tokens
        self.pos = 0
        self.depth = 0

    # -- token helpers ----------------------------------------------------------------

    @property
    def tok(self) -> Token:
        return self.tokens[self.pos]

    def peek(self, ahead: int) -> Token:
        return self.tokens[min(self.pos + ahead, len(self.tokens) - 1)]

    def advance(self) -> Token:
        tok = self.tokens[self.pos]
        if tok.kind != "end":
            self.pos += 1
        return tok

    def expect(self, kind: str, what: str, hint: str | None = None, **args: str) -> Token:
        """The next token, which must be of ``kind``: else a syntax error saying ``what``
        was expected. ``what`` is a message marked with ``N_``, translated (and formatted
        with ``args``) only then: every token of every pack passes here."""
        if self.tok.kind != kind:
            raise self.error(_(what).format(**args) if args else _(what), hint)
        return self.advance()

    def error(self, what: str, hint: str | None = None) -> Problem:
        tok = self.tok
        return Problem("expr-syntax", _("expected {what}, found {found}").format(
            what=what, found=tok.describe()), tok.start, hint)

    def enter(self, tok: Token) -> None:
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise Problem("expr-too-complex", _(
                "the condition nests more than {limit} levels").format(limit=MAX_DEPTH),
                tok.start, _("split it into derived facts"))

    def leave(self) -> None:
        self.depth -= 1

    # -- grammar ----------------------------------------------------------------------

    def parse(self) -> Node:
        if self.tok.kind == "end":
            raise self.error(_("a condition"))
        node = self.expr()
        if self.tok.kind != "end":
            hint = _("join conditions with 'and' or 'or'") if self.tok.kind in (
                "name", "number", "string", "(") else None
            raise self.error(_("an operator or the end of the condition"), hint)
        return node

    def expr(self) -> Node:
        return self.logic("or", self.conjunction)

    def conjunction(self) -> Node:
        return self.logic("and", self.negation)

    def logic(self, op: str, parse_operand: Callable[[], Node]) -> Node:
        first = parse_operand()
        if self.tok.kind != op:
            return first
        items = [first]
        while self.tok.kind == op:
            self.advance()
            items.append(parse_operand())
        return Logic(op, tuple(items), start=first.start, end=items[-1].end)

    def negation(self) -> Node:
        tok = self.tok
        if tok.kind != "not":
            return self.comparison()
        self.enter(tok)
        self.advance()
        operand = self.negation()
        self.leave()
        return Not(operand, start=tok.start, end=operand.end)

    def comparison(self) -> Node:
        left = self.additive()
        tok = self.tok
        node: Node
        if tok.kind in _COMPARE or (tok.kind == "not" and self.peek(1).kind == "in"):
            op = "not in" if tok.kind == "not" else tok.kind
            self.advance()
            if op == "not in":
                self.advance()
            right = self.additive()
            node = Compare(op, left, right, tok.start, start=left.start, end=right.end)
        elif tok.kind == "is":
            self.advance()
            negated = self.tok.kind == "not"
            if negated:
                self.advance()
            word = self.tok
            if word.kind not in ("known", "unknown"):
                raise self.error(_("'known' or 'unknown'"),
                                 _("write 'x is known' or 'x is unknown'"))
            self.advance()
            node = IsKnown(left, (word.kind == "known") != negated, start=left.start,
                           end=word.end)
        else:
            return left
        after = self.tok
        if after.kind in _STARTS_COMPARISON or (after.kind == "not" and self.peek(1).kind == "in"):
            raise Problem("expr-syntax", _(
                "comparisons cannot be chained: unexpected {found}").format(
                found=after.describe()), after.start, _("join them with 'and'"))
        return node

    def additive(self) -> Node:
        return self.arith(("+", "-"), self.multiplicative)

    def multiplicative(self) -> Node:
        return self.arith(("*", "/"), self.unary)

    def arith(self, ops: tuple[str, str], parse_operand: Callable[[], Node]) -> Node:
        first = parse_operand()
        if self.tok.kind not in ops:
            return first
        items, kinds = [first], []
        while self.tok.kind in ops:
            op = self.advance()
            if op.kind == "*" and self.tok.kind == "*" and self.tok.start == op.end:
                raise Problem("expr-syntax", _("there is no '**' operator"), op.start,
                              _("write the multiplication out"))
            kinds.append(op.kind)
            items.append(parse_operand())
        return Arith(tuple(kinds), tuple(items), start=first.start, end=items[-1].end)

    def unary(self) -> Node:
        tok = self.tok
        if tok.kind != "-":
            return self.primary()
        self.enter(tok)
        self.advance()
        operand = self.unary()
        self.leave()
        return Neg(operand, start=tok.start, end=operand.end)

    def primary(self) -> Node:
        tok = self.tok
        kind = tok.kind
        if kind == "number":
            return self.number()
        if kind == "string":
            self.advance()
            assert isinstance(tok.value, str)
            return StringLit(tok.value, start=tok.start, end=tok.end)
        if kind in ("true", "false"):
            self.advance()
            return BoolLit(kind == "true", start=tok.start, end=tok.end)
        if kind == "[":
            return self.list_literal()
        if kind == "(":
            self.enter(tok)
            self.advance()
            inner = self.expr()
            self.expect(")", "')'")
            self.leave()
            return inner
        if kind == "name":
            if self.peek(1).kind == "(":
                return self.call()
            return self.path()
        hint = None
        if kind in ("known", "unknown"):
            hint = _("write 'x is {kind}'").format(kind=kind)
        elif kind == "%":
            hint = _("'%' can only follow a number, as in 10%")
        raise self.error(_("a value"), hint)

    def number(self) -> Node:
        tok = self.advance()
        assert isinstance(tok.value, Decimal)
        value, end = tok.value, tok.end
        if self.tok.kind == "%":
            value, end = value.scaleb(-2), self.advance().end
        return NumberLit(value, start=tok.start, end=end)

    def list_literal(self) -> Node:
        open_ = self.advance()
        self.enter(open_)
        items: list[Node] = []
        while self.tok.kind != "]":
            if len(items) == MAX_LIST:
                raise Problem("expr-too-complex", _(
                    "a list has more than {limit} items").format(limit=MAX_LIST),
                    self.tok.start)
            items.append(self.expr())
            if self.tok.kind != ",":
                break
            self.advance()
        close = self.expect("]", N_("',' or ']'"))
        self.leave()
        return ListLit(tuple(items), start=open_.start, end=close.end)

    def path(self) -> Path:
        first = self.expect("name", N_("a name"))
        parts, end = [first.text], first.end
        while self.tok.kind == ".":
            self.advance()
            part = self.expect("name", N_("a field name after '.'"))
            parts.append(part.text)
            end = part.end
        if self.tok.kind == "(":
            raise Problem("expr-syntax", _("{name!r} is not a function").format(
                name=".".join(parts)), self.tok.start,
                _("only the listed functions can be called, by name"))
        return Path(tuple(parts), start=first.start, end=end)

    def call(self) -> Node:
        name = self.advance()
        if name.text in QUANTIFIERS and (
            name.text not in ("min", "max")
            or (self.peek(1).kind == "name" and self.peek(2).kind == "in")
        ):
            return self.quantifier(name)
        open_ = self.advance()
        self.enter(open_)
        args: list[Node] = []
        if self.tok.kind != ")":
            args.append(self.expr())
            while self.tok.kind == ",":
                self.advance()
                args.append(self.expr())
        close = self.expect(")", N_("',' or ')'"))
        self.leave()
        return Call(name.text, tuple(args), start=name.start, end=close.end)

    def quantifier(self, name: Token) -> Node:
        form = f"{name.text}(x in list: ...)"
        open_ = self.advance()
        self.enter(open_)
        var = self.expect("name", N_("a variable name, as in {form}"), form=form)
        self.expect("in", N_("'in', as in {form}"), form=form)
        source = self.path()
        self.expect(":", N_("':', as in {form}"), form=form)

        body = self.expr()
        close = self.expect(")", "')'")
        self.leave()
        return Quantifier(name.text, var.text, var.start, source, body, start=name.start,
                          end=close.end)
