"""Prose in languages the other genres barely write (Nordic, Iberian, French, German, Indonesian).

Mostly plain O text, so ordinary foreign words, addresses and names stop reading as ports. Slots in a
template: {P} port after a local preposition (PORT), {U} an upper-case port, {H} 'Port of X' written as a name (PORT),
{S} species, {L} a species in the paragraph's own language, {D} date, {V} vessel, {F} an upper-case flag; {N} a person's
surname, {T} an inland city, {R} a registration number (all three O). Addresses, people and companies in sign-offs are O text too.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from training import lexicon

from .cargo import species
from .dates import date
from .noise import company, person
from .segments import Rng, Segs, chance, entity, pick, plain
from .surface import bare_port, new_ship, port, vessel

# language -> (sentences, greetings, sign-offs); every sentence is invented for this module.
LANGUAGES: dict[str, tuple[list[str], list[str], list[str]]] = {
    "no": ([
        "Takk for raskt svar i går.",
        "Vi har fått beskjed fra mannskapet om at fangsten er sløyd og frosset om bord.",
        "Fartøyet {V} ventes til kai i {P} {D}.",
        "Kan dere sende oppdatert pakkliste før lasting?",
        "Været har vært dårlig hele uka, så det blir noe forsinkelse.",
        "Partiet med {S} er sortert og pakket i kartonger på 20 kg.",
        "Kontrollen på kaia gikk greit, og inspektøren hadde ingen merknader.",
        "Sluttseddelen er sendt til salgslaget, og kopi ligger vedlagt.",
        "Vi foreslår at varene omlastes i {P} og går videre med kjølebil.",
        "Lisensen for fartøyet er fornyet og gjelder ut året.",
        "Ring meg gjerne hvis noe er uklart.",
        "Prisen gjelder levert CFR {P}, eksklusive toll.",
        "Skipperen på {V} melder om godt fiske, mest {L} og litt {L}.",
        "Båten går inn til {P} for lossing {D} hvis været tillater det.",
        "Blir det storm, går de heller rett til {P} og lander der på mandag.",
        "Etter planen ligger de i {P} om åtte dager, og da kan {L} gå videre med bil til {T}.",
    ], ["Hei {N},", "Hei,", "God morgen,"], ["Med vennlig hilsen", "Mvh", "Hilsen"]),
    "da": ([
        "Tak for din mail og for samtalen i formiddags.",
        "Skibet {V} forventes at anløbe {P} {D}.",
        "Varen er kogt, pillet og pakket i poser på 1 kg.",
        "Vi mangler stadig fangstattesten fra myndighederne.",
        "Kunden ønsker levering senest i næste uge.",
        "Lasten med {S} blev kontrolleret ved ankomst uden bemærkninger.",
        "Kan du bekræfte, hvilken kølebil der henter varen?",
        "Fakturaen er sendt til bogholderiet i dag.",
        "Der er lovet hård vind i Nordsøen, så afgangen kan blive udskudt.",
        "Vi vender tilbage, så snart vi har hørt fra speditøren.",
        "Tilbuddet er CIF {P} med betaling netto 30 dage.",
        "Jeg har netop talt med skipperen på {V}; de har ca. 90 tons frosne {L} i lasten.",
        "Båden kan nå {P} omkring {D}, ellers sejler de direkte til {P} og losser dagen efter.",
        "Kunden vil have {L} leveret CFR {P} for at spare fragten.",
        "Hvis alt går vel, er de i {P} på tirsdag; ellers går de videre til {P} og lander der.",
        "Skipperen regner med at være i {P} sidst på ugen med omkring 60 tons {L}.",
    ], ["Hej {N},", "Kære {N},", "Hej,"], ["Venlig hilsen", "Med venlig hilsen", "Mvh."]),
    "sv": ([
        "Tack för ditt snabba svar.",
        "Fartyget {V} beräknas anlöpa {P} {D}.",
        "Fångsten är rensad, fryst och märkt med partinummer.",
        "Vi behöver fångstintyget innan tullklareringen kan göras.",
        "Lastbilen hämtar godset på fredag förmiddag.",
        "Kvaliteten på {S} var bra enligt mottagarens kontroll.",
        "Vädret har ställt till det för flera båtar i veckan.",
        "Hör av dig om du har frågor om fakturan.",
        "Priset avser FCA {P} enligt avtalet.",
        "Vi föreslår lossning i {P} för att spara tid.",
    ], ["Hej {N},", "Hej,"], ["Med vänliga hälsningar", "Vänliga hälsningar", "Mvh"]),
    "es": ([
        "Gracias por su rápida respuesta.",
        "El buque {V} tiene prevista su llegada a {P} el {D}.",
        "La mercancía se descargó en cámara frigorífica a menos dieciocho grados.",
        "Adjuntamos la factura proforma y la lista de empaque.",
        "Le rogamos confirme la fecha de carga lo antes posible.",
        "El lote de {S} llegó eviscerado y congelado en bloques.",
        "La inspección sanitaria no encontró irregularidades en la documentación.",
        "Por el mal tiempo la descarga se retrasará uno o dos días.",
        "El transbordo se hará en {P} según lo acordado con el transitario.",
        "Quedamos a su disposición para cualquier aclaración.",
        "El precio acordado es CFR {P}, pago a 60 días.",
        "El certificado de captura está pendiente de validación por la autoridad.",
        "La partida de {L} la suministra una conservera de {P}, y el barco es el {V}.",
        "Buque frigorífico {V}: escala técnica en {P} el {D} para avituallamiento.",
        "En la bodega quedan {L} y {L} sin clasificar.",
    ], ["Estimado {N}:", "Hola {N},", "Buenos días,"], ["Un saludo", "Atentamente", "Saludos cordiales"]),
    "pt": ([
        "Obrigado pelo retorno rápido.",
        "O navio {V} deve atracar em {P} no dia {D}.",
        "O pescado foi eviscerado, lavado e congelado a bordo.",
        "Enviamos em anexo a fatura e o certificado sanitário.",
        "Pedimos a gentileza de confirmar o horário da descarga.",
        "A carga de {S} foi inspecionada sem observações.",
        "Devido ao mau tempo, a saída foi adiada para amanhã.",
        "O contentor refrigerado será levantado pela transportadora na segunda-feira.",
        "Ficamos a aguardar a vossa confirmação.",
        "A proposta é FOB {P}, com pagamento antecipado.",
    ], ["Bom dia {N},", "Caro {N},", "Olá,"], ["Com os melhores cumprimentos", "Atenciosamente", "Cumprimentos"]),
    "fr": ([
        "Merci pour votre réponse rapide.",
        "Le navire {V} est attendu à {P} le {D}.",
        "Le poisson a été étêté, éviscéré et congelé à bord.",
        "Veuillez trouver ci-joint la facture et la liste de colisage.",
        "Nous vous prions de confirmer la date de chargement.",
        "Le lot de {S} a été contrôlé au débarquement sans remarque.",
        "En raison de la météo, le départ est reporté à demain.",
        "Le conteneur frigorifique sera enlevé par le transitaire lundi matin.",
        "Le transbordement aura lieu à {P} comme prévu.",
        "Nous restons à votre disposition pour tout renseignement.",
        "Le prix s'entend CIF {P}, hors droits de douane.",
        "Le capitaine du {V} annonce surtout {L} et un peu de {L}.",
    ], ["Bonjour {N},", "Madame, Monsieur,", "Cher {N},"], ["Cordialement", "Bien cordialement", "Salutations distinguées"]),
    "de": ([
        "Vielen Dank für Ihre schnelle Rückmeldung.",
        "Das Schiff {V} soll am {D} in {P} festmachen.",
        "Die Ware wurde an Bord ausgenommen, filetiert und tiefgefroren.",
        "Anbei erhalten Sie die Rechnung und die Packliste.",
        "Bitte bestätigen Sie uns den Ladetermin bis Freitag.",
        "Die Partie {S} wurde bei der Anlandung ohne Beanstandung kontrolliert.",
        "Wegen Sturm verschiebt sich die Abfahrt um einen Tag.",
        "Der Kühlcontainer wird am Montag vom Spediteur abgeholt.",
        "Die Umladung erfolgt wie besprochen in {P}.",
        "Für Rückfragen stehen wir Ihnen gern zur Verfügung.",
        "Der Preis versteht sich CFR {P}, zahlbar netto 30 Tage.",
    ], ["Sehr geehrte Damen und Herren,", "Hallo {N},", "Guten Tag,"], ["Mit freundlichen Grüßen", "Viele Grüße", "Beste Grüße"]),
    "id": ([
        "Terima kasih atas balasan yang cepat.",
        "Kapal {V} dijadwalkan bersandar di {P} pada {D}.",
        "Ikan sudah disiangi, dicuci dan dibekukan di atas kapal.",
        "Bersama ini kami lampirkan faktur dan daftar kemasan.",
        "Mohon konfirmasi jadwal pemuatan secepatnya.",
        "Muatan {S} sudah diperiksa petugas tanpa catatan.",
        "Karena cuaca buruk, keberangkatan ditunda satu hari.",
        "Kontainer berpendingin akan diambil oleh ekspedisi hari Senin.",
        "Bongkar muat akan dilakukan di {P} sesuai rencana.",
        "Kami menunggu kabar dari Bapak secepatnya.",
        "Harga yang disepakati adalah FOB {P}.",
        "Bahan baku {L} dan {L} diterima dari {P} setiap minggu.",
        "Kapal {V} membongkar {L} di {P} pada {D}.",
    ], ["Yth. Bapak {N},", "Selamat pagi,", "Halo {N},"], ["Hormat kami", "Salam", "Terima kasih"]),
}

# Postal-address layouts per language: a port city inside an address is O (annotation guide, PORT).
STREETS_ML: dict[str, list[str]] = {
    "no": ["Havnegata", "Sjøgata", "Kaiveien", "Fiskebrygga", "Industriveien"],
    "da": ["Havnevej", "Fiskerivej", "Kajgade", "Strandvejen", "Auktionsgade"],
    "sv": ["Hamngatan", "Fiskhamnsgatan", "Kajvägen", "Sjögatan"],
    "es": ["Avda. del Muelle", "Calle de la Lonja", "Paseo Marítimo", "Rúa do Porto", "Polígono de la Dársena"],
    "pt": ["Rua do Cais", "Avenida da Doca", "Largo da Lota", "Rua dos Pescadores"],
    "fr": ["quai des Pêcheurs", "rue de la Criée", "boulevard du Port", "avenue de la Marée"],
    "de": ["Fischereihafenstraße", "Am Kai", "Hafenweg", "Speicherstraße"],
    "id": ["Jl. Pelabuhan", "Jl. Dermaga", "Jl. Nelayan", "Kawasan Industri Perikanan"],
}


def _town(r: Rng) -> str:
    return pick(r, lexicon.PORTS)[0] if chance(r, 0.7) else pick(r, lexicon.INLAND_CITIES)


ADDRESS_LAYOUTS: dict[str, Callable[[Rng, str, str], str]] = {
    "no": lambda r, st, t: f"{st} {r.randrange(1, 90)}, {r.randrange(1000, 9999)} {t}",
    "da": lambda r, st, t: f"{st} {r.randrange(1, 90)}, {r.randrange(1000, 9999)} {t}",
    "sv": lambda r, st, t: f"{st} {r.randrange(1, 90)}, {r.randrange(100, 999)} {r.randrange(10, 99)} {t}",
    "es": lambda r, st, t: f"{st} {r.randrange(1, 90)}, {r.randrange(1000, 52999):05d} {t}",
    "pt": lambda r, st, t: f"{st} {r.randrange(1, 90)}, {r.randrange(1000, 9999)}-{r.randrange(100, 999)} {t}",
    "fr": lambda r, st, t: f"{r.randrange(1, 90)} {st}, {r.randrange(1000, 95999):05d} {t}",
    "de": lambda r, st, t: f"{st} {r.randrange(1, 90)}, {r.randrange(10000, 99999)} {t}",
    "id": lambda r, st, t: f"{st} No. {r.randrange(1, 90)}, {t} {r.randrange(10000, 99999)}",
}


def address_ml(r: Rng, lang: str | None = None) -> str:
    """'<street> <no>, <postcode> <City>' in a local layout; the city (even a port city) stays O."""
    lang = lang or pick(r, list(ADDRESS_LAYOUTS))
    return ADDRESS_LAYOUTS[lang](r, pick(r, STREETS_ML[lang]), _town(r))


# Slot letter -> its filler: entity slots labelled, the others O.
SLOT_FILLERS: dict[str, Callable[[Rng], Segs]] = {
    "P": bare_port,
    "S": species,
    "D": date,
    "V": lambda r: vessel(r, new_ship(r), native=False, quote=False),
    "N": lambda r: plain(person(r).split()[-1]),
    "T": lambda r: plain(pick(r, lexicon.INLAND_CITIES)),
    "U": lambda r: port(r, allow_country=False, upper=True),
    "H": lambda r: entity("Port of " + pick(r, sorted(lexicon.PORT_OF_OK)), "PORT"),
    "F": lambda r: entity(pick(r, lexicon.FLAGS)[0].upper(), "FLAG"),
    "R": lambda r: plain(f"{pick(r, ['BS', 'KG', 'F', 'M', 'PA', 'TR', 'LO'])}-{r.randrange(10, 9999):04d}"),
}
LOCAL_SLOT = "L"  # a species from lexicon.SPECIES_LOCAL[lang]
SLOT = re.compile(r"\{([" + "".join(SLOT_FILLERS) + LOCAL_SLOT + r"])\}")


def local_species(r: Rng, lang: str) -> Segs:
    """A species name in language ``lang`` (lexicon.SPECIES_LOCAL): the {L} slot."""
    return entity(pick(r, lexicon.SPECIES_LOCAL[lang]), "SPECIES")


def fill(r: Rng, template: str, lang: str = "es") -> Segs:
    """A template with its slots filled ({L} from the species names of lang)."""
    out: Segs = []
    pos = 0
    for m in SLOT.finditer(template):
        slot = m.group(1)
        value = local_species(r, lang) if slot == LOCAL_SLOT else SLOT_FILLERS[slot](r)
        out += plain(template[pos:m.start()]) + value
        pos = m.end()
    return out + plain(template[pos:])


def foreign_paragraph(r: Rng, lang: str | None = None) -> Segs:
    """A short note in one language: maybe a greeting, 2-4 sentences, maybe a sign-off with an address."""
    lang = lang or pick(r, list(LANGUAGES))
    body, greetings, signoffs = LANGUAGES[lang]
    out: Segs = fill(r, pick(r, greetings), lang) + plain("\n") if chance(r, 0.4) else []
    for i, t in enumerate(r.sample(body, r.randrange(2, 5))):
        out += plain(" " if i else "") + fill(r, t, lang)
    if chance(r, 0.35):
        out += plain(f"\n{pick(r, signoffs)}\n{person(r)}\n{company(r)}, {address_ml(r, lang)}")
    elif chance(r, 0.2):
        out += plain(f"\n{address_ml(r, lang)}")
    return out


FOREIGN_GENRES = {"email", "audit_note", "catch_certificate", "news_report", "mixed_notes", "long_dossier"}
FOREIGN_RATE = 0.25  # of documents in FOREIGN_GENRES (about half of all): about 12% of all documents


def with_foreign(r: Rng, segs: Segs) -> Segs:
    """segs with one foreign paragraph inserted after a line break (or at the end)."""
    cuts = [i + 1 for i, (t, lab) in enumerate(segs) if lab is None and t.endswith("\n")]
    if not cuts:
        return segs + plain("\n\n") + foreign_paragraph(r)
    at = pick(r, cuts)
    return segs[:at] + foreign_paragraph(r) + plain("\n\n") + segs[at:]
