"""Structures: opening hours, public phone and web page (where to go, practically)

Revision ID: 0010_structure_details
Revises: 0009_request_refs
Create Date: 2026-12-05 11:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010_structure_details"
down_revision: str | None = "0009_request_refs"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_COLUMNS = (("hours", 256), ("phone", 64), ("website", 256))


def upgrade() -> None:
    with op.batch_alter_table("structures", schema=None) as batch_op:
        for name, length in _COLUMNS:
            batch_op.add_column(
                sa.Column(name, sa.String(length), nullable=False, server_default="")
            )


def downgrade() -> None:
    with op.batch_alter_table("structures", schema=None) as batch_op:
        for name, _ in reversed(_COLUMNS):
            batch_op.drop_column(name)
