"""Read queries that the ORM compiles once per process, then runs with new values.

Django turns a QuerySet into SQL afresh each time it is evaluated, and for the short
queries of the public pages that was most of their cost: the race page's lookup took
1.3 ms to compile and 0.4 ms to run, its results 1.1 ms and 0.2 ms (docs/performance.md).
A :class:`Statement` is an ordinary QuerySet written as a function of its arguments.
The first call compiles it with placeholder values standing for the arguments and notes
where they land among the SQL's parameters; every call swaps the real values in, runs the
SQL and builds the rows as the QuerySet would have: model instances (``select_related``
and annotations included) or, for ``values_list(named=True)``, named tuples.

Only the SQL text is kept, never a row: every call reads the database. Arguments must be
compared as they are (``exact`` and ``in`` lookups, never ``None``); a statement whose
argument does not reach the SQL unchanged fails when it is first compiled, and so does one
whose SQL holds a value that is not an argument but changes (``timezone.now()``).

It uses the parts of the ORM's compiler that Django's own iterables use. Django is pinned
to 5.2, and tests/test_statements.py compares the objects with the QuerySet's, so an
upgrade that moves those parts fails there first.
"""

import itertools
import threading
from datetime import UTC, datetime, timedelta

from django.core.exceptions import EmptyResultSet, ImproperlyConfigured
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models.query import ModelIterable, NamedValuesListIterable, get_related_populators
from django.db.models.utils import create_namedtuple_class

# While compiling, each argument is played by a stand-in of its own type (an integer
# column refuses text). Integer stand-ins stay within the smallest integer column's range:
# Django ≥ 5.0 leaves a lookup outside the column's range out of the SQL altogether. Each
# statement is compiled twice, with two sets of stand-ins, and the parameters that changed
# between the two are the arguments' places; the others are the query's own constants.
_STAND_INS = (
    (30_000, "\x1fstatement-argument-a-{}\x1f", datetime(1901, 1, 1, tzinfo=UTC)),
    (31_000, "\x1fstatement-argument-b-{}\x1f", datetime(1902, 1, 1, tzinfo=UTC)),
)
_SQL_INTEGERS = range(-(2**63), 2**63)  # what a database column can hold at most


class Statement:
    """A QuerySet-building function, compiled once per connection and argument shape."""

    def __init__(self, build):
        self.build = build
        self.name = getattr(build, "__qualname__", repr(build))
        self._local = threading.local()  # a connection belongs to one thread

    def __call__(self, *args, using=DEFAULT_DB_ALIAS):
        """The rows, as a list, for these argument values (a list or tuple argument stands for ``in``)."""
        values = list(_flatten(args))
        if any(isinstance(arg, list | tuple) and not arg for arg in args) or any(
            isinstance(value, int) and value not in _SQL_INTEGERS for value in values
        ):
            return []  # ``in ()`` or a number no column holds: no row, as the QuerySet would say unasked
        connection = connections[using]
        shape = (using, *(_shape(arg) for arg in args))
        compiled = getattr(self._local, "compiled", None)
        if compiled is None:
            compiled = self._local.compiled = {}
        if shape not in compiled or compiled[shape].connection is not connection:
            compiled[shape] = _Compiled(self, args, connection)
        return compiled[shape].run([_adapt(value, connection) for value in values])

    def first(self, *args, using=DEFAULT_DB_ALIAS):
        """The first row, or None."""
        return next(iter(self(*args, using=using)), None)

    def __repr__(self):
        return f"<Statement {self.name}>"


def _shape(arg):
    if isinstance(arg, list | tuple):
        return tuple(map(type, arg))
    return type(arg)


def _flatten(args):
    for arg in args:
        if isinstance(arg, list | tuple):
            yield from arg
        else:
            yield arg


class _Compiled:
    def __init__(self, statement, args, connection):
        self.connection = connection
        (queryset, self.compiler, self.sql, params), (_, _, _, other_params) = (
            _compile(statement, args, connection, stand_ins) for stand_ins in _STAND_INS
        )
        # Where each argument value goes: its index among the flattened arguments, or None.
        first, second = (
            [_adapt(value, connection) for value in _flatten(_placeholders(args, *stand_ins))]
            for stand_ins in _STAND_INS
        )
        self.constants = list(params)
        self.slots = [
            _slot(value, other, first, second) for value, other in zip(params, other_params, strict=True)
        ]
        missing = set(range(len(first))) - set(self.slots)
        if self.sql is not None and missing:
            raise ImproperlyConfigured(
                f"{statement!r}: argument {min(missing) + 1} does not reach the SQL as it was given "
                "(compare it with an exact or in lookup)."
            )
        if -1 in self.slots:
            raise ImproperlyConfigured(
                f"{statement!r}: its SQL holds a value that changes from one call to the next (the time?) "
                "and is not an argument; pass it as one."
            )
        select = self.compiler.select
        self.converters = self.compiler.get_converters(
            [column[0] for column in select[: self.compiler.col_count]]
        )
        if queryset._iterable_class is ModelIterable:
            self.make = self._model_maker(queryset, select)
        else:
            query = queryset.query
            names = [*query.extra_select, *query.values_select, *query.annotation_select]
            row_class = create_namedtuple_class(*names)
            self.make = lambda rows: [tuple.__new__(row_class, row) for row in rows]

    def _model_maker(self, queryset, select):
        db = queryset.db
        klass_info = self.compiler.klass_info
        model = klass_info["model"]
        start, end = klass_info["select_fields"][0], klass_info["select_fields"][-1] + 1
        field_names = [column[0].target.attname for column in select[start:end]]
        populators = get_related_populators(klass_info, select, db)
        annotations = list(self.compiler.annotation_col_map.items())

        def make(rows):
            objects = []
            for row in rows:
                obj = model.from_db(db, field_names, row[start:end])
                for populator in populators:
                    populator.populate(row, obj)
                for name, position in annotations:
                    setattr(obj, name, row[position])
                objects.append(obj)
            return objects

        return make

    def run(self, values):
        if self.sql is None:
            return []
        params = [
            self.constants[index] if slot is None else values[slot] for index, slot in enumerate(self.slots)
        ]
        with self.connection.cursor() as cursor:
            cursor.execute(self.sql, params)
            rows = cursor.fetchall()
        if self.converters:
            rows = self.compiler.apply_converters(rows, self.converters)
        return self.make(rows)


def _slot(value, other, first, second):
    """Where a parameter comes from: None (a constant), an argument's index, or -1 (neither)."""
    if value == other:
        return None
    for index, (one, two) in enumerate(zip(first, second, strict=True)):
        if value == one and other == two:
            return index
    return -1


def _compile(statement, args, connection, stand_ins):
    queryset = statement.build(*_placeholders(args, *stand_ins))
    if queryset._prefetch_related_lookups or queryset._known_related_objects:
        raise ImproperlyConfigured(f"{statement!r}: prefetching and related managers are not supported.")
    if queryset._iterable_class not in (ModelIterable, NamedValuesListIterable):
        raise ImproperlyConfigured(f"{statement!r}: return model instances or values_list(named=True).")
    compiler = queryset.query.get_compiler(connection=connection)
    try:
        sql, params = compiler.as_sql()
    except EmptyResultSet:
        sql, params = None, ()
    return queryset, compiler, sql, params


def _placeholders(args, integer_base, text_mark, moment):
    counter = itertools.count()

    def stand_in(value):
        index = next(counter)
        if isinstance(value, datetime):
            return moment + timedelta(seconds=index)
        if isinstance(value, bool) or not isinstance(value, int | str):
            raise ImproperlyConfigured(f"Statement arguments are integers, text or datetimes, not {value!r}.")
        return integer_base + index if isinstance(value, int) else text_mark.format(index)

    return [
        [stand_in(item) for item in arg] if isinstance(arg, list | tuple) else stand_in(arg) for arg in args
    ]


def _adapt(value, connection):
    """A value as the database driver takes it (Django does this for datetimes, per database)."""
    if isinstance(value, datetime):
        return connection.ops.adapt_datetimefield_value(value)
    return value
