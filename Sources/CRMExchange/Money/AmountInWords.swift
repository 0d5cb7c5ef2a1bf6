import CRMCore
import Foundation

/// Amounts in words as Russian invoices and acts print them under the totals: «Сто двадцать
/// тысяч рублей 00 копеек», «Две тысячи один рубль 01 копейка». Thousands are feminine (одна
/// тысяча, две тысячи), roubles masculine; every noun agrees with its number (1 рубль, 2 рубля,
/// 5 рублей, 11 рублей, 21 рубль).
public enum AmountInWords {
  /// The amount as a document prints it: in Russian words for roubles in Russian; otherwise in
  /// digits with the ISO code (`1 500,00 USD`, `120,000.00 RUB`).
  public static func text(_ m: Money, language l: Language) -> String {
    if l == .ru, m.currency.code == "RUB" { return roubles(m.minor) }
    // `formatted` ends in a no-break space and the sign: put the code in the sign's place.
    let text = m.formatted(l)
    return String(text.dropLast(m.currency.symbol.count)) + m.currency.code
  }

  /// `12000001` kopecks → «Сто двадцать тысяч рублей 01 копейка»: the roubles in words with a
  /// capital letter, the kopecks in two digits.
  public static func roubles(_ minor: Int64) -> String {
    let whole = minor.magnitude / 100
    let kopecks = minor.magnitude % 100
    let words = (minor < 0 ? "минус " : "") + number(whole)
    return words.prefix(1).uppercased() + words.dropFirst() + " "
      + plural(whole, "рубль", "рубля", "рублей") + " "
      + (kopecks < 10 ? "0" : "") + String(kopecks) + " "
      + plural(kopecks, "копейка", "копейки", "копеек")
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
