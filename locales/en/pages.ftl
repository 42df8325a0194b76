# The subscription page behind the link in every message.
page-title = Your subscription
page-intro = Choose the language and how often you receive the authorities' briefings for influencers.
page-language = Language
page-cadence = How often
cadence-daily = Every day
cadence-weekly = Once a week
cadence-monthly = Once a month
page-save = Save changes
page-saved = Your changes are saved. The next briefing will follow them.
page-unsubscribe-intro = No longer want the briefings?
page-unsubscribe-button = Unsubscribe
page-unsubscribed = You are unsubscribed. We will not send you any more briefings.
page-invalid = This link is not valid.
page-invalid-choice = That choice is not valid: pick one language and one frequency. Nothing was changed.
page-unavailable = The service is not answering right now. Please try again in a moment.
