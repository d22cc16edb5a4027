"""Issue 16: the acting head (Plt./Plh.) of a unit hears what its head hears about the unit, on the days of the span
only.

UnitHeadAssigned (plan-service) is kept in the ``acting_heads`` read model (the latest version of an
assignment wins). A unit's CalibrationFinalised reaches every contact of the unit and its sub-units
(so its head) and, besides, the unit's acting head on the day it was finalised (the service's
timezone): not the day before the span, nor the day after it. Who is a member comes from the
directory: a head moved to another unit (EmployeeUpserted) no longer hears of the old one.
"""

import pytest

from kinerja_shared.testing import unit_head_assigned as assigned
from notification_service.service import SPEC

ACTING = "198901012014011007"
# ev.calibration_finalised: finalised_at 2027-01-20T03:00Z, i.e. 2027-01-20 10:00 WIB (the day the spans are put around)


@pytest.fixture
def h(service_factory, ev, helpers):
    harness = service_factory(SPEC, NOTIFICATION_REMINDERS="false")
    harness.handle(
        ev.employee(
            helpers.RATER, "Drs. Rahmat Hidayat", unit_id="opd-1", unit_path=("opd-1",), rater=None, is_unit_head=True
        ),
        ev.employee(helpers.EMPLOYEE, "Siti Aminah, S.Kom"),
        ev.employee(ACTING, "Dewi Lestari", unit_id="opd-2", unit_path=("opd-2",), rater=helpers.OUTSIDER),
    )
    return harness


def calibration_items(h, helpers, nip):
    return [i for i in helpers.inbox(h, nip) if i["category"] == "calibration_finalised"]


@pytest.mark.parametrize(
    "valid_from, valid_to, hears",
    [
        pytest.param("2027-01-21", "2027-02-28", False, id="the-day-before-the-span"),
        pytest.param("2027-01-20", "2027-02-28", True, id="the-first-day"),
        pytest.param("2027-01-02", "2027-01-20", True, id="the-last-day"),
        pytest.param("2027-01-02", "2027-01-19", False, id="the-day-after-the-span"),
        pytest.param("2027-01-02", None, True, id="an-open-span"),
    ],
)
def test_the_acting_head_hears_of_the_units_calibration_on_the_days_of_the_span(
    h, ev, helpers, valid_from, valid_to, hears
):
    h.handle(assigned(ACTING, "opd-1", valid_from, valid_to))
    h.handle(ev.calibration_finalised("opd-1", [{"nip": helpers.EMPLOYEE, "predicate": "BAIK"}]))
    items = calibration_items(h, helpers, ACTING)
    assert len(items) == (1 if hears else 0)
    assert len(calibration_items(h, helpers, helpers.RATER)) == 1  # the head in the directory, as before
    if hears:
        assert items[0]["link"] == "/units/opd-1/calibration/2026-Y"


def test_only_the_acting_head_of_that_unit_hears_and_a_revoked_assignment_gives_nothing(h, ev, helpers):
    h.handle(assigned(ACTING, "opd-2", "2027-01-01", None))  # acting head of another unit: not of opd-1
    h.handle(
        assigned(
            helpers.OUTSIDER,
            "opd-1",
            "2027-01-01",
            None,
            assignment_id="plh-2",
            kind="plh",
            status="revoked",
            version=2,
        )
    )
    h.handle(assigned(helpers.OUTSIDER, "opd-1", "2027-01-01", None, assignment_id="plh-2", kind="plh"))  # older, late
    assert h.scalar("SELECT status FROM acting_heads WHERE assignment_id = 'plh-2'") == "revoked"
    h.handle(ev.calibration_finalised("opd-1", [{"nip": helpers.EMPLOYEE, "predicate": "BAIK"}]))
    assert calibration_items(h, helpers, ACTING) == []
    assert calibration_items(h, helpers, helpers.OUTSIDER) == []


def test_a_head_moved_to_another_unit_no_longer_hears_of_the_old_one(h, ev, helpers):
    h.handle(ev.employee(helpers.RATER, "Drs. Rahmat Hidayat", unit_id="opd-2", unit_path=("opd-2",), rater=None))
    h.handle(ev.calibration_finalised("opd-1", [{"nip": helpers.EMPLOYEE, "predicate": "BAIK"}], by=helpers.OUTSIDER))
    assert calibration_items(h, helpers, helpers.RATER) == []
    assert len(calibration_items(h, helpers, helpers.EMPLOYEE)) == 1


def test_an_acting_head_who_has_left_hears_nothing(h, ev, helpers):
    h.handle(assigned(ACTING, "opd-1", "2027-01-02", None))
    h.handle(
        ev.employee(ACTING, "Dewi Lestari", unit_id="opd-2", unit_path=("opd-2",), rater=helpers.OUTSIDER, active=False)
    )
    h.handle(ev.calibration_finalised("opd-1", [{"nip": helpers.EMPLOYEE, "predicate": "BAIK"}]))
    assert calibration_items(h, helpers, ACTING) == []
