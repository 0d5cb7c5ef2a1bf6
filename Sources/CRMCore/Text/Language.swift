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
