//! The README's "A first session", run as written: the commands of its first `sh` block, in
//! order, in one bash, in a fresh folder beside the project's `content/`, with `briefcast` on the
//! PATH. Lines starting with `#` under a command are its documented output, and the command must
//! print each of them. So the README cannot drift from the program.
//!
//! Two things differ from a person at a terminal, and only these: the daemon listens on a free
//! port, so every `127.0.0.1:8080` in the block is read as that address; and once the block has
//! started the daemon in the background (`… &`), a command is run again until it succeeds and
//! shows its documented output, because the daemon sends and receives at its own pace.

use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

const README: &str = include_str!("../../README.md");
const DONE: &str = "__briefcast_readme_done__";

/// One command of the block and the output documented under it.
#[derive(Debug)]
struct Step {
    command: String,
    shows: Vec<String>,
}

/// The first `sh` block after the heading, as steps.
fn first_session(readme: &str) -> Vec<Step> {
    let section = readme
        .split_once("## A first session")
        .expect("the README has a first session")
        .1;
    let block = section
        .split_once("```sh\n")
        .and_then(|(_, rest)| rest.split_once("```"))
        .expect("a sh block")
        .0;
    let mut steps: Vec<Step> = Vec::new();
    for line in block.lines() {
        if let Some(shown) = line.strip_prefix("#  ") {
            let step = steps.last_mut().expect("documented output follows a command");
            step.shows.push(shown.trim().to_string());
        } else if !line.trim().is_empty() && !line.starts_with('#') {
            steps.push(Step {
                command: line.to_string(),
                shows: Vec::new(),
            });
        }
    }
    steps
}

/// A bash that keeps its variables and jobs between commands, as a terminal does.
struct Shell {
    child: Child,
    stdin: ChildStdin,
    lines: mpsc::Receiver<String>,
}

impl Shell {
    fn start(dir: &Path, bin: &Path, addr: &str) -> Shell {
        let path = format!("{}:{}", bin.display(), std::env::var("PATH").unwrap_or_default());
        let mut child = Command::new("bash")
            .arg("--norc")
            .current_dir(dir)
            .env("PATH", path)
            .env("BRIEFCAST_HTTP_ADDR", addr)
            .env_remove("BRIEFCAST_DATABASE_URL")
            .env("RUST_LOG", "warn")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("bash");
        let stdin = child.stdin.take().unwrap();
        let (tx, lines) = mpsc::channel();
        forward(child.stdout.take().unwrap(), tx.clone());
        forward(child.stderr.take().unwrap(), tx);
        Shell { child, stdin, lines }
    }

    /// Runs one command line; its output (stdout and stderr) and exit status.
    fn run(&mut self, command: &str, deadline: Instant) -> (String, Option<i32>) {
        writeln!(self.stdin, "{command}\necho \"{DONE} $?\"").unwrap();
        self.stdin.flush().unwrap();
        let mut output = String::new();
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.lines.recv_timeout(left) {
                // Output without a final newline (curl's) shares its line with the marker.
                Ok(line) => match line.split_once(DONE) {
                    Some((last, status)) => {
                        output.push_str(last);
                        return (output, status.trim().parse().ok());
                    }
                    None => {
                        output.push_str(&line);
                        output.push('\n');
                    }
                },
                Err(_) => return (output, None),
            }
        }
    }
}

impl Drop for Shell {
    fn drop(&mut self) {
        // Whatever the block left running goes with the test.
        let _ = writeln!(self.stdin, "kill $(jobs -p) 2>/dev/null; exit");
        let _ = self.child.wait();
    }
}

fn forward(from: impl std::io::Read + Send + 'static, to: mpsc::Sender<String>) {
    std::thread::spawn(move || {
        for line in BufReader::new(from).lines().map_while(Result::ok) {
            if to.send(line).is_err() {
                break;
            }
        }
    });
}

fn free_addr() -> String {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    listener.local_addr().unwrap().to_string()
}

#[test]
fn the_readme_first_session_runs_as_written() {
    let steps = first_session(README);
    assert!(steps.len() >= 10, "the first session lost its commands: {steps:?}");
    let dir = tempfile::tempdir().unwrap();
    std::os::unix::fs::symlink(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("content"),
        dir.path().join("content"),
    )
    .unwrap();
    let bin: PathBuf = dir.path().join("bin");
    std::fs::create_dir(&bin).unwrap();
    std::os::unix::fs::symlink(env!("CARGO_BIN_EXE_briefcast"), bin.join("briefcast")).unwrap();
    let addr = free_addr();
    let mut shell = Shell::start(dir.path(), &bin, &addr);

    let mut daemon_started = false;
    for step in &steps {
        let command = step.command.replace("127.0.0.1:8080", &addr);
        let deadline = Instant::now() + Duration::from_secs(90);
        loop {
            let (output, status) = shell.run(&command, deadline);
            let missing: Vec<&String> = step.shows.iter().filter(|s| !output.contains(s.as_str())).collect();
            if status == Some(0) && missing.is_empty() {
                break;
            }
            assert!(
                daemon_started && Instant::now() < deadline,
                "`{}` exited {status:?}; missing {missing:?} in:\n{output}",
                step.command
            );
            std::thread::sleep(Duration::from_millis(200));
        }
        let bare = command
            .split_once("  #")
            .map_or(command.as_str(), |(c, _)| c)
            .trim_end();
        daemon_started |= bare.ends_with('&') && !bare.ends_with("&&");
    }
}

#[test]
fn the_readme_opens_with_the_two_commands() {
    let first_block = README
        .split_once("```sh\n")
        .and_then(|(_, rest)| rest.split_once("```"))
        .expect("a first sh block")
        .0;
    let commands: Vec<&str> = first_block
        .lines()
        .map(|l| l.split_once('#').map_or(l, |(c, _)| c).trim())
        .filter(|l| !l.is_empty())
        .collect();
    assert_eq!(commands, ["cargo run --release -- serve --demo", "cargo test"]);
}
