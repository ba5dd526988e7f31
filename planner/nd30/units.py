"""The units of a Word page and the sizes ND30 fixes in them, each named with its unit.

WordprocessingML measures lengths in twips (1/20 pt), font sizes in half-points and drawing
extents in EMU; the checker reports centimetres and millimetres. Conversions use Word's own
rounded 567 twips to the centimetre, so a margin set to "3 cm" in Word reads back as 3.0 cm.
This module holds numbers only and imports nothing.
"""

from __future__ import annotations

# Conversions.
TWIPS_PER_PT = 20
TWIPS_PER_CM = 567.0  # Word's rounding of 1440 / 2.54
TWIPS_PER_MM = TWIPS_PER_CM / 10
HALF_POINTS_PER_PT = 2  # w:sz is in half-points
EMU_PER_CM = 360000.0
CM_PER_INCH = 2.54
PT_PER_INCH = 72
PX_PER_INCH = 96  # CSS pixels, as VML styles use them
PT_PER_CM = PT_PER_INCH / CM_PER_INCH

# The page ND30 asks for (Phụ lục I, mục I.1-I.3): A4 portrait and the ND30 template's margins.
A4_WIDTH_TWIPS = 11906  # 210 mm
A4_HEIGHT_TWIPS = 16838  # 297 mm
A4_TOLERANCE_TWIPS = 60  # about 1 mm: Word and LibreOffice round page sizes differently
LEFT_MARGIN_TWIPS = 1701  # 3 cm, the default when a section does not say
RIGHT_MARGIN_TWIPS = 850  # 1.5 cm, the default when a section does not say
TEXT_WIDTH_TWIPS = float(A4_WIDTH_TWIPS - LEFT_MARGIN_TWIPS - RIGHT_MARGIN_TWIPS)  # 9355
MARGIN_TOLERANCE_MM = 0.3

# Word's defaults.
CELL_MARGIN_TWIPS = 108  # left and right cell margin of a table without w:tblCellMar (0.19 cm)
SINGLE_LINE = 240  # w:spacing/@w:line for single spacing (lineRule auto: 240ths of a line)
ONE_AND_HALF_LINES = 360
DEFAULT_FONT_SIZE_PT = 10.0  # a run with no w:sz anywhere in its chain
DEFAULT_TAB_TWIPS = 720  # Word's default tab stops every 1.27 cm

# Drawn rules: a shape this thin (or thinner) is a line, not a picture.
RULE_MAX_HEIGHT_CM = 0.15
