#!/usr/bin/env python3
"""Build src/aliansi/data/kb/sectors.yaml: the head words that tell an actor's sector.

    .venv/bin/python scripts/build_sectors.py [--out FILE] [--check]

A sector says who inside a state (or which kind of non-state body) an actor mention is:
government, military, police, rebels, party ... The names are the CAMEO/Phoenix agent types
(the keys of generic.en_sectors in phoenix_agents.yaml) in snake_case, plus `protesters`
and `igo` (VOCABULARY below). For each sector the file lists lowercase HEAD words and
phrases, `en` and `id`, that by themselves tell the sector of a body's or an office's name:
the head comes last in English ("Defense Ministry", "Chinese Coast Guard"; before "of"/"for":
"Ministry of Defence") and first in Indonesian ("Kementerian Pertahanan"; a word that is no
sector word is passed over: "Kepala Kepolisian" -> kepolisian). A phrase is listed under one
sector only, in both languages together.

English (`en`):
  1. derived from phoenix_agents.yaml generic.en_sectors (built by build_phoenix_kb.py from
     the PETRARCH2 Phoenix.agents.txt, MIT licence): each phrase's head is its last word, or
     the words before " of "/" for " ("ministries for defence" -> ministries). A phrase and
     its plural count as one phrase (build_phoenix_kb.py regenerates the plurals the upstream
     file left out) and a head and its plural as one head. A head is kept, in all its forms,
     when it heads at least MIN_PHRASES phrases of one sector and at least MIN_SHARE of its
     phrases are of that sector;
  2. minus DROP_EN: derived heads that are stems or model names, or that name other things
     in news (each with its reason);
  3. plus EN_HAND: office titles of persons (so the roles of roles.yaml classify: "Minister
     of Defense" -> minister -> government), words build_phoenix_kb.py left to the hand
     knowledge base (army, police, embassy ...), and multiword heads where a single word
     is ambiguous (coast guard, armed forces, secret police, attorney general ...), each
     group with its reason. A hand entry that moves a derived head to another sector is
     listed in MOVE_EN with its reason; any other clash stops the script.
Indonesian (`id`): hand-written here (ID_HAND), KBBI glosses in comments where not obvious.

Output is deterministic (sectors and phrases sorted). The script checks the vocabulary, that no
phrase is under two sectors, and prints how each role of roles.yaml classifies under the head
rule (a role that stays unclassified is printed too: Leader, Chairman and Head are meant to).
With --check it writes nothing and fails when the file on disk differs from what it would write.
"""
from __future__ import annotations

import argparse
import re
import sys
from collections import defaultdict
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
KB_DIR = ROOT / "src" / "aliansi" / "data" / "kb"
AGENTS = KB_DIR / "phoenix_agents.yaml"
ROLES = KB_DIR / "roles.yaml"
OUT = KB_DIR / "sectors.yaml"

VOCABULARY = (
    "government", "military", "police", "intelligence", "legislature", "judiciary", "party",
    "opposition", "rebels", "armed_groups", "business", "media", "civilians", "labour",
    "education", "health", "religion", "ngo", "human_rights", "refugees", "criminals",
    "radicals", "elites", "agriculture", "environment", "protesters", "igo",
)
MIN_PHRASES = 3        # a head must head at least this many phrases of its sector
MIN_SHARE = 0.8        # ... and this share of all the phrases it heads

# ---- English: derived heads left out ----------------------------------------------------
DROP_EN = {
    "minist": "PETRARCH stem fragment (MINIST_), not a word",
    "minists": "PETRARCH stem fragment (MINIST_), not a word",
    "raptor": "aircraft model name (F-22 Raptor), not a sector word",
    "raptors": "aircraft model name (F-22 Raptor), not a sector word",
    "reserve": "the Federal Reserve, foreign-exchange reserves; army reserve is rare in news",
    "reserves": "the Federal Reserve, foreign-exchange reserves; army reserve is rare in news",
    "front": "the battle front, and parties (Patriotic Front, National Front); rebels' fronts are "
             "listed as 'liberation front'",
    "union": "European Union, African Union, Soviet Union; labour's are listed as 'trade union' ...",
    "unions": "European Union, African Union, Soviet Union; labour's are listed as 'trade union' ...",
}
# ---- English: derived heads moved to another sector -------------------------------------
MOVE_EN = {
    "protester": ("protesters", "aliansi keeps protesters apart from the (party) opposition"),
    "protesters": ("protesters", "aliansi keeps protesters apart from the (party) opposition"),
    "demonstrator": ("protesters", "aliansi keeps protesters apart from the (party) opposition"),
    "demonstrators": ("protesters", "aliansi keeps protesters apart from the (party) opposition"),
}
# ---- English: hand additions (sector, phrases, reason) -----------------------------------
EN_HAND: list[tuple[str, list[str], str]] = [
    # government
    ("government", ["president", "presidents", "vice-president", "prime minister", "prime ministers", "pm",
                    "premier", "premiers",
                    "minister", "ministers", "secretary", "chancellor", "chancellors", "king", "kings",
                    "queen", "queens", "crown prince", "monarch", "monarchs", "sultan", "emir", "emperor",
                    "emperors", "supreme leader", "governor", "governors", "mayor", "mayors",
                    "head of state", "head of government", "spokesperson", "spokespersons",
                    "spokespeople", "spokesman", "spokesmen", "spokeswoman", "spokeswomen",
                    "press secretary", "national security adviser", "national security advisor",
                    "high representative", "permanent representative", "trade representative"],
     "office titles of roles.yaml (Phoenix leaves roles to the role reader; its bare SPOKESPERSON "
     "is MED, but a spokesperson speaks for the body that employs them)"),
    ("government", ["secretary general", "secretary-general", "director general", "director-general",
                    "consul general", "consul-general", "inspector general", "inspector-general",
                    "governor general", "governor-general", "auditor general", "auditor-general",
                    "surgeon general"],
     "titles ending in 'general' that are no military rank"),
    ("government", ["ambassador", "ambassadors", "envoy", "envoys", "emissary", "emissaries", "diplomat",
                    "diplomats", "consul", "consuls", "embassy", "embassies", "consulate", "consulates",
                    "chancellery", "chancelleries"],
     "diplomatic offices and persons (Phoenix GOV; bare forms are hand generic words)"),
    ("government", ["cabinet", "cabinets", "presidency", "palace", "palaces", "regime", "regimes",
                    "authority", "authorities", "official", "officials", "civil servant",
                    "civil servants", "bureaucrat", "bureaucrats", "dictator", "dictators", "ruler",
                    "rulers", "national security council"],
     "bodies and persons of government (Phoenix GOV: AUTHORITY, REGIME, PRESIDENTIAL_PALACE ...); "
     "'Palestinian Authority' is a government"),
    ("government", ["central bank", "central banks", "reserve bank", "federal reserve"],
     "Phoenix codes central banks GOV; 'bank' alone is business"),
    ("government", ["ruling party", "ruling parties", "governing party", "governing parties"],
     "Phoenix codes governing parties GOV"),
    ("government", ["policy maker", "policy makers", "policymaker", "policymakers"],
     "'maker' alone is business (car maker)"),
    ("government", ["firefighter", "firefighters", "fire department", "fire service"],
     "Phoenix codes fire services GOV"),
    # military
    ("military", ["army", "armies", "navy", "navies", "air force", "air forces", "armed forces",
                  "military", "militaries", "soldier", "soldiers", "marines", "marine corps",
                  "special forces", "defense force", "defense forces", "defence force",
                  "defence forces", "self-defense forces", "self-defence forces", "paramilitary",
                  "paramilitaries", "coast guard", "coast guards", "fleet", "fleets", "battalion",
                  "battalions", "brigade", "brigades", "regiment", "regiments", "garrison",
                  "garrisons", "commando", "commandos", "military police", "military intelligence"],
     "bare MIL agents are hand generic words, so build_phoenix_kb.py left them out; 'army' and "
     "'soldier' head rebels' phrases too, but alone are MIL; 'forces' alone is ambiguous; Phoenix "
     "codes military police/intelligence MIL; self-defense forces are Japan's (Phoenix: militias)"),
    ("military", ["warship", "warships", "frigate", "frigates", "destroyer", "destroyers", "submarine",
                  "submarines", "fighter jet", "fighter jets", "warplane", "warplanes", "bomber",
                  "bombers"],
     "military craft (Phoenix MIL; bomber also heads 'suicide bomber', listed under rebels)"),
    ("military", ["commander", "commanders", "commander-in-chief", "general", "generals", "gen.",
                  "admiral", "admirals", "adm.", "colonel", "colonels", "col.", "lieutenant",
                  "lieutenants", "lt.", "sergeant", "sgt.", "brigadier", "commodore", "cmdr.",
                  "marshal", "field marshal", "air marshal", "chief of staff", "chiefs of staff",
                  "joint chiefs", "general staff"],
     "military titles and ranks of roles.yaml (Commander, Chief of Staff, Officer)"),
    ("military", ["military spokesman", "military spokesmen", "military spokesperson",
                  "military spokeswoman", "army spokesman"],
     "Phoenix MIL 'military spokesmen' (a bare spokesperson is government)"),
    # police
    ("police", ["police", "policeman", "policemen", "policewoman", "policewomen", "police officer",
                "police officers", "police force", "police forces", "police chief", "police chiefs",
                "police commissioner", "gendarmerie", "gendarme", "gendarmes", "cop", "cops",
                "sheriff", "sheriffs", "security force", "security forces", "prison", "prisons",
                "prison guard", "prison guards", "jail guard", "jail guards"],
     "bare 'police' is a hand generic word; Phoenix codes security forces, prisons and jail guards COP"),
    ("police", ["police spokesman", "police spokesmen", "police spokesperson", "police spokeswoman"],
     "a police spokesperson speaks for the police (a bare spokesperson is government)"),
    # intelligence
    ("intelligence", ["intelligence", "intelligence agency", "intelligence agencies",
                      "intelligence service", "intelligence services", "secret service",
                      "secret services", "secret police", "spy", "spies", "spy agency",
                      "spy agencies", "spymaster"],
     "'agency'/'service' alone are ambiguous; Phoenix codes secret police SPY"),
    # legislature
    ("legislature", ["parliament", "parliaments", "parliamentarian", "parliamentarians", "congress",
                     "congresses", "congressman", "congressmen", "congresswoman", "congresswomen",
                     "senator", "senators", "lawmaker", "lawmakers", "legislator", "legislators",
                     "legislature", "legislatures", "mp", "mps", "assembly", "assemblies",
                     "house of representatives", "house of commons", "house of lords", "lower house",
                     "upper house", "chamber of deputies", "member of parliament",
                     "members of parliament", "member of congress", "members of congress", "sen.",
                     "rep."],
     "Phoenix LEG (bare forms are hand generic words or roles); 'assembly' heads a few GOV phrases "
     "(constituent assembly) but a national assembly is a legislature; 'chamber' alone is business too"),
    # judiciary
    ("judiciary", ["judge", "judges", "justice", "justices", "chief justice", "tribunal", "tribunals",
                   "judiciary", "prosecutor", "prosecutors", "prosecutor general",
                   "prosecutor-general", "attorney general", "attorney-general", "solicitor general",
                   "procurator general", "procurator-general",
                   "magistrate", "magistrates"],
     "Phoenix JUD ('judge' and 'justice' also head 'military judge/justice'); the '... general' "
     "titles would otherwise read as the military 'general'"),
    # party, opposition, protesters
    ("party", ["party", "parties", "political party", "political parties", "politician",
               "politicians", "party member", "party members"],
     "'party' alone is a political party (governing/opposition parties are listed with their sector)"),
    ("opposition", ["dissident", "dissidents", "opposition party", "opposition parties",
                    "opposition group", "opposition groups", "opposition leader",
                    "opposition leaders", "political prisoner", "political prisoners"],
     "Phoenix OPP"),
    ("protesters", ["protestor", "protestors", "rioter", "rioters", "picketer", "picketers", "marcher",
                    "marchers", "protest group", "protest groups"],
     "aliansi keeps protesters apart from the opposition (Phoenix: OPP)"),
    # rebels, armed groups, criminals, radicals
    ("rebels", ["guerrilla", "guerrillas", "guerilla", "guerillas", "liberation army",
                "liberation front", "freedom fighter", "freedom fighters", "suicide bomber",
                "suicide bombers", "rebel army"],
     "Phoenix REB"),
    ("armed_groups", ["militant", "militants", "militia", "militias", "militiaman", "militiamen",
                      "gunman", "gunmen", "terrorist", "terrorists", "terrorist group",
                      "terrorist groups", "jihadist", "jihadists", "mercenary", "mercenaries",
                      "fighters", "combatant", "combatants", "armed group", "armed groups",
                      "death squad", "death squads"],
     "Phoenix UAF; militia and militant also head Phoenix's REB and religious phrases, but alone "
     "name an armed group; 'fighter' alone is also a jet, so only the plural"),
    ("criminals", ["criminal", "criminals", "gang", "gangs", "gangster", "gangsters", "cartel",
                   "cartels", "pirate", "pirates", "smuggler", "smugglers", "kidnapper",
                   "kidnappers", "drug lord", "drug lords", "mafia", "robber", "robbers", "bandit",
                   "bandits"],
     "Phoenix CRM (single-word agents, under the phrase count)"),
    ("radicals", ["extremist", "extremists", "radicals"], "Phoenix RAD"),
    # business, media, labour
    ("business", ["business", "businesses", "businessman", "businessmen", "businesswoman",
                  "businesswomen", "businesspeople", "company", "companies", "firm", "firms",
                  "corporation", "corporations", "conglomerate", "conglomerates", "entrepreneur",
                  "entrepreneurs", "investor", "investors", "trader", "traders", "merchant",
                  "merchants", "exporter", "exporters", "producer", "producers", "employer",
                  "employers", "bank", "banks", "ceo", "ceos", "airline", "airlines",
                  "chamber of commerce"],
     "Phoenix BUS (single-word agents; 'company' and 'bank' also head media and central-bank phrases, "
     "which are listed with their sector)"),
    ("media", ["media", "journalist", "journalists", "reporter", "reporters", "newspaper",
               "newspapers", "news agency", "news agencies", "broadcaster", "broadcasters",
               "television", "tv", "radio", "press", "blogger", "bloggers", "columnist",
               "columnists", "news outlet", "news outlets", "broadcasting company",
               "broadcasting corporation", "publishing house"],
     "Phoenix MED ('media' and 'television' also head 'state media/television', which are media)"),
    ("labour", ["trade union", "trade unions", "trades union", "trades unions", "labor union",
                "labor unions", "labour union", "labour unions", "worker", "workers", "employee",
                "employees", "laborer", "laborers", "labourer", "labourers"],
     "Phoenix LAB; 'worker' also heads social and health workers (listed under health)"),
    # society
    ("civilians", ["civilian", "civilians", "citizen", "citizens", "resident", "residents",
                   "villager", "villagers", "passenger", "passengers", "tourist", "tourists",
                   "settler", "settlers", "voter", "voters", "civil society", "migrant worker",
                   "migrant workers"],
     "Phoenix CVL (single-word agents)"),
    ("education", ["student", "students", "university", "universities", "college", "colleges",
                   "academic", "academics", "professor", "professors", "teacher", "teachers",
                   "scholar", "scholars", "lecturer", "lecturers", "researcher", "researchers"],
     "Phoenix EDU ('student' also heads protesting/dissident students, which are OPP)"),
    ("health", ["doctor", "doctors", "hospital", "hospitals", "medic", "medics", "paramedic",
                "paramedics", "health worker", "health workers", "social worker", "social workers"],
     "Phoenix HLH"),
    ("religion", ["church", "churches", "mosque", "mosques", "imam", "imams", "bishop", "bishops",
                  "archbishop", "archbishops", "pope", "rabbi", "rabbis", "mullah", "mullahs",
                  "religious leader", "religious leaders", "diocese"],
     "Phoenix REL (single-word agents)"),
    ("ngo", ["ngo", "ngos", "non-governmental organization", "non-governmental organizations",
             "non-governmental organisation", "non-governmental organisations",
             "nongovernmental organization", "nongovernmental organizations", "aid group",
             "aid groups", "aid agency", "aid agencies", "aid worker", "aid workers", "charity",
             "charities", "humanitarian group", "humanitarian groups", "humanitarian organization",
             "humanitarian organizations"],
     "Phoenix NGO ('group', 'organization' and 'agency' alone are ambiguous)"),
    ("human_rights", ["rights group", "rights groups", "human rights group", "human rights groups",
                      "human rights organization", "human rights organizations",
                      "human rights organisation", "human rights organisations", "rights activist",
                      "rights activists", "human rights activist", "human rights activists",
                      "human rights defender", "human rights defenders", "rights watchdog",
                      "human rights commission", "human rights commissioner"],
     "Phoenix HRI ('activist' alone is OPP); Phoenix codes a human rights commission GOV, but aliansi "
     "gives Komnas HAM and its likes human_rights"),
    ("refugees", ["refugee", "refugees", "asylum seeker", "asylum seekers", "displaced people",
                  "displaced persons", "returnee", "returnees", "boat people"],
     "Phoenix REF"),
    ("elites", ["elite", "elites", "first lady", "first family", "celebrity", "celebrities",
                "honorary consul", "honorary consuls"],
     "Phoenix ELI"),
    ("environment", ["environmentalist", "environmentalists", "conservationist", "conservationists",
                     "environmental group", "environmental groups", "environmental activist",
                     "environmental activists", "green group", "green groups"],
     "Phoenix ENV"),
    ("agriculture", ["fisherman", "fishermen", "fisher", "fishers", "peasant", "peasants", "herder",
                     "herders", "herdsman", "herdsmen", "rancher", "ranchers", "farm worker",
                     "farm workers"],
     "Phoenix AGR"),
    ("igo", ["peacekeeper", "peacekeepers", "peacekeeping force", "peacekeeping forces",
             "peacekeeping troops", "peacekeeping mission", "truce monitor", "truce monitors"],
     "Phoenix IGO agents (peacekeeping troops, truce monitors)"),
]

# ---- Indonesian: hand-written (KBBI glosses in comments where not obvious) ---------------
ID_HAND: dict[str, list[str]] = {
    "government": [
        "pemerintah", "pemerintahan", "kabinet", "rezim", "junta", "otoritas",       # otoritas: authority
        "kementerian", "departemen", "dinas",        # dinas: government office (Dinas Kesehatan)
        "direktorat", "direktorat jenderal", "ditjen", "direktur jenderal", "dirjen",
        "inspektorat jenderal", "itjen",              # a ministry's inspectorate general
        "sekretariat negara", "setneg",
        # acronyms of ministries (Kemlu/Kemenlu: Foreign Affairs, Kemhan/Kemenhan: Defence,
        # Kemendagri: Home Affairs, Kemenkeu: Finance, Kemendag: Trade, Kemenko: Coordinating,
        # Kemenkumham: Law and Human Rights, Kemensetneg: State Secretariat, Kemenag: Religious
        # Affairs, Kemenkes: Health, Kemenhub: Transport; Deplu/Dephan: the old Departemen names)
        "kemlu", "kemenlu", "kemhan", "kemenhan", "kemendagri", "kemenkeu", "kemendag", "kemenko",
        "kemenkumham", "kemensetneg", "kemenag", "kemenkes", "kemenhub", "deplu", "dephan",
        "istana", "istana kepresidenan", "kepresidenan", "kantor kepresidenan", "kantor presiden",
        "kantor staf presiden", "kantor perdana menteri",
        # regional governments: pemda (daerah), pemprov (province), pemkot (city), pemkab (regency)
        "pemerintah daerah", "pemda", "pemprov", "pemkot", "pemkab",
        "kedutaan", "kedutaan besar", "kedubes", "kbri", "konsulat", "konsulat jenderal", "kjri",
        "perwakilan",                                  # perwakilan: (diplomatic) representation
        "perutusan",                                   # perutusan: mission (Perutusan Tetap RI)
        "duta besar", "dubes", "duta", "konsul", "konjen", "diplomat",
        "utusan",                                      # utusan: envoy
        "presiden", "wapres", "perdana menteri", "menteri", "menlu", "menhan", "mendagri", "menkeu",
        "mendag", "menko", "wamenlu", "wamenhan", "pm", "sekretaris", "sekretaris-jenderal", "sekjen",
        "seskab", "juru bicara", "jubir",              # juru bicara/jubir: spokesperson
        "kepala negara", "kepala pemerintahan", "pemimpin tertinggi", "pemimpin agung", "kanselir",
        "raja", "ratu", "sultan", "emir", "kaisar", "putra mahkota", "yang di-pertuan agong",
        "gubernur", "wali kota", "walikota", "bupati", "camat",      # bupati: regent; camat: district head
        "pejabat", "birokrat", "pegawai negeri", "pns", "asn", "aparatur sipil negara",   # civil servants
        "penasihat keamanan nasional", "dewan keamanan nasional",
        "bank sentral", "partai penguasa",             # Phoenix codes central banks, governing parties GOV
        "bea cukai", "imigrasi",                       # customs, immigration
        "pemadam kebakaran", "damkar",                 # fire service (Phoenix GOV)
    ],
    "military": [
        "militer", "tentara", "tni", "angkatan bersenjata", "angkatan laut", "angkatan darat",
        "angkatan udara", "angkatan pertahanan", "angkatan tentera",   # tentera: Malay spelling
        "pasukan", "pasukan khusus", "prajurit", "serdadu",
        "penjaga pantai", "garda pantai", "marinir", "komando", "garda nasional", "garda revolusi",
        "badan keamanan laut",                         # Bakamla, Indonesia's coast guard
        "pengawal presiden", "paspampres", "polisi militer", "intelijen militer",
        "pengadilan militer", "mahkamah militer",      # Phoenix: military police/intelligence/tribunals MIL
        "juru bicara militer", "juru bicara tni", "jubir tni",   # military spokesperson
        # territorial and unit commands: Kodam (military region), Korem, Kodim, Koramil,
        # Lantamal (main naval base), Lanal, Lanud (air base), Yonif (infantry battalion)
        "kodam", "korem", "kodim", "koramil", "lantamal", "lanal", "lanud", "yonif",
        "armada", "batalyon", "brigade", "resimen", "garnisun",
        "kapal perang", "kapal selam", "kapal induk", "kapal patroli", "fregat", "korvet",
        "pesawat tempur", "jet tempur", "rudal",      # rudal: missile
        "panglima", "komandan", "pangdam", "pangkoarmada", "danlantamal",
        "kepala staf", "kepala staf gabungan", "staf umum", "ksad", "ksal", "ksau", "kasad", "kasal", "kasau",
        "jenderal", "laksamana", "marsekal", "kolonel", "letkol", "letnan", "komodor",
        "letjen", "mayjen", "brigjen", "laksdya", "laksda", "laksma", "marsdya", "marsda", "marsma",
    ],
    "police": [
        "polisi", "kepolisian", "polri", "polda", "polres", "polresta", "polrestabes", "polsek",
        "densus", "brimob", "bareskrim", "reserse",   # Densus 88: counter-terror; Brimob: mobile brigade
        "satpol pp",                                   # municipal police unit
        "juru bicara polri", "juru bicara kepolisian", "juru bicara polisi",   # police spokesperson
        "kapolri", "kapolda", "kapolres", "kapolresta", "kapolsek",   # police chiefs
        "komjen", "komisaris jenderal", "irjen", "inspektur jenderal", "brigjen pol", "kombes",
        "komisaris besar", "akbp",                     # police ranks (not the military 'jenderal')
        "aparat keamanan", "pasukan keamanan",         # security forces (Phoenix COP)
        "penegak hukum", "aparat penegak hukum",       # law enforcement
        "penjara", "lembaga pemasyarakatan", "lapas", "rutan", "sipir",   # prisons, jail guards (Phoenix COP)
    ],
    "intelligence": [
        "intelijen", "badan intelijen", "dinas intelijen", "dinas rahasia", "agen intelijen",
        "agen rahasia", "mata-mata", "polisi rahasia",  # mata-mata: spy
    ],
    "legislature": [
        "parlemen", "dpr", "dpd", "dprd", "mpr", "kongres", "senat", "senator", "anggota dewan",
        "legislator", "legislatif", "wakil rakyat",    # wakil rakyat: people's representative
        "fraksi",                                      # fraksi: parliamentary party group
        "dewan perwakilan rakyat", "dewan perwakilan daerah", "dewan perwakilan rakyat daerah",
        "majelis permusyawaratan rakyat", "majelis nasional", "majelis rendah", "majelis tinggi",
    ],
    "judiciary": [
        "mahkamah", "pengadilan", "peradilan", "tribunal", "hakim", "majelis hakim", "kehakiman",
        "jaksa", "jaksa agung", "kejaksaan", "kejaksaan agung", "kejagung", "kejati", "kejari",
        "penuntut umum",                               # public prosecutor
        "pengacara", "advokat", "kuasa hukum",         # lawyers (Phoenix JUD)
    ],
    "party": [
        "partai", "parpol", "partai politik", "politikus", "politisi", "kader",   # kader: (party) cadre
        "fungsionaris",                                # fungsionaris: (party) functionary
    ],
    "opposition": [
        "oposisi", "partai oposisi", "aktivis", "pembangkang", "disiden",   # pembangkang: dissident
        "pembelot", "desertir", "eksil", "reformis",   # pembelot: defector; eksil: political exile
        "tahanan politik", "tapol",                    # political prisoner (Phoenix OPP)
    ],
    "protesters": [
        "demonstran", "pengunjuk rasa", "pendemo", "pemrotes", "massa aksi", "peserta aksi",
        "perusuh",                                     # perusuh: rioter
    ],
    "rebels": [
        "pemberontak", "pemberontakan", "kelompok pemberontak", "pasukan pemberontak", "separatis",
        "gerilyawan", "gerilya", "insurgen", "pejuang kemerdekaan", "front pembebasan",
        # KKB/KST: the Indonesian state's names for the armed Papuan separatists (TPNPB-OPM)
        "kelompok kriminal bersenjata", "kkb", "kelompok separatis teroris", "kst",
    ],
    "armed_groups": [
        "kelompok bersenjata", "milisi", "militan", "teroris", "jihadis", "tentara bayaran",
        "orang bersenjata", "pria bersenjata",         # gunmen
        "kombatan", "pejuang",                         # pejuang: fighter
        "laskar",                                      # laskar: irregular militia
    ],
    "criminals": [
        "penjahat", "pelaku", "pelaku kejahatan", "perampok", "pencuri", "maling", "begal",
        "bandit", "bajak laut", "perompak", "penyelundup", "pedagang manusia", "pengedar narkoba",
        "bandar narkoba", "gembong narkoba", "kartel", "mafia", "sindikat", "gangster", "geng",
        "preman",                                      # preman: thug
        "penculik", "pembunuh", "narapidana", "napi", "koruptor", "penipu",
    ],
    "radicals": [
        "ekstremis", "radikal", "garis keras",         # garis keras: hardline
    ],
    "business": [
        "perusahaan", "pengusaha", "pebisnis", "pelaku usaha", "korporasi", "konglomerat", "taipan",
        "investor", "penanam modal", "eksportir", "importir", "pedagang", "saudagar", "industri",
        "produsen", "pabrikan", "kontraktor", "bank", "perbankan", "bursa", "maskapai",
        "kamar dagang", "kadin", "direktur utama", "dirut", "ceo",
        "bumn", "badan usaha milik negara",            # state-owned enterprises (Phoenix: GOV)
        "kapal tanker", "kapal kargo", "kapal dagang", "kapal niaga", "kapal barang", "kapal kontainer",
    ],
    "media": [
        "media", "media massa", "pers", "kantor berita", "wartawan", "jurnalis", "koresponden",
        "reporter", "redaktur", "redaksi", "surat kabar", "koran", "harian", "majalah", "televisi",
        "stasiun televisi", "tv", "radio", "stasiun radio", "portal berita", "situs berita",
        "penyiar", "lembaga penyiaran", "kolumnis", "blogger", "penerbit",
    ],
    "civilians": [
        "warga", "warga sipil", "warga negara", "penduduk", "masyarakat", "masyarakat sipil",
        "rakyat", "komunitas", "etnis", "kelompok etnis", "penumpang", "wisatawan", "turis",
        "pemukim",                                     # pemukim: settler
        "pemilih", "korban", "anak-anak", "ilmuwan", "insinyur", "atlet",
        "pekerja migran", "buruh migran", "tki",       # migrant workers (Phoenix CVL)
    ],
    "labour": [
        "buruh", "kaum buruh", "pekerja", "karyawan", "pegawai", "tenaga kerja", "serikat pekerja",
        "serikat buruh", "aktivis buruh",
    ],
    "education": [
        "mahasiswa", "bem",                            # BEM: student executive body
        "pelajar", "siswa", "murid", "guru", "dosen", "profesor", "rektor", "akademisi",
        "cendekiawan", "peneliti", "ekonom", "sejarawan", "universitas", "kampus", "sekolah",
        "perguruan tinggi",
    ],
    "health": [
        "dokter", "perawat", "bidan", "paramedis", "tenaga kesehatan", "nakes", "tenaga medis",
        "petugas medis", "pekerja kesehatan", "rumah sakit", "puskesmas", "klinik", "apoteker",
    ],
    "religion": [
        "ulama", "kiai", "kyai", "ustaz", "ustadz", "habib", "imam", "mufti", "rohaniwan",
        "pemuka agama", "agama", "keagamaan", "mui",   # MUI: Majelis Ulama Indonesia
        "pendeta", "pastor", "pastur", "romo", "uskup", "uskup agung", "kardinal", "paus",   # paus: pope
        "biksu", "bhikkhu", "biksuni", "biarawan", "biarawati", "rabi",
        "gereja", "masjid", "vihara", "pura", "klenteng", "kuil", "sinagoge", "keuskupan",
        "umat", "jemaah", "jamaah", "peziarah", "santri", "pesantren",   # pesantren: Islamic boarding school
        "muslim", "muslimin",
    ],
    "ngo": [
        "lsm", "lembaga swadaya masyarakat", "ornop", "organisasi non-pemerintah",
        "organisasi nonpemerintah", "ngo", "yayasan", "relawan", "sukarelawan",   # yayasan: foundation
        "lembaga kemanusiaan", "organisasi kemanusiaan", "kelompok kemanusiaan", "pekerja kemanusiaan",
        "lembaga bantuan hukum", "lbh", "lembaga amal", "badan amal", "palang merah",
        "bulan sabit merah",
    ],
    "human_rights": [
        # HAM: hak asasi manusia, human rights (bare "ham" is left out: English names fall back
        # to these words, and 'ham' is an English word)
        "hak asasi manusia",
        "komnas ham", "aktivis ham", "pegiat ham", "pembela ham", "kelompok ham", "organisasi ham",
        "lembaga ham", "komisioner ham", "komisaris ham", "komisaris tinggi ham", "ombudsman ham",
        "aktivis hak asasi manusia",
    ],
    "refugees": [
        "pengungsi", "pencari suaka", "manusia perahu", "orang tanpa kewarganegaraan",
    ],
    "elites": [
        "ibu negara", "elite", "elit", "selebritas", "selebriti", "pesohor",   # ibu negara: first lady
        "konsul kehormatan",
    ],
    "environment": [
        "aktivis lingkungan", "pegiat lingkungan", "pencinta lingkungan", "pecinta lingkungan",
        "pemerhati lingkungan", "kelompok lingkungan", "organisasi lingkungan", "konservasionis",
    ],
    "agriculture": [
        "petani", "buruh tani", "kelompok tani", "gapoktan", "nelayan", "peternak", "pekebun",
        # peternak: livestock farmer; pekebun: planter; penggembala: herder; petambak: fish-pond farmer
        "penggembala", "petambak",
    ],
    "igo": [
        "pasukan perdamaian", "pasukan penjaga perdamaian", "penjaga perdamaian", "pasukan helm biru",
        "pemantau gencatan senjata",
    ],
}


# ---- derivation -------------------------------------------------------------------------
def snake(name: str) -> str:
    return name.strip().lower().replace(" ", "_")


def singular(word: str) -> str:
    """The singular of an English noun, enough to pair a head with its plural."""
    for end, rep in (("men", "man"), ("ies", "y"), ("ches", "ch"), ("shes", "sh"), ("sses", "ss"),
                     ("xes", "x"), ("ieves", "ief")):
        if word.endswith(end) and len(word) > len(end) + 1:
            return word[: -len(end)] + rep
    if word.endswith("s") and not word.endswith("ss") and len(word) > 3:
        return word[:-1]
    return word


_OF = re.compile(r" (?:of|for) ")


def head(phrase: str) -> str:
    """The head of an English agent phrase: the words before ' of '/' for ', or the last word."""
    before = _OF.split(phrase, maxsplit=1)
    return before[0] if len(before) > 1 else phrase.split()[-1]


def phrase_key(phrase: str) -> str:
    """The phrase with its head singular: a phrase and its plural are one phrase."""
    parts = _OF.split(phrase, maxsplit=1)
    words = parts[0].split()
    words[-1] = singular(words[-1])
    return " ".join(words) + (" of " + parts[1] if len(parts) > 1 else "")


def derive_en(en_sectors: dict[str, list[str]]) -> tuple[dict[str, str], list[str]]:
    phrases: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    forms: dict[str, set[str]] = defaultdict(set)
    for sector, items in en_sectors.items():
        for phrase in items:
            h = head(phrase)
            key = singular(h)
            phrases[key][snake(sector)].add(phrase_key(phrase))
            forms[key].add(h)
    kept: dict[str, str] = {}
    log = []
    for key in sorted(phrases):
        counts = {s: len(p) for s, p in phrases[key].items()}
        sector = max(sorted(counts), key=counts.get)
        n, total = counts[sector], sum(counts.values())
        if n >= MIN_PHRASES and n / total >= MIN_SHARE:
            for f in forms[key]:
                kept[f] = sector
        elif total >= MIN_PHRASES:
            log.append(f"  not derived: {key!r} {dict(sorted(counts.items()))}")
    return kept, log


def build_en(en_sectors: dict[str, list[str]]) -> tuple[dict[str, str], list[str]]:
    derived, log = derive_en(en_sectors)
    out: dict[str, str] = {}
    for phrase, sector in sorted(derived.items()):
        if phrase in DROP_EN:
            log.append(f"  dropped: {phrase!r} ({sector}): {DROP_EN[phrase]}")
        elif phrase in MOVE_EN:
            new, why = MOVE_EN[phrase]
            log.append(f"  moved: {phrase!r} {sector} -> {new}: {why}")
            out[phrase] = new
        else:
            out[phrase] = sector
    for stale in sorted((set(DROP_EN) | set(MOVE_EN)) - set(derived)):
        raise SystemExit(f"error: DROP_EN/MOVE_EN names {stale!r}, which is not derived")
    errors = []
    for sector, items, _why in EN_HAND:
        for phrase in items:
            if phrase in out and out[phrase] != sector:
                errors.append(f"en {phrase!r}: hand {sector}, already {out[phrase]}"
                              f"{' (derived)' if phrase in derived else ''}")
            elif phrase in out and phrase not in derived:
                errors.append(f"en {phrase!r}: listed twice by hand")
            out[phrase] = sector
    if errors:
        raise SystemExit("error: a phrase under two sectors:\n  " + "\n  ".join(errors))
    return out, log


def build_id() -> dict[str, str]:
    out: dict[str, str] = {}
    errors = []
    for sector, items in ID_HAND.items():
        for phrase in items:
            if phrase in out:
                errors.append(f"id {phrase!r}: {out[phrase]} and {sector}")
            out[phrase] = sector
    if errors:
        raise SystemExit("error: a phrase listed twice:\n  " + "\n  ".join(errors))
    return out


def check(en: dict[str, str], idn: dict[str, str], en_sectors: dict[str, list[str]]) -> None:
    errors = []
    for name in en_sectors:
        if snake(name) not in VOCABULARY:
            errors.append(f"Phoenix sector {name!r} is not in VOCABULARY")
    for lang, table in (("en", en), ("id", idn)):
        for phrase, sector in table.items():
            if sector not in VOCABULARY:
                errors.append(f"{lang} {phrase!r}: unknown sector {sector!r}")
            if phrase != phrase.lower() or phrase != " ".join(phrase.split()):
                errors.append(f"{lang} {phrase!r}: not lowercase single-spaced")
    for phrase in sorted(set(en) & set(idn)):
        if en[phrase] != idn[phrase]:
            errors.append(f"{phrase!r}: en {en[phrase]}, id {idn[phrase]}")
    if errors:
        raise SystemExit("error:\n  " + "\n  ".join(errors))


# ---- the head rule, as a check (the reader is aliansi's; this mirrors what it is meant to do)
def classify_en(name: str, table: dict[str, str]) -> str | None:
    text = " ".join(name.lower().split())
    if text in table:
        return table[text]
    for part in _OF.split(text, maxsplit=1):
        words = part.split()
        if words and words[0] == "the":
            words = words[1:]
        for i in range(len(words)):
            if " ".join(words[i:]) in table:
                return table[" ".join(words[i:])]
    return None


def classify_id(name: str, table: dict[str, str]) -> str | None:
    words = name.lower().split()
    for i in range(len(words)):
        for j in range(len(words), i, -1):
            if " ".join(words[i:j]) in table:
                return table[" ".join(words[i:j])]
    return None


def role_report(en: dict[str, str], idn: dict[str, str]) -> list[str]:
    roles = yaml.safe_load(ROLES.read_text(encoding="utf-8"))["roles"]
    lines = []
    for r in roles:
        if r.get("rank") and r["role"] == "Honorific":
            continue
        name = classify_en(r["role"], en)
        forms = [f"{f}->{classify_id(f, idn) or '-'}" for f in r.get("id", [])]
        forms += [f"{f}->{classify_en(f, en) or '-'}" for f in r.get("en", [])]
        lines.append(f"  {r['role']}: {name or '-'}   [{', '.join(forms)}]")
    return lines


# ---- writing ----------------------------------------------------------------------------
def _scalar(text: str) -> str:
    return yaml.safe_dump([text], default_flow_style=True, width=100000, allow_unicode=True).strip()[1:-1]


def _flow_lines(key: str, items: list[str], indent: str, width: int = 100) -> list[str]:
    first = f"{indent}{key}: ["
    pad = " " * len(first)
    lines, line = [], first
    for i, item in enumerate(items):
        piece = _scalar(item) + ("]" if i == len(items) - 1 else ",")
        if line not in (first, pad) and len(line) + 1 + len(piece) > width:
            lines.append(line)
            line = pad
        line += ("" if line in (first, pad) else " ") + piece
    lines.append(line if items else first + "]")
    return lines


HEADER = """\
# Source: generated by scripts/build_sectors.py: do not edit by hand; edit the script and re-run.
# The sector of an actor mention (who inside a state: government, military, police, rebels ...;
# the CAMEO/Phoenix agent types in snake_case, plus protesters and igo), told by the HEAD of a
# body's or an office's name: last in English ("Defense Ministry", "Chinese Coast Guard"; before
# "of"/"for": "Ministry of Defence"), first in Indonesian ("Kementerian Pertahanan"); a word that
# is no sector word is passed over ("Kepala Kepolisian" -> kepolisian). Lowercase; a phrase is
# under one sector only.
#   en  derived from phoenix_agents.yaml (generic.en_sectors, from Phoenix.agents.txt of the
#       PETRARCH2 dictionaries, openeventdata/petrarch2, MIT licence, Copyright (c) 2014 Open
#       Event Data Alliance; the licence text is in shared/data/petrarch2/LICENSE): heads of at
#       least {n} of a sector's phrases and {share:.0%} of their own, plus the script's hand list
#       (office titles of roles.yaml, and multiword heads where a word alone is ambiguous).
#   id  hand-written for aliansi (KBBI glosses in the script).
"""


def render(en: dict[str, str], idn: dict[str, str]) -> str:
    text = HEADER.format(n=MIN_PHRASES, share=MIN_SHARE) + "sectors:\n"
    for sector in sorted(VOCABULARY):
        text += f"  {sector}:\n"
        for lang, table in (("en", en), ("id", idn)):
            items = sorted(p for p, s in table.items() if s == sector)
            text += "\n".join(_flow_lines(lang, items, "    ")) + "\n"
    return text


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", type=Path, default=OUT, help=f"file to write (default {OUT.relative_to(ROOT)})")
    ap.add_argument("--check", action="store_true", help="write nothing; fail if the file differs")
    ap.add_argument("-v", "--verbose", action="store_true", help="print the heads not derived")
    args = ap.parse_args(argv)
    en_sectors = yaml.safe_load(AGENTS.read_text(encoding="utf-8"))["generic"]["en_sectors"]
    en, log = build_en(en_sectors)
    idn = build_id()
    check(en, idn, en_sectors)
    text = render(en, idn)
    assert yaml.safe_load(text)["sectors"].keys() == set(VOCABULARY)
    for line in log:
        if args.verbose or not line.startswith("  not derived"):
            print(line)
    print("roles of roles.yaml under the head rule (role: sector [form->sector ...]):")
    print("\n".join(role_report(en, idn)))
    print("entries per sector (en / id):")
    for sector in sorted(VOCABULARY):
        n_en = sum(s == sector for s in en.values())
        n_id = sum(s == sector for s in idn.values())
        print(f"  {sector:14s} {n_en:4d} {n_id:4d}")
    print(f"  {'total':14s} {len(en):4d} {len(idn):4d}")
    if args.check:
        same = args.out.exists() and args.out.read_text(encoding="utf-8") == text
        print(f"{args.out}: {'up to date' if same else 'differs'}")
        return 0 if same else 1
    args.out.write_text(text, encoding="utf-8")
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
