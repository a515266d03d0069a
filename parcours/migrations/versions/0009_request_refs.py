"""Request numbers never reused (SQLite AUTOINCREMENT); tombstones of forgotten users

Revision ID: 0009_request_refs
Revises: 0007
Create Date: 2026-12-05 10:00:00.000000

On SQLite a plain `INTEGER PRIMARY KEY` hands out max(id) + 1, so deleting the latest request
gave its number to the next one, and a coordinator's late `/demande N acceptee` reached
another minor. AUTOINCREMENT can only be set by rebuilding the table. The rebuild drops the
old table, and with foreign keys on that cascades to `contact_request_events`: the audit
trail is copied aside and put back. PostgreSQL's sequences never go back: nothing to do.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009_request_refs"
down_revision: str | None = "0008_staff_delivery"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_EVENTS = "contact_request_events"
_SAVED = "_saved_contact_request_events"


def _rebuild_requests(*, autoincrement: bool) -> None:
    """Rebuild `contact_requests` (SQLite) with or without AUTOINCREMENT, keeping its rows
    and the events that reference them."""
    op.execute(f"CREATE TEMPORARY TABLE {_SAVED} AS SELECT * FROM {_EVENTS}")
    with op.batch_alter_table(
        "contact_requests",
        recreate="always",
        table_kwargs={"sqlite_autoincrement": autoincrement},
    ):
        pass
    op.execute(f"DELETE FROM {_EVENTS}")
    op.execute(f"INSERT INTO {_EVENTS} SELECT * FROM {_SAVED}")
    op.execute(f"DROP TABLE {_SAVED}")


def upgrade() -> None:
    op.create_table(
        "forgotten_users",
        sa.Column("user_hash", sa.String(length=64), nullable=False),
        sa.Column("forgotten_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("user_hash", name=op.f("pk_forgotten_users")),
    )
    with op.batch_alter_table("forgotten_users", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_forgotten_users_forgotten_at"), ["forgotten_at"], unique=False
        )
    if op.get_bind().dialect.name == "sqlite":
        _rebuild_requests(autoincrement=True)


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        _rebuild_requests(autoincrement=False)
    with op.batch_alter_table("forgotten_users", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_forgotten_users_forgotten_at"))
    op.drop_table("forgotten_users")
