"""Dates written out in a page, and a warning when they disagree with the page's dateline.

Only explicit dates count: a full date, a month with its year, or a year where the words around
it make it a date ("in 2019", "since 2015,"). Bare numbers never do: "2000 homes" is a count.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date

from ._page import Page

# English names written out, not calendar.month_name: that one follows the process locale.
_MONTH_NUMBERS = {
    name: number
    for number, names in enumerate(
        (
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sept", "sep"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ),
        start=1,
    )
    for name in names
}
_MONTH = r"(?P<month>" + "|".join(sorted(_MONTH_NUMBERS, key=len, reverse=True)) + r")\.?"
_DAY = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th)?"
_YEAR = r"(?P<year>1[89]\d\d|20\d\d)"
_WEEKDAY = r"(?:(?:mon|tue|tues|wed|wednes|thu|thur|thurs|fri|sat|satur|sun)(?:day)?\.?,?\s+)?"
_TIME = r"(?:,?\s+(?:at\s+)?\d{1,2}[:.]\d\d(?::\d\d)?\s*(?:[ap]\.?m\.?)?(?:\s*[A-Z]{2,4}(?:[+-]\d{1,2})?)?)?"

# Each form on its own: Python's re refuses a group name twice in one pattern.
_FORMS = tuple(
    re.compile(p, re.IGNORECASE)
    for p in (
        rf"\b{_DAY}\s+(?:of\s+)?{_MONTH},?\s+{_YEAR}\b",  # 12 March 2024, 12th of March, 2024
        rf"\b{_MONTH}\s+{_DAY},?\s+{_YEAR}\b",  # March 12, 2024
        rf"\b{_YEAR}-(?P<mm>[01]?\d)-(?P<dd>[0-3]?\d)\b",  # 2024-03-12
        rf"\b{_YEAR}/(?P<mm>[01]?\d)/(?P<dd>[0-3]?\d)\b",
        r"\b(?P<a>[0-3]?\d)(?P<sep>[/.])(?P<b>[0-3]?\d)(?P=sep)" + _YEAR + r"\b",  # 12/03/2024
        rf"\b{_MONTH},?\s+{_YEAR}\b",  # March 2024
    )
)
# A year alone is a date only between a preposition and the end of the phrase: "in 2019.",
# "since 2015 the council", never "in 2000 homes".
_YEAR_IN_CONTEXT = re.compile(
    r"\b(?:in|since|from|during|of|circa|back in|early|late|mid)\s+(?:the\s+year\s+)?"
    + _YEAR
    + r"(?=\s*(?:[.,;:!?)\]]|$)|\s+(?:and|but|when|the|a|it|they|we|i|he|she|there|this|that|after|before"
    r"|was|were|had|as|or|for|with|at|on)\b)",
    re.IGNORECASE,
)
_DATE_LINE = re.compile(
    r"\s*" + _WEEKDAY + r"(?P<date>.+?)" + _TIME + r"\s*",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class WrittenDate:
    written: str
    start: int
    end: int
    first: date  # the earliest day the words can mean
    last: date  # the latest


def _span(year: int, month: int | None = None, day: int | None = None) -> tuple[date, date] | None:
    try:
        if day is not None and month is not None:
            return date(year, month, day), date(year, month, day)
        if month is not None:
            return date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1])
        return date(year, 1, 1), date(year, 12, 31)
    except ValueError:  # 31 February, month 13: not a date after all
        return None


def _resolve(m: re.Match[str]) -> tuple[date, date] | None:
    groups = m.groupdict()
    year = int(groups["year"])
    if groups.get("month"):
        month = _MONTH_NUMBERS[groups["month"].lower()]
        return _span(year, month, int(groups["day"]) if groups.get("day") else None)
    if groups.get("mm"):
        return _span(year, int(groups["mm"]), int(groups["dd"]))
    if groups.get("a"):
        a, b = int(groups["a"]), int(groups["b"])
        if a > 12 >= b:
            return _span(year, b, a)
        if b > 12 >= a:
            return _span(year, a, b)
        # 03/04/2024 reads both ways; the year is all that is certain.
        return _span(year) if a <= 12 and b <= 12 else None
    return _span(year)


def find_dates(text: str) -> list[WrittenDate]:
    """Explicit dates in `text`, in order, none overlapping (the longest reading wins)."""
    found: list[WrittenDate] = []
    for pattern in (*_FORMS, _YEAR_IN_CONTEXT):
        for m in pattern.finditer(text):
            resolved = _resolve(m)
            if resolved is None:
                continue
            start, end = m.span() if pattern is not _YEAR_IN_CONTEXT else m.span("year")
            found.append(WrittenDate(text[start:end], start, end, *resolved))
    found.sort(key=lambda d: (d.start, -(d.end - d.start)))
    kept: list[WrittenDate] = []
    for d in found:
        if not kept or d.start >= kept[-1].end:
            kept.append(d)
    return kept


def parse_date_line(line: str) -> WrittenDate | None:
    """The date a line consists of ("MARCH 2024", "Tuesday, March 12, 2024 10:15"), or None
    when the line says anything besides a date (and a time)."""
    if len(line) > 80:  # a date with its weekday and time fits; anything longer says more
        return None
    m = _DATE_LINE.fullmatch(line)
    if m is None:
        return None
    core = m.group("date")
    for pattern in _FORMS:
        d = pattern.fullmatch(core)
        if d is not None and (resolved := _resolve(d)) is not None:
            return WrittenDate(line.strip(), 0, len(line.strip()), *resolved)
    return None


def is_date_line(line: str) -> bool:
    return parse_date_line(line) is not None


def days_apart(a: WrittenDate, b: WrittenDate) -> int:
    """Days between the closest days the two dates can mean (0 when they can overlap)."""
    if a.last < b.first:
        return (b.first - a.last).days
    if b.last < a.first:
        return (a.first - b.last).days
    return 0


def check_dateline(page: Page) -> list[str]:
    """Warnings for explicit dates in the title, article or comments that are more than a year
    away from the dateline: the dateline may be a crawl date or the page a repost."""
    if not page.dateline:
        return []
    dateline = parse_date_line(page.dateline)
    if dateline is None:
        return []
    places: list[tuple[str, str]] = []
    if page.title:
        places.append(("the title", page.title))
    places += [(f"article paragraph {n}", p.text) for n, p in enumerate(page.article.paragraphs, 1)]
    places += [(f"comment {c.id}", c.text) for c in page.comments]
    warnings: list[str] = []
    for where, text in places:
        for d in find_dates(text):
            if days_apart(d, dateline) > 365:
                warning = (
                    f"the dateline {page.dateline!r} is more than a year away from the date "
                    f"{d.written!r} written in {where}"
                )
                if warning not in warnings:
                    warnings.append(warning)
    return warnings
