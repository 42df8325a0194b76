# British English strings for packs and editions. Dates and numbers arrive already formatted
# ($date, $formatted); $count is the raw number that picks the plural form.

edition-heading = Influencer briefing, { $date }
greeting = Hello,
greeting-named = Hello { $name },
toc-heading = In this edition
urgent-marker = URGENT
correction-marker = CORRECTION
correction-note = This corrects a brief we sent earlier. Please use this version from now on.
subject-urgent = URGENT: { $title }
subject-correction = CORRECTION: { $title }
fallback-note = This brief is not yet available in English, so here it is in { $fallback ->
        [fi] Finnish
       *[sv] Swedish
    }.
brief-from = From: { $source }
brief-contact = More information: { $contact }
valid-until = Valid until { $date } Finnish time.
key-messages = Key messages
do-heading = Do
dont-heading = Don't
facts-heading = Facts and sources
source-label = Source
check-source = Check the source before you share.
snippets-heading = Ready-to-post texts
instagram-caption = Instagram caption
instagram-links-note = Links are not clickable on Instagram, so write the address out.
tiktok-script = TikTok script
youtube-title = YouTube title
youtube-talking-points = Talking points
youtube-description = YouTube description
x-post = X post
also-for = Also for { $platforms }
web-version = Open this pack on the web: texts to copy, and proof that it is genuine
questions-received = Since the last edition you have sent us { $count ->
        [one] { $formatted } question
       *[other] { $formatted } questions
    }.
ask-heading = Questions?
ask-reply = Reply to this email with your question. We pass it on to the authorities and answer in a coming edition.
ask-link = Write your question
copy-from = ----- copy from here -----
copy-to = ----- to here -----
footer-why = You are receiving this because you subscribed to official briefings for influencers.
unsubscribe = Unsubscribe
preferences = Change language or frequency

# The "you asked" section: answers to questions influencers sent.
you-asked-heading = You asked, we answer
you-asked-by = Asked by { $name }
you-asked-link = See the answer

# A CAP Cancel of a warning that already went out, drafted as its correction.
cap-cancelled-title = Cancelled: { $title }
cap-cancelled-message = The warning is cancelled: its advice no longer applies.
