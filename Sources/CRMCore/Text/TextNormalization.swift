/// Text folding shared by storage (sort keys, search index) and queries, so both sides agree.
public enum TextFold {
  /// Lower-cases and folds `ё` to `е` (SQLite's unicode61 tokenizer does not).
  public static func key(_ s: String) -> String {
    let lower = s.lowercased()
    guard lower.unicodeScalars.contains("ё") else { return lower }
    var out = String.UnicodeScalarView()
    for scalar in lower.unicodeScalars { out.append(scalar == "ё" ? "е" : scalar) }
    return String(out)
  }

  /// The key lists sort by: folded like `key`, with Latin letters moved after Cyrillic (as
  /// Russian collation orders them) by mapping a–z to their full-width forms. Digits stay first.
  public static func sortKey(_ s: String) -> String {
    var out = String.UnicodeScalarView()
    for scalar in key(s).unicodeScalars {
      if ("a"..."z").contains(scalar) {
        out.append(Unicode.Scalar(scalar.value - 0x61 + 0xFF41)!)
      } else {
        out.append(scalar)
      }
    }
    return String(out)
  }

  /// Words as the search index sees them: runs of letters and digits, folded.
  public static func words(_ s: String) -> [String] {
    var words: [String] = []
    var current = String.UnicodeScalarView()
    for scalar in key(s).unicodeScalars {
      if scalar.properties.isAlphabetic || scalar.properties.numericType != nil {
        current.append(scalar)
      } else if !current.isEmpty {
        words.append(String(current))
        current = String.UnicodeScalarView()
      }
    }
    if !current.isEmpty { words.append(String(current)) }
    return words
  }

  /// Replaces control characters (C0, DEL, C1, and line/paragraph separators) so that text
  /// typed or imported with escape sequences is never stored raw.
  public static func sanitizeLine(_ s: String) -> String {
    // Most text has none of them: a pass over the bytes decides (C0 and DEL are single bytes,
    // C1 starts with 0xC2, U+2028/2029 with 0xE2).
    if !s.utf8.contains(where: { $0 < 0x20 || $0 == 0x7F || $0 == 0xC2 || $0 == 0xE2 }) {
      return s.trimmingSpaces()
    }
    var out = String.UnicodeScalarView()
    for scalar in s.unicodeScalars {
      let v = scalar.value
      if v < 0x20 || (0x7F...0x9F).contains(v) || v == 0x2028 || v == 0x2029 {
        out.append(v == 0x09 || v == 0x0A || v == 0x0D ? " " : "\u{FFFD}")
      } else {
        out.append(scalar)
      }
    }
    return String(out).trimmingSpaces()
  }
}

extension String {
  /// Trims ASCII and Unicode spaces at both ends.
  public func trimmingSpaces() -> String {
    // Nothing to trim when neither end is a space (checked per scalar, without grapheme breaking).
    guard let first = unicodeScalars.first, let last = unicodeScalars.last else { return self }
    if !first.properties.isWhitespace && !last.properties.isWhitespace
      && last.properties.generalCategory != .nonspacingMark
    {
      return self
    }
    var s = Substring(self)
    while let f = s.first, f.isWhitespace { s.removeFirst() }
    while let l = s.last, l.isWhitespace { s.removeLast() }
    return String(s)
  }
}
