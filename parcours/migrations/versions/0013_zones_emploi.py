"""Zones d'emploi (INSEE 2020): the commune → bassin d'emploi map for ambassadors' zones

Revision ID: 0013_zones_emploi
Revises: 0012_web_messages
Create Date: 2026-12-05 12:30:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0013_zones_emploi"
# The lead chains 0011 (meeting) and 0012 (web) in on merge (coord/CONTRACTS.md).
down_revision: str | None = "0012_web_messages"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "zones_emploi",
        sa.Column("insee", sa.String(length=5), nullable=False),
        sa.Column("ze2020", sa.String(length=8), nullable=False),
        sa.Column("libze2020", sa.String(length=128), nullable=False),
        sa.ForeignKeyConstraint(
            ["insee"], ["communes.insee"], name=op.f("fk_zones_emploi_insee_communes")
        ),
        sa.PrimaryKeyConstraint("insee", name=op.f("pk_zones_emploi")),
    )
    with op.batch_alter_table("zones_emploi", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_zones_emploi_ze2020"), ["ze2020"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("zones_emploi", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_zones_emploi_ze2020"))
    op.drop_table("zones_emploi")
