//! Signing in and the sessions that follow, on both databases, with the test's clock: every
//! refusal reads the same, throttling holds per account and per address, and a session ends
//! when its person signs out, is idle, grows old, gets a new password or is disabled. With an
//! authenticator app, the password opens only a half session that must give the app's code.

use briefcast::access::{Actor, Role};
use briefcast::account::{NewAccount, Password};
use briefcast::audience::EmailAddress;
use briefcast::language::Language;
use briefcast::service::accounts;
use briefcast::service::sessions::{self, Policy, SignInError, SignedIn};
use briefcast::store::Store;
use briefcast::store::{AuditQuery, SessionStage};
use briefcast::totp::Secret;
use chrono::{DateTime, Duration, Utc};

use crate::common::now;

const PASSWORD: &str = "kuusi kurkea kukkulalla";
const HERE: &str = "192.0.2.10";

async fn with_account(store: &dyn Store) -> EmailAddress {
    let account = NewAccount {
        email: EmailAddress::parse("aino@vnk.example.fi").unwrap(),
        name: "Aino Koordinaattori".into(),
        role: Role::Coordinator,
        language: Language::Fi,
    };
    let hash = Password::new(PASSWORD).unwrap().hash().unwrap();
    store
        .create_account(&account, &hash, &Actor("cli:admin".into()), now() - Duration::days(1))
        .await
        .unwrap();
    account.email
}

fn policy() -> Policy {
    Policy::default()
}

/// Gives the test account an authenticator app, as setting one up in the console does.
/// A fixed secret and the test's fixed clock: every code, and so every wrong one, is the same
/// on every run.
fn app_secret() -> Secret {
    Secret::from_base32("GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ").unwrap()
}

async fn with_app(store: &dyn Store, email: &EmailAddress) -> Secret {
    let secret = app_secret();
    store
        .set_totp(
            email,
            Some(&secret.base32()),
            &Actor("cli:admin".into()),
            now() - Duration::hours(1),
        )
        .await
        .unwrap();
    secret
}

async fn half_signed_in(store: &dyn Store, policy: &Policy, at: DateTime<Utc>) -> (SignedIn, sessions::Pending) {
    let signed = sessions::sign_in(store, policy, "aino@vnk.example.fi", PASSWORD, HERE, at)
        .await
        .unwrap();
    assert_ne!(signed.stage, SessionStage::Full);
    assert!(
        sessions::resume(store, policy, &signed.cookie, at)
            .await
            .unwrap()
            .is_none(),
        "a half session reaches no page"
    );
    let pending = sessions::pending(store, policy, &signed.cookie, at)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(pending.stage, signed.stage);
    (signed, pending)
}

async fn refused(store: &dyn Store, email: &str, password: &str, address: &str, at: DateTime<Utc>) -> String {
    match sessions::sign_in(store, &policy(), email, password, address, at).await {
        Err(e @ SignInError::Refused) => e.to_string(),
        other => panic!("expected a refusal, got {other:?}"),
    }
}

each_backend! {
    async fn a_person_signs_in_and_the_store_never_holds_the_cookie(b) {
        let store = b.store.as_ref();
        with_account(store).await;
        let signed = sessions::sign_in(store, &policy(), " Aino@VNK.example.fi ", PASSWORD, HERE, now()).await.unwrap();
        assert_eq!(signed.session.caller.role, Role::Coordinator);
        assert_eq!(signed.session.caller.actor.0, "Aino Koordinaattori <aino@vnk.example.fi>");
        assert!(store.session(&signed.cookie).await.unwrap().is_none(), "only the hash is stored");
        let resumed = sessions::resume(store, &policy(), &signed.cookie, now() + Duration::minutes(5)).await.unwrap().unwrap();
        assert_eq!(resumed.csrf_token, signed.session.csrf_token);
        assert_ne!(resumed.csrf_token, signed.cookie);
        let entry = &store.audit_log(1).await.unwrap()[0];
        assert_eq!((entry.action.as_str(), entry.actor.as_str()), ("session.start", "Aino Koordinaattori <aino@vnk.example.fi>"));
        assert_eq!(entry.detail["address"], HERE);

        sessions::sign_out(store, &resumed, &signed.cookie, now() + Duration::minutes(6)).await.unwrap();
        assert!(sessions::resume(store, &policy(), &signed.cookie, now() + Duration::minutes(7)).await.unwrap().is_none());
        assert!(sessions::resume(store, &policy(), "bc_not-a-session", now()).await.unwrap().is_none());
    }

    async fn every_refusal_reads_the_same_and_five_lock_the_account_for_the_window(b) {
        let store = b.store.as_ref();
        let email = with_account(store).await;
        let wrong = refused(store, "aino@vnk.example.fi", "väärä salasana tässä", HERE, now()).await;
        let nobody = refused(store, "nobody@vnk.example.fi", PASSWORD, HERE, now()).await;
        let not_an_address = refused(store, "not an address", PASSWORD, HERE, now()).await;
        assert_eq!(wrong, nobody);
        assert_eq!(wrong, not_an_address);
        for _ in 0..4 {
            refused(store, "aino@vnk.example.fi", "väärä salasana tässä", "198.51.100.7", now()).await;
        }
        // Five failures for her address: the right password is refused too, from anywhere.
        let locked = refused(store, "aino@vnk.example.fi", PASSWORD, "203.0.113.5", now() + Duration::minutes(1)).await;
        assert_eq!(locked, wrong);
        let later = now() + Duration::minutes(16);
        assert!(sessions::sign_in(store, &policy(), "aino@vnk.example.fi", PASSWORD, HERE, later).await.is_ok());
        let audit = store.audit_log(20).await.unwrap();
        assert!(audit.iter().any(|e| e.action == "session.refused" && e.subject == "account:nobody@vnk.example.fi"));

        store.disable_account(&email, &Actor("cli:admin".into()), later).await.unwrap();
        assert_eq!(refused(store, "aino@vnk.example.fi", PASSWORD, "203.0.113.9", later).await, wrong);
    }

    async fn twenty_failures_from_one_address_stop_it_but_not_others(b) {
        let store = b.store.as_ref();
        with_account(store).await;
        for n in 0..20 {
            refused(store, &format!("guess{n}@vnk.example.fi"), PASSWORD, HERE, now()).await;
        }
        refused(store, "aino@vnk.example.fi", PASSWORD, HERE, now()).await;
        assert!(sessions::sign_in(store, &policy(), "aino@vnk.example.fi", PASSWORD, "192.0.2.99", now()).await.is_ok());
    }

    async fn a_session_ends_when_idle_when_old_and_at_a_new_password(b) {
        let store = b.store.as_ref();
        let email = with_account(store).await;
        let idle = sessions::sign_in(store, &policy(), "aino@vnk.example.fi", PASSWORD, HERE, now()).await.unwrap();
        assert!(sessions::resume(store, &policy(), &idle.cookie, now() + Duration::minutes(29)).await.unwrap().is_some());
        assert!(sessions::resume(store, &policy(), &idle.cookie, now() + Duration::minutes(60)).await.unwrap().is_none());
        let ended = &store.audit_log(1).await.unwrap()[0];
        assert_eq!((ended.action.as_str(), ended.detail["why"].as_str()), ("session.end", Some("idle")));

        // Used every twenty minutes, a session still ends twelve hours after sign-in.
        let busy = sessions::sign_in(store, &policy(), "aino@vnk.example.fi", PASSWORD, HERE, now()).await.unwrap();
        let mut at = now();
        while at < now() + Duration::hours(12) - Duration::minutes(20) {
            at += Duration::minutes(20);
            assert!(sessions::resume(store, &policy(), &busy.cookie, at).await.unwrap().is_some(), "live at {at}");
        }
        assert!(sessions::resume(store, &policy(), &busy.cookie, now() + Duration::hours(12)).await.unwrap().is_none());
        assert_eq!(store.audit_log(1).await.unwrap()[0].detail["why"], "expired");

        let live = sessions::sign_in(store, &policy(), "aino@vnk.example.fi", PASSWORD, HERE, now()).await.unwrap();
        let hash = Password::new("seitsemän veljestä metsässä").unwrap().hash().unwrap();
        store.set_password(&email, &hash, &Actor("cli:admin".into()), now() + Duration::minutes(1)).await.unwrap();
        assert!(
            sessions::resume(store, &policy(), &live.cookie, now() + Duration::minutes(2)).await.unwrap().is_none(),
            "a new password signs her out everywhere"
        );
    }

    async fn the_apps_code_finishes_signing_in_once_in_a_new_session(b) {
        let store = b.store.as_ref();
        let email = with_account(store).await;
        let secret = with_app(store, &email).await;
        let (half, pending) = half_signed_in(store, &policy(), now()).await;
        assert_eq!(half.stage, SessionStage::Code);

        let wrong = "000000";
        assert!(secret.matching_step(wrong, now()).is_none(), "the wrong code is wrong at this instant");
        let again = sessions::confirm_code(store, &pending, &half.cookie, wrong, HERE, now()).await;
        assert!(matches!(again, Err(SignInError::WrongCode)), "{again:?}");
        let at = now() + Duration::seconds(20);
        let code = secret.code(at);
        let full = sessions::confirm_code(store, &pending, &half.cookie, &code, HERE, at).await.unwrap();
        assert_eq!(full.stage, SessionStage::Full);
        assert_ne!(full.cookie, half.cookie, "a new session id once the second factor is given");
        assert!(sessions::pending(store, &policy(), &half.cookie, at).await.unwrap().is_none());
        assert!(sessions::resume(store, &policy(), &full.cookie, at).await.unwrap().is_some());
        let audit = store.audit_log(3).await.unwrap();
        assert!(audit.iter().any(|e| e.action == "session.end" && e.detail["why"] == "second factor given"));

        // The same code, seen over her shoulder, does not sign anyone in again.
        let (half, pending) = half_signed_in(store, &policy(), at).await;
        let replay = sessions::confirm_code(store, &pending, &half.cookie, &code, HERE, at).await;
        assert!(matches!(replay, Err(SignInError::WrongCode)), "{replay:?}");
        let next = at + Duration::seconds(30);
        assert!(sessions::confirm_code(store, &pending, &half.cookie, &secret.code(next), HERE, next).await.is_ok());
    }

    async fn wrong_codes_count_as_failed_sign_ins_and_a_half_session_expires(b) {
        let store = b.store.as_ref();
        let email = with_account(store).await;
        with_app(store, &email).await;
        let (half, pending) = half_signed_in(store, &policy(), now()).await;
        assert!(app_secret().matching_step("000000", now()).is_none());
        for n in 0..4 {
            let got = sessions::confirm_code(store, &pending, &half.cookie, "000000", HERE, now()).await;
            assert!(matches!(got, Err(SignInError::WrongCode)), "try {n}: {got:?}");
        }
        let fifth = sessions::confirm_code(store, &pending, &half.cookie, "000000", HERE, now()).await;
        assert!(matches!(fifth, Err(SignInError::Refused)), "{fifth:?}");
        assert!(sessions::pending(store, &policy(), &half.cookie, now()).await.unwrap().is_none(), "ended at the limit");
        // The account is locked for the window, the right password and code notwithstanding.
        refused(store, "aino@vnk.example.fi", PASSWORD, "203.0.113.5", now() + Duration::minutes(1)).await;

        let later = now() + Duration::minutes(20);
        let (half, _) = half_signed_in(store, &policy(), later).await;
        let too_late = later + Duration::minutes(5);
        assert!(sessions::pending(store, &policy(), &half.cookie, too_late).await.unwrap().is_none());
        let ended = &store.audit_log(1).await.unwrap()[0];
        assert_eq!(ended.detail["why"], "second factor not given");
    }

    async fn a_role_that_requires_an_app_sets_one_up_before_anything_else(b) {
        let store = b.store.as_ref();
        let email = with_account(store).await;
        let strict = Policy { require_totp: vec![Role::Coordinator], ..Policy::default() };
        let (half, pending) = half_signed_in(store, &strict, now()).await;
        assert_eq!(half.stage, SessionStage::Enrol);
        let secret = app_secret();
        assert!(secret.matching_step("000000", now()).is_none());
        let got = sessions::confirm_enrolment(store, &pending, &half.cookie, &secret.base32(), "000000", HERE, now()).await;
        assert!(matches!(got, Err(SignInError::WrongCode)), "a code from another secret: {got:?}");
        let full = sessions::confirm_enrolment(store, &pending, &half.cookie, &secret.base32(), &secret.code(now()), HERE, now())
            .await
            .unwrap();
        assert!(store.account(&email).await.unwrap().unwrap().summary.second_factor, "she has an app now");
        assert!(sessions::resume(store, &strict, &full.cookie, now()).await.unwrap().is_some());

        // From now on she gives a code; an approver taking the app away signs her out, and she
        // sets up a new one at the next sign-in.
        let (half, _) = half_signed_in(store, &strict, now() + Duration::minutes(1)).await;
        assert_eq!(half.stage, SessionStage::Code);
        let approver = briefcast::access::Caller::cli();
        let summary = accounts::remove_second_factor(store, &approver, "aino@vnk.example.fi", now() + Duration::minutes(2)).await.unwrap();
        assert!(!summary.second_factor);
        assert!(sessions::resume(store, &strict, &full.cookie, now() + Duration::minutes(2)).await.unwrap().is_none());
        let (half, _) = half_signed_in(store, &strict, now() + Duration::minutes(3)).await;
        assert_eq!(half.stage, SessionStage::Enrol);
        let audit = store.audit_log(10).await.unwrap();
        assert!(audit.iter().any(|e| e.action == "account.totp" && e.detail["enabled"] == false));
        assert!(audit.iter().all(|e| !e.detail.to_string().contains(&secret.base32())), "the secret is never audited");
    }

    async fn the_audit_log_is_searched_by_kind_who_and_what_a_page_at_a_time(b) {
        let store = b.store.as_ref();
        with_account(store).await;
        for n in 0..3 {
            refused(store, &format!("guess_{n}@vnk.example.fi"), PASSWORD, HERE, now()).await;
        }
        sessions::sign_in(store, &policy(), "aino@vnk.example.fi", PASSWORD, HERE, now()).await.unwrap();
        let search = |query: AuditQuery| async move { store.audit_search(&query).await.unwrap() };
        let sessions = search(AuditQuery { family: Some("session".into()), limit: 10, ..Default::default() }).await;
        assert_eq!(sessions.len(), 4, "{sessions:?}");
        assert!(sessions.iter().all(|e| e.action.starts_with("session.")));
        assert!(sessions.windows(2).all(|w| w[0].id > w[1].id), "newest first");
        let hers = search(AuditQuery { actor: Some("KOORDINAATTORI".into()), limit: 10, ..Default::default() }).await;
        assert_eq!(hers.iter().map(|e| e.action.as_str()).collect::<Vec<_>>(), vec!["session.start"]);
        let about = search(AuditQuery { subject: Some("guess_1".into()), limit: 10, ..Default::default() }).await;
        assert_eq!(about.len(), 1, "`_` is matched as itself: {about:?}");
        let first = search(AuditQuery { limit: 2, ..Default::default() }).await;
        let next = search(AuditQuery { limit: 2, before: Some(first[1].id), ..Default::default() }).await;
        assert!(next[0].id < first[1].id);
        assert!(search(AuditQuery { family: Some("brief".into()), limit: 10, ..Default::default() }).await.is_empty());
    }
}
