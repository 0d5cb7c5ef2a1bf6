import Foundation

/// A client's name as people type it, split into the legal form and the bare name: `ООО
/// "Технопарк Северный"`, `ООО «Технопарк Северный»` and `Общество с ограниченной
/// ответственностью «Технопарк Северный»` are all the form ООО and the name Технопарк Северный.
/// The name is stored without the quotes around it; `Client.displayName` adds guillemets once.
public enum ClientName {
  /// Russian legal forms as written in the legal-form field, longest first.
  static let shortForms = [
    "ФГУП", "ФГБУ", "ООО", "ОАО", "ЗАО", "ПАО", "НАО", "НКО", "АНО", "ГУП", "МУП", "ТОО", "ОДО",
    "КФХ", "АО", "ИП", "ЧП",
  ]
  /// Forms written out, and their abbreviation.
  static let longForms: [(String, String)] = [
    ("общество с ограниченной ответственностью", "ООО"),
    ("публичное акционерное общество", "ПАО"),
    ("непубличное акционерное общество", "НАО"),
    ("закрытое акционерное общество", "ЗАО"),
    ("открытое акционерное общество", "ОАО"),
    ("акционерное общество", "АО"),
    ("индивидуальный предприниматель", "ИП"),
  ]
  /// Opening quotes and the closing quote each expects.
  static let pairs: [Character: Character] = [
    "«": "»", "\"": "\"", "„": "“", "“": "”", "”": "”", "'": "'", "‘": "’", "‹": "›",
  ]

  /// The form and the bare name. A form already in the form field is kept; a form typed at the
  /// start of the name is moved there when the field is empty (or holds the same form). Quotes
  /// around the whole name are removed, however many; quotes inside it stay (`Фирма «Лютик»`).
  public static func normalize(name: String, legalForm: String) -> (
    name: String, legalForm: String
  ) {
    var n = name.trimmingSpaces()
    var form = legalForm.trimmingSpaces()
    if let (typed, rest) = leadingForm(n), form.isEmpty || form.uppercased() == typed {
      let bare = unquoted(rest)
      if !bare.isEmpty {
        form = typed
        n = rest
      }
    }
    n = unquoted(n)
    return (n, form)
  }

  /// `ООО "Ромашка"` → ("ООО", `"Ромашка"`): a known form (any case) followed by a space or a
  /// quote and more text.
  static func leadingForm(_ s: String) -> (String, String)? {
    let lower = s.lowercased()
    for (long, short) in longForms where lower.hasPrefix(long) {
      let rest = s.dropFirst(long.count)
      if let next = rest.first, next == " " || pairs[next] != nil {
        return (short, String(rest).trimmingSpaces())
      }
    }
    for short in shortForms where lower.hasPrefix(short.lowercased()) {
      let rest = s.dropFirst(short.count)
      // The form must be written as such: `ООО Ромашка`, `ооо "Ромашка"`; not `Аорта`.
      guard let next = rest.first, next == " " || pairs[next] != nil else { continue }
      let head = s.prefix(short.count)
      guard head == short || head == short.lowercased() else { continue }
      return (short, String(rest).trimmingSpaces())
    }
    return nil
  }

  /// The text without the quotes that wrap all of it (`««Ромашка»»` → `Ромашка`); `«А» и «Б»`
  /// stays as it is.
  public static func unquoted(_ s: String) -> String {
    var t = s.trimmingSpaces()
    while t.count >= 2, let first = t.first, let close = pairs[first], t.last == close,
      wraps(t)
    {
      t = String(t.dropFirst().dropLast()).trimmingSpaces()
    }
    return t
  }

  /// Whether the first character's quote closes at the very end: nesting counted for «» and
  /// „“; a straight (same-character) quote inside closes before a space, a quote, punctuation or
  /// the end, and opens otherwise.
  static func wraps(_ t: String) -> Bool {
    let chars = Array(t)
    let open = chars[0]
    let close = pairs[open]!
    var depth = 0
    for (i, ch) in chars.enumerated() {
      let opens: Bool
      let closes: Bool
      if open == close {
        guard ch == open else { continue }
        let next: Character? = i + 1 < chars.count ? chars[i + 1] : nil
        closes = i > 0 && (next.map { !($0.isLetter || $0.isNumber) } ?? true)
        opens = !closes
      } else {
        opens = ch == open
        closes = ch == close
      }
      if opens {
        depth += 1
      } else if closes {
        depth -= 1
        if depth == 0 { return i == chars.count - 1 }
        if depth < 0 { return false }
      }
    }
    return false
  }
}
