//! The approval flow: who may approve, what editing does, and how a sent brief is corrected.

use briefcast::brief::{Brief, BriefStatus, LifecycleError, correct};
use chrono::{DateTime, Utc};

const STORM: &str = include_str!("../fixtures/briefs/storm-72h.toml");

fn at(rfc3339: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(rfc3339).unwrap().to_utc()
}

#[test]
fn an_approver_may_approve_a_colleagues_draft() {
    let status = BriefStatus::Draft.approve("aino", "mikko", true, true);
    assert_eq!(status, Ok(BriefStatus::Approved));
}

#[test]
fn a_coordinator_without_the_approver_role_cannot_approve() {
    let err = BriefStatus::Draft.approve("aino", "mikko", false, true).unwrap_err();
    assert_eq!(
        err.to_string(),
        "mikko cannot approve briefs: the approver role is needed"
    );
}

#[test]
fn under_the_two_person_rule_nobody_approves_their_own_brief() {
    let err = BriefStatus::Draft.approve("aino", " Aino ", true, true).unwrap_err();
    assert!(matches!(err, LifecycleError::OwnBrief { .. }));
    assert_eq!(
        BriefStatus::Draft.approve("aino", "aino", true, false),
        Ok(BriefStatus::Approved)
    );
}

#[test]
fn only_a_draft_can_be_approved() {
    let err = BriefStatus::Sent.approve("aino", "mikko", true, true).unwrap_err();
    assert_eq!(
        err.to_string(),
        "a sent brief cannot be approved; issue a correction instead"
    );
    assert!(BriefStatus::Approved.approve("aino", "mikko", true, true).is_err());
}

#[test]
fn editing_an_approved_or_queued_brief_returns_it_to_draft() {
    assert_eq!(BriefStatus::Approved.edit(), Ok(BriefStatus::Draft));
    assert_eq!(BriefStatus::Queued.edit(), Ok(BriefStatus::Draft));
    let err = BriefStatus::Sent.edit().unwrap_err();
    assert_eq!(
        err.to_string(),
        "a sent brief cannot be edited; issue a correction instead"
    );
}

#[test]
fn a_draft_cannot_be_queued_before_approval() {
    let brief = Brief::from_toml(STORM).unwrap();
    let err = BriefStatus::Draft
        .queue(&brief, at("2026-11-22T10:00:00Z"))
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        "a draft brief cannot be queued; it needs approval first"
    );
    assert_eq!(
        BriefStatus::Approved.queue(&brief, at("2026-11-22T10:00:00Z")),
        Ok(BriefStatus::Queued)
    );
}

#[test]
fn nothing_is_sent_before_the_embargo_or_after_expiry() {
    let brief = Brief::from_toml(STORM).unwrap();
    let before = BriefStatus::Queued
        .send(&brief, at("2026-11-23T05:59:59Z"))
        .unwrap_err();
    assert_eq!(before, LifecycleError::Embargoed(at("2026-11-23T06:00:00Z")));
    assert_eq!(
        BriefStatus::Queued.send(&brief, at("2026-11-23T06:00:00Z")),
        Ok(BriefStatus::Sent)
    );
    let after = BriefStatus::Queued
        .send(&brief, at("2026-11-30T21:59:00Z"))
        .unwrap_err();
    assert_eq!(after, LifecycleError::Expired(at("2026-11-30T21:59:00Z")));
    assert!(BriefStatus::Approved.queue(&brief, at("2026-12-01T00:00:00Z")).is_err());
}

#[test]
fn an_unsent_brief_expires_and_a_sent_one_stays_sent() {
    let brief = Brief::from_toml(STORM).unwrap();
    let later = at("2026-12-01T00:00:00Z");
    assert_eq!(BriefStatus::Queued.at(&brief, later), BriefStatus::Expired);
    assert_eq!(BriefStatus::Sent.at(&brief, later), BriefStatus::Sent);
    assert_eq!(
        BriefStatus::Queued.at(&brief, at("2026-11-25T00:00:00Z")),
        BriefStatus::Queued
    );
}

#[test]
fn a_queued_brief_can_be_withdrawn_but_a_sent_one_cannot() {
    assert_eq!(BriefStatus::Queued.withdraw(), Ok(BriefStatus::Withdrawn));
    assert!(BriefStatus::Sent.withdraw().is_err());
    assert!(BriefStatus::Withdrawn.edit().is_err());
}

#[test]
fn a_correction_supersedes_a_sent_brief_and_starts_as_a_new_draft() {
    let original = Brief::from_toml(STORM).unwrap();
    let mut fixed = original.clone();
    fixed.fi.as_mut().unwrap().summary = "Korjattu tiivistelmä.".into();
    let correction = correct(&original, BriefStatus::Sent, fixed).unwrap();
    assert_eq!(correction.meta.supersedes.as_deref(), Some("storm-72h-preparedness"));
    assert!(correction.is_correction());
    let err = correct(&original, BriefStatus::Queued, original.clone()).unwrap_err();
    assert_eq!(err.to_string(), "a queued brief cannot be corrected; edit it instead");
}

each_backend! {
    /// A decision made on a screen is about the brief the screen showed: approving, withdrawing
    /// or saving over a brief that has changed since is refused, and nothing is written.
    async fn a_decision_on_an_older_version_is_refused_and_changes_nothing(b) {
        use briefcast::access::{Actor, Caller, Role};
        use briefcast::brief::BriefFormat;
        use briefcast::pack::Content;
        use briefcast::service::briefs::{self, BriefError};

        let store = b.store.as_ref();
        let content = Content::embedded();
        let now = crate::common::now();
        let author = Caller { actor: Actor("Kaisa <kaisa@example.fi>".into()), role: Role::Coordinator };
        let approver = Caller { actor: Actor("Hanna <hanna@example.fi>".into()), role: Role::Approver };
        let text = crate::common::brief_valid_at(STORM, now);
        let draft = briefs::submit(store, &content, &text, BriefFormat::Toml, &author, now).await.unwrap();
        let (id, seen) = (draft.stored.id, draft.stored.updated_at);
        let later = now + chrono::Duration::minutes(5);
        briefs::edit(store, &content, id, (&text, BriefFormat::Toml), Some(seen), &author, later).await.unwrap();

        let stale = briefs::approve(store, &content, id, Some(seen), &approver, true, later).await;
        assert!(matches!(stale, Err(BriefError::Stale { status: BriefStatus::Draft, .. })), "{stale:?}");
        let stale = briefs::withdraw(store, id, Some(seen), &author, later).await;
        assert!(matches!(stale, Err(BriefError::Stale { .. })), "{stale:?}");
        let stale = briefs::edit(store, &content, id, (&text, BriefFormat::Toml), Some(seen), &author, later).await;
        assert!(matches!(stale, Err(BriefError::Stale { .. })), "{stale:?}");
        let current = store.brief(id).await.unwrap().unwrap();
        assert_eq!(current.status, BriefStatus::Draft, "nothing was written");
        assert_eq!(current.updated_at, later);

        let approved = briefs::approve(store, &content, id, Some(current.updated_at), &approver, true, later).await.unwrap();
        assert_eq!(approved.status, BriefStatus::Approved);
    }
}
