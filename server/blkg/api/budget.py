"""A budget of fields per answer: what the depth limit cannot bound, refused before resolving.

Lists nested in lists multiply: `responsibilities { sessions { responsibilities { sessions
... } } }` is well inside the depth limit, yet six levels make an answer of over a million
fields. Resolvers here are synchronous, so building such an answer blocks every other request.

The data does not change while the server runs, so the size of an answer follows from the
document, the variables and the data alone. `answer_size` computes it before anything is
built, the way GraphQL execution collects fields (fragments, `@skip`/`@include`, type
conditions, arguments and variables), resolving only the fields that have sub-selections and
counting each (selection, object) pair once, selections written alike (thirty aliases of one
field) sharing one count: a count costs a few calls per distinct object, not one per field of
the answer. `BudgetedExecution` runs that count first on every execution, and refuses an
answer of more than `Limits.max_resolved_fields` (`BLKG_MAX_RESOLVED_FIELDS`) fields with one
error, code `RESULT_TOO_LARGE`, and no data; `blkg.api.execution` runs the same count before
a kept plan answers. Within the budget, the answer is built by a plan compiled on the spot
(`blkg.api.prepared`), or by graphql-core where plans do not reach.

The count is the size of the answer when no field fails; a field that fails is counted as
itself, without what it would have held, so the count is never below what execution resolves.
As a second line, graphql-core's execution still counts the fields it resolves and stops at
once past the budget (`execute_field`), should a resolver ever answer differently from the
count.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, cast

from graphql import (
    ExecutionResult,
    FieldNode,
    FragmentSpreadNode,
    GraphQLError,
    GraphQLField,
    GraphQLInterfaceType,
    GraphQLObjectType,
    GraphQLOutputType,
    InlineFragmentNode,
    SelectionSetNode,
    get_named_type,
    is_abstract_type,
    is_leaf_type,
    is_list_type,
    is_non_null_type,
    print_ast,
)
from graphql.execution import ExperimentalIncrementalExecutionResults
from graphql.execution.collect_fields import FieldDetailsList, GroupedFieldSet, collect_fields
from graphql.pyutils import AwaitableOrValue, Path, UndefinedType
from strawberry.schema.schema import StrawberryGraphQLCoreExecutionContext

from blkg.api.arguments import argument_values, arguments_kept
from blkg.api.deadline import TooSlow
from blkg.api.deadline import check as check_deadline
from blkg.api.prepared import Bail, Unsupported, prepare_operation
from blkg.api.resolvers import direct_resolver, runtime_type
from blkg.codes import Code

CODE = Code.RESULT_TOO_LARGE


class ResultTooLarge(GraphQLError):
    """The answer would have more fields than the budget allows."""

    def __init__(self, budget: int):
        super().__init__(
            f"The answer would need more than {budget:,} fields resolved, the most this "
            "endpoint resolves for one query. Nest fewer lists inside lists, or split the "
            "query into smaller ones.",
            extensions={"code": CODE},
        )


class _Over(Exception):
    """The count passed the limit; counting stops there."""


# A field with sub-selections: its type, its field details, and its value for a source.
_Branch = tuple[GraphQLOutputType, FieldDetailsList, Callable[[Any], Any]]
# What a selection set says, as a hashable value (`AnswerSize._signature`).
_Signature = tuple[object, ...]
# A selection in a selection set.
_Selection = FieldNode | InlineFragmentNode | FragmentSpreadNode
# What execution returns.
_Result = ExecutionResult | ExperimentalIncrementalExecutionResults


class _Shape:
    """One selection on one object type: how many fields it has, and those with sub-selections
    (the only ones the count resolves)."""

    __slots__ = ("branches", "width")

    def __init__(self, width: int, branches: list[_Branch]):
        self.width, self.branches = width, branches


class AnswerSize:
    """Counts the fields of one execution's answer, up to `limit` + 1."""

    def __init__(self, execution: BudgetedExecution, limit: int):
        self.execution = execution
        self.limit = limit
        self.total = 0
        self.shapes: dict[tuple[GraphQLOutputType, tuple[_Signature, ...]], _Shape] = {}
        self.signatures: dict[int, _Signature] = {}  # id(selection set) -> its signature
        # (shape, object or its id) -> (fields below it, the object, kept alive so that its id
        # is not reused while the count runs)
        self.known: dict[tuple[int, object], tuple[int, Any]] = {}

    def of_operation(self) -> int:
        execution = self.execution
        root_type = execution.schema.get_root_type(execution.operation.operation)
        if root_type is None:
            return 0
        grouped, _, _ = collect_fields(
            execution.schema,
            execution.fragments,
            execution.variable_values,
            root_type,
            execution.operation,
        )
        try:
            self._object(self._shape(root_type, grouped), execution.root_value)
        except _Over:
            return self.limit + 1
        return self.total

    def _shape(self, parent_type: GraphQLObjectType, grouped: GroupedFieldSet) -> _Shape:
        branches: list[_Branch] = []
        for key, details in grouped.items():
            field = self.execution.schema.get_field(parent_type, details[0].node.name.value)
            if field is not None and not is_leaf_type(get_named_type(field.type)):
                resolve = self._resolver(parent_type, key, field, details)
                branches.append((field.type, details, resolve))
        return _Shape(len(grouped), branches)

    def _resolver(
        self,
        parent_type: GraphQLObjectType,
        key: str,
        field: GraphQLField,
        details: FieldDetailsList,
    ) -> Callable[[Any], Any]:
        """The field's value for a source, as execution would resolve it."""
        node = details[0].node
        execution = self.execution

        def arguments() -> dict[str, Any]:
            return argument_values(field, node, execution.variable_values)

        direct = direct_resolver(field)
        if direct is not None:
            if not field.args:
                return lambda source: direct(source, {})
            return lambda source: direct(source, arguments())
        nodes = [d.node for d in details]
        info = self.execution.build_resolve_info(
            field, nodes, parent_type, Path(None, key, parent_type.name)
        )
        resolve = field.resolve or self.execution.field_resolver
        return lambda source: resolve(source, info, **arguments())

    def _object(self, shape: _Shape, source: Any) -> None:
        check_deadline()
        self.total += shape.width
        if self.total > self.limit:
            raise _Over
        for type_, details, resolve in shape.branches:
            try:
                value = resolve(source)
            except Exception:
                continue
            self._complete(type_, details, value)

    def _complete(self, type_: GraphQLOutputType, details: FieldDetailsList, value: Any) -> None:
        if is_non_null_type(type_):
            type_ = type_.of_type
        if value is None or isinstance(value, Exception):
            return
        if is_list_type(type_):
            inner = type_.of_type
            named = get_named_type(inner)
            if is_leaf_type(named):
                return
            if isinstance(named, GraphQLObjectType):
                shape = self._subshape(named, details)
                if not shape.branches:  # leaves only: no need to visit each item
                    self.total += shape.width * sum(1 for item in value if item is not None)
                    if self.total > self.limit:
                        raise _Over
                    return
            for item in value:
                self._complete(inner, details, item)
            return
        if is_abstract_type(type_):
            # casts: this schema's abstract types are interfaces (it has no unions); and
            # `runtime_type` may give None, checked next, which `type_`'s type does not admit.
            type_ = cast(
                Any, runtime_type(self.execution.schema, cast(GraphQLInterfaceType, type_), value)
            )
            if type_ is None:
                return
        shape = self._subshape(type_, details)
        if not shape.branches:
            self.total += shape.width
            if self.total > self.limit:
                raise _Over
            return
        key = _known_key(shape, value)
        known = self.known.get(key)
        if known is not None:
            self.total += known[0]
            if self.total > self.limit:
                raise _Over
            return
        before = self.total
        try:
            self._object(shape, value)
        finally:
            self.known[key] = (self.total - before, value)

    def _signature(self, selection_set: SelectionSetNode | None) -> _Signature:
        """What a selection set says, as a hashable value: equal for selections written alike,
        whatever their position in the document."""
        if selection_set is None:
            return ()
        known = self.signatures.get(id(selection_set))
        if known is None:
            # cast: a selection is one of these three; graphql-core types it as their base.
            selections = cast("tuple[_Selection, ...]", selection_set.selections)
            known = tuple(self._selection(s) for s in selections)
            self.signatures[id(selection_set)] = known
        return known

    def _selection(self, node: _Selection) -> _Signature:
        directives = tuple(print_ast(d) for d in node.directives or ())
        if isinstance(node, FieldNode):
            arguments = tuple(print_ast(a) for a in node.arguments or ())
            alias = node.alias.value if node.alias else None
            sub = self._signature(node.selection_set)
            return ("field", alias, node.name.value, arguments, directives, sub)
        if isinstance(node, InlineFragmentNode):
            condition = node.type_condition.name.value if node.type_condition else None
            return ("inline", condition, directives, self._signature(node.selection_set))
        return ("spread", node.name.value, directives)

    def _subshape(self, type_: GraphQLOutputType, details: FieldDetailsList) -> _Shape:
        # Selections written alike (thirty aliases of one field, say) share one shape, so an
        # object is counted once for all of them.
        key = (type_, tuple(self._signature(d.node.selection_set) for d in details))
        shape = self.shapes.get(key)
        if shape is None:
            # casts: `type_` is an object type, which `_complete` cannot show mypy at no cost:
            # branches are fields with sub-selections, lists and interfaces are unwrapped.
            grouped, _, _ = self.execution.collect_subfields(
                cast(GraphQLObjectType, type_), details
            )
            shape = self.shapes[key] = _Shape(0, [])
            built = self._shape(cast(GraphQLObjectType, type_), grouped)
            shape.width, shape.branches = built.width, built.branches
        return shape


def _known_key(shape: _Shape, value: object) -> tuple[int, object]:
    """The key of (selection, object) among those already counted: the object itself where it
    is hashable, so equal values count once (introspection builds a fresh tuple for every
    field of every type it lists; the read layer's objects hash by identity anyway), else its
    identity."""
    try:
        key = (id(shape), value)
        hash(key)
    except TypeError:
        return (id(shape), id(value))
    return key


class BudgetedExecution(StrawberryGraphQLCoreExecutionContext):
    """The execution of one operation: its answer's size first, then, within the budget,
    the answer, with each resolved field counted against the budget as a second line."""

    budget = 20_000
    prepared = True  # build answers with a plan where one can be made (blkg.api.prepared)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.resolved = 0

    def answer_size(self) -> int:
        """The fields of the answer, or the budget + 1 once it is clear there are more."""
        return AnswerSize(self, self.budget).of_operation()

    def execute_operation(self, serially: bool | None = None) -> AwaitableOrValue[_Result]:
        with arguments_kept():
            return self._execute_operation(serially)

    def _execute_operation(self, serially: bool | None) -> AwaitableOrValue[_Result]:
        try:
            if self.answer_size() > self.budget:
                return self._refused(ResultTooLarge(self.budget))
            if self.prepared:
                answer = self._from_plan()
                if answer is not None:
                    data, errors = answer
                    # In the order the plan met them (`add` would keep only the first here).
                    self.collected_errors.errors.extend(errors)
                    return self.finish(self.build_response(data))
        except TooSlow as error:
            return self._refused(error)
        return super().execute_operation(serially)

    def _refused(self, error: GraphQLError) -> _Result:
        self.collected_errors.add(error, None)
        return self.finish(self.build_response(None))

    def _from_plan(self) -> tuple[dict[str, Any] | None, list[GraphQLError]] | None:
        """The answer and its field errors, built by a plan of this operation, or None where
        graphql-core's own execution must make it (what plans do not cover)."""
        try:
            plan = prepare_operation(self.schema, self.operation, self.fragment_definitions)
            return plan.run_carefully(self.root_value, self.variable_values)
        except (Unsupported, Bail):
            return None

    def execute_field(self, *args: Any, **kwargs: Any) -> AwaitableOrValue[Any] | UndefinedType:
        check_deadline()
        self.resolved += 1
        if self.resolved > self.budget:
            raise ResultTooLarge(self.budget)
        return super().execute_field(*args, **kwargs)


def budgeted_execution(budget: int) -> type[BudgetedExecution]:
    """The execution context class with the given budget."""
    return type("BudgetedExecution", (BudgetedExecution,), {"budget": budget})


__all__ = [
    "CODE",
    "AnswerSize",
    "BudgetedExecution",
    "ResultTooLarge",
    "budgeted_execution",
]
