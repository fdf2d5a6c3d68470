"""Print documents: every page fully decided — words, QR matrices, positions — as plain data.

A renderer only paints what is here, so the same document becomes a preview image, a PDF,
a 300 dpi PNG or a job on a real printer, and tests can compare the output to the intent.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import phonenumbers

from frontdesk.domain.errors import InvalidInputError
from frontdesk.printing import card_layout as cards
from frontdesk.printing.card_layout import CardBackLayout, CardFrontLayout, CardSheetLayout
from frontdesk.printing.geometry import Paper, Rect
from frontdesk.printing.payloads import display_address
from frontdesk.printing.poster_layout import PosterLayout, poster_layout
from frontdesk.printing.qr import QrCode, fit_qr, make_qr
from frontdesk.printing.templates import PrintTemplate

LOGO_FORMATS = ("png", "jpeg", "svg")


@dataclass(frozen=True)
class Logo:
    data: bytes
    format: str  # png, jpeg or svg


@dataclass(frozen=True)
class ClinicMark:
    """How the clinic signs its printed material."""

    name: str
    booking_url: str | None
    sms_number: str | None  # E.164
    country: str
    logo: Logo | None = None

    @property
    def initials(self) -> str:
        words = [w for w in self.name.replace("&", " ").split() if w[:1].isalnum()]
        return "".join(w[0] for w in words[:2]).upper() or "+"

    def phone_display(self) -> str | None:
        if not self.sms_number:
            return None
        number = phonenumbers.parse(self.sms_number, self.country)
        return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)

    def contact_line(self, keyword: str | None = None) -> str:
        if self.booking_url:
            return display_address(self.booking_url)
        phone = self.phone_display()
        if phone and keyword:
            return f"Text {keyword.upper()} to {phone}"
        return f"Call or text {phone}" if phone else ""


@dataclass(frozen=True)
class PosterPage:
    layout: PosterLayout
    template: PrintTemplate
    clinic: ClinicMark
    headline: str
    offer_lead: str
    offer: str
    instruction: str
    contact: str
    qr: QrCode
    source_name: str
    source_tag: str


@dataclass(frozen=True)
class CardPerson:
    patient_id: int
    first_name: str
    code: str
    payload: str | None  # None: the clinic has no website or SMS number


@dataclass(frozen=True)
class CardFace:
    person: CardPerson
    rect: Rect  # where the card sits on the sheet
    layout: CardFrontLayout
    qr: QrCode | None


@dataclass(frozen=True)
class CardFrontPage:
    sheet: CardSheetLayout
    template: PrintTemplate
    clinic: ClinicMark
    caption: str
    offer_lead: str
    offer: str
    contact: str
    faces: tuple[CardFace, ...]


@dataclass(frozen=True)
class CardBackPage:
    sheet: CardSheetLayout
    template: PrintTemplate
    clinic: ClinicMark
    layout: CardBackLayout
    aftercare: str
    next_visit_label: str
    contact: str
    slots: tuple[Rect, ...]  # mirrored positions of the cards printed on the front


Page = PosterPage | CardFrontPage | CardBackPage


@dataclass(frozen=True)
class PrintDocument:
    title: str
    paper: Paper
    pages: tuple[Page, ...]
    notes: tuple[str, ...] = ()

    @property
    def payloads(self) -> tuple[str, ...]:
        """Every QR payload, page by page: what the printed codes must decode to."""
        found: list[str] = []
        for page in self.pages:
            if isinstance(page, PosterPage):
                found.append(page.qr.payload)
            elif isinstance(page, CardFrontPage):
                found.extend(face.qr.payload for face in page.faces if face.qr)
        return tuple(found)


def poster_page(
    *,
    paper: Paper,
    template: PrintTemplate,
    clinic: ClinicMark,
    payload: str,
    headline: str,
    offer: str,
    instruction: str,
    contact: str,
    source_name: str,
    source_tag: str,
) -> PosterPage:
    # The centre of a poster's code carries the clinic's mark, so it is encoded at level H.
    code = make_qr(payload, with_logo=True)
    return PosterPage(
        layout=poster_layout(paper, code, headline_serif=template.headline_serif),
        template=template,
        clinic=clinic,
        headline=headline,
        offer_lead=template.offer_lead,
        offer=offer,
        instruction=instruction,
        contact=contact,
        qr=code,
        source_name=source_name,
        source_tag=source_tag,
    )


def card_document(
    *,
    paper: Paper,
    template: PrintTemplate,
    clinic: ClinicMark,
    people: Sequence[CardPerson],
    offer: str,
    contact: str,
    aftercare: str | None,
) -> PrintDocument:
    """Sheets of ten cards, each followed by its backs when ``aftercare`` is given."""
    if not people:
        raise InvalidInputError("There is no one to print a card for.")
    sheet = cards.card_sheet(paper)
    notes: list[str] = []
    faces: list[CardFace] = []
    for index, person in enumerate(people):
        code = make_qr(person.payload) if person.payload else None
        fit = None
        if code is not None:
            fit = fit_qr(code, cards.QR_SLOT, max_mm=cards.QR_MAX, where="an 85 × 55 mm card")
            if fit.enlarged_from_mm and not notes:
                notes.append(
                    f"The QR codes were enlarged to {fit.side_mm:.1f} mm so every square "
                    "stays at least 0.5 mm wide; the card text was made narrower."
                )
        slot = sheet.cards[index % cards.PER_SHEET]
        faces.append(CardFace(person, slot, cards.card_front(fit), code))
    if all(face.qr is None for face in faces):
        notes.append(
            "The clinic has no booking page or SMS number, so the cards show the code "
            "without a QR code. Add one in Settings to print scannable cards."
        )
    pages: list[Page] = []
    for start in range(0, len(faces), cards.PER_SHEET):
        batch = tuple(faces[start : start + cards.PER_SHEET])
        pages.append(
            CardFrontPage(
                sheet=sheet,
                template=template,
                clinic=clinic,
                caption=template.card_caption,
                offer_lead="Your welcome offer",
                offer=offer,
                contact=contact,
                faces=batch,
            )
        )
        if aftercare is not None:
            mirrored = sheet.back_positions()
            pages.append(
                CardBackPage(
                    sheet=sheet,
                    template=template,
                    clinic=clinic,
                    layout=cards.card_back(),
                    aftercare=aftercare,
                    next_visit_label="Your next visit",
                    contact=contact,
                    slots=mirrored[: len(batch)],
                )
            )
    count = len(people)
    title = f"Referral cards ({count} {'person' if count == 1 else 'people'})"
    return PrintDocument(title=title, paper=paper, pages=tuple(pages), notes=tuple(notes))
