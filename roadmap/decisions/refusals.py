"""pymcdm's reasons for refusing a matrix, in the catalogue's words: its English text stood
in the Chinese error line. The refusals our inputs can reach are said in both languages;
any other is a general reason, pymcdm's own words left to --debug (its exception is the
cause of ours)."""

from __future__ import annotations

from ..errors import Message

# Words of pymcdm 1.4's refusals (ValueError), and the message (messages.yaml `error`) of each.
KNOWN = (("Valid values in the matrix are", "off_saaty_scale"),  # AHP: -3, 1e308
         ("contains equal values for all alternatives", "criterion_alike"),  # VIKOR
         ("requires all positive values", "values_not_positive"),  # sum normalisation
         ("cannot handle zero values", "values_zero"))  # linear normalisation


def refusal(error: Exception) -> Message:
    """The reason pymcdm's `error` gives, as a Message."""
    words = " ".join(str(error).split())
    return Message(next((key for known, key in KNOWN if known in words), "library_refused"))
