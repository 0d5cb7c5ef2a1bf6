import CRMCore
import Foundation

/// Amounts in words as Russian invoices and acts print them under the totals: «Сто двадцать
/// тысяч рублей 00 копеек», «Две тысячи один рубль 01 копейка». Thousands are feminine (одна
/// тысяча, две тысячи), roubles masculine; every noun agrees with its number (1 рубль, 2 рубля,
/// 5 рублей, 11 рублей, 21 рубль).
public enum AmountInWords {
  /// The names of a currency's whole and minor units as Russian (one/few/many) and English
  /// (singular/plural) documents print them; `feminine` for nouns that take «одна», «две».
  public struct Units: Sendable {
    public var one: String
    public var few: String
    public var many: String
    public var feminine: Bool
    public var minor: (one: String, few: String, many: String)
    public var english: (one: String, many: String, minorOne: String, minorMany: String)
  }

  /// The currencies whose names documents print in words; any other prints its ISO code.
  public static let currencyUnits: [String: Units] = [
    "RUB": Units(
      one: "рубль", few: "рубля", many: "рублей", feminine: false,
      minor: ("копейка", "копейки", "копеек"),
      english: ("rouble", "roubles", "kopeck", "kopecks")),
    "USD": Units(
      one: "доллар США", few: "доллара США", many: "долларов США", feminine: false,
      minor: ("цент", "цента", "центов"), english: ("US dollar", "US dollars", "cent", "cents")),
    "EUR": Units(
      one: "евро", few: "евро", many: "евро", feminine: false,
      minor: ("евроцент", "евроцента", "евроцентов"), english: ("euro", "euros", "cent", "cents")),
    "CNY": Units(
      one: "юань", few: "юаня", many: "юаней", feminine: false, minor: ("фэнь", "фэня", "фэней"),
      english: ("yuan", "yuan", "fen", "fen")),
    "KZT": Units(
      one: "тенге", few: "тенге", many: "тенге", feminine: false,
      minor: ("тиын", "тиына", "тиынов"), english: ("tenge", "tenge", "tiyn", "tiyn")),
    "BYN": Units(
      one: "белорусский рубль", few: "белорусских рубля", many: "белорусских рублей",
      feminine: false, minor: ("копейка", "копейки", "копеек"),
      english: ("Belarusian rouble", "Belarusian roubles", "kopeck", "kopecks")),
    "GBP": Units(
      one: "фунт стерлингов", few: "фунта стерлингов", many: "фунтов стерлингов",
      feminine: false, minor: ("пенс", "пенса", "пенсов"),
      english: ("pound sterling", "pounds sterling", "penny", "pence")),
    "CHF": Units(
      one: "швейцарский франк", few: "швейцарских франка", many: "швейцарских франков",
      feminine: false, minor: ("сантим", "сантима", "сантимов"),
      english: ("Swiss franc", "Swiss francs", "centime", "centimes")),
    "TRY": Units(
      one: "турецкая лира", few: "турецкие лиры", many: "турецких лир", feminine: true,
      minor: ("куруш", "куруша", "курушей"),
      english: ("Turkish lira", "Turkish liras", "kuruş", "kuruş")),
    "JPY": Units(
      one: "иена", few: "иены", many: "иен", feminine: true, minor: ("", "", ""),
      english: ("yen", "yen", "", "")),
  ]

  /// The amount in words as a document prints it under the totals, in the document's currency:
  /// «Сто двадцать тысяч рублей 00 копеек», «Одна тысяча пятьсот долларов США 00 центов»; in
  /// English «One hundred twenty thousand roubles 00 kopecks». A currency without names here
  /// prints in digits with its ISO code (`1 500,00 AED`).
  public static func text(_ m: Money, language l: Language) -> String {
    guard let u = currencyUnits[m.currency.code] else {
      // `formatted` ends in a no-break space and the sign: put the code in the sign's place.
      let text = m.formatted(l)
      return String(text.dropLast(m.currency.symbol.count)) + m.currency.code
    }
    var scale: UInt64 = 1
    for _ in 0..<m.currency.minorDigits { scale *= 10 }
    let whole = m.minor.magnitude / scale
    let minor = m.minor.magnitude % scale
    var words: String
    if l == .ru {
      words =
        (m.minor < 0 ? "минус " : "") + number(whole, feminine: u.feminine) + " "
        + plural(whole, u.one, u.few, u.many)
    } else {
      words =
        (m.minor < 0 ? "minus " : "") + english(whole) + " "
        + (whole == 1 ? u.english.one : u.english.many)
    }
    words = words.prefix(1).uppercased() + words.dropFirst()
    guard m.currency.minorDigits > 0 else { return words }
    let digits = String(minor)
    let padded = String(repeating: "0", count: m.currency.minorDigits - digits.count) + digits
    let noun =
      l == .ru
      ? plural(minor, u.minor.one, u.minor.few, u.minor.many)
      : (minor == 1 ? u.english.minorOne : u.english.minorMany)
    return words + " " + padded + " " + noun
  }

  /// `12000001` kopecks → «Сто двадцать тысяч рублей 01 копейка»: the roubles in words with a
  /// capital letter, the kopecks in two digits.
  public static func roubles(_ minor: Int64) -> String {
    text(Money(minor: minor, currency: .rub), language: .ru)
  }

  /// A whole number in English words, lower case: «one million two hundred thirty-four
  /// thousand five hundred sixty-seven».
  public static func english(_ n: UInt64) -> String {
    if n == 0 { return "zero" }
    let ones = [
      "", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
      "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen",
      "nineteen",
    ]
    let tens = [
      "", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety",
    ]
    let scales = ["", "thousand", "million", "billion", "trillion", "quadrillion", "quintillion"]
    func triple(_ v: Int) -> [String] {
      var out: [String] = []
      if v >= 100 { out += [ones[v / 100], "hundred"] }
      let r = v % 100
      if r >= 20 {
        out.append(r % 10 == 0 ? tens[r / 10] : tens[r / 10] + "-" + ones[r % 10])
      } else if r > 0 {
        out.append(ones[r])
      }
      return out
    }
    var groups: [Int] = []
    var rest = n
    while rest > 0 {
      groups.append(Int(rest % 1000))
      rest /= 1000
    }
    var words: [String] = []
    for (scale, g) in groups.enumerated().reversed() where g > 0 {
      words += triple(g)
      if scale > 0 { words.append(scales[scale]) }
    }
    return words.joined(separator: " ")
  }

  /// A whole number in Russian words, lower case: «ноль», «двадцать один», «одна тысяча
  /// один» (`feminine`: «одна», «две» for the last group, as in «двадцать одна копейка»).
  public static func number(_ n: UInt64, feminine: Bool = false) -> String {
    if n == 0 { return "ноль" }
    var groups: [UInt64] = []
    var rest = n
    while rest > 0 {
      groups.append(rest % 1000)
      rest /= 1000
    }
    var words: [String] = []
    for (scale, group) in groups.enumerated().reversed() where group > 0 {
      let fem = scale == 0 ? feminine : scale == 1
      words += triple(group, feminine: fem)
      if scale > 0 {
        let s = scales[scale - 1]
        words.append(plural(group, s.one, s.few, s.many))
      }
    }
    return words.joined(separator: " ")
  }

  /// The form of a noun after `n`: 1, 21, 101 → `one`; 2–4, 22–24 → `few`; 0, 5–20, 25… →
  /// `many` (11–14 always `many`).
  public static func plural(_ n: UInt64, _ one: String, _ few: String, _ many: String) -> String {
    let tens = n % 100
    if (11...14).contains(tens) { return many }
    switch n % 10 {
    case 1: return one
    case 2, 3, 4: return few
    default: return many
    }
  }

  static let units = [
    "", "один", "два", "три", "четыре", "пять", "шесть", "семь", "восемь", "девять",
  ]
  static let teens = [
    "десять", "одиннадцать", "двенадцать", "тринадцать", "четырнадцать", "пятнадцать",
    "шестнадцать", "семнадцать", "восемнадцать", "девятнадцать",
  ]
  static let tens = [
    "", "", "двадцать", "тридцать", "сорок", "пятьдесят", "шестьдесят", "семьдесят",
    "восемьдесят", "девяносто",
  ]
  static let hundreds = [
    "", "сто", "двести", "триста", "четыреста", "пятьсот", "шестьсот", "семьсот", "восемьсот",
    "девятьсот",
  ]
  static let scales: [(one: String, few: String, many: String)] = [
    ("тысяча", "тысячи", "тысяч"), ("миллион", "миллиона", "миллионов"),
    ("миллиард", "миллиарда", "миллиардов"), ("триллион", "триллиона", "триллионов"),
    ("квадриллион", "квадриллиона", "квадриллионов"),
    ("квинтиллион", "квинтиллиона", "квинтиллионов"),
  ]

  /// 1…999 in words.
  static func triple(_ n: UInt64, feminine: Bool) -> [String] {
    var out: [String] = []
    let h = Int(n / 100)
    let t = Int(n / 10 % 10)
    let u = Int(n % 10)
    if h > 0 { out.append(hundreds[h]) }
    if t == 1 {
      out.append(teens[u])
      return out
    }
    if t > 1 { out.append(tens[t]) }
    if u > 0 {
      out.append(feminine && u == 1 ? "одна" : feminine && u == 2 ? "две" : units[u])
    }
    return out
  }
}
