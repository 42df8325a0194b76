# The subscription page behind the link in every message.
page-title = Tiedotetilauksesi
page-intro = Valitse, millä kielellä ja kuinka usein haluat saada viranomaisten tiedotteet vaikuttajille.
page-language = Kieli
page-cadence = Kuinka usein
cadence-daily = Päivittäin
cadence-weekly = Kerran viikossa
cadence-monthly = Kerran kuukaudessa
page-save = Tallenna muutokset
page-saved = Muutokset on tallennettu. Seuraava tiedote tulee uusilla asetuksilla.
page-unsubscribe-intro = Etkö halua enää tiedotteita?
page-unsubscribe-button = Peru tilaus
page-unsubscribed = Tilauksesi on peruttu. Emme lähetä sinulle enää tiedotteita.
page-invalid = Linkki ei ole voimassa.
page-invalid-choice = Valinta ei kelpaa: valitse yksi kieli ja yksi tiheys. Mitään ei muutettu.
page-unavailable = Palvelu ei juuri nyt vastaa. Yritä hetken päästä uudelleen.
