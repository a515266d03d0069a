"""The data tables of `generate_demo_data.py`: kinds of company and their métiers, the
commonest wishes, places, names, formations, charter actions. Fictional demo material only;
kept apart so that the generator reads as code. Standard library only."""

from __future__ import annotations

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
