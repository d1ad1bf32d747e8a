/** A Dutch municipality with the postcode areas it really uses and its landline area code. */
export interface City {
  name: string;
  /** Inclusive range of 4-digit postcode areas. */
  postcodes: [number, number];
  /** Netnummer without the trunk zero (`20` for Amsterdam's 020). */
  areaCode: string;
  /** Relative weight (roughly population). */
  weight: number;
}

/** Cities of the Netherlands with their real postcode ranges and area codes. */
export const CITIES: readonly City[] = [
  { name: "Amsterdam", postcodes: [1011, 1109], areaCode: "20", weight: 90 },
  { name: "Rotterdam", postcodes: [3011, 3089], areaCode: "10", weight: 65 },
  { name: "'s-Gravenhage", postcodes: [2491, 2599], areaCode: "70", weight: 55 },
  { name: "Utrecht", postcodes: [3511, 3585], areaCode: "30", weight: 36 },
  { name: "Eindhoven", postcodes: [5611, 5658], areaCode: "40", weight: 24 },
  { name: "Groningen", postcodes: [9711, 9747], areaCode: "50", weight: 24 },
  { name: "Tilburg", postcodes: [5011, 5049], areaCode: "13", weight: 23 },
  { name: "Almere", postcodes: [1311, 1364], areaCode: "36", weight: 22 },
  { name: "Breda", postcodes: [4811, 4839], areaCode: "76", weight: 19 },
  { name: "Nijmegen", postcodes: [6511, 6546], areaCode: "24", weight: 18 },
  { name: "Apeldoorn", postcodes: [7311, 7339], areaCode: "55", weight: 17 },
  { name: "Haarlem", postcodes: [2011, 2037], areaCode: "23", weight: 17 },
  { name: "Arnhem", postcodes: [6811, 6846], areaCode: "26", weight: 16 },
  { name: "Enschede", postcodes: [7511, 7548], areaCode: "53", weight: 16 },
  { name: "Amersfoort", postcodes: [3811, 3829], areaCode: "33", weight: 16 },
  { name: "Zaandam", postcodes: [1501, 1509], areaCode: "75", weight: 8 },
  { name: "'s-Hertogenbosch", postcodes: [5211, 5237], areaCode: "73", weight: 16 },
  { name: "Zwolle", postcodes: [8011, 8043], areaCode: "38", weight: 13 },
  { name: "Leiden", postcodes: [2311, 2334], areaCode: "71", weight: 12 },
  { name: "Maastricht", postcodes: [6211, 6229], areaCode: "43", weight: 12 },
  { name: "Dordrecht", postcodes: [3311, 3329], areaCode: "78", weight: 12 },
  { name: "Leeuwarden", postcodes: [8911, 8939], areaCode: "58", weight: 12 },
  { name: "Delft", postcodes: [2611, 2629], areaCode: "15", weight: 10 },
  { name: "Alkmaar", postcodes: [1811, 1827], areaCode: "72", weight: 10 },
  { name: "Deventer", postcodes: [7411, 7429], areaCode: "570", weight: 10 },
  { name: "Venlo", postcodes: [5911, 5928], areaCode: "77", weight: 10 },
  { name: "Hilversum", postcodes: [1211, 1223], areaCode: "35", weight: 9 },
  { name: "Heerlen", postcodes: [6411, 6422], areaCode: "45", weight: 9 },
  { name: "Gouda", postcodes: [2801, 2809], areaCode: "182", weight: 7 },
  { name: "Emmen", postcodes: [7811, 7833], areaCode: "591", weight: 10 },
  { name: "Lelystad", postcodes: [8211, 8245], areaCode: "320", weight: 8 },
  { name: "Assen", postcodes: [9401, 9409], areaCode: "592", weight: 7 },
  { name: "Middelburg", postcodes: [4331, 4339], areaCode: "118", weight: 5 },
  { name: "Roermond", postcodes: [6041, 6049], areaCode: "475", weight: 6 },
  { name: "Den Helder", postcodes: [1781, 1789], areaCode: "223", weight: 5 },
  { name: "Hoorn", postcodes: [1621, 1628], areaCode: "229", weight: 7 },
  { name: "Oss", postcodes: [5341, 5351], areaCode: "412", weight: 7 },
  { name: "Helmond", postcodes: [5701, 5709], areaCode: "492", weight: 9 },
  { name: "Ede", postcodes: [6711, 6718], areaCode: "318", weight: 9 },
  { name: "Veenendaal", postcodes: [3901, 3907], areaCode: "318", weight: 6 },
];

/** Street names as they recur in almost every Dutch town. */
export const STREETS: readonly string[] =
  `Kerkstraat|Schoolstraat|Molenweg|Dorpsstraat|Stationsweg|Julianastraat|Wilhelminastraat
Beatrixstraat|Nieuwstraat|Markt|Hoofdstraat|Molenstraat|Parallelweg|Industrieweg|Kastanjelaan|Eikenlaan
Lindelaan|Beukenlaan|Prins Bernhardlaan|Oranjestraat|Sportlaan|Veldweg|Zandweg|Emmastraat|Willem de Zwijgerlaan
Dr. Schaepmanstraat|Van Goghstraat|Rembrandtlaan|Vondelstraat|Populierenlaan|Esdoornlaan|Merelstraat
Lijsterstraat|Meidoornstraat|Tulpstraat|Rozenstraat|Irisstraat|Burgemeester de Withstraat|Koningin Julianaplein
Prinses Irenestraat|Van 't Hoffstraat|Jan van Galenstraat|Piet Heinstraat|Michiel de Ruyterweg|Tuinstraat
Spoorstraat|Havenstraat|Kanaalweg|Dijkstraat|Achterweg|Slotlaan|Kloosterstraat|Pastoor van Arskerkstraat
Hendrik Kraemerpark|Anne Frankstraat|Thorbeckelaan|Vermeerstraat|Frans Halsstraat|Mozartlaan|Beethovenstraat
Zonnebloemstraat|Klaprooslaan|Heideweg|Bosweg|Ringweg|Nieuwe Gracht|Oude Gracht|Herengracht|Keizersgracht
Hoogstraat|Lange Nieuwstraat|Korte Kerkstraat|Groenstraat|Ericastraat|Wilgenlaan|Berkenlaan|Elzenlaan`
    .split(/[|\n]/)
    .map((s) => s.trim())
    .filter(Boolean);

/** E-mail domains in Dutch use. */
export const EMAIL_DOMAINS: readonly string[] = [
  "gmail.com",
  "hotmail.com",
  "outlook.com",
  "live.nl",
  "ziggo.nl",
  "kpnmail.nl",
  "planet.nl",
  "xs4all.nl",
  "home.nl",
  "hetnet.nl",
  "icloud.com",
  "yahoo.com",
];
