"""Generate the FICTIONAL demo data shipped in knowledge/ (companies, ambassadors, offers…).

Every row written here is fictional demo data, marked `demo=oui`: invented companies,
ambassadors, mini-stage offers, structures and coordinators, placed in real communes of
Normandy (departments 14, 27, 50, 61, 76) and Grand Est (08, 10, 51, 52, 54, 55, 57, 67, 68,
88, with fewer rows), so that the assistant can be tried before the agency imports its own
data with `python -m parcours import KIND FILE`. Every name a user or a coordinator sees ends
in " (démo)" (companies, ambassadors, structures, coordinators; students' schools contain it;
offers are shown under their company's name); structures have "Adresse de démonstration" and
"Contact de démonstration". The one real row is Rouen Info
Jeunes (structures.csv, `demo=non`), taken from the agency's charter of the réseau de
proximité signed with the Ville de Rouen (seed document): 27 rue Victor Hugo, 76000 Rouen,
11-30 ans et parents.

On top of that random sample, the demo never dead-ends on the commonest wishes (WISHES): in
each Normandy department, every one of those métiers has mini-stage offers for collège and
lycée pupils and ambassadors meeting pupils and adults in several formats, in several towns;
and every EPCI of Normandy has a Mission locale, CIO, PSAD and Info Jeunes in its main town.

Reads knowledge/communes.csv and knowledge/metiers.csv; writes knowledge/companies.csv,
ambassadors.csv, ministages.csv, structures.csv and coordinators.csv (UTF-8, `\\n`, quoted
only where needed). The output depends only on those two files and SEED: two runs give
identical files. Standard library only.

Rerun from the project root:

    .venv/bin/python scripts/generate_demo_data.py
"""

from __future__ import annotations

import csv
import random
import re
import sys
import unicodedata
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import TypeVar

KNOWLEDGE = Path(__file__).resolve().parent.parent / "knowledge"
SEED = 20200909
NORMANDY = ("14", "27", "50", "61", "76")
GRAND_EST = ("08", "10", "51", "52", "54", "55", "57", "67", "68", "88")
GRAND_EST_SHARE = 0.2
N_COMPANIES, N_OFFERS, N_AMBASSADORS, FORMATION_SHARE = 300, 560, 340, 0.15
HEADERS = {
    "companies": "key name commune secteur charter_signed_on charter_actions demo",
    "ambassadors": "key kind display_name metier formation company school years_in_job formats "
    "publics zone_type zone_code commune available demo",
    "ministages": "key company metier commune periods days_min days_max levels places demo",
    "structures": "key kind name commune address publics age_min age_max contact latitude "
    "longitude demo",
    "coordinators": "telegram_id name departements epcis backup absent demo",
}
T = TypeVar("T")
Row = dict[str, str]

# Kinds of company, under their [sector]: label | weight and flags | métiers (main first; an
# indented line continues them). Flags: A (offers for lycée and supérieur) or S (supérieur
# only), else collège first; where: N Normandy, R rural (< 5,000 inhabitants), B big towns,
# V vineyards, L flax, or a PLACES key.
ARCHETYPES = """
[alimentation]
Boulangerie | 6 | boulanger patissier vendeur_boulangerie
Pâtisserie | 3 | patissier chocolatier glacier
Boucherie-charcuterie | 3 | boucher charcutier_traiteur
Poissonnerie | 1 coast | poissonnier
Fromagerie | 1 | fromager caviste
Primeurs | 1 | primeur
Laiterie | 2 A N | operateur_agroalimentaire conducteur_ligne_agro technicien_qualite_agro
    ingenieur_agroalimentaire
Biscuiterie | 1 | operateur_agroalimentaire conducteur_ligne_agro technicien_qualite_agro
Salaisons | 1 A R | abattoir operateur_agroalimentaire
[hotellerie_restauration]
Restaurant | 6 | cuisinier commis_cuisine serveur plongeur maitre_hotel sommelier
    gerant_restaurant
Hôtel | 3 | receptionniste femme_chambre concierge_hotel directeur_hotel barman
Crêperie | 2 | crepier serveur
Pizzeria | 1 | pizzaiolo serveur
Cuisine centrale | 1 | cuisinier_collectivite commis_cuisine plongeur
Restauration rapide | 1 | equipier_restauration_rapide
[tourisme]
Camping | 2 coast | gerant_camping animateur_club_vacances
Agence de voyages | 1 | agent_voyages conseiller_sejour
Parc de loisirs | 1 | agent_parc_loisirs animateur_club_vacances
Maison du tourisme | 1 | conseiller_sejour guide_conferencier charge_developpement_touristique
    accompagnateur_tourisme
Balades et randonnées | 1 R | accompagnateur_randonnee
Gîtes | 1 R | gite
Casino | 1 S coast | croupier
[sante]
Clinique | 2 A B | infirmier infirmier_bloc infirmier_anesthesiste aide_soignant ash brancardier
    chirurgien anesthesiste urgentiste technicien_biomedical
Clinique mère-enfant | 1 A B | sage_femme puericultrice auxiliaire_puericulture gynecologue
    pediatre
Résidence seniors | 3 | aide_soignant ash infirmier ergotherapeute psychomotricien dieteticien
Pharmacie | 3 | pharmacien preparateur_pharmacie
Cabinet dentaire | 2 | dentiste assistant_dentaire
Laboratoire de prothèse dentaire | 1 | prothesiste_dentaire
Optique | 2 | opticien orthoptiste
Centre auditif | 1 | audioprothesiste
Cabinet paramédical | 2 | kine osteopathe orthophoniste podologue psychologue chiropracteur
Maison de santé | 2 A | medecin infirmier secretaire_medicale cardiologue dermatologue
    ophtalmologue
Laboratoire d'analyses | 1 A | technicien_labo_medical
Centre d'imagerie | 1 A | manip_radio radiologue
Ambulances | 1 A | ambulancier
[social]
Aide à domicile | 3 | aide_domicile aes tisf
Foyer éducatif | 2 A | educateur_specialise moniteur_educateur directeur_etablissement_social
Crèche | 2 | educateur_jeunes_enfants
Association d'insertion | 1 A | conseiller_insertion mediateur_social educateur_prevention cesf
    assistant_social
[education_formation]
Centre de formation | 2 A | formateur professeur_fle
Auto-école | 2 | moniteur_auto_ecole
École de musique | 1 | professeur_musique
École privée | 1 | professeur_ecoles atsem assistant_education documentaliste
[animaux]
Clinique vétérinaire | 3 | veterinaire asv
Toilettage | 1 | toiletteur
Éducation canine | 1 R | educateur_canin eleveur_canin pet_sitter
Parc animalier | 1 R | soigneur_animalier agent_animalier
Centre équestre | 2 R | moniteur_equitation palefrenier equitherapeute
Haras | 2 R N | eleveur_chevaux palefrenier lad_jockey cavalier_professionnel inseminateur
Maréchalerie | 1 R | marechal_ferrant
Animalerie | 1 | vendeur_animalerie
[agriculture_environnement]
Ferme | 4 R | agriculteur eleveur_bovins agent_elevage ouvrier_agricole
    conducteur_engins_agricoles
Élevage | 1 R | eleveur_volailles eleveur_porcs agent_elevage
Maraîchage | 1 R | maraicher ouvrier_agricole
Cidrerie | 2 R N | producteur_cidre arboriculteur
Domaine viticole | 2 R V | viticulteur
Pépinière | 1 R | horticulteur
Jardins et paysages | 3 | paysagiste elagueur jardinier_golf
Exploitation forestière | 1 A R | bucheron technicien_forestier
Teillage de lin | 1 A R L | teilleur_lin
Rucher | 1 R | apiculteur
Bureau d'études environnement | 1 A | technicien_environnement ecologue
    charge_developpement_durable technicien_eau
Recyclage | 1 A | agent_tri agent_collecte_dechets
Conseil agricole | 1 A | conseiller_agricole ingenieur_agronome
[energie]
Maintenance nucléaire | 1 S nuclear | technicien_nucleaire radioprotection ingenieur_nucleaire
    operateur_centrale
Éolien | 1 A | technicien_eolien
Solaire | 1 | installateur_solaire technicien_irve
Réseaux d'énergie | 1 A | monteur_reseaux_electriques technicien_gaz
Méthanisation | 1 A R | technicien_methanisation
Conseil énergie | 1 | conseiller_renovation_energetique ingenieur_energie
[batiment]
Maçonnerie | 4 | macon coffreur_bancheur chef_chantier
Plomberie-chauffage | 3 | plombier chauffagiste frigoriste
Électricité | 3 | electricien_batiment
Couverture-charpente | 2 | couvreur charpentier ramoneur
Menuiserie | 3 | menuisier menuisier_alu vitrier
Peinture et finitions | 2 | peintre_batiment plaquiste isolateur facadier
Carrelage | 1 | carreleur solier
Travaux publics | 2 A | conducteur_engins canalisateur constructeur_routes grutier
    conducteur_travaux
Métallerie | 1 | serrurier_metallier
Bureau d'études bâtiment | 1 A | dessinateur_btp architecte economiste_construction ingenieur_btp
    geometre urbaniste
Étanchéité | 1 A | etancheur cordiste
Ascenseurs | 1 A | ascensoriste
Maintenance de bâtiments | 1 | agent_maintenance_batiment
Diagnostics immobiliers | 1 A | diagnostiqueur_immobilier
Taille de pierre | 1 | tailleur_pierre
[industrie]
Chaudronnerie | 2 | soudeur chaudronnier tuyauteur
Mécanique de précision | 2 | usineur ajusteur modeleur_mouliste technicien_methodes
    dessinateur_industriel
Plasturgie | 1 | plasturgiste operateur_composites conducteur_installations
Aéronautique | 1 A | technicien_aeronautique ingenieur_aeronautique cableur
Électronique | 1 | technicien_electronique cableur technicien_instrumentation
Automatismes | 1 | automaticien roboticien electrotechnicien technicien_maintenance_industrielle
Chimie | 1 S | technicien_chimiste operateur_chimie ingenieur_chimiste technicien_hse
Laboratoire pharmaceutique | 1 A | operateur_pharma technicien_qualite
Textile | 1 | operateur_textile
Fonderie | 1 A | fondeur forgeron
Verrerie | 1 | verrier
Imprimerie | 1 | imprimeur
Usine | 2 | operateur_production conducteur_installations technicien_maintenance_industrielle
    ingenieur_production ingenieur_mecanique peintre_industriel
Fabrication additive | 1 | technicien_fabrication_additive
[mecanique_automobile]
Garage | 5 | mecanicien_auto technicien_diagnostic_auto preparateur_vehicules vendeur_pieces_auto
Carrosserie | 2 | carrossier peintre_auto
Moto | 1 | mecanicien_moto
Cycles | 1 | mecanicien_velo
Poids lourds | 1 | mecanicien_poids_lourds depanneur
Machinisme agricole | 2 R | mecanicien_agricole mecanicien_engins technicien_motoculture
Contrôle technique | 1 | controleur_technique
Pneus | 1 | technicien_pneumatiques
Sport mécanique | 1 | mecanicien_competition
Expertise automobile | 1 A | expert_automobile
Maintenance ferroviaire | 1 A | mecanicien_ferroviaire
[transport_logistique]
Transports routiers | 2 A | conducteur_routier affreteur
Logistique | 3 | cariste preparateur_commandes magasinier agent_quai responsable_logistique
    approvisionneur
Autocars | 1 A | conducteur_bus
Taxis | 1 | chauffeur_taxi chauffeur_vtc
Déménagements | 1 | demenageur
Livraisons | 1 | chauffeur_livreur facteur
Transit | 1 A port | agent_transit declarant_douane
Manutention portuaire | 1 A port | docker portiqueur lamaneur agent_maritime
Compagnie aérienne | 1 A B | agent_escale hotesse_air pilote_ligne
Ferroviaire | 1 A B | conducteur_train controleur_train agent_circulation_ferroviaire
    agent_maintenance_voies
[nautisme_mer]
Armement de pêche | 1 A port | marin_pecheur matelot
Mareyage | 1 coast | mareyeur
Chantier naval | 1 coast | charpentier_marine constructeur_bateaux technicien_construction_navale
    ingenieur_naval
Nautisme | 1 coast | mecanicien_nautique electricien_marine
Voilerie | 1 coast | voilier
École de voile | 1 coast | moniteur_voile skipper
Parcs à huîtres | 2 coast | ostreiculteur mytiliculteur aquaculteur
Port de plaisance | 1 coast | agent_port_plaisance officier_port
Compagnie maritime | 1 S port | officier_marine_marchande officier_mecanicien pilote_maritime
Travaux sous-marins | 1 S coast | scaphandrier
Station marine | 1 A coast | biologiste_marin
[securite_defense]
Sécurité privée | 2 A | agent_securite agent_securite_incendie agent_cynophile
Alarmes | 1 | installateur_alarmes
Transport de fonds | 1 S | convoyeur_fonds
[droit_administration]
Cabinet d'avocats | 2 A | avocat juriste secretaire
Étude notariale | 2 | notaire clerc_notaire
Commissaires de justice | 1 A | commissaire_justice
Conseil RH | 1 A | rh gestionnaire_paie consultant
Secrétariat | 1 | secretaire assistant_direction agent_accueil
[banque_assurance]
Banque | 2 | conseiller_bancaire directeur_agence_bancaire conseiller_patrimoine
    charge_recouvrement
Cabinet comptable | 2 | comptable expert_comptable controleur_gestion
Assurances | 2 | agent_assurance conseiller_assurance gestionnaire_sinistres courtier
Gestion financière | 1 S B | analyste_financier actuaire
[commerce]
Supermarché | 3 | employe_libre_service caissier chef_rayon directeur_magasin
Boutique de mode | 2 | vendeur visual_merchandiser
Fleuriste | 2 | fleuriste
Librairie | 1 | libraire
Tabac-presse | 1 S | buraliste
Agence immobilière | 2 | agent_immobilier gestionnaire_locatif
Concession automobile | 1 | vendeur_auto
Magasin multimédia | 1 | vendeur_multimedia
Négoce | 2 | commercial technico_commercial assistant_commercial acheteur directeur_commercial
Centre de relation client | 1 A | teleconseiller
Parfumerie | 1 | conseiller_beaute
Antiquités | 1 | antiquaire
Boutique en ligne | 1 | e_commerce commercant chef_entreprise
[communication]
Agence de communication | 2 | charge_communication graphiste directeur_artistique
    community_manager chef_publicite motion_designer
Agence marketing | 1 A | marketing consultant_seo redacteur_web charge_etudes_marketing
    createur_contenu
Journal | 1 | journaliste attache_presse
Radio | 1 | animateur_radio_tele journaliste
Événementiel | 1 | evenementiel
Traduction | 1 A | traducteur interprete
[numerique]
Entreprise de services numériques | 2 | dev_web dev_logiciel consultant_informatique
    chef_projet_informatique testeur_logiciel devops dba
Données et cybersécurité | 1 A | data_analyst data_scientist cybersecurite dpo
Studio de jeux vidéo | 1 | dev_jeux_video game_designer infographiste_3d testeur_jeux_video
Agence web | 2 | dev_web webdesigner dev_mobile
Dépannage informatique | 2 | technicien_support admin_reseau
Fibre optique | 1 A | technicien_fibre
Drones | 1 | telepilote_drone
Électronique embarquée | 1 A | dev_embarque
Médiation numérique | 1 | conseiller_numerique
[art_culture]
Théâtre | 1 | comedien regisseur decorateur_spectacle charge_production
Production audiovisuelle | 1 | realisateur cadreur monteur_video ingenieur_son scenariste
Studio photo | 1 | photographe
Ébénisterie | 1 | ebeniste
Sellerie-tapisserie | 1 | tapissier sellier
Céramique | 1 | ceramiste
Verre soufflé | 1 | souffleur_verre
Lutherie | 1 | luthier
Bijouterie-horlogerie | 1 | bijoutier horloger
Atelier de couture | 1 | couturier styliste modeliste
Tatouage | 1 S | tatoueur
Design | 1 A | designer_produit architecte_interieur
Restauration d'œuvres | 1 A | restaurateur_art
Cirque | 1 | artiste_cirque
École de danse | 1 | professeur_danse danseur
Éditions | 1 | illustrateur ecrivain
Salle de concert | 1 | musicien chanteur dj
[sport_animation]
Salle de sport | 2 | coach_sportif gerant_salle_sport
Club sportif | 2 | educateur_sportif arbitre
Centre aquatique | 1 | mns
Club de plongée | 1 coast | moniteur_plongee
Dojo | 1 | professeur_arts_martiaux
Centre d'animation | 2 | animateur_socioculturel animateur_gerontologie
Équipe e-sport | 1 A | esportif
Karting | 1 | pilote_course
[beaute_bien_etre]
Salon de coiffure | 4 | coiffeur barbier
Institut de beauté | 3 | estheticienne prothesiste_ongulaire spa_praticien maquilleur
Cabinet bien-être | 1 A | sophrologue naturopathe professeur_yoga coach_vie conseiller_image
Laboratoire cosmétique | 1 A | cosmetologue parfumeur
[proprete_services]
Propreté | 2 | agent_proprete laveur_vitres
Pressing | 1 | employe_pressing
Cordonnerie | 1 | cordonnier
Dératisation | 1 A | technicien_nuisibles
Électroménager | 1 | reparateur_electromenager
Services à domicile | 1 | employe_maison
Pompes funèbres | 1 S | conseiller_funeraire
Gardiennage d'immeubles | 1 | gardien_immeuble
"""
# The wishes young people voice most (nursing, care, early childhood, mechanics, hairdressing,
# cooking, baking, IT, animals, building, police and army, beauty, sales…): métier code: kinds
# of company (ARCHETYPES or EXTRA_ARCHETYPES) where it is done, the first one for new companies.
# In each Normandy department, each gets offers and ambassadors until it has what it needs
# (below; see coverage()).
WISHES = """
infirmier: Résidence seniors | Maison de santé | Clinique
aide_soignant: Résidence seniors | Clinique
auxiliaire_puericulture: Pouponnière | Clinique mère-enfant
educateur_jeunes_enfants: Crèche
mecanicien_auto: Garage
coiffeur: Salon de coiffure
cuisinier: Restaurant
boulanger: Boulangerie
patissier: Pâtisserie | Boulangerie
dev_logiciel: Entreprise de services numériques
dev_web: Agence web | Entreprise de services numériques
technicien_support: Dépannage informatique
veterinaire: Clinique vétérinaire
asv: Clinique vétérinaire
soigneur_animalier: Refuge animalier | Parc animalier
macon: Maçonnerie
electricien_batiment: Électricité
plombier: Plomberie-chauffage
policier: Commissariat
gendarme: Brigade de gendarmerie
soldat_armee_terre: Régiment
sapeur_pompier: Centre de secours
estheticienne: Institut de beauté
vendeur: Boutique de mode
agent_proprete: Propreté
agriculteur: Ferme
"""
# Kinds of employer used only to cover WISHES (same format as ARCHETYPES; P: a public body,
# which does not sign the agency's charter).
EXTRA_ARCHETYPES = """
[sante]
Pouponnière | 1 | auxiliaire_puericulture puericultrice
[animaux]
Refuge animalier | 1 | soigneur_animalier agent_animalier
[securite_defense]
Commissariat | 1 P | policier police_scientifique
Brigade de gendarmerie | 1 P | gendarme
Régiment | 1 P | soldat_armee_terre officier_armee
Centre de secours | 1 P | sapeur_pompier
"""
# What a wish needs in each department: offers (≥ OFFERS_PER_WISH open to collège or lycée
# pupils, both levels among them) and available ambassadors (≥ PUPIL_AMBASSADORS meeting pupils;
# pupils, and each of ADULT_PUBLICS, met by someone in every format of MEETING_FORMATS), each in
# ≥ TOWNS_PER_WISH towns.
OFFERS_PER_WISH, PUPIL_AMBASSADORS, TOWNS_PER_WISH = 2, 2, 2
SCHOOL_LEVELS = ("college", "lycee")
PUPIL_PUBLICS = ("college", "lycee", "etudiant")
MEETING_FORMATS = ("sur_place", "collectif", "visio", "telephone")
ADULT_PUBLICS = ("demandeur_emploi", "salarie")
# Towns where the coverage places rows: at least this many inhabitants (farms: fewer).
BIG_TOWN, RURAL_TOWN = 5000, 1000
# More names for the ambassadors added by the coverage (the first ones keep their names).
MORE_FIRST_NAMES = "Nina Rose Lina Maëlys Alice Eva Margaux Léna Noah Adam Ethan Tom Paul Malo"
MORE_INITIALS = "JKQWYZ"
# Real communes (departement:nom) for kinds of company tied to the sea, a port or a power plant.
PLACES = {
    "coast": "14:Honfleur|14:Trouville-sur-Mer|14:Ouistreham|14:Courseulles-sur-Mer|"
    "14:Port-en-Bessin-Huppain|14:Grandcamp-Maisy|14:Isigny-sur-Mer|50:Cherbourg-en-Cotentin|"
    "50:Granville|50:Barneville-Carteret|50:Saint-Vaast-la-Hougue|50:Agon-Coutainville|"
    "50:Blainville-sur-Mer|76:Le Havre|76:Dieppe|76:Fécamp|76:Le Tréport|"
    "76:Saint-Valery-en-Caux",
    "port": "76:Le Havre|76:Rouen|50:Cherbourg-en-Cotentin|76:Dieppe|14:Ouistreham|76:Fécamp|"
    "50:Granville|14:Port-en-Bessin-Huppain",
    "nuclear": "50:Flamanville|50:Les Pieux|76:Saint-Valery-en-Caux|76:Petit-Caux|"
    "57:Cattenom|57:Thionville|08:Chooz|08:Givet|10:Nogent-sur-Seine",
}
# Invented name endings (|-separated): * anywhere, N Normandy only, G Grand Est only.
FANCY_TEXT = """
*:des Tilleuls | *:du Moulin Bleu | *:des Trois Chênes | *:de la Belle Étoile |
*:du Clos Fleuri | *:des Hirondelles | *:du Vieux Puits | *:des Coquelicots | *:de la Source |
*:du Grand Pré | *:des Saules | *:de l'Arc-en-Ciel | *:du Petit Pont | *:des Lilas |
*:de la Colline | *:du Soleil Levant | *:des Quatre Vents | *:de la Rivière | *:du Verger |
*:des Peupliers | *:de la Clairière | *:des Marronniers | *:de la Fontaine | *:des Érables |
*:de l'Horizon | *:du Cerf-Volant | *:de la Lanterne | *:de la Plume | *:du Bouton d'Or |
*:des Glycines | *:de la Licorne | *:du Hérisson | *:de la Chouette | *:du Renard Roux |
*:des Grillons | *:de la Luciole | *:des Bleuets | *:du Tournesol | N:du Bocage |
N:de la Falaise | N:des Pommiers | N:de l'Estuaire | N:des Embruns | N:des Mouettes |
G:des Cigognes | G:de la Mirabelle | G:du Houblon | G:des Sapins
"""
FIRST_NAMES_TEXT = (
    "Léa Emma Chloé Camille Manon Inès Sarah Julie Laura Marie Sophie Nathalie Isabelle "
    "Céline Aurélie Sandrine Élodie Pauline Lucie Clara Jade Louise Zoé Anaïs Yasmine Aïcha Fatou "
    "Mélanie Charlotte Océane Lucas Hugo Thomas Nicolas Julien Maxime Antoine Alexandre Romain "
    "Kévin Mathieu Sébastien Pierre Nathan Louis Théo Enzo Jules Arthur Gabriel Karim Mehdi "
    "Yanis Amine Samir David Olivier Franck Baptiste Quentin"
)
# Formation ambassadors (students): formation, métier it leads to, kind of school.
FORMATIONS = [
    ("CAP Boulanger (apprentissage)", "boulanger", "CFA"),
    ("CAP Pâtissier (apprentissage)", "patissier", "CFA"),
    ("CAP Métiers de la coiffure", "coiffeur", "CFA"),
    ("CAP Maçon (apprentissage)", "macon", "CFA"),
    ("Bac pro Cuisine", "cuisinier", "Lycée"),
    ("Bac pro Maintenance des véhicules", "mecanicien_auto", "Lycée"),
    (
        "Bac pro Métiers de l'électricité et de ses environnements connectés",
        "electricien_batiment",
        "Lycée",
    ),
    ("Bac pro Accompagnement, soins et services à la personne", "aide_soignant", "Lycée"),
    ("Bac pro Métiers du commerce et de la vente", "vendeur", "Lycée"),
    ("Bac pro Logistique", "cariste", "Lycée"),
    ("Bac pro Technicien d'usinage", "usineur", "Lycée"),
    ("Bac pro Conduite et gestion de l'entreprise agricole", "agriculteur", "Lycée agricole"),
    ("BTS Management commercial opérationnel", "chef_rayon", "Lycée"),
    ("BTS Négociation et digitalisation de la relation client", "commercial", "Lycée"),
    ("BTS Services informatiques aux organisations", "dev_logiciel", "Lycée"),
    ("BTS Électrotechnique", "electrotechnicien", "Lycée"),
    ("BTS Maintenance des systèmes", "technicien_maintenance_industrielle", "Lycée"),
    ("BTS Tourisme", "agent_voyages", "Lycée"),
    ("BTS Comptabilité et gestion", "comptable", "Lycée"),
    ("BTS Management en hôtellerie-restauration", "gerant_restaurant", "Lycée"),
    ("BTSA Productions animales", "eleveur_bovins", "Lycée agricole"),
    ("BUT Informatique", "dev_web", "IUT"),
    ("BUT Génie mécanique et productique", "technicien_methodes", "IUT"),
    ("BUT Carrières sociales", "animateur_socioculturel", "IUT"),
    ("BUT Techniques de commercialisation", "commercial", "IUT"),
    ("Licence STAPS", "educateur_sportif", "Université"),
    ("Licence de psychologie", "psychologue", "Université"),
    ("Licence de droit", "juriste", "Université"),
    ("Diplôme d'État d'infirmier", "infirmier", "Institut de formation en soins infirmiers"),
    (
        "Diplôme d'État d'éducateur spécialisé",
        "educateur_specialise",
        "Institut du travail social",
    ),
    ("Classe préparatoire MPSI", "", "Lycée"),
]
# Optional actions of the charter (annexe 2 of the charter "Fabrique des compétences").
CHOSEN_ACTIONS = [
    "actions à destination des parents",
    "interventions dans des établissements scolaires",
    "visites d'entreprise",
    "accueil de classes en entreprise",
    "stages étudiants de longue durée",
    "stages d'immersion pour des adultes en recherche d'emploi ou en reconversion",
    "forums métiers",
    "remise de diplômes",
    "offres d'emploi sur Emploi'Normandie",
    "liens avec les structures de formation du territoire",
    "professionnalisation des enseignants et du réseau AIO",
]
# Mondays of 2026-2027 outside the school holidays, for the 3e observation week.
THIRD_WEEKS = "2026-12-07 2026-12-14 2027-01-11 2027-01-18 2027-01-25 2027-02-01 2027-03-15"
THIRD_WEEKS += " 2027-03-22 2027-03-29"
FANCY = [entry.strip() for entry in FANCY_TEXT.split("|")]
ANYWHERE = [entry[2:] for entry in FANCY if entry.startswith("*:")]
FIRST_NAMES = FIRST_NAMES_TEXT.split()
HOLIDAYS = "vacances d'automne|vacances de Noël|vacances d'hiver|vacances de printemps|"
HOLIDAYS += "vacances d'été"
# Towns that must have offers in the demo (besides Caen and Caen la Mer).
DEMO_TOWNS = "14:Lisieux|50:Saint-Lô|76:Rouen|50:Cherbourg-en-Cotentin|61:Alençon|27:Évreux"
# EPCI of the western Seine-Maritime coordinator (the others go to the eastern one).
WEST_SEINE_MARITIME = "CU Le Havre Seine Métropole|CA Caux Seine Agglo|CC Campagne-de-Caux|"
WEST_SEINE_MARITIME += "CA Fécamp Caux Littoral Agglomération|CC de la Côte d'Albâtre|"
WEST_SEINE_MARITIME += "CC Yvetot Normandie|CC Plateau de Caux|CC Terroir de Caux"
# Métiers no ambassador stands for in the demo.
UNLIKELY = "agent_renseignement trader cascadeur mannequin diplomate agent_joueurs garde_du_corps"
UNLIKELY += " magicien humoriste"
# Words kept with the next one in bassin codes (BE-Saint-Lo, BE-Le-Havre, BE-Bar-le-Duc).
LINKING = re.compile(r"le|la|les|l|saint|sainte|bar|pont|val|de|du|des|en|sur|sous", re.I)


@dataclass(frozen=True)
class Town:
    """A real commune of communes.csv."""

    insee: str
    nom: str
    dept: str
    region: str
    epci: str
    epci_nom: str
    pop: int

    @classmethod
    def of(cls, raw: dict[str, str]) -> Town:
        """The town of a communes.csv row."""
        code, nom, dept, region = raw["insee"], raw["nom"], raw["departement"], raw["region"]
        return cls(code, nom, dept, region, raw["epci"], raw["epci_nom"], int(raw["population"]))


@dataclass(frozen=True)
class Archetype:
    """A kind of company: its sector, label, métiers (main first), weight and constraints."""

    secteur: str
    label: str
    metiers: tuple[str, ...]
    weight: int
    levels: str  # C (collège first), A (lycée, supérieur) or S (supérieur only)
    where: str  # letters: N Normandy, R rural, B big town, V vineyards, L flax, or a PLACES key


@dataclass
class Firm:
    """A generated company."""

    key: str
    name: str
    town: Town
    arch: Archetype


def pick(rng: random.Random, options: Sequence[tuple[T, float]]) -> T:
    """One of `options`, drawn with the paired weights."""
    return rng.choices([o for o, _ in options], [w for _, w in options])[0]


def fold(text: str) -> str:
    """ASCII without accents."""
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()


def slug(text: str) -> str:
    """Lower-case ASCII words joined by `_`."""
    return re.sub(r"[^a-z0-9]+", "_", fold(text).lower()).strip("_")


class Territory:
    """The communes of both regions, with the weights used to place rows."""

    def __init__(self, path: Path) -> None:
        self.towns: list[Town] = []
        # EPCI → (population, INSEE code) of its most populated commune, in any region.
        self.epci_centre: dict[str, tuple[int, str]] = {}
        with path.open(encoding="utf-8", newline="") as handle:
            for raw in csv.DictReader(handle):
                ours = raw["departement"] in NORMANDY + GRAND_EST and raw["region"] in ("28", "44")
                if ours and int(raw["population"] or 0) > 0:
                    self.towns.append(Town.of(raw))
                pop = int(raw["population"] or 0)
                if raw["epci"] and pop > self.epci_centre.get(raw["epci"], (-1, ""))[0]:
                    self.epci_centre[raw["epci"]] = (pop, raw["insee"])
        self.by_dept: dict[str, list[Town]] = defaultdict(list)
        self.by_epci: dict[str, list[Town]] = defaultdict(list)
        self.by_name = {(t.dept, t.nom): t for t in self.towns}
        self.by_insee = {t.insee: t for t in self.towns}
        for town in self.towns:
            self.by_dept[town.dept].append(town)
            self.by_epci[town.epci].append(town)
        self.dept_weight: dict[str, float] = {}
        pops = {d: sum(t.pop for t in self.by_dept[d]) for d in NORMANDY + GRAND_EST}
        for region, share in ((NORMANDY, 1 - GRAND_EST_SHARE), (GRAND_EST, GRAND_EST_SHARE)):
            total = sum(pops[d] for d in region)
            self.dept_weight |= {d: share * pops[d] / total for d in region}

    def named(self, entry: str) -> Town:
        """The town of an entry `dept:Nom`."""
        dept, nom = entry.split(":", 1)
        return self.by_name[(dept, nom)]

    def place(self, rng: random.Random, where: str = "", dept: str | None = None) -> Town:
        """A town: department by population, then bigger towns more often (small ones too)."""
        for key, entries in PLACES.items():
            if key in where:
                towns = [self.named(e) for e in entries.split("|")]
                return pick(rng, [(t, t.pop**0.5) for t in towns])
        if dept is None:
            depts = NORMANDY if "N" in where else tuple(self.dept_weight)
            depts = ("51", "10", "67", "68") if "V" in where else depts
            depts = ("76", "27", "14") if "L" in where else depts
            dept = pick(rng, [(d, self.dept_weight[d]) for d in depts])
        towns = self.by_dept[dept]
        if "R" in where:
            towns = [t for t in towns if t.pop < 5000]
        if "U" in where:
            towns = [t for t in towns if t.pop >= 10000] or [max(towns, key=lambda t: t.pop)]
        if "B" in where:
            towns = [t for t in towns if t.pop >= 40000] or [max(towns, key=lambda t: t.pop)]
        return pick(rng, [(t, t.pop**1.15) for t in towns])

    def epci_main_towns(self, depts: Sequence[str]) -> list[Town]:
        """The most populated commune of each EPCI with a commune in `depts`, when it lies in
        `depts` itself (an EPCI centred in another region is left out), biggest first."""
        mains = {
            self.by_insee.get(self.epci_centre[t.epci][1])
            for t in self.towns
            if t.dept in depts and t.epci
        }
        return sorted(
            (t for t in mains if t is not None and t.dept in depts),
            key=lambda t: (depts.index(t.dept), -t.pop, t.insee),
        )

    def bassin(self, town: Town) -> str:
        """A short employment-area code named after the biggest town of the EPCI (BE-Caen)."""
        centre = max(self.by_epci[town.epci], key=lambda t: t.pop)
        words = re.split(r"[-\s']+", fold(centre.nom))
        kept = [words[0]]
        for word in words[1:]:
            if not LINKING.fullmatch(kept[-1]):
                break
            kept.append(word)
        return ("BE-" + "-".join(kept))[:16]


def load_metiers(path: Path) -> dict[str, str]:
    """Métier code → sector."""
    with path.open(encoding="utf-8", newline="") as handle:
        return {raw["code"]: raw["secteur"] for raw in csv.DictReader(handle)}


def archetypes(metiers: dict[str, str], text: str = ARCHETYPES) -> list[Archetype]:
    """Parse ARCHETYPES (or `text`), checking that every métier exists and belongs to the
    sector."""
    entries: list[tuple[str, str, str, list[str]]] = []
    secteur = ""
    for line in text.strip().splitlines():
        if line.startswith("["):
            secteur = line.strip("[]")
        elif line.startswith(" "):
            entries[-1][3].extend(line.split())
        else:
            label, flags, names = (part.strip() for part in line.split("|"))
            entries.append((secteur, label, flags, names.split()))
    result: list[Archetype] = []
    errors: list[str] = []
    for sector, label, flags, codes in entries:
        errors += [
            f"{label}: {c} is not a métier of {sector}" for c in codes if metiers.get(c) != sector
        ]
        weight, *rest = flags.split()
        levels = next((f for f in rest if f in ("A", "S")), "C")
        where = " ".join(f for f in rest if f not in ("A", "S"))
        result.append(Archetype(sector, label, tuple(codes), int(weight), levels, where))
    if errors:
        sys.exit("\n".join(errors))
    return result


def firm_name(rng: random.Random, label: str, town: Town, used: set[str]) -> str:
    """`Label fancy (démo)`, unique; regional fancy words only in their region."""
    region = "N" if town.dept in NORMANDY else "G"
    pool = [f for f in FANCY if f[:2] in ("*:", f"{region}:")]
    for _ in range(40):
        name = f"{label} {rng.choice(pool)[2:]} (démo)"
        if name not in used:
            used.add(name)
            return name
    name = f"{label} {rng.choice(pool)[2:]} – {town.nom} (démo)"
    used.add(name)
    return name


def companies(rng: random.Random, terr: Territory, kinds: list[Archetype]) -> list[Firm]:
    """Forced demo towns first, then one company per archetype, then weighted extras."""
    label = {a.label: a for a in kinds}
    caen = terr.named("14:Caen")
    caen_la_mer = sorted((t for t in terr.by_epci[caen.epci] if t != caen), key=lambda t: -t.pop)
    plan: list[tuple[Archetype, Town | None]] = [
        (label["Boulangerie"], caen),
        (label["Pâtisserie"], caen),
        (label["Boulangerie"], caen),
        (label["Boulangerie"], caen_la_mer[0]),
        (label["Pâtisserie"], caen_la_mer[3]),
    ]
    general = [a for a in kinds if a.levels == "C" and not a.where]
    for entry in DEMO_TOWNS.split("|"):
        plan += [(rng.choice(general), terr.named(entry)) for _ in range(2)]
    plan += [(a, None) for a in kinds]
    while len(plan) < N_COMPANIES:
        plan.append((pick(rng, [(a, a.weight) for a in kinds]), None))
    firms: list[Firm] = []
    used: set[str] = set()
    for number, (arch, where) in enumerate(plan, start=1):
        town = where or terr.place(rng, arch.where)
        firms.append(
            Firm(f"demo_ent_{number:03d}", firm_name(rng, arch.label, town, used), town, arch)
        )
    return firms


def offer_row(rng: random.Random, number: int, firm: Firm, metier: str, levels: str) -> Row:
    """One mini-stage offer of `firm`; periods agree with the school levels."""
    if levels == "superieur":
        periods = ["toute l'année, sur convention de stage"]
    else:
        holidays = HOLIDAYS.split("|")
        periods = sorted(rng.sample(holidays, rng.choice([1, 1, 2])), key=holidays.index)
        if "college" in levels and (levels == "college" or rng.random() < 0.3):
            week = f"semaine du {rng.choice(THIRD_WEEKS.split())} (stage de 3e)"
            periods = [week] if levels == "college" and rng.random() < 0.5 else [week, *periods]
    low, high = pick(rng, [((3, 5), 4), ((5, 5), 3), ((3, 3), 2), ((4, 5), 2), ((3, 4), 1)])
    return {
        "key": f"demo_ms_{number:04d}",
        "company": firm.key,
        "metier": metier,
        "commune": firm.town.insee,
        "periods": "; ".join(periods),
        "days_min": str(low),
        "days_max": str(high),
        "levels": levels,
        "places": str(pick(rng, [(1, 40), (2, 35), (3, 15), (4, 10)])),
        "demo": "oui",
    }


# Odds of each format and public (`code:p`, the first one is kept when none is drawn).
METIER_FORMATS = "individuel:0.75 collectif:0.55 sur_place:0.55 visio:0.4 telephone:0.35 mail:0.3"
METIER_FORMATS += " tiers_lieu:0.2"
METIER_PUBLICS = "lycee:0.7 college:0.6 etudiant:0.4 demandeur_emploi:0.35 decrocheur:0.25"
METIER_PUBLICS += " salarie:0.25 parent:0.2 professionnel:0.15"
STUDENT_FORMATS = "individuel:0.7 collectif:0.5 visio:0.5 sur_place:0.4 mail:0.4 telephone:0.15"
STUDENT_PUBLICS = "lycee:0.85 college:0.5 etudiant:0.3 parent:0.2 decrocheur:0.1"
LEVELS = {
    "C": [
        ("college", 40),
        ("college lycee", 25),
        ("lycee", 8),
        ("college lycee superieur", 12),
        ("lycee superieur", 10),
        ("superieur", 5),
    ],
    "A": [("lycee", 35), ("lycee superieur", 45), ("superieur", 20)],
    "S": [("superieur", 1)],
}


def ministages(rng: random.Random, firms: list[Firm]) -> list[Row]:
    """One offer per company (collège bakery offers in Caen la Mer), then weighted extras."""
    jobs = list(firms)
    while len(jobs) < N_OFFERS:
        firm = pick(rng, [(f, f.arch.weight) for f in firms])
        if jobs.count(firm) < 4:
            jobs.append(firm)
    jobs.sort(key=firms.index)
    rows: list[Row] = []
    taken: dict[str, list[str]] = defaultdict(list)
    for number, firm in enumerate(jobs, start=1):
        free = [m for m in firm.arch.metiers if m not in taken[firm.key]]
        free = free or list(firm.arch.metiers)
        main_first = free[:1] if not taken[firm.key] else free
        metier = pick(rng, [(m, 1 / (i + 1)) for i, m in enumerate(main_first)])
        taken[firm.key].append(metier)
        bakery = firm.arch.label in ("Boulangerie", "Pâtisserie") and firm.town.dept == "14"
        levels = (
            "college"
            if bakery and len(taken[firm.key]) == 1
            else pick(rng, LEVELS[firm.arch.levels])
        )
        rows.append(offer_row(rng, number, firm, metier, levels))
    return rows


def several(rng: random.Random, odds: str) -> str:
    """Codes drawn independently with their odds (`code:p code:p`); at least the first one."""
    pairs = [(code, float(p)) for code, p in (item.split(":") for item in odds.split())]
    return " ".join([c for c, p in pairs if rng.random() < p] or [pairs[0][0]])


def zone(rng: random.Random, terr: Territory, town: Town, odds: str) -> Row:
    """zone_type and zone_code consistent with where the ambassador is (odds `type:weight`)."""
    kind = pick(rng, [(k, float(w)) for k, w in (item.split(":") for item in odds.split())])
    code = {"commune": town.insee, "departement": town.dept, "region": town.region}
    return {"zone_type": kind, "zone_code": code.get(kind) or terr.bassin(town)}


def ambassadors(
    rng: random.Random, terr: Territory, firms: list[Firm], metiers: dict[str, str]
) -> list[Row]:
    """Ambassadeurs métier (≈85 %, every sector, ≥150 métiers) and formation (students)."""
    n_formation = round(N_AMBASSADORS * FORMATION_SHARE)
    employers: dict[str, list[Firm]] = defaultdict(list)
    for firm in firms:
        for metier in firm.arch.metiers:
            employers[metier].append(firm)
    codes = [c for c in metiers if c not in UNLIKELY.split()]
    rng.shuffle(codes)
    sectors = sorted(set(metiers.values()))
    firsts = [next(c for c in codes if metiers[c] == s) for s in sectors]
    wanted = firsts + [c for c in codes if c not in firsts][: 180 - len(firsts)]
    while len(wanted) < N_AMBASSADORS - n_formation:
        firm = rng.choice(firms)
        wanted.append(rng.choice(firm.arch.metiers))
    rows: list[Row] = []
    for metier in wanted:
        hired = (
            rng.choice(employers[metier]) if employers[metier] and rng.random() < 0.85 else None
        )
        if hired is not None:
            town = hired.town if rng.random() < 0.75 else terr.place(rng, dept=hired.town.dept)
        else:
            town = terr.place(rng)
        adults_only = hired is not None and hired.arch.levels == "S"
        publics = METIER_PUBLICS.replace(" college:0.6", "") if adults_only else METIER_PUBLICS
        rows.append(
            {
                "kind": "metier",
                "metier": metier,
                "formation": "",
                "school": "",
                "company": hired.key if hired else "",
                "commune": town.insee,
                "years_in_job": str(min(30, 1 + int(rng.triangular(0, 30, 6)))),
                "formats": several(rng, METIER_FORMATS),
                "publics": several(rng, publics),
                **zone(rng, terr, town, "departement:40 commune:35 bassin:15 region:10"),
            }
        )
    for i in range(n_formation):
        formation, metier, school = FORMATIONS[i % len(FORMATIONS)]
        town = terr.place(rng, "U")
        rows.append(
            {
                "kind": "formation",
                "metier": metier,
                "formation": formation,
                "company": "",
                "school": f"{school} {rng.choice(ANYWHERE)} (démo)",
                "years_in_job": "",
                "commune": town.insee,
                "formats": several(rng, STUDENT_FORMATS),
                "publics": several(rng, STUDENT_PUBLICS),
                **zone(rng, terr, town, "commune:50 departement:40 bassin:10"),
            }
        )
    initials, seen = "BCDFGHLMNPRSTV", {""}
    for number, row in enumerate(rows, start=1):
        name = ""
        while name in seen:
            name = f"{rng.choice(FIRST_NAMES)} {rng.choice(initials)}. (démo)"
        seen.add(name)
        row |= {
            "key": f"demo_amb_{number:03d}",
            "demo": "oui",
            "display_name": name,
            "available": "non" if rng.random() < 0.08 else "oui",
        }
    return rows


def wishes(kinds: list[Archetype]) -> list[tuple[str, list[Archetype]]]:
    """Parse WISHES: each métier with the kinds of company where it is done, checked."""
    by_label = {a.label: a for a in kinds}
    result: list[tuple[str, list[Archetype]]] = []
    errors: list[str] = []
    for line in WISHES.strip().splitlines():
        code, labels = (part.strip() for part in line.split(":"))
        found = [by_label.get(label.strip()) for label in labels.split("|")]
        archs = [a for a in found if a is not None and code in a.metiers]
        if len(archs) != len(found):
            errors.append(f"WISHES: {code}: a kind of company is unknown or lacks the métier")
        result.append((code, archs))
    if errors:
        sys.exit("\n".join(errors))
    return result


def in_order(codes: list[str], odds: str) -> str:
    """The codes, without repeats, in the order of `odds` (`code:p code:p`)."""
    return " ".join(c for c in (item.split(":")[0] for item in odds.split()) if c in codes)


def offer_needs(rows: list[Row]) -> tuple[int, list[str]]:
    """How many more offers open to pupils a wish needs in a department (in other towns), and
    which school levels none of them is open to yet."""
    school = [r for r in rows if set(r["levels"].split()) & set(SCHOOL_LEVELS)]
    levels = {level for r in school for level in r["levels"].split()}
    towns = len({r["commune"] for r in school})
    count = max(0, OFFERS_PER_WISH - len(school), TOWNS_PER_WISH - towns)
    return count, [x for x in SCHOOL_LEVELS if x not in levels]


def ambassador_needs(rows: list[Row]) -> tuple[int, list[tuple[str, str]]]:
    """How many more available ambassadors meeting pupils a wish needs in a department (in
    other towns), and the (public, format) pairs no available ambassador meets yet: `pupils`
    or one of ADULT_PUBLICS, in a format of MEETING_FORMATS (tiers-lieu counts as on site)."""
    ready = [r for r in rows if r["available"] == "oui"]
    pupils = [r for r in ready if set(r["publics"].split()) & set(PUPIL_PUBLICS)]
    met: set[tuple[str, str]] = set()
    for r in ready:
        publics = set(r["publics"].split())
        groups = [g for g in ADULT_PUBLICS if g in publics]
        groups += ["pupils"] if publics & set(PUPIL_PUBLICS) else []
        met |= {
            (g, f.replace("tiers_lieu", "sur_place")) for g in groups for f in r["formats"].split()
        }
    towns = len({r["commune"] for r in pupils})
    wanted = [(g, f) for g in ("pupils", *ADULT_PUBLICS) for f in MEETING_FORMATS]
    return (
        max(0, PUPIL_AMBASSADORS - len(pupils), TOWNS_PER_WISH - towns),
        [pair for pair in wanted if pair not in met],
    )


def coverage(
    rng: random.Random,
    terr: Territory,
    firms: list[Firm],
    offers: list[Row],
    people: list[Row],
    kinds: list[Archetype],
) -> tuple[list[Firm], list[Row], list[Row]]:
    """New companies, offers and ambassadors so that, in each Normandy department, each of
    WISHES has what it needs (offer_needs, ambassador_needs), spread over several towns: a new
    row goes to a town (≥ BIG_TOWN inhabitants; RURAL_TOWN to BIG_TOWN for a rural kind of
    company) that has none of that métier yet, with a company of a fitting kind already there,
    else a new one."""
    new_firms: list[Firm] = []
    new_offers: list[Row] = []
    new_people: list[Row] = []
    used = {f.name for f in firms}
    dept_of = {t.insee: t.dept for t in terr.towns}

    def town_for(dept: str, arch: Archetype, taken: set[str], fitting: list[Firm]) -> Town:
        rural = "R" in arch.where
        towns = [
            t
            for t in terr.by_dept[dept]
            if (RURAL_TOWN <= t.pop < BIG_TOWN if rural else t.pop >= BIG_TOWN)
        ]
        free = [t for t in towns if t.insee not in taken] or towns
        with_firm = {f.town.insee for f in fitting}
        return pick(rng, [(t, t.pop**0.5 * (3 if t.insee in with_firm else 1)) for t in free])

    def firm_in(town: Town, arch: Archetype, fitting: list[Firm], busy: set[str]) -> Firm:
        """A fitting company of `town` not in `busy`, else a new one of kind `arch`."""
        here = [f for f in fitting if f.town == town and f.key not in busy]
        if here:
            return here[0]
        number = len(firms) + len(new_firms) + 1
        firm = Firm(f"demo_ent_{number:03d}", firm_name(rng, arch.label, town, used), town, arch)
        new_firms.append(firm)
        fitting.append(firm)
        return firm

    for code, archs in wishes(kinds):
        for dept in NORMANDY:
            fitting = [f for f in firms if f.arch in archs and f.town.dept == dept]
            fitting += [f for f in new_firms if f.arch in archs and f.town.dept == dept]

            def mine(rows: list[Row], dept: str = dept, code: str = code) -> list[Row]:
                return [r for r in rows if r["metier"] == code and dept_of[r["commune"]] == dept]

            count, levels = offer_needs(mine(offers + new_offers))
            while count or levels:
                taken = {r["commune"] for r in mine(offers + new_offers)}
                town = town_for(dept, archs[0], taken, fitting)
                offering = {o["company"] for o in offers + new_offers if o["metier"] == code}
                firm = firm_in(town, archs[0], fitting, offering)
                if len(levels) == 2:
                    chosen = "college lycee"
                elif levels:
                    chosen = pick(rng, [(levels[0], 2), ("college lycee", 1)])
                else:
                    chosen = pick(rng, [("college", 2), ("college lycee", 2), ("lycee", 1)])
                number = len(offers) + len(new_offers) + 1
                new_offers.append(offer_row(rng, number, firm, code, chosen))
                count, levels = offer_needs(mine(offers + new_offers))

            count, unmet = ambassador_needs(mine(people + new_people))
            while count or unmet:
                taken = {r["commune"] for r in mine(people + new_people)}
                free = [f for f in fitting if f.town.insee not in taken]
                if free:
                    firm = pick(rng, [(f, f.town.pop**0.5) for f in free])
                else:
                    town = town_for(dept, archs[0], taken, fitting)
                    firm = firm_in(town, archs[0], fitting, set())
                formats = {f for _, f in unmet}
                local = [f for f in formats if f in ("sur_place", "collectif")]
                remote = [f for f in formats if f in ("visio", "telephone")]
                meets = local or remote or [rng.choice(["sur_place", "visio"])]
                adults = {g for g, f in unmet if f in meets and g in ADULT_PUBLICS}
                meets += ["individuel"] + (["mail"] if rng.random() < 0.3 else [])
                publics = ["college", "lycee", *adults]
                publics += ["etudiant"] if rng.random() < 0.4 else []
                publics += ["parent"] if rng.random() < 0.15 else []
                new_people.append(
                    {
                        "kind": "metier",
                        "metier": code,
                        "formation": "",
                        "school": "",
                        "company": firm.key,
                        "commune": firm.town.insee,
                        "years_in_job": str(min(30, 1 + int(rng.triangular(0, 30, 6)))),
                        "formats": in_order(meets, METIER_FORMATS),
                        "publics": in_order(publics, METIER_PUBLICS),
                        **zone(rng, terr, firm.town, "departement:45 commune:35 bassin:20"),
                        "available": "oui",
                        "demo": "oui",
                    }
                )
                count, unmet = ambassador_needs(mine(people + new_people))

    names = FIRST_NAMES + MORE_FIRST_NAMES.split()
    initials, seen = "BCDFGHLMNPRSTV" + MORE_INITIALS, {p["display_name"] for p in people}
    for number, row in enumerate(new_people, start=len(people) + 1):
        name = ""
        while not name or name in seen:
            name = f"{rng.choice(names)} {rng.choice(initials)}. (démo)"
        seen.add(name)
        row |= {"key": f"demo_amb_{number:03d}", "display_name": name}
    return new_firms, new_offers, new_people


def charters(
    rng: random.Random,
    firms: list[Firm],
    offers: list[Row],
    people: list[Row],
    signed: set[str] | None = None,
) -> list[Row]:
    """Company rows; about a third (all in Normandy) signed the agency's charter (or those of
    `signed`)."""
    with_offers = {r["company"] for r in offers}
    with_people = {r["company"] for r in people}
    if signed is None:
        normandy = [f for f in firms if f.town.dept in NORMANDY]
        signed = {f.key for f in rng.sample(normandy, round(len(firms) / 3))}
    first, last = date(2020, 9, 9), date(2026, 6, 30)
    rows = []
    for firm in firms:
        row = {
            "key": firm.key,
            "name": firm.name,
            "commune": firm.town.insee,
            "secteur": firm.arch.secteur,
            "charter_signed_on": "",
            "charter_actions": "",
            "demo": "oui",
        }
        if firm.key in signed:
            day = first + timedelta(days=rng.randrange((last - first).days + 1))
            actions = ["réseau des Ambassadeurs Métiers"] if firm.key in with_people else []
            actions += ["mini-stages de 3 à 5 jours"] if firm.key in with_offers else []
            actions += rng.sample(CHOSEN_ACTIONS, rng.choice([1, 1, 2]))
            row |= {"charter_signed_on": day.isoformat(), "charter_actions": "; ".join(actions)}
        rows.append(row)
    return rows


def structures(rng: random.Random, terr: Territory) -> list[Row]:
    """One Mission locale, CIO, PSAD and Info Jeunes per department, then in the main town of
    every EPCI of Normandy (not in Rouen for Info Jeunes: the real one is there); one
    Transitions Pro per region."""
    towns = [
        terr.named(e) for e in ("14:Caen", "27:Évreux", "50:Saint-Lô", "61:Alençon", "76:Rouen")
    ]
    towns += [max(terr.by_dept[d], key=lambda t: t.pop) for d in GRAND_EST]
    kinds: list[tuple[str, str, str, int | None, int | None]] = [
        ("mission_locale", "Mission locale", "16-25 ans sortis du système scolaire", 16, 25),
        ("cio", "CIO", "élèves, étudiants, familles", 11, None),
        ("psad", "Plateforme décrochage (PSAD)", "16-25 ans sortis sans diplôme", 16, 25),
        ("info_jeunes", "Info Jeunes", "11-30 ans et parents", 11, 30),
    ]
    rows = [
        {
            "key": "info_jeunes_rouen",
            "kind": "info_jeunes",
            "name": "Rouen Info Jeunes",
            "commune": "76540",
            "address": "27 rue Victor Hugo, 76000 Rouen",
            "publics": "11-30 ans et parents",
            "age_min": "11",
            "age_max": "30",
            "contact": "",
            "demo": "non",
        }
    ]
    plan: list[tuple[str, str, Town, str, int | None, int | None]] = [
        (k, f"{n} {rng.choice(ANYWHERE)}, {t.nom} (démo)", t, p, lo, hi)
        for t in towns
        for k, n, p, lo, hi in kinds
        if (k, t.nom) != ("info_jeunes", "Rouen")
    ]
    plan += [
        (
            "transitions_pro",
            f"Transitions Pro {region} (démo)",
            terr.named(entry),
            "salariés en projet de reconversion",
            None,
            None,
        )
        for region, entry in (("Normandie", "76:Rouen"), ("Grand Est", "67:Strasbourg"))
    ]
    plan += [
        (k, f"{n} {rng.choice(ANYWHERE)}, {t.nom} (démo)", t, p, lo, hi)
        for t in terr.epci_main_towns(NORMANDY)
        if t not in towns
        for k, n, p, lo, hi in kinds
        if (k, t.nom) != ("info_jeunes", "Rouen")
    ]
    for kind, name, town, publics, low, high in plan:
        rows.append(
            {
                "key": f"demo_{kind}_{slug(town.nom)}",
                "kind": kind,
                "name": name,
                "commune": town.insee,
                "address": "Adresse de démonstration",
                "publics": publics,
                "age_min": "" if low is None else str(low),
                "age_max": "" if high is None else str(high),
                "contact": "Contact de démonstration",
                "demo": "oui",
            }
        )
    if len({r["key"] for r in rows}) != len(rows):
        sys.exit("structures: two towns give the same key")
    return [r | {"latitude": "", "longitude": ""} for r in rows]


def coordinators(terr: Territory) -> list[Row]:
    """One per department (Seine-Maritime split by EPCI), one for Grand Est, one backup.

    An EPCI straddling Seine-Maritime goes to a Seine-Maritime coordinator only if most of its
    population lives there (CC Roumois Seine stays with the Eure).
    """
    west = WEST_SEINE_MARITIME.split("|")
    inside: dict[str, int] = defaultdict(int)  # inhabitants in Seine-Maritime minus elsewhere
    for town in terr.towns:
        inside[town.epci] += town.pop if town.dept == "76" else -town.pop
    names = {t.epci: t.epci_nom for t in terr.by_dept["76"] if t.epci and inside[t.epci] > 0}
    east = " ".join(sorted(e for e, n in names.items() if n not in west))
    ouest = " ".join(sorted(e for e, n in names.items() if n in west))
    people = [
        ("Coordinatrice Calvados (démo)", "14", ""),
        ("Coordinateur Eure (démo)", "27", ""),
        ("Coordinatrice Manche (démo)", "50", ""),
        ("Coordinateur Orne (démo)", "61", ""),
        ("Coordinatrice Rouen et Seine-Maritime Est (démo)", "", east),
        ("Coordinateur Le Havre et Seine-Maritime Ouest (démo)", "", ouest),
        ("Coordinatrice Grand Est (démo)", " ".join(GRAND_EST), ""),
        ("Coordinateur remplaçant, backup (démo)", "", ""),
    ]
    return [
        {
            "telegram_id": str(9000000001 + i),
            "name": name,
            "departements": depts,
            "epcis": epcis,
            "backup": "oui" if "backup" in name else "non",
            "absent": "non",
            "demo": "oui",
        }
        for i, (name, depts, epcis) in enumerate(people)
    ]


def write(kind: str, rows: list[Row]) -> None:
    """knowledge/<kind>.csv with exactly the columns of HEADERS[kind]."""
    header = HEADERS[kind].split()
    with (KNOWLEDGE / f"{kind}.csv").open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, header, lineterminator="\n", extrasaction="raise")
        writer.writeheader()
        writer.writerows(rows)
    print(f"knowledge/{kind}.csv: {len(rows)} rows")


def main() -> None:
    """Generate and write the five files."""
    rng = random.Random(SEED)
    terr = Territory(KNOWLEDGE / "communes.csv")
    metiers = load_metiers(KNOWLEDGE / "metiers.csv")
    kinds = archetypes(metiers)
    firms = companies(rng, terr, kinds)
    offers = ministages(rng, firms)
    people = ambassadors(rng, terr, firms, metiers)
    # The commonest wishes, with their own random numbers: the rows above stay as they were.
    more = random.Random(SEED + 1)
    extra = kinds + archetypes(metiers, EXTRA_ARCHETYPES)
    new_firms, new_offers, new_people = coverage(more, terr, firms, offers, people, extra)
    offers, people = offers + new_offers, people + new_people
    private = [f for f in new_firms if "P" not in f.arch.where]
    signed = {f.key for f in private if more.random() < 1 / 3}
    rows = charters(rng, firms, offers, people)
    write("companies", rows + charters(more, new_firms, offers, people, signed))
    write("ambassadors", people)
    write("ministages", offers)
    write("structures", structures(rng, terr))
    write("coordinators", coordinators(terr))


if __name__ == "__main__":
    main()
