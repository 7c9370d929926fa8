"""What the events domain tells higher domains (payments) without importing them.

Receivers run inside the sender's transaction, usually with the event's row
locked: they only write rows (a refund due, say) and never call the network.
"""

from __future__ import annotations

from blinker import Namespace

_signals = Namespace()

# Sender: the cancelled Registration. Keyword `by_organiser`: True when the organiser
# cancelled (the whole event, or this registration), False when the attendee did.
registration_cancelled = _signals.signal("registration-cancelled")
