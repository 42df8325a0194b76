//! Every word of a pack that is not brief text: Fluent messages per language, plus the dates
//! and numbers formatted per locale before they reach Fluent (Fluent in Rust has no dates).

use std::collections::BTreeSet;
use std::path::Path;

use chrono::{DateTime, Datelike, Timelike, Utc};
use chrono_tz::Europe::Helsinki;
use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource, FluentValue};
use unic_langid::LanguageIdentifier;

use super::ContentError;
use crate::brief::group_digits;
use crate::language::Language;

const EMBEDDED: [(Language, [(&str, &str); 3]); 3] = [
    (
        Language::Fi,
        [
            ("pack.ftl", include_str!("../../locales/fi/pack.ftl")),
            ("pages.ftl", include_str!("../../locales/fi/pages.ftl")),
            ("console.ftl", include_str!("../../locales/fi/console.ftl")),
        ],
    ),
    (
        Language::Sv,
        [
            ("pack.ftl", include_str!("../../locales/sv/pack.ftl")),
            ("pages.ftl", include_str!("../../locales/sv/pages.ftl")),
            ("console.ftl", include_str!("../../locales/sv/console.ftl")),
        ],
    ),
    (
        Language::En,
        [
            ("pack.ftl", include_str!("../../locales/en/pack.ftl")),
            ("pages.ftl", include_str!("../../locales/en/pages.ftl")),
            ("console.ftl", include_str!("../../locales/en/console.ftl")),
        ],
    ),
];

/// Every message id the code asks for. Loading fails when a locale lacks one of them.
pub const MESSAGE_IDS: &[&str] = &[
    "cap-cancelled-title",
    "cap-cancelled-message",
    "edition-heading",
    "greeting",
    "greeting-named",
    "toc-heading",
    "urgent-marker",
    "correction-marker",
    "correction-note",
    "subject-urgent",
    "subject-correction",
    "fallback-note",
    "brief-from",
    "brief-contact",
    "valid-until",
    "key-messages",
    "do-heading",
    "dont-heading",
    "facts-heading",
    "source-label",
    "check-source",
    "snippets-heading",
    "instagram-caption",
    "instagram-links-note",
    "tiktok-script",
    "youtube-title",
    "youtube-talking-points",
    "youtube-description",
    "x-post",
    "also-for",
    "web-version",
    "questions-received",
    "ask-heading",
    "ask-reply",
    "ask-link",
    "copy-from",
    "copy-to",
    "footer-why",
    "unsubscribe",
    "preferences",
];

/// Every message id the public pack pages ask for; checked on loading as [`MESSAGE_IDS`] are.
pub const PAGE_IDS: &[&str] = &[
    "language-own-name",
    "pack-genuine",
    "pack-withdrawn",
    "pack-corrected",
    "pack-updated",
    "pack-expired",
    "pack-current-link",
    "pack-languages",
    "pack-copy",
    "pack-copied",
    "pack-signed-by",
    "pack-download",
    "pack-key",
    "pack-check",
    "pack-no-tracking",
    "pack-not-found",
    "verify-title",
    "verify-intro",
    "verify-field",
    "verify-submit",
    "verify-too-short",
    "verify-altered",
    "verify-unknown-key",
    "verify-not-found",
    "verify-see-pack",
    "verify-part",
    "verify-within",
    "posts-heading",
    "posts-intro",
    "posts-brief",
    "posts-platform",
    "posts-link",
    "posts-views",
    "posts-views-hint",
    "posts-submit",
    "posts-saved",
    "posts-yours",
    "posts-counted",
    "clicks-counted",
    "posts-views-count",
    "post-error-address",
    "post-error-https",
    "post-error-platform",
    "post-error-post",
    "post-error-brief",
    "post-error-not-sent",
    "post-error-other-platform",
    "post-error-views",
    "post-error-duplicate",
];

/// Every message id the console asks for; checked on loading as [`MESSAGE_IDS`] are.
pub const CONSOLE_IDS: &[&str] = &[
    "console-name",
    "console-skip",
    "console-nav-label",
    "console-nav-briefs",
    "console-signed-in-as",
    "console-sign-out",
    "console-language-label",
    "role-coordinator",
    "role-approver",
    "role-ops",
    "sign-in-title",
    "sign-in-intro",
    "sign-in-email",
    "sign-in-password",
    "sign-in-button",
    "sign-in-refused",
    "sign-in-ended",
    "sign-in-signed-out",
    "sign-in-missing",
    "two-step-title",
    "two-step-code-intro",
    "two-step-code",
    "two-step-code-hint",
    "two-step-continue",
    "two-step-wrong",
    "two-step-enrol-intro",
    "two-step-enrol-scan",
    "two-step-qr-alt",
    "two-step-enrol-key",
    "two-step-enrol-confirm",
    "two-step-start-again",
    "account-title",
    "account-name",
    "account-email",
    "account-role",
    "account-language",
    "account-two-step",
    "account-two-step-on",
    "account-two-step-off",
    "account-two-step-added",
    "account-two-step-lost",
    "account-set-up",
    "console-nav-account",
    "console-cross-site",
    "console-not-found",
    "console-unavailable",
    "console-forbidden",
    "console-needs-coordinator",
    "console-needs-approver",
    "console-needs-ops",
    "briefs-title",
    "briefs-filter-label",
    "briefs-filter-all",
    "briefs-new",
    "briefs-empty",
    "briefs-col-title",
    "briefs-col-status",
    "briefs-col-author",
    "briefs-col-updated",
    "briefs-urgent",
    "briefs-problems",
    "status-draft",
    "status-approved",
    "status-queued",
    "status-sent",
    "status-withdrawn",
    "status-expired",
    "brief-version",
    "brief-author",
    "brief-approved-by",
    "brief-supersedes",
    "brief-problems-heading",
    "brief-no-problems",
    "brief-problem-all-languages",
    "brief-actions-heading",
    "brief-approve",
    "brief-approve-hint",
    "brief-withdraw",
    "brief-withdraw-hint",
    "brief-own",
    "brief-not-approver",
    "brief-approved-notice",
    "brief-withdrawn-notice",
    "brief-added-notice",
    "brief-stale",
    "brief-cannot",
    "brief-preview-heading",
    "brief-preview-held",
    "brief-preview-subject",
    "brief-preview-open",
    "brief-preview-texts",
    "brief-copy",
    "brief-copied",
    "brief-characters",
    "brief-edit-heading",
    "brief-edit-intro",
    "brief-edit-save",
    "brief-edited-notice",
    "new-brief-title",
    "new-brief-intro",
    "new-brief-text",
    "new-brief-file",
    "new-brief-format",
    "new-brief-save",
    "new-brief-empty",
    "new-brief-unreadable",
    "console-nav-roster",
    "roster-title",
    "roster-import-link",
    "roster-filter-language",
    "roster-filter-cadence",
    "roster-filter-segment",
    "roster-filter-any",
    "roster-search",
    "roster-filter-platform",
    "roster-filter-mailed-label",
    "roster-filter-mailed",
    "roster-filter-suppressed",
    "roster-filter-apply",
    "roster-col-name",
    "roster-col-email",
    "roster-col-language",
    "roster-col-cadence",
    "roster-col-platforms",
    "roster-col-followers",
    "roster-empty",
    "roster-page",
    "roster-previous",
    "roster-next",
    "roster-no-segment",
    "import-title",
    "import-intro",
    "import-file",
    "import-submit",
    "import-progress",
    "import-missing",
    "import-failed",
    "import-report-heading",
    "import-counts",
    "import-rejected-heading",
    "import-col-line",
    "import-col-email",
    "import-col-reason",
    "import-download",
    "person-data-heading",
    "person-email",
    "person-language",
    "person-cadence",
    "person-platforms",
    "person-followers",
    "person-topics",
    "person-region",
    "person-tier",
    "person-consent",
    "person-consent-value",
    "person-suppressed",
    "person-history-heading",
    "person-history",
    "person-col-edition",
    "person-col-status",
    "person-col-sent",
    "person-export",
    "person-erase-heading",
    "person-erase-explain",
    "person-erase-confirm",
    "person-erase-button",
    "person-erase-unconfirmed",
    "person-erased-notice",
    "audit-title",
    "audit-intro",
    "audit-family",
    "audit-family-any",
    "audit-family-session",
    "audit-family-account",
    "audit-family-token",
    "audit-family-brief",
    "audit-family-roster",
    "audit-family-influencer",
    "audit-family-segment",
    "audit-family-schedule",
    "audit-family-edition",
    "audit-family-question",
    "audit-family-suppression",
    "audit-actor",
    "audit-subject",
    "audit-col-at",
    "audit-col-actor",
    "audit-col-action",
    "audit-col-subject",
    "audit-col-detail",
    "audit-empty",
    "audit-older",
    "audit-newest",
    "console-nav-audit",
    "segments-title",
    "segments-intro",
    "segments-empty",
    "segments-col-name",
    "segments-col-filter",
    "segments-col-members",
    "segments-col-created",
    "segment-everyone",
    "segment-new-heading",
    "segment-name",
    "segment-name-hint",
    "segment-languages",
    "segment-platforms",
    "segment-cadences",
    "segment-list-hint",
    "segment-tiers",
    "segment-topics",
    "segment-regions",
    "segment-min-followers",
    "segment-max-followers",
    "segment-count",
    "segment-count-button",
    "segment-save",
    "segment-saved-notice",
    "segment-not-saved",
    "segment-error-name",
    "segment-error-taken",
    "segment-error-range",
    "segment-error-number",
    "console-nav-segments",
    "accounts-title",
    "accounts-intro",
    "accounts-col-state",
    "accounts-active",
    "accounts-disabled",
    "accounts-yes",
    "accounts-no",
    "accounts-back",
    "account-add-heading",
    "account-add-password",
    "account-password-hint",
    "account-add-button",
    "account-added-notice",
    "account-not-added",
    "account-error-email",
    "account-error-taken",
    "account-error-name-empty",
    "account-error-name",
    "password-too-short",
    "password-too-long",
    "password-common",
    "password-control",
    "account-reset-heading",
    "account-reset-label",
    "account-reset-hint",
    "account-reset-button",
    "account-reset-notice",
    "account-totp-remove-hint",
    "account-totp-remove-button",
    "account-totp-removed-notice",
    "account-disable-heading",
    "account-disable-confirm",
    "account-disable-button",
    "account-disabled-notice",
    "account-disable-unconfirmed",
    "console-nav-accounts",
    "editor-open",
    "editor-heading",
    "editor-back",
    "editor-intro",
    "editor-languages",
    "editor-title",
    "editor-summary",
    "editor-key-messages",
    "editor-do",
    "editor-dont",
    "editor-instagram",
    "editor-tiktok",
    "editor-youtube-title",
    "editor-youtube-description",
    "editor-x",
    "editor-one-per-line",
    "editor-counter",
    "editor-unit-chars",
    "editor-unit-utf16",
    "editor-unit-bytes",
    "editor-unit-x-weighted",
    "editor-unit-hashtags",
    "editor-check",
    "editor-stale",
    "brief-correct-heading",
    "brief-correct-intro",
    "brief-correct-label",
    "brief-correct-save",
    "brief-correction-notice",
    "account-tokens-heading",
    "account-tokens-intro",
    "account-tokens-none",
    "account-token-label",
    "account-token-create",
    "account-token-new",
    "account-token-revoke",
    "account-token-revoked-notice",
    "account-tokens-col-label",
    "account-tokens-col-created",
    "account-tokens-col-used",
    "account-token-live",
    "account-token-revoked",
    "account-token-never",
    "account-language-choose",
    "account-language-save",
    "account-language-saved",
    "account-password-heading",
    "account-password-current",
    "account-password-new",
    "account-password-new-hint",
    "account-password-change",
    "account-password-wrong",
    "sign-in-password-changed",
    "person-replies",
    "person-col-received",
    "person-col-kind",
    "person-col-channel",
    "problem-no-language",
    "problem-required",
    "problem-slug",
    "problem-meta-source",
    "problem-embargo",
    "problem-cadences",
    "problem-supersedes",
    "problem-hashtag-empty",
    "problem-hashtag-space",
    "problem-hashtag-character",
    "problem-one-line",
    "problem-fact-source",
    "problem-source-scheme",
    "problem-source-link",
    "problem-control",
    "problem-platform-required",
    "problem-forbidden",
    "problem-limit",
    "problem-limit-via",
    "problem-limit-hashtags",
    "editor-meta",
    "editor-slug",
    "editor-slug-hint",
    "editor-source",
    "editor-contact",
    "editor-priority",
    "editor-priority-routine",
    "editor-priority-urgent",
    "editor-cadences",
    "editor-embargo",
    "editor-time-hint",
    "editor-expires",
    "editor-topics",
    "editor-regions",
    "editor-hashtags",
    "editor-words-hint",
    "new-brief-blank-intro",
    "new-brief-blank",
    "console-nav-schedules",
    "console-nav-editions",
    "console-nav-deliveries",
    "cadence-daily",
    "cadence-weekly",
    "cadence-monthly",
    "brief-flash",
    "brief-flash-hint",
    "schedules-title",
    "schedules-intro",
    "schedules-col-name",
    "schedules-col-cadence",
    "schedules-col-segment",
    "schedules-col-next",
    "schedules-col-send",
    "schedules-off",
    "schedules-last-run",
    "schedules-send-now",
    "schedules-empty",
    "send-nothing",
    "send-confirm-title",
    "send-confirm-heading",
    "send-changed",
    "send-confirm-intro",
    "send-confirm-briefs",
    "send-confirm-readers",
    "send-confirm-total",
    "send-confirm-nobody",
    "send-confirm-button",
    "editions-title",
    "editions-intro",
    "editions-col-id",
    "editions-col-kind",
    "editions-col-status",
    "editions-col-briefs",
    "editions-col-readers",
    "editions-col-created",
    "editions-empty",
    "editions-newer",
    "editions-older",
    "edition-title",
    "edition-kind-scheduled",
    "edition-kind-flash",
    "edition-kind-manual",
    "edition-status-sending",
    "edition-status-paused",
    "edition-status-cancelled",
    "edition-status-done",
    "delivery-status-queued",
    "delivery-status-sending",
    "delivery-status-sent",
    "delivery-status-deferred",
    "delivery-status-failed",
    "delivery-status-bounced",
    "delivery-status-suppressed",
    "delivery-status-uncertain",
    "delivery-status-cancelled",
    "delivery-status-expired",
    "edition-action-pause",
    "edition-action-resume",
    "edition-action-cancel",
    "edition-left-unknown",
    "edition-left-minutes",
    "edition-progress-summary",
    "edition-rate",
    "edition-created-notice",
    "edition-paused-notice",
    "edition-resumed-notice",
    "edition-cancelled-notice",
    "edition-confirm-title",
    "edition-confirm-pause",
    "edition-confirm-resume",
    "edition-confirm-cancel",
    "edition-changed",
    "edition-created",
    "edition-finished",
    "edition-correction",
    "edition-deliveries-link",
    "edition-progress-heading",
    "edition-problems-heading",
    "confirm-back",
    "flash-confirm-title",
    "flash-refused-routine",
    "flash-refused-status",
    "flash-refused-embargo",
    "flash-refused-expired",
    "flash-back-to-brief",
    "deliveries-title",
    "deliveries-intro",
    "deliveries-bad-edition",
    "deliveries-bad-status",
    "deliveries-bad-language",
    "deliveries-bad-since",
    "deliveries-bad-until",
    "deliveries-resent-notice",
    "deliveries-none-resent",
    "deliveries-any",
    "deliveries-erased",
    "deliveries-edition",
    "deliveries-status",
    "deliveries-language",
    "deliveries-since",
    "deliveries-until",
    "deliveries-resend-all",
    "deliveries-col-id",
    "deliveries-col-reader",
    "deliveries-col-status",
    "deliveries-col-response",
    "deliveries-col-history",
    "deliveries-attempts",
    "deliveries-resend",
    "deliveries-events",
    "deliveries-empty",
    "resend-title",
    "resend-one",
    "resend-edition",
    "resend-risk-uncertain",
    "resend-audit",
    "resend-risk-accept",
    "resend-button",
    "brief-approve-sends",
    "edition-protect-bounces",
    "edition-protect-policy",
    "editions-protected",
    "brief-no-text-problems",
    "brief-not-actual",
    "cap-heading",
    "cap-status",
    "cap-identifier",
    "cap-sender",
    "cap-sent",
    "cap-references",
    "cap-ignored",
    "cap-drafted",
    "cap-status-actual",
    "cap-status-exercise",
    "cap-status-system",
    "cap-status-test",
    "cap-status-draft",
    "cap-type-alert",
    "cap-type-update",
    "cap-type-cancel",
    "ops-leads",
    "ops-leader-silent",
    "ops-no-leader",
    "roster-suppressed",
    "suppression-erased",
    "suppression-unsubscribed",
    "suppression-bounced",
    "suppression-complained",
    "suppression-manual",
    "desk-mine",
    "question-hand-to",
    "question-hand-nobody",
    "question-hand",
    "question-with",
    "question-done-hand",
    "question-error-colleague",
    "console-nav-ops",
    "ops-title",
    "ops-intro",
    "ops-health",
    "ops-database",
    "ops-ok",
    "ops-down",
    "ops-transport",
    "ops-transport-outbox",
    "ops-imap",
    "ops-imap-none",
    "ops-daemons",
    "ops-alive",
    "ops-silent",
    "ops-last-beat",
    "ops-no-daemons",
    "ops-scheduler",
    "ops-scheduler-how",
    "ops-queue",
    "ops-outcomes",
    "ops-outcomes-desc",
    "ops-as-table",
    "ops-hour",
    "ops-rates",
    "ops-rates-intro",
    "ops-rates-desc",
    "ops-bounce-rate",
    "ops-complaint-rate",
    "ops-lines",
    "ops-attempted",
    "ops-over-line",
    "ops-tokens",
    "ops-token-label",
    "ops-token-owner",
    "ops-token-service",
    "ops-token-used",
    "ops-token-state",
    "ops-token-revoke",
    "ops-token-revoke-label",
    "ops-token-revoked-at",
    "ops-token-revoked",
    "ops-no-tokens",
    "ops-feeds",
    "ops-no-feeds",
    "ops-feed-name",
    "ops-feed-kind-cap",
    "ops-feed-kind-rss",
    "ops-feed-last-poll",
    "ops-feed-last-success",
    "ops-feed-taken",
    "ops-feed-error",
    "ops-feed-never",
    "ops-feed-failures",
    "console-nav-questions",
    "desk-title",
    "desk-intro",
    "desk-you-asked",
    "desk-export",
    "desk-groups",
    "desk-group-counts",
    "desk-no-brief",
    "desk-empty",
    "desk-search",
    "desk-tag",
    "desk-unmatched",
    "desk-none",
    "desk-no-asker",
    "desk-answer",
    "desk-bad-status",
    "desk-bad-brief",
    "desk-bad-language",
    "desk-bad-tag",
    "question-title",
    "question-status-new",
    "question-status-triaged",
    "question-status-forwarded",
    "question-status-answered",
    "question-status-dismissed",
    "question-raw",
    "question-raw-gone",
    "question-show-raw",
    "question-forwarded-to",
    "question-published",
    "question-next-edition",
    "question-work",
    "question-triage",
    "question-triage-hint",
    "question-authority",
    "question-forward",
    "question-answer-text",
    "question-answer-url",
    "question-answer",
    "question-answer-hint",
    "question-dismiss-reason",
    "question-dismiss",
    "question-details",
    "question-tags-add",
    "question-tags-remove",
    "question-tags-save",
    "question-may-name",
    "question-consent-save",
    "question-assign-intro",
    "question-assign-influencer",
    "question-assign-brief",
    "question-assign",
    "question-done-triage",
    "question-done-forward",
    "question-done-answer",
    "question-done-dismiss",
    "question-done-tags",
    "question-done-consent",
    "question-done-assign",
    "question-error-authority",
    "question-error-answer",
    "question-error-url",
    "question-error-moved",
    "question-error-assign",
    "you-asked-title",
    "you-asked-intro",
    "you-asked-none",
];

/// The messages without arguments: templates get them as labels.
pub(crate) const LABEL_IDS: &[&str] = &[
    "ask-heading",
    "ask-reply",
    "ask-link",
    "copy-from",
    "copy-to",
    "you-asked-heading",
    "you-asked-link",
    "toc-heading",
    "urgent-marker",
    "correction-marker",
    "correction-note",
    "key-messages",
    "do-heading",
    "dont-heading",
    "facts-heading",
    "source-label",
    "check-source",
    "snippets-heading",
    "instagram-caption",
    "instagram-links-note",
    "tiktok-script",
    "youtube-title",
    "youtube-talking-points",
    "youtube-description",
    "x-post",
    "web-version",
    "footer-why",
    "unsubscribe",
    "preferences",
];

struct Locale {
    bundle: FluentBundle<FluentResource>,
    ids: BTreeSet<String>,
}

/// The Fluent messages of all three languages.
pub struct Strings {
    locales: [Locale; 3],
}

fn index(language: Language) -> usize {
    match language {
        Language::Fi => 0,
        Language::Sv => 1,
        Language::En => 2,
    }
}

impl Strings {
    /// The strings built into briefcast.
    pub fn embedded() -> Strings {
        let sources = EMBEDDED.map(|(l, files)| (l, built_in(l, files)));
        Self::build(sources).expect("the built-in locales are complete")
    }

    /// Every `*.ftl` file of `locales_dir/<language>/`; a language without a folder keeps the
    /// built-in strings. Fails on a syntax error (naming file and line) or a missing message.
    pub fn load(locales_dir: &Path) -> Result<Strings, ContentError> {
        let mut sources = Vec::new();
        for (language, files) in EMBEDDED {
            let dir = locales_dir.join(language.code());
            if !dir.is_dir() {
                sources.push((language, built_in(language, files)));
                continue;
            }
            let read_err = |e: std::io::Error| ContentError::Read {
                path: dir.display().to_string(),
                message: e.to_string(),
            };
            let mut files: Vec<_> = std::fs::read_dir(&dir)
                .map_err(read_err)?
                .filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| p.extension().is_some_and(|e| e == "ftl"))
                .collect();
            files.sort();
            let mut texts = Vec::new();
            for file in files {
                let text = std::fs::read_to_string(&file).map_err(|e| ContentError::Read {
                    path: file.display().to_string(),
                    message: e.to_string(),
                })?;
                texts.push((file.display().to_string(), text));
            }
            sources.push((language, texts));
        }
        let sources: [(Language, Vec<(String, String)>); 3] = sources
            .try_into()
            .unwrap_or_else(|_| unreachable!("one entry per language"));
        Self::build(sources)
    }

    fn build(sources: [(Language, Vec<(String, String)>); 3]) -> Result<Strings, ContentError> {
        let locales = sources.map(|(language, files)| build_locale(language, files));
        let [fi, sv, en] = locales;
        Ok(Strings {
            locales: [fi?, sv?, en?],
        })
    }

    /// The ids of every message a language defines, to compare locales.
    pub fn message_ids(&self, language: Language) -> &BTreeSet<String> {
        &self.locales[index(language)].ids
    }

    pub fn get(&self, language: Language, id: &str) -> String {
        self.format(language, id, None)
    }

    pub fn get_with(&self, language: Language, id: &str, args: &[(&str, FluentValue<'_>)]) -> String {
        let mut fluent_args = FluentArgs::new();
        for (name, value) in args {
            fluent_args.set(*name, value.clone());
        }
        self.format(language, id, Some(&fluent_args))
    }

    /// A message that may not exist: for templates, which can be overridden and may name an
    /// id the code never checked.
    pub fn lookup(&self, language: Language, id: &str, args: &FluentArgs) -> Option<String> {
        self.try_format(language, id, Some(args))
    }

    fn try_format(&self, language: Language, id: &str, args: Option<&FluentArgs>) -> Option<String> {
        let bundle = &self.locales[index(language)].bundle;
        let pattern = bundle.get_message(id)?.value()?;
        let mut errors = Vec::new();
        Some(bundle.format_pattern(pattern, args, &mut errors).into_owned())
    }

    fn format(&self, language: Language, id: &str, args: Option<&FluentArgs>) -> String {
        // Loading checked every id the code asks for, so a miss is a programming error.
        self.try_format(language, id, args)
            .unwrap_or_else(|| panic!("message `{id}` missing or without a value in {language}"))
    }
}

fn built_in(language: Language, files: [(&str, &str); 3]) -> Vec<(String, String)> {
    files
        .iter()
        .map(|(name, text)| (format!("(built-in) locales/{language}/{name}"), text.to_string()))
        .collect()
}

fn build_locale(language: Language, files: Vec<(String, String)>) -> Result<Locale, ContentError> {
    let langid: LanguageIdentifier = language.locale().parse().expect("locales are valid language tags");
    let mut bundle = FluentBundle::new_concurrent(vec![langid]);
    // Isolation marks would land in plain-text mail as invisible characters; every string
    // here is left-to-right.
    bundle.set_use_isolating(false);
    let mut ids = BTreeSet::new();
    let mut first_file = String::new();
    for (path, text) in files {
        if first_file.is_empty() {
            first_file = path.clone();
        }
        let resource = FluentResource::try_new(text.clone()).map_err(|(_, errors)| {
            let e = &errors[0];
            // The slice starts at the broken entry; the position can run past its line end.
            let start = e.slice.as_ref().map_or(e.pos.start, |s| s.start);
            let line = text[..start.min(text.len())].matches('\n').count() + 1;
            ContentError::Syntax {
                path: path.clone(),
                line: Some(line),
                message: e.kind.to_string(),
            }
        })?;
        for entry in resource.entries() {
            if let fluent_syntax::ast::Entry::Message(m) = entry {
                ids.insert(m.id.name.to_string());
            }
        }
        bundle.add_resource(resource).map_err(|errors| ContentError::Syntax {
            path: path.clone(),
            line: None,
            message: errors.iter().map(ToString::to_string).collect::<Vec<_>>().join("; "),
        })?;
    }
    if let Some(missing) = MESSAGE_IDS
        .iter()
        .chain(CONSOLE_IDS)
        .chain(PAGE_IDS)
        .find(|id| !ids.contains(**id))
    {
        return Err(ContentError::MissingMessage {
            language,
            path: first_file,
            id: missing.to_string(),
        });
    }
    Ok(Locale { bundle, ids })
}

const MONTHS_EN: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// A date and time as readers in `language` write it, in Helsinki time:
/// `23.11.2026 klo 8.00`, `23.11.2026 kl. 8.00`, `23 November 2026, 08:00`.
pub fn format_datetime(language: Language, at: DateTime<Utc>) -> String {
    let t = at.with_timezone(&Helsinki);
    match language {
        Language::Fi => format!("{} klo {}.{:02}", format_date(language, at), t.hour(), t.minute()),
        Language::Sv => format!("{} kl. {}.{:02}", format_date(language, at), t.hour(), t.minute()),
        Language::En => format!("{}, {:02}:{:02}", format_date(language, at), t.hour(), t.minute()),
    }
}

/// A date in Helsinki: `23.11.2026` in Finnish and Swedish, `23 November 2026` in English.
pub fn format_date(language: Language, at: DateTime<Utc>) -> String {
    let t = at.with_timezone(&Helsinki);
    match language {
        Language::Fi | Language::Sv => format!("{}.{}.{}", t.day(), t.month(), t.year()),
        Language::En => format!("{} {} {}", t.day(), MONTHS_EN[t.month0() as usize], t.year()),
    }
}

/// A whole number grouped the local way: `182 000` (no-break space) in Finnish and Swedish,
/// `182,000` in English.
pub fn format_number(language: Language, n: u64) -> String {
    let separator = match language {
        Language::Fi | Language::Sv => "\u{a0}",
        Language::En => ",",
    };
    group_digits(n as usize, separator)
}
