"""print posters|cards|logo: printable PDFs (or 300 dpi PNGs) from the command line.

Qt paints the files through ``frontdesk.ui.render`` (QtGui only), imported when a file is made.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from frontdesk.cli.commands.base import CliContext, Output, SubParsers, out_file
from frontdesk.domain.errors import InvalidInputError
from frontdesk.printing.card_layout import CARD_PAPERS
from frontdesk.printing.documents import PrintDocument
from frontdesk.printing.geometry import Paper
from frontdesk.printing.templates import TEMPLATES, default_template_key


def register(sub: SubParsers) -> None:
    printing = sub.add_parser("print", help="QR posters and personal referral cards")
    p_sub = printing.add_subparsers(dest="print_command", required=True)

    posters = p_sub.add_parser("posters", help="QR posters, one page per place it hangs")
    posters.add_argument(
        "--out", required=True, type=out_file, help="FILE.pdf (or FILE.png at 300 dpi)"
    )
    posters.add_argument("--paper", default="A4", help="A4, Letter or A5 (default A4)")
    posters.add_argument("--template", choices=sorted(TEMPLATES), help="default: the clinic's type")
    posters.add_argument(
        "--source",
        action="append",
        metavar="NAME",
        help="where the poster hangs, e.g. 'Treatment room 1' (repeatable; default: the "
        "posters already on file, or Reception)",
    )
    posters.set_defaults(handler=cmd_posters)

    cards = p_sub.add_parser("cards", help="personal referral cards, ten to a sheet")
    cards.add_argument(
        "--out", required=True, type=out_file, help="FILE.pdf (or FILE.png at 300 dpi)"
    )
    cards.add_argument("--paper", default="A4", help="A4 or Letter (default A4)")
    cards.add_argument(
        "--patients",
        nargs="+",
        metavar="Q",
        help="codes, phones, names or emails (default: everyone seen today)",
    )
    cards.add_argument(
        "--aftercare", action="store_true", help="add a page of aftercare backs per sheet"
    )
    cards.set_defaults(handler=cmd_cards)

    logo = p_sub.add_parser("logo", help="set the clinic's logo for posters and cards")
    group = logo.add_mutually_exclusive_group(required=True)
    group.add_argument("file", nargs="?", help="a PNG, JPEG or SVG file")
    group.add_argument("--clear", action="store_true", help="print the monogram instead")
    logo.set_defaults(handler=cmd_logo)


def cmd_posters(ctx: CliContext, args: argparse.Namespace) -> Output:
    paper = Paper.parse(args.paper)
    out = _target(args.out)
    printing = ctx.services.printing
    template = args.template or default_template_key(ctx.services.clinic.info().clinic_type)
    sources = args.source or [p.name for p in printing.list_posters()] or ["Reception"]
    document = printing.print_posters(ctx.actor, template, paper, sources)
    return _export(document, out)


def cmd_cards(ctx: CliContext, args: argparse.Namespace) -> Output:
    paper = Paper.parse(args.paper, CARD_PAPERS)
    out = _target(args.out)
    printing = ctx.services.printing
    if args.patients:
        people = printing.resolve(args.patients)
    else:
        people = printing.todays_patients()
        if not people:
            raise InvalidInputError(
                "No one has been checked in today yet; name patients with --patients."
            )
    document = printing.card_document([p.id for p in people], paper, aftercare=args.aftercare)
    return _export(document, out)


def cmd_logo(ctx: CliContext, args: argparse.Namespace) -> Output:
    if args.clear:
        ctx.services.printing.clear_logo(ctx.actor)
        return Output({"logo": None}, "Logo removed; posters and cards show the monogram.")
    path = Path(args.file)
    try:
        data = path.read_bytes()
    except OSError as error:
        raise InvalidInputError(f"Can't read {path}: {error.strerror}.") from None
    logo = ctx.services.printing.set_logo(ctx.actor, data)
    return Output(
        {"logo": logo.format, "bytes": len(logo.data)},
        f"Logo set ({logo.format.upper()}, {len(logo.data) // 1024} KB).",
    )


def _target(out: str) -> Path:
    path = Path(out)
    if path.suffix.lower() not in (".pdf", ".png"):
        raise InvalidInputError(f"--out must end in .pdf or .png, not {path.name!r}.")
    if path.parent and not path.parent.exists():
        raise InvalidInputError(f"The folder {str(path.parent)!r} does not exist.")
    return path


def _export(document: PrintDocument, out: Path) -> Output:
    from frontdesk.ui.render.printing.headless import export  # Qt only when printing

    files = export(document, out)
    pages = len(document.pages)
    lines = [f"{document.title}: {pages} page{'s' if pages != 1 else ''} → "]
    lines[0] += ", ".join(str(f) for f in files)
    lines += [f"Note: {note}" for note in document.notes]
    data = {
        "title": document.title,
        "paper": document.paper.value,
        "pages": pages,
        "files": [str(f) for f in files],
        "qr_payloads": list(document.payloads),
        "notes": list(document.notes),
    }
    return Output(data, "\n".join(lines))
