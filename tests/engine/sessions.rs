//! Signing in and the sessions that follow, on both databases, with the test's clock: every
//! refusal reads the same, throttling holds per account and per address, and a session ends
//! when its person signs out, is idle, grows old, gets a new password or is disabled.

use briefcast::access::{Actor, Role};
use briefcast::account::{NewAccount, Password};
use briefcast::audience::EmailAddress;
use briefcast::language::Language;
use briefcast::service::sessions::{self, SignInError};
use briefcast::store::Store;
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

async fn refused(store: &dyn Store, email: &str, password: &str, address: &str, at: DateTime<Utc>) -> String {
    match sessions::sign_in(store, email, password, address, at).await {
        Err(e @ SignInError::Refused) => e.to_string(),
        other => panic!("expected a refusal, got {other:?}"),
    }
}

each_backend! {
    async fn a_person_signs_in_and_the_store_never_holds_the_cookie(b) {
        let store = b.store.as_ref();
        with_account(store).await;
        let signed = sessions::sign_in(store, " Aino@VNK.example.fi ", PASSWORD, HERE, now()).await.unwrap();
        assert_eq!(signed.session.caller.role, Role::Coordinator);
        assert_eq!(signed.session.caller.actor.0, "Aino Koordinaattori <aino@vnk.example.fi>");
        assert!(store.session(&signed.cookie).await.unwrap().is_none(), "only the hash is stored");
        let resumed = sessions::resume(store, &signed.cookie, now() + Duration::minutes(5)).await.unwrap().unwrap();
        assert_eq!(resumed.csrf_token, signed.session.csrf_token);
        assert_ne!(resumed.csrf_token, signed.cookie);
        let entry = &store.audit_log(1).await.unwrap()[0];
        assert_eq!((entry.action.as_str(), entry.actor.as_str()), ("session.start", "Aino Koordinaattori <aino@vnk.example.fi>"));
        assert_eq!(entry.detail["address"], HERE);

        sessions::sign_out(store, &resumed, &signed.cookie, now() + Duration::minutes(6)).await.unwrap();
        assert!(sessions::resume(store, &signed.cookie, now() + Duration::minutes(7)).await.unwrap().is_none());
        assert!(sessions::resume(store, "bc_not-a-session", now()).await.unwrap().is_none());
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
        assert!(sessions::sign_in(store, "aino@vnk.example.fi", PASSWORD, HERE, later).await.is_ok());
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
        assert!(sessions::sign_in(store, "aino@vnk.example.fi", PASSWORD, "192.0.2.99", now()).await.is_ok());
    }

    async fn a_session_ends_when_idle_when_old_and_at_a_new_password(b) {
        let store = b.store.as_ref();
        let email = with_account(store).await;
        let idle = sessions::sign_in(store, "aino@vnk.example.fi", PASSWORD, HERE, now()).await.unwrap();
        assert!(sessions::resume(store, &idle.cookie, now() + Duration::minutes(29)).await.unwrap().is_some());
        assert!(sessions::resume(store, &idle.cookie, now() + Duration::minutes(60)).await.unwrap().is_none());
        let ended = &store.audit_log(1).await.unwrap()[0];
        assert_eq!((ended.action.as_str(), ended.detail["why"].as_str()), ("session.end", Some("idle")));

        // Used every twenty minutes, a session still ends twelve hours after sign-in.
        let busy = sessions::sign_in(store, "aino@vnk.example.fi", PASSWORD, HERE, now()).await.unwrap();
        let mut at = now();
        while at < now() + Duration::hours(12) - Duration::minutes(20) {
            at += Duration::minutes(20);
            assert!(sessions::resume(store, &busy.cookie, at).await.unwrap().is_some(), "live at {at}");
        }
        assert!(sessions::resume(store, &busy.cookie, now() + Duration::hours(12)).await.unwrap().is_none());
        assert_eq!(store.audit_log(1).await.unwrap()[0].detail["why"], "expired");

        let live = sessions::sign_in(store, "aino@vnk.example.fi", PASSWORD, HERE, now()).await.unwrap();
        let hash = Password::new("seitsemän veljestä metsässä").unwrap().hash().unwrap();
        store.set_password(&email, &hash, &Actor("cli:admin".into()), now() + Duration::minutes(1)).await.unwrap();
        assert!(
            sessions::resume(store, &live.cookie, now() + Duration::minutes(2)).await.unwrap().is_none(),
            "a new password signs her out everywhere"
        );
    }
}
