"""After a meeting: time and place, .ics sequence, reminder, follow-up, report-back

Revision ID: 0011_meetings
Revises: 0010_structure_details
Create Date: 2026-12-05 12:00:00.000000

Columns are added in place (ALTER TABLE ADD COLUMN on both backends). Dropping them on
SQLite rebuilds `contact_requests`, which with foreign keys on cascades to
`contact_request_events`: the audit trail is copied aside and put back, as in 0009.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0011_meetings"
down_revision: str | None = "0010_structure_details"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_EVENTS = "contact_request_events"
_SAVED = "_saved_contact_request_events"


def _columns() -> list[sa.Column[object]]:
    stamp = sa.DateTime(timezone=True)
    return [
        sa.Column("meeting_time", sa.Time(), nullable=True),
        sa.Column("meeting_place", sa.String(256), nullable=False, server_default=""),
        sa.Column("meeting_set_at", stamp, nullable=True),
        sa.Column("meeting_sequence", sa.Integer(), nullable=False, server_default="0"),
        sa.Column("meeting_reminded_at", stamp, nullable=True),
        sa.Column("follow_up_sent_at", stamp, nullable=True),
        sa.Column("follow_up_answer", sa.String(8), nullable=True),
        sa.Column("follow_up_answered_at", stamp, nullable=True),
        sa.Column("report_at", stamp, nullable=True),
    ]


def upgrade() -> None:
    for column in _columns():
        op.add_column("contact_requests", column)


def downgrade() -> None:
    names = [column.name for column in reversed(_columns())]
    if op.get_bind().dialect.name != "sqlite":
        for name in names:
            op.drop_column("contact_requests", name)
        return
    op.execute(f"CREATE TEMPORARY TABLE {_SAVED} AS SELECT * FROM {_EVENTS}")
    with op.batch_alter_table(
        "contact_requests", recreate="always", table_kwargs={"sqlite_autoincrement": True}
    ) as batch_op:
        for name in names:
            batch_op.drop_column(name)
    op.execute(f"DELETE FROM {_EVENTS}")
    op.execute(f"INSERT INTO {_EVENTS} SELECT * FROM {_SAVED}")
    op.execute(f"DROP TABLE {_SAVED}")
