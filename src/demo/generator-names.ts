/**
 * Name material for the synthetic portfolio: frequent surnames in the Netherlands (with their
 * tussenvoegsel, as the Meertens surname lists order them, roughly by frequency) and first names by
 * the generation that gave them, including names of Turkish, Moroccan, Surinamese and Indonesian origin.
 */

/** Surnames with tussenvoegsel where they have one, roughly most frequent first. */
export const SURNAMES: readonly string[] =
  `de Jong|Jansen|de Vries|van den Berg|van Dijk|Bakker|Janssen|Visser|Smit|Meijer
de Boer|Mulder|de Groot|Bos|Vos|Peters|Hendriks|van Leeuwen|Dekker|Brouwer|de Wit|Dijkstra|Smits|de Graaf
van der Meer|van der Linden|Kok|Jacobs|de Haan|Vermeulen|van den Heuvel|van der Veen|van den Broek|de Bruijn
de Bruin|van der Heijden|Schouten|van Beek|Willems|van Vliet|van de Ven|Hoekstra|Maas|Verhoeven|Koster|van Dam
van der Wal|Prins|Blom|Huisman|Peeters|de Leeuw|Kuipers|van Wijk|Postma|Kuiper|Veenstra|Kramer|van den Brink
Scholten|van Wijngaarden|Post|Martens|Vink|de Ridder|Timmermans|van Rijn|Boer|Groen|Molenaar|Jonker|van Dongen
Koning|Evers|van Loon|Wouters|Hermans|van Vliet|Dijkman|Goossens|Verbeek|Bosman|de Lange|van Rooij|Gerritsen
Verschuren|Brink|Hofman|Koopman|van Doorn|de Wit|Lammers|Bouwman|Schipper|van Es|Sanders|van Wijk|Kroon
van Dalen|de Koning|Zwart|Wolters|Kooijman|van Hout|Wijnands|Meijer|Mol|Vos|van der Laan|Schreurs|Claassen
Bosch|Verhagen|Aerts|van der Heide|Vliegenthart|Ververs|de Vos|Keizer|Beekman|Hoogendoorn|Groenewegen|Brands
van Beek|Mertens|Klein|van der Velden|Stam|Pronk|Heijnen|van den Bosch|Jongman|Hoekman|Bakker|de Kok|Franken
Kort|Geerts|van Zanten|van Ginkel|Hoogland|Rietveld|Kamphuis|van Essen|Huijsman|Baas|Gerrits|Leenders|Nijhuis
van Veen|Tromp|de Kruijf|van der Wijk|Spijkerman|Kremer|ten Brink|ter Horst|van 't Hof|in 't Veld|op de Beek
van der Zee|van der Ploeg|Wiersma|Bijl|van Dijken|Boersma|Hofstra|Jellema|Kingma|Zijlstra|Terpstra|Bosma
Akkerman|Nieuwenhuis|Huizinga|Oosterhuis|Schuurman|Bruins|Siebelink|Wessels|Mensink|Brinkman|Wijers|Kuijpers
van Gils|Verstappen|Maessen|Hendrikx|Schellekens|Rutten|Coenen|Janssens|Lemmens|Kusters|Smeets|Vossen|Houben
van den Akker|van de Pol|van der Sluis|van der Vlist|van der Horst|van der Molen|van der Berg|van Schaik
de Jonge|de Zwart|de Wolf|de Rooij|de Heer|de Waal|de Beer|de Bakker|de Man|Dirks|Damen|Driessen|Dekkers
Haverkamp|Hoek|Jager|Kaptein|Kempen|Kerkhof|Koenen|Langeveld|Linssen|Luijten|Mathijssen|Moerman|Nelissen
Oomen|Oostveen|Overbeek|Pauwels|Pieters|Plas|Poels|Raaijmakers|Reijnders|Roelofs|Roos|Sluiter|Snijders
Steenbergen|Stevens|Teunissen|Thijssen|Tiemens|van Amstel|van Asten|van Berkel|van Bommel|van Daal|van Eck
van Gelder|van Heerden|van Hulst|van Kempen|van Lier|van Maanen|van Os|van Rossum|van Straaten|van Tol
Veldhuis|Verkerk|Verweij|Vonk|Vroom|Wagenaar|Westra|Wijnen|Witteveen|Zuidema|Yılmaz|Kaya|Demir|Şahin|Çelik
Yıldız|Yıldırım|Öztürk|Aydın|Özdemir|Arslan|Doğan|Kılıç|Aslan|Çetin|Koç|Kurt|Özkan|El Amrani|El Idrissi
Benali|Bouzid|El Khatib|Amrani|Ouali|Boukhari|Azzouzi|El Ouardi|Tahiri|Bakkali|Haddou|Ziani|Mahabier|Ramdin
Sewnath|Jagroep|Ramsaran|Kalloe|Baldewsingh|Sardjoe|Biharie|Soerjan|Kartosen|Pinas|Wijngaarde|Nelom|Tjon
Simons|Tahitu|Latuheru|Pattikawa|Sahetapy|Wattimena|Siahaya|Sopacua|Hehanussa|Pesulima|Nanlohy|Lopulalan
Nguyen|Tran|Pham|Kowalski|Nowak|Wiśniewski|Müller|Schmidt|Ferreira|da Silva|dos Santos|García|López|Dubois
Leclercq|Van Damme|Lefèvre|Brontë|Søndergaard|Ødegaard`
    .split(/[|\n]/)
    .map((s) => s.trim())
    .filter(Boolean);

/** A first name with the sex it is usually given to. */
export interface FirstName {
  name: string;
  sex: "M" | "V";
}

const names = (sex: "M" | "V", list: string): FirstName[] =>
  list
    .split("|")
    .map((name) => name.trim())
    .filter(Boolean)
    .map((name) => ({ name, sex }));

/** First names by decade of birth: formal baptismal names for the oldest, short names for the young. */
export const FIRST_NAMES_BY_ERA: ReadonlyArray<{ from: number; to: number; names: FirstName[] }> = [
  {
    from: 1930,
    to: 1959,
    names: [
      ...names(
        "M",
        "Johannes|Cornelis|Hendrik|Jan|Pieter|Willem|Gerrit|Jacobus|Adrianus|Petrus|Antonius|Theodorus|Dirk|Klaas|Hendrikus|Gerardus|Franciscus|Wilhelmus|Albertus|Kees|Henk|Wim|Joop|Theo|Ahmed|Mohamed|Mehmet|Mustafa|Hasan|Soekarno",
      ),
      ...names(
        "V",
        "Maria|Johanna|Cornelia|Anna|Elisabeth|Hendrika|Wilhelmina|Geertruida|Catharina|Adriana|Petronella|Jacoba|Gerda|Ria|Truus|Annie|Fatima|Ayşe|Hatice|Khadija|Soekarti",
      ),
    ],
  },
  {
    from: 1960,
    to: 1979,
    names: [
      ...names(
        "M",
        "Peter|Marco|Erik|Robert|Richard|Hans|Ronald|Frank|Paul|René|Michel|Edwin|André|Martin|Gerard|Rob|Ruud|Marcel|Arjan|Patrick|Ali|Hüseyin|Rachid|Abdelkader|Rajesh|Ricardo",
      ),
      ...names(
        "V",
        "Monique|Sandra|Linda|Marianne|Ingrid|Petra|Yvonne|Anita|Esther|Wilma|Angelique|Jolanda|Mirjam|Karin|Astrid|Ellen|Saskia|Désirée|Hélène|Samira|Fatma|Naima|Shanti|Dewi",
      ),
    ],
  },
  {
    from: 1980,
    to: 1999,
    names: [
      ...names(
        "M",
        "Mark|Dennis|Kevin|Tim|Jeroen|Bas|Thomas|Rick|Niels|Stefan|Martijn|Joost|Sander|Wouter|Ruben|Jeffrey|Mike|Sven|Youssef|Mohammed|Emre|Burak|Anand|Budi|Koen|Maarten",
      ),
      ...names(
        "V",
        "Laura|Lisa|Kim|Anouk|Sanne|Manon|Iris|Femke|Marieke|Lotte|Eline|Charlotte|Nina|Chantal|Priscilla|Naomi|Zeynep|Elif|Meryem|Hanane|Anjali|Sari|Maaike|Renée",
      ),
    ],
  },
  {
    from: 2000,
    to: 2008,
    names: [
      ...names(
        "M",
        "Daan|Sem|Lucas|Levi|Finn|Milan|Noah|Luuk|Jesse|Thijs|Bram|Stijn|Lars|Jens|Ryan|Mees|Adam|Ayoub|Yusuf|Mert|Rayan|Julian",
      ),
      ...names(
        "V",
        "Emma|Julia|Sophie|Tess|Zoë|Anaïs|Noor|Fenna|Saar|Lieke|Mila|Eva|Isa|Lynn|Fleur|Sara|Yasmina|Ilse|Chloë|Noë|Hira|Amira",
      ),
    ],
  },
];

/** Company name patterns; `{s}` is a surname, `{c}` a city. */
export const COMPANY_PATTERNS: readonly string[] = [
  "Bakkerij {s}",
  "Autobedrijf {s} B.V.",
  "{s} Installatietechniek",
  "Schildersbedrijf {s}",
  "Kapsalon {s}",
  "{s} Advies",
  "Bouwbedrijf {s} & Zn.",
  "Loodgietersbedrijf {s}",
  "Administratiekantoor {s}",
  "Fietsenmaker {s}",
  "{s} Transport B.V.",
  "Hoveniersbedrijf {s}",
  "Café De Gouden Leeuw {c}",
  "Restaurant {s}",
  "{s} & Partners",
  "Slagerij {s}",
];

/**
 * The long tail of Dutch surnames: most people in a real portfolio carry a surname few others share
 * (the Meertens register counts some 300,000 for 17 million people). Composed from a stem and an
 * ending the way many are (`Wester` + `hof`, `Haver` + `kamp`, `Sloot` + `ma`): 48 × 24 names.
 */
const RARE_STEMS =
  "Wester|Ooster|Noorder|Zuider|Haver|Rogge|Tarwe|Linde|Eike|Wilge|Berke|Esse|Heide|Veen|Sloot|Vaart|Brink|Akker|Weide|Klaver|Molen|Schuur|Stal|Kerk|Toren|Steen|Klei|Zand|Water|Brug|Haag|Hoeve|Donk|Rade|Lutte|Wolde|Ganze|Zwane|Reige|Valke|Kraai|Vinke|Spreeuw|Mere|Holte|Bunne|Olde|Ekke".split(
    "|",
  );
const RARE_ENDINGS =
  "hof|kamp|veld|broek|hout|beek|wold|berg|horst|ink|inga|stra|ma|sma|huis|meijer|man|mans|ing|ers|voort|laar|wijk|rade".split(
    "|",
  );

/** The `n`-th composed surname of the long tail (any integer; it wraps). */
export function rareSurname(n: number): string {
  const i = Math.abs(Math.trunc(n)) % (RARE_STEMS.length * RARE_ENDINGS.length);
  return `${RARE_STEMS[i % RARE_STEMS.length]}${RARE_ENDINGS[Math.floor(i / RARE_STEMS.length)]}`;
}
