"""Write small, valid PDFs with real text (for the sample web's whitepaper and the tests)."""

from __future__ import annotations

from collections.abc import Sequence

PUSH_BUTTON = 1 << 16  # bit 17 of a button field's flags
RADIO = 1 << 15  # bit 16: a group of radio buttons, one field of a widget per choice


def make_pdf(lines: list[str], title: str | None = None, author: str | None = None,
             fields: Sequence[str] = (), buttons: Sequence[str] = (), choices: Sequence[str] = (),
             heading: str | None = None) -> bytes:
    """A one-page PDF showing `lines` in Helvetica (what WinAnsiEncoding holds of them), with an
    Info dictionary (any script), and a form's
    text `fields` and push `buttons` (by name) as widgets on its page, listed in its AcroForm;
    and one radio group's `choices`, a widget each under the one field that holds them; a
    `heading` set large (20 pt) above the lines, as a cover's title is."""

    def escape(text: str) -> str:
        return text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")

    def shown(text: str) -> str:
        # The page's text in WinAnsiEncoding (the font's), each byte as the character that the
        # file's latin-1 writes back as that byte: dashes, curly quotes and bullets survive.
        return escape(text.encode("cp1252", errors="replace").decode("latin-1"))

    def utf16(text: str) -> str:
        return f"<FEFF{text.encode('utf-16-be').hex().upper()}>"  # a text string in any script

    content = (f"BT /F1 20 Tf 56 770 Td ({shown(heading)}) Tj ET " if heading else "") + (
        "BT /F1 11 Tf 14 TL 56 740 Td " + " ".join(f"({shown(line)}) '" for line in lines) + " ET")
    info = " ".join(
        f"/{key} {utf16(value)}" for key, value in (("Title", title), ("Author", author)) if value
    )
    widgets = [f"/FT /Tx /T ({escape(name)})" for name in fields] + [
        f"/FT /Btn /Ff {PUSH_BUTTON} /T ({escape(name)})" for name in buttons]
    group = 7 + len(widgets) + len(choices)  # the radio group's field, after every widget
    widgets += [f"/Parent {group} 0 R /AS /Off /AP << /N << /Choice{number} null /Off null >> >>"
                for number, _ in enumerate(choices, start=1)]
    references = " ".join(f"{number} 0 R" for number in range(7, 7 + len(widgets)))
    listed = " ".join(f"{number} 0 R" for number in range(7, 7 + len(widgets) - len(choices)))
    listed += f" {group} 0 R" if choices else ""
    kids = " ".join(f"{number} 0 R" for number in range(group - len(choices), group))
    form = f" /AcroForm << /Fields [{listed.strip()}] >>" if widgets else ""
    annotations = f" /Annots [{references}]" if widgets else ""
    objects = [
        f"<< /Type /Catalog /Pages 2 0 R{form} >>",
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] "
        f"/Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R{annotations} >>",
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
        f"<< /Length {len(content)} >>\nstream\n{content}\nendstream",
        f"<< {info} /CreationDate (D:20261020090000Z) >>",
        *(f"<< /Type /Annot /Subtype /Widget {widget} /Rect [300 {700 - 30 * number} 500 {720 - 30 * number}] "
          "/P 3 0 R >>" for number, widget in enumerate(widgets)),
        *([f"<< /FT /Btn /Ff {RADIO} /T (choice) /Kids [{kids}] >>"] if choices else []),
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n{body}\nendobj\n".encode("latin-1")
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += "".join(f"{offset:010d} 00000 n \n" for offset in offsets).encode()
    out += (f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R /Info 6 0 R >>\n"
            f"startxref\n{xref}\n%%EOF\n").encode()
    return bytes(out)
