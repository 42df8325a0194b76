//! Accounts in the store, on both databases: made once per address, listed without their
//! hashes, disabled and given new passwords, each audited with who did it.

use briefcast::access::{Actor, Role};
use briefcast::account::{NewAccount, Password};
use briefcast::audience::EmailAddress;
use briefcast::language::Language;
use briefcast::store::StoreError;

use crate::common::now;

fn aino() -> NewAccount {
    NewAccount {
        email: EmailAddress::parse("Aino.Koordinaattori@VNK.example.fi").unwrap(),
        name: "Aino Koordinaattori".into(),
        role: Role::Coordinator,
        language: Language::Fi,
    }
}

each_backend! {
    async fn an_account_is_made_once_per_address_and_listed_without_its_hash(b) {
        let store = b.store.as_ref();
        let approver = Actor("cli:ops-admin".into());
        let hash = Password::new("kuusi kurkea kukkulalla").unwrap().hash().unwrap();
        store.create_account(&aino(), &hash, &approver, now()).await.unwrap();

        let again = store.create_account(&aino(), &hash, &approver, now()).await.unwrap_err();
        assert!(matches!(again, StoreError::Conflict { field: "email", .. }), "{again}");

        let listed = store.accounts().await.unwrap();
        assert_eq!(listed.len(), 1);
        assert_eq!(listed[0].email, "aino.koordinaattori@vnk.example.fi");
        assert_eq!((listed[0].role, listed[0].language), (Role::Coordinator, Language::Fi));
        assert_eq!(listed[0].disabled_at, None);
        let json = serde_json::to_string(&listed).unwrap();
        assert!(!json.contains("argon2"), "no hash in a listing: {json}");

        let stored = store.account(&aino().email).await.unwrap().unwrap();
        assert!(Password::new("kuusi kurkea kukkulalla").unwrap().matches(&stored.password_hash));

        let audit = store.audit_log(10).await.unwrap();
        assert_eq!(audit[0].action, "account.create");
        assert_eq!(audit[0].actor, "cli:ops-admin");
        assert_eq!(audit[0].subject, "account:aino.koordinaattori@vnk.example.fi");
        assert!(!audit[0].detail.to_string().contains("argon2"));
    }

    async fn a_disabled_account_keeps_its_address_and_a_new_password_replaces_the_old(b) {
        let store = b.store.as_ref();
        let actor = Actor("cli:ops-admin".into());
        let first = Password::new("kuusi kurkea kukkulalla").unwrap();
        store.create_account(&aino(), &first.hash().unwrap(), &actor, now()).await.unwrap();

        let second = Password::new("seitsemän veljestä metsässä").unwrap();
        let later = now() + chrono::Duration::hours(1);
        let changed = store.set_password(&aino().email, &second.hash().unwrap(), &actor, later).await.unwrap();
        assert_eq!(changed.password_changed_at, later);
        let stored = store.account(&aino().email).await.unwrap().unwrap();
        assert!(second.matches(&stored.password_hash) && !first.matches(&stored.password_hash));

        let disabled = store.disable_account(&aino().email, &actor, later).await.unwrap();
        assert_eq!(disabled.disabled_at, Some(later));
        let again = store.disable_account(&aino().email, &actor, later + chrono::Duration::hours(1)).await.unwrap();
        assert_eq!(again.disabled_at, Some(later), "disabling twice changes nothing");
        let reused = store.create_account(&aino(), &first.hash().unwrap(), &actor, later).await.unwrap_err();
        assert!(matches!(reused, StoreError::Conflict { .. }), "{reused}");

        let nobody = EmailAddress::parse("nobody@vnk.example.fi").unwrap();
        assert!(matches!(
            store.disable_account(&nobody, &actor, later).await.unwrap_err(),
            StoreError::NotFound { .. }
        ));
        let actions: Vec<String> = store.audit_log(10).await.unwrap().into_iter().map(|e| e.action).collect();
        assert_eq!(actions, ["account.disable", "account.password", "account.create"]);
    }
}
