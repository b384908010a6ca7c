"""People's names as lead files write them: which word is the first name.

A full name may carry honorifics ("Dr. Jane Smith", "Herr Jürgen Müller"),
be written last name first ("Smith, John"), or end in suffixes ("John Smith
Jr.", "Jane Smith, PhD"). None of those words is a first name, and a name
that has none ("Dr. Smith") gives no first name rather than a wrong one.
"""

from __future__ import annotations

import functools
import re

# Honorifics and academic or professional titles before a name, in the
# languages of the lists we see; compared without dots, hyphens and case.
# Words that are also first names ("Don", "Maj") are left out.
_HONORIFICS = frozenset({
    "mr", "mrs", "ms", "miss", "mx", "master", "dr", "doctor", "prof", "professor", "sir",
    "dame", "lord", "lady", "rev", "revd", "reverend", "fr", "father", "hon", "capt", "col",
    "gen", "lt", "sgt", "herr", "frau", "hr", "fru", "frk", "fröken", "dipl", "dipling",
    "dring", "ing", "mag", "m", "mme", "mlle", "monsieur", "madame", "mademoiselle", "sr",
    "sra", "srta", "señor", "señora", "señorita", "doña", "dra", "dott", "dottssa",
    "dottoressa", "sig", "sigra", "signor", "signora", "avv", "dhr", "mevr", "mw", "heer"
})  # fmt: skip
# Words that may follow "Dr." or "Prof." in German: "Dr. med.", "Dr. rer. nat.", "Dr.-Ing.".
_DEGREE_PARTS = frozenset({
    "med", "dent", "vet", "jur", "phil", "rer", "nat", "oec", "pol", "habil", "hc", "mult",
    "ing"
})  # fmt: skip
# Suffixes after a name: generation, degrees, post-nominal letters (not those
# that are also surnames, like "Ma" or "Do").
_SUFFIXES = frozenset({
    "jr", "jnr", "sr", "snr", "ii", "iii", "iv", "phd", "md", "dds", "dmd", "esq", "esquire",
    "mba", "cpa", "cfa", "jd", "llm", "msc", "bsc", "meng", "ceng", "qc", "kc", "obe", "mbe",
    "cbe"
})  # fmt: skip
# Words that start a last name: "Ludwig van Beethoven", "Ana de la Cruz".
_PARTICLES = frozenset({
    "van", "von", "der", "den", "de", "del", "della", "di", "da", "das", "dos", "du", "la",
    "le", "ter", "ten", "zu", "af", "av", "bin", "ibn", "al"
})  # fmt: skip
_FOLD = re.compile(r"[.\-']")


def _key(word: str) -> str:
    return _FOLD.sub("", word).casefold()


def _is_initial(word: str) -> bool:
    return len(_key(word)) == 1


def _without_suffixes(words: list[str]) -> list[str]:
    while len(words) > 1 and _key(words[-1]) in _SUFFIXES:
        words = words[:-1]
    return words


def _skip_honorifics(words: list[str]) -> tuple[list[str], bool]:
    """``words`` without the leading honorifics, and whether there were any."""
    start = 0
    while start < len(words) and (
        _key(words[start]) in _HONORIFICS or (start and _key(words[start]) in _DEGREE_PARTS)
    ):
        start += 1
    return words[start:], start > 0


def _words(full: str) -> list[str]:
    """The name's words in reading order: "Smith, John" -> John Smith; suffixes dropped."""
    parts = [p.split() for p in full.split(",")]
    kept = [p for p in parts if p and not all(_key(w) in _SUFFIXES for w in p)]
    if len(kept) >= 2:
        # "Last, First [Middle]" (the first part may end in a suffix: "Smith Jr., John").
        return [*kept[1], *_without_suffixes(kept[0])]
    return _without_suffixes(kept[0]) if kept else []


@functools.lru_cache(maxsize=4096)
def split_name(full: str) -> tuple[str, str]:
    """(first name, last name) of a full name; either may be "" when the name has none."""
    words, titled = _skip_honorifics(_words(full))
    if not words:
        return "", ""
    if len(words) == 1:
        # "Dr. Smith" is a last name; a lone word with no title is taken as a first name.
        return ("", words[0]) if titled else (words[0], "")
    start = 0
    while start < len(words) - 1 and _is_initial(words[start]):
        start += 1  # "J. Smith", "J. R. Smith": an initial is not a first name
    first = words[start] if start < len(words) - 1 else ""
    rest = words[start + 1 :] if first else words[start:]
    last_start = next(
        (i for i, w in enumerate(rest[:-1]) if w.casefold() in _PARTICLES), len(rest) - 1
    )
    return first, " ".join(rest[last_start:])


@functools.lru_cache(maxsize=4096)
def first_name_of(cell: str) -> str:
    """A first-name cell without honorifics ("Dr. Jane" -> "Jane", "Mr" -> "")."""
    words, _ = _skip_honorifics(cell.split())
    return " ".join(_without_suffixes(words))
