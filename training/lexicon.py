"""Word lists for the synthetic generator: entity surface forms and O-label distractors."""

# Vessel name stems. Chinese pinyin stems map to their hanzi so a parenthesised CJK name can
# follow; numbers are appended by the generator.
PINYIN_STEMS: dict[str, str] = {
    "Hai Feng": "海丰", "Lu Rong Yuan Yu": "鲁荣远渔", "Fu Yuan Yu": "福远渔",
    "Zhe Dai Yu": "浙岱渔", "Min Long Yu": "闽龙渔", "Jin Hai": "金海", "Long Xing": "隆兴",
    "Hua Xiang": "华祥", "Zhong Yu": "中渔", "Liao Da Zhong Yu": "辽大中渔",
    "Ping Tai Rong": "平太荣", "Xin Shi Ji": "新世纪", "Yue Dian Yu": "粤电渔",
    "Run Da": "润达", "Hong Pu": "宏浦", "Zhou Yu": "舟渔",
}
TAIWAN_STEMS = ["Shin Jaan Shyang", "Chin Chun", "Yu Feng", "Sheng Chi Hui", "Lien Yi Hsing",
                "Hung Yu", "Tai Hong", "Kuo Jeng", "Da Wang", "Ming Hsing", "Fu Tsz Chiun"]
JAPANESE_STEMS = ["Koyo", "Shinsei", "Fukuyoshi", "Kaiyo", "Taisei", "Hakko", "Sumiyoshi",
                  "Eiko", "Hoyo", "Seiryo", "Kotoshiro", "Daiichi Tenyu", "Nissho", "Wakashio"]
KOREAN_NAMES = ["Oyang", "Dongbang", "Sajo Familia", "Agat", "Kwang Ja Ho", "Sungyoung",
                "Insung", "Gold Ocean", "Sun Flower", "Jeong Il", "Hansung", "Daerim"]
SPANISH_NAMES = ["Nuestra Señora del Carmen", "Virgen de la Peña", "Playa de Tambo",
                 "Txori Toki", "Albacora Uno", "Ría de Vigo", "Santa Lucía del Mar",
                 "Pescanova Dos", "Galicia Primero", "Hermanos García", "Siempre Juan",
                 "Alakrana", "Ortube Berria", "Monte Udala", "Punta Brava", "Cabo de Hornos"]
RUSSIAN_NAMES: dict[str, str] = {
    "Kapitan Dranitsyn": "Капитан Драницын", "Admiral Ushakov": "Адмирал Ушаков",
    "Kapitan Khlebnikov": "Капитан Хлебников", "Professor Kaganovsky": "Профессор Кагановский",
    "Mys Yuzhny": "Мыс Южный", "Zolotaya Rybka": "Золотая рыбка",
    "Akademik Ioffe": "Академик Иоффе", "Severnaya Zvezda": "Северная звезда",
    "Kapitan Sorokin": "Капитан Сорокин", "Ostrov Russky": "Остров Русский",
    "Viktor Kovalenko": "Виктор Коваленко", "Sodruzhestvo": "Содружество",
}
NORDIC_NAMES = ["Havbryn", "Nordkapp", "Ramoen", "Kvitbjørn", "Havglans", "Saga Sea",
                "Antarctic Endurance", "Sjøvåg", "Torbas", "Fiskebas", "Østerbris",
                "Norvestbas", "Ingrid Majala", "Jøkul", "Røsvik", "Gitte Henning", "Ísafold"]
ENGLISH_ADJ = ["Ocean", "Pacific", "Atlantic", "Southern", "Golden", "Blue", "Lucky",
               "Silver", "Northern", "Great", "Royal", "Star", "Polar", "Coral", "Grand",
               "Eastern", "Red", "Emerald", "Bright", "Sea"]
ENGLISH_NOUN = ["Star", "Dawn", "Harvest", "Horizon", "Bay", "Fortune", "Spirit", "Pride",
                "Cross", "Explorer", "Venture", "Hope", "Glory", "Wind", "Queen", "Pioneer",
                "Breeze", "Trader", "Reefer", "Navigator"]
OTHER_NAMES = ["Mar Azul", "Île de Sein", "Meng Hai", "Sor Chokchai", "Bintang Samudra",
               "Al Amal", "Agios Nikolaos", "Thunder", "Viking", "Greko", "Songhua",
               "Andrey Dolgov", "Baroon", "Sea Lark", "Poseidon", "Labiko", "Perlon",
               "Premier", "Wisdom Sea Reefer", "Renown Reefer", "Pamela Mar", "Lafayette",
               "Leon Dias", "Frio Canarias", "Tropic Blue"]
# Cargo / reefer lines whose names contain port or species words: VESSEL only.
TRICKY_NAMES = ["COSCO Zhoushan", "MSC Sardinia", "Maersk Kowloon", "Ever Qingdao",
                "CMA CGM Tema", "Tuna Queen", "Squid Pioneer", "Busan Express",
                "Hake Explorer", "Yellowfin Spirit", "Frio Marín", "Nordic Salmon",
                "Montevideo Star", "Kaohsiung Glory", "Shrimp Trader", "Santa Cruz Tuna"]
# Prefixes written as part of the name; "reefer" / "the vessel" are descriptions, never prefixes.
PREFIXES = ["MV", "M/V", "F/V", "FV", "MT", "RV", "MFV", "M.V.", "F.V."]

# (name, country); some have a native spelling as the name itself.
PORTS: list[tuple[str, str]] = [
    ("Rønne", "Denmark"), ("Nouadhibou", "Mauritania"), ("Las Palmas", "Spain"),
    ("Tema", "Ghana"), ("Busan", "Republic of Korea"), ("Valparaíso", "Chile"),
    ("Saint-Pierre", "Saint Pierre and Miquelon"), ("Qingdao", "China"),
    ("Kaohsiung", "Taiwan"), ("Montevideo", "Uruguay"), ("大连", "China"),
    ("Dalian", "China"), ("Zhoushan", "China"), ("Shidao", "China"), ("Vigo", "Spain"),
    ("Marín", "Spain"), ("Algeciras", "Spain"), ("Bremerhaven", "Germany"),
    ("Rotterdam", "Netherlands"), ("IJmuiden", "Netherlands"), ("Port Louis", "Mauritius"),
    ("Victoria", "Seychelles"), ("Abidjan", "Côte d'Ivoire"), ("Dakar", "Senegal"),
    ("Walvis Bay", "Namibia"), ("Cape Town", "South Africa"), ("Port Elizabeth", "South Africa"),
    ("Suva", "Fiji"), ("Pago Pago", "American Samoa"),
    ("General Santos", "Philippines"), ("Bangkok", "Thailand"), ("Songkhla", "Thailand"),
    ("Benoa", "Indonesia"), ("Bitung", "Indonesia"), ("Muara Baru", "Indonesia"),
    ("Manta", "Ecuador"), ("Posorja", "Ecuador"), ("Paita", "Peru"), ("Callao", "Peru"),
    ("Puerto Madryn", "Argentina"), ("Mar del Plata", "Argentina"),
    ("Punta Arenas", "Chile"), ("Talcahuano", "Chile"), ("Stanley", "Falkland Islands"),
    ("Vladivostok", "Russian Federation"), ("Nakhodka", "Russian Federation"),
    ("Petropavlovsk-Kamchatsky", "Russian Federation"), ("Murmansk", "Russian Federation"),
    ("Kirkenes", "Norway"), ("Tromsø", "Norway"), ("Ålesund", "Norway"), ("Bergen", "Norway"),
    ("Hirtshals", "Denmark"), ("Skagen", "Denmark"), ("Tórshavn", "Faroe Islands"),
    ("Reykjavík", "Iceland"), ("Killybegs", "Ireland"), ("Peterhead", "United Kingdom"),
    ("Lorient", "France"), ("Boulogne-sur-Mer", "France"), ("Concarneau", "France"),
    ("Yaizu", "Japan"), ("Misaki", "Japan"), ("Shimizu", "Japan"), ("Kesennuma", "Japan"),
    ("釧路", "Japan"), ("Sakaiminato", "Japan"), ("Incheon", "Republic of Korea"),
    ("釜山", "Republic of Korea"), ("Keelung", "Taiwan"), ("Shanghai", "China"),
    ("Ningbo", "China"), ("Zhanjiang", "China"), ("Xiamen", "China"), ("Hong Kong", "China"),
    ("Singapore", "Singapore"), ("Port Klang", "Malaysia"), ("Colombo", "Sri Lanka"),
    ("Mombasa", "Kenya"), ("Dar es Salaam", "Tanzania"), ("Durban", "South Africa"),
    ("Lomé", "Togo"), ("Douala", "Cameroon"), ("Banjul", "Gambia"), ("Agadir", "Morocco"),
    ("Tanger Med", "Morocco"), ("Piraeus", "Greece"), ("Genova", "Italy"), ("Mazara del Vallo", "Italy"),
    ("Rostock", "Germany"), ("Gdynia", "Poland"), ("Klaipėda", "Lithuania"),
    ("Seattle", "United States"), ("Dutch Harbor", "United States"), ("New Bedford", "United States"),
    ("Long Beach", "United States"), ("Halifax", "Canada"), ("Puerto Cortés", "Honduras"),
    ("Balboa", "Panama"), ("Manzanillo", "Mexico"), ("Mazatlán", "Mexico"),
    ("Hai Phong", "Vietnam"), ("Laem Chabang", "Thailand"), ("Tanjung Priok", "Indonesia"),
    ("Port Said", "Egypt"), ("San Antonio", "Chile"), ("Guayaquil", "Ecuador"), ("Santos", "Brazil"),
    ("Itajaí", "Brazil"), ("Nuuk", "Greenland"), ("Esbjerg", "Denmark"), ("Burela", "Spain"),
    ("Ondárroa", "Spain"), ("Bermeo", "Spain"), ("Huelva", "Spain"), ("Sète", "France"), ("Ancona", "Italy"),
    ("Chittagong", "Bangladesh"), ("Tuticorin", "India"), ("Kochi", "India"), ("Malé", "Maldives"),
    ("Nouakchott", "Mauritania"), ("Conakry", "Guinea"), ("Luanda", "Angola"), ("Lüderitz", "Namibia"),
    ("Puerto Quetzal", "Guatemala"), ("Ensenada", "Mexico"), ("Kodiak", "United States"),
    ("Tanjung Pelepas", "Malaysia"), ("Kota Kinabalu", "Malaysia"), ("Honiara", "Solomon Islands"),
    ("Majuro", "Marshall Islands"), ("Lae", "Papua New Guinea"), ("Apia", "Samoa"), ("Hachinohe", "Japan"),
    ("Mokpo", "Republic of Korea"), ("Yantai", "China"), ("Rizhao", "China"), ("Kaliningrad", "Russian Federation"),
]
PORT_OF_OK = {"Busan", "Rotterdam", "Tema", "Las Palmas", "Singapore", "Vigo", "Durban",
              "Montevideo", "Piraeus", "Abidjan", "Mombasa", "Seattle", "Long Beach",
              "Qingdao", "Kaohsiung", "Bremerhaven", "Callao", "Dakar", "Walvis Bay"}

# Species: (surface, kind); kinds used for HS-line coherence loosely.
SPECIES_COMMON = [
    "yellowfin tuna", "bigeye tuna", "skipjack tuna", "albacore", "albacore tuna",
    "bluefin tuna", "southern bluefin tuna", "tuna", "Patagonian toothfish",
    "Antarctic toothfish", "toothfish", "squid", "jumbo flying squid", "Argentine shortfin squid",
    "octopus", "common octopus", "cuttlefish", "shrimp", "whiteleg shrimp", "black tiger shrimp",
    "prawns", "Norway lobster", "rock lobster", "snow crab", "king crab", "red king crab",
    "Atlantic cod", "cod", "Alaska pollock", "haddock", "hake", "Cape hake", "Argentine hake",
    "blue whiting", "mackerel", "Atlantic mackerel", "jack mackerel", "horse mackerel",
    "sardine", "sardinella", "anchovy", "Peruvian anchoveta", "herring", "Atlantic salmon",
    "swordfish", "blue shark", "shortfin mako shark", "shark", "mahi-mahi", "tilapia",
    "pangasius", "sea cucumber", "abalone", "scallops", "Chilean sea bass", "orange roughy",
    "Greenland halibut", "redfish", "grouper", "red snapper", "monkfish", "sole",
]
SPECIES_SCIENTIFIC = [
    "Thunnus albacares", "Thunnus obesus", "Katsuwonus pelamis", "Thunnus alalunga",
    "Thunnus thynnus", "Thunnus maccoyii", "Dissostichus eleginoides", "Dissostichus mawsoni",
    "Dosidicus gigas", "Illex argentinus", "Todarodes pacificus", "Octopus vulgaris",
    "Sepia officinalis", "Penaeus vannamei", "Litopenaeus vannamei", "Penaeus monodon",
    "Gadus morhua", "Gadus chalcogrammus", "Merluccius hubbsi", "Merluccius capensis",
    "Scomber scombrus", "Trachurus murphyi", "Engraulis ringens", "Xiphias gladius",
    "Prionace glauca", "Isurus oxyrinchus", "Paralithodes camtschaticus", "Chionoecetes opilio",
    "Coryphaena hippurus", "Sardinella aurita", "Reinhardtius hippoglossoides",
]
SPECIES_GENUS = ["Illex", "Loligo", "Thunnus", "Penaeus", "Octopus", "Dissostichus", "Merluccius"]
SPECIES_FOREIGN = ["listado", "POULPE", "メバチ", "キハダ", "マグロ", "calamar", "pulpo",
                   "merluza", "atún", "bonito del norte", "thon albacore", "encornet",
                   "鱿鱼", "金枪鱼", "кальмар", "минтай", "treska", "bacalao", "gamba",
                   "langostino", "lula", "polvo", "THON LISTAO", "cabillaud"]

# FAO 3-alpha codes: always O.
FAO_CODES = ["BET", "YFT", "SKJ", "ALB", "TOP", "SQA", "OCC", "SWO", "BSH", "HKE", "COD",
             "PIL", "MAC", "JAX", "SHK", "CEP", "PRA", "CRA"]

# HS codes (6-digit dotted) with a tariff-line description; "{s}" is a plural species form.
HS_LINES: list[tuple[str, str]] = [
    ("0303.42", "yellowfin tunas"), ("0303.44", "bigeye tunas"), ("0303.43", "skipjack tunas"),
    ("0303.41", "albacore or longfinned tunas"), ("0303.45", "bluefin tunas"),
    ("0303.83", "toothfish"), ("0303.81", "dogfish and other sharks"), ("0303.66", "hake"),
    ("0303.63", "cod"), ("0303.67", "Alaska pollock"), ("0303.54", "mackerel"),
    ("0303.57", "swordfish"), ("0304.87", "tunas"), ("0304.71", "cod"), ("0304.74", "hake"),
    ("0304.75", "Alaska pollock"), ("0304.62", "catfish"), ("0302.32", "yellowfin tunas"),
    ("0306.17", "shrimps and prawns"), ("0306.16", "cold-water shrimps and prawns"),
    ("0306.14", "crabs"), ("0306.15", "Norway lobsters"), ("0307.43", "squid"),
    ("0307.52", "octopus"), ("0307.22", "scallops"), ("0305.71", "shark"),
    ("1604.14", "tunas"), ("1604.13", "sardines"), ("1604.15", "mackerel"),
    ("1605.54", "cuttlefish and squid"), ("1605.55", "octopus"), ("1605.21", "shrimps and prawns"),
    ("1604.20", "prepared fish"),
]
HS_HEADINGS = ["03.02", "03.03", "03.04", "03.06", "03.07", "16.04", "16.05", "03.05"]

# Flags: (short name, adjective or "", other-language / other forms).
FLAGS: list[tuple[str, str, list[str]]] = [
    ("Panama", "Panamanian", ["Panamá", "PANAMA"]), ("Liberia", "Liberian", ["Libéria"]),
    ("Republic of Korea", "Korean", ["Korea", "South Korea", "KOREA, REPUBLIC OF", "Korea, Republic of", "Corea del Sur"]),
    ("Mauritania", "Mauritanian", ["MAURITANIE"]), ("Comoros", "Comorian", ["Comoras", "Comores"]),
    ("China", "Chinese", ["People's Republic of China", "中国"]),
    ("Taiwan", "Taiwanese", ["Chinese Taipei"]), ("Russian Federation", "Russian", ["Russia", "Россия"]),
    ("Norway", "Norwegian", ["Norge"]), ("Spain", "Spanish", ["España", "ESPAGNE"]),
    ("Japan", "Japanese", ["日本"]), ("Vanuatu", "", []), ("Togo", "Togolese", []),
    ("Cameroon", "Cameroonian", ["Cameroun"]), ("Belize", "Belizean", ["Belice"]),
    ("Sierra Leone", "Sierra Leonean", []), ("Marshall Islands", "Marshallese", []),
    ("Malta", "Maltese", []), ("Ghana", "Ghanaian", []), ("Senegal", "Senegalese", ["Sénégal"]),
    ("Ecuador", "Ecuadorian", []), ("Peru", "Peruvian", ["Perú"]),
    ("Indonesia", "Indonesian", []), ("Philippines", "Philippine", []),
    ("Thailand", "Thai", []), ("Vietnam", "Vietnamese", ["Viet Nam"]),
    ("Portugal", "Portuguese", []), ("Cook Islands", "", []), ("Tanzania", "Tanzanian", ["Tanzania, United Republic of"]),
    ("Saint Kitts and Nevis", "", ["St Kitts & Nevis"]), ("Palau", "Palauan", []),
    ("Honduras", "Honduran", []), ("Mongolia", "Mongolian", []), ("Gabon", "Gabonese", []),
    ("Equatorial Guinea", "", ["Guinea Ecuatorial"]), ("Kiribati", "", []), ("Fiji", "Fijian", []),
    ("Uruguay", "Uruguayan", []), ("Argentina", "Argentine", []), ("Chile", "Chilean", []),
    ("Faroe Islands", "Faroese", []), ("Seychelles", "Seychellois", []), ("Curaçao", "", []),
    ("Bolivia", "Bolivian", ["Bolivia, Plurinational State of"]), ("Georgia", "Georgian", []), ("Tuvalu", "", []),
    ("Hong Kong", "", ["Hong Kong, China"]), ("Bahamas", "Bahamian", ["The Bahamas"]), ("Cyprus", "Cypriot", []),
    ("Denmark", "Danish", ["Danmark"]), ("Côte d'Ivoire", "Ivorian", ["Ivory Coast"]),
    ("Democratic People's Republic of Korea", "North Korean", ["DPRK", "Korea, Democratic People's Republic of"]),
]
# Countries used only as non-flag context (origin, destination, address, crew).
COUNTRIES = ["Spain", "China", "Ecuador", "Thailand", "Vietnam", "Republic of Korea", "Japan",
             "Netherlands", "Germany", "United States", "Peru", "Argentina", "Mauritania",
             "Ghana", "Namibia", "Morocco", "Indonesia", "Philippines", "Norway", "Chile",
             "Senegal", "Côte d'Ivoire", "France", "Italy", "Portugal", "India", "Russia"]
NATIONALITIES = ["Indonesian", "Filipino", "Chinese", "Vietnamese", "Burmese", "Ghanaian",
                 "Senegalese", "Peruvian", "Russian", "Ukrainian", "Korean", "Cambodian"]
AUTHORITIES = ["Panama Maritime Authority", "Liberian International Ship & Corporate Registry",
               "Korean Register", "Vanuatu Maritime Services", "Norwegian Maritime Authority",
               "Mauritanian Coast Guard", "Spanish Secretaría General de Pesca",
               "Chinese Ministry of Agriculture and Rural Affairs", "Ghana Fisheries Commission"]

FIRST = ["Ana", "Li", "Kenji", "Maria", "Olav", "Ji-hoon", "Carlos", "Fatou", "Dmitri", "Sarah",
         "Ahmed", "Wei", "Lucía", "Tom", "Priya", "Kwame", "Hiroshi", "Ingrid", "Pedro", "Mei",
         "Joanna", "Nguyen", "Sergei", "Amadou", "Claire", "Rafael", "Yuki", "Erik", "Aisha", "Juan"]
LAST = ["García", "Wang", "Sato", "Hansen", "Kim", "Diallo", "Ivanov", "Smith", "Chen",
        "Fernández", "Okafor", "Tanaka", "Berg", "Park", "Silva", "Mensah", "Nakamura", "Larsen",
        "López", "Zhang", "Müller", "Novak", "Ba", "Petrov", "Rossi", "Jensen", "Pérez", "Lee"]
# Company names, several containing port or species words: always O.
COMPANIES = ["Dalian Deep Sea Fishing Co., Ltd.", "Tuna Merchants Ltd", "Squid Star Marine Products",
             "Vigo Mariscos S.L.", "Pacific Prawn Holdings", "Busan Reefer Services",
             "Rønne Fisk ApS", "Qingdao Blue Harvest Trading Co.", "Las Palmas Frío Portuario S.L.",
             "Montevideo Marine Agency", "Tema Fish Processors Ltd", "Nordic Catch AS",
             "Kaohsiung Octopus Trading", "Pingtan Marine Enterprise", "Thai Union",
             "Nordhafen Logistik GmbH", "Deep Blue Imports BV", "Hake & Co. Foods",
             "Atlantic Brokers LLP", "Harbourline Customs Brokerage", "Zhoushan Ocean Fisheries",
             "Anchoveta Andina SAC", "Seaboard Compliance Services", "Frigo Atlántico S.A.",
             "Marfrig Pesca", "Golden Shrimp Export Co.", "Salmon Brothers Ltd", "Congelados Ibéricos S.A."]
NGOS = ["Environmental Justice Foundation", "Global Fishing Watch", "Oceana", "Greenpeace",
        "Outlaw Ocean Project", "Trygg Mat Tracking", "C4ADS", "Stop Illegal Fishing",
        "the Coalition of Legal Toothfish Operators", "Sea Shepherd"]
CITIES = ["Madrid", "Hamburg", "Antwerp", "Lyon", "Shenzhen", "Seoul", "Tokyo", "Lima", "Quito",
          "Accra", "Oslo", "London", "Paris", "Miami", "Brussels", "Beijing", "Taipei", "Moscow"]
RFMOS = ["IOTC", "ICCAT", "WCPFC", "IATTC", "CCAMLR", "SPRFMO", "NAFO", "SIOFA", "NPFC"]
SEA_AREAS = ["the high seas", "the Southwest Atlantic", "the Western Indian Ocean",
             "FAO Area 41", "FAO Area 87", "the Gulf of Guinea", "the Sea of Okhotsk",
             "the Barents Sea", "the Pacific high seas pocket", "CCAMLR Subarea 48.3",
             "the Russian EEZ", "the Argentine EEZ", "the Mauritanian EEZ", "the Ross Sea"]
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December"]
MONTHS_ES = ["enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto",
             "septiembre", "octubre", "noviembre", "diciembre"]
MONTHS_FR = ["JANVIER", "FÉVRIER", "MARS", "AVRIL", "MAI", "JUIN", "JUILLET", "AOÛT",
             "SEPTEMBRE", "OCTOBRE", "NOVEMBRE", "DÉCEMBRE"]
WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
GEARS = ["longliner", "purse seiner", "trawler", "jigger", "reefer", "carrier", "pole-and-line vessel",
         "bottom trawler", "stern trawler", "refrigerated cargo vessel", "gillnetter"]
PRODUCT_FORMS = ["frozen", "whole round", "H&G", "fillets", "loins", "steaks", "tubes",
                 "rings", "chilled", "IQF", "block frozen", "brine frozen", "cooked", "canned"]
DEFICIENCIES = ["Fire doors inoperative", "Oil record book not properly filled",
                "Lifeboat release gear defective", "Emergency fire pump low pressure",
                "Nautical charts not corrected", "ISM safety drills not recorded",
                "Crew hours of rest records incomplete", "Oily water separator bypass suspected",
                "GMDSS battery expired", "Freezer hold insulation damaged",
                "Wages not paid for 3 months", "Seafarer employment agreements missing"]
SCIENTIFIC_OF: dict[str, str] = {
    "yellowfin tuna": "Thunnus albacares", "bigeye tuna": "Thunnus obesus", "skipjack tuna": "Katsuwonus pelamis",
    "albacore": "Thunnus alalunga", "albacore tuna": "Thunnus alalunga", "bluefin tuna": "Thunnus thynnus",
    "southern bluefin tuna": "Thunnus maccoyii", "Patagonian toothfish": "Dissostichus eleginoides",
    "Antarctic toothfish": "Dissostichus mawsoni", "jumbo flying squid": "Dosidicus gigas",
    "Argentine shortfin squid": "Illex argentinus", "common octopus": "Octopus vulgaris", "octopus": "Octopus vulgaris",
    "cuttlefish": "Sepia officinalis", "whiteleg shrimp": "Penaeus vannamei", "black tiger shrimp": "Penaeus monodon",
    "Atlantic cod": "Gadus morhua", "cod": "Gadus morhua", "Alaska pollock": "Gadus chalcogrammus",
    "Argentine hake": "Merluccius hubbsi", "Cape hake": "Merluccius capensis", "Atlantic mackerel": "Scomber scombrus",
    "jack mackerel": "Trachurus murphyi", "Peruvian anchoveta": "Engraulis ringens", "swordfish": "Xiphias gladius",
    "blue shark": "Prionace glauca", "shortfin mako shark": "Isurus oxyrinchus", "red king crab": "Paralithodes camtschaticus",
    "snow crab": "Chionoecetes opilio", "mahi-mahi": "Coryphaena hippurus", "Greenland halibut": "Reinhardtius hippoglossoides",
    "listado": "Katsuwonus pelamis", "POULPE": "Octopus vulgaris", "メバチ": "Thunnus obesus", "キハダ": "Thunnus albacares",
}

# ---------------------------------------------------------------- hard cases (mixed_notes genre)
# Container-line operator prefixes written as part of the ship's name (`MSC X`, `CMA CGM X`).
OPERATOR_PREFIXES = ["MSC", "CMA CGM", "EVER", "MAERSK", "COSCO SHIPPING", "ONE", "HMM", "YM",
                     "ZIM", "OOCL", "APL", "HYUNDAI", "WAN HAI", "SEASPAN", "NYK", "MOL"]
OPERATOR_NAMES = ["LOIRE", "ELBE", "SEINE", "RHONE", "DANUBE", "ARIES", "ORION", "ALTAIR", "AURORA",
                  "GALAXY", "MIRACLE", "GLORY", "GRACE", "TRIUMPH", "VALOR", "GENEVA", "KOWLOON",
                  "HAMBURG", "CALLAO", "LIMA", "ISTANBUL", "ACE", "GREET", "LEADER", "HARMONY",
                  "SHANGHAI", "ANTWERP", "JADE", "PEARL", "DIAMOND", "CORAL", "BLESSING", "PROSPERITY"]
# Flag words in other languages ("bandera Perú", "pavillon Sénégal").
FLAG_WORDS = ["bandera", "pabellón", "pavillon", "Flagge", "bandeira", "flag", "Flag", "FLAG", "bandiera"]
# Trade terms that precede a named delivery port.
INCOTERMS = ["CFR", "CIF", "FOB", "FCA", "CNF", "C&F", "DAP", "CPT", "EXW", "FAS"]
# Postal-address pieces: a port city inside an address stays O.
STREETS = ["Calle Mayor", "Avenida del Puerto", "Rúa do Mar", "Harbour Road", "Jungang-daero", "rue du Port",
           "Hafenstraße", "Polígono Industrial Sur", "Zona Franca", "Muelle Pesquero", "Dock Street",
           "Via del Porto", "Kaigan-dori", "Binhai Road", "Avenida Costanera", "Strandveien"]
PROVINCES = ["A Coruña", "Cádiz", "Asturias", "Bizkaia", "Huelva", "Shizuoka", "Miyagi", "Hokkaido",
             "Gyeongsangnam-do", "Zhejiang", "Shandong", "Liaoning", "Finistère", "Morbihan", "Buenos Aires",
             "Biobío", "Manabí", "Guayas", "Western Cape", "Chubut", "Nordland", "Kanagawa"]
# Regions and waters that are not flag states.
REGIONS = ["West Africa", "East Asia", "Southeast Asia", "South America", "the Mediterranean",
           "the South Pacific", "Latin America", "Northern Europe", "the Horn of Africa", "Oceania",
           "the Caribbean", "Central America", "the Middle East", "Scandinavia", "North Africa"]
# Company-name pieces: combined with port / species / vessel-like words, always O.
COMPANY_WORDS = ["Seafoods", "Frigoríficos", "Reitou", "Suisan", "Armadores", "Pesquerías", "Partners",
                 "Trading", "Cold Storage", "Fisheries", "Marine Products", "Congelados", "Gyogyo",
                 "Shipping Agency", "Pesca", "Mariscos", "Holdings", "Logistics"]
COMPANY_SUFFIXES = ["K.K.", "S.L.", "SAC", "S.A.", "Ltd", "GmbH", "Co., Ltd.", "S.A.S.", "AS", "BV",
                    "Inc.", "LLC", "S.p.A.", "Pte Ltd", "Sdn Bhd", "SARL"]
# Product forms, grades and processing words: O even next to a species.
PRODUCT_PHRASES = ["headed and gutted", "sashimi grade", "fishmeal", "fish oil", "ultra-low temperature",
                   "super-frozen", "skin-on boneless", "tail-on", "round weight", "PUD", "block frozen",
                   "brine frozen", "vacuum packed", "glazed 10%", "gutted and gilled", "saku blocks",
                   "CO-treated", "IQF", "HGT", "dressed", "semi-processed", "bycatch", "fish maw"]
# Words near risk vocabulary that are not risk levels.
RISK_TRAPS = ["escalate", "escalation", "low-temperature", "high-grade", "lowest bid", "medium-sized",
              "high seas", "high priority", "highlights", "low season", "higher prices", "low stock"]
# People's names in East-Asian order (O).
ASIAN_PEOPLE = ["Park Min-jun", "Lee Seo-yeon", "Choi Dong-hyun", "Jung Ha-eun", "Sato Kenta", "Suzuki Yumi",
                "Watanabe Daisuke", "Ito Haruka", "Chen Wei", "Liu Yang", "Huang Jing", "Nguyen Van An",
                "Tran Thi Mai", "Yamamoto Shota (山本 翔太)", "Kobayashi Aoi (小林 葵)", "박민준", "王磊"]
EMOJI = ["✅", "❌", "📦", "🐟", "⚠️", "🚢", "👍", "🔴", "🟢", "📎", "→", "✔", "✗", "★", "•", "※"]
# More species surface forms: short common names, multi-word foreign and scientific names.
SPECIES_EXTRA = ["bigeye", "yellowfin", "skipjack", "bluefin", "blue marlin", "Pacific saury", "chub mackerel",
                 "Japanese flying squid", "European hake", "saithe", "pollock", "toothfish", "octopus",
                 "pez espada", "atún rojo", "merluza negra", "calamar gigante", "thon rouge", "lieu noir",
                 "Kabeljau", "Seelachs", "bacalhau", "メカジキ", "イカ", "sepia", "pota", "jurel", "caballa",
                 "Merluccius merluccius", "Scomber japonicus", "Cololabis saira", "Makaira nigricans",
                 "Pollachius virens", "Sardinops sagax", "Loligo vulgaris", "Nototodarus sloanii"]
CONNECTORS = [" and ", ", ", " or ", " & ", " / ", "/", " y ", " et ", " und ", " e ", " and/or ", " + ", " AND "]
# Date-range words by language: (before first, between).
RANGE_WORDS = [("from ", " to "), ("", " to "), ("", " until "), ("", " – "), ("", " - "), ("du ", " au "),
               ("del ", " al "), ("desde el ", " hasta el "), ("von ", " bis "), ("", " bis "),
               ("between ", " and "), ("dal ", " al "), ("entre ", " y "), ("", " through "), ("", " till ")]
MONTHS_DE = ["Januar", "Februar", "März", "April", "Mai", "Juni", "Juli", "August", "September",
             "Oktober", "November", "Dezember"]
INLAND_CITIES = ["Madrid", "Lyon", "Paris", "Brussels", "Quito", "Milan", "Munich", "Zaragoza", "Seoul",
                 "Beijing", "Chengdu", "Santiago", "Bogotá", "Vienna", "Prague", "Toulouse", "Sevilla"]

# Shipping lines named on their own (carrier choice, bookings): O; only "<LINE> <NAME>" is a ship.
CARRIER_BRANDS = ["Maersk", "MSC", "CMA CGM", "Hapag-Lloyd", "ONE", "Evergreen", "COSCO", "HMM", "ZIM",
                  "Yang Ming", "Wan Hai", "OOCL", "PIL", "Sealand", "Hamburg Süd", "Matson", "Crowley",
                  "X-Press Feeders", "Samskip", "Seaboard Marine", "Sinokor", "KMTC", "Arkas"]
# Islands, banks and fishing grounds: places, never ports of call here.
GROUNDS = ["Kerguelen", "Crozet", "South Georgia", "the Falklands", "Galápagos", "Tristan da Cunha",
           "Heard Island", "the Azores", "Svalbard", "Bioko", "Zanzibar", "the Grand Banks",
           "Rockall", "Banc d'Arguin", "Isla de Lobos", "Jan Mayen", "the Chagos"]
# Roles a port city plays that do not make it a port in the text.
CITY_ROLES = ["our {} office", "the {} wholesale market", "the city of {}", "a {}-based trader",
              "the {} headquarters", "a court in {}", "the {} consulate", "the {} fish auction prices",
              "the university in {}", "a hotel in {}", "{} city hall", "the mayor of {}"]

# ---------------------------------------------------------------- outside-style constructions
# Invented or generic instances of constructions seen in documents written by other people.
# Two-word Russian transliterations (adjective + noun) with their Cyrillic form.
RUSSIAN_TWO_WORD: dict[str, str] = {
    "Kurilskiy Proliv": "Курильский пролив", "Zolotoy Rog": "Золотой Рог", "Severnyy Veter": "Северный ветер",
    "Belyy Medved": "Белый медведь", "Yuzhnyy Krest": "Южный крест", "Morskoy Volk": "Морской волк",
    "Tikhiy Okean": "Тихий океан", "Polyarnyy Krug": "Полярный круг", "Beringov Proliv": "Берингов пролив",
    "Vostochnyy Put": "Восточный путь", "Krasnyy Luch": "Красный луч", "Okhotskiy Mys": "Охотский мыс",
}
# Thai names (Latin, Thai script); a number follows.
THAI_NAMES: dict[str, str] = {
    "Sor Siriporn": "ส.ศิริพร", "Por Charoen": "ป.เจริญ", "Chokdee Samut": "โชคดีสมุทร",
    "Ruam Thai": "รวมไทย", "Siam Pattana": "สยามพัฒนา", "Nava Thong": "นาวาทอง", "Sin Thanee": "สินธานี",
}
# Korean names (Latin, Hangul); rendered 'No. 7' / '제7 X호'.
KOREAN_HANGUL: dict[str, str] = {
    "Dongwon": "동원", "Oryong": "오룡", "Daeyang": "대양", "Sejin": "세진", "Kwangmyong": "광명",
    "Samho": "삼호", "Jinyang": "진양", "Cheonghae": "청해", "Hanbada": "한바다",
}
# Japanese stems (Latin, kanji); rendered 'X MARU No.8' / '第八X丸'.
JAPANESE_KANJI: dict[str, str] = {
    "Fukuyoshi": "福吉", "Shinsei": "新生", "Kaiyo": "海洋", "Taisei": "大成", "Hakko": "白光",
    "Eiko": "栄光", "Sumiyoshi": "住吉", "Hoyo": "豊洋", "Kotoshiro": "事代",
}
KANJI_DIGITS = "〇一二三四五六七八九"
# Indonesian names written with their 'KM' (kapal motor) prefix as part of the name.
INDONESIAN_NAMES = ["KM Cahaya Baru", "KM Mutiara Timur", "KM Lautan Jaya", "KM Putra Bahari", "KM Harapan Kita",
                    "KM Maju Bersama", "KMN Sumber Rejeki", "KM Bahari Nusantara", "KM Fajar Laut"]
# Vessel names that look like species, places or companies: VESSEL only.
VESSEL_LOOKALIKES = ["Sea Bream", "Silver Pomfret", "Golden Grouper", "Black Halibut", "Orca Bay", "Tarpon",
                     "Barracuda", "Sailfish", "Wahoo", "Dorado Star", "Kostroma", "Tambov", "Lofoten", "Taimyr",
                     "Kolyma", "Pechora", "Sakhalin Bay", "Andaman Pearl", "Sulawesi", "Biscay Bay", "Nordic Partner",
                     "Pacific Enterprise", "Baltic Trader", "Frost Bay", "Ice Crystal", "Coral Isle", "Cape Ardor"]
# Extra container-line ship names (title case as written by the line).
OPERATOR_TITLE_NAMES = ["Tejo", "Douro", "Garonne", "Mekong", "Volga", "Tigris", "Zambezi", "Orinoco", "Yukon",
                        "Aldebaran", "Sirius", "Callisto", "Deneb", "Procyon", "Antares", "Kolkata", "Horsburgh",
                        "Santos", "Giulia", "Chiara", "Federica", "Valentina", "Ilaria", "Rosaria", "Manchester Bay",
                        "Xiamen Bridge", "Tokyo Express", "Hamburg Bay", "Busan Bridge"]
# Spanish / French / Portuguese / Nordic flag adjectives and Spanish country names (FLAG).
FLAG_ADJ_ML = ["panameña", "panameño", "china", "chino", "coreana", "española", "liberiana", "marfileña", "togolesa",
               "camerunesa", "beliceña", "peruana", "ecuatoriana", "rusa", "noruega", "japonesa", "taiwanesa",
               "senegalesa", "mauritana", "argentina", "chilena", "uruguaya", "portuguesa", "filipina", "tailandesa",
               "panaméen", "libérien", "coréen", "chinois", "espagnol", "sénégalais", "mauritanien", "togolais",
               "camerounais", "russe", "norvégien", "panamenha", "chinesa", "espanhola", "norsk", "dansk", "færøsk",
               "islandsk", "russisk", "maltesisk"]
FLAG_NAMES_ES = ["Panamá", "China", "Corea del Sur", "Liberia", "Vanuatu", "Togo", "Camerún", "Belice", "Perú",
                 "Ecuador", "Rusia", "Noruega", "Japón", "Senegal", "Mauritania", "Comoras", "Sierra Leona",
                 "Islas Marshall", "Dinamarca", "Islas Cook", "Costa de Marfil", "Guinea Ecuatorial", "Taiwán"]
# Foreign-language risk levels.
RISK_WORDS_ML = ["alto", "medio", "bajo", "muy alto", "ALTO", "MEDIO", "BAJO", "medio-alto", "medio-bajo", "élevé",
                 "moyen", "faible", "ÉLEVÉ", "médio", "baixo", "hoch", "mittel", "niedrig", "høy", "middels", "lav"]
# Species names in more languages and more scientific names (none from any evaluation set).
SPECIES_ML = ["lange", "brosme", "kveite", "blåkveite", "uer", "sild", "kolmule", "reker", "rødspætte",
              "jomfruhummer", "hellefisk", "Rotbarsch", "Hering", "Thunfisch", "Garnelen", "Tintenfisch", "patudo",
              "atún claro", "boquerón", "bacaladilla", "rape", "sardina", "jurel", "caballa", "atum", "pescada",
              "carapau", "sardinha", "thon obèse", "listao", "merlu", "encornet", "calmar", "crevette", "langoustine",
              "églefin", "chinchard", "tonno", "pesce spada", "totano", "seppia", "polpo", "tongkol", "cumi-cumi",
              "udang", "kakap merah", "kerapu", "ปลาหมึก", "กุ้ง", "ปลาทูน่า", "가다랑어", "참다랑어", "오징어", "명태",
              "대구", "고등어", "새우", "문어", "黄鳍金枪鱼", "大眼金枪鱼", "鲣鱼", "带鱼", "鳕鱼", "章鱼", "墨鱼",
              "秋刀鱼", "南美白对虾", "カツオ", "ビンナガ", "スルメイカ", "サンマ", "サバ", "タラ", "ミナミマグロ",
              "Pollachius pollachius", "Molva molva", "Sebastes mentella", "Mallotus villosus", "Clupea harengus",
              "Micromesistius poutassou", "Nephrops norvegicus", "Lophius piscatorius", "Euthynnus affinis",
              "Auxis thazard", "Doryteuthis gahi", "Ommastrephes bartramii", "Trichiurus lepturus",
              "Lutjanus malabaricus", "Epinephelus coioides", "Rastrelliger brachysoma", "Scomberomorus commerson",
              "Pacific cod", "Atlantic herring", "ling", "tusk", "beaked redfish", "kawakawa", "frigate tuna",
              "largehead hairtail", "Malabar red snapper", "Argentine red shrimp", "neon flying squid",
              "Patagonian squid", "northern prawn", "krill", "lobster", "spiny lobster"]
# Chinese product wording glued around a species: 冷冻 + species + 鱼片.
CJK_PRODUCT = [("冷冻", "鱼片"), ("冷冻", "圈"), ("冻", "段"), ("冷冻", "块"), ("", "罐头"), ("冰鲜", "")]
CJK_SPECIES = ["鱿鱼", "金枪鱼", "鳕鱼", "带鱼", "章鱼", "墨鱼", "鲣鱼", "秋刀鱼", "黄鳍金枪鱼", "南美白对虾"]
# Stock areas before a species: the area stays O ('Indian Ocean albacore' -> 'albacore').
STOCK_AREAS = ["Indian Ocean", "Eastern Pacific", "Western and Central Pacific", "North Atlantic", "South Atlantic",
               "Barents Sea", "North Sea", "Northeast Atlantic", "Mediterranean", "Southern Ocean", "Southwest Atlantic"]
STOCK_SPECIES = ["albacore", "skipjack", "yellowfin", "bigeye", "swordfish", "blue shark", "haddock", "saithe",
                 "hake", "toothfish", "squid", "sardine", "anchovy", "herring"]
# Gear words glued after a species in vessel types ('squid jigger': the species is a span).
GEAR_SPECIES = [("squid", "jigger"), ("tuna", "longliner"), ("king crab", "pot vessel"), ("shrimp", "trawler"),
                ("toothfish", "longliner"), ("krill", "trawler"), ("octopus", "trawler"), ("tuna", "purse seiner"),
                ("hake", "trawler"), ("pollock", "catcher-processor"), ("saury", "stick-held dip-netter"),
                ("crab", "catcher-processor"), ("snow crab", "pot vessel"), ("sardine", "purse seiner"), ("tuna", "longliner")]
# More ports: multiword names with lowercase particles, hyphenated and Nordic/Asian fishing ports.
PORTS_EXTRA: list[tuple[str, str]] = [
    ("Santa Cruz de Tenerife", "Spain"), ("Vilagarcía de Arousa", "Spain"), ("Sanlúcar de Barrameda", "Spain"),
    ("Puerto de Santa María", "Spain"), ("Arrecife", "Spain"), ("Puerto de la Estaca", "Spain"),
    ("Les Sables-d'Olonne", "France"), ("Port-en-Bessin", "France"), ("Saint-Jean-de-Luz", "France"),
    ("Le Guilvinec", "France"), ("Figueira da Foz", "Portugal"), ("Vila Real de Santo António", "Portugal"),
    ("Peniche", "Portugal"), ("Leixões", "Portugal"), ("Puerto Montt", "Chile"), ("Puerto Deseado", "Argentina"),
    ("Bahía Blanca", "Argentina"), ("Rio Grande", "Brazil"), ("São Francisco do Sul", "Brazil"),
    ("Port-Gentil", "Gabon"), ("Pointe-Noire", "Congo"), ("Sekondi-Takoradi", "Ghana"), ("Vung Tau", "Vietnam"),
    ("Da Nang", "Vietnam"), ("Ranong", "Thailand"), ("Phuket", "Thailand"), ("Pekalongan", "Indonesia"),
    ("Kendari", "Indonesia"), ("Ambon", "Indonesia"), ("Zamboanga", "Philippines"), ("Gunsan", "Republic of Korea"),
    ("Yeosu", "Republic of Korea"), ("Choshi", "Japan"), ("Shiogama", "Japan"), ("Weihai", "China"),
    ("Fuzhou", "China"), ("Shenjiamen", "China"), ("Korsakov", "Russian Federation"), ("Magadan", "Russian Federation"),
    ("Hammerfest", "Norway"), ("Honningsvåg", "Norway"), ("Måløy", "Norway"), ("Egersund", "Norway"),
    ("Thyborøn", "Denmark"), ("Hanstholm", "Denmark"), ("Klaksvík", "Faroe Islands"), ("Scheveningen", "Netherlands"),
    ("Vlissingen", "Netherlands"), ("Cuxhaven", "Germany"), ("Świnoujście", "Poland"),
]
# Native-script names of some ports, written after the Latin name in brackets (each its own PORT span).
PORT_NATIVE: dict[str, str] = {
    "Yantai": "烟台", "Weihai": "威海", "Dalian": "大连", "Zhanjiang": "湛江", "Xiamen": "厦门", "Fuzhou": "福州",
    "Shanghai": "上海", "Keelung": "基隆", "Incheon": "인천", "Mokpo": "목포", "Yeosu": "여수", "Gunsan": "군산",
    "Yaizu": "焼津", "Misaki": "三崎", "Choshi": "銚子", "Kesennuma": "気仙沼", "Hachinohe": "八戸", "Phuket": "ภูเก็ต",
    "Ranong": "ระนอง", "Vladivostok": "Владивосток", "Nakhodka": "Находка", "Murmansk": "Мурманск", "Korsakov": "Корсаков",
    "Qingdao": "青岛", "Shimizu": "清水", "Songkhla": "สงขลา", "Busan": "부산", "Kaohsiung": "高雄", "Zhoushan": "舟山",
    "Shidao": "石岛", "Ningbo": "宁波", "Rizhao": "日照", "Laem Chabang": "แหลมฉบัง", "Sakaiminato": "境港", "Hong Kong": "香港",
    "Shenjiamen": "沈家门", "Shiogama": "塩竈", "Magadan": "Магадан",
}
# ISO 3166 alpha-2 codes for UN/LOCODEs written beside a port ('Yeosu (KRYOS)': the code stays O).
ISO2: dict[str, str] = {
    "Spain": "ES", "France": "FR", "Portugal": "PT", "Chile": "CL", "Argentina": "AR", "Brazil": "BR", "Gabon": "GA",
    "Congo": "CG", "Ghana": "GH", "Vietnam": "VN", "Thailand": "TH", "Indonesia": "ID", "Philippines": "PH",
    "Republic of Korea": "KR", "Japan": "JP", "China": "CN", "Russian Federation": "RU", "Norway": "NO",
    "Denmark": "DK", "Faroe Islands": "FO", "Netherlands": "NL", "Germany": "DE", "Poland": "PL", "Taiwan": "TW",
    "Mauritania": "MR", "Uruguay": "UY", "Namibia": "NA", "South Africa": "ZA", "Peru": "PE", "Ecuador": "EC",
    "Mauritius": "MU", "Seychelles": "SC", "Morocco": "MA", "Senegal": "SN", "Italy": "IT", "Greece": "GR",
    "United States": "US", "Canada": "CA", "Mexico": "MX", "Malaysia": "MY", "Singapore": "SG", "India": "IN",
}
# Bilingual field keys (CJK + English) for B/L and certificates; values are ports or dates.
CJK_PORT_KEYS = ["装货港 Port of loading", "卸货港 Port of discharge", "交货地 Place of delivery", "目的港 Port of destination",
                 "積出港 Port of loading", "陸揚港 Port of discharge", "선적항 Port of loading", "양하항 Port of discharge"]
CJK_DATE_KEYS = ["签发日期 Date of issue", "装船日期 Laden on board", "船積日 On board date", "발행일 Date of issue", "离港日期 ETD"]
# Ranks and roles before a person's name (the person stays O).
PERSON_ROLES = ["Capt.", "Captain", "Master", "Skipper", "Chief Officer", "C/O", "Chief Engineer", "PSCO", "Bosun",
                "the master,", "skipper", "el capitán", "le capitaine", "Kapitän", "船長", "선장"]
# Company name endings that make a vessel-like head a company (O).
VESSEL_LIKE_COMPANY_TAILS = ["Shipping Inc", "Ocean Enterprise Co., Ltd.", "Deep Sea Co., Ltd.", "Fishing Company JSC",
                             "Reefers Ltd", "Marine S.A.", "Navigation Corp.", "Seafoods Ltd", "Chartering AS"]
# Berths, capes and offices named after a place: O.
PLACE_NOT_PORT = ["Muelle {}", "muelle de {}", "quai de {}", "Cabo {}", "Cap {}", "Aduana de {}", "Capitanía Marítima de {}",
                  "{} Regional Office", "{} customs office", "{} fish market", "{}-registered company", "Place of issue: {}"]
MONTHS_NO = ["januar", "februar", "mars", "april", "mai", "juni", "juli", "august", "september", "oktober",
             "november", "desember"]
MONTHS_ES_ABBR = ["ENE", "FEB", "MAR", "ABR", "MAY", "JUN", "JUL", "AGO", "SEP", "OCT", "NOV", "DIC"]
MONTHS_FR_ABBR = ["JANV.", "FÉVR.", "MARS", "AVR.", "MAI", "JUIN", "JUIL.", "AOÛT", "SEPT.", "OCT.", "NOV.", "DÉC."]

# Real ports whose names read like a person, a species or a ship ('Nelson', 'Bluff', 'Santa Marta'): PORT wherever
# they are drawn (fourth error-analysis pass).
PORTS_LOOKALIKE: list[tuple[str, str]] = [
    ("Nelson", "New Zealand"), ("Napier", "New Zealand"), ("Bluff", "New Zealand"), ("Timaru", "New Zealand"),
    ("Hobart", "Australia"), ("Port Lincoln", "Australia"), ("Eden", "Australia"), ("Albany", "Australia"),
    ("Georgetown", "Guyana"), ("Kingstown", "Saint Vincent and the Grenadines"), ("Monrovia", "Liberia"),
    ("San Pedro", "Côte d'Ivoire"), ("Santa Marta", "Colombia"), ("Mindelo", "Cabo Verde"), ("Praia", "Cabo Verde"),
    ("Lobito", "Angola"), ("Namibe", "Angola"), ("Pescara", "Italy"), ("Grimsby", "United Kingdom"),
    ("Salalah", "Oman"), ("Sorong", "Indonesia"), ("Tual", "Indonesia"), ("Qui Nhon", "Vietnam"),
    ("Phan Thiet", "Vietnam"), ("Sihanoukville", "Cambodia"), ("Veraval", "India"), ("Gwadar", "Pakistan"),
    ("Toamasina", "Madagascar"), ("Beira", "Mozambique"), ("Mossel Bay", "South Africa"), ("Bonny", "Nigeria"),
    ("Kribi", "Cameroon"), ("Owendo", "Gabon"), ("Papeete", "French Polynesia"), ("Noro", "Solomon Islands"),
]

PORTS = PORTS + PORTS_EXTRA + PORTS_LOOKALIKE  # one list for every port draw

# ---------------------------------------------------------------- third error-analysis pass
# Species in the languages of catch certificates and trade mail, lower-case as written in running text.
SPECIES_LOCAL: dict[str, list[str]] = {
    "no": ["torsk", "hyse", "sei", "blåkveite", "lange", "brosme", "uer", "makrell", "sild", "kolmule", "reker",
           "kongekrabbe", "snøkrabbe", "steinbit", "breiflabb", "lodde"],
    "da": ["rejer", "dybvandsrejer", "torsk", "rødspætte", "sild", "makrel", "jomfruhummer", "hellefisk", "kuller",
           "mørksej", "tunge", "pighvar", "brisling", "tobis"],
    "sv": ["torsk", "sill", "strömming", "makrill", "räkor", "sej", "kolja", "kummel", "havskräfta"],
    "es": ["gamba", "langostino", "listado", "merluza", "pota", "calamar", "atún", "rape", "bacaladilla", "jurel",
           "caballa", "cigala", "pez espada", "merluza negra", "rabil", "patudo", "bonito", "pulpo", "sepia", "gallo"],
    "pt": ["pescada", "atum", "polvo", "lula", "sardinha", "carapau", "camarão", "gaiado", "peixe-espada", "cavala"],
    "fr": ["thon listao", "merlu", "seiche", "encornet", "poulpe", "crevette", "églefin", "lieu noir", "cabillaud",
           "albacore", "thon obèse", "sardinelle", "chinchard"],
    "de": ["Kabeljau", "Seelachs", "Hering", "Rotbarsch", "Garnelen", "Thunfisch", "Schellfisch", "Makrele"],
    "id": ["cakalang", "madidihang", "tongkol", "cumi-cumi", "udang", "tuna mata besar", "kakap merah", "kerapu",
           "lemuru", "layang", "tenggiri", "gurita"],
}
# 'Local / English (Latin)' triples for bilingual catch-certificate product rows.
SPECIES_TRIPLES: list[tuple[str, str, str]] = [
    ("Blåkveite", "Greenland halibut", "Reinhardtius hippoglossoides"), ("Lange", "ling", "Molva molva"),
    ("Uer", "beaked redfish", "Sebastes mentella"), ("Makrell", "Atlantic mackerel", "Scomber scombrus"),
    ("Sild", "Atlantic herring", "Clupea harengus"), ("Kolmule", "blue whiting", "Micromesistius poutassou"),
    ("Brosme", "tusk", "Brosme brosme"), ("Steinbit", "Atlantic wolffish", "Anarhichas lupus"),
    ("Kuller", "haddock", "Melanogrammus aeglefinus"), ("Rødspætte", "European plaice", "Pleuronectes platessa"),
    ("Torsk", "Atlantic cod", "Gadus morhua"), ("Sei", "saithe", "Pollachius virens"),
    ("Merluza", "European hake", "Merluccius merluccius"), ("Rabil", "yellowfin tuna", "Thunnus albacares"),
    ("Pota", "jumbo flying squid", "Dosidicus gigas"), ("Gallo", "megrim", "Lepidorhombus whiffiagonis"),
    ("Langostino", "whiteleg shrimp", "Penaeus vannamei"), ("Cakalang", "skipjack tuna", "Katsuwonus pelamis"),
    ("Madidihang", "yellowfin tuna", "Thunnus albacares"), ("Seiche", "common cuttlefish", "Sepia officinalis"),
    ("Merlu", "Cape hake", "Merluccius capensis"), ("Poulpe", "common octopus", "Octopus vulgaris"),
    ("鲐鱼", "chub mackerel", "Scomber japonicus"), ("带鱼", "largehead hairtail", "Trichiurus lepturus"),
    ("ปลาทู", "short mackerel", "Rastrelliger brachysoma"), ("고등어", "chub mackerel", "Scomber japonicus"),
    ("サンマ", "Pacific saury", "Cololabis saira"), ("ビンナガ", "albacore", "Thunnus alalunga"),
]
# Flag states as Norwegian/Danish/Indonesian country names ('Flaggstat / Flag: Norge').
FLAG_NAMES_NORDIC = ["Norge", "Danmark", "Færøyene", "Færøerne", "Island", "Russland", "Grønland", "Sverige",
                     "Tyskland", "Panama", "Liberia", "Belize", "Kypros", "Malta"]
# Masculine / other-language flag adjectives after 'pabellón', 'pavillon', 'registo'.
FLAG_ADJ_MASC = ["marfileño", "panameño", "coreano", "senegalés", "mauritano", "ghanés", "liberiano", "togolés",
                 "camerunés", "beliceño", "comorense", "vanuatuense", "ivoirien", "ghanéen", "comorien", "norueguês"]
# More Chinese species for glued product wording, and the city + trade words of Chinese company names (O).
CJK_SPECIES_MORE = ["太平洋鳕", "鲐鱼", "马鲛鱼", "小黄鱼", "银鲳", "罗非鱼", "巴沙鱼", "北极甜虾", "梭子蟹", "阿根廷鱿鱼", "秘鲁鱿鱼"]
CJK_COMPANY_CITIES = ["舟山", "大连", "烟台", "威海", "石岛", "宁波", "厦门", "福州", "湛江", "荣成", "日照"]
CJK_COMPANY_WORDS = ["明海水产", "远洋渔业", "海丰食品", "鑫源水产", "蓝海冷链", "恒顺海产", "金港渔业"]
CJK_COMPANY_PINYIN = {"明海水产": "Minghai Aquatic Products", "远洋渔业": "Ocean Fishery", "海丰食品": "Haifeng Foods",
                      "鑫源水产": "Xinyuan Aquatic Products", "蓝海冷链": "Blue Sea Cold Chain",
                      "恒顺海产": "Hengshun Seafood", "金港渔业": "Jingang Fishery"}
CJK_CITY_PINYIN = {"舟山": "Zhoushan", "大连": "Dalian", "烟台": "Yantai", "威海": "Weihai", "石岛": "Shidao",
                   "宁波": "Ningbo", "厦门": "Xiamen", "福州": "Fuzhou", "湛江": "Zhanjiang", "荣成": "Rongcheng",
                   "日照": "Rizhao"}
# Companies named after places, species and the sea in several languages: O.
COMPANIES_LOCAL = ["PT Mina Bahari Cakalang", "PT Laut Biru Tongkol Lestari", "PT Samudera Timur Perkasa",
                   "Zuidwal Visverwerking B.V.", "Noordhaven Garnalenhandel B.V.", "Sénépêche SARL",
                   "Atlantique Thon Export SARL", "Frigoríficos del Sur Atún S.L.", "Nordkyst Reker AS",
                   "Vestfjord Torsk AS", "Skagen Rejeeksport ApS", "Pescados Rías Baixas S.L.",
                   "Dongjin Oyang Fisheries Co.", "Hansol Tuna Co., Ltd.", "Ocean Sardinella Ghana Ltd"]
# Person-name layouts after a role: surname first in capitals, initials, hyphenated given names (O).
PEOPLE_LOCAL = ["LIU Haibo", "WANG Dehai", "CHEN Guoqiang", "Park Seo-jun", "Choi Min-ho", "Lee Da-eun",
                "Lucía Ferrer Castro", "Iñaki Etxeberria Goñi", "M. Ibáñez", "K. Lindqvist", "T. Aasheim",
                "Bjørn Kvalsund", "Sigrid Nygård", "Ahmad Fauzi", "Siti Rahmawati", "N. Diouf", "Moussa Ndiaye",
                "R. Villanueva", "J. Quiñones", "Nguyen Thi Lan", "S. Haraldsen"]
PEOPLE_ROLES_LOCAL = ["PSCO", "Analista", "Auditor", "Assessor", "Inspector", "Inspektør", "Kontrollør", "Firmado",
                      "Name of master", "Skipper / Master", "Capitán / Master", "Prepared by", "Reviewed by",
                      "Pemeriksa", "Responsable"]

FLAG_ADJ_ML = FLAG_ADJ_ML + FLAG_ADJ_MASC  # one list for every flag-adjective draw
CJK_SPECIES = CJK_SPECIES + CJK_SPECIES_MORE
