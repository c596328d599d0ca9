"""What the demo's people wrote: the school's statements and self-ratings, the assessors'
levels, reviews and advice, and the evidence files made from them."""

from __future__ import annotations

import io

from PIL import Image, ImageDraw
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas

from seal_app.catalogue.model import Criterion
from seal_app.reviews.models import Recommendation

SCHOOL_USER = "schule@demo.invalid"
ASSESSOR = "gutachter@demo.invalid"
SECOND_ASSESSOR = "gutachterin2@demo.invalid"
OFFICE = "buero@demo.invalid"

# Per criterion: what the school does, since when, who takes part, partners.
STATEMENTS = {
    "A.1": (
        "Unser Sicherheits- und Krisenkonzept wurde 2024 überarbeitet. Das Krisenteam "
        "(Schulleitung, Schulsozialarbeit, Hausmeister, zwei Lehrkräfte) trifft sich jedes "
        "Quartal und prüft die Abläufe für Amok, Brand, Unwetter und medizinische Notfälle.",
        "2016",
        "Krisenteam, Kollegium, Schulsozialarbeit",
        "Polizeiinspektion Güstrow, Schulpsychologischer Dienst",
    ),
    "A.2": (
        "Die Flucht- und Rettungspläne hängen in jedem Raum. Zweimal im Jahr üben wir die "
        "Räumung, einmal unangekündigt; die Zeiten werden protokolliert und ausgewertet.",
        "2012",
        "alle Klassen, Kollegium, Hausmeister",
        "Freiwillige Feuerwehr",
    ),
    "A.3": (
        "Die Kontaktbeamtin der Polizei besucht uns regelmäßig; mit der Feuerwehr gibt es "
        "jedes Jahr einen Aktionstag für die fünften Klassen.",
        "2018",
        "Klassen 5 und 7, Schulleitung",
        "Polizei, Freiwillige Feuerwehr",
    ),
    "B.1": (
        "In den Klassen 5 und 6 arbeiten wir mit einem Programm zum sozialen Lernen, in "
        "Klasse 7 mit einem Anti-Gewalt-Training; beides ist im Stundenplan verankert.",
        "2017",
        "Klassen 5 bis 7, Klassenleitungen, Schulsozialarbeit",
        "Jugendhilfeträger vor Ort",
    ),
    "B.2": (
        "Ein Handlungsleitfaden regelt, wer bei Mobbing was tut. Jede Klasse hat zwei "
        "Vertrauensschülerinnen oder -schüler; Fälle werden dokumentiert.",
        "2020",
        "Vertrauenslehrkräfte, Schulsozialarbeit",
        "Beratungsstelle des Landkreises",
    ),
    "B.3": (
        "Die Schulregeln hat die Schülervertretung mit formuliert. Der Klassenrat tagt in "
        "allen Klassen alle zwei Wochen.",
        "2015",
        "alle Klassen, Schülervertretung",
        "",
    ),
    "C.1": (
        "Jedes Jahr bilden wir zwölf Schülerinnen und Schüler zu Streitschlichtern aus. Sie "
        "haben einen eigenen Raum und feste Sprechzeiten in den großen Pausen.",
        "2014",
        "Streitschlichtungsteam (24 Schülerinnen und Schüler), zwei Lehrkräfte",
        "Landesarbeitsgemeinschaft Streitschlichtung",
    ),
    "C.2": (
        "Die Streitschlichtung steht im Schulprogramm; die Ausbildung ist als "
        "Wahlpflichtkurs anerkannt.",
        "2016",
        "Schulleitung, Fachkonferenz",
        "",
    ),
    "D.1": (
        "Verkehrserziehung ist Teil des Sachunterrichts und der Projekttage; die Klassen 4 "
        "legen die Radfahrprüfung ab.",
        "2010",
        "Klassen 1 bis 4",
        "Verkehrswacht, Polizei",
    ),
    "D.2": (
        "Ein Schulwegplan mit den sichersten Wegen wird jedes Jahr an die neuen Familien "
        "ausgegeben.",
        "2019",
        "Elternrat, Klassen 1",
        "Stadtverwaltung, Verkehrswacht",
    ),
    "E.1": (
        "Mehr als ein Drittel des Kollegiums ist in Erster Hilfe ausgebildet; die Kurse "
        "werden alle zwei Jahre aufgefrischt.",
        "2013",
        "Kollegium, Sekretariat",
        "Deutsches Rotes Kreuz",
    ),
    "E.2": (
        "Der Schulsanitätsdienst ist in allen Pausen im Einsatz und bei Sportfesten dabei.",
        "2018",
        "Schulsanitätsdienst (16 Schülerinnen und Schüler)",
        "Jugendrotkreuz",
    ),
    "F.1": (
        "Suchtprävention ab Klasse 6 in Projekttagen; ein Elternabend pro Jahr zum Thema "
        "Alkohol und Rauchen.",
        "2017",
        "Klassen 6 bis 9, Eltern",
        "Suchtberatungsstelle",
    ),
    "F.2": (
        "Gesundes Frühstück, bewegte Pausen und eine Sport-AG am Nachmittag.",
        "2015",
        "alle Klassen",
        "Sportverein vor Ort",
    ),
    "G.1": (
        "Das Medienkonzept regelt die Medienbildung je Klassenstufe; Medienscouts beraten "
        "jüngere Schülerinnen und Schüler.",
        "2021",
        "Medienscouts, Fachlehrkräfte Informatik",
        "Medienanstalt Mecklenburg-Vorpommern",
    ),
    "G.2": (
        "Die Nutzungsordnung für Handys und Tablets hat die Schulkonferenz beschlossen.",
        "2022",
        "Schulkonferenz, Schülervertretung",
        "",
    ),
    "H.1": (
        "Schülervertretung und Elternrat sind an allen Vorhaben zur Sicherheit beteiligt; "
        "die Protokolle liegen bei.",
        "2015",
        "Schülervertretung, Elternrat",
        "",
    ),
    "H.2": (
        "Wir arbeiten mit Polizei, Feuerwehr, Jugendhilfe und dem Sportverein zusammen; "
        "mit drei Partnern gibt es schriftliche Vereinbarungen.",
        "2016",
        "Schulleitung",
        "Polizei, Feuerwehr, Jugendhilfe, Sportverein",
    ),
    "I.1": (
        "Einmal im Jahr begehen Schulleitung, Hausmeister und Schulträger das Gebäude; die "
        "Mängel werden in einer Liste verfolgt.",
        "2014",
        "Schulleitung, Hausmeister",
        "Schulträger, Unfallkasse",
    ),
    "I.2": (
        "Die Unfallmeldungen werden jedes Halbjahr anonymisiert ausgewertet.",
        "2020",
        "Schulleitung, Sicherheitsbeauftragte",
        "Unfallkasse Mecklenburg-Vorpommern",
    ),
    "J.1": (
        "Sicherheit und Gewaltprävention sind ein eigener Schwerpunkt im Schulprogramm.",
        "2016",
        "Schulkonferenz",
        "",
    ),
    "J.2": (
        "Jede Lehrkraft besucht mindestens eine Fortbildung zu Prävention in zwei Jahren.",
        "2018",
        "Kollegium",
        "Institut für Qualitätsentwicklung",
    ),
    "J.3": (
        "Eine Befragung von Schülerinnen, Schülern und Eltern zur Sicherheit gibt es alle "
        "zwei Jahre; die Ergebnisse fließen in das Schulprogramm ein.",
        "2021",
        "Schülerschaft, Eltern, Kollegium",
        "",
    ),
}

# The school's self-rating per criterion, in catalogue order (codes missing here: 2).
SELF_RATINGS = dict(
    zip(
        STATEMENTS,
        [3, 2, 2, 3, 2, 1, 3, 2, 2, 2, 3, 1, 2, 2, 2, 1, 2, 3, 2, 1, 2, 2, 1],
        strict=True,
    )
)
# The assessors' levels as differences from the self-rating, in catalogue order.
FIRST_ASSESSOR_DELTAS = [0, 0, -1, 0, 0, 1, -1, 0, 0, 0, 0, 0, -1, 0, 0, 1, 0, -1, 0, 0, 0, -1, 0]
SECOND_ASSESSOR_DELTAS = [-1, 0, 0, 0, -2, 0, 0, 0, 0, 1, -1, 0, 0, 0, 0, 0, 0, 0, -1, 0, 0, 0, 1]
SCORING_DELTAS = [0, -1, 0, -1, 0, 0, -2, 0, 0, 1, 0, 0]  # the first half, being scored
# Pictures added to a criterion's evidence, beside its PDF.
PICTURES = {"A.2": "Flucht- und Rettungsplan Erdgeschoss", "D.2": "Schulwegplan"}

REVIEWS = {
    ASSESSOR: (
        Recommendation.AWARD,
        "Die Schule hat Sicherheit und Prävention fest im Schulalltag verankert. Die "
        "Nachweise sind aktuell und gut geordnet; einzelne Bereiche sind noch im Aufbau.",
        "Sehr aktive Streitschlichtung, eingeübte Räumungsabläufe, enge Zusammenarbeit mit "
        "Polizei und Feuerwehr.",
    ),
    SECOND_ASSESSOR: (
        Recommendation.AWARD,
        "Ein überzeugender Antrag mit gelebter Praxis. Beim Vorgehen gegen Mobbing fehlen "
        "noch verbindliche Abläufe, die der Leitfaden verspricht.",
        "Krisenteam mit klaren Zuständigkeiten, Schülerbeteiligung bei den Schulregeln, "
        "verlässlicher Schulsanitätsdienst.",
    ),
}
ADVICE = {
    "A": "Das Krisenkonzept jährlich mit der Polizei gegenlesen und die Fassung datieren.",
    "B": "Den Mobbing-Leitfaden mit Fallbeispielen ergänzen und im Kollegium schulen.",
    "C": "Die Streitschlichtung auch in den oberen Klassen sichtbar machen.",
    "D": "Den Schulwegplan gemeinsam mit dem Elternrat jährlich prüfen.",
    "E": "Die Auffrischung der Ersthelferkurse in einer Übersicht festhalten.",
    "F": "Die Angebote zur Suchtprävention auf die Klassen 8 und 9 ausweiten.",
    "G": "Die Medienscouts in die Elternabende einbinden.",
    "H": "Die Vereinbarungen mit den Partnern mit Ansprechpersonen und Laufzeit versehen.",
    "I": "Die Mängelliste der Begehung mit Fristen und Zuständigen führen.",
    "J": "Die Ergebnisse der Befragung im Schulprogramm ausdrücklich aufgreifen.",
}


def evidence_pdf(criterion: Criterion) -> bytes:
    statement = STATEMENTS.get(criterion.code, ("",))[0]
    return pdf(f"{criterion.code} {criterion.title}", [*criterion.evidence, "", statement])


def pdf(title: str, lines: list[str]) -> bytes:
    buffer = io.BytesIO()
    page = canvas.Canvas(buffer, pagesize=A4)
    page.setTitle(title)
    page.setFont("Helvetica-Bold", 14)
    page.drawString(72, 770, title[:80])
    page.setFont("Helvetica", 10)
    y = 740
    for line in lines:
        for start in range(0, len(line), 95):
            page.drawString(72, y, line[start : start + 95])
            y -= 14
    page.showPage()
    page.save()
    return buffer.getvalue()


def png(title: str) -> bytes:
    image = Image.new("RGB", (320, 200), (245, 245, 240))
    draw = ImageDraw.Draw(image)
    draw.rectangle((20, 20, 300, 180), outline=(40, 70, 150), width=3)
    draw.line((20, 100, 300, 100), fill=(200, 40, 40), width=5)
    draw.text((30, 30), title[:40], fill=(20, 20, 20))
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return buffer.getvalue()
