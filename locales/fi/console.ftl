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

console-cross-site = Pyyntö ei tullut konsolin omalta sivulta, joten se hylättiin. Palaa takaisin, lataa sivu uudelleen ja yritä uudestaan.
console-not-found = Täällä ei ole mitään. Se on ehkä poistettu, tai osoitteessa on kirjoitusvirhe.
console-unavailable = Palvelu ei juuri nyt vastaa. Yritä hetken kuluttua uudelleen.
console-forbidden = Roolisi ({ $role }) ei voi tehdä tätä. { $needed }
console-needs-coordinator = Siihen tarvitaan koordinaattori tai hyväksyjä.
console-needs-approver = Siihen tarvitaan hyväksyjä.

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
