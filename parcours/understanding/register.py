"""Who is writing, from the message itself: a parent ("mon fils", "ma fille", "mon ado"),
a professional ("mes élèves"), or someone who writes with *vous*: they are answered with
*vous* from the first reply, before any profile question.

The role found here is provisional: it is stored only when none is known yet, and the user
can change it with the role buttons at any time.
"""

from __future__ import annotations

import re

from parcours.search.normalize import fold

_PARENT = re.compile(
    r"\b(mon fils|ma fille|mon ado|mon enfant|mes enfants|nos enfants|notre fils|notre fille"
    r"|mon garcon|ma gamine|mon gamin|mon petit fils|ma petite fille|je suis (la )?(maman|mere)"
    r"|je suis (le )?(papa|pere)|en tant que parent|je suis parent|ma belle fille|mon beau fils"
    r"|mon neveu|ma niece)\b"
)
_PROFESSIONAL = re.compile(
    r"\b(mes eleves|nos eleves|ma classe|mes etudiants|je suis (enseignant|enseignante|professeur"
    r"|professeure|prof|cpe|conseiller|conseillere|educateur|educatrice|formateur|formatrice"
    r"|chef d entreprise|recruteur|recruteuse)|en tant que (prof|professeur|enseignant|employeur)"
    r"|psy en|professeur principal|professeure principale)\b"
)
#: The bot addressed with *vous* ("pouvez-vous", "vous avez", "je vous remercie").
_VOUS = re.compile(
    r"\b(pouvez vous|pourriez vous|avez vous|savez vous|auriez vous|vous pouvez|vous pourriez"
    r"|vous avez|vous savez|je vous|vous remercie|pouvez m|pourriez m|vous serait il"
    r"|merci de votre|merci pour votre|bonjour madame|bonjour monsieur)\b"
)


def role_in_message(text: str) -> str | None:
    """`parent` or `professionnel` when the message says so, else None."""
    folded = fold(text)
    if _PARENT.search(folded):
        return "parent"
    if _PROFESSIONAL.search(folded):
        return "professionnel"
    return None


def writes_with_vous(text: str) -> bool:
    """True when the message addresses the assistant with *vous*, or speaks as a parent or
    a professional."""
    folded = fold(text)
    return bool(_VOUS.search(folded)) or role_in_message(text) is not None
