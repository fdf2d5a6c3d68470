"""What the Print screen's choices turn into: the document for a selection, built on a
worker thread, and errors put into words for the desk."""

from __future__ import annotations

from dataclasses import dataclass

from frontdesk.domain.errors import in_words
from frontdesk.printing.documents import PrintDocument
from frontdesk.printing.geometry import Paper
from frontdesk.services.printing.service import PrintService
from frontdesk.services.records.context import Actor
from frontdesk.ui.screens.print.preview import GalleryEntry


@dataclass(frozen=True)
class Selection:
    """Everything that decides the document, captured on the GUI thread."""

    entry: GalleryEntry
    paper: Paper
    source: str
    patient_ids: tuple[int, ...]

    @property
    def is_sample(self) -> bool:
        return not self.entry.is_poster and not self.patient_ids


def build_document(
    printing: PrintService, actor: Actor, selection: Selection, *, record: bool = False
) -> PrintDocument:
    """Posters are recorded (their source tags stored) only when really printed or saved;
    with no one chosen, cards show a sample sheet."""
    entry = selection.entry
    if entry.is_poster:
        assert entry.template is not None
        if record:
            return printing.print_posters(
                actor, entry.template, selection.paper, [selection.source]
            )
        return printing.poster_preview(entry.template, selection.paper, selection.source)
    aftercare = entry.key == "cards+aftercare"
    if selection.is_sample:
        return printing.sample_card_document(selection.paper, aftercare=aftercare)
    return printing.card_document(selection.patient_ids, selection.paper, aftercare=aftercare)


def print_failure(error: BaseException) -> str:
    return in_words(error, "Something went wrong while preparing the print. Please try again.")
