import Foundation

/// The language of every visible string. Chosen from the environment, overridable by `--lang`.
public enum Language: String, Sendable, CaseIterable, Codable {
  case en
  case ru

  /// Picks the language the way gettext would: `LC_ALL`, then `LC_MESSAGES`, then `LANG`.
  /// Anything starting with `ru` means Russian; everything else English.
  public static func fromEnvironment(_ env: [String: String]) -> Language {
    for key in ["LC_ALL", "LC_MESSAGES", "LANG"] {
      if let value = env[key], !value.isEmpty {
        return value.lowercased().hasPrefix("ru") ? .ru : .en
      }
    }
    return .en
  }

  /// Parses a `--lang` value; nil when it is neither `en` nor `ru`.
  public init?(argument: String) {
    self.init(rawValue: argument.lowercased())
  }

  /// Chooses between the English and the Russian text.
  @inlinable
  public func pick(_ english: String, _ russian: String) -> String {
    self == .ru ? russian : english
  }
}

/// Formatting of dates and numbers for a language, without depending on the OS locale data
/// (containers usually have only `C.UTF-8`).
public struct Formats: Sendable {
  public let language: Language
  public let timeZone: TimeZone

  public init(language: Language, timeZone: TimeZone = .current) {
    self.language = language
    self.timeZone = timeZone
  }

  private func parts(_ date: Date) -> DateComponents {
    var calendar = Calendar(identifier: .gregorian)
    calendar.timeZone = timeZone
    return calendar.dateComponents([.year, .month, .day, .hour, .minute], from: date)
  }

  private static func two(_ value: Int?) -> String {
    let v = value ?? 0
    return v < 10 ? "0\(v)" : "\(v)"
  }

  /// `22.11.2026` in Russian, `2026-11-22` in English.
  public func date(_ date: Date) -> String {
    let p = parts(date)
    let y = String(p.year ?? 0)
    switch language {
    case .ru: return "\(Self.two(p.day)).\(Self.two(p.month)).\(y)"
    case .en: return "\(y)-\(Self.two(p.month))-\(Self.two(p.day))"
    }
  }

  /// A stored day (`2026-11-22`) as the language writes dates: `22.11.2026` / `2026-11-22`;
  /// text that is not such a day stays as it is.
  public func day(_ iso: String) -> String {
    let p = iso.split(separator: "-", omittingEmptySubsequences: false)
    guard language == .ru, iso.count == 10, p.count == 3, p[0].count == 4, p[1].count == 2,
      p[2].count == 2, p.allSatisfy({ $0.allSatisfy(\.isNumber) })
    else { return iso }
    return "\(p[2]).\(p[1]).\(p[0])"
  }

  /// The date format as a hint in a form: `ДД.ММ.ГГГГ` / `YYYY-MM-DD`.
  public var dayPattern: String { language.pick("YYYY-MM-DD", "ДД.ММ.ГГГГ") }

  /// A day typed by a person, `08.03.1985` or `1985-03-08` in either language → `1985-03-08`;
  /// nil when it is not a real day. The one parser of plain dates in forms.
  public static func parseDay(_ text: String) -> String? {
    CalendarMath.isoDay(text, years: 1...9999)
  }

  /// Day and month for narrow places: `07.12` / `12-07` (the date's format without the year).
  public func dayMonth(_ date: Date) -> String {
    let p = parts(date)
    switch language {
    case .ru: return "\(Self.two(p.day)).\(Self.two(p.month))"
    case .en: return "\(Self.two(p.month))-\(Self.two(p.day))"
    }
  }

  /// Date and time, minutes precision.
  public func dateTime(_ date: Date) -> String {
    let p = parts(date)
    return "\(self.date(date)) \(Self.two(p.hour)):\(Self.two(p.minute))"
  }

  /// Groups thousands: `1 234 567` (ru, with a no-break space) or `1,234,567` (en).
  public func integer(_ value: Int) -> String {
    let digits = String(value.magnitude)
    let separator: Character = language == .ru ? "\u{00A0}" : ","
    var out = ""
    for (i, ch) in digits.enumerated() {
      if i > 0 && (digits.count - i) % 3 == 0 { out.append(separator) }
      out.append(ch)
    }
    return value < 0 ? "-" + out : out
  }
}
