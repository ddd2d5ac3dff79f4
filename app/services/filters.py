"""The Browse filter, declared once.

Each field of `Filter` carries its declaration (a `FilterField` in the field's metadata): URL key,
label, widget, how its value is written in a URL and said in words, whether label edits can change
what it matches, and the name of its SQL condition in `db.browsing.CONDITIONS`. Everything else is
derived from it: the URL codec (`to_query` / `from_query`: the Browse URL, the CLI's `--filter`,
the "data" of stored job configs), `describe`, the widgets of the Browse page (`widget_rows`),
the store's filter (`to_browse_filter`: the "filter" of stored job configs) and whether a cache
must follow label edits (`labels_matter`). Recipe "add a filter": docs/developing.md.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from typing import TYPE_CHECKING, Any, ClassVar

from db import browsing, queries
from db.engine import session_scope
from magdi.mag import MAX_ROUND

if TYPE_CHECKING:
    from sqlmodel import Session

ANY = "any"
UNSET = (None, "", ())  # values of a field that restrict nothing
_BOOL = {"1": True, "0": False, "yes": True, "no": False, "true": True, "false": False}


@dataclass(frozen=True)
class FilterOptions:
    """What the store offers to filter on (the choices of the Browse widgets)."""

    datasets: list[str]
    tasks: list[str]
    agents: list[str]
    max_round: int


@dataclass(frozen=True)
class FilterField:
    """How one filter field reads and writes. Subclasses are the kinds of value; the default value
    of the field (empty, "any") is never written to a URL nor said."""

    key: str  # URL query key; the Browse widget's key is "browse_" + key
    label: str  # the widget's label
    db: str = ""  # name of its condition in db.browsing.CONDITIONS ("": the field's name)
    labels_matter: bool = False  # a label edit can change which discussions match
    row: int = 1  # the Browse page's widget row (0: the first)
    width: int = 1  # relative width of the widget in its row
    said: str = ""  # the field in words, before its value ("": the label)
    widget: ClassVar[str] = "selectbox"  # "multiselect" | "selectbox" | "text_input"

    def parse(self, raw: list[str]) -> Any:
        """The value from a URL parameter's values (the last one counts); None: malformed or absent."""
        return raw[-1] if raw and raw[-1] else None

    def query(self, value: Any) -> str | list[str]:
        return str(value)

    def say(self, value: Any) -> str:
        """The value in words, for `Filter.describe`."""
        return f"{self.said or self.label.lower()} {value}"

    def to_db(self, session: Session, value: Any) -> Any:
        return value

    # The widget: `shown` and `read` convert the field's value to and from the widget's.
    def widget_args(self, options: FilterOptions, value: Any) -> dict:
        """Keyword arguments of the Streamlit widget besides its label and key."""
        return {"options": self.choices(options, value)}

    def choices(self, options: FilterOptions, value: Any) -> list:
        """What the widget offers, `value` included."""
        raise NotImplementedError

    def shown(self, value: Any, options: FilterOptions) -> Any:
        return value

    def read(self, shown: Any) -> Any:
        return shown


@dataclass(frozen=True)
class Names(FilterField):
    """Several names, any of which matches (datasets): repeated in the URL, ids in the store."""

    source: str = "datasets"  # the FilterOptions list to choose from
    widget: ClassVar[str] = "multiselect"

    def parse(self, raw: list[str]) -> tuple[str, ...]:
        return tuple(v for v in raw if v)

    def query(self, value: tuple[str, ...]) -> list[str]:
        return list(value)

    def say(self, value: tuple[str, ...]) -> str:
        return f"{self.said} " + " or ".join(value)

    def to_db(self, session: Session, value: tuple[str, ...]) -> list[int] | None:
        return (browsing.dataset_ids(session, value) or [-1]) if value else None  # unknown name: no match

    def choices(self, options: FilterOptions, value: tuple[str, ...]) -> list[str]:
        return list(getattr(options, self.source))

    def shown(self, value: tuple[str, ...], options: FilterOptions) -> list[str]:
        return [v for v in value if v in getattr(options, self.source)]

    def read(self, shown: list[str]) -> tuple[str, ...]:
        return tuple(shown)


@dataclass(frozen=True)
class OneOf(FilterField):
    """One of the names the store holds (a task, an agent)."""

    source: str = "tasks"  # the FilterOptions list to choose from
    NONE: ClassVar[str] = "(any)"

    def choices(self, options: FilterOptions, value: str | None) -> list[str]:
        return [self.NONE] + sorted(set(getattr(options, self.source)) | ({value} if value else set()))

    def shown(self, value: str | None, options: FilterOptions) -> str:
        return value or self.NONE

    def read(self, shown: str) -> str | None:
        return None if shown == self.NONE else shown


@dataclass(frozen=True)
class Text(FilterField):
    """Free text (the full-text search)."""

    placeholder: str = ""
    widget: ClassVar[str] = "text_input"

    def parse(self, raw: list[str]) -> str:
        return (raw[-1] if raw else "").strip()

    SAID: ClassVar[int] = 80  # characters of the text that a description repeats

    def say(self, value: str) -> str:
        if len(value) <= self.SAID:
            return f"text “{value}”"
        return f"text “{value[: self.SAID - 1]}…” ({len(value):,} characters)"

    def widget_args(self, options: FilterOptions, value: str) -> dict:
        return {"placeholder": self.placeholder}

    def to_db(self, session: Session, value: str) -> str | None:
        return value or None

    def read(self, shown: str) -> str:
        return shown.strip()


@dataclass(frozen=True)
class Choice(FilterField):
    """A value from a fixed set: URL text -> (value, shown in the widget, said)."""

    values: tuple[tuple[str, Any, str, str], ...] = ()  # (URL text, value, shown, said)

    def parse(self, raw: list[str]) -> Any:
        text = super().parse(raw)
        return next((v for u, v, _, _ in self.values if u == text), None)

    def query(self, value: Any) -> str:
        return next(u for u, v, _, _ in self.values if v == value)

    def say(self, value: Any) -> str:
        return next(s for _, v, _, s in self.values if v == value)

    def choices(self, options: FilterOptions, value: Any) -> list[str]:
        return [ANY] + [shown for _, _, shown, _ in self.values]

    def shown(self, value: Any, options: FilterOptions) -> str:
        return next((shown for _, v, shown, _ in self.values if v == value), ANY)

    def read(self, shown: str) -> Any:
        return next((v for _, v, s, _ in self.values if s == shown), None)


@dataclass(frozen=True)
class YesNo(Choice):
    """True / False ("1" / "0" in the URL; yes, no, true, false are read too)."""

    def parse(self, raw: list[str]) -> bool | None:
        text = super(Choice, self).parse(raw)
        return None if text is None else _BOOL.get(text.strip().lower())


def yes_no(key: str, label: str, said: tuple[str, str], shown=("yes", "no"), **kw) -> YesNo:
    """A YesNo field: `said` and `shown` are (for True, for False)."""
    return YesNo(key, label, values=(("1", True, shown[0], said[0]), ("0", False, shown[1], said[1])), **kw)


@dataclass(frozen=True)
class Round(FilterField):
    """A round number, or -1 for "never" (the consensus round)."""

    NEVER: ClassVar[str] = "never"

    def parse(self, raw: list[str]) -> int | None:
        try:
            value = int(super().parse(raw))
        except (TypeError, ValueError):
            return None
        return value if -1 <= value <= MAX_ROUND else None

    def say(self, value: int) -> str:
        return "never agree" if value < 0 else f"consensus at round {value}"

    def choices(self, options: FilterOptions, value: int | None) -> list[str]:
        out = [ANY, self.NEVER] + [f"round {r}" for r in range(options.max_round + 1)]
        return out + ([] if self.shown(value, options) in out else [self.shown(value, options)])

    def shown(self, value: int | None, options: FilterOptions) -> str:
        return ANY if value is None else self.NEVER if value < 0 else f"round {value}"

    def read(self, shown: str) -> int | None:
        return None if shown == ANY else -1 if shown == self.NEVER else int(shown.split()[-1])


def declare(spec: FilterField, default: Any = None) -> Any:
    """A `Filter` field declared by `spec`."""
    return field(default=default, metadata={"filter": spec})


@dataclass(frozen=True)
class Filter:
    """The Browse filter as the user sees it (dataset names, not ids); hashable for caching.

    It round-trips through URL query parameters (`to_query` / `from_query`) so that a refresh or
    a shared link keeps it. Unknown or malformed values are ignored, never an error.
    """

    datasets: tuple[str, ...] = declare(
        Names("ds", "Dataset", db="dataset_ids", said="dataset", row=0, width=2), ()
    )
    task: str | None = declare(OneOf("task", "Task", source="tasks", row=0))
    agent: str | None = declare(OneOf("agent", "Agent takes part", source="agents", said="agent", row=0))
    majority_correct: bool | None = declare(
        yes_no(
            "maj",
            "Final majority",
            ("majority right", "majority wrong"),
            shown=("right", "wrong"),
            labels_matter=True,
        )
    )
    round0_disagree: bool | None = declare(
        yes_no("r0", "Round-0 disagreement", ("round-0 disagreement", "no round-0 disagreement"))
    )
    consensus_round: int | None = declare(Round("cons", "Consensus reached"))  # -1: never reached
    flip: str | None = declare(
        Choice(
            "flip",
            "Answer flips",
            labels_matter=True,
            values=(
                ("right_wrong", "right_wrong", "right → wrong", "flip right→wrong"),
                ("wrong_right", "wrong_right", "wrong → right", "flip wrong→right"),
            ),
        )
    )
    has_human: bool | None = declare(
        yes_no(
            "human", "Human corrections", ("human corrections", "no human corrections"), labels_matter=True
        )
    )
    needs_review: bool | None = declare(
        yes_no(
            "review", "Needs review", ("waiting for review", "nothing waiting for review"), labels_matter=True
        )
    )
    search: str = declare(
        Text(
            "q",
            "Search questions and reasoning",
            row=0,
            width=3,
            placeholder="all words must appear, e.g. muffins cookies",
        ),
        "",
    )

    @classmethod
    def declared(cls) -> list[tuple[str, FilterField, Any]]:
        """(field name, declaration, default) of every field, in declaration order."""
        return [(f.name, f.metadata["filter"], f.default) for f in fields(cls)]

    @classmethod
    def query_keys(cls) -> tuple[str, ...]:
        return tuple(spec.key for _, spec, _ in cls.declared())

    def restrictions(self) -> list[tuple[str, FilterField, Any]]:
        """(name, declaration, value) of the fields that restrict something (not empty, not "any")."""
        return [(n, s, getattr(self, n)) for n, s, _ in self.declared() if getattr(self, n) not in UNSET]

    def to_query(self) -> dict[str, str | list[str]]:
        return {spec.key: spec.query(value) for _, spec, value in self.restrictions()}

    @classmethod
    def from_query(cls, q: Mapping[str, str | list[str]]) -> Filter:
        def raw(key: str) -> list[str]:
            v = q.get(key) or []
            return [v] if isinstance(v, str) else list(v)

        values = {name: spec.parse(raw(spec.key)) for name, spec, _ in cls.declared()}
        return cls(**{k: v for k, v in values.items() if v is not None})

    def is_empty(self) -> bool:
        return not self.restrictions()

    def describe(self) -> str:
        """A one-line plain-text summary (contains data text: escape it before markdown)."""
        return ", ".join(spec.say(value) for _, spec, value in self.restrictions()) or "everything"

    def labels_matter(self) -> bool:
        """Whether a label edit can change which discussions match."""
        return any(spec.labels_matter for _, spec, _ in self.restrictions())


def widget_rows(cls: type[Filter] = Filter) -> list[list[tuple[str, FilterField]]]:
    """The Browse page's widgets, (field name, declaration) per row, in declaration order."""
    rows: dict[int, list[tuple[str, FilterField]]] = {}
    for name, spec, _ in cls.declared():
        rows.setdefault(spec.row, []).append((name, spec))
    return [rows[r] for r in sorted(rows)]


def to_browse_filter(session: Session, f: Filter) -> browsing.BrowseFilter:
    """The store's filter: each set field's value under its condition's name."""
    return browsing.BrowseFilter(
        **{spec.db or name: spec.to_db(session, value) for name, spec, value in f.restrictions()}
    )


def stored_filter(f: Filter, url: str | None = None) -> dict:
    """The store's filter as a job config keeps it (JSON values)."""
    with session_scope(url) as s:
        return to_browse_filter(s, f).values


def filter_options(url: str | None = None) -> FilterOptions:
    with session_scope(url) as s:
        return FilterOptions(
            queries.dataset_names(s),
            browsing.tasks(s),
            browsing.agents(s),
            max(0, (browsing.max_rounds(s) or 1) - 1),
        )
