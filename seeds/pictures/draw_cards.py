"""Draw the seed story's desk graphic: a typographic card of the statement's key words, no photograph.

Run `python seeds/pictures/draw_cards.py` to draw it again (needs Pillow and the DejaVu fonts); the
PNG it writes is what `manage.py load_seed_pictures` puts in the image library. The card is what it
says it is: type, a date and the desk's name, credited to the desk, showing no person.
"""
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

HERE = Path(__file__).resolve().parent
WIDTH, HEIGHT = 2400, 1350
PAPER, INK, INK_2, RULE, ACCENT = "#fdfcf9", "#1b1a18", "#3d3a35", "#d8d2c6", "#9b1c1c"
FONTS = Path("/usr/share/fonts/truetype/dejavu")


def font(name, size):
    try:
        return ImageFont.truetype(str(FONTS / name), size)
    except OSError:
        return ImageFont.load_default(size)


def centred(draw, y, text, face, fill):
    left, top, right, bottom = draw.textbbox((0, 0), text, font=face)
    draw.text(((WIDTH - (right - left)) / 2 - left, y), text, font=face, fill=fill)
    return y + (bottom - top)


def draw_card(path):
    card = Image.new("RGB", (WIDTH, HEIGHT), PAPER)
    draw = ImageDraw.Draw(card)
    # The words stay inside the middle square, so the square and 4:3 crops keep all of them; the
    # sides carry the rules of a printed page.
    square = (WIDTH - HEIGHT) // 2
    for x in range(60, square - 60, 36):
        draw.line([(x, 140), (x, HEIGHT - 140)], fill=RULE, width=3)
        draw.line([(WIDTH - x, 140), (WIDTH - x, HEIGHT - 140)], fill=RULE, width=3)
    draw.rectangle([square, 0, WIDTH - square, 28], fill=ACCENT)
    y = centred(draw, 190, "NORTH KOREA  ·  INTER-KOREAN RELATIONS", font("DejaVuSans-Bold.ttf", 40), ACCENT)
    y = centred(draw, y + 120, "“No interest”", font("DejaVuSerif-Bold.ttf", 168), INK)
    y = centred(draw, y + 110, "Kim Yo Jong rejects", font("DejaVuSerif.ttf", 82), INK_2)
    y = centred(draw, y + 30, "Seoul’s overtures", font("DejaVuSerif.ttf", 82), INK_2)
    draw.line([(square + 240, y + 90), (WIDTH - square - 240, y + 90)], fill=INK, width=4)
    centred(draw, y + 140, "Statement carried by KCNA  ·  28 July 2025", font("DejaVuSans.ttf", 44), INK_2)
    centred(draw, HEIGHT - 150, "REALIST ENGLISH  ·  DESK GRAPHIC", font("DejaVuSans-Bold.ttf", 36), INK_2)
    card.save(path, "PNG", optimize=True)


if __name__ == "__main__":
    draw_card(HERE / "kim-yo-jong-no-interest-card.png")
