"""What the assistant can point to: métiers, structures, companies, ambassadors, offers.

Rows shipped in knowledge/ are fictional demo data (`demo=True`), replaced by CSV import.
Multi-valued fields (formats, publics, school levels, ROME codes) are space-separated codes.
The ROME 4.0 (France Travail's nomenclature of métiers, knowledge/rome_metiers.csv) is real
reference data; a ROME code is a letter A–N and four digits (`D1102`).
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from parcours.db.base import Base, TimestampMixin


class RomeMetier(Base):
    """A métier of the ROME 4.0 (knowledge/rome_metiers.csv)."""

    __tablename__ = "rome_metiers"

    rome_code: Mapped[str] = mapped_column(String(5), primary_key=True)
    libelle: Mapped[str] = mapped_column(String(256))  # "Boulanger / Boulangère"
    secteur: Mapped[str] = mapped_column(Text, default="")  # |-separated NAF division names
    naf: Mapped[str] = mapped_column(String(64), default="")  # NAF division codes
    appellations: Mapped[str] = mapped_column(Text, default="")  # |-separated


class Metier(Base):
    """A métier with the words people use for it."""

    __tablename__ = "metiers"

    code: Mapped[str] = mapped_column(String(64), primary_key=True)
    libelle: Mapped[str] = mapped_column(String(128))
    secteur: Mapped[str] = mapped_column(String(64), index=True)
    synonymes: Mapped[str] = mapped_column(Text, default="")  # |-separated
    mots_cles: Mapped[str] = mapped_column(Text, default="")  # |-separated
    rome: Mapped[str] = mapped_column(String(64), default="", server_default="")  # ROME codes


class Structure(TimestampMixin, Base):
    """A place to go: Mission locale, CIO, Info Jeunes, PSAD, Transitions Pro…"""

    __tablename__ = "structures"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    kind: Mapped[str] = mapped_column(String(32), index=True)
    name: Mapped[str] = mapped_column(String(256))
    commune: Mapped[str] = mapped_column(ForeignKey("communes.insee"), index=True)
    address: Mapped[str] = mapped_column(String(256), default="")
    publics: Mapped[str] = mapped_column(String(256), default="")
    age_min: Mapped[int | None] = mapped_column(Integer)
    age_max: Mapped[int | None] = mapped_column(Integer)
    contact: Mapped[str] = mapped_column(String(256), default="")
    # Practical details, shown when present (free text hours, public phone, web page)
    hours: Mapped[str] = mapped_column(String(256), default="", server_default="")
    phone: Mapped[str] = mapped_column(String(64), default="", server_default="")
    website: Mapped[str] = mapped_column(String(256), default="", server_default="")
    latitude: Mapped[float | None]
    longitude: Mapped[float | None]
    demo: Mapped[bool] = mapped_column(default=False)


class Company(TimestampMixin, Base):
    """A company, possibly a signatory of the agency's charter (2-year commitment)."""

    __tablename__ = "companies"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    name: Mapped[str] = mapped_column(String(256))
    commune: Mapped[str] = mapped_column(ForeignKey("communes.insee"), index=True)
    secteur: Mapped[str] = mapped_column(String(64), default="")
    charter_signed_on: Mapped[date | None]
    charter_actions: Mapped[str] = mapped_column(Text, default="")
    demo: Mapped[bool] = mapped_column(default=False)


class Ambassador(TimestampMixin, Base):
    """An ambassadeur métier (professional) or formation (student); no private contact here."""

    __tablename__ = "ambassadors"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))  # metier | formation
    display_name: Mapped[str] = mapped_column(String(128))  # first name + initial
    metier: Mapped[str | None] = mapped_column(ForeignKey("metiers.code"), index=True)
    # ROME code of the métier, for one the hand-written list does not have
    rome: Mapped[str] = mapped_column(String(16), default="", server_default="")
    formation: Mapped[str] = mapped_column(String(256), default="")
    company: Mapped[str | None] = mapped_column(ForeignKey("companies.key"))
    school: Mapped[str] = mapped_column(String(256), default="")
    years_in_job: Mapped[int | None] = mapped_column(Integer)
    formats: Mapped[str] = mapped_column(String(256))
    publics: Mapped[str] = mapped_column(String(256))
    zone_type: Mapped[str] = mapped_column(String(16))  # region | departement | commune | bassin
    zone_code: Mapped[str] = mapped_column(String(16))
    commune: Mapped[str] = mapped_column(ForeignKey("communes.insee"), index=True)
    available: Mapped[bool] = mapped_column(default=True)
    demo: Mapped[bool] = mapped_column(default=False)


class MinistageOffer(TimestampMixin, Base):
    """A mini-stage offer (3 to 5 days) published by a company."""

    __tablename__ = "ministage_offers"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    company: Mapped[str] = mapped_column(ForeignKey("companies.key"), index=True)
    metier: Mapped[str] = mapped_column(ForeignKey("metiers.code"), index=True)
    rome: Mapped[str] = mapped_column(String(16), default="", server_default="")  # ROME code
    commune: Mapped[str] = mapped_column(ForeignKey("communes.insee"), index=True)
    periods: Mapped[str] = mapped_column(String(256), default="")
    days_min: Mapped[int] = mapped_column(Integer, default=3)
    days_max: Mapped[int] = mapped_column(Integer, default=5)
    levels: Mapped[str] = mapped_column(String(128))  # college lycee superieur
    places: Mapped[int] = mapped_column(Integer, default=1)
    demo: Mapped[bool] = mapped_column(default=False)
