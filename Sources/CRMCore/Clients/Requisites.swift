import CPhoneNumber
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

/// Phone numbers: kept as typed and as E.164, read by Google's libphonenumber (CPhoneNumber).
///
/// A number written without its country code is read as dialled in a region (Russia unless an
/// import says otherwise): `8 (495) 123-45-67` is +74951234567, `017623384942` in Germany is
/// +4917623384942, and `00 1 212 555 7777` is +12125557777 from anywhere. Only a number valid
/// in its region gets an E.164 form, so a foreign number is never made Russian; one written with
/// `+` (or an international prefix) and of a possible length keeps the country it names. An
/// extension (`;ext=102`, `x102`, `доб. 12`) stays in the typed text and is reported apart.
public enum PhoneNumber {
  /// The region of numbers written without a country code.
  public static let defaultRegion = "RU"

  public enum Status: Sendable, Equatable {
    /// Not something a phone number can be read from (letters, too few digits).
    case none
    /// A valid number.
    case valid
    /// Written with its country code and of a possible length there, though not in its plan.
    case possible
    /// Digits, but not a valid number in the region it was read for.
    case invalid
  }

  public struct Parsed: Sendable, Equatable {
    public var status: Status
    public var e164: String?
    /// The extension's digits, or "".
    public var ext: String
  }

  /// Reads a phone as typed, dialled in `region` (ISO 3166 code, e.g. "DE").
  public static func parse(_ raw: String, region: String = defaultRegion) -> Parsed {
    var text = raw
    let region = region.uppercased()
    return text.withUTF8 { bytes -> Parsed in
      withUnsafeTemporaryAllocation(of: CChar.self, capacity: 48) { buffer -> Parsed in
        let e164 = buffer.baseAddress!
        let ext = e164 + 24
        let code = bytes.withMemoryRebound(to: CChar.self) { b in
          region.withCString { crm_phone_parse(b.baseAddress, b.count, $0, e164, ext) }
        }
        let status: Status
        switch Int(code) {
        case CRM_PHONE_VALID: status = .valid
        case CRM_PHONE_POSSIBLE: status = .possible
        case CRM_PHONE_INVALID: status = .invalid
        default: status = .none
        }
        let number = e164.pointee == 0 ? nil : String(cString: e164)
        return Parsed(status: status, e164: number, ext: String(cString: ext))
      }
    }
  }

  /// E.164 form of a phone as typed (without its extension), or nil when it is not a valid
  /// number in `region` (see the type's description).
  public static func e164(_ raw: String, region: String) -> String? {
    parse(raw, region: region).e164
  }

  /// The E.164 form of a number dialled in Russia (`defaultRegion`).
  public static func e164(_ raw: String) -> String? { parse(raw).e164 }

  /// True for a region libphonenumber knows (`RU`, `DE`, `US`…), in any letter case.
  public static func isRegion(_ code: String) -> Bool {
    code.count == 2 && code.uppercased().withCString { crm_phone_region_supported($0) } == 1
  }

  /// The country calling code an E.164 number's digits (without `+`) start with: `49` for
  /// `4917623384942`, "" when none.
  public static func countryCode(_ digits: Substring) -> Substring {
    let length = String(digits.prefix(3)).withCString { crm_phone_country_code_length($0) }
    return digits.prefix(Int(length))
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
