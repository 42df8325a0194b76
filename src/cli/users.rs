//! `briefcast users …`: the accounts people sign in to the console with.

use std::io::BufRead;

use anyhow::Context;
use clap::Subcommand;
use serde_json::json;

use super::{Output, open_store, when};
use crate::access::{Caller, Role};
use crate::clock::{Clock, SystemClock};
use crate::config::Config;
use crate::language::Language;
use crate::service::accounts::{self, AccountRequest};

#[derive(Debug, Subcommand)]
pub(super) enum UserCommand {
    /// Give someone an account; the password is read from standard input, never an argument
    Add {
        email: String,
        #[arg(long)]
        name: String,
        /// coordinator, approver or ops
        #[arg(long)]
        role: Role,
        /// The console's language for them: fi, sv or en
        #[arg(long, default_value = "fi")]
        language: Language,
        /// Read the password from the first line of standard input
        #[arg(long, required = true)]
        password_stdin: bool,
    },
    /// Every account with its role, language and state; never a password
    List,
    /// Disable an account at once (it is kept, so the audit log still names the person)
    Disable { email: String },
    /// Set a new password, read from standard input
    ResetPassword {
        email: String,
        #[arg(long, required = true)]
        password_stdin: bool,
    },
    /// Take away someone's authenticator app (a lost phone) and sign them out everywhere
    ResetTotp { email: String },
}

pub(super) async fn run(config: &Config, out: Output, command: UserCommand) -> anyhow::Result<()> {
    let store = open_store(config).await?;
    let (store, caller, now) = (store.as_ref(), Caller::cli(), SystemClock.now());
    match command {
        UserCommand::Add {
            email,
            name,
            role,
            language,
            password_stdin: _,
        } => {
            let password = password_from_stdin()?;
            let request = AccountRequest {
                email: &email,
                name: &name,
                role,
                language,
                password: &password,
            };
            let account = accounts::add(store, &caller, request, now).await?;
            out.line(
                json!(account),
                &format!(
                    "{} <{}> can sign in as {} (console in {}).",
                    account.name,
                    account.email,
                    account.role,
                    account.language.code()
                ),
            );
        }
        UserCommand::List => {
            let list = accounts::list(store, &caller).await?;
            if out.json {
                outln!("{}", json!({ "accounts": list }));
            } else if list.is_empty() {
                outln!(
                    "No accounts yet: add one with `briefcast users add EMAIL --name NAME --role ROLE --password-stdin`."
                );
            } else {
                outln!(
                    "{:<32} {:<24} {:<12} {:<4} {:<5} {:<21} {}",
                    "email",
                    "name",
                    "role",
                    "ui",
                    "totp",
                    "created",
                    "disabled"
                );
                for a in &list {
                    outln!(
                        "{:<32} {:<24} {:<12} {:<4} {:<5} {:<21} {}",
                        a.email,
                        a.name,
                        a.role,
                        a.language.code(),
                        if a.second_factor { "yes" } else { "no" },
                        when(Some(a.created_at)),
                        when(a.disabled_at)
                    );
                }
                outln!("{} account(s)", list.len());
            }
        }
        UserCommand::Disable { email } => {
            let account = accounts::disable(store, &caller, &email, now).await?;
            out.line(
                json!(account),
                &format!("{} <{}> is disabled.", account.name, account.email),
            );
        }
        UserCommand::ResetPassword {
            email,
            password_stdin: _,
        } => {
            let password = password_from_stdin()?;
            let account = accounts::reset_password(store, &caller, &email, &password, now).await?;
            out.line(
                json!(account),
                &format!("{} <{}> has a new password.", account.name, account.email),
            );
        }
        UserCommand::ResetTotp { email } => {
            let account = accounts::remove_second_factor(store, &caller, &email, now).await?;
            out.line(
                json!(account),
                &format!(
                    "{} <{}> has no authenticator app now and is signed out; they set up a new one at their next sign-in if their role requires it.",
                    account.name, account.email
                ),
            );
        }
    }
    Ok(())
}

/// The first line of standard input: a password never goes on the command line, where other
/// users of the machine and the shell's history would see it.
fn password_from_stdin() -> anyhow::Result<String> {
    let mut line = String::new();
    std::io::stdin()
        .lock()
        .read_line(&mut line)
        .context("reading the password from standard input")?;
    Ok(line)
}
