//! The outbox folder: every message becomes `<dir>/<message-id>.eml`, the zero-configuration
//! default, so a newcomer can open what briefcast would have sent in any mail program.
//!
//! The envelope is written into the file itself, as two header lines above the message:
//! `X-Briefcast-Envelope-From` and `X-Briefcast-Envelope-To`. One file per message cannot
//! lose its sidecar, and mail programs show such lines as ordinary headers. They sit outside
//! the DKIM-signed set, as trace headers that an MTA prepends would.

use std::io::Write;
use std::path::{Path, PathBuf};

use async_trait::async_trait;

use super::{SendError, SendReceipt, Transport};
use crate::dispatch::message::OutgoingMessage;

#[derive(Debug, Clone)]
pub struct OutboxTransport {
    dir: PathBuf,
}

impl OutboxTransport {
    pub fn new(dir: impl Into<PathBuf>) -> OutboxTransport {
        OutboxTransport { dir: dir.into() }
    }

    /// Where the message with this id is (or would be) written.
    pub fn path_for(&self, message_id: &str) -> PathBuf {
        self.dir.join(format!("{}.eml", file_stem(message_id)))
    }
}

/// A message id as a file name: characters outside a safe set become `_`, so an id can neither
/// climb out of the folder nor trip over a file system's reserved characters.
fn file_stem(message_id: &str) -> String {
    let stem: String = message_id
        .trim_matches(['<', '>'])
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || ".-_+@".contains(c) {
                c
            } else {
                '_'
            }
        })
        .collect();
    // A leading dot would hide the file, and `..` must never be a whole name.
    format!("m{stem}")
}

fn write_atomically(dir: &Path, target: &Path, contents: &[u8]) -> std::io::Result<()> {
    crate::files::create_private_dir_all(dir)?;
    let temp = dir.join(format!(".{:016x}.tmp", rand::random::<u64>()));
    let result = (|| {
        let mut file = crate::files::create_private_new(&temp)?;
        file.write_all(contents)?;
        // The data must be on disk before the name is: a crash after the rename then shows the
        // whole file, a crash before it leaves only a hidden .tmp.
        file.sync_all()?;
        std::fs::rename(&temp, target)
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&temp);
    }
    result?;
    // Make the rename itself durable.
    #[cfg(unix)]
    std::fs::File::open(dir)?.sync_all()?;
    Ok(())
}

#[async_trait]
impl Transport for OutboxTransport {
    fn name(&self) -> &'static str {
        "outbox"
    }

    async fn send(&self, message: &OutgoingMessage) -> Result<SendReceipt, SendError> {
        let mut contents = format!(
            "X-Briefcast-Envelope-From: <{}>\r\nX-Briefcast-Envelope-To: <{}>\r\n",
            message.envelope.mail_from, message.envelope.rcpt_to
        )
        .into_bytes();
        contents.extend_from_slice(&message.bytes);
        let dir = self.dir.clone();
        let target = self.path_for(&message.message_id);
        let written = target.clone();
        let result = tokio::task::spawn_blocking(move || write_atomically(&dir, &target, &contents)).await;
        match result {
            Ok(Ok(())) => Ok(SendReceipt {
                response: format!("written to {}", written.display()),
            }),
            // A full disk or a permission problem may be fixed by ops; keep the delivery queued.
            Ok(Err(e)) => Err(SendError::Temporary {
                response: format!("writing {}: {e}", written.display()),
            }),
            Err(e) => Err(SendError::Temporary {
                response: format!("writing {}: {e}", written.display()),
            }),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn message_ids_cannot_escape_the_folder() {
        let outbox = OutboxTransport::new("/srv/outbox");
        for id in ["../../etc/passwd", "..", "a/b\\c@d", ".hidden@x"] {
            let path = outbox.path_for(id);
            assert_eq!(path.parent(), Some(Path::new("/srv/outbox")), "{id}");
            let name = path.file_name().unwrap().to_str().unwrap();
            assert!(!name.starts_with('.') && !name.contains('/'), "{name}");
        }
        assert_eq!(
            outbox.path_for("<7.42.00ff@vnk.example.fi>"),
            Path::new("/srv/outbox/m7.42.00ff@vnk.example.fi.eml")
        );
    }
}
