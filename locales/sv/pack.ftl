# Finland Swedish strings for packs and editions. Dates and numbers arrive already formatted
# ($date, $formatted); $count is the raw number that picks the plural form.

edition-heading = Infobrev till influencers { $date }
greeting = Hej,
greeting-named = Hej { $name },
toc-heading = I det här brevet
urgent-marker = BRÅDSKANDE
correction-marker = RÄTTELSE
correction-note = Det här rättar ett meddelande som vi skickade tidigare. Använd den här versionen från och med nu.
subject-urgent = BRÅDSKANDE: { $title }
subject-correction = RÄTTELSE: { $title }
fallback-note = Meddelandet finns ännu inte på svenska, så här kommer det på { $fallback ->
        [fi] finska
       *[en] engelska
    }.
brief-from = Avsändare: { $source }
brief-contact = Mer information: { $contact }
valid-until = Gäller till { $date } (finsk tid).
key-messages = Huvudbudskap
do-heading = Gör så här
dont-heading = Undvik det här
facts-heading = Fakta och källor
source-label = Källa
check-source = Kontrollera källan innan du delar vidare.
snippets-heading = Färdiga texter för sociala medier
instagram-caption = Bildtext för Instagram
instagram-links-note = Länkar går inte att klicka på i Instagram, så skriv ut adressen.
tiktok-script = Manus för TikTok
youtube-title = Rubrik för YouTube-videon
youtube-talking-points = Det här kan du ta upp i videon
youtube-description = Beskrivning för YouTube-videon
x-post = Inlägg på X
also-for = Även för { $platforms }
web-version = Öppna paketet på webben: texter att kopiera och bevis på att det är äkta
questions-received = Sedan förra brevet har vi fått { $count ->
        [one] { $formatted } fråga
       *[other] { $formatted } frågor
    } från er.
ask-heading = Frågor?
ask-reply = Svara på det här meddelandet med din fråga. Vi för den vidare till myndigheterna och svarar i ett kommande utskick.
ask-link = Skriv din fråga
copy-from = ----- kopiera härifrån -----
copy-to = ----- hit -----
footer-why = Du får det här meddelandet eftersom du prenumererar på myndigheternas infobrev till influencers.
unsubscribe = Avsluta prenumerationen
preferences = Byt språk eller hur ofta du får brevet

# The "you asked" section: answers to questions influencers sent.
you-asked-heading = Ni frågade, vi svarar
you-asked-by = Frågan ställdes av { $name }
you-asked-link = Se svaret

# En CAP-annullering av en varning som redan gått ut, skissad som dess rättelse.
cap-cancelled-title = Annullerad: { $title }
cap-cancelled-message = Varningen är annullerad: dess råd gäller inte längre.
