//! Files that hold personal data or secrets (the database and its WAL, the outbox, the link
//! secret): readable by the daemon's own user only, 0600 in folders of 0700.

use std::fs::{File, OpenOptions};
use std::io;
use std::path::Path;

#[cfg(unix)]
use std::os::unix::fs::{DirBuilderExt, OpenOptionsExt, PermissionsExt};

/// Creates `dir` and any missing parents as 0700; a folder that exists keeps its mode, since
/// the operator chose it.
pub fn create_private_dir_all(dir: &Path) -> io::Result<()> {
    let mut builder = std::fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    builder.mode(0o700);
    builder.create(dir)
}

/// A new file, 0600 from its first byte.
pub fn create_private_new(path: &Path) -> io::Result<File> {
    let mut options = OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    options.mode(0o600);
    options.open(path)
}

/// Makes an existing file 0600, if it exists.
pub fn restrict(path: &Path) -> io::Result<()> {
    #[cfg(unix)]
    match std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600)) {
        Err(e) if e.kind() == io::ErrorKind::NotFound => {}
        other => return other,
    }
    Ok(())
}
