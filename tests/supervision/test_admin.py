"""Each bureau sets its supervision and appraisal rules in the admin, audited."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from eduplan.audit.models import AuditEntry
from eduplan.supervision.models import AppraisalRules, SupervisionRules


def test_the_bureau_admin_sets_its_rules(as_user, world):
    client = as_user("admin")
    response = client.post("/admin/supervision/supervisionrules/add/", {
        "bureau": world.bureau.pk, "rectify_days": 20, "urge_after_days": 3, "supervise_after_days": 10,
        "remind_days_before": 5, "stale_days": 21, "data_grace_days": 10})
    assert response.status_code == 302, response.content.decode()[:500]
    assert SupervisionRules.objects.get().supervise_after_days == 10
    assert AuditEntry.objects.filter(action="admin.create", model="supervision.supervisionrules").exists()
    assert client.get("/admin/supervision/appraisalrules/add/").status_code == 200


def test_the_appraisal_defaults_name_their_veto_items(world):
    assert "发生重大安全责任事故" in AppraisalRules(bureau=world.bureau).veto_list()


# fmt: off
THRESHOLDS = [
    # urge after, supervise after → saved
    (3,  10, True),
    (14, 15, True),
    (15, 15, False),  # 催办 and 督办 the same day: never urged
    (20, 10, False),
]
# fmt: on


@pytest.mark.parametrize(("urge", "supervise", "saved"), THRESHOLDS, ids=[f"{t[0]}-{t[1]}" for t in THRESHOLDS])
def test_urging_comes_before_supervising(as_user, world, urge, supervise, saved):
    response = as_user("admin").post("/admin/supervision/supervisionrules/add/", {
        "bureau": world.bureau.pk, "rectify_days": 20, "urge_after_days": urge, "supervise_after_days": supervise,
        "remind_days_before": 5, "stale_days": 21, "data_grace_days": 10})
    assert SupervisionRules.objects.exists() is saved
    if not saved:
        assert response.status_code == 200 and "应少于督办天数" in response.content.decode()
        with pytest.raises(ValidationError):
            SupervisionRules(bureau=world.bureau, urge_after_days=urge, supervise_after_days=supervise).full_clean()
