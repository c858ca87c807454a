"""The raster renderer: 1-bit, the head's width, Thai marks stacked, no missing glyphs."""

from __future__ import annotations

import pytest
from PIL import Image, ImageDraw, ImageFont

from kiosk.receipts.fonts import Script, font_path
from kiosk.receipts.layout import Line, Size, paper_for, receipt_blocks
from kiosk.receipts.model import Receipt
from kiosk.receipts.raster import render
from tests.receipts.conftest import reprinted


def ink_rows(image: Image.Image) -> tuple[int, int]:
    """First and last row with a black dot."""
    box = Image.eval(image.convert("L"), lambda v: 255 - v).getbbox()
    assert box is not None
    return box[1], box[3]


def line_image(text: str, mm: int = 80) -> Image.Image:
    return render([Line(text, Size.LARGE)], paper_for(mm))


@pytest.mark.parametrize("mm,width", [(58, 384), (80, 576)])
def test_receipt_is_one_bit_and_exactly_the_head_width(
    receipt: Receipt, mm: int, width: int
) -> None:
    image = render(receipt_blocks(reprinted(receipt)), paper_for(mm))
    assert image.mode == "1" and image.width == width
    assert 600 < image.height < 1600
    histogram = image.convert("L").histogram()
    assert histogram[0] + histogram[255] == image.width * image.height


def test_rendering_is_deterministic(receipt: Receipt) -> None:
    blocks = receipt_blocks(receipt)
    assert render(blocks, paper_for(58)).tobytes() == render(blocks, paper_for(58)).tobytes()


def test_tone_mark_stacks_above_the_upper_vowel() -> None:
    # Shaped Thai: in ที่ the tone mark sits on top of sara ii, higher than in ที,
    # which is higher than the bare consonant. Unshaped text draws both marks
    # at one place, so ที่ and ที would reach the same height.
    top_bare, bottom_bare = ink_rows(line_image("ท"))
    top_vowel, _ = ink_rows(line_image("ที"))
    top_both, _ = ink_rows(line_image("ที่"))
    assert top_both < top_vowel < top_bare
    # A lower vowel hangs below the base line: ทุ reaches lower than ท.
    assert ink_rows(line_image("ทุ"))[1] > bottom_bare


def ink(image: Image.Image) -> tuple[tuple[int, int], bytes]:
    """The black part of an image, cropped: its size and its dots."""
    box = Image.eval(image.convert("L"), lambda v: 255 - v).getbbox()
    assert box is not None
    cropped = image.crop(box)
    return cropped.size, cropped.tobytes()


def test_every_character_of_a_mixed_line_has_a_glyph() -> None:
    # No character of a Thai + Latin line may come out as the "missing glyph" box.
    paper = paper_for(80)
    px = paper.sizes[Size.LARGE]
    missing = []
    for script in Script:
        font = ImageFont.truetype(str(font_path(script)), px, layout_engine=ImageFont.Layout.RAQM)
        box = Image.new("1", (px * 2, px * 2), 255)
        ImageDraw.Draw(box).text((px // 2, px // 2), "\U0010fffd", font=font, fill=0)
        missing.append(ink(box))
    for ch in "ยอดชำระ TOTAL ฿1,234.50 (PromptPay) เลขที่ No. #:/-":
        if ch != " ":
            assert ink(render([Line(ch, Size.LARGE)], paper)) not in missing, ch
