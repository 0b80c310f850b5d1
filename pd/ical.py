"""A PD series as an iCalendar file (RFC 5545), so participants put its sessions in their calendars.

Times are written in UTC (`…Z`): every calendar converts them, and no VTIMEZONE block is needed.
A session without a start time is an all-day event.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from datetime import timezone as dt_timezone

from django.utils import timezone

from .models import PDSeries


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\r", "").replace("\n", "\\n")


def _fold(line: str) -> list[str]:
    """Lines longer than 75 octets continue on the next line after a space (RFC 5545 §3.1)."""
    out, current = [], ""
    for char in line:
        if len((current + char).encode()) > 75:
            out.append(current)
            current = " " + char
        else:
            current += char
    return [*out, current]


def _utc(moment: datetime) -> str:
    return moment.astimezone(dt_timezone.utc).strftime("%Y%m%dT%H%M%SZ")


def series_ics(series: PDSeries, *, host: str, base_url: str) -> str:
    now = _utc(timezone.now())
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//PD Cycles//PD series//EN",
        "CALSCALE:GREGORIAN",
        f"X-WR-CALNAME:{_escape(series.title)}",
    ]
    for session in series.sessions.all():
        lines += ["BEGIN:VEVENT", f"UID:pd-session-{session.pk}@{host}", f"DTSTAMP:{now}"]
        if session.starts_at:
            start = timezone.make_aware(datetime.combine(session.date, session.starts_at))
            lines += [f"DTSTART:{_utc(start)}", f"DTEND:{_utc(start + timedelta(minutes=session.minutes))}"]
        else:
            next_day = session.date + timedelta(days=1)
            lines += [f"DTSTART;VALUE=DATE:{session.date:%Y%m%d}", f"DTEND;VALUE=DATE:{next_day:%Y%m%d}"]
        lines.append(f"SUMMARY:{_escape(session.title)}")
        if session.place:
            lines.append(f"LOCATION:{_escape(session.place)}")
        about = session.focus or series.title
        lines += [f"DESCRIPTION:{_escape(about)}", f"URL:{base_url}{session.get_absolute_url()}", "END:VEVENT"]
    lines.append("END:VCALENDAR")
    return "\r\n".join(folded for line in lines for folded in _fold(line)) + "\r\n"
