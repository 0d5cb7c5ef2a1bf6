import Foundation

/// Text in the charsets mail really uses. The single-byte Cyrillic and Latin charsets are
/// decoded from tables here (the same on every platform, and fast); UTF-8 is decoded with
/// replacement characters for broken sequences; a few multi-byte charsets go through
/// Foundation. An unknown charset is decoded as UTF-8 when the bytes are valid UTF-8, otherwise
/// as windows-1251 (the commonest 8-bit charset of Russian mail), and reported as unknown.
public enum MailCharset {
  /// The canonical name of a charset label (`KOI8-R`, `cp1251`, `"utf8"` …), or the label
  /// folded to lower case when it is not one we know.
  public static func canonical(_ label: String) -> String {
    var name = label.trimmingCharacters(in: CharacterSet(charactersIn: " \t\"'")).lowercased()
    // RFC 2231 allows a language after the charset in encoded words: `utf-8*ru`.
    if let star = name.firstIndex(of: "*") { name = String(name[..<star]) }
    if let alias = aliases[name] { return alias }
    return name
  }

  static let aliases: [String: String] = [
    "utf8": "utf-8", "unicode-1-1-utf-8": "utf-8", "x-unicode20utf8": "utf-8",
    "koi8r": "koi8-r", "koi8": "koi8-r", "cskoi8r": "koi8-r", "koi8u": "koi8-u",
    "cp1251": "windows-1251", "win-1251": "windows-1251", "x-cp1251": "windows-1251",
    "win1251": "windows-1251", "windows1251": "windows-1251", "cp-1251": "windows-1251",
    "iso8859-5": "iso-8859-5", "iso_8859-5": "iso-8859-5", "iso-ir-144": "iso-8859-5",
    "cyrillic": "iso-8859-5", "iso8859_5": "iso-8859-5",
    "cp866": "ibm866", "866": "ibm866", "csibm866": "ibm866", "x-cp866": "ibm866",
    "ascii": "us-ascii", "ansi_x3.4-1968": "us-ascii", "us": "us-ascii", "iso646-us": "us-ascii",
    "latin1": "iso-8859-1", "iso8859-1": "iso-8859-1", "iso_8859-1": "iso-8859-1",
    "l1": "iso-8859-1", "cp819": "iso-8859-1", "iso-ir-100": "iso-8859-1",
    "cp1252": "windows-1252", "x-cp1252": "windows-1252", "windows1252": "windows-1252",
    "cp1250": "windows-1250", "latin2": "iso-8859-2", "iso8859-2": "iso-8859-2",
    "latin-9": "iso-8859-15", "iso8859-15": "iso-8859-15", "x-mac-cyrillic": "mac-cyrillic",
    "utf16": "utf-16", "utf-16le": "utf-16le", "utf-16be": "utf-16be",
    "sjis": "shift_jis", "shift-jis": "shift_jis", "x-sjis": "shift_jis",
  ]

  /// Whether `label` names a charset decoded here.
  public static func isKnown(_ label: String) -> Bool {
    let name = canonical(label)
    return name == "utf-8" || name == "us-ascii" || tables[name] != nil
      || foundation[name] != nil
  }

  static let foundation: [String: String.Encoding] = [
    "utf-16": .utf16, "utf-16le": .utf16LittleEndian, "utf-16be": .utf16BigEndian,
    "shift_jis": .shiftJIS, "euc-jp": .japaneseEUC, "iso-2022-jp": .iso2022JP,
  ]

  /// Decodes `bytes` written in `label`; `known` is false when the charset was guessed.
  public static func decode(_ bytes: ArraySlice<UInt8>, charset label: String) -> (
    text: String, known: Bool
  ) {
    let name = canonical(label)
    if name == "utf-8" { return (String(decoding: bytes, as: UTF8.self), true) }
    if !bytes.contains(where: { $0 >= 0x80 }) {
      // Plain ASCII reads the same in every charset we know (UTF-16 aside).
      if foundation[name] == nil {
        return (String(decoding: bytes, as: UTF8.self), isKnown(name) || name.isEmpty)
      }
    }
    if let table = tables[name] { return (single(bytes, table), true) }
    if let encoding = foundation[name], let s = String(bytes: Array(bytes), encoding: encoding) {
      return (s, true)
    }
    // `us-ascii` with 8-bit bytes is a mislabel; so is an unknown name. Best effort.
    if let s = String(validating: bytes, as: UTF8.self) { return (s, name == "us-ascii") }
    return (single(bytes, tables["windows-1251"]!), false)
  }

  /// Raw 8-bit header text (no charset is declared for it): UTF-8 when valid, else
  /// windows-1251.
  static func guess(_ bytes: ArraySlice<UInt8>) -> String {
    if !bytes.contains(where: { $0 >= 0x80 }) { return String(decoding: bytes, as: UTF8.self) }
    if let s = String(validating: bytes, as: UTF8.self) { return s }
    return single(bytes, tables["windows-1251"]!)
  }

  static func single(_ bytes: ArraySlice<UInt8>, _ table: [UInt16]) -> String {
    var out = String.UnicodeScalarView()
    out.reserveCapacity(bytes.count)
    for b in bytes {
      if b < 0x80 {
        out.append(Unicode.Scalar(b))
      } else {
        out.append(Unicode.Scalar(UInt32(table[Int(b) - 0x80])) ?? "\u{FFFD}")
      }
    }
    return String(out)
  }
}
