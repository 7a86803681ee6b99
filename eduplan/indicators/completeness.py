"""Who has reported a data set for a period: the units expected to, and where each form stands.

A unit has *reported* once its form is submitted or accepted; a draft or a form sent back
for correction has not. A city's figures are split by district (each authority directly
below it), so a city sees which district lags before looking at schools.
"""

from __future__ import annotations

from dataclasses import dataclass

from eduplan.orgs.models import AUTHORITY_KINDS, OrgUnit
from eduplan.periods import Period

from .collecting import expected_units
from .models import DataSet, Submission

NOT_STARTED = "未填报"
REPORTED_STATES = (Submission.State.SUBMITTED, Submission.State.ACCEPTED)


@dataclass(frozen=True)
class UnitState:
    """One expected unit and its form's state ("" when it has not started one)."""

    unit: OrgUnit
    state: str

    @property
    def label(self) -> str:
        return Submission.State(self.state).label if self.state else NOT_STARTED

    @property
    def reported(self) -> bool:
        return self.state in REPORTED_STATES


@dataclass(frozen=True)
class Completeness:
    data_set: DataSet
    unit: OrgUnit
    period: str
    rows: list[UnitState]

    @property
    def period_label(self) -> str:
        return Period.parse(self.period).label

    @property
    def expected(self) -> int:
        return len(self.rows)

    @property
    def reported(self) -> int:
        return sum(row.reported for row in self.rows)

    @property
    def share(self) -> float | None:
        """Percent of the expected units that have reported (None when none are expected)."""
        return round(100 * self.reported / self.expected, 1) if self.rows else None

    @property
    def missing(self) -> list[UnitState]:
        return [row for row in self.rows if not row.reported]

    def count(self, state: str) -> int:
        return sum(row.state == state for row in self.rows)


def completeness(data_set: DataSet, unit: OrgUnit, period: str) -> Completeness:
    """Every unit within ``unit`` expected to report ``data_set`` for ``period``, with its state."""
    expected = expected_units(data_set, unit, period)
    states = dict(Submission.objects.filter(data_set=data_set, period=period, unit__in=expected)
                  .values_list("unit_id", "state"))
    return Completeness(data_set, unit, period, [UnitState(u, states.get(u.pk, "")) for u in expected])


def by_authority(whole: Completeness) -> list[Completeness]:
    """The completeness of each authority directly below ``whole.unit`` (a city's districts);
    empty for a district, which has none."""
    below = OrgUnit.objects.filter(parent=whole.unit, kind__in=AUTHORITY_KINDS).order_by("path")
    return [Completeness(whole.data_set, authority, whole.period,
                         [row for row in whole.rows if row.unit.path.startswith(authority.path)])
            for authority in below]
