# Finnish strings for packs and editions. Dates and numbers arrive already formatted
# ($date, $formatted); $count is the raw number that picks the plural form.

edition-heading = Vaikuttajatiedote { $date }
greeting = Hei,
greeting-named = Hei { $name },
toc-heading = Tässä tiedotteessa
urgent-marker = KIIREELLINEN
correction-marker = KORJAUS
correction-note = Tämä korjaa aiemmin lähettämäämme tiedotetta. Käytäthän tästä lähtien tätä versiota.
subject-urgent = KIIREELLINEN: { $title }
subject-correction = KORJAUS: { $title }
fallback-note = Tiedote ei ole vielä saatavilla suomeksi, joten se on alla { $fallback ->
        [sv] ruotsiksi
       *[en] englanniksi
    }.
brief-from = Lähettäjä: { $source }
brief-contact = Lisätietoja: { $contact }
valid-until = Voimassa { $date } (Suomen aikaa) asti.
key-messages = Ydinviestit
do-heading = Tee näin
dont-heading = Älä tee näin
facts-heading = Faktat ja lähteet
source-label = Lähde
check-source = Tarkista lähde ennen kuin jaat tiedon eteenpäin.
snippets-heading = Valmiit tekstit somekanaviin
instagram-caption = Instagram-kuvateksti
instagram-links-note = Linkit eivät ole Instagramissa klikattavia, joten kirjoita osoite näkyviin.
tiktok-script = TikTok-käsikirjoitus
youtube-title = YouTube-videon otsikko
youtube-talking-points = Mistä puhua videolla
youtube-description = YouTube-videon kuvaus
x-post = X-julkaisu
also-for = Myös näihin: { $platforms }
web-version = Avaa paketti verkossa: kopioitavat tekstit ja todiste aitoudesta
questions-received = Edellisen tiedotteen jälkeen teiltä on tullut { $count ->
        [one] { $formatted } kysymys
       *[other] { $formatted } kysymystä
    }.
ask-heading = Kysyttävää?
ask-reply = Vastaa tähän viestiin ja kirjoita kysymyksesi. Välitämme sen viranomaisille ja vastaamme tulevassa tiedotteessa.
ask-link = Kirjoita kysymyksesi
copy-from = ----- kopioi tästä -----
copy-to = ----- tähän asti -----
footer-why = Saat tämän viestin, koska olet tilannut viranomaisten tiedotteet vaikuttajille.
unsubscribe = Peru tilaus
preferences = Vaihda kieltä tai tilaustiheyttä

# The "you asked" section: answers to questions influencers sent.
you-asked-heading = Kysyitte, vastaamme
you-asked-by = Kysyjä: { $name }
you-asked-link = Katso vastaus

# CAP-peruutus varoitukselle, joka on jo lähetetty, oikaisuksi luonnosteltuna.
cap-cancelled-title = Peruttu: { $title }
cap-cancelled-message = Varoitus on peruttu: sen ohjeet eivät ole enää voimassa.
