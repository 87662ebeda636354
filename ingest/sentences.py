"""Split a paragraph into sentences and find its quotations, without breaking inside a quotation."""
import re

from .lexicon import ABBREVIATIONS, DASHES, QUOTE_OPEN, UP


def quote_spans(text):
    """Return (start, end) of each quotation, marks included; an unclosed quotation runs to the end."""
    spans, start, closer = [], None, ""
    for i, ch in enumerate(text):
        if start is None:
            if ch == "“" or (ch == '"'):
                start, closer = i, "”" if ch == "“" else '"'
        elif ch == closer:
            spans.append((start, i + 1))
            start = None
    if start is not None:
        spans.append((start, len(text)))
    return spans


def mask_quotes(text):
    """Return text with the inside of quotations replaced by underscores, same length, marks kept."""
    chars = list(text)
    for start, end in quote_spans(text):
        for i in range(start + 1, max(start + 1, end - 1)):
            chars[i] = "_"
    return "".join(chars)


def split_sentences(paragraph):
    """Split a paragraph into sentences without breaking inside quotations or after abbreviations."""
    masked = mask_quotes(paragraph)
    sentences, start = [], 0
    for m in re.finditer(rf"[.!?][”\"’)]?(?=\s+[“\"{UP}0-9])", masked):
        end = m.end()
        inner = paragraph[start:end]
        if masked[m.start()] == "_":
            continue
        word = re.search(r"([\w.]+)[.!?][”\"’)]?$", inner)
        if word and (word.group(1).lower() in ABBREVIATIONS or re.fullmatch(r"[A-Z]", word.group(1))):
            continue
        sentences.append(inner.strip())
        start = end
    # A quotation that ends a sentence: “...discussed.” followed by the next sentence.
    result = []
    for sentence in sentences + [paragraph[start:].strip()]:
        if not sentence:
            continue
        sub_masked = mask_quotes(sentence)
        pieces, s = [], 0
        for span_start, span_end in quote_spans(sentence):
            inner = sentence[span_start:span_end]
            if span_end < len(sentence) and re.search(r"[.!?][”\"]$", inner) and re.match(
                rf"\s+[“\"{UP}]", sentence[span_end:]
            ) and sub_masked[span_start] in QUOTE_OPEN:
                pieces.append(sentence[s:span_end].strip())
                s = span_end
        pieces.append(sentence[s:].strip())
        result.extend(p for p in pieces if p)
    return result


def clean_phrase(text):
    """Strip the punctuation around a phrase, keeping the full stop of "U.S." and "Dr."."""
    text = text.strip().strip(",;:" + DASHES).strip()
    if text.endswith(".") and not re.search(r"(?:\b(?:[A-Z]\.){2,}|\b[A-Z]\.|\b(?:Jr|Sr|Inc|Ltd|Co)\.)$", text):
        text = text[:-1].rstrip()
    return text
