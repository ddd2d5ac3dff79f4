"""Inter-annotator agreement on node labels (nominal data): Krippendorff's alpha, Cohen's kappa
per pair of annotators, each annotator against a reference (the human consensus, the automatic
labels), and the confusion of automatic vs human labels.

Data are `(unit, coder, value)` triples: a unit is a node, a coder an annotator, a value one of
`VALUES`. Only "correct" and "incorrect" are values: "unsure" says the annotator could not tell
and "withdrawn" takes a response back, so neither is a judgement two people can agree on; triples
with any other value are left out (`ratings`) before anything is computed.

Undefined coefficients are None, never a made-up number:
- no unit answered by two coders (one annotator, or no overlap): alpha and kappa have no data;
- every value the pairable data hold is the same (perfect agreement on one category): the
  agreement expected by chance is total, so alpha (0/0) and kappa cannot tell agreement from
  chance. NLTK returns 1 here; `observed` (the share of equal pairs) still says 100%.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass
from itertools import combinations

import krippendorff
import numpy as np

VALUES = ("correct", "incorrect")  # the values agreement is computed on
Triple = tuple[Hashable, str, str]  # (unit, coder, value)


def value_of(label: bool) -> str:
    """A boolean label (True: the node's answer is correct) as an agreement value."""
    return VALUES[0] if label else VALUES[1]


def ratings(triples: Iterable[Triple]) -> list[Triple]:
    """The triples whose value is one of `VALUES`; a coder rating a unit twice is an error."""
    kept, seen = [], set()
    for unit, coder, value in triples:
        if (unit, coder) in seen:
            raise ValueError(f"{coder!r} rated unit {unit!r} twice: give their current response only")
        seen.add((unit, coder))
        if value in VALUES:
            kept.append((unit, coder, value))
    return kept


def by_coder(triples: Iterable[Triple]) -> dict[str, dict[Hashable, str]]:
    """coder -> {unit: value}, of the agreement values only."""
    out: dict[str, dict[Hashable, str]] = defaultdict(dict)
    for unit, coder, value in ratings(triples):
        out[coder][unit] = value
    return dict(out)


def alpha(triples: Iterable[Triple]) -> float | None:
    """Krippendorff's alpha for nominal data (the `krippendorff` package); units rated by fewer than
    two coders do not count. None when undefined (see the module's docstring)."""
    coders = by_coder(triples)
    units = sorted({u for values in coders.values() for u in values}, key=repr)
    index = {u: i for i, u in enumerate(units)}
    data = np.full((len(coders), len(units)), np.nan)
    for row, values in enumerate(coders.values()):
        for unit, value in values.items():
            data[row, index[unit]] = VALUES.index(value)
    pairable = np.sum(~np.isnan(data), axis=0) >= 2
    if not pairable.any() or len(np.unique(data[:, pairable][~np.isnan(data[:, pairable])])) < 2:
        return None
    return float(
        krippendorff.alpha(reliability_data=data, level_of_measurement="nominal", value_domain=[0, 1])
    )


@dataclass(frozen=True)
class Agreement:
    """How two sets of labels agree on the `n` units both hold: `observed` is the share of equal
    labels, `kappa` Cohen's kappa (None: undefined, see the module's docstring)."""

    n: int
    observed: float | None
    kappa: float | None


def cohen_kappa(a: Mapping[Hashable, str], b: Mapping[Hashable, str]) -> Agreement:
    """Cohen's kappa of two coders on the units both rated: (p_o - p_e) / (1 - p_e), with p_e from
    each coder's own marginal shares."""
    common = [u for u in a if u in b and a[u] in VALUES and b[u] in VALUES]
    n = len(common)
    if not n:
        return Agreement(0, None, None)
    p_o = sum(a[u] == b[u] for u in common) / n
    ca, cb = Counter(a[u] for u in common), Counter(b[u] for u in common)
    p_e = sum(ca[v] * cb[v] for v in VALUES) / n**2
    return Agreement(n, p_o, None if p_e == 1 else (p_o - p_e) / (1 - p_e))


@dataclass(frozen=True)
class PairAgreement:
    a: str
    b: str
    agreement: Agreement


def pairwise_kappa(triples: Iterable[Triple]) -> list[PairAgreement]:
    """Cohen's kappa for every two coders (sorted by name), on the units both rated."""
    coders = by_coder(triples)
    return [
        PairAgreement(a, b, cohen_kappa(coders[a], coders[b])) for a, b in combinations(sorted(coders), 2)
    ]


def agreement_with(triples: Iterable[Triple], reference: Mapping[Hashable, str]) -> dict[str, Agreement]:
    """Each coder against `reference` (unit -> value: the human consensus, the automatic labels) on
    the units both hold."""
    return {coder: cohen_kappa(values, reference) for coder, values in sorted(by_coder(triples).items())}


@dataclass(frozen=True)
class Confusion:
    """Automatic vs human labels on the units both hold: `counts[(automatic, human)]`, and how the
    two agree (share equal, kappa)."""

    counts: dict[tuple[str, str], int]
    agreement: Agreement

    @property
    def n(self) -> int:
        return self.agreement.n


def confusion(automatic: Mapping[Hashable, str], human: Mapping[Hashable, str]) -> Confusion:
    """The confusion matrix of automatic vs human labels, every cell present (zeros included)."""
    counts = {(a, h): 0 for a in VALUES for h in VALUES}
    for unit, h in human.items():
        a = automatic.get(unit)
        if a in VALUES and h in VALUES:
            counts[(a, h)] += 1
    return Confusion(counts, cohen_kappa(automatic, human))
