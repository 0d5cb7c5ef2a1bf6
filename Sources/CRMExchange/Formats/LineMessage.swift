import CRMCore

/// Something found at a line of a file read (1-based), in both languages: a bank statement's
/// warning, an EnterpriseData message's error.
public struct LineMessage: Error, Equatable, Sendable, CustomStringConvertible {
  public let line: Int
  public let en: String
  public let ru: String

  public init(line: Int, en: String, ru: String) {
    self.line = line
    self.en = en
    self.ru = ru
  }

  /// `line 12: …` / `строка 12: …`.
  public func message(_ l: Language) -> String {
    l.pick("line \(line): ", "строка \(line): ") + l.pick(en, ru)
  }

  public var description: String { message(.en) }
}
