"""Web chat transcript (issue 12: the web channel)

Revision ID: 0012_web_messages
Revises: 0010_structure_details
Create Date: 2026-12-05 12:10:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0012_web_messages"
# 0011 (meeting) is merged first on main; the lead fixes this link on merge (CONTRACTS.md).
down_revision: str | None = "0010_structure_details"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "web_messages",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.String(length=64), nullable=False),
        sa.Column("role", sa.String(length=16), nullable=False),
        sa.Column("body", sa.JSON(), nullable=False),
        sa.Column("pushed", sa.Boolean(), nullable=False),
        sa.Column("document_name", sa.String(length=128), nullable=True),
        sa.Column("document", sa.LargeBinary(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_web_messages")),
    )
    op.create_index(op.f("ix_web_messages_user_id"), "web_messages", ["user_id"])
    op.create_index("ix_web_messages_pushed_id", "web_messages", ["pushed", "id"])


def downgrade() -> None:
    op.drop_index("ix_web_messages_pushed_id", table_name="web_messages")
    op.drop_index(op.f("ix_web_messages_user_id"), table_name="web_messages")
    op.drop_table("web_messages")
