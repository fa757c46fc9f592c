"""Prepared queries: a validated GraphQL document compiled once into a plan that builds its
answer straight from the read layer's objects.

graphql-core spends several times a plan's work per field on bookkeeping a read-only,
synchronous schema of plain objects does not need (`bench/` has the figures). A plan walks the
same selection with the same resolvers, in one of two ways:

- `Plan.run` builds the answer at full speed and gives up with `Bail` at the first error;
  documents kept with their plan (`blkg.api.execution`) are answered so, an error sending the
  request down the full path.
- `Plan.run_carefully` builds it as graphql-core would with errors: a field that fails
  becomes a located error (its path written on the way back up) and a null at the nearest
  parent that may be null, the errors in graphql-core's order. The execution context
  (`blkg.api.budget`) answers so, errors included, so an answer with a failing field costs
  plan speed, not graphql-core's.

Where a plan meets what it does not reproduce (a value of no known type, something that is not
a list where a list is due, a variable that does not coerce) it gives up with `Bail` and the
caller runs graphql-core's own execution. Documents with directives, introspection or
fragments on abstract types are never compiled.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any, Protocol, TypeAlias, cast

from graphql import (
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLBoolean,
    GraphQLEnumType,
    GraphQLError,
    GraphQLField,
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
    NamedTypeNode,
    OperationDefinitionNode,
    OperationType,
    SelectionSetNode,
)
from graphql.error import located_error
from graphql.execution.executor import Executor
from graphql.execution.values import VariableValues, get_variable_values
from graphql.pyutils import is_iterable

from blkg.api.arguments import argument_values
from blkg.api.deadline import TooSlow
from blkg.api.deadline import check as check_deadline
from blkg.api.resolvers import direct_resolver, runtime_type


class Unsupported(Exception):
    """The document uses something plans do not cover; execute it the full way."""


class Bail(Exception):
    """This execution needs the full path (an error, or a null where none is allowed)."""


Complete = Callable[[Any, Any], Any]
# A field's value for a source and the coerced variables.
Resolve = Callable[[Any, VariableValues], Any]
# A value's completion at full speed, given the coerced variables.
Fast = Callable[[Any, VariableValues], Any]
# What a careful build does not turn into a field error: the caller's business.
_PASSED_ON = (Bail, TooSlow)


class Completion(Protocol):
    """What completes a field's value: `fast` given the coerced variables, `careful` given the
    careful build (an attribute or a method: `_NonNull` and `_Nullable` pick theirs)."""

    def fast(self, value: Any, variables: VariableValues, /) -> Any: ...

    def careful(self, value: Any, run: Run, /) -> Any: ...


if TYPE_CHECKING:

    class _Located(GraphQLError):
        """An error made by `located_error` with a path, as `Run.made` holds them."""

        path: list[str | int]


class Run:
    """One careful build: the coerced variables, the field errors in the order graphql-core
    reports them, and every error made so far, whose paths are written as the build returns
    through each field and item (keys appended, innermost first, and reversed at the end), so
    that a build without errors makes no path at all."""

    __slots__ = ("errors", "made", "variables")

    def __init__(self, variables: VariableValues):
        self.variables = variables
        self.errors: list[GraphQLError] = []
        self.made: list[_Located] = []

    def failed(
        self, raw: Exception, nodes: list[FieldNode], non_null: bool, mark: int, key: str | int
    ) -> None:
        """A field or list item failed: locate the error, and raise it on where its type
        forbids null (its parent then fails in turn), else keep it; None is its value."""
        self.returned(mark, key)
        error = located_error(raw, nodes, [key])
        if error is not raw:  # made here (one already located keeps its path)
            # cast: made here by `located_error`, with the path given ([key]).
            self.made.append(cast("_Located", error))
        if non_null:
            raise error
        self.errors.append(error)

    def returned(self, mark: int, key: str | int) -> None:
        """The build returns through `key`: the errors made below it are under it."""
        for error in self.made[mark:]:
            error.path.append(key)

    def finish(self) -> None:
        for error in self.made:
            error.path.reverse()
            # A traceback holds the build's frames, and they the answer: cycles only a full
            # collection would free. A client's mistake needs no traceback; a bug's is kept.
            error.__traceback__ = error.__context__ = None
            if isinstance(error.original_error, GraphQLError):
                error.original_error.__traceback__ = error.original_error.__context__ = None


class Compiler:
    """Builds plans for one schema; object plans are shared by identical selections."""

    def __init__(self, schema: GraphQLSchema, fragments: dict[str, FragmentDefinitionNode]):
        self.schema = schema
        self.fragments = fragments
        self.fields = 0

    def collect(
        self, object_type: GraphQLObjectType, selection_sets: Iterable[SelectionSetNode]
    ) -> dict[str, list[FieldNode]]:
        """Response key -> field nodes, in document order, as GraphQL's CollectFields does
        (a fragment spread in several of the selections is collected once)."""
        fields: dict[str, list[FieldNode]] = {}
        visited: set[str] = set()
        for selection_set in selection_sets:
            self._collect(object_type, selection_set, fields, visited)
        return fields

    def _collect(
        self,
        object_type: GraphQLObjectType,
        selection_set: SelectionSetNode,
        fields: dict[str, list[FieldNode]],
        visited: set[str],
    ) -> None:
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

    def _applies(self, condition: NamedTypeNode | None, object_type: GraphQLObjectType) -> bool:
        if condition is None or condition.name.value == object_type.name:
            return True
        if condition.name.value in {i.name for i in object_type.interfaces}:
            return True
        if isinstance(self.schema.type_map.get(condition.name.value), GraphQLObjectType):
            return False
        raise Unsupported("fragment on a union")

    def object_plan(
        self, object_type: GraphQLObjectType, selection_sets: Iterable[SelectionSetNode]
    ) -> ObjectPlan:
        fields = self.collect(object_type, selection_sets)
        plans = [self.field_plan(object_type, k, nodes) for k, nodes in fields.items()]
        return ObjectPlan(object_type.name, plans)

    def field_plan(self, parent: GraphQLObjectType, key: str, nodes: list[FieldNode]) -> FieldPlan:
        self.fields += 1
        name = nodes[0].name.value
        if name == "__typename":
            return FieldPlan(key, nodes, lambda source, variables: parent.name, _SAME, True)
        if name.startswith("__"):
            raise Unsupported("introspection")
        field = parent.fields[name]
        resolve = _resolver(field, nodes[0])
        sub_selections = [n.selection_set for n in nodes if n.selection_set]
        where = _Where(f"{parent.name}.{name}", nodes)
        complete = self.completer(field.type, sub_selections, where)
        return FieldPlan(key, nodes, resolve, complete, isinstance(field.type, GraphQLNonNull))

    def completer(
        self, type_: GraphQLOutputType, selection_sets: list[SelectionSetNode], where: _Where
    ) -> _NonNull | _Nullable:
        if isinstance(type_, GraphQLNonNull):
            return _NonNull(self._present(type_.of_type, selection_sets, where), where)
        return _Nullable(self._present(type_, selection_sets, where))

    def _present(
        self, type_: GraphQLOutputType, selection_sets: list[SelectionSetNode], where: _Where
    ) -> _Present:
        """Completes a value of `type_` already known not to be None."""
        if isinstance(type_, GraphQLList):
            inner = self.completer(type_.of_type, selection_sets, where)
            return _List(inner, where, isinstance(type_.of_type, GraphQLNonNull))
        if isinstance(type_, GraphQLScalarType | GraphQLEnumType):
            return _Leaf(type_)
        if isinstance(type_, GraphQLObjectType):
            return self.object_plan(type_, selection_sets)
        if isinstance(type_, GraphQLInterfaceType):
            return AbstractPlan(self, type_, selection_sets)
        raise Unsupported(f"output type {type_}")


class _Where:
    """The field a completion belongs to: its name as errors give it, and its nodes."""

    __slots__ = ("name", "nodes")

    def __init__(self, name: str, nodes: list[FieldNode]):
        self.name, self.nodes = name, nodes


class FieldPlan:
    __slots__ = ("complete", "key", "nodes", "non_null", "resolve")

    def __init__(
        self,
        key: str,
        nodes: list[FieldNode],
        resolve: Resolve,
        complete: Completion,
        non_null: bool,
    ):
        self.key, self.nodes, self.resolve = key, nodes, resolve
        self.complete, self.non_null = complete, non_null


class ObjectPlan:
    __slots__ = ("careful_steps", "steps", "type_name")

    def __init__(self, type_name: str, fields: list[FieldPlan]):
        self.type_name = type_name
        self.steps = tuple((f.key, f.resolve, f.complete.fast) for f in fields)
        self.careful_steps = tuple(
            (f.key, f.nodes, f.resolve, f.complete.careful, f.non_null) for f in fields
        )

    def fast(self, source: Any, variables: VariableValues) -> dict[str, Any]:
        check_deadline()
        return {
            key: complete(resolve(source, variables), variables)
            for key, resolve, complete in self.steps
        }

    def careful(self, source: Any, run: Run) -> dict[str, Any]:
        check_deadline()
        answer: dict[str, Any] = {}
        made = run.made
        for key, nodes, resolve, complete, non_null in self.careful_steps:
            mark = len(made)
            try:
                answer[key] = complete(resolve(source, run.variables), run)
            except _PASSED_ON:
                raise
            except Exception as raw:
                answer[key] = None
                run.failed(raw, nodes, non_null, mark, key)
                continue
            if len(made) > mark:
                run.returned(mark, key)
        return answer


class AbstractPlan:
    """An interface-typed field: the runtime type picks (and caches) the object plan."""

    def __init__(
        self,
        compiler: Compiler,
        interface: GraphQLInterfaceType,
        selection_sets: list[SelectionSetNode],
    ):
        self.compiler, self.interface, self.selection_sets = compiler, interface, selection_sets
        self.plans: dict[type, ObjectPlan] = {}

    def fast(self, source: Any, variables: VariableValues) -> dict[str, Any]:
        return self._plan(source).fast(source, variables)

    def careful(self, source: Any, run: Run) -> dict[str, Any]:
        return self._plan(source).careful(source, run)

    def _plan(self, source: Any) -> ObjectPlan:
        plan = self.plans.get(type(source))
        if plan is None:
            plan = self.plans[type(source)] = self.compiler.object_plan(
                self._runtime_type(source), self.selection_sets
            )
        return plan

    def _runtime_type(self, source: Any) -> GraphQLObjectType:
        found = runtime_type(self.compiler.schema, self.interface, source)
        if found is None:
            raise Bail("no object type for this value")
        return found


class _Same:
    """`__typename`'s completion: the name as resolved."""

    @staticmethod
    def fast(value: Any, variables: object) -> Any:
        return value

    @staticmethod
    def careful(value: Any, run: object) -> Any:
        return value


_SAME = _Same()


class _NonNull:
    """A value that may not be null: a null is a `Bail` when fast, graphql-core's error when
    careful."""

    __slots__ = ("fast", "present", "where")

    def __init__(self, present: _Present, where: _Where):
        self.present, self.where = present, where
        self.fast: Fast = present.non_null if isinstance(present, _Leaf) else self._fast

    def _fast(self, value: Any, variables: VariableValues) -> Any:
        if value is None:
            raise Bail("null in a non-null field")
        return self.present.fast(value, variables)

    def careful(self, value: Any, run: Run) -> Any:
        if isinstance(value, Exception):  # a resolver may return its error (graphql-core)
            raise value
        completed = None if value is None else self.present.careful(value, run)
        if completed is None:
            raise TypeError(f"Cannot return null for non-nullable field {self.where.name}.")
        return completed


class _Nullable:
    __slots__ = ("fast", "present")

    def __init__(self, present: _Present):
        self.present = present
        self.fast: Fast = present.nullable if isinstance(present, _Leaf) else self._fast

    def _fast(self, value: Any, variables: VariableValues) -> Any:
        return None if value is None else self.present.fast(value, variables)

    def careful(self, value: Any, run: Run) -> Any:
        if isinstance(value, Exception):  # a resolver may return its error (graphql-core)
            raise value
        return None if value is None else self.present.careful(value, run)


class _List:
    """A list: each item completed, and, when careful, each item's failure located at its
    index and made null where the item type allows."""

    __slots__ = ("inner", "item_fast", "items_non_null", "where")

    def __init__(self, inner: _NonNull | _Nullable, where: _Where, items_non_null: bool):
        self.inner, self.where, self.items_non_null = inner, where, items_non_null
        self.item_fast = inner.fast

    def fast(self, items: Iterable[Any], variables: VariableValues) -> list[Any]:
        complete = self.item_fast
        return [complete(item, variables) for item in items]

    def careful(self, items: Any, run: Run) -> list[Any]:
        if not is_iterable(items):
            raise Bail("not a list")
        complete = self.inner.careful
        made = run.made
        completed: list[Any] = []
        for index, item in enumerate(items):
            mark = len(made)
            try:
                completed.append(complete(item, run))
            except _PASSED_ON:
                raise
            except Exception as raw:
                completed.append(None)
                run.failed(raw, self.where.nodes, self.items_non_null, mark, index)
                continue
            if len(made) > mark:
                run.returned(mark, index)
        return completed


# graphql-core's own serialisation returns these values unchanged: an int in the 32-bit range
# for Int, a str for String and ID, a bool for Boolean. (Float is left to it: it refuses NaN.)
_UNCHANGED: dict[
    GraphQLScalarType | GraphQLEnumType, tuple[type[Any] | None, int | None, int | None]
] = {
    GraphQLInt: (int, -(2**31), 2**31 - 1),
    GraphQLString: (str, None, None),
    GraphQLID: (str, None, None),
    GraphQLBoolean: (bool, None, None),
}
_complete_leaf = Executor.complete_leaf_value


# What `Compiler._present` makes: completes a value already known not to be None.
_Present: TypeAlias = "_List | _Leaf | ObjectPlan | AbstractPlan"


class _Leaf:
    """A scalar or enum field's completion, in one call: a None check and graphql-core's own
    leaf completion, skipped for the values it would return unchanged."""

    def __init__(self, type_: GraphQLScalarType | GraphQLEnumType):
        self.type_ = type_
        self.kind, self.low, self.high = _UNCHANGED.get(type_, (None, None, None))

    def fast(self, value: Any, variables: VariableValues | None) -> Any:
        if type(value) is self.kind and (self.low is None or self.low <= value <= self.high):
            return value
        return _complete_leaf(self.type_, value)

    def careful(self, value: Any, run: Run) -> Any:
        return self.fast(value, None)

    def nullable(self, value: Any, variables: VariableValues) -> Any:
        if value is None:
            return None
        if type(value) is self.kind and (self.low is None or self.low <= value <= self.high):
            return value
        return _complete_leaf(self.type_, value)

    def non_null(self, value: Any, variables: VariableValues) -> Any:
        if value is None:
            raise Bail("null in a non-null field")
        if type(value) is self.kind and (self.low is None or self.low <= value <= self.high):
            return value
        return _complete_leaf(self.type_, value)


def _resolver(field: GraphQLField, node: FieldNode) -> Resolve:
    """A callable(source, variables) that resolves the field as strawberry would."""
    direct = direct_resolver(field)
    if direct is None:
        raise Unsupported("resolver takes info or parent")
    if not field.args:
        return lambda source, variables: direct(source, {})
    return lambda source, variables: direct(source, argument_values(field, node, variables))


class Plan:
    """One operation of one document, ready to run against a root value."""

    def __init__(
        self,
        schema: GraphQLSchema,
        operation: OperationDefinitionNode,
        root: ObjectPlan,
        fields: int,
    ):
        self.schema = schema
        self.fields = fields  # field plans compiled, a measure of the plan's memory
        self.variable_definitions = operation.variable_definitions or ()
        self.root: ObjectPlan = root

    def execute(self, root_value: Any, variables: dict[str, Any] | None) -> dict[str, Any]:
        coerced = get_variable_values(self.schema, self.variable_definitions, variables or {})
        if isinstance(coerced, list):
            raise Bail("variables do not coerce")
        return self.run(root_value, coerced)

    def run(self, root_value: Any, coerced: VariableValues) -> dict[str, Any]:
        """The answer for variables already coerced (graphql-core's `VariableValues`), at full
        speed; `Bail` at the first error."""
        try:
            return self.root.fast(root_value, coerced)
        except _PASSED_ON:
            raise
        except Exception as error:  # a resolver's error is reported by the careful build
            raise Bail(str(error)) from error

    def run_carefully(
        self, root_value: Any, coerced: VariableValues
    ) -> tuple[dict[str, Any] | None, list[GraphQLError]]:
        """The answer and its field errors, as graphql-core's execution makes them: no data
        when a root field that may not be null fails."""
        run = Run(coerced)
        try:
            return self.root.careful(root_value, run), run.errors
        except _PASSED_ON:
            raise
        except GraphQLError as error:
            return None, [*run.errors, error]
        finally:
            run.finish()


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
    # cast: a strawberry schema always has a query type.
    root = compiler.object_plan(
        cast(GraphQLObjectType, schema.query_type), [operation.selection_set]
    )
    return Plan(schema, operation, root, compiler.fields)


__all__ = ["Bail", "Plan", "Run", "Unsupported", "prepare", "prepare_operation"]
