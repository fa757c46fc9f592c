"""Prepared queries: a validated GraphQL document compiled once into a plan that builds its
answer straight from the read layer's objects.

graphql-core spends about 8 µs per field on bookkeeping a read-only, synchronous schema of
plain objects does not need. A plan walks the same selection with the same resolvers, and is
only ever used for a document strawberry has already executed without error, so validation,
limits and error reporting stay with strawberry: whenever a plan meets anything it does not
handle (an error, a null in a non-null field, a variable that does not coerce) it gives up
with `Bail` and the caller runs the full path instead. Documents with directives,
introspection or fragments on abstract types are simply never compiled.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from graphql import (
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLBoolean,
    GraphQLEnumType,
    GraphQLID,
    GraphQLInt,
    GraphQLInterfaceType,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLOutputType,
    GraphQLScalarType,
    GraphQLSchema,
    GraphQLString,
    InlineFragmentNode,
    OperationDefinitionNode,
    OperationType,
    SelectionSetNode,
)
from graphql.execution.values import get_variable_values

from blkg.api.arguments import argument_values
from blkg.api.deadline import TooSlow
from blkg.api.deadline import check as check_deadline
from blkg.api.resolvers import direct_resolver, runtime_type


class Unsupported(Exception):
    """The document uses something plans do not cover; execute it the full way."""


class Bail(Exception):
    """This execution needs the full path (an error, or a null where none is allowed)."""


Complete = Callable[[Any, Any], Any]


class Compiler:
    """Builds plans for one schema; object plans are shared by identical selections."""

    def __init__(self, schema: GraphQLSchema, fragments: dict[str, FragmentDefinitionNode]):
        self.schema = schema
        self.fragments = fragments
        self.fields = 0

    def collect(self, object_type: GraphQLObjectType, selection_sets) -> dict[str, list]:
        """Response key -> field nodes, in document order, as GraphQL's CollectFields does."""
        fields: dict[str, list[FieldNode]] = {}
        for selection_set in selection_sets:
            self._collect(object_type, selection_set, fields, set())
        return fields

    def _collect(self, object_type, selection_set: SelectionSetNode, fields, visited) -> None:
        for selection in selection_set.selections:
            if selection.directives:
                raise Unsupported("directives")
            if isinstance(selection, FieldNode):
                key = selection.alias.value if selection.alias else selection.name.value
                fields.setdefault(key, []).append(selection)
            elif isinstance(selection, InlineFragmentNode):
                if self._applies(selection.type_condition, object_type):
                    self._collect(object_type, selection.selection_set, fields, visited)
            elif isinstance(selection, FragmentSpreadNode):
                name = selection.name.value
                fragment = self.fragments[name]
                if name not in visited and self._applies(fragment.type_condition, object_type):
                    visited.add(name)
                    self._collect(object_type, fragment.selection_set, fields, visited)

    def _applies(self, condition, object_type: GraphQLObjectType) -> bool:
        if condition is None or condition.name.value == object_type.name:
            return True
        if condition.name.value in {i.name for i in object_type.interfaces}:
            return True
        if isinstance(self.schema.type_map.get(condition.name.value), GraphQLObjectType):
            return False
        raise Unsupported("fragment on a union")

    def object_plan(self, object_type: GraphQLObjectType, selection_sets) -> ObjectPlan:
        fields = self.collect(object_type, selection_sets)
        return ObjectPlan([self.field_plan(object_type, k, nodes) for k, nodes in fields.items()])

    def field_plan(self, parent: GraphQLObjectType, key: str, nodes: list[FieldNode]):
        self.fields += 1
        name = nodes[0].name.value
        if name == "__typename":
            return FieldPlan(key, lambda source, variables: parent.name, _identity)
        if name.startswith("__"):
            raise Unsupported("introspection")
        field = parent.fields[name]
        resolve = _resolver(field, nodes[0])
        sub_selections = [n.selection_set for n in nodes if n.selection_set]
        return FieldPlan(key, resolve, self.completer(field.type, sub_selections))

    def completer(self, type_: GraphQLOutputType, selection_sets) -> Complete:
        if isinstance(type_, GraphQLNonNull):
            return _non_null(self._present(type_.of_type, selection_sets))
        return _nullable(self._present(type_, selection_sets))

    def _present(self, type_: GraphQLOutputType, selection_sets) -> Complete:
        """Completes a value of `type_` already known not to be None."""
        if isinstance(type_, GraphQLList):
            inner = self.completer(type_.of_type, selection_sets)
            return lambda items, variables: [inner(i, variables) for i in items]
        if isinstance(type_, GraphQLScalarType | GraphQLEnumType):
            return _Leaf(type_)
        if isinstance(type_, GraphQLObjectType):
            return self.object_plan(type_, selection_sets).build
        if isinstance(type_, GraphQLInterfaceType):
            return AbstractPlan(self, type_, selection_sets).build
        raise Unsupported(f"output type {type_}")


class FieldPlan:
    __slots__ = ("complete", "key", "resolve")

    def __init__(self, key: str, resolve, complete: Complete):
        self.key, self.resolve, self.complete = key, resolve, complete


class ObjectPlan:
    __slots__ = ("fields", "steps")

    def __init__(self, fields: list[FieldPlan]):
        self.fields = fields
        self.steps = tuple((f.key, f.resolve, f.complete) for f in fields)

    def build(self, source, variables) -> dict:
        check_deadline()
        return {
            key: complete(resolve(source, variables), variables)
            for key, resolve, complete in self.steps
        }


class AbstractPlan:
    """An interface-typed field: the runtime type picks (and caches) the object plan."""

    def __init__(self, compiler: Compiler, interface: GraphQLInterfaceType, selection_sets):
        self.compiler, self.interface, self.selection_sets = compiler, interface, selection_sets
        self.plans: dict[type, ObjectPlan] = {}

    def build(self, source, variables) -> dict:
        plan = self.plans.get(type(source))
        if plan is None:
            plan = self.plans[type(source)] = self.compiler.object_plan(
                self._runtime_type(source), self.selection_sets
            )
        return plan.build(source, variables)

    def _runtime_type(self, source) -> GraphQLObjectType:
        found = runtime_type(self.compiler.schema, self.interface, source)
        if found is None:
            raise Bail("no object type for this value")
        return found


def _identity(value, variables):
    return value


def _non_null(present: Complete) -> Complete:
    if isinstance(present, _Leaf):
        return present.non_null

    def complete(value, variables):
        if value is None:
            raise Bail("null in a non-null field")
        return present(value, variables)

    return complete


def _nullable(present: Complete) -> Complete:
    if isinstance(present, _Leaf):
        return present.nullable

    def complete(value, variables):
        return None if value is None else present(value, variables)

    return complete


# graphql-core's own serialisation returns these values unchanged: an int in the 32-bit range
# for Int, a str for String and ID, a bool for Boolean. (Float is left to it: it refuses NaN.)
_UNCHANGED = {
    GraphQLInt: (int, -(2**31), 2**31 - 1),
    GraphQLString: (str, None, None),
    GraphQLID: (str, None, None),
    GraphQLBoolean: (bool, None, None),
}


class _Leaf:
    """A scalar or enum field's completion, in one call: a None check and the serialisation,
    skipped for the values the type's own serialisation would return unchanged."""

    def __init__(self, type_: GraphQLScalarType | GraphQLEnumType):
        self.serialize = type_.serialize
        self.kind, self.low, self.high = _UNCHANGED.get(type_, (None, None, None))

    def __call__(self, value, variables):
        if type(value) is self.kind and (self.low is None or self.low <= value <= self.high):
            return value
        return self.serialize(value)

    def nullable(self, value, variables):
        if value is None:
            return None
        if type(value) is self.kind and (self.low is None or self.low <= value <= self.high):
            return value
        return self.serialize(value)

    def non_null(self, value, variables):
        if value is None:
            raise Bail("null in a non-null field")
        if type(value) is self.kind and (self.low is None or self.low <= value <= self.high):
            return value
        return self.serialize(value)


def _resolver(field, node: FieldNode):
    """A callable(source, variables) that resolves the field as strawberry would."""
    direct = direct_resolver(field)
    if direct is None:
        raise Unsupported("resolver takes info or parent")
    if not field.args:
        return lambda source, variables: direct(source, {})
    return lambda source, variables: direct(source, argument_values(field, node, variables))


class Plan:
    """One operation of one document, ready to run against a root value."""

    def __init__(self, schema: GraphQLSchema, operation: OperationDefinitionNode, root, fields):
        self.schema = schema
        self.fields = fields  # field plans compiled, a measure of the plan's memory
        self.variable_definitions = operation.variable_definitions or ()
        self.root: ObjectPlan = root

    def execute(self, root_value, variables: dict | None) -> dict:
        coerced = get_variable_values(self.schema, self.variable_definitions, variables or {})
        if isinstance(coerced, list):
            raise Bail("variables do not coerce")
        return self.run(root_value, coerced)

    def run(self, root_value, coerced) -> dict:
        """The answer for variables already coerced (graphql-core's `VariableValues`)."""
        try:
            return self.root.build(root_value, coerced)
        except (Bail, TooSlow):
            raise
        except Exception as error:  # a resolver's error is reported by the full path
            raise Bail(str(error)) from error


def prepare(schema: GraphQLSchema, document: DocumentNode, operation_name: str | None) -> Plan:
    """Compile the operation of `document` (already known to be valid) or raise `Unsupported`."""
    operations = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
    fragments = {
        d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)
    }
    chosen = [o for o in operations if operation_name in (None, o.name and o.name.value)]
    if len(chosen) != 1:
        raise Unsupported("not exactly one operation")
    return prepare_operation(schema, chosen[0], fragments)


def prepare_operation(
    schema: GraphQLSchema,
    operation: OperationDefinitionNode,
    fragments: dict[str, FragmentDefinitionNode],
) -> Plan:
    """Compile one operation, its document's fragments given, or raise `Unsupported`."""
    if operation.operation != OperationType.QUERY or operation.directives:
        raise Unsupported("not a query without directives")
    if any(d.directives for d in fragments.values()):
        raise Unsupported("directives")
    compiler = Compiler(schema, fragments)
    root = compiler.object_plan(schema.query_type, [operation.selection_set])
    return Plan(schema, operation, root, compiler.fields)


__all__ = ["Bail", "Plan", "Unsupported", "prepare", "prepare_operation"]
