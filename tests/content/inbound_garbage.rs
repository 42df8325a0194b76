//! Bad input gets an error or a best-effort reading, never a panic.

use std::fs;
use std::path::Path;

use briefcast::inbound::{ParseError, Reply, ReplyKind};

#[test]
fn empty_and_headerless_input_is_refused_with_a_reason() {
    assert_eq!(Reply::parse(b""), Err(ParseError::Empty));
    assert_eq!(Reply::parse(b"  \r\n\r\n"), Err(ParseError::Empty));
    assert_eq!(
        Reply::parse(b"\r\n\r\njust a body, no header fields"),
        Err(ParseError::NoHeaders)
    );
}

#[test]
fn every_truncation_of_every_golden_message_parses_or_is_refused() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/golden/replies");
    for entry in fs::read_dir(root).unwrap() {
        let raw = fs::read(entry.unwrap().path().join("message.eml")).unwrap();
        // Every byte length would take long in debug builds; a prime step still cuts through
        // headers, boundaries, encoded words and multi-byte characters.
        for end in (0..raw.len()).step_by(7) {
            let _ = Reply::parse(&raw[..end]);
        }
    }
}

#[test]
fn scrambled_bytes_never_panic() {
    // A fixed xorshift sequence: reproducible, no dependency on a random source.
    let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut next = || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    let template =
        fs::read(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/golden/replies/05-bounce-dsn/message.eml")).unwrap();
    for _ in 0..300 {
        let mut raw = template.clone();
        for _ in 0..20 {
            let at = (next() as usize) % raw.len();
            raw[at] = (next() & 0xff) as u8;
        }
        let _ = Reply::parse(&raw);
    }
}

#[test]
fn undeclared_eight_bit_and_unknown_charsets_are_read_best_effort() {
    let raw = b"From: a@example.com\r\nTo: questions+Tok3n@replies.example.fi\r\nSubject: Re: x\r\n\
                Content-Type: text/plain; charset=x-unknown-charset\r\n\r\nOnko s\xe4hk\xf6 poikki?\r\n";
    let reply = Reply::parse(raw).expect("a message with a strange charset still parses");
    match reply.kind {
        ReplyKind::Question(question) => assert!(question.text.starts_with("Onko s"), "{}", question.text),
        other => panic!("expected a question, got {other:?}"),
    }
    assert_eq!(reply.keys.tokens[0].token, "Tok3n");
}

#[test]
fn a_report_without_a_status_part_is_never_a_question() {
    let raw = b"From: MAILER-DAEMON@mx.example.org\r\nTo: bounces+Tok3n@replies.example.fi\r\nReturn-Path: <>\r\n\
                Subject: failure notice\r\n\r\nHi. This is the qmail-send program. I'm afraid I wasn't able to deliver.\r\n";
    let reply = Reply::parse(raw).unwrap();
    assert!(matches!(reply.kind, ReplyKind::AutoReply(_)), "{:?}", reply.kind);
}
