# Konsolen: sidorna som koordinatorer, godkännare och drift loggar in på.
console-name = briefcast
console-skip = Hoppa till innehållet
console-nav-label = Huvudmeny
console-nav-briefs = Meddelanden
console-signed-in-as = Inloggad som { $name } ({ $role })
console-sign-out = Logga ut
console-language-label = Språk
role-coordinator = koordinator
role-approver = godkännare
role-ops = drift

sign-in-title = Logga in
sign-in-intro = Logga in med den e-postadress och det lösenord som administratören gav dig.
sign-in-email = E-postadress
sign-in-password = Lösenord
sign-in-button = Logga in
sign-in-refused = Inloggningen misslyckades: e-postadressen eller lösenordet stämmer inte, eller så var försöken för många. Kontrollera dem eller vänta 15 minuter och försök igen.
sign-in-ended = Din session har tagit slut. Logga in igen för att fortsätta där du var.
sign-in-signed-out = Du är utloggad.
sign-in-missing = Fyll i både e-postadressen och lösenordet.

console-cross-site = Begäran kom inte från konsolens egen sida, så den avvisades. Gå tillbaka, ladda om sidan och försök igen.
console-not-found = Här finns ingenting. Det kan ha tagits bort, eller så är adressen felskriven.
console-unavailable = Tjänsten svarar inte just nu. Försök igen om en stund.
console-forbidden = Din roll ({ $role }) kan inte göra detta. { $needed }
console-needs-coordinator = Det kräver en koordinator eller en godkännare.
console-needs-approver = Det kräver en godkännare.

briefs-title = Meddelanden
briefs-filter-label = Visa
briefs-filter-all = Alla
briefs-new = Nytt meddelande
briefs-empty = Här finns inga meddelanden ännu.
briefs-col-title = Rubrik
briefs-col-status = Status
briefs-col-author = Skrivet av
briefs-col-updated = Senast ändrat
briefs-urgent = brådskande
briefs-problems = { $count ->
    [one] 1 problem
   *[other] { $count } problem
}
status-draft = Utkast
status-approved = Godkänt
status-queued = I kö
status-sent = Skickat
status-withdrawn = Återkallat
status-expired = Utgånget

brief-version = Version { $version }
brief-author = Skrivet av { $author }
brief-approved-by = Godkänt av { $approver }, { $when }
brief-supersedes = Rättar meddelande { $id }
brief-problems-heading = Problem att åtgärda före godkännandet
brief-no-problems = Inga problem: meddelandet kan godkännas.
brief-problem-all-languages = alla språk
brief-actions-heading = Besluta
brief-approve = Godkänn
brief-approve-hint = Ett brådskande meddelande skickas genast när det godkänns; andra väntar på nästa utskick i sitt schema.
brief-withdraw = Återkalla
brief-withdraw-hint = Ett återkallat meddelande skickas aldrig. Det går inte att ångra.
brief-own = Du skrev det här meddelandet. Enligt tvåpersonsregeln måste någon annan godkänna det: be en annan godkännare öppna den här sidan.
brief-not-approver = Bara en godkännare kan godkänna meddelanden. När det inte har några problem, be en godkännare öppna den här sidan.
brief-approved-notice = Meddelandet är godkänt.
brief-withdrawn-notice = Meddelandet är återkallat.
brief-added-notice = Meddelandet är sparat som utkast.
brief-stale = Meddelandet ändrades medan du tittade på det: det är nu { $status }. Ingenting gjordes; kontrollera det igen.
brief-cannot = Det här går inte: { $reason }
brief-preview-heading = Så här får läsarna det
brief-preview-held = Skickas inte till dessa läsare: { $reason }
brief-preview-subject = Ämne
brief-preview-open = Öppna e-postmeddelandet som läsarna ser det
brief-preview-texts = Texter färdiga att publicera
brief-copy = Kopiera
brief-copied = Kopierat
brief-characters = { $count } tecken

brief-edit-heading = Ändra texten
brief-edit-intro = Meddelandet som TOML. När du sparar kontrolleras det på nytt och blir ett utkast som måste godkännas igen.
brief-edit-save = Spara ändringarna
brief-edited-notice = Ändringarna är sparade. Meddelandet är ett utkast igen och behöver godkännas.

new-brief-title = Nytt meddelande
new-brief-intro = Klistra in ett meddelande i TOML eller JSON, eller ladda upp filen. Det sparas som utkast, och alla problem som hittas i det listas så att du kan åtgärda dem före godkännandet.
new-brief-text = Meddelandets text
new-brief-file = Eller ladda upp en fil (.toml eller .json)
new-brief-format = Format
new-brief-save = Spara som utkast
new-brief-empty = Klistra in meddelandets text eller välj en fil.
new-brief-unreadable = Meddelandet kunde inte läsas: { $reason }
