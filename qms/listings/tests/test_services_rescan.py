"""Re-scans: batches with progress, findings with deadlines, withdrawal when the deadline passes."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from qms.catalog.models import CategoryDocumentRequirement
from qms.listings import selectors, services, services_rescan
from qms.listings.models import RescanFinding, RescanJob, ReviewTask
from qms.shared.deadlines import run_due_deadlines
from qms.shared.errors import PermissionDenied, ValidationFailed
from qms.shared.models import Deadline, Notification, QualitySignal

from .factories import category, give_document, make_listing, make_seller

pytestmark = pytest.mark.django_db


@pytest.fixture
def live_listings():
    """Three live listings of two merchants; then the category starts requiring a licence,
    which only the second merchant holds."""
    books = category()
    _m1, o1 = make_seller()
    m2, o2 = make_seller()
    listings = [make_listing(o1), make_listing(o1), make_listing(o2)]
    assert all(x.state == "live" for x in listings)
    CategoryDocumentRequirement.objects.create(
        category=books, market="CN", document_type_code="business_licence"
    )
    give_document(m2, "business_licence")
    return listings, (o1, o2)


def test_only_quality_managers_start_rescans(live_listings, reviewer):
    with pytest.raises(PermissionDenied):
        services_rescan.start_rescan(actor=reviewer, reason="rules v2")


def test_reason_and_grace_are_checked(admin_user):
    with pytest.raises(ValidationFailed):
        services_rescan.start_rescan(actor=admin_user, reason=" ")
    with pytest.raises(ValidationFailed) as exc:
        services_rescan.start_rescan(actor=admin_user, reason="x", grace_days=0)
    assert exc.value.code == "grace_days_invalid"


def test_rescan_flags_newly_non_compliant_and_notifies(
    live_listings, admin_user, django_capture_on_commit_callbacks
):
    listings, (o1, _o2) = live_listings
    with django_capture_on_commit_callbacks(execute=True):
        job = services_rescan.start_rescan(
            actor=admin_user, reason="licence now required", grace_days=5
        )
    job.refresh_from_db()
    assert (job.state, job.total, job.processed, job.flagged) == ("done", 3, 3, 2)
    assert job.percent == 100
    findings = list(RescanFinding.objects.filter(job=job).order_by("listing_id"))
    assert [f.listing_id for f in findings] == [listings[0].pk, listings[1].pk]
    assert findings[0].hits[0]["rule"] == "listing.documents.required"
    deadline = Deadline.objects.get(key=services_rescan.deadline_key(findings[0].pk))
    assert abs((deadline.due_at - timezone.now()) - dt.timedelta(days=5)) < dt.timedelta(minutes=1)
    assert Notification.objects.filter(user=o1, kind="listings.rescan_flagged").count() == 2
    # a second re-scan does not flag them again while their findings are open
    with django_capture_on_commit_callbacks(execute=True):
        again = services_rescan.start_rescan(actor=admin_user, reason="again")
    again.refresh_from_db()
    assert again.flagged == 0


def test_batches_resume_from_the_watermark(live_listings, admin_user):
    job = RescanJob.objects.create(reason="x", total=3, created_by=admin_user)
    assert services_rescan.run_rescan_batch(job_id=job.pk, batch_size=2) is True
    job.refresh_from_db()
    assert (job.state, job.processed, job.percent) == ("running", 2, 66)
    assert services_rescan.run_rescan_batch(job_id=job.pk, batch_size=2) is False
    job.refresh_from_db()
    assert (job.state, job.processed, job.flagged) == ("done", 3, 2)
    assert services_rescan.run_rescan_batch(job_id=job.pk, batch_size=2) is False  # idempotent
    assert RescanFinding.objects.filter(job=job).count() == 2
    # the dashboard counts the open findings; each merchant sees only its own
    counts = selectors.dashboard_counts(actor=admin_user)
    open_tasks = ReviewTask.objects.filter(state__in=["open", "claimed"]).count()  # samples
    assert (counts["rescan_findings_open"], counts["listings_to_review"]) == (2, open_tasks)
    _listings, (o1, o2) = live_listings
    assert selectors.dashboard_counts(actor=o1)["rescan_findings_open"] == 2
    assert selectors.dashboard_counts(actor=o2)["rescan_findings_open"] == 0


def test_deadline_withdraws_unfixed_listing_and_spares_the_fixed_one(
    live_listings, admin_user, django_capture_on_commit_callbacks
):
    listings, (o1, _o2) = live_listings
    with django_capture_on_commit_callbacks(execute=True):
        services_rescan.start_rescan(actor=admin_user, reason="licence", grace_days=3)
    # the merchant fixes the first listing: gets the licence and resubmits
    give_document(listings[0].merchant, "business_licence")
    fixed = services.submit_version(
        actor=o1, listing_id=listings[0].pk, data=services.ListingInput(title="三体")
    )
    assert fixed.state == "auto_approved"
    assert RescanFinding.objects.get(listing=listings[0]).state == "resolved"
    # (the licence covers the second listing too; make it lapse to see the withdrawal)
    from qms.documents.models import Document

    Document.objects.filter(organisation_id=o1.memberships.first().organisation_id).update(
        status="expired"
    )
    with django_capture_on_commit_callbacks(execute=True):
        run_due_deadlines(now=timezone.now() + dt.timedelta(days=4))
    first, second = (type(listings[0]).objects.get(pk=x.pk) for x in listings[:2])
    assert first.state == "live"
    assert second.state == "withdrawn"
    assert second.live_version is None
    finding = RescanFinding.objects.get(listing=second)
    assert finding.state == "withdrawn"
    assert QualitySignal.objects.filter(kind="listings.listing_withdrawn").count() == 1
    assert (
        Notification.objects.filter(user=o1, kind="listings.withdrawn_after_deadline").count() == 1
    )
