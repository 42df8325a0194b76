# The console: the pages coordinators, approvers and ops sign in to.
console-name = briefcast
console-skip = Skip to content
console-nav-label = Main
console-nav-briefs = Briefs
console-signed-in-as = Signed in as { $name } ({ $role })
console-sign-out = Sign out
console-language-label = Language
role-coordinator = coordinator
role-approver = approver
role-ops = ops

sign-in-title = Sign in
sign-in-intro = Sign in with the email address and password your administrator gave you.
sign-in-email = Email address
sign-in-password = Password
sign-in-button = Sign in
sign-in-refused = Signing in failed: the email address or the password is not right, or there were too many attempts. Check them, or wait 15 minutes and try again.
sign-in-ended = Your session has ended. Sign in again to continue where you were.
sign-in-signed-out = You are signed out.
sign-in-missing = Fill in both the email address and the password.

two-step-title = Two-step sign-in
two-step-code-intro = Open the authenticator app on your phone and type the six-digit code it shows for briefcast.
two-step-code = Code from your app
two-step-code-hint = Six digits. A new code comes every 30 seconds.
two-step-continue = Continue
two-step-wrong = The code is not right, or it has been used already. Type the code your app shows now.
two-step-enrol-intro = Your role needs a second step when you sign in: a code from an authenticator app on your phone, such as FreeOTP, Google Authenticator or Microsoft Authenticator. Set it up once now.
two-step-enrol-scan = 1. In the app, add an account and scan this QR code.
two-step-qr-alt = QR code that adds briefcast to an authenticator app
two-step-enrol-key = If you cannot scan it, type this key into the app instead:
two-step-enrol-confirm = 2. Type the six-digit code the app now shows, to check that it is set up.
two-step-start-again = Start again from the password
account-title = Your account
account-name = Name
account-email = Email address
account-role = Role
account-language = Language of the console
account-two-step = Two-step sign-in
account-two-step-on = On: signing in asks for the code from your app.
account-two-step-off = Off: signing in asks only for your password.
account-two-step-added = Two-step sign-in is on. From now on, signing in also asks for the code from your app.
account-two-step-lost = Lost your phone? Ask an approver to remove the app from your account; you then set up a new one.
account-set-up = Set up two-step sign-in
console-nav-account = Your account

console-cross-site = This request did not come from the console's own page, so it was refused. Go back, reload the page and try again.
console-not-found = There is nothing here. It may have been removed, or the address is mistyped.
console-unavailable = The service is not answering right now. Please try again in a moment.
console-forbidden = Your role ({ $role }) cannot do this. { $needed }
console-needs-coordinator = It needs a coordinator or an approver.
console-needs-approver = It needs an approver.
console-needs-ops = It needs an ops account.

briefs-title = Briefs
briefs-filter-label = Show
briefs-filter-all = All
briefs-new = New brief
briefs-empty = No briefs here yet.
briefs-col-title = Title
briefs-col-status = Status
briefs-col-author = Written by
briefs-col-updated = Last changed
briefs-urgent = urgent
briefs-problems = { $count ->
    [one] 1 problem
   *[other] { $count } problems
}
status-draft = Draft
status-approved = Approved
status-queued = Queued
status-sent = Sent
status-withdrawn = Withdrawn
status-expired = Expired

brief-version = Version { $version }
brief-author = Written by { $author }
brief-approved-by = Approved by { $approver }, { $when }
brief-supersedes = Corrects brief { $id }
brief-problems-heading = Problems to fix before approval
brief-no-problems = No problems: this brief can be approved.
brief-problem-all-languages = all languages
brief-actions-heading = Decide
brief-approve = Approve
brief-approve-hint = Approving sends an urgent brief at once; other briefs wait for the next edition of their schedule.
brief-withdraw = Withdraw
brief-withdraw-hint = A withdrawn brief is never sent. This cannot be undone.
brief-own = You wrote this brief. Under the two-person rule someone else must approve it: ask another approver to open this page.
brief-not-approver = Only an approver can approve briefs. When it has no problems, ask an approver to open this page.
brief-approved-notice = The brief is approved.
brief-withdrawn-notice = The brief is withdrawn.
brief-added-notice = The brief is saved as a draft.
brief-stale = This brief changed while you were looking at it: it is now { $status }. Nothing was done; check it again.
brief-cannot = This cannot be done: { $reason }
brief-preview-heading = As readers get it
brief-preview-held = Not sent to these readers: { $reason }
brief-preview-subject = Subject
brief-preview-open = Open the email as readers see it
brief-preview-texts = Ready-to-post texts
brief-copy = Copy
brief-copied = Copied
brief-characters = { $count } characters

brief-edit-heading = Change the text
brief-edit-intro = The brief as TOML. Saving checks it again and makes it a draft, to be approved anew.
brief-edit-save = Save changes
brief-edited-notice = The changes are saved. The brief is a draft again and needs approval.

new-brief-title = New brief
new-brief-intro = Paste a brief in TOML or JSON, or upload its file. It is saved as a draft, and every problem found in it is listed so you can fix it before approval.
new-brief-text = Brief text
new-brief-file = Or upload a file (.toml or .json)
new-brief-format = Format
new-brief-save = Save as draft
new-brief-empty = Paste the brief's text or choose a file.
new-brief-unreadable = The brief could not be read: { $reason }

console-nav-roster = Roster
roster-title = Roster
roster-import-link = Import a roster
roster-filter-language = Language
roster-filter-cadence = How often
roster-filter-segment = Segment
roster-search = Name or address
roster-filter-platform = Platform
roster-filter-mailed-label = Mailed
roster-filter-mailed = Mailed
roster-filter-suppressed = Never mailed (unsubscribed, bounced or complained)
roster-filter-any = Any
roster-filter-apply = Show
roster-col-name = Name
roster-col-email = Email address
roster-col-language = Language
roster-col-cadence = How often
roster-col-platforms = Platforms
roster-col-followers = Followers
roster-empty = Nobody matches these choices.
roster-page = People { $from }–{ $to }
roster-previous = Previous page
roster-next = Next page
roster-no-segment = There is no segment with that name.
import-title = Import a roster
import-intro = Choose the roster as a CSV file with the columns email, name, language, platforms, followers, topics, region, tier, cadence, consent_at and consent_source. The whole file is stored, or nothing is: rows with a problem are left out and listed with their line and reason.
import-file = Roster file (CSV)
import-submit = Import
import-progress = Sending the file
import-missing = Choose a CSV file first.
import-failed = Nothing was imported: { $reason }
import-report-heading = What was imported
import-counts = { $new } new, { $updated } updated, { $unchanged } unchanged, { $rejected } rejected.
import-rejected-heading = Rows left out
import-col-line = Line
import-col-email = Email address
import-col-reason = Reason
import-download = Download the rows left out (CSV)
person-data-heading = What we hold
person-email = Email address
person-language = Language
person-cadence = How often
person-platforms = Platforms
person-followers = Followers
person-topics = Topics
person-region = Region
person-tier = Tier
person-consent = Consent
person-consent-value = { $when }, { $source }
person-suppressed = Receives nothing: { $reason }
person-history-heading = Deliveries, replies and questions
person-history = { $deliveries ->
    [one] 1 delivery
   *[other] { $deliveries } deliveries
}, { $replies ->
    [one] 1 reply
   *[other] { $replies } replies
}, { $questions ->
    [one] 1 question.
   *[other] { $questions } questions.
}
person-col-edition = Edition
person-col-status = Status
person-col-sent = Sent
person-export = Download everything we hold about this person (JSON)
person-erase-heading = Erase this person
person-erase-explain = Erasing removes { $name } from the roster with their { $deliveries } deliveries' personal details, their { $replies } replies and { $questions } questions, keeping only an unreadable mark so that the address is never sent to again. This cannot be undone.
person-erase-confirm = I understand that everything above about { $name } will be removed.
person-erase-button = Erase
person-erase-unconfirmed = Tick the box to confirm before erasing.
person-erased-notice = The person is erased.

audit-title = Audit log
audit-intro = Who did what, and to whom, newest first. Entries are never changed or removed.
audit-family = Kind
audit-family-any = Any
audit-family-session = Signing in and out
audit-family-account = Accounts
audit-family-token = API tokens
audit-family-brief = Briefs
audit-family-roster = Roster imports
audit-family-influencer = Influencers
audit-family-segment = Segments
audit-family-schedule = Schedules
audit-family-edition = Editions
audit-family-question = Questions
audit-family-suppression = Never-mail list
audit-actor = Who (name or address)
audit-subject = To what (address, brief:12 …)
audit-col-at = When
audit-col-actor = Who
audit-col-action = What
audit-col-subject = To what
audit-col-detail = Details
audit-empty = No entries match these choices.
audit-older = Older entries
audit-newest = Newest entries
console-nav-audit = Audit log

segments-title = Segments
segments-intro = A segment is a saved choice of readers, used by schedules. Addresses that are never mailed are never members.
segments-empty = No segments yet.
segments-col-name = Name
segments-col-filter = Who
segments-col-members = Members now
segments-col-created = Made
segment-everyone = Everyone
segment-new-heading = Build a segment
segment-name = Name
segment-name-hint = Letters, digits, - and _, for example sv-tiktok.
segment-languages = Language
segment-platforms = Platform
segment-cadences = How often
segment-list-hint = Separate several with commas. Empty means any.
segment-tiers = Tier
segment-topics = Topic
segment-regions = Region
segment-min-followers = At least
segment-max-followers = At most
segment-count = { $count ->
    [one] 1 person matches now.
   *[other] { $count } people match now.
}
segment-count-button = Count members
segment-save = Save segment
segment-saved-notice = The segment is saved.
segment-not-saved = The segment was not saved: check the fields marked below.
segment-error-name = Give a name of letters, digits, - and _, at most 64.
segment-error-taken = A segment with this name already exists; choose another name.
segment-error-range = The smallest number of followers is above the largest.
segment-error-number = Followers must be a whole number, such as 10000.
console-nav-segments = Segments

accounts-title = Accounts
accounts-intro = The people who sign in to this console. An account is disabled, never deleted, so that the audit log keeps its names.
accounts-col-state = State
accounts-active = Active
accounts-disabled = Disabled { $when }
accounts-yes = Yes
accounts-no = No
accounts-back = All accounts
account-add-heading = Give someone an account
account-add-password = First password
account-password-hint = 12 to 128 characters, any kind. Tell it to the person some other way than email, for example by phone.
account-add-button = Add the account
account-added-notice = The account is made: { $name } can sign in now.
account-not-added = The account was not made: check the fields marked below.
account-error-email = This is not an email address.
account-error-taken = Someone already has an account with this address.
account-error-name-empty = Give the person's name.
account-error-name = Give a name of at most 100 characters, without tabs or line breaks.
password-too-short = The password is too short: at least 12 characters.
password-too-long = The password is too long: at most 128 characters.
password-common = The password is one of the most common ones; choose another.
password-control = The password holds control characters such as tabs; leave them out.
account-reset-heading = New password
account-reset-label = New password
account-reset-hint = Every session of theirs ends at once. Tell them the new password some other way than email.
account-reset-button = Set the new password
account-reset-notice = The password is changed and their sessions have ended.
account-totp-remove-hint = For a lost or replaced phone: their authenticator app is taken away and their sessions end. They set up a new app at their next sign-in if their role requires one.
account-totp-remove-button = Remove their authenticator app
account-totp-removed-notice = The app is removed and their sessions have ended.
account-disable-heading = Disable the account
account-disable-confirm = Yes, disable the account of { $name }: they can no longer sign in.
account-disable-button = Disable the account
account-disabled-notice = The account is disabled and its sessions have ended.
account-disable-unconfirmed = Tick the box first to confirm.
console-nav-accounts = Accounts

editor-open = Edit by language and field
editor-heading = Edit the brief
editor-back = Back to the brief
editor-intro = One section per language, a field per part of the pack. The counts beside each platform's text are the validator's own, and the problems above follow what you type. Saving makes the brief a draft, to be approved anew; facts and talking points stay as they are (edit them in the brief's text).
editor-languages = Languages
editor-title = Title
editor-summary = Summary
editor-key-messages = Key messages
editor-do = Do
editor-dont = Don't
editor-instagram = Instagram caption
editor-tiktok = TikTok script
editor-youtube-title = YouTube title
editor-youtube-description = YouTube description
editor-x = X post
editor-one-per-line = One per line.
editor-counter = { $count } / { $max } { $unit }
editor-unit-chars = characters
editor-unit-utf16 = UTF-16 units
editor-unit-bytes = bytes (ä, ö and å take two)
editor-unit-x-weighted = weighted characters (a link 23, an emoji 2)
editor-unit-hashtags = hashtags
editor-check = Check
editor-stale = Someone changed this brief while you were writing: it is now { $status }. Nothing was saved. Your text is below: copy what you need, then open the brief again.

brief-correct-heading = Correct this brief
brief-correct-intro = A sent brief is never changed. A correction is a new version: it is approved like any brief, and then goes at once to exactly the readers who received this one, marked as a correction.
brief-correct-label = The corrected brief as TOML
brief-correct-save = Save the correction as a draft
brief-correction-notice = The correction is saved as a draft. Once approved, it goes at once to everyone who received the brief it corrects.

account-tokens-heading = API tokens
account-tokens-intro = A token lets your own scripts use the API as you, with your role; the audit log names you. It is shown once: keep it like a password, and revoke it when it is no longer needed.
account-tokens-none = You have no tokens.
account-token-label = What it is for
account-token-create = Make a token
account-token-new = Your new token, shown only this once:
account-token-revoke = Revoke
account-token-revoked-notice = The token is revoked: it no longer works.
account-tokens-col-label = For
account-tokens-col-created = Made
account-tokens-col-used = Last used
account-token-live = In use
account-token-revoked = Revoked { $when }
account-token-never = never

account-language-choose = The console in
account-language-save = Save
account-language-saved = The console's language is saved.
account-password-heading = Your password
account-password-current = Current password
account-password-new = New password
account-password-new-hint = 12 to 128 characters, any kind. You sign in again with it, everywhere.
account-password-change = Change the password
account-password-wrong = The current password is not right, or there were too many attempts. Nothing was changed.
sign-in-password-changed = Your password is changed. Sign in with the new one.

person-replies = Replies
person-col-received = Received
person-col-kind = Kind
person-col-channel = Channel

# What the validator finds, next to the field it is about.
problem-no-language = has no language: add at least one of fi, sv or en.
problem-required = is required.
problem-slug = may hold only a–z, 0–9 and -.
problem-meta-source = is required: name the authority the brief comes from.
problem-embargo = the embargo { $embargo } is not before the expiry { $expires }.
problem-cadences = a routine brief needs at least one of daily, weekly or monthly, or no edition carries it.
problem-supersedes = is empty: name the brief this corrects.
problem-hashtag-empty = a hashtag is empty.
problem-hashtag-space = the hashtag { $tag } contains a space; the platforms would cut it there.
problem-hashtag-character = the hashtag { $tag } contains { $char }; only letters, digits and _ stay in a hashtag.
problem-one-line = must be one line: it contains { $code }.
problem-fact-source = is required: every fact cites its source.
problem-source-scheme = { $source } is a { $scheme } address; a source must be an http(s) link.
problem-source-link = { $source } is not a link; a source must be an http(s) link.
problem-control = contains the control character { $code }.
problem-platform-required = is required when the platform's part is given.
problem-forbidden = contains { $char }, which the platform refuses here.
problem-limit = { $count } { $unit }: the limit is { $max }.
problem-limit-via = { $count } { $unit }: the limit { $via } is { $max }.
problem-limit-hashtags = { $count } hashtags ({ $written } in the caption, { $appended } added from the brief's hashtags): the limit is { $max }.

editor-meta = About the brief
editor-slug = Short name
editor-slug-hint = a–z, 0–9 and -, for example storm-72h. A correction names the brief it corrects by it.
editor-source = Source: the authority the brief comes from
editor-contact = Contact for questions (optional)
editor-priority = Priority
editor-priority-routine = Routine: goes in the next edition of its schedules
editor-priority-urgent = Urgent: goes at once when approved
editor-cadences = Editions that may carry it
editor-embargo = Not sent before (optional)
editor-time-hint = Helsinki time.
editor-expires = Never sent after (optional)
editor-topics = Topics
editor-regions = Regions
editor-hashtags = Campaign hashtags, for every language
editor-words-hint = Separate with commas or spaces.
new-brief-blank-intro = Write a brief in the editor, a field at a time, in as many languages as it needs:
new-brief-blank = Start from an empty brief

## Schedules, editions and the delivery log
console-nav-schedules = Schedules
console-nav-editions = Editions
console-nav-deliveries = Deliveries
brief-flash = Send now in a flash edition…
brief-flash-hint = An urgent brief can go at once to every subscriber who has not had it. You see who gets it before anything is sent.
schedules-title = Schedules
schedules-intro = Each schedule sends its segment's readers the briefs it has not carried yet, at its times. Times are Helsinki time, with UTC beside them.
schedules-col-name = Schedule
schedules-col-cadence = How often
schedules-col-segment = Segment
schedules-col-next = Next runs
schedules-col-send = Outside its times
schedules-off = off
schedules-last-run = Last run { $when }
schedules-send-now = Send now…
schedules-empty = There are no schedules yet.
send-nothing = Schedule { $schedule } has no approved brief it has not carried yet: there is nothing to send.
send-confirm-title = Confirm the send
send-confirm-heading = Send { $schedule } now?
send-changed = What would be sent changed since you looked. Here is how it stands now: check it and confirm again.
send-confirm-intro = Nothing is queued until you confirm. These briefs go to these readers, each in their own language.
send-confirm-briefs = Briefs, in reading order
send-confirm-readers = Readers
send-confirm-total = { $count ->
    [one] 1 reader gets this edition.
   *[other] { $shown } readers get this edition.
}
send-confirm-nobody = Nobody would get it: every reader has had these briefs, or none subscribes. Nothing can be sent.
send-confirm-button = Confirm and send
editions-title = Editions
editions-intro = Every send, newest first. Open one to watch it go out, or to pause, resume or cancel it.
editions-col-id = Edition
editions-col-kind = Kind
editions-col-status = Status
editions-col-briefs = Briefs
editions-col-readers = Readers
editions-col-created = Made
editions-empty = Nothing has been sent yet.
editions-newer = Newer
editions-older = Older
edition-title = Edition { $id }
edition-kind-scheduled = By schedule
edition-kind-flash = Flash
edition-kind-manual = Sent by hand
edition-status-sending = Sending
edition-status-paused = Paused
edition-status-cancelled = Cancelled
edition-status-done = Done
delivery-status-queued = Queued
delivery-status-sending = Being sent
delivery-status-sent = Sent
delivery-status-deferred = Deferred
delivery-status-failed = Failed
delivery-status-bounced = Bounced
delivery-status-suppressed = Suppressed
delivery-status-uncertain = Uncertain
delivery-status-cancelled = Cancelled
delivery-status-expired = Expired
edition-action-pause = Pause…
edition-action-resume = Resume…
edition-action-cancel = Cancel the rest…
edition-left-unknown = time left not known yet
edition-left-minutes = { $minutes ->
    [one] about 1 minute left
   *[other] about { $minutes } minutes left
}
edition-progress-summary = { $settled } of { $total } settled
edition-rate = { $count } sent in the last minute
edition-created-notice = The edition is queued and sending.
edition-paused-notice = The edition is paused. Messages already handed to the mail server still go.
edition-resumed-notice = The edition is sending again.
edition-cancelled-notice = The edition is cancelled. Nothing more of it is sent.
edition-confirm-title = Confirm the change
edition-confirm-pause = Pause edition { $id }? { $pending } messages wait; nothing more is sent until someone resumes it.
edition-confirm-resume = Resume edition { $id }? Its { $pending } waiting messages are sent from now on.
edition-confirm-cancel = Cancel edition { $id }? Its { $pending } waiting messages are never sent, and this cannot be undone. Messages already sent stay sent.
edition-changed = The edition changed meanwhile and is now { $status }. Nothing was done.
edition-created = Made { $when }
edition-finished = Finished { $when }
edition-correction = correction
edition-deliveries-link = Its deliveries, one by one
edition-progress-heading = Progress
edition-problems-heading = Latest problems
confirm-back = Go back without changing anything
flash-confirm-title = Send this brief now?
flash-refused-routine = This brief is routine: only an urgent brief can go in a flash edition. It goes out with its schedules.
flash-refused-status = This brief is { $status }: only an approved brief can be sent.
flash-refused-embargo = This brief is under embargo until { $when }: it cannot be sent before then.
flash-refused-expired = This brief expired { $when }: it is no longer sent.
flash-back-to-brief = Back to the brief
deliveries-title = Deliveries
deliveries-intro = One line per message to one reader, with what happened to it and the mail server's last answer.
deliveries-bad-edition = The edition must be a number.
deliveries-bad-status = That status is not known.
deliveries-bad-language = That language is not offered.
deliveries-bad-since = The start time does not read as a date and time.
deliveries-bad-until = The end time does not read as a date and time.
deliveries-resent-notice = Queued again; your decision is in the audit log.
deliveries-none-resent = Nothing was resent: only uncertain or failed deliveries of editions not cancelled can be.
deliveries-any = Any
deliveries-erased = (erased)
deliveries-edition = Edition
deliveries-status = Status
deliveries-language = Language
deliveries-since = Active from (Helsinki time)
deliveries-until = Active until (Helsinki time)
deliveries-resend-all = Resend all of these…
deliveries-col-id = Delivery
deliveries-col-reader = Reader
deliveries-col-status = Status
deliveries-col-response = Mail server's last answer
deliveries-col-history = History
deliveries-attempts = { $count ->
    [one] 1 attempt
   *[other] { $count } attempts
}
deliveries-resend = Resend…
deliveries-events = { $count ->
    [one] 1 event
   *[other] { $count } events
}
deliveries-empty = No delivery matches.
resend-title = Send again?
resend-one = This delivery is queued again and sent by the next free worker.
resend-edition = { $more ->
    [yes] More than { $count } deliveries of edition { $edition } with the status “{ $status }” are queued again.
   *[no] { $count } deliveries of edition { $edition } with the status “{ $status }” are queued again.
}
resend-risk-uncertain = Uncertain means the mail server may already have taken the message: its reader may get it twice. Resend only when a missing message is worse than a double one.
resend-audit = The decision is recorded in the audit log under your name.
resend-risk-accept = I understand that a reader may get this twice.
resend-button = Send again
brief-approve-sends = { $count ->
    [one] This brief is urgent: approving it sends it at once to 1 reader.
   *[other] This brief is urgent: approving it sends it at once to { $shown } readers.
}
edition-protect-bounces = Paused by briefcast to protect the sender: { $bounced } hard bounces in the first { $sample } attempts, past the line of { $percent } %. The addresses that bounced will not be mailed again. Find out why (an old list?) before an approver resumes it, or cancel it.
edition-protect-policy = Paused by briefcast to protect the sender: { $count } messages in a row were refused on policy, the latest with “{ $response }”. The sending domain may be blocklisted or failing authentication (DKIM, SPF, DMARC); find out before an approver resumes it.
editions-protected = stopped itself
