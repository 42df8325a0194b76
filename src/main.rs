use clap::Parser;

fn main() -> std::process::ExitCode {
    keep_large_blocks_returnable();
    let runtime = match tokio::runtime::Builder::new_multi_thread().enable_all().build() {
        Ok(runtime) => runtime,
        Err(error) => {
            eprintln!("error: starting the async runtime: {error}");
            return std::process::ExitCode::FAILURE;
        }
    };
    let cli = briefcast::cli::Cli::parse();
    match runtime.block_on(cli.run()) {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: {error:#}");
            std::process::ExitCode::FAILURE
        }
    }
}

/// glibc raises its mmap threshold to the size of the largest block freed (up to 32 MB); after
/// that, a 24 MB request body comes from a heap arena, and its pages stay with the process once
/// it is freed: after twenty large inbound messages the daemon held 730 MB. A fixed threshold
/// gives every block of 1 MB or more its own mapping, which goes back to the system when freed,
/// so memory returns to its working size after large bodies.
#[cfg(all(target_os = "linux", target_env = "gnu"))]
fn keep_large_blocks_returnable() {
    // SAFETY: mallopt only sets an allocator parameter; it is called before any other thread
    // exists, so nothing allocates concurrently.
    unsafe {
        libc::mallopt(libc::M_MMAP_THRESHOLD, 1 << 20);
    }
}

#[cfg(not(all(target_os = "linux", target_env = "gnu")))]
fn keep_large_blocks_returnable() {}
