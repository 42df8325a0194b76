# Konsoli: sivut, joille koordinaattorit, hyväksyjät ja ylläpito kirjautuvat.
console-name = briefcast
console-skip = Siirry sisältöön
console-nav-label = Päävalikko
console-nav-briefs = Tiedotteet
console-signed-in-as = Kirjautuneena: { $name } ({ $role })
console-sign-out = Kirjaudu ulos
console-language-label = Kieli
role-coordinator = koordinaattori
role-approver = hyväksyjä
role-ops = ylläpito

sign-in-title = Kirjaudu sisään
sign-in-intro = Kirjaudu sisään sähköpostiosoitteella ja salasanalla, jotka ylläpitäjä antoi sinulle.
sign-in-email = Sähköpostiosoite
sign-in-password = Salasana
sign-in-button = Kirjaudu
sign-in-refused = Kirjautuminen epäonnistui: sähköpostiosoite tai salasana ei ole oikein, tai yrityksiä oli liian monta. Tarkista ne tai odota 15 minuuttia ja yritä uudelleen.
sign-in-ended = Istuntosi on päättynyt. Kirjaudu uudelleen, niin pääset jatkamaan siitä, mihin jäit.
sign-in-signed-out = Olet kirjautunut ulos.
sign-in-missing = Täytä sekä sähköpostiosoite että salasana.

two-step-title = Kaksivaiheinen kirjautuminen
two-step-code-intro = Avaa puhelimesi todennussovellus ja kirjoita kuusinumeroinen koodi, jonka se näyttää briefcastille.
two-step-code = Koodi sovelluksesta
two-step-code-hint = Kuusi numeroa. Uusi koodi tulee 30 sekunnin välein.
two-step-continue = Jatka
two-step-wrong = Koodi ei ole oikea, tai se on jo käytetty. Kirjoita koodi, jonka sovellus näyttää nyt.
two-step-enrol-intro = Roolisi vaatii kirjautumiseen toisen vaiheen: koodin puhelimesi todennussovelluksesta, esimerkiksi FreeOTP, Google Authenticator tai Microsoft Authenticator. Ota se käyttöön nyt kerran.
two-step-enrol-scan = 1. Lisää sovelluksessa uusi tili ja lue tämä QR-koodi.
two-step-qr-alt = QR-koodi, joka lisää briefcastin todennussovellukseen
two-step-enrol-key = Jos et voi lukea koodia, kirjoita sovellukseen tämä avain:
two-step-enrol-confirm = 2. Kirjoita kuusinumeroinen koodi, jonka sovellus nyt näyttää, niin näemme että se toimii.
two-step-start-again = Aloita alusta salasanasta
account-title = Oma tili
account-name = Nimi
account-email = Sähköpostiosoite
account-role = Rooli
account-language = Konsolin kieli
account-two-step = Kaksivaiheinen kirjautuminen
account-two-step-on = Käytössä: kirjautuminen kysyy koodin sovelluksestasi.
account-two-step-off = Ei käytössä: kirjautuminen kysyy vain salasanasi.
account-two-step-added = Kaksivaiheinen kirjautuminen on käytössä. Tästä lähtien kirjautuminen kysyy myös koodin sovelluksestasi.
account-two-step-lost = Katosiko puhelimesi? Pyydä hyväksyjää poistamaan sovellus tililtäsi; otat sitten uuden käyttöön.
account-set-up = Ota kaksivaiheinen kirjautuminen käyttöön
console-nav-account = Oma tili

console-cross-site = Pyyntö ei tullut konsolin omalta sivulta, joten se hylättiin. Palaa takaisin, lataa sivu uudelleen ja yritä uudestaan.
console-not-found = Täällä ei ole mitään. Se on ehkä poistettu, tai osoitteessa on kirjoitusvirhe.
console-unavailable = Palvelu ei juuri nyt vastaa. Yritä hetken kuluttua uudelleen.
console-forbidden = Roolisi ({ $role }) ei voi tehdä tätä. { $needed }
console-needs-coordinator = Siihen tarvitaan koordinaattori tai hyväksyjä.
console-needs-approver = Siihen tarvitaan hyväksyjä.
console-needs-ops = Siihen tarvitaan ylläpidon tili.

briefs-title = Tiedotteet
briefs-filter-label = Näytä
briefs-filter-all = Kaikki
briefs-new = Uusi tiedote
briefs-empty = Täällä ei ole vielä tiedotteita.
briefs-col-title = Otsikko
briefs-col-status = Tila
briefs-col-author = Kirjoittaja
briefs-col-updated = Muutettu viimeksi
briefs-urgent = kiireellinen
briefs-problems = { $count ->
    [one] 1 ongelma
   *[other] { $count } ongelmaa
}
status-draft = Luonnos
status-approved = Hyväksytty
status-queued = Jonossa
status-sent = Lähetetty
status-withdrawn = Peruttu
status-expired = Vanhentunut

brief-version = Versio { $version }
brief-author = Kirjoittaja: { $author }
brief-approved-by = Hyväksyjä: { $approver }, { $when }
brief-supersedes = Korjaa tiedotetta { $id }
brief-problems-heading = Korjattavat ongelmat ennen hyväksyntää
brief-no-problems = Ei ongelmia: tiedotteen voi hyväksyä.
brief-problem-all-languages = kaikki kielet
brief-actions-heading = Päätä
brief-approve = Hyväksy
brief-approve-hint = Hyväksyntä lähettää kiireellisen tiedotteen heti; muut tiedotteet odottavat aikataulunsa seuraavaa numeroa.
brief-withdraw = Peru
brief-withdraw-hint = Perutta tiedotetta ei koskaan lähetetä. Tätä ei voi perua.
brief-own = Kirjoitit tämän tiedotteen. Kahden henkilön säännön mukaan jonkun muun on hyväksyttävä se: pyydä toista hyväksyjää avaamaan tämä sivu.
brief-not-approver = Vain hyväksyjä voi hyväksyä tiedotteita. Kun tiedotteessa ei ole ongelmia, pyydä hyväksyjää avaamaan tämä sivu.
brief-approved-notice = Tiedote on hyväksytty.
brief-withdrawn-notice = Tiedote on peruttu.
brief-added-notice = Tiedote on tallennettu luonnokseksi.
brief-stale = Tiedote muuttui sillä aikaa, kun katsoit sitä: sen tila on nyt { $status }. Mitään ei tehty; tarkista se uudelleen.
brief-cannot = Tätä ei voi tehdä: { $reason }
brief-preview-heading = Näin lukijat sen saavat
brief-preview-held = Ei lähetetä näille lukijoille: { $reason }
brief-preview-subject = Aihe
brief-preview-open = Avaa sähköposti sellaisena kuin lukijat sen näkevät
brief-preview-texts = Julkaisuvalmiit tekstit
brief-copy = Kopioi
brief-copied = Kopioitu
brief-characters = { $count } merkkiä

brief-edit-heading = Muuta tekstiä
brief-edit-intro = Tiedote TOML-muodossa. Tallennus tarkistaa sen uudelleen ja palauttaa sen luonnokseksi, joka on hyväksyttävä uudestaan.
brief-edit-save = Tallenna muutokset
brief-edited-notice = Muutokset on tallennettu. Tiedote on taas luonnos ja tarvitsee hyväksynnän.

new-brief-title = Uusi tiedote
new-brief-intro = Liitä tiedote TOML- tai JSON-muodossa tai lataa sen tiedosto. Se tallennetaan luonnokseksi, ja kaikki siitä löytyvät ongelmat luetellaan, jotta voit korjata ne ennen hyväksyntää.
new-brief-text = Tiedotteen teksti
new-brief-file = Tai lataa tiedosto (.toml tai .json)
new-brief-format = Muoto
new-brief-save = Tallenna luonnokseksi
new-brief-empty = Liitä tiedotteen teksti tai valitse tiedosto.
new-brief-unreadable = Tiedotetta ei voitu lukea: { $reason }

console-nav-roster = Vaikuttajat
roster-title = Vaikuttajat
roster-import-link = Tuo vaikuttajaluettelo
roster-filter-language = Kieli
roster-filter-cadence = Kuinka usein
roster-filter-segment = Ryhmä
roster-search = Nimi tai osoite
roster-filter-platform = Alusta
roster-filter-mailed-label = Postitus
roster-filter-mailed = Saa postia
roster-filter-suppressed = Ei koskaan postia (peruttu, palautunut tai valittanut)
roster-filter-any = Kaikki
roster-filter-apply = Näytä
roster-col-name = Nimi
roster-col-email = Sähköpostiosoite
roster-col-language = Kieli
roster-col-cadence = Kuinka usein
roster-col-platforms = Alustat
roster-col-followers = Seuraajat
roster-empty = Kukaan ei vastaa näitä valintoja.
roster-page = Henkilöt { $from }–{ $to }
roster-previous = Edellinen sivu
roster-next = Seuraava sivu
roster-no-segment = Sen nimistä ryhmää ei ole.
import-title = Tuo vaikuttajaluettelo
import-intro = Valitse luettelo CSV-tiedostona, jossa on sarakkeet email, name, language, platforms, followers, topics, region, tier, cadence, consent_at ja consent_source. Koko tiedosto tallennetaan tai ei mitään: virheelliset rivit jätetään pois ja luetellaan rivinumeron ja syyn kanssa.
import-file = Luettelotiedosto (CSV)
import-submit = Tuo
import-progress = Tiedostoa lähetetään
import-missing = Valitse ensin CSV-tiedosto.
import-failed = Mitään ei tuotu: { $reason }
import-report-heading = Mitä tuotiin
import-counts = { $new } uutta, { $updated } päivitettyä, { $unchanged } ennallaan, { $rejected } hylättyä.
import-rejected-heading = Pois jätetyt rivit
import-col-line = Rivi
import-col-email = Sähköpostiosoite
import-col-reason = Syy
import-download = Lataa pois jätetyt rivit (CSV)
person-data-heading = Mitä hänestä on tallennettu
person-email = Sähköpostiosoite
person-language = Kieli
person-cadence = Kuinka usein
person-platforms = Alustat
person-followers = Seuraajat
person-topics = Aiheet
person-region = Alue
person-tier = Taso
person-consent = Suostumus
person-consent-value = { $when }, { $source }
person-suppressed = Ei saa mitään: { $reason }
person-history-heading = Lähetykset, vastaukset ja kysymykset
person-history = { $deliveries ->
    [one] 1 lähetys
   *[other] { $deliveries } lähetystä
}, { $replies ->
    [one] 1 vastaus
   *[other] { $replies } vastausta
}, { $questions ->
    [one] 1 kysymys.
   *[other] { $questions } kysymystä.
}
person-col-edition = Numero
person-col-status = Tila
person-col-sent = Lähetetty
person-export = Lataa kaikki hänestä tallennettu (JSON)
person-erase-heading = Poista tämä henkilö
person-erase-explain = Poistaminen poistaa henkilön { $name } luettelosta, samoin hänen { $deliveries } lähetyksensä henkilötiedot, { $replies } vastaustaan ja { $questions } kysymystään; jäljelle jää vain lukukelvoton merkintä, jotta osoitteeseen ei enää lähetetä mitään. Tätä ei voi perua.
person-erase-confirm = Ymmärrän, että kaikki yllä mainittu henkilöstä { $name } poistetaan.
person-erase-button = Poista
person-erase-unconfirmed = Vahvista poisto rastittamalla ruutu.
person-erased-notice = Henkilö on poistettu.

audit-title = Tapahtumaloki
audit-intro = Kuka teki mitä ja mille, uusin ensin. Merkintöjä ei koskaan muuteta eikä poisteta.
audit-family = Laji
audit-family-any = Kaikki
audit-family-session = Kirjautumiset
audit-family-account = Tilit
audit-family-token = API-tunnisteet
audit-family-brief = Tiedotteet
audit-family-roster = Listan tuonnit
audit-family-influencer = Vaikuttajat
audit-family-segment = Segmentit
audit-family-schedule = Aikataulut
audit-family-edition = Lähetykset
audit-family-question = Kysymykset
audit-family-suppression = Postituskielto
audit-actor = Kuka (nimi tai osoite)
audit-subject = Mille (osoite, brief:12 …)
audit-col-at = Milloin
audit-col-actor = Kuka
audit-col-action = Mitä
audit-col-subject = Mille
audit-col-detail = Tiedot
audit-empty = Näillä valinnoilla ei löydy merkintöjä.
audit-older = Vanhemmat merkinnät
audit-newest = Uusimmat merkinnät
console-nav-audit = Tapahtumaloki

segments-title = Segmentit
segments-intro = Segmentti on tallennettu lukijajoukko, jota aikataulut käyttävät. Osoitteet, joihin ei koskaan postiteta, eivät ole jäseniä.
segments-empty = Segmenttejä ei vielä ole.
segments-col-name = Nimi
segments-col-filter = Keitä
segments-col-members = Jäseniä nyt
segments-col-created = Tehty
segment-everyone = Kaikki
segment-new-heading = Rakenna segmentti
segment-name = Nimi
segment-name-hint = Kirjaimia, numeroita, - ja _, esimerkiksi sv-tiktok.
segment-languages = Kieli
segment-platforms = Alusta
segment-cadences = Kuinka usein
segment-list-hint = Erota useampi pilkulla. Tyhjä tarkoittaa mitä tahansa.
segment-tiers = Taso
segment-topics = Aihe
segment-regions = Alue
segment-min-followers = Vähintään
segment-max-followers = Enintään
segment-count = { $count ->
    [one] 1 henkilö sopii nyt.
   *[other] { $count } henkilöä sopii nyt.
}
segment-count-button = Laske jäsenet
segment-save = Tallenna segmentti
segment-saved-notice = Segmentti on tallennettu.
segment-not-saved = Segmenttiä ei tallennettu: tarkista alla merkityt kentät.
segment-error-name = Anna nimi, jossa on kirjaimia, numeroita, - ja _, enintään 64.
segment-error-taken = Tämän niminen segmentti on jo olemassa; valitse toinen nimi.
segment-error-range = Seuraajien vähimmäismäärä on suurempi kuin enimmäismäärä.
segment-error-number = Seuraajien määrän pitää olla kokonaisluku, esimerkiksi 10000.
console-nav-segments = Segmentit

accounts-title = Tilit
accounts-intro = Ihmiset, jotka kirjautuvat tähän konsoliin. Tili poistetaan käytöstä, ei koskaan kokonaan, jotta tapahtumaloki säilyttää nimet.
accounts-col-state = Tila
accounts-active = Käytössä
accounts-disabled = Poistettu käytöstä { $when }
accounts-yes = Kyllä
accounts-no = Ei
accounts-back = Kaikki tilit
account-add-heading = Anna jollekulle tili
account-add-password = Ensimmäinen salasana
account-password-hint = 12–128 merkkiä, mitä tahansa. Kerro se henkilölle muuta kautta kuin sähköpostilla, esimerkiksi puhelimessa.
account-add-button = Lisää tili
account-added-notice = Tili on tehty: { $name } voi nyt kirjautua.
account-not-added = Tiliä ei tehty: tarkista alla merkityt kentät.
account-error-email = Tämä ei ole sähköpostiosoite.
account-error-taken = Tällä osoitteella on jo tili.
account-error-name-empty = Anna henkilön nimi.
account-error-name = Anna nimi, jossa on enintään 100 merkkiä, ilman sarkaimia tai rivinvaihtoja.
password-too-short = Salasana on liian lyhyt: vähintään 12 merkkiä.
password-too-long = Salasana on liian pitkä: enintään 128 merkkiä.
password-common = Salasana on yksi yleisimmistä; valitse toinen.
password-control = Salasanassa on ohjausmerkkejä, kuten sarkaimia; jätä ne pois.
account-reset-heading = Uusi salasana
account-reset-label = Uusi salasana
account-reset-hint = Kaikki hänen istuntonsa päättyvät heti. Kerro uusi salasana muuta kautta kuin sähköpostilla.
account-reset-button = Aseta uusi salasana
account-reset-notice = Salasana on vaihdettu ja hänen istuntonsa ovat päättyneet.
account-totp-remove-hint = Kadonnut tai vaihdettu puhelin: hänen todennussovelluksensa poistetaan ja istunnot päättyvät. Hän ottaa uuden sovelluksen käyttöön seuraavalla kirjautumisella, jos rooli sitä vaatii.
account-totp-remove-button = Poista hänen todennussovelluksensa
account-totp-removed-notice = Sovellus on poistettu ja hänen istuntonsa ovat päättyneet.
account-disable-heading = Poista tili käytöstä
account-disable-confirm = Kyllä, poista käytöstä henkilön { $name } tili: hän ei voi enää kirjautua.
account-disable-button = Poista tili käytöstä
account-disabled-notice = Tili on poistettu käytöstä ja sen istunnot ovat päättyneet.
account-disable-unconfirmed = Vahvista ensin rastittamalla ruutu.
console-nav-accounts = Tilit

editor-open = Muokkaa kielittäin ja kentittäin
editor-heading = Muokkaa tiedotetta
editor-back = Takaisin tiedotteeseen
editor-intro = Jokaiselle kielelle oma osio ja jokaiselle paketin osalle oma kenttä. Alustojen tekstien vieressä näkyvät laskurit ovat tarkistimen omia, ja yllä olevat ongelmat päivittyvät kirjoittaessasi. Tallentaminen palauttaa tiedotteen luonnokseksi, joka hyväksytään uudelleen; faktat ja puheenaiheet pysyvät ennallaan (muokkaa niitä tiedotteen tekstissä).
editor-languages = Kielet
editor-title = Otsikko
editor-summary = Tiivistelmä
editor-key-messages = Päähuomiot
editor-do = Tee näin
editor-dont = Älä tee näin
editor-instagram = Instagram-teksti
editor-tiktok = TikTok-käsikirjoitus
editor-youtube-title = YouTube-otsikko
editor-youtube-description = YouTube-kuvaus
editor-x = X-julkaisu
editor-one-per-line = Yksi riviä kohden.
editor-counter = { $count } / { $max } { $unit }
editor-unit-chars = merkkiä
editor-unit-utf16 = UTF-16-yksikköä
editor-unit-bytes = tavua (ä, ö ja å vievät kaksi)
editor-unit-x-weighted = painotettua merkkiä (linkki 23, emoji 2)
editor-unit-hashtags = aihetunnistetta
editor-check = Tarkista
editor-stale = Joku muutti tiedotetta kirjoittaessasi: se on nyt { $status }. Mitään ei tallennettu. Tekstisi on alla: kopioi tarvitsemasi ja avaa tiedote uudelleen.

brief-correct-heading = Korjaa tämä tiedote
brief-correct-intro = Lähetettyä tiedotetta ei koskaan muuteta. Korjaus on uusi versio: se hyväksytään kuten mikä tahansa tiedote ja lähtee sitten heti juuri niille lukijoille, jotka saivat tämän, korjaukseksi merkittynä.
brief-correct-label = Korjattu tiedote TOML-muodossa
brief-correct-save = Tallenna korjaus luonnokseksi
brief-correction-notice = Korjaus on tallennettu luonnokseksi. Kun se on hyväksytty, se lähtee heti kaikille, jotka saivat korjattavan tiedotteen.

account-tokens-heading = API-tunnisteet
account-tokens-intro = Tunnisteella omat skriptisi voivat käyttää API:a sinuna, sinun roolillasi; tapahtumaloki nimeää sinut. Se näytetään kerran: säilytä sitä kuin salasanaa ja peru se, kun sitä ei enää tarvita.
account-tokens-none = Sinulla ei ole tunnisteita.
account-token-label = Mihin se on
account-token-create = Tee tunniste
account-token-new = Uusi tunnisteesi, näytetään vain tämän kerran:
account-token-revoke = Peru
account-token-revoked-notice = Tunniste on peruttu: se ei enää toimi.
account-tokens-col-label = Mihin
account-tokens-col-created = Tehty
account-tokens-col-used = Viimeksi käytetty
account-token-live = Käytössä
account-token-revoked = Peruttu { $when }
account-token-never = ei koskaan

account-language-choose = Konsolin kieli
account-language-save = Tallenna
account-language-saved = Konsolin kieli on tallennettu.
account-password-heading = Salasanasi
account-password-current = Nykyinen salasana
account-password-new = Uusi salasana
account-password-new-hint = 12–128 merkkiä, mitä tahansa. Kirjaudut sillä uudelleen kaikkialla.
account-password-change = Vaihda salasana
account-password-wrong = Nykyinen salasana ei ole oikea, tai yrityksiä oli liikaa. Mitään ei muutettu.
sign-in-password-changed = Salasanasi on vaihdettu. Kirjaudu uudella salasanalla.

person-replies = Vastaukset
person-col-received = Saapunut
person-col-kind = Laji
person-col-channel = Kanava

# What the validator finds, next to the field it is about.
problem-no-language = ei ole millään kielellä: lisää ainakin yksi kielistä fi, sv tai en.
problem-required = on pakollinen.
problem-slug = saa sisältää vain a–z, 0–9 ja -.
problem-meta-source = on pakollinen: nimeä viranomainen, jolta tiedote tulee.
problem-embargo = julkaisuaika { $embargo } ei ole ennen vanhenemista { $expires }.
problem-cadences = tavallinen tiedote tarvitsee ainakin yhden rytmin: päivittäin, viikoittain tai kuukausittain, muuten mikään lähetys ei vie sitä.
problem-supersedes = on tyhjä: nimeä tiedote, jota tämä korjaa.
problem-hashtag-empty = aihetunniste on tyhjä.
problem-hashtag-space = aihetunnisteessa { $tag } on välilyönti; alustat katkaisisivat sen siihen.
problem-hashtag-character = aihetunnisteessa { $tag } on { $char }; aihetunnisteessa pysyvät vain kirjaimet, numerot ja _.
problem-one-line = on oltava yksi rivi: siinä on { $code }.
problem-fact-source = on pakollinen: jokaisella faktalla on lähde.
problem-source-scheme = { $source } on { $scheme }-osoite; lähteen on oltava http(s)-linkki.
problem-source-link = { $source } ei ole linkki; lähteen on oltava http(s)-linkki.
problem-control = sisältää ohjausmerkin { $code }.
problem-platform-required = on pakollinen, kun alustan osa on annettu.
problem-forbidden = sisältää merkin { $char }, jota alusta ei hyväksy tässä.
problem-limit = { $count } { $unit }: raja on { $max }.
problem-limit-via = { $count } { $unit }: raja ({ $via }) on { $max }.
problem-limit-hashtags = { $count } aihetunnistetta ({ $written } tekstissä, { $appended } lisätty tiedotteen aihetunnisteista): raja on { $max }.

editor-meta = Tietoja tiedotteesta
editor-slug = Lyhyt nimi
editor-slug-hint = a–z, 0–9 ja -, esimerkiksi myrsky-72h. Korjaus viittaa korjattavaan tiedotteeseen tällä nimellä.
editor-source = Lähde: viranomainen, jolta tiedote tulee
editor-contact = Yhteystieto kysymyksille (valinnainen)
editor-priority = Kiireellisyys
editor-priority-routine = Tavallinen: lähtee aikataulunsa seuraavassa lähetyksessä
editor-priority-urgent = Kiireellinen: lähtee heti, kun se hyväksytään
editor-cadences = Lähetykset, jotka voivat viedä sen
editor-embargo = Ei lähetetä ennen (valinnainen)
editor-time-hint = Helsingin aikaa.
editor-expires = Ei koskaan lähetetä jälkeen (valinnainen)
editor-topics = Aiheet
editor-regions = Alueet
editor-hashtags = Kampanjan aihetunnisteet, kaikille kielille
editor-words-hint = Erota pilkuilla tai välilyönneillä.
new-brief-blank-intro = Kirjoita tiedote editorissa kenttä kerrallaan, niin monella kielellä kuin tarvitaan:
new-brief-blank = Aloita tyhjästä tiedotteesta

## Ajastukset, lähetykset ja toimitusloki
console-nav-schedules = Ajastukset
console-nav-editions = Lähetykset
console-nav-deliveries = Toimitukset
brief-flash = Lähetä heti pikalähetyksenä…
brief-flash-hint = Kiireellinen tiedote voi lähteä heti jokaiselle tilaajalle, joka ei ole sitä vielä saanut. Näet vastaanottajat ennen kuin mitään lähetetään.
schedules-title = Ajastukset
schedules-intro = Kukin ajastus lähettää segmenttinsä lukijoille tiedotteet, joita se ei ole vielä välittänyt, omina aikoinaan. Ajat ovat Suomen aikaa, UTC-aika rinnalla.
schedules-col-name = Ajastus
schedules-col-cadence = Kuinka usein
schedules-col-segment = Segmentti
schedules-col-next = Seuraavat ajot
schedules-col-send = Aikataulun ulkopuolella
schedules-off = pois päältä
schedules-last-run = Edellinen ajo { $when }
schedules-send-now = Lähetä nyt…
schedules-empty = Ajastuksia ei ole vielä.
send-nothing = Ajastuksella { $schedule } ei ole hyväksyttyä tiedotetta, jota se ei olisi jo välittänyt: lähetettävää ei ole.
send-confirm-title = Vahvista lähetys
send-confirm-heading = Lähetetäänkö { $schedule } nyt?
send-changed = Lähetettävä muuttui sillä välin, kun katsoit sitä. Tässä tilanne nyt: tarkista ja vahvista uudelleen.
send-confirm-intro = Mitään ei jonouteta ennen vahvistustasi. Nämä tiedotteet lähtevät näille lukijoille, kullekin omalla kielellään.
send-confirm-briefs = Tiedotteet lukujärjestyksessä
send-confirm-readers = Lukijat
send-confirm-total = { $count ->
    [one] 1 lukija saa tämän lähetyksen.
   *[other] { $shown } lukijaa saa tämän lähetyksen.
}
send-confirm-nobody = Kukaan ei saisi sitä: jokainen lukija on jo saanut nämä tiedotteet, tai kukaan ei tilaa niitä. Mitään ei voi lähettää.
send-confirm-button = Vahvista ja lähetä
editions-title = Lähetykset
editions-intro = Kaikki lähetykset uusimmasta alkaen. Avaa lähetys seurataksesi sen etenemistä tai keskeyttääksesi, jatkaaksesi tai peruaksesi sen.
editions-col-id = Lähetys
editions-col-kind = Laji
editions-col-status = Tila
editions-col-briefs = Tiedotteet
editions-col-readers = Lukijoita
editions-col-created = Tehty
editions-empty = Mitään ei ole vielä lähetetty.
editions-newer = Uudemmat
editions-older = Vanhemmat
edition-title = Lähetys { $id }
edition-kind-scheduled = Ajastettu
edition-kind-flash = Pikalähetys
edition-kind-manual = Käsin lähetetty
edition-status-sending = Lähtee
edition-status-paused = Keskeytetty
edition-status-cancelled = Peruttu
edition-status-done = Valmis
delivery-status-queued = Jonossa
delivery-status-sending = Lähdössä
delivery-status-sent = Lähetetty
delivery-status-deferred = Lykätty
delivery-status-failed = Epäonnistui
delivery-status-bounced = Palautui
delivery-status-suppressed = Estetty
delivery-status-uncertain = Epävarma
delivery-status-cancelled = Peruttu
delivery-status-expired = Vanhentunut
edition-action-pause = Keskeytä…
edition-action-resume = Jatka…
edition-action-cancel = Peru loput…
edition-left-unknown = jäljellä olevaa aikaa ei vielä tiedetä
edition-left-minutes = { $minutes ->
    [one] noin 1 minuutti jäljellä
   *[other] noin { $minutes } minuuttia jäljellä
}
edition-progress-summary = { $settled } / { $total } käsitelty
edition-rate = { $count } lähetetty viimeisen minuutin aikana
edition-created-notice = Lähetys on jonossa ja lähtee.
edition-paused-notice = Lähetys on keskeytetty. Postipalvelimelle jo luovutetut viestit lähtevät silti.
edition-resumed-notice = Lähetys jatkuu.
edition-cancelled-notice = Lähetys on peruttu. Siitä ei lähetetä enää mitään.
edition-confirm-title = Vahvista muutos
edition-confirm-pause = Keskeytetäänkö lähetys { $id }? { $pending } viestiä odottaa; mitään ei lähetetä ennen kuin joku jatkaa sitä.
edition-confirm-resume = Jatketaanko lähetystä { $id }? Sen { $pending } odottavaa viestiä lähetetään tästä eteenpäin.
edition-confirm-cancel = Perutaanko lähetys { $id }? Sen { $pending } odottavaa viestiä ei lähetetä koskaan, eikä tätä voi perua. Jo lähetetyt viestit pysyvät lähetettyinä.
edition-changed = Lähetys muuttui sillä välin ja on nyt tilassa { $status }. Mitään ei tehty.
edition-created = Tehty { $when }
edition-finished = Valmistui { $when }
edition-correction = oikaisu
edition-deliveries-link = Sen toimitukset yksitellen
edition-progress-heading = Eteneminen
edition-problems-heading = Viimeisimmät ongelmat
confirm-back = Palaa muuttamatta mitään
flash-confirm-title = Lähetetäänkö tämä tiedote nyt?
flash-refused-routine = Tämä tiedote on tavallinen: vain kiireellinen tiedote voi lähteä pikalähetyksenä. Se lähtee ajastustensa mukana.
flash-refused-status = Tämän tiedotteen tila on { $status }: vain hyväksytyn tiedotteen voi lähettää.
flash-refused-embargo = Tiedote on embargossa { $when } asti: sitä ei voi lähettää ennen sitä.
flash-refused-expired = Tiedote vanheni { $when }: sitä ei enää lähetetä.
flash-back-to-brief = Takaisin tiedotteeseen
deliveries-title = Toimitukset
deliveries-intro = Rivi kutakin yhdelle lukijalle lähtevää viestiä kohden: mitä sille tapahtui ja postipalvelimen viimeisin vastaus.
deliveries-bad-edition = Lähetyksen on oltava numero.
deliveries-bad-status = Tilaa ei tunneta.
deliveries-bad-language = Kieltä ei ole tarjolla.
deliveries-bad-since = Alkuaika ei ole luettava päivämäärä ja kellonaika.
deliveries-bad-until = Loppuaika ei ole luettava päivämäärä ja kellonaika.
deliveries-resent-notice = Jonossa uudelleen; päätöksesi on kirjattu tapahtumalokiin.
deliveries-none-resent = Mitään ei lähetetty uudelleen: vain epävarmat tai epäonnistuneet toimitukset perumattomista lähetyksistä voi lähettää uudelleen.
deliveries-any = Kaikki
deliveries-erased = (poistettu)
deliveries-edition = Lähetys
deliveries-status = Tila
deliveries-language = Kieli
deliveries-since = Tapahtumia alkaen (Suomen aikaa)
deliveries-until = Tapahtumia asti (Suomen aikaa)
deliveries-resend-all = Lähetä kaikki nämä uudelleen…
deliveries-col-id = Toimitus
deliveries-col-reader = Lukija
deliveries-col-status = Tila
deliveries-col-response = Postipalvelimen viimeisin vastaus
deliveries-col-history = Historia
deliveries-attempts = { $count ->
    [one] 1 yritys
   *[other] { $count } yritystä
}
deliveries-resend = Lähetä uudelleen…
deliveries-events = { $count ->
    [one] 1 tapahtuma
   *[other] { $count } tapahtumaa
}
deliveries-empty = Yksikään toimitus ei vastaa hakua.
resend-title = Lähetetäänkö uudelleen?
resend-one = Toimitus asetetaan uudelleen jonoon, ja seuraava vapaa lähettäjä lähettää sen.
resend-edition = { $more ->
    [yes] Yli { $count } lähetyksen { $edition } toimitusta tilassa ”{ $status }” asetetaan uudelleen jonoon.
   *[no] { $count } lähetyksen { $edition } toimitusta tilassa ”{ $status }” asetetaan uudelleen jonoon.
}
resend-risk-uncertain = Epävarma tarkoittaa, että postipalvelin on ehkä jo ottanut viestin vastaan: lukija voi saada sen kahdesti. Lähetä uudelleen vain, jos puuttuva viesti on pahempi kuin kahdesti tullut.
resend-audit = Päätös kirjataan tapahtumalokiin nimelläsi.
resend-risk-accept = Ymmärrän, että lukija voi saada tämän kahdesti.
resend-button = Lähetä uudelleen
brief-approve-sends = { $count ->
    [one] Tiedote on kiireellinen: hyväksyminen lähettää sen heti 1 lukijalle.
   *[other] Tiedote on kiireellinen: hyväksyminen lähettää sen heti { $shown } lukijalle.
}
edition-protect-bounces = briefcast keskeytti lähetyksen lähettäjän suojaamiseksi: { $bounced } pysyvää palautusta ensimmäisistä { $sample } yrityksestä, yli { $percent } %:n rajan. Palautuneisiin osoitteisiin ei enää lähetetä. Selvitä syy (vanha lista?) ennen kuin hyväksyjä jatkaa lähetystä, tai peru se.
edition-protect-policy = briefcast keskeytti lähetyksen lähettäjän suojaamiseksi: { $count } viestiä peräkkäin hylättiin käytäntösyistä, viimeisin vastauksella ”{ $response }”. Lähettävä verkkotunnus voi olla estolistalla tai sen todennus (DKIM, SPF, DMARC) voi pettää; selvitä asia ennen kuin hyväksyjä jatkaa.
editions-protected = keskeytti itsensä
