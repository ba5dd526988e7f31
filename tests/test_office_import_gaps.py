"""The last gaps of the Word import (issue #11): a rule drawn as a VML group, `Kính gửi:` in a
table, a table before the first section, labels the source does not have, and line breaks
the source had.

Documents are built the way other offices' files are (`tests/office_docs.py`, raw XML).
"""

from __future__ import annotations

import pytest

from planner.nd30.checker import check_docx
from tests import office_docs as O


def _messages(data: bytes) -> list[str]:
    return [f.message for f in check_docx(data, "vanban.docx")]


# ---------------------------------------------------------------- VML groups of lines


@pytest.mark.parametrize(
    ("place", "shape"),
    [("after", "2x2"), ("next_row", "3x3"), ("next_row", "2x2"), ("cell_top", "2x2"),
     ("same", "1x2"), ("after", "2x3")],
)  # fmt: skip
def test_rule_drawn_as_a_vml_group_of_lines_is_found(place: str, shape: str) -> None:
    assert _messages(O.office_docx(header=shape, rule="vml_group", place=place)) == []


def test_vml_group_rule_too_short_is_measured_in_the_groups_coordinates() -> None:
    # The authority's rule drawn as a group 1 cm wide: its lines span the whole group, so
    # the rule is 1 cm (not the 2000 units of its coordinates, not missing).
    xml = O._vml_group(1.0)
    data = O.office_docx(header="2x2", rule="border", place="after")
    data = _with_authority_rule(data, xml)
    messages = _messages(data)
    assert any("Đường kẻ dưới tên cơ quan dài 1,0 cm" in m for m in messages), messages
    assert not any("Thiếu đường kẻ" in m for m in messages), messages


def _with_authority_rule(data: bytes, run_xml: str) -> bytes:
    """The document with the authority's bordered rule paragraph replaced by one holding
    `run_xml` (the first paragraph with a bottom border in the header table)."""
    import io

    import docx
    from docx.oxml import parse_xml

    d = docx.Document(io.BytesIO(data))
    tbl = d.element.body.find(f"{{{O.W_NS}}}tbl")
    for p in tbl.iter(f"{{{O.W_NS}}}p"):
        if p.find(f".//{{{O.W_NS}}}pBdr") is not None:
            p.remove(p.find(f"{{{O.W_NS}}}pPr"))
            p.append(parse_xml(run_xml.replace("<w:r>", f"<w:r {O.DECL}>", 1)))
            break
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()
