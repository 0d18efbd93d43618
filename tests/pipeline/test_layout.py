"""Reading order and block grouping on hand-placed lines (no PDFs)."""

from __future__ import annotations

from pipeline.extract.layout import Line, group_blocks, merge_fragments, reading_order
from pipeline.extract.regions import region_boxes
from pipeline.extract.tables import Grid, Rule, apply_grids, find_grids

HEIGHT = 11.0


def line(
    x0: float, top: float, text: str, width: float = 200, size: float = HEIGHT, bold: bool = False
) -> Line:
    return Line(x0, top, x0 + width, top + size, text, size, bold)


def two_columns(row_wise: bool) -> list[Line]:
    left = [line(50, 100 + 14 * i, f"L{i}") for i in range(10)]
    right = [line(300, 100 + 14 * i, f"R{i}") for i in range(10)]
    if row_wise:
        return [ln for pair in zip(left, right, strict=True) for ln in pair]
    return left + right


def texts(lines: list[Line]) -> list[str]:
    return [ln.text for ln in lines]


def test_two_columns_read_down_then_across_in_either_stream_order() -> None:
    expected = [f"L{i}" for i in range(10)] + [f"R{i}" for i in range(10)]
    assert texts(reading_order(two_columns(row_wise=False))) == expected
    assert texts(reading_order(two_columns(row_wise=True))) == expected


def test_title_and_footer_across_columns_stay_first_and_last() -> None:
    page = [
        line(50, 50, "Title", width=450),
        *two_columns(row_wise=True),
        line(250, 400, "Page 1 of 9", width=60),
    ]
    order = texts(reading_order(page))
    assert order[0] == "Title" and order[-1] == "Page 1 of 9" and order[1:3] == ["L0", "L1"]


def test_paragraph_gap_at_the_same_height_in_both_columns_does_not_split_them() -> None:
    left = [line(50, 100 + 14 * i, f"L{i}") for i in range(4)] + [
        line(50, 180 + 14 * i, f"L{i}") for i in range(4, 8)
    ]
    right = [line(300, 100 + 14 * i, f"R{i}") for i in range(4)] + [
        line(300, 180 + 14 * i, f"R{i}") for i in range(4, 8)
    ]
    order = texts(reading_order(right + left))
    assert order == [f"L{i}" for i in range(8)] + [f"R{i}" for i in range(8)]


def test_three_columns() -> None:
    columns = [[line(50 + 170 * c, 100 + 14 * i, f"C{c}.{i}", width=150) for i in range(5)] for c in range(3)]
    shuffled = [ln for row in zip(*columns, strict=True) for ln in reversed(row)]
    assert texts(reading_order(shuffled)) == [f"C{c}.{i}" for c in range(3) for i in range(5)]


def test_fragments_on_one_baseline_merge_and_a_bullet_joins_its_text() -> None:
    merged = merge_fragments(
        [
            line(80, 100, "the rest", 50),
            line(50, 100, "Start of", 28),
            line(30, 120, "•", 5),
            line(60, 120, "item", 30),
        ]
    )
    assert texts(merged) == ["Start of the rest", "• item"]


def test_paragraph_numbers_set_apart_stay_with_their_text() -> None:
    numbers = [line(57, 100 + 40 * i, f"{i + 1}.", 8) for i in range(3)]
    paragraphs = [line(85, 100 + 40 * i, f"Paragraph {i + 1} text", 400) for i in range(3)]
    assert texts(reading_order(merge_fragments(numbers + paragraphs))) == [
        f"{i + 1}. Paragraph {i + 1} text" for i in range(3)
    ]


def test_contents_entry_keeps_its_right_aligned_page_number() -> None:
    entries = [line(50, 100 + 14 * i, f"Section {i}", 80) for i in range(4)]
    numbers = [line(520, 100 + 14 * i, str(i + 3), 10) for i in range(4)]
    assert texts(reading_order(merge_fragments(numbers + entries))) == [
        f"Section {i} {i + 3}" for i in range(4)
    ]


def test_group_blocks_finds_headings_paragraphs_and_list_items() -> None:
    lines = [
        line(50, 50, "Findings", size=16, bold=True),
        line(50, 80, "The first"),
        line(50, 94, "paragraph."),
        line(50, 130, "• a point"),
        line(50, 144, "• another"),
    ]
    blocks = group_blocks(lines, body=HEIGHT)
    assert [b.kind for b in blocks] == ["heading", "paragraph", "list_item", "list_item"]
    assert texts(blocks[1].lines) == ["The first", "paragraph."]


def test_ruled_grid_becomes_table_rows() -> None:
    rules = [Rule(y, 50, 450, vertical=False) for y in (100, 120, 140)] + [
        Rule(x, 100, 140, vertical=True) for x in (50, 200, 450)
    ]
    grids = find_grids(rules)
    verticals = ((50, 100, 140), (200, 100, 140), (450, 100, 140))
    assert grids == [Grid((50, 200, 450), (100, 120, 140), verticals)]
    cells = [
        line(55, 104, "Recommendation", 90),
        line(205, 104, "What have we done", 100),
        line(55, 124, "Train staff", 60),
        line(205, 124, "Done", 30),
        line(50, 300, "After the table"),
    ]
    lines, boxes = apply_grids(cells, grids)
    assert texts(lines) == ["After the table", ""] and boxes == []
    assert lines[1].rows == (("Recommendation", "What have we done"), ("Train staff", "Done"))


def test_a_caption_cell_across_the_top_of_a_table_is_a_box_not_a_row() -> None:
    rules = [Rule(y, 50, 450, vertical=False) for y in (80, 100, 120, 140)] + [
        Rule(x, 80, 140, vertical=True) for x in (50, 450)
    ]
    rules.append(Rule(200, 100, 140, vertical=True))  # the column rule stops under the caption
    caption = line(55, 84, "Table 1: the caption runs across both columns of the table", 390)
    cells = [line(55, 104, "Area", 40), line(205, 104, "Rate", 40), line(55, 124, "North", 40)]
    lines, boxes = apply_grids([caption, *cells, line(205, 124, "12.5", 30)], find_grids(rules))
    assert [ln.text for ln in lines] == [caption.text, ""]
    assert lines[1].rows == (("Area", "Rate"), ("North", "12.5"))
    assert (50, 80, 450, 100) in boxes and (50, 80, 450, 140) in boxes


def test_a_judgement_panel_is_boxes_not_a_table() -> None:
    """Ofsted's panels: a title | judgement row over one wide cell of text is no table."""
    rules = [Rule(y, 50, 450, vertical=False) for y in (80, 110, 300)] + [
        Rule(x, 80, 300, vertical=True) for x in (50, 450)
    ]
    rules.append(Rule(300, 80, 110, vertical=True))
    text = [line(55, 120 + 14 * i, f"Summary line {i} runs under the header rule", 390) for i in range(5)]
    lines, boxes = apply_grids(
        [line(55, 85, "Help and protection", 200), line(305, 85, "Good", 40), *text], find_grids(rules)
    )
    assert not any(ln.rows for ln in lines) and len(lines) == 7
    assert {(50, 80, 300, 110), (300, 80, 450, 110), (50, 110, 450, 300), (50, 80, 450, 300)} <= set(boxes)


def test_a_region_interrupting_a_sentence_goes_after_the_paragraph() -> None:
    box = Line(
        50, 128, 450, 170, "", HEIGHT, children=(line(60, 135, "Key finding"), line(60, 150, "In a box."))
    )
    lines = [line(50, 100, "The review found that"), line(50, 114, "professionals did not"), box]
    lines += [line(50, 180, "share what they knew."), line(50, 210, "Next paragraph.")]
    blocks = group_blocks(reading_order(lines), body=HEIGHT)
    assert [texts(b.lines) for b in blocks] == [
        ["The review found that", "professionals did not", "share what they knew."],
        ["Key finding", "In a box."],
        ["Next paragraph."],
    ]


def test_a_highlight_behind_a_phrase_is_not_a_region() -> None:
    words = [
        line(50, 100, "The plan was", 60),
        line(113, 100, "not reviewed", 55),
        line(171, 100, "in time.", 40),
    ]
    lines = [*words, line(50, 114, "Next line of the paragraph.", 200)]
    highlight = (111.0, 98.0, 170.0, 113.0)
    assert region_boxes(lines, [highlight]) == []
    tall_highlight = (111.0, 80.0, 170.0, 126.0)
    assert region_boxes(lines, [tall_highlight]) == []
