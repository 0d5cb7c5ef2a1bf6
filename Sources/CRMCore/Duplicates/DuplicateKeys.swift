import Foundation
import GRDB

/// The keys duplicate search blocks on: a name folded so that spellings of one company or person
/// meet («ООО "Ромашка"», `Romashka LLC`, «ромашка» all give `romashka`), a phone in E.164 and
/// an e-mail in lower case. Rules in docs/client-base.md.
public enum DuplicateKeys {
  /// Legal forms, written out or abbreviated, Russian and foreign; removed wherever they stand.
  /// Multi-word forms are matched on whole words before single words.
  static let legalPhrases: [[String]] = [
    ["общество", "с", "ограниченнои", "ответственностью"],
    ["публичное", "акционерное", "общество"],
    ["закрытое", "акционерное", "общество"],
    ["открытое", "акционерное", "общество"],
    ["непубличное", "акционерное", "общество"],
    ["акционерное", "общество"],
    ["индивидуальныи", "предприниматель"],
    ["limited", "liability", "company"],
    ["joint", "stock", "company"],
    ["private", "limited"],
  ]
  static let legalWords: Set<String> = [
    "ооо", "оао", "зао", "пао", "ао", "нао", "ип", "нко", "ано", "гуп", "муп", "фгуп", "фгбу",
    "тоо", "одо", "чп", "пбоюл", "кфх", "llc", "ltd", "inc", "gmbh", "corp", "corporation",
    "jsc", "pjsc", "cjsc", "ojsc", "plc", "ag", "sa", "bv", "oy", "ab", "co", "company",
    "limited", "incorporated", "ooo", "zao", "oao", "pao", "ip",
  ]

  /// Cyrillic to Latin, close to ГОСТ 7.79 system B / the passport table, then folded further
  /// (see `foldings`) so the usual Latin spellings of one name meet.
  static let cyrillic: [Character: String] = [
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "e", "ж": "zh", "з": "z",
    "и": "i", "й": "i", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o", "п": "p", "р": "r",
    "с": "s", "т": "t", "у": "u", "ф": "f", "х": "h", "ц": "c", "ч": "ch", "ш": "sh",
    "щ": "sh", "ъ": "", "ы": "y", "ь": "", "э": "e", "ю": "u", "я": "a", "і": "i", "ї": "i",
    "є": "e", "ў": "u",
  ]

  /// The folded name of a client or person: lower case, ё → е, quotes, punctuation and legal
  /// forms removed, transliterated to Latin with common spelling variants folded, words sorted.
  /// Empty when nothing is left (a name that is only a legal form).
  public static func name(_ s: String) -> String {
    var words = rawWords(s)
    words = removingLegalForms(words)
    let latin = words.map(latinKey).filter { !$0.isEmpty }
    return latin.sorted().joined(separator: " ")
  }

  /// A folded name read backwards (`match_rkey`): its order puts names that differ near the start
  /// side by side, as the scan's second sort does.
  public static func reversed(_ key: String) -> String {
    String(String.UnicodeScalarView(key.unicodeScalars.reversed()))
  }

  /// The words of a name, lower case, й/ё folded (и, е), split on anything not a letter or digit.
  /// Works on scalars with fast paths for Latin and Cyrillic (every client write computes it).
  static func rawWords(_ s: String) -> [String] {
    var words: [String] = []
    var current = String.UnicodeScalarView()
    func flush() {
      if !current.isEmpty {
        words.append(String(current))
        current = String.UnicodeScalarView()
      }
    }
    for u in s.unicodeScalars {
      let v = u.value
      switch v {
      case 0x30...0x39, 0x61...0x7A: current.append(u)
      case 0x41...0x5A: current.append(Unicode.Scalar(v + 0x20)!)
      case 0x401, 0x451, 0x415, 0x435: current.append("е")
      case 0x419, 0x439, 0x418, 0x438: current.append("и")
      case 0x410...0x42F: current.append(Unicode.Scalar(v + 0x20)!)
      case 0x430...0x44F: current.append(u)
      case 0...0x7F: flush()
      default:
        let p = u.properties
        if p.isAlphabetic || p.numericType != nil {
          if p.isUppercase {
            current.append(contentsOf: p.lowercaseMapping.unicodeScalars)
          } else {
            current.append(u)
          }
        } else {
          flush()
        }
      }
    }
    flush()
    return words
  }

  static func removingLegalForms(_ words: [String]) -> [String] {
    var out: [String] = []
    var i = 0
    outer: while i < words.count {
      for phrase in legalPhrases where i + phrase.count <= words.count {
        if Array(words[i..<(i + phrase.count)]) == phrase {
          i += phrase.count
          continue outer
        }
      }
      if !legalWords.contains(words[i]) { out.append(words[i]) }
      i += 1
    }
    return out
  }

  /// A word in Latin letters; letters of other scripts are kept as they are.
  public static func transliterate(_ word: String) -> String {
    var out = ""
    out.reserveCapacity(word.utf8.count)
    for ch in word {
      if let latin = cyrillic[ch] { out += latin } else { out.append(ch) }
    }
    return out
  }

  /// Spellings that transliterations disagree on, rewritten wherever they appear at the end of
  /// the key being built (so rewrites chain: y → i, then ia → a). Doubled letters count once;
  /// digits stay as they are («Клиент 11» is not «Клиент 1»).
  static let foldings: [([UInt8], [UInt8])] = [
    ("shch", "sh"), ("sch", "sh"), ("kh", "h"), ("ts", "c"), ("tz", "c"), ("ph", "f"),
    ("ck", "k"), ("x", "ks"), ("w", "v"), ("q", "k"), ("j", "i"), ("y", "i"), ("ia", "a"),
    ("iu", "u"), ("ie", "e"), ("io", "e"),
  ].map { (Array($0.0.utf8), Array($0.1.utf8)) }

  /// Cyrillic in Latin letters (close to the passport table), by scalar: `а` is 0x430.
  static let cyrillicLatin: [[UInt8]] = [
    "a", "b", "v", "g", "d", "e", "zh", "z", "i", "i", "k", "l", "m", "n", "o", "p", "r", "s",
    "t", "u", "f", "h", "c", "ch", "sh", "sh", "", "i", "", "e", "u", "a",
  ].map { Array($0.utf8) }

  /// A word (lower case, from `rawWords`) transliterated to Latin with spelling variants folded.
  static func latinKey(_ word: String) -> String {
    var out: [UInt8] = []
    out.reserveCapacity(word.utf8.count)
    func fold() {
      var changed = true
      while changed {
        changed = false
        for (from, to) in foldings where out.count >= from.count {
          if out[(out.count - from.count)...].elementsEqual(from) {
            out.removeLast(from.count)
            out.append(contentsOf: to)
            changed = true
          }
        }
        let n = out.count
        if n >= 2, out[n - 1] == out[n - 2], out[n - 1] >= 0x61, out[n - 1] <= 0x7A {
          out.removeLast()
          changed = true
        }
      }
    }
    for u in word.unicodeScalars {
      let v = u.value
      if v >= 0x430 && v <= 0x44F {
        for b in cyrillicLatin[Int(v - 0x430)] {
          out.append(b)
          fold()
        }
      } else if v < 0x80 {
        out.append(UInt8(v))
        fold()
      } else if let latin = cyrillic[Character(u)] {
        for b in latin.utf8 {
          out.append(b)
          fold()
        }
      } else {
        out.append(contentsOf: String(u).utf8)
      }
    }
    return String(decoding: out, as: UTF8.self)
  }

  /// An e-mail address as compared: trimmed, lower case; empty when it is not an address.
  public static func email(_ s: String) -> String {
    // Stored keys are already folded: answer them without Foundation.
    let bytes = s.utf8
    if let first = bytes.first, let last = bytes.last, first > 0x20, last > 0x20,
      !bytes.contains(where: { $0 >= 0x41 && $0 <= 0x5A || $0 >= 0x80 })
    {
      return bytes.contains(0x40) ? s : ""
    }
    let t = s.trimmingCharacters(in: .whitespacesAndNewlines).lowercased()
    return t.contains("@") ? t : ""
  }

  /// Sets the keys of every client and person (the v5 migration; a repair after a rule change).
  static func backfill(_ db: Database) throws {
    for table in ["client", "contact_person"] {
      let rows = try Row.fetchCursor(db, sql: "SELECT id, name FROM \(table)")
      var keys: [(Int64, String)] = []
      while let r = try rows.next() { keys.append((r["id"], name(r["name"]))) }
      let update = try db.makeStatement(sql: "UPDATE \(table) SET match_key = ? WHERE id = ?")
      for (id, key) in keys where !key.isEmpty {
        try update.execute(arguments: [key, id])
      }
    }
  }
}
