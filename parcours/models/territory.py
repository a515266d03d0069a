"""Where people live: communes (with EPCI and department), their zone d'emploi, and the
coordinators covering them."""

from __future__ import annotations

from sqlalchemy import BigInteger, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from parcours.db.base import Base


class Commune(Base):
    """A French commune (official open data, see knowledge/README.md)."""

    __tablename__ = "communes"

    insee: Mapped[str] = mapped_column(String(5), primary_key=True)
    nom: Mapped[str] = mapped_column(String(128))
    codes_postaux: Mapped[str] = mapped_column(String(256))  # space-separated
    departement: Mapped[str] = mapped_column(String(3), index=True)
    region: Mapped[str] = mapped_column(String(3), index=True)
    epci: Mapped[str | None] = mapped_column(String(9), index=True)
    epci_nom: Mapped[str | None] = mapped_column(String(256))
    population: Mapped[int | None] = mapped_column(Integer)
    latitude: Mapped[float | None]  # town hall (else outline) position, WGS 84: see knowledge/
    longitude: Mapped[float | None]


class Coordinator(Base):
    """A coordinator of the agency and the territory they cover (EPCI or whole departments)."""

    __tablename__ = "coordinators"

    telegram_id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    name: Mapped[str] = mapped_column(String(128))
    departements: Mapped[str] = mapped_column(String(64), default="")  # space-separated codes
    epcis: Mapped[str] = mapped_column(String(1024), default="")  # space-separated SIREN
    backup: Mapped[bool] = mapped_column(default=False)
    absent: Mapped[bool] = mapped_column(default=False)
    demo: Mapped[bool] = mapped_column(default=False)


class ZoneEmploi(Base):
    """A commune's INSEE zone d'emploi 2020 (what the charter calls a bassin d'emploi).

    Only from an official file (knowledge/regions/<region>/zones_emploi.csv, imported as
    `zones_emploi`); never derived from EPCIs or arrondissements, which are other groupings.
    """

    __tablename__ = "zones_emploi"

    insee: Mapped[str] = mapped_column(ForeignKey("communes.insee"), primary_key=True)
    ze2020: Mapped[str] = mapped_column(String(8), index=True)  # "4411"
    libze2020: Mapped[str] = mapped_column(String(128))  # the zone's official name
