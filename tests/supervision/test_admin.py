"""Each bureau sets its supervision and appraisal rules in the admin, audited."""

from __future__ import annotations

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
