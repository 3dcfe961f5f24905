"""Fixed word lists for the demo data: names from many cultures, places, e-mail domains, notes.

Pure data, no logic. Names in a non-Latin script come with a romanisation, used for the e-mail
address (people with a Chinese name on a Dutch webshop still type a Latin e-mail address).
"""

from __future__ import annotations

# culture: (weight, {country: share}, first names, last names, share written in native script)
# Entries are separated by ";". Where the script is not Latin an entry is "native=romanised":
# the romanised form is shown unless the member wrote their name in the native script.
CULTURES: dict[str, tuple[float, dict[str, float], str, str, float]] = {
    "dutch": (
        0.34,
        {"NL": 0.9, "BE": 0.1},
        "Anna;Daan;Sanne;Bram;Lotte;Thijs;Fleur;Sem;Eva;Lucas;Noor;Jesse;Femke;Ruben;Iris;Niels;"
        "Maartje;Joost;Anouk;Wouter;Marieke;Pieter;Ilse;Sjoerd;Renée;Hendrik;Geertje;Joëlle",
        "de Vries;van den Berg;Jansen;de Jong;Bakker;Visser;Smit;Meijer;Mulder;de Boer;Bos;Vos;"
        "Dekker;van Dijk;Hendriks;van Leeuwen;Kuipers;Brouwer;de Groot;van der Meer;Verhoeven;"
        "Schouten;Huisman;Wijnands;van 't Hof;IJsselmuiden",
        0.0,
    ),
    "german": (
        0.12,
        {"DE": 0.82, "AT": 0.08, "NL": 0.1},
        "Lukas;Jürgen;Sophie;Maximilian;Lena;Felix;Hannah;Jonas;Marie;Tobias;Katharina;Sebastian;"
        "Julia;Matthias;Annika;Björn;Greta;Uwe;Sören;Käthe",
        "Müller;Schmidt;Schneider;Fischer;Weber;Meyer;Wagner;Becker;Schulz;Hoffmann;Schäfer;Koch;"
        "Bauer;Richter;Klein;Wolf;Schröder;Neumann;Zimmermann;Krüger;Weiß;Groß",
        0.0,
    ),
    "french": (
        0.07,
        {"FR": 0.7, "BE": 0.3},
        "Camille;Léa;Hugo;Chloé;Louis;Manon;Théo;Inès;Mathéo;Zoé;Étienne;Amélie;Gaëlle;François;"
        "Hélène;Benoît;Céline;Jérôme;Noémie;Raphaël",
        "Martin;Bernard;Dubois;Thomas;Robert;Richard;Petit;Durand;Leroy;Moreau;Lefèvre;Fournier;"
        "Girard;Bonnet;Mercier;Rousseau;Faure;Lemaître;Chevalier;Gauthier",
        0.0,
    ),
    "spanish": (
        0.05,
        {"ES": 0.85, "NL": 0.15},
        "María José;Lucía;Javier;Carmen;Alejandro;Sofía;Daniel;Paula;Álvaro;Martina;Sergio;Elena;"
        "Andrés;Nuria;Íñigo;Begoña;Ramón;Almudena;Joaquín",
        "García;Fernández;González;Rodríguez;López;Martínez;Sánchez;Pérez;Gómez;Martín;Jiménez;"
        "Ruiz;Hernández;Díaz;Moreno;Muñoz;Álvarez;Núñez;Ibáñez;Peña;García López",
        0.0,
    ),
    "polish": (
        0.04,
        {"PL": 0.5, "NL": 0.3, "DE": 0.2},
        "Łukasz;Katarzyna;Paweł;Agnieszka;Michał;Małgorzata;Krzysztof;Magdalena;Tomasz;Joanna;"
        "Wojciech;Zofia;Grzegorz;Dorota;Jędrzej;Bożena",
        "Nowak;Kowalski;Wiśniewski;Wójcik;Kowalczyk;Kamiński;Lewandowski;Zieliński;Szymański;"
        "Woźniak;Dąbrowski;Kozłowski;Jankowski;Mazur;Krawczyk;Grzegorczyk",
        0.0,
    ),
    "turkish": (
        0.05,
        {"NL": 0.5, "DE": 0.4, "BE": 0.1},
        "Mehmet;Ayşe;Mustafa;Fatma;Emre;Zeynep;Burak;Elif;Can;Özlem;Serkan;Gül;İbrahim;Şule;Onur;"
        "Büşra",
        "Yılmaz;Kaya;Demir;Şahin;Çelik;Yıldız;Yıldırım;Öztürk;Aydın;Özdemir;Arslan;Doğan;Kılıç;"
        "Aslan;Çetin;Koç",
        0.0,
    ),
    "arabic": (
        0.05,
        {"NL": 0.6, "BE": 0.25, "FR": 0.15},
        "محمد=Mohamed;فاطمة=Fatima;يوسف=Youssef;خديجة=Khadija;عمر=Omar;سلمى=Salma;حمزة=Hamza;"
        "نور=Nour;كريم=Karim;أمينة=Amina;ليلى=Leila",
        "العمراني=El Amrani;بنعلي=Benali;بوزيد=Bouzid;الإدريسي=El Idrissi;حداد=Haddad;"
        "والي=Ouali;عزيز=Aziz;الطاهري=Tahiri;الخطيب=El Khatib;العلوي=Alaoui",
        0.1,
    ),
    "indian": (
        0.04,
        {"NL": 0.4, "GB": 0.4, "DE": 0.2},
        "Priya;Arjun;Ananya;Rahul;Divya;Vikram;Sneha;Aditya;Lakshmi;Rohan;Kavya;Sanjay;Meera;"
        "Karthik",
        "Sharma;Patel;Singh;Kumar;Gupta;Reddy;Iyer;Nair;Venkataraman;Chatterjee;Mehta;Desai;Rao;"
        "Krishnamurthy",
        0.0,
    ),
    "chinese": (
        0.03,
        {"NL": 0.5, "GB": 0.3, "DE": 0.2},
        "伟=Wei;芳=Fang;娜=Na;敏=Min;静=Jing;磊=Lei;洋=Yang;艳=Yan;杰=Jie;婷=Ting;浩=Hao;丽=Li",
        "张=Zhang;王=Wang;李=Li;刘=Liu;陈=Chen;杨=Yang;黄=Huang;赵=Zhao;吴=Wu;周=Zhou;徐=Xu;林=Lin",
        0.35,
    ),
    "japanese": (
        0.02,
        {"NL": 0.4, "DE": 0.3, "GB": 0.3},
        "美咲=Misaki;翔太=Shota;陽菜=Hina;大輔=Daisuke;由美=Yumi;健=Ken;愛子=Aiko;拓也=Takuya;"
        "さくら=Sakura;蓮=Ren",
        "田中=Tanaka;佐藤=Sato;鈴木=Suzuki;高橋=Takahashi;渡辺=Watanabe;伊藤=Ito;山本=Yamamoto;"
        "中村=Nakamura;小林=Kobayashi;加藤=Kato",
        0.35,
    ),
    "vietnamese": (
        0.02,
        {"DE": 0.4, "FR": 0.3, "NL": 0.3},
        "Minh;Lan;Hùng;Phương;Tuấn;Thảo;Dũng;Hương;Quang;Ngọc;Đức;Trang",
        "Nguyễn;Trần;Lê;Phạm;Hoàng;Huỳnh;Phan;Vũ;Võ;Đặng;Bùi;Đỗ",
        0.0,
    ),
    "nigerian": (
        0.02,
        {"GB": 0.6, "NL": 0.4},
        "Chukwuemeka;Oluwaseun;Ngozi;Adébáyọ̀;Chiamaka;Tunde;Folake;Emeka;Aisha;Ifeoma;Babatunde;"
        "Yetunde",
        "Okafor;Adeyemi;Okonkwo;Balogun;Eze;Ogunleye;Nwosu;Adebayo;Okoro;Olúwádàmílọ́lá;Bello;"
        "Chukwu",
        0.0,
    ),
    "brazilian": (
        0.03,
        {"NL": 0.4, "PT": 0.3, "ES": 0.3},
        "João;Ana;Gabriel;Beatriz;Matheus;Larissa;Rafael;Juliana;Thiago;Camila;Luíza;Gonçalo",
        "Silva;Santos;Oliveira;Souza;Rodrigues;Ferreira;Alves;Pereira;Lima;Gonçalves;Conceição;"
        "Araújo",
        0.0,
    ),
    "english": (
        0.04,
        {"GB": 0.6, "US": 0.3, "NL": 0.1},
        "Oliver;Amelia;Harry;Isla;George;Emily;Jack;Charlotte;Thomas;Olivia;James;Grace;Michael;"
        "Sarah",
        "Smith;Jones;Taylor;Brown;Williams;Wilson;Johnson;Davies;Evans;O'Brien;Walker;Wright;"
        "Thompson;McAllister",
        0.0,
    ),
    "russian": (
        0.02,
        {"DE": 0.5, "NL": 0.5},
        "Дмитрий=Dmitry;Анна=Anna;Сергей=Sergey;Ольга=Olga;Алексей=Alexey;Наталья=Natalia;"
        "Иван=Ivan;Екатерина=Ekaterina",
        "Иванов=Ivanov;Смирнов=Smirnov;Кузнецов=Kuznetsov;Попов=Popov;Волков=Volkov;"
        "Соколов=Sokolov;Новиков=Novikov;Морозов=Morozov",
        0.4,
    ),
}

# country: (mobile prefix in E.164, digits after the prefix, cities)
# city: (name, province code or "", zip template, latitude, longitude)
# Zip templates: "#" a digit, "A" a letter; a literal prefix pins the city's range. Several
# cities have zips with a leading zero (Dresden, Nice, Barcelona, Warsaw, Boston, Hoboken):
# Shopify writes those with a leading apostrophe.
COUNTRIES: dict[str, tuple[str, int, tuple[tuple[str, str, str, float, float], ...]]] = {
    "NL": (
        "+316",
        8,
        (
            ("Amsterdam", "NH", "10## AA", 52.37, 4.90),
            ("Rotterdam", "ZH", "30## AA", 51.92, 4.48),
            ("Utrecht", "UT", "35## AA", 52.09, 5.12),
            ("Den Haag", "ZH", "25## AA", 52.08, 4.30),
            ("Eindhoven", "NB", "56## AA", 51.44, 5.47),
            ("Groningen", "GR", "97## AA", 53.22, 6.57),
            ("Haarlem", "NH", "20## AA", 52.38, 4.64),
            ("Nijmegen", "GE", "65## AA", 51.84, 5.85),
            ("Zwolle", "OV", "80## AA", 52.51, 6.09),
            ("Maastricht", "LI", "62## AA", 50.85, 5.69),
        ),
    ),
    "BE": (
        "+324",
        8,
        (
            ("Antwerpen", "", "20##", 51.22, 4.40),
            ("Gent", "", "90##", 51.05, 3.72),
            ("Brussel", "", "10##", 50.85, 4.35),
            ("Leuven", "", "30##", 50.88, 4.70),
            ("Liège", "", "40##", 50.63, 5.57),
        ),
    ),
    "DE": (
        "+4915",
        9,
        (
            ("Berlin", "", "10###", 52.52, 13.40),
            ("Hamburg", "", "20###", 53.55, 9.99),
            ("München", "", "80###", 48.14, 11.58),
            ("Köln", "", "50###", 50.94, 6.96),
            ("Düsseldorf", "", "40###", 51.23, 6.77),
            ("Dresden", "", "01###", 51.05, 13.74),
            ("Leipzig", "", "04###", 51.34, 12.37),
            ("Münster", "", "48###", 51.96, 7.63),
        ),
    ),
    "AT": (
        "+43664",
        7,
        (
            ("Wien", "", "1###", 48.21, 16.37),
            ("Graz", "", "80##", 47.07, 15.44),
        ),
    ),
    "FR": (
        "+336",
        8,
        (
            ("Paris", "", "7500#", 48.86, 2.35),
            ("Lyon", "", "6900#", 45.76, 4.84),
            ("Nice", "", "060##", 43.70, 7.27),
            ("Lille", "", "590##", 50.63, 3.06),
            ("Bourg-en-Bresse", "", "010##", 46.21, 5.23),
        ),
    ),
    "ES": (
        "+346",
        8,
        (
            ("Barcelona", "B", "080##", 41.39, 2.17),
            ("Madrid", "M", "280##", 40.42, -3.70),
            ("Valencia", "V", "460##", 39.47, -0.38),
            ("Sevilla", "SE", "410##", 37.39, -5.98),
        ),
    ),
    "PL": (
        "+485",
        8,
        (
            ("Warszawa", "", "0#-###", 52.23, 21.01),
            ("Kraków", "", "3#-###", 50.06, 19.94),
            ("Gdańsk", "", "80-###", 54.35, 18.65),
            ("Wrocław", "", "5#-###", 51.11, 17.03),
        ),
    ),
    "GB": (
        "+447",
        9,
        (
            ("London", "", "SW1# #AA", 51.51, -0.13),
            ("Manchester", "", "M1# #AA", 53.48, -2.24),
            ("Bristol", "", "BS1# #AA", 51.45, -2.59),
            ("Edinburgh", "", "EH1# #AA", 55.95, -3.19),
        ),
    ),
    "US": (
        "+1917",
        7,
        (
            ("New York", "NY", "100##", 40.71, -74.01),
            ("Hoboken", "NJ", "07030", 40.74, -74.03),
            ("Boston", "MA", "021##", 42.36, -71.06),
            ("Portland", "OR", "972##", 45.52, -122.68),
        ),
    ),
    "PT": (
        "+3519",
        8,
        (
            ("Lisboa", "", "1###-###", 38.72, -9.14),
            ("Porto", "", "4###-###", 41.15, -8.61),
        ),
    ),
}

STREETS: dict[str, tuple[str, tuple[str, ...]]] = {
    # country: (format, street names); {s} street, {n} house number
    "NL": (
        "{s} {n}",
        (
            "Prinsengracht",
            "Kerkstraat",
            "Dorpsstraat",
            "Molenweg",
            "Stationsplein",
            "Lindelaan",
            "Spoorstraat",
            "Van Woustraat",
            "Eendrachtsweg",
        ),
    ),
    "BE": ("{s} {n}", ("Kerkstraat", "Stationsstraat", "Rue de la Loi", "Meir", "Veldstraat")),
    "DE": (
        "{s} {n}",
        (
            "Hauptstraße",
            "Bahnhofstraße",
            "Gartenweg",
            "Schillerstraße",
            "Königsallee",
            "Lindenstraße",
        ),
    ),
    "AT": ("{s} {n}", ("Mariahilfer Straße", "Landstraßer Hauptstraße", "Herrengasse")),
    "FR": (
        "{n} {s}",
        (
            "rue de la Paix",
            "avenue Jean Jaurès",
            "rue Victor Hugo",
            "boulevard Saint-Michel",
            "place de l'Église",
        ),
    ),
    "ES": (
        "{s}, {n}",
        ("Calle Mayor", "Carrer de Balmes", "Avenida de la Constitución", "Calle de Alcalá"),
    ),
    "PL": ("ul. {s} {n}", ("Długa", "Marszałkowska", "Piotrkowska", "Świętojańska")),
    "GB": ("{n} {s}", ("High Street", "Station Road", "Church Lane", "Victoria Road")),
    "US": ("{n} {s}", ("Main St", "Washington St", "Park Ave", "Maple Ave")),
    "PT": ("{s}, {n}", ("Rua Augusta", "Avenida da Liberdade", "Rua de Santa Catarina")),
}

ADDRESS2 = (
    "3-hoog",
    "Apt 4B",
    "2e étage",
    "Hinterhaus",
    "bus 12",
    "Flat 3",
    "Piso 2º 1ª",
    "c/o Reception",
    "Unit 7",
)

COMPANIES = (
    "Koffiebar De Boon",
    "Studio Noord BV",
    "Café Lumière",
    "Bäckerei Krüger",
    "Atelier 5",
    "De Werkplaats",
    "Brew & Co",
    "Hotel Zeezicht",
    "Kantoor Vos & Partners",
    "Tostadería Sol",
)

EMAIL_DOMAINS: dict[str, tuple[tuple[str, float], ...]] = {
    "NL": (
        ("gmail.com", 0.4),
        ("hotmail.com", 0.15),
        ("outlook.com", 0.1),
        ("ziggo.nl", 0.1),
        ("kpnmail.nl", 0.08),
        ("icloud.com", 0.07),
        ("live.nl", 0.05),
        ("xs4all.nl", 0.05),
    ),
    "BE": (
        ("gmail.com", 0.45),
        ("telenet.be", 0.2),
        ("hotmail.com", 0.15),
        ("skynet.be", 0.1),
        ("outlook.be", 0.1),
    ),
    "DE": (
        ("gmail.com", 0.3),
        ("web.de", 0.25),
        ("gmx.de", 0.25),
        ("t-online.de", 0.1),
        ("outlook.de", 0.1),
    ),
    "AT": (("gmx.at", 0.4), ("gmail.com", 0.4), ("aon.at", 0.2)),
    "FR": (
        ("gmail.com", 0.4),
        ("orange.fr", 0.2),
        ("free.fr", 0.15),
        ("laposte.net", 0.1),
        ("hotmail.fr", 0.15),
    ),
    "ES": (("gmail.com", 0.55), ("hotmail.es", 0.25), ("yahoo.es", 0.1), ("telefonica.net", 0.1)),
    "PL": (("gmail.com", 0.4), ("wp.pl", 0.25), ("onet.pl", 0.2), ("o2.pl", 0.15)),
    "GB": (
        ("gmail.com", 0.45),
        ("outlook.com", 0.2),
        ("btinternet.com", 0.15),
        ("yahoo.co.uk", 0.2),
    ),
    "US": (("gmail.com", 0.5), ("yahoo.com", 0.2), ("outlook.com", 0.15), ("icloud.com", 0.15)),
    "PT": (("gmail.com", 0.6), ("sapo.pt", 0.4)),
}

# Notes a shop assistant types: some span lines, some look like formulas to a spreadsheet.
NOTES = (
    "Prefers whole beans, never ground.",
    "Leave parcels with the neighbours (no. 12) if out.\nRings twice.",
    "Met at the Saturday market stall.",
    "Wholesale enquiry — sent price list.\nFollow up in March.",
    '=HYPERLINK("http://example.com/claim","Claim reward")',
    "+31 call back about grinder repair",
    "-- VIP: birthday coupon sent --",
    "@barista friend of Sanne, referred via Instagram",
    "Allergic to nuts; no flavoured blends.",
    "Asked for decaf samples.\r\nSent 2 x 250 g.",
    "Subscription paused (holiday) — resume in September",
    'Hates cardboard tubes, "plastic-free only" please',
)

# Mistyped e-mail addresses from manual entry at the till.
BAD_EMAILS = (
    "anna@",
    "jan.jansen@gmail",
    "piet@@hotmail.com",
    "marie dupont@orange.fr",
    "info@koffie",
    "k.demir@gmail..com",
    "sophie.muller.gmail.com",
)
