"""What shows a recording, a video's or a podcast episode's page: chapters from 0:00 on, a
running time, a line of where or when it was recorded, an episode's number, a guest named in
its title, a broadcast's lines, an audio file, a line of a podcast's players.
"""

from __future__ import annotations

import re

from pipeline.understand.content_types.text import OPENING_LINE_CHARS, TEXT_CHARS

# A recording's chapters: "0:00 Intro", "1:40 Setting up boards"... opened at zero (an
# event's agenda starts at 9:00, not 0:00).
CHAPTER = re.compile(r"^\W{0,3}(\d{1,2}:)?\d{1,2}:\d{2}\b")
CHAPTER_START = re.compile(r"^\W{0,3}(0{1,2}:)?0{1,2}:00\b")
CHAPTERS = 3
SECONDS = re.compile(r"^\W{0,3}\d{1,2}:\d{2}:\d{2}\b")  # "00:58:45": a recording's hours, minutes and seconds
LAST_HOUR = 23
RECORDINGS = ("video-webinar", "podcast-episode")  # ties go to the first


def timed_chapters(lines: list[str]) -> int:
    """How many time-coded lines run from the first at 0:00 on (a recording's running time,
    "24:18 · Published 2 June", may come before its chapters), or, where none is at 0:00,
    how many there are if one is past what a clock shows ("29:20", "38:00": minutes into a
    recording, not an hour of the day) or gives seconds ("00:58:45")."""
    coded = [line for line in lines if CHAPTER.match(line)]
    start = next((at for at, line in enumerate(coded) if CHAPTER_START.match(line)), None)
    if start is not None:
        return len(coded) - start
    past_a_clock = any(int(re.findall(r"\d+", line)[0]) > LAST_HOUR or SECONDS.match(line) for line in coded)
    return len(coded) if past_a_clock else 0


def chapters_score(text: str | None) -> int:
    """3 when the text lists a recording's chapters (CHAPTERS time-coded lines from one at
    0:00 on), else 0."""
    lines = [line.strip() for line in (text or "")[:TEXT_CHARS].splitlines()]
    return 3 if timed_chapters(lines) >= CHAPTERS else 0


# "Ep. 112 – Territory planning", "Episode 14: ...", "#12: Saying no", "No. 31 — ...", "142:
# Triage before taxonomy": a numbered episode of a show, in its title or its text's opening
# line ("Dirt Talk · Episode 88"); a title's "episode" alone may be a figure of speech, and
# "2024: the year in review" is a year.
EPISODE_NUMBER = re.compile(r"\b(ep|episode)\.?\s*#?\d+|^\s*(#|no\.\s*)\d+\s*([:–—-]|$)|^\s*\d{1,3}:\s", re.IGNORECASE)
# An episode's number in a line of its details, "No. 212 · 29 min" (a newsletter's title may
# be "#112 · Three for the commute").
EPISODE_LINE = re.compile(r"^\s*(#|no\.\s*)\d+\s*·", re.IGNORECASE)
# A newsletter's issue, numbered as a show's episodes are: "Issue 142 · 22 July 2025".
NEWSLETTER_ISSUE = re.compile(r"\bissue\s*#?\d+\b", re.IGNORECASE)
# A guest named at the end of a title, as an interview show names its episodes: "Grandfathering,
# with Tom Aske", "48. Intake forms nobody fills in (with Priya Raman)".
GUEST = re.compile(r"(,|\()\s*(with|feat\.|featuring)\s+[A-Z][\w'’-]+( [A-Z][\w'’-]+){1,2}\)?\s*$")


# A show's page introducing its conversation where a sentence or a heading begins: "In this
# conversation with our host Ben Adler, she explains ...", "In this conversation" over its
# topics (not a post's "this is a conversation", "this recent conversation with ...").
IN_THIS_CONVERSATION = re.compile(r"(^|[.!?]\s+)\W{0,3}in this ((\d+|[a-z]+)-minute )?conversation\b",
                                  re.IGNORECASE | re.MULTILINE)
# A broadcast's page, as a station's listen-again page opens: "First broadcast Sunday 15
# September", "Available for 28 days after broadcast", "In this week's programme:".
BROADCAST = re.compile(r"\b(first broadcast|after broadcast|listen again|in this week's programme)\b", re.IGNORECASE)
# An audio file offered where a page begins: "Download (MP3, 36 MB)", "Listen: episode.m4a".
AUDIO_FILE = re.compile(r"\b(mp3|m4a|aac|ogg)\b", re.IGNORECASE)
# A recording's running time where its details are ("Length: 54 minutes", "· 36 minutes ·",
# "April 3, 2025 · 41:12"): 2 toward the recording the other cues lean to (with a cue of it,
# a recording).
RUNNING_TIME = re.compile(r"\b(length|duration|running time|runtime)\s*:?\s*\d{1,3}\s*(min|mins|minutes)\b"
                          r"|(^|·)\s*(\d{1,2}\s*(h|hr|hrs|hours?)\s*)?\d{1,3}\s*(min|mins|minutes)\s*(·|\+|$)"
                          r"|·\s*(\d{1,2}:)?\d{1,2}:\d{2}\s*$",
                          re.IGNORECASE | re.MULTILINE)
# A recording's line of where or when it was made: "Recorded live on 20 March 2025.",
# "Filmed at our Bristol kitchen.", "Recorded on stage at OpsConf 2024", "Recorded 14
# November."; not how long an album's making took ("Recorded over three weeks last winter").
RECORDED = re.compile(r"^\W{0,3}(recorded|filmed)(\s+live)?\s+(\d|(on|at|in|for|with|during|before|live|remotely)\b)",
                      re.IGNORECASE | re.MULTILINE)
# A podcast's players, listed where its episode page begins: "Listen on Apple · Spotify ·
# Overcast · RSS" (two of them: a post may send its readers to one show on one app).
LISTEN_LINE = re.compile(r"^\W{0,3}(listen|subscribe|follow)\b[^\n]{0,30}?\b(on|in|via|with|to)\b[^\n]{0,120}$",
                         re.IGNORECASE | re.MULTILINE)
PLAYER = re.compile(r"\b(apple|spotify|overcast|pocket ?casts|castbox|castro|stitcher|podcast addict|deezer|rss"
                    r"|youtube music|amazon music|audible|player\.fm|podbean)\b", re.IGNORECASE)
PLAYERS = 2


def episode_details(title: str | None, head: str, opening_lines: str) -> bool:
    """Whether a show's episode shows in its details: its number in its title or its
    opening line (the line after the title where the text repeats it) (EPISODE_NUMBER,
    EPISODE_LINE; not a newsletter's issue, NEWSLETTER_ISSUE), a guest named at the end of
    its title (GUEST), a broadcast's lines (BROADCAST) or an audio file offered in its
    opening lines (AUDIO_FILE)."""
    first, _, rest = head.partition("\n")
    opening = (rest.partition("\n")[0] if title and first.strip() == title.strip() else first)[:OPENING_LINE_CHARS]
    lowered = opening_lines.lower()
    numbered = EPISODE_NUMBER.search(title or "") or EPISODE_NUMBER.search(opening) or EPISODE_LINE.match(opening)
    if numbered and not ("issue" in lowered and NEWSLETTER_ISSUE.search(opening_lines)):
        return True
    if title and GUEST.search(title):
        return True
    if ("broadcast" in lowered or "listen again" in lowered or "programme" in lowered) and BROADCAST.search(head):
        return True
    return any(kind in lowered for kind in ("mp3", "m4a", "aac", "ogg")) and bool(AUDIO_FILE.search(opening_lines))


def recording_line(head: str) -> bool:
    """Whether a line of the head of a text says when or where it was recorded (RECORDED)."""
    return ("recorded" in head.lower() or "filmed" in head.lower()) and bool(RECORDED.search(head))


def running_time(head: str) -> bool:
    """Whether the head of a text gives a recording's running time (RUNNING_TIME)."""
    return ("min" in head.lower() or "·" in head) and bool(RUNNING_TIME.search(head))
