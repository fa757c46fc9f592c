"""Random GraphQL requests over the real schema, for comparing the two execution paths.

`requests(schema, catalog, count, seed)` yields requests, each query text once, drawn with a
seeded `random.Random`, so every run sees the same cases: the query, its variables, and a
second set of values for the same variables (a prepared plan is made on the first and must
answer the second exactly as the full path does). The queries walk the schema from `Query`:
fields with and without arguments, arguments as literals or as variables (declared with their
types, given values that coerce and some that do not), aliases, `__typename`, inline
fragments and named fragments, including on the `Node` interface, and lists nested in lists
deep enough that some answers pass a small field budget. Argument values come from the data
(real slugs, numbers and ids) and from outside it (unknown slugs, out-of-range numbers).
"""

from __future__ import annotations

import random
from collections.abc import Iterator

from graphql import (
    GraphQLEnumType,
    GraphQLInputObjectType,
    GraphQLInterfaceType,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLScalarType,
    GraphQLSchema,
    get_named_type,
    is_leaf_type,
)


class _Values:
    """Argument values: ones the data has, and ones it does not."""

    def __init__(self, catalog):
        self.strings = [r.slug for r in catalog.responsibilities]
        self.strings += [c.slug for c in catalog.components]
        self.ids = [s.id for s in catalog.sessions] + [r.id for r in catalog.responsibilities]
        self.ints = [s.number for s in catalog.sessions]
        self.outside = {"String": ["no-such-thing", ""], "ID": ["session/99", "nothing"]}
        self.outside["Int"] = [0, -1, 99, 2**31]


class _Generator:
    def __init__(self, schema: GraphQLSchema, values: _Values, rng: random.Random):
        self.schema, self.values, self.rng = schema, values, rng
        self.variables: dict[str, tuple[str, object]] = {}  # name -> (type, value)
        self.fragments: dict[str, str] = {}

    # -- values --------------------------------------------------------------------------

    def value(self, type_, depth: int = 0):
        """A Python value for `type_` (JSON-able), sometimes null where null is allowed."""
        if isinstance(type_, GraphQLNonNull):
            return self.value(type_.of_type, depth)
        if self.rng.random() < 0.08:
            return None
        if isinstance(type_, GraphQLList):
            return [self.value(type_.of_type, depth) for _ in range(self.rng.randint(0, 3))]
        if isinstance(type_, GraphQLEnumType):
            return self.rng.choice(list(type_.values))
        if isinstance(type_, GraphQLInputObjectType):
            return {name: self.value(f.type, depth + 1) for name, f in type_.fields.items()}
        name = type_.name
        if name in self.values.outside and self.rng.random() < 0.1:
            return self.rng.choice(self.values.outside[name])
        if name == "Int":
            return self.rng.choice(self.values.ints)
        if name == "Boolean":
            return self.rng.random() < 0.5
        if name == "ID":
            return self.rng.choice(self.values.ids)
        if name == "Float":
            return self.rng.choice([0.5, 1.0, -2.25])
        return self.rng.choice(self.values.strings)

    def literal(self, type_, value) -> str:
        if value is None:
            return "null"
        if isinstance(type_, GraphQLNonNull):
            return self.literal(type_.of_type, value)
        if isinstance(type_, GraphQLList):
            return "[" + ", ".join(self.literal(type_.of_type, v) for v in value) + "]"
        if isinstance(type_, GraphQLEnumType):
            return str(value)
        if isinstance(type_, GraphQLInputObjectType):
            fields = ", ".join(
                f"{k}: {self.literal(type_.fields[k].type, v)}" for k, v in value.items()
            )
            return "{" + fields + "}"
        if isinstance(value, bool):
            return "true" if value else "false"
        if isinstance(value, str):
            return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
        return str(value)

    def argument(self, name: str, type_) -> str | None:
        roll = self.rng.random()
        if roll < 0.3 and not isinstance(type_, GraphQLNonNull):
            return None  # left out
        value = self.value(type_)
        if roll < 0.65:
            return f"{name}: {self.literal(type_, value)}"
        variable = f"v{len(self.variables)}"
        if self.rng.random() < 0.05:  # a value of the wrong type: coercion fails
            value = {"not": "a value"}
        elif self.rng.random() < 0.1:
            value = None
        self.variables[variable] = (str(type_), value)
        return f"{name}: ${variable}"

    # -- selections ----------------------------------------------------------------------

    def selection(self, type_, depth: int) -> str:
        named = get_named_type(type_)
        if isinstance(named, GraphQLInterfaceType):
            return self.interface_selection(named, depth)
        fields = list(named.fields.items())
        chosen = self.rng.sample(fields, k=min(len(fields), self.rng.randint(1, 3)))
        parts = [self.field(name, field, depth) for name, field in chosen]
        if self.rng.random() < 0.1:
            parts.append("__typename")
        if self.rng.random() < 0.1:
            parts.append("... { " + self.field(*self.rng.choice(fields), depth) + " }")
        if self.rng.random() < 0.1:
            parts.append(self.fragment(named, depth))
        return "{ " + " ".join(parts) + " }"

    def interface_selection(self, interface: GraphQLInterfaceType, depth: int) -> str:
        parts = ["id", "__typename"]
        for obj in self.rng.sample(self.schema.get_implementations(interface).objects, k=2):
            parts.append(f"... on {obj.name} " + self.selection(obj, depth))
        return "{ " + " ".join(parts) + " }"

    def fragment(self, obj: GraphQLObjectType, depth: int) -> str:
        name = f"F{len(self.fragments)}"
        self.fragments[name] = ""  # taken before its body is drawn, which may hold fragments
        self.fragments[name] = f"fragment {name} on {obj.name} " + self.selection(obj, depth)
        return f"...{name}"

    def field(self, name: str, field, depth: int) -> str:
        alias = f"a{self.rng.randint(0, 9)}: " if self.rng.random() < 0.15 else ""
        arguments = [self.argument(n, a.type) for n, a in field.args.items()]
        arguments = [a for a in arguments if a]
        text = alias + name + (f"({', '.join(arguments)})" if arguments else "")
        if is_leaf_type(get_named_type(field.type)):
            return text
        if depth >= 6:  # keep within the depth limit: end in a leaf
            named = get_named_type(field.type)
            leaves = ["__typename"]
            if not isinstance(named, GraphQLScalarType) and hasattr(named, "fields"):
                leaves += [
                    n for n, f in named.fields.items() if is_leaf_type(get_named_type(f.type))
                ]
            return text + " { " + self.rng.choice(leaves) + " }"
        return text + " " + self.selection(field.type, depth + 1)

    def request(self) -> tuple[str, dict | None, dict | None]:
        body = self.selection(self.schema.query_type, 0)
        declared = ", ".join(f"${n}: {t}" for n, (t, _) in self.variables.items())
        head = f"query Q({declared}) " if declared else ""
        query = head + body + "".join(" " + f for f in self.fragments.values())
        if not self.variables:
            return query, None, None
        variables = {n: v for n, (_, v) in self.variables.items()}
        types = {str(a.type): a.type for a in self._arguments()}
        other = {
            n: self.value(types[t]) if t in types else v for n, (t, v) in self.variables.items()
        }
        return query, variables, other

    def _arguments(self):
        for type_ in self.schema.type_map.values():
            for field in getattr(type_, "fields", {}).values():
                yield from getattr(field, "args", {}).values()


def requests(
    schema: GraphQLSchema, catalog, count: int, seed: int
) -> Iterator[tuple[str, dict | None, dict | None]]:
    """`count` requests of distinct query texts, the same ones for the same seed: each the
    query, its variables, and other values for the same variables (None without variables)."""
    rng = random.Random(seed)
    values = _Values(catalog)
    seen: set[str] = set()
    while len(seen) < count:
        query, variables, other = _Generator(schema, values, rng).request()
        if query not in seen:
            seen.add(query)
            yield query, variables, other


__all__ = ["requests"]
