import Foundation

/// Check-digit rules for Russian company requisites (see `shared/reference/requisites.md`).
/// Every function takes the value as the user typed it, trimmed of surrounding spaces.
public enum Requisites {
  static func digits(_ s: String) -> [Int]? {
    var out: [Int] = []
    out.reserveCapacity(s.utf8.count)
    for b in s.utf8 {
      guard b >= 48 && b <= 57 else { return nil }
      out.append(Int(b - 48))
    }
    return out
  }

  static func weighted(_ d: [Int], _ weights: [Int]) -> Int {
    var sum = 0
    for (i, w) in weights.enumerated() { sum += d[i] * w }
    return sum % 11 % 10
  }

  /// ИНН: 10 digits for a legal entity, 12 for a person or sole trader.
  public static func isValidINN(_ s: String) -> Bool {
    guard let d = digits(s) else { return false }
    switch d.count {
    case 10:
      return weighted(d, [2, 4, 10, 3, 5, 9, 4, 6, 8]) == d[9]
    case 12:
      return weighted(d, [7, 2, 4, 10, 3, 5, 9, 4, 6, 8]) == d[10]
        && weighted(d, [3, 7, 2, 4, 10, 3, 5, 9, 4, 6, 8]) == d[11]
    default:
      return false
    }
  }

  /// КПП: four digits, two digits or capital Latin letters, three digits.
  public static func isValidKPP(_ s: String) -> Bool {
    let u = Array(s.utf8)
    guard u.count == 9 else { return false }
    for (i, b) in u.enumerated() {
      let isDigit = b >= 48 && b <= 57
      let isUpper = b >= 65 && b <= 90
      if i == 4 || i == 5 {
        if !(isDigit || isUpper) { return false }
      } else if !isDigit {
        return false
      }
    }
    return true
  }

  /// Remainder of a decimal number given as digits, without overflow.
  static func remainder(_ d: ArraySlice<Int>, _ m: Int) -> Int {
    d.reduce(0) { ($0 * 10 + $1) % m }
  }

  /// ОГРН (13 digits) of a legal entity or ОГРНИП (15 digits) of a sole trader.
  public static func isValidOGRN(_ s: String) -> Bool {
    guard let d = digits(s) else { return false }
    switch d.count {
    case 13: return remainder(d[0..<12], 11) % 10 == d[12]
    case 15: return remainder(d[0..<14], 13) % 10 == d[14]
    default: return false
    }
  }

  /// БИК: nine digits.
  public static func isValidBIK(_ s: String) -> Bool {
    guard let d = digits(s) else { return false }
    return d.count == 9
  }

  static func accountChecksumOK(prefix: [Int], account: [Int]) -> Bool {
    let all = prefix + account
    let weights = [7, 1, 3]
    var sum = 0
    for (i, digit) in all.enumerated() { sum += (digit * weights[i % 3]) % 10 }
    return sum % 10 == 0
  }

  /// Settlement account (р/с): 20 digits, keyed with БИК digits 7–9.
  public static func isValidSettlementAccount(_ account: String, bik: String) -> Bool {
    guard let a = digits(account), a.count == 20, let b = digits(bik), b.count == 9 else {
      return false
    }
    return accountChecksumOK(prefix: Array(b[6..<9]), account: a)
  }

  /// Correspondent account (к/с): 20 digits, keyed with "0" + БИК digits 5–6.
  public static func isValidCorrespondentAccount(_ account: String, bik: String) -> Bool {
    guard let a = digits(account), a.count == 20, let b = digits(bik), b.count == 9 else {
      return false
    }
    return accountChecksumOK(prefix: [0] + Array(b[4..<6]), account: a)
  }

  /// Appends the check digit(s) that make `body` a valid ИНН (9 digits → 10, 10 → 12).
  public static func completeINN(_ body: [Int]) -> String {
    var d = body
    if d.count == 9 {
      d.append(weighted(d, [2, 4, 10, 3, 5, 9, 4, 6, 8]))
    } else {
      d.append(weighted(d, [7, 2, 4, 10, 3, 5, 9, 4, 6, 8]))
      d.append(weighted(d, [3, 7, 2, 4, 10, 3, 5, 9, 4, 6, 8]))
    }
    return d.map(String.init).joined()
  }

  /// Appends the check digit to 12 (ОГРН) or 14 (ОГРНИП) digits.
  public static func completeOGRN(_ body: [Int]) -> String {
    let m = body.count == 12 ? 11 : 13
    return (body + [remainder(body[...], m) % 10]).map(String.init).joined()
  }

  /// Finds the control digit (position 9, zero-based 8) that makes a 20-digit account valid.
  public static func completeAccount(_ body: [Int], prefix: [Int]) -> String {
    for k in 0...9 {
      var a = body
      a[8] = k
      if accountChecksumOK(prefix: prefix, account: a) { return a.map(String.init).joined() }
    }
    return body.map(String.init).joined()
  }
}

/// Phone numbers: kept as typed and as E.164.
public enum PhoneNumber {
  /// E.164 form of a phone as typed, or nil when it cannot be a phone number.
  /// Russian national forms (`8 495…`, `495…`) become `+7…`; other `+` numbers keep their country code.
  public static func e164(_ raw: String) -> String? {
    var main = Substring(raw)
    // An extension ("доб. 123", "ext 5", "#7") is kept in the typed text only.
    if raw.unicodeScalars.contains(where: { $0 == "#" || $0.properties.isAlphabetic }) {
      for marker in ["доб", "ext", "#"] {
        if let r = main.range(of: marker, options: .caseInsensitive) {
          main = main[..<r.lowerBound]
        }
      }
    }
    var digits = ""
    var plus = false
    for scalar in main.unicodeScalars {
      switch scalar {
      case "0"..."9": digits.unicodeScalars.append(scalar)
      case "+" where digits.isEmpty && !plus: plus = true
      case " ", "(", ")", "-", ".", "/", "\u{00A0}": continue
      default: return nil
      }
    }
    if plus {
      return (8...15).contains(digits.utf8.count) ? "+" + digits : nil
    }
    if digits.utf8.count == 11 && (digits.hasPrefix("8") || digits.hasPrefix("7")) {
      return "+7" + digits.dropFirst()
    }
    if digits.utf8.count == 10 { return "+7" + digits }
    return nil
  }
}

/// E-mail addresses: one `@`, a dot in the domain, no spaces.
public enum EmailAddress {
  public static func isValid(_ s: String) -> Bool {
    let parts = s.split(separator: "@", omittingEmptySubsequences: false)
    guard parts.count == 2, !parts[0].isEmpty else { return false }
    let domain = parts[1]
    guard !s.contains(where: { $0.isWhitespace || $0.isNewline }) else { return false }
    guard let dot = domain.firstIndex(of: "."), dot != domain.startIndex,
      domain.last != "."
    else { return false }
    return true
  }
}
