//! Who sends the editions, by the name readers of each language know them by: in `From` and in
//! the band at the top of every email. In a crisis, when fake "official" messages circulate,
//! readers must recognise the sender at a glance, in their own language.

use crate::config::Config;
use crate::language::Language;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SenderNames {
    fi: String,
    sv: String,
    en: String,
}

impl Default for SenderNames {
    fn default() -> Self {
        SenderNames::same("briefcast")
    }
}

impl SenderNames {
    pub fn same(name: &str) -> SenderNames {
        SenderNames {
            fi: name.to_string(),
            sv: name.to_string(),
            en: name.to_string(),
        }
    }

    pub fn get(&self, language: Language) -> &str {
        match language {
            Language::Fi => &self.fi,
            Language::Sv => &self.sv,
            Language::En => &self.en,
        }
    }

    /// `sender_name_fi`, `_sv` and `_en`; one left unset is the display name of `from` (its
    /// address when it has none).
    pub fn from_config(config: &Config) -> SenderNames {
        // Read as the letterhead reads it; a `from` it refuses stops the start there.
        let fallback = match config.from.parse::<lettre::message::Mailbox>() {
            Ok(mailbox) => mailbox.name.unwrap_or_else(|| mailbox.email.to_string()),
            Err(_) => config.from.trim().to_string(),
        };
        let or_fallback = |name: &Option<String>| name.clone().unwrap_or_else(|| fallback.clone());
        SenderNames {
            fi: or_fallback(&config.sender_name_fi),
            sv: or_fallback(&config.sender_name_sv),
            en: or_fallback(&config.sender_name_en),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_language_has_its_name_and_the_name_in_from_stands_in() {
        let env = |pairs: &[(&str, &str)]| {
            pairs
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect::<Vec<_>>()
        };
        let config = Config::from_sources(
            None,
            env(&[
                ("BRIEFCAST_FROM", "\"Valtioneuvosto\" <news@vnk.example.fi>"),
                ("BRIEFCAST_SENDER_NAME_SV", "Statsrådets kansli"),
            ]),
        )
        .unwrap();
        let names = SenderNames::from_config(&config);
        assert_eq!(names.get(Language::Sv), "Statsrådets kansli");
        assert_eq!(names.get(Language::Fi), "Valtioneuvosto");
        let bare = Config::from_sources(None, env(&[("BRIEFCAST_FROM", "news@vnk.example.fi")])).unwrap();
        assert_eq!(SenderNames::from_config(&bare).get(Language::En), "news@vnk.example.fi");
    }
}
