"""ROME 4.0: rome_metiers table, rome column of métiers, ambassadors and mini-stage offers

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-05 07:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

#: Tables that get a `rome` column, with its size.
ROME_COLUMNS = (("metiers", 64), ("ambassadors", 16), ("ministage_offers", 16))


def upgrade() -> None:
    op.create_table(
        "rome_metiers",
        sa.Column("rome_code", sa.String(length=5), nullable=False),
        sa.Column("libelle", sa.String(length=256), nullable=False),
        sa.Column("secteur", sa.Text(), nullable=False),
        sa.Column("naf", sa.String(length=64), nullable=False),
        sa.Column("appellations", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("rome_code", name=op.f("pk_rome_metiers")),
    )
    for table, size in ROME_COLUMNS:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(
                sa.Column("rome", sa.String(length=size), server_default="", nullable=False)
            )


def downgrade() -> None:
    for table, _size in reversed(ROME_COLUMNS):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column("rome")
    op.drop_table("rome_metiers")
