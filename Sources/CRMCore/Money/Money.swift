import Foundation

/// An ISO 4217 currency this build knows: its code, the number of minor-unit digits and the sign
/// people write after an amount.
public struct Currency: Equatable, Hashable, Sendable {
  public let code: String
  public let minorDigits: Int
  public let symbol: String

  /// Currencies a Russian sales team meets; amounts in any other code are refused with this list.
  public static let known: [Currency] = [
    Currency(code: "RUB", minorDigits: 2, symbol: "₽"),
    Currency(code: "USD", minorDigits: 2, symbol: "$"),
    Currency(code: "EUR", minorDigits: 2, symbol: "€"),
    Currency(code: "CNY", minorDigits: 2, symbol: "¥"),
    Currency(code: "KZT", minorDigits: 2, symbol: "₸"),
    Currency(code: "BYN", minorDigits: 2, symbol: "Br"),
    Currency(code: "UZS", minorDigits: 2, symbol: "сум"),
    Currency(code: "AMD", minorDigits: 2, symbol: "֏"),
    Currency(code: "KGS", minorDigits: 2, symbol: "сом"),
    Currency(code: "TRY", minorDigits: 2, symbol: "₺"),
    Currency(code: "AED", minorDigits: 2, symbol: "AED"),
    Currency(code: "GBP", minorDigits: 2, symbol: "£"),
    Currency(code: "CHF", minorDigits: 2, symbol: "CHF"),
    Currency(code: "INR", minorDigits: 2, symbol: "₹"),
    Currency(code: "JPY", minorDigits: 0, symbol: "¥"),
  ]

  public static let rub = known[0]

  /// The currency with this code (any case); nil when unknown.
  public static func named(_ code: String) -> Currency? {
    let upper = code.trimmingCharacters(in: .whitespaces).uppercased()
    return known.first { $0.code == upper }
  }

  /// A known currency or an `.invalid` error that lists the known codes.
  public static func parse(_ code: String, language l: Language, field: String) throws(CRMError)
    -> Currency
  {
    if let c = named(code) { return c }
    let list = known.map(\.code).joined(separator: ", ")
    throw .invalid(
      field: field,
      problem: l.pick(
        "unknown currency «\(code)»; use an ISO 4217 code: \(list)",
        "неизвестная валюта «\(code)»; укажите код ISO 4217: \(list)"))
  }

  var scale: Int64 {
    var s: Int64 = 1
    for _ in 0..<minorDigits { s *= 10 }
    return s
  }
}

/// An amount of money in integer minor units (kopecks, cents) of one currency. Never a Double.
public struct Money: Equatable, Hashable, Sendable {
  public var minor: Int64
  public var currency: Currency

  public init(minor: Int64, currency: Currency = .rub) {
    self.minor = minor
    self.currency = currency
  }

  /// Reads an amount as people type it: `1000`, `1000.50`, `1 000,50`, `1\u{00A0}000`,
  /// `1,000.50`, `12 500 ₽`. Negative, non-numeric amounts, more fraction digits than the
  /// currency has and amounts over 10^13 are refused with a message naming `field`.
  public static func parse(
    _ text: String, currency: Currency = .rub, language l: Language, field: String,
    allowNegative: Bool = false
  ) throws(CRMError) -> Money {
    func fail(_ en: String, _ ru: String) -> CRMError {
      .invalid(field: field, problem: l.pick(en, ru))
    }
    var s = text.trimmingCharacters(in: .whitespaces)
    let signs =
      currency.code == "RUB"
      ? [currency.symbol, currency.code, "руб.", "руб", "р.", "р"]
      : [currency.symbol, currency.code]
    for sign in signs {
      if !sign.isEmpty, s.lowercased().hasSuffix(sign.lowercased()) {
        s = String(s.dropLast(sign.count)).trimmingCharacters(in: .whitespaces)
      }
    }
    guard !s.isEmpty else {
      throw fail(
        "is empty; type an amount such as 1000.00", "пусто; укажите сумму, например 1000,00")
    }
    var negative = false
    if s.hasPrefix("-") || s.hasPrefix("−") {
      negative = true
      s.removeFirst()
    }
    if negative && !allowNegative {
      throw fail(
        "«\(text)»: an amount cannot be negative", "«\(text)»: сумма не может быть отрицательной")
    }
    // Drop group separators: spaces, no-break spaces, apostrophes; decide the decimal mark.
    s = String(s.filter { !($0 == " " || $0 == "\u{00A0}" || $0 == "\u{202F}" || $0 == "'") })
    let commas = s.filter { $0 == "," }.count
    let dots = s.filter { $0 == "." }.count
    var integerPart = s
    var fraction = ""
    func split(_ mark: Character) {
      let pieces = s.split(separator: mark, omittingEmptySubsequences: false)
      integerPart = String(pieces[0])
      fraction = pieces.count > 1 ? String(pieces[1]) : ""
    }
    let unreadable = fail(
      "cannot read «\(text)» as an amount; type digits with an optional decimal part, e.g. 1000.00",
      "не удаётся прочитать «\(text)» как сумму; укажите цифры и, если нужно, копейки: 1000,00")
    if commas > 0 && dots > 0 {
      // 1,000.50 or 1.000,50: the last mark is the decimal one, the other groups thousands.
      let lastComma = s.lastIndex(of: ",")!
      let lastDot = s.lastIndex(of: ".")!
      let (group, mark): (Character, Character) = lastComma > lastDot ? (".", ",") : (",", ".")
      guard s.filter({ $0 == mark }).count == 1 else { throw unreadable }
      s = String(s.filter { $0 != group })
      split(mark)
    } else if commas + dots > 1 {
      // 1.000.000 or 1,000,000: groups only.
      let mark: Character = commas > 0 ? "," : "."
      let groups = s.split(separator: mark, omittingEmptySubsequences: false)
      guard groups.dropFirst().allSatisfy({ $0.count == 3 }) else { throw unreadable }
      s = String(s.filter { $0 != mark })
      integerPart = s
    } else if commas + dots == 1 {
      split(commas == 1 ? "," : ".")
    }
    guard !integerPart.isEmpty || !fraction.isEmpty,
      integerPart.allSatisfy({ $0.isASCII && $0.isNumber }),
      fraction.allSatisfy({ $0.isASCII && $0.isNumber })
    else { throw unreadable }
    if fraction.count > currency.minorDigits {
      throw fail(
        "«\(text)»: \(currency.code) has \(currency.minorDigits) digits after the decimal mark",
        "«\(text)»: у \(currency.code) \(currency.minorDigits) знака после запятой")
    }
    guard integerPart.count <= 13 else {
      throw fail("«\(text)» is too large", "«\(text)» — слишком большая сумма")
    }
    let whole = Int64(integerPart.isEmpty ? "0" : integerPart)!
    let padded = fraction.padding(toLength: currency.minorDigits, withPad: "0", startingAt: 0)
    let minor = whole * currency.scale + (padded.isEmpty ? 0 : Int64(padded)!)
    return Money(minor: negative ? -minor : minor, currency: currency)
  }

  /// `1000.50` (a dot, no grouping): for files, JSON and the command line.
  public var plain: String {
    let scale = currency.scale
    let sign = minor < 0 ? "-" : ""
    let m = minor.magnitude
    guard currency.minorDigits > 0 else { return sign + String(m) }
    let frac = String(m % UInt64(scale))
    return sign + String(m / UInt64(scale)) + "."
      + String(repeating: "0", count: currency.minorDigits - frac.count) + frac
  }

  /// `1 000,50 ₽` (ru) or `1,000.50 ₽` (en); `whole` drops the minor units (rounded half up) for
  /// narrow columns: `1 001 ₽`.
  public func formatted(_ l: Language, whole: Bool = false) -> String {
    let f = Formats(language: l)
    let scale = currency.scale
    let m = minor.magnitude
    var integer = m / UInt64(scale)
    var frac = m % UInt64(scale)
    if whole {
      if frac * 2 >= UInt64(scale) { integer += 1 }
      frac = 0
    }
    var text = f.integer(Int(integer))
    if !whole && currency.minorDigits > 0 {
      let digits = String(frac)
      text +=
        (l == .ru ? "," : ".") + String(repeating: "0", count: currency.minorDigits - digits.count)
        + digits
    }
    return (minor < 0 ? "-" : "") + text + "\u{00A0}" + currency.symbol
  }

  /// Short form for kanban cards and totals: `950`, `12,5 тыс.`, `1,2 млн` (en: `12.5k`,
  /// `1.2M`), with the currency sign.
  public func compact(_ l: Language) -> String {
    let units = Double(minor) / Double(currency.scale)
    let a = abs(units)
    let mark = l == .ru ? "," : "."
    func one(_ v: Double) -> String {
      let tenths = Int((v * 10).rounded())
      if tenths % 10 == 0 || tenths >= 1000 { return String(tenths / 10) }
      return "\(tenths / 10)\(mark)\(tenths % 10)"
    }
    let body: String
    if a >= 1e9 {
      body = one(a / 1e9) + l.pick("B", "\u{00A0}млрд")
    } else if a >= 1e6 {
      body = one(a / 1e6) + l.pick("M", "\u{00A0}млн")
    } else if a >= 1e4 {
      body = one(a / 1e3) + l.pick("k", "\u{00A0}тыс.")
    } else {
      body = Formats(language: l).integer(Int(a.rounded()))
    }
    return (units < 0 ? "-" : "") + body + "\u{00A0}" + currency.symbol
  }
}
