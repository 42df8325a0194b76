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

console-cross-site = This request did not come from the console's own page, so it was refused. Go back, reload the page and try again.
console-not-found = There is nothing here. It may have been removed, or the address is mistyped.
console-unavailable = The service is not answering right now. Please try again in a moment.
console-forbidden = Your role ({ $role }) cannot do this. { $needed }
console-needs-coordinator = It needs a coordinator or an approver.
console-needs-approver = It needs an approver.

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
