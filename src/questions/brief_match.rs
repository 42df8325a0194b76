//! Which brief of an edition a reply is about.

use crate::ids::BriefId;

/// Kept simple on purpose: the brief whose title (in any language) the subject contains, the
/// longest such title winning so that "Storm" does not take a reply about "Storm: water";
/// otherwise the edition's first brief, which is its lead story. `briefs` are (id, the brief's
/// stored JSON document) in edition order; titles are read from every `title` string in it,
/// so the lookup does not depend on the document's exact layout.
pub fn brief_for_subject(subject: Option<&str>, briefs: &[(BriefId, String)]) -> Option<BriefId> {
    let subject = subject.unwrap_or_default().to_lowercase();
    let mut best: Option<(usize, BriefId)> = None;
    if !subject.is_empty() {
        for (id, document) in briefs {
            let Ok(value) = serde_json::from_str::<serde_json::Value>(document) else {
                continue;
            };
            let mut titles = Vec::new();
            collect_titles(&value, &mut titles);
            for title in titles {
                let title = title.trim().to_lowercase();
                let longer = best.is_none_or(|(len, _)| title.chars().count() > len);
                if !title.is_empty() && subject.contains(&title) && longer {
                    best = Some((title.chars().count(), *id));
                }
            }
        }
    }
    best.map(|(_, id)| id).or_else(|| briefs.first().map(|(id, _)| *id))
}

fn collect_titles<'a>(value: &'a serde_json::Value, out: &mut Vec<&'a str>) {
    match value {
        serde_json::Value::Object(map) => {
            for (key, inner) in map {
                match inner {
                    serde_json::Value::String(s) if key == "title" => out.push(s),
                    _ => collect_titles(inner, out),
                }
            }
        }
        serde_json::Value::Array(items) => items.iter().for_each(|item| collect_titles(item, out)),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn brief(id: i64, fi: &str, en: &str) -> (BriefId, String) {
        (
            BriefId(id),
            serde_json::json!({ "fi": { "title": fi }, "en": { "title": en } }).to_string(),
        )
    }

    #[test]
    fn the_subject_names_the_brief_else_the_lead_story() {
        let briefs = [
            brief(1, "Sähkökatkot", "Power cuts"),
            brief(2, "Varaudu myrskyyn", "Get ready for the storm"),
        ];
        assert_eq!(
            brief_for_subject(Some("Re: Get ready for the STORM"), &briefs),
            Some(BriefId(2))
        );
        assert_eq!(
            brief_for_subject(Some("VS: Varaudu myrskyyn: pärjää"), &briefs),
            Some(BriefId(2))
        );
        assert_eq!(brief_for_subject(Some("Kysymys"), &briefs), Some(BriefId(1)));
        assert_eq!(brief_for_subject(None, &briefs), Some(BriefId(1)));
        assert_eq!(brief_for_subject(Some("x"), &[]), None);
    }

    #[test]
    fn the_longest_title_wins() {
        let briefs = [brief(1, "Myrsky", "Storm"), brief(2, "Myrsky: vesi", "Storm: water")];
        assert_eq!(
            brief_for_subject(Some("Re: Storm: water at home"), &briefs),
            Some(BriefId(2))
        );
    }
}
