//! The outbox folder: the zero-configuration transport writes readable `.eml` files.

use briefcast::audience::EmailAddress;
use briefcast::dispatch::message::{Letter, Letterhead, OutgoingMessage, Part};
use briefcast::dispatch::transport::{OutboxTransport, SendError, Transport, transport_from_url};
use briefcast::language::Language;
use briefcast::token::TokenKey;
use mail_parser::MessageParser;
use rand::SeedableRng;
use rand::rngs::StdRng;

fn message(delivery_id: i64) -> OutgoingMessage {
    let letterhead = Letterhead::new(
        "briefcast <news@localhost>",
        "localhost",
        "http://127.0.0.1:8080",
        TokenKey::new("0123456789abcdef0123456789abcdef-test"),
        None,
    )
    .unwrap();
    let to = EmailAddress::parse("aino@example.fi").unwrap();
    let letter = Letter {
        edition_id: briefcast::ids::EditionId(1),
        delivery_id: briefcast::ids::DeliveryId(delivery_id),
        to: &to,
        to_name: Some("Aino"),
        language: Language::En,
        subject: "Weekly facts",
        text: Part::Text("Hello Aino\n"),
        html: Part::Text("<p>Hello Aino</p>"),
        list_name: "Weekly (en)",
        list_id: "weekly.en.localhost.localdomain",
    };
    letterhead
        .compose(
            &letter,
            chrono::Utc::now(),
            &mut StdRng::seed_from_u64(delivery_id as u64),
        )
        .unwrap()
}

#[tokio::test]
async fn zero_configuration_writes_one_readable_eml_per_message() {
    let dir = tempfile::tempdir().unwrap();
    let outbox_dir = dir.path().join("outbox");
    let transport = transport_from_url(None, &outbox_dir, None).unwrap();
    assert_eq!(transport.name(), "outbox");

    let sent: Vec<_> = (1..=3).map(message).collect();
    for m in &sent {
        let receipt = transport.send(m).await.unwrap();
        assert!(receipt.response.starts_with("written to "), "{receipt:?}");
    }

    let mut names: Vec<_> = std::fs::read_dir(&outbox_dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    names.sort();
    assert_eq!(names.len(), 3, "no temporary files are left behind: {names:?}");
    for m in &sent {
        let path = OutboxTransport::new(&outbox_dir).path_for(&m.message_id);
        let bytes = std::fs::read(&path).unwrap();
        assert!(path.extension().is_some_and(|e| e == "eml"));
        let parsed = MessageParser::default().parse(&bytes).unwrap();
        assert_eq!(parsed.message_id(), Some(m.message_id.as_str()));
        assert_eq!(parsed.subject(), Some("Weekly facts"));
        assert_eq!(
            parsed.header_raw("X-Briefcast-Envelope-From").map(str::trim),
            Some(format!("<{}>", m.envelope.mail_from).as_str())
        );
        assert_eq!(
            parsed.header_raw("X-Briefcast-Envelope-To").map(str::trim),
            Some("<aino@example.fi>")
        );
        assert!(bytes.ends_with(&m.bytes), "the message itself is written unchanged");
    }
}

#[tokio::test]
async fn a_folder_that_cannot_be_written_is_a_temporary_failure() {
    let dir = tempfile::tempdir().unwrap();
    // A file where the folder should be: nothing can be created inside it.
    let blocked = dir.path().join("outbox");
    std::fs::write(&blocked, b"not a folder").unwrap();
    let err = OutboxTransport::new(&blocked).send(&message(1)).await.unwrap_err();
    assert!(matches!(err, SendError::Temporary { .. }), "{err:?}");
}
