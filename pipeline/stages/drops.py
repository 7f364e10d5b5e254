"""Items the stages leave out on purpose: one exception, Scrapy's DropItem with its reason
as a type (pipeline.counters.DropReason), so that what counts a drop (the run log) or acts on
one (the follow stage: a page without main text still leads on) reads the reason, never the
message's words. The message keeps the reason first ("no-content: ...") for the logs."""

from __future__ import annotations

from scrapy.exceptions import DropItem

from pipeline.counters import DropReason


class Dropped(DropItem):
    """An item a stage leaves out, and why."""

    def __init__(self, reason: DropReason, detail: str):
        super().__init__(f"{reason}: {detail}")
        self.reason = reason


def reason_of(exception: BaseException) -> DropReason:
    """The reason of a drop; UNSPECIFIED for a DropItem raised without one (by Scrapy's own
    code or a third party's)."""
    return exception.reason if isinstance(exception, Dropped) else DropReason.UNSPECIFIED
