"""The reading-order measures used on OCR text: misreads are not order errors, order errors still count."""

from __future__ import annotations

from tests.pipeline.pdf_factory import order_adjacency, pair_accuracy

TRUTH = [
    "the practitioners did not see the child alone at",
    "any of the home visits and the voice of the child",
    "was not recorded in the assessment or the plan",
    "the school shared its concerns with the social",
    "worker but the referral was closed after a week",
    "limited",
    "because the family did not attend appointments",
]


def test_letter_perfect_text_in_order_scores_one() -> None:
    text = "\n".join(TRUTH)
    assert pair_accuracy(TRUTH, text) == order_adjacency(TRUTH, text) == 1.0


def test_misread_letters_fail_the_exact_measure_but_not_the_order() -> None:
    misread = (
        "\n".join(TRUTH).replace("visits", "vislts").replace("school", "schoo!").replace("worker", "wonker")
    )
    assert pair_accuracy(TRUTH, misread) < 0.7
    assert order_adjacency(TRUTH, misread) == 1.0


def test_lines_out_of_order_still_fail() -> None:
    swapped = TRUTH[:1] + TRUTH[3:5] + TRUTH[1:3] + TRUTH[5:]
    assert order_adjacency(TRUTH, "\n".join(swapped)) == 3 / 6  # three of the six pairs broken
    interleaved = [TRUTH[i] for i in (0, 3, 1, 4, 2, 5, 6)]
    assert order_adjacency(TRUTH, "\n".join(interleaved)) <= 2 / 6


def test_a_line_too_short_to_cut_is_matched_exactly() -> None:
    text = "\n".join(TRUTH).replace("limited", "imited")
    assert order_adjacency(TRUTH, text) == 4 / 6  # both pairs around the short line fail


def test_a_lost_line_breaks_its_pairs() -> None:
    text = "\n".join(TRUTH[:2] + TRUTH[3:])
    assert order_adjacency(TRUTH, text) == 4 / 6
