//! What a CAP `Update` or `Cancel` does to the brief drafted from the alert it refers to. The
//! alert's words are the authority's; what briefcast decides is which version of the brief
//! stands: an unsent one is withdrawn, a sent one is corrected (a new draft that, once
//! approved, goes to exactly the readers of the old one, as every correction does).

use chrono::{DateTime, Utc};

use super::briefs::{BriefError, Checked, insert_new};
use crate::access::Caller;
use crate::brief::{self, Brief, BriefStatus, CapMsgType, LanguageBlock};
use crate::feed::Take;
use crate::language::Language;
use crate::pack::Content;
use crate::store::{Store, StoredBrief};

/// Whether `brief` follows up an earlier alert, and so is handled here rather than stored as a
/// brief of its own.
pub fn follows_up(brief: &Brief) -> bool {
    brief
        .meta
        .cap
        .as_ref()
        .is_some_and(|c| matches!(c.msg_type, CapMsgType::Update | CapMsgType::Cancel) && !c.references.is_empty())
}

/// The newest brief drafted from one of the alerts `references` names.
fn referenced<'a>(all: &'a [StoredBrief], references: &[String]) -> Option<&'a StoredBrief> {
    all.iter()
        .filter(|b| {
            b.brief
                .meta
                .cap
                .as_ref()
                .is_some_and(|c| references.contains(&c.identifier))
        })
        .max_by_key(|b| b.id)
}

/// A cancellation's texts: the authority's description of why, under a title that says the
/// warning is cancelled, and one key message that the earlier advice no longer applies. The
/// alert's own instruction is left out: it still carries the cancelled advice.
fn cancellation(content: &Content, mut brief: Brief) -> Brief {
    for language in Language::ALL {
        let Some(block) = brief.block(language).cloned() else {
            continue;
        };
        let strings = &content.strings;
        let title = strings.get_with(
            language,
            "cap-cancelled-title",
            &[("title", block.title.clone().into())],
        );
        let message = strings.get(language, "cap-cancelled-message");
        let text = format!("{title}\n\n{}\n\n{message}", block.summary);
        let drafted = LanguageBlock {
            title: title.clone(),
            summary: block.summary.clone(),
            key_messages: vec![message.clone()],
            instagram: Some(brief::Instagram { caption: text.clone() }),
            tiktok: Some(brief::TikTok { script: text }),
            youtube: Some(brief::YouTube {
                title: title.chars().take(100).collect(),
                talking_points: vec![message.clone()],
                description: None,
            }),
            x: Some(brief::XPost {
                post: title.chars().take(270).collect(),
            }),
            ..block
        };
        *brief.block_mut(language) = Some(drafted);
    }
    brief
}

/// Handles an `Update` or `Cancel`. Every unsent version of the referenced brief is withdrawn;
/// an update becomes the brief's next version, or a correction when a version was sent; a
/// cancellation becomes a correction when a version was sent, and otherwise leaves nothing to
/// approve. An alert that refers to nothing briefcast has seen is kept as a draft of its own,
/// with that said.
pub async fn follow_up(
    store: &dyn Store,
    content: &Content,
    mut brief: Brief,
    caller: &Caller,
    now: DateTime<Utc>,
    take: Option<&Take>,
) -> Result<Checked, BriefError> {
    caller.must_coordinate()?;
    let Some(cap) = brief.meta.cap.clone() else {
        let stored = insert_new(store, &brief, None, &caller.actor, now, take).await?;
        return Ok(Checked::of(content, stored, now));
    };
    let all = store.briefs(None).await?;
    let Some(found) = referenced(&all, &cap.references) else {
        let stored = insert_new(store, &brief, None, &caller.actor, now, take).await?;
        let mut checked = Checked::of(content, stored, now);
        checked.notes.push(format!(
            "refers to {}, which briefcast has not seen: kept as a draft of its own",
            cap.references.join(", ")
        ));
        return Ok(checked);
    };
    let slug = found.brief.meta.slug.clone();
    let mut notes = Vec::new();
    let family: Vec<&StoredBrief> = all.iter().filter(|b| b.brief.meta.slug == slug).collect();
    let sent = family
        .iter()
        .filter(|b| b.status == BriefStatus::Sent)
        .max_by_key(|b| b.id)
        .copied();
    let mut withdrawn = None;
    for version in family.iter().filter(|b| b.status.withdraw().is_ok()) {
        let done = store
            .transition_brief(version.id, version.status, BriefStatus::Withdrawn, &caller.actor, now)
            .await?;
        notes.push(format!(
            "brief {} (version {}) withdrawn: the {} alert replaces it",
            version.id,
            version.version,
            cap.msg_type.to_string().to_lowercase()
        ));
        withdrawn = Some(done);
    }
    brief.meta.slug = slug;
    let brief = match cap.msg_type {
        CapMsgType::Cancel => cancellation(content, brief),
        _ => brief,
    };
    let stored = match (cap.msg_type, sent) {
        (_, Some(sent)) => {
            let corrected = brief::correct(&sent.brief, sent.status, brief)
                .map_err(|error| BriefError::Lifecycle { id: sent.id, error })?;
            notes.push(format!(
                "a correction of brief {}, which was sent: approved, it goes to that brief's readers",
                sent.id
            ));
            insert_new(store, &corrected, Some(sent.id), &caller.actor, now, take).await?
        }
        (CapMsgType::Cancel, None) => {
            // Nothing went out and nothing waits to: the cancellation is done.
            let done = withdrawn.unwrap_or_else(|| found.clone());
            if let Some(take) = take
                && !store.mark_taken(take, Some(done.id), now).await?
            {
                return Err(BriefError::AlreadyTaken(take.key.clone()));
            }
            done
        }
        (_, None) => {
            notes.push(format!("the next version of brief {}", found.id));
            insert_new(store, &brief, None, &caller.actor, now, take).await?
        }
    };
    let mut checked = Checked::of(content, stored, now);
    checked.notes = notes;
    Ok(checked)
}
