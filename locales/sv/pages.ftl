# The subscription page behind the link in every message.
page-title = Din prenumeration
page-intro = Välj på vilket språk och hur ofta du vill få myndigheternas meddelanden till influerare.
page-language = Språk
page-cadence = Hur ofta
cadence-daily = Varje dag
cadence-weekly = En gång i veckan
cadence-monthly = En gång i månaden
page-save = Spara ändringarna
page-saved = Ändringarna har sparats. Nästa meddelande kommer enligt de nya inställningarna.
page-unsubscribe-intro = Vill du inte längre få meddelandena?
page-unsubscribe-button = Avsluta prenumerationen
page-unsubscribed = Din prenumeration har avslutats. Vi skickar inga fler meddelanden till dig.
page-invalid = Länken är inte giltig.
page-invalid-choice = Valet gäller inte: välj ett språk och en frekvens. Ingenting ändrades.
page-unavailable = Tjänsten svarar inte just nu. Försök igen om en stund.
