//! The minijinja templates of the email, the reader's page and the console, compiled all at
//! once when loaded.

use std::path::Path;

use minijinja::syntax::SyntaxConfig;
use minijinja::{Environment, UndefinedBehavior, Value};

use super::{ContentError, RenderError};

/// Every template briefcast renders (the email, the reader's page, the console), with its
/// built-in copy.
const BUILT_IN: &[(&str, &str)] = &[
    ("edition.html", include_str!("../../content/templates/edition.html")),
    ("edition.txt", include_str!("../../content/templates/edition.txt")),
    ("brief.html", include_str!("../../content/templates/brief.html")),
    ("brief.txt", include_str!("../../content/templates/brief.txt")),
    ("snippet.html", include_str!("../../content/templates/snippet.html")),
    ("snippet.txt", include_str!("../../content/templates/snippet.txt")),
    ("pack_page.html", include_str!("../../content/templates/pack_page.html")),
    (
        "pack_verify.html",
        include_str!("../../content/templates/pack_verify.html"),
    ),
    (
        "subscription.html",
        include_str!("../../content/templates/subscription.html"),
    ),
    (
        "console/layout.html",
        include_str!("../../content/templates/console/layout.html"),
    ),
    (
        "console/sign_in.html",
        include_str!("../../content/templates/console/sign_in.html"),
    ),
    (
        "console/briefs.html",
        include_str!("../../content/templates/console/briefs.html"),
    ),
    (
        "console/brief.html",
        include_str!("../../content/templates/console/brief.html"),
    ),
    (
        "console/new_brief.html",
        include_str!("../../content/templates/console/new_brief.html"),
    ),
    (
        "console/roster.html",
        include_str!("../../content/templates/console/roster.html"),
    ),
    (
        "console/import.html",
        include_str!("../../content/templates/console/import.html"),
    ),
    (
        "console/person.html",
        include_str!("../../content/templates/console/person.html"),
    ),
    (
        "console/message.html",
        include_str!("../../content/templates/console/message.html"),
    ),
    (
        "console/second_factor.html",
        include_str!("../../content/templates/console/second_factor.html"),
    ),
    (
        "console/account.html",
        include_str!("../../content/templates/console/account.html"),
    ),
    (
        "console/audit.html",
        include_str!("../../content/templates/console/audit.html"),
    ),
    (
        "console/segments.html",
        include_str!("../../content/templates/console/segments.html"),
    ),
    (
        "console/accounts.html",
        include_str!("../../content/templates/console/accounts.html"),
    ),
    (
        "console/editor.html",
        include_str!("../../content/templates/console/editor.html"),
    ),
    (
        "console/account_admin.html",
        include_str!("../../content/templates/console/account_admin.html"),
    ),
    (
        "console/schedules.html",
        include_str!("../../content/templates/console/schedules.html"),
    ),
    (
        "console/send_confirm.html",
        include_str!("../../content/templates/console/send_confirm.html"),
    ),
    (
        "console/editions.html",
        include_str!("../../content/templates/console/editions.html"),
    ),
    (
        "console/edition.html",
        include_str!("../../content/templates/console/edition.html"),
    ),
    (
        "console/edition_live.html",
        include_str!("../../content/templates/console/edition_live.html"),
    ),
    (
        "console/edition_confirm.html",
        include_str!("../../content/templates/console/edition_confirm.html"),
    ),
    (
        "console/deliveries.html",
        include_str!("../../content/templates/console/deliveries.html"),
    ),
    (
        "console/resend_confirm.html",
        include_str!("../../content/templates/console/resend_confirm.html"),
    ),
    (
        "console/questions.html",
        include_str!("../../content/templates/console/questions.html"),
    ),
    (
        "console/question.html",
        include_str!("../../content/templates/console/question.html"),
    ),
    (
        "console/you_asked.html",
        include_str!("../../content/templates/console/you_asked.html"),
    ),
    (
        "console/reach.html",
        include_str!("../../content/templates/console/reach.html"),
    ),
    (
        "console/ops.html",
        include_str!("../../content/templates/console/ops.html"),
    ),
];

/// The names of the templates that `content/templates/` may override.
pub fn template_names() -> impl Iterator<Item = &'static str> {
    BUILT_IN.iter().map(|(name, _)| *name)
}

pub struct Templates {
    env: Environment<'static>,
}

impl Templates {
    pub fn embedded() -> Templates {
        let sources = BUILT_IN
            .iter()
            .map(|(name, text)| (*name, format!("(built-in) {name}"), text.to_string()))
            .collect();
        Self::compile(sources).expect("the built-in templates compile")
    }

    /// The templates in `dir`, each file replacing its built-in copy; all are compiled now, and
    /// the first that does not compile is reported with its file and line.
    pub fn load(dir: &Path) -> Result<Templates, ContentError> {
        let mut sources = Vec::new();
        for &(name, built_in) in BUILT_IN {
            let path = dir.join(name);
            match std::fs::read_to_string(&path) {
                Ok(text) => sources.push((name, path.display().to_string(), text)),
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                    sources.push((name, format!("(built-in) {name}"), built_in.to_string()))
                }
                Err(e) => {
                    return Err(ContentError::Read {
                        path: path.display().to_string(),
                        message: e.to_string(),
                    });
                }
            }
        }
        Self::compile(sources)
    }

    fn compile(sources: Vec<(&'static str, String, String)>) -> Result<Templates, ContentError> {
        let mut env = Environment::new();
        // A misspelt variable must fail the render, not leave a hole in an email to thousands.
        env.set_undefined_behavior(UndefinedBehavior::Strict);
        let syntax = SyntaxConfig::builder()
            .trim_blocks(true)
            .lstrip_blocks(true)
            .keep_trailing_newline(true)
            .build()
            .expect("default delimiters are valid");
        env.set_syntax(syntax);
        // A ready-to-post text's lines, each followed by <br> in HTML: a <pre> would not wrap in
        // a mail app that drops the styles.
        env.add_filter("lines", |text: String| {
            text.split('\n').map(str::to_string).collect::<Vec<_>>()
        });
        for (name, path, text) in sources {
            env.add_template_owned(name, text).map_err(|e| ContentError::Syntax {
                path,
                line: e.line(),
                message: e.detail().unwrap_or(&e.kind().to_string()).to_string(),
            })?;
        }
        Ok(Templates { env })
    }

    pub(crate) fn render(&self, name: &str, context: &Value) -> Result<String, RenderError> {
        let template = self.env.get_template(name).map_err(|e| render_error(name, &e))?;
        template.render(context).map_err(|e| render_error(name, &e))
    }
}

fn render_error(name: &str, e: &minijinja::Error) -> RenderError {
    RenderError {
        template: e.name().unwrap_or(name).to_string(),
        line: e.line(),
        message: e.detail().map(str::to_string).unwrap_or_else(|| e.kind().to_string()),
    }
}
