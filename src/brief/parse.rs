//! Reading a brief from TOML or JSON, with errors that say where: the field path, and the line
//! and column in the text.

use std::fmt;
use std::path::Path;

use super::Brief;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BriefFormat {
    Toml,
    Json,
    /// An OASIS CAP 1.2 alert (XML).
    Cap,
}

impl BriefFormat {
    /// The format a file name implies: `.json` is JSON, `.xml` and `.cap` a CAP alert, anything
    /// else TOML.
    pub fn of_path(path: &Path) -> BriefFormat {
        match path.extension().and_then(|e| e.to_str()) {
            Some(ext) if ext.eq_ignore_ascii_case("json") => BriefFormat::Json,
            Some(ext) if ext.eq_ignore_ascii_case("xml") || ext.eq_ignore_ascii_case("cap") => BriefFormat::Cap,
            _ => BriefFormat::Toml,
        }
    }
}

/// A brief that could not be read. `path` is the field (`fi.instagram.caption`) when the error
/// belongs to one; `origin` is the file name when the brief came from a file.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub struct ParseError {
    pub origin: Option<String>,
    pub path: Option<String>,
    pub line: Option<usize>,
    pub column: Option<usize>,
    pub message: String,
}

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(origin) = &self.origin {
            write!(f, "{origin}")?;
            if let Some(line) = self.line {
                write!(f, ":{line}")?;
                if let Some(column) = self.column {
                    write!(f, ":{column}")?;
                }
            }
            f.write_str(": ")?;
        } else if let Some(line) = self.line {
            write!(f, "line {line}, column {}: ", self.column.unwrap_or(1))?;
        }
        if let Some(path) = &self.path {
            write!(f, "{path}: ")?;
        }
        f.write_str(&self.message)
    }
}

impl Brief {
    pub fn from_toml(text: &str) -> Result<Brief, ParseError> {
        let de = toml::de::Deserializer::parse(text).map_err(|e| toml_error(text, None, &e))?;
        serde_path_to_error::deserialize(de).map_err(|e| toml_error(text, field_path(e.path()), e.inner()))
    }

    pub fn from_json(text: &str) -> Result<Brief, ParseError> {
        let mut de = serde_json::Deserializer::from_str(text);
        let brief: Brief = serde_path_to_error::deserialize(&mut de).map_err(|e| {
            let inner = e.inner();
            ParseError {
                origin: None,
                path: field_path(e.path()),
                line: Some(inner.line()).filter(|l| *l > 0),
                column: Some(inner.column()).filter(|_| inner.line() > 0),
                message: strip_position(&inner.to_string()),
            }
        })?;
        de.end().map_err(|e| ParseError {
            origin: None,
            path: None,
            line: Some(e.line()),
            column: Some(e.column()),
            message: strip_position(&e.to_string()),
        })?;
        Ok(brief)
    }

    pub fn parse(text: &str, format: BriefFormat) -> Result<Brief, ParseError> {
        match format {
            BriefFormat::Toml => Brief::from_toml(text),
            BriefFormat::Json => Brief::from_json(text),
            BriefFormat::Cap => Brief::from_cap(text),
        }
    }

    /// Reads a brief file; the format follows the extension, and errors name the file.
    pub fn load(path: &Path) -> Result<Brief, ParseError> {
        let origin = Some(path.display().to_string());
        let text = std::fs::read_to_string(path).map_err(|e| ParseError {
            origin: origin.clone(),
            path: None,
            line: None,
            column: None,
            message: format!("cannot read the file: {e}"),
        })?;
        Brief::parse(&text, BriefFormat::of_path(path)).map_err(|e| ParseError { origin, ..e })
    }
}

fn field_path(path: &serde_path_to_error::Path) -> Option<String> {
    let shown = path.to_string();
    (shown != ".").then_some(shown)
}

fn toml_error(text: &str, path: Option<String>, error: &toml::de::Error) -> ParseError {
    let (line, column) = match error.span() {
        Some(span) => {
            let before = &text[..span.start.min(text.len())];
            let line = before.matches('\n').count() + 1;
            let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
            (Some(line), Some(column))
        }
        None => (None, None),
    };
    ParseError {
        origin: None,
        path,
        line,
        column,
        message: error.message().trim().to_string(),
    }
}

/// serde_json appends " at line L column C"; the position is reported in its own fields.
fn strip_position(message: &str) -> String {
    match message.rfind(" at line ") {
        Some(i) => message[..i].to_string(),
        None => message.to_string(),
    }
}
