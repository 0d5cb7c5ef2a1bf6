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
  /// (see `foldLatin`) so the usual Latin spellings of one name meet.
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
    let latin = words.map { foldLatin(transliterate($0)) }.filter { !$0.isEmpty }
    return latin.sorted().joined(separator: " ")
  }

  /// The words of a name, lower case, й/ё folded (и, е), split on anything not a letter or digit.
  static func rawWords(_ s: String) -> [String] {
    var words: [String] = []
    var current = ""
    for ch in s.lowercased() {
      if ch.isLetter || ch.isNumber {
        switch ch {
        case "ё": current.append("е")
        case "й": current.append("и")
        default: current.append(ch)
        }
      } else if !current.isEmpty {
        words.append(current)
        current = ""
      }
    }
    if !current.isEmpty { words.append(current) }
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

  /// Folds Latin spellings that transliterations disagree on: kh → h, ts → c, shch → sh,
  /// x → ks, w → v, ph → f, ck → k, y/j → i, ya/ia → a, yu/iu → u, ye → e, doubled letters once.
  static func foldLatin(_ word: String) -> String {
    var s = word
    let pairs: [(String, String)] = [
      ("shch", "sh"), ("sch", "sh"), ("kh", "h"), ("ts", "c"), ("tz", "c"), ("ph", "f"),
      ("ck", "k"), ("x", "ks"), ("w", "v"), ("q", "k"), ("ya", "a"), ("ia", "a"), ("yu", "u"),
      ("iu", "u"), ("ye", "e"), ("yo", "e"), ("j", "i"), ("y", "i"),
    ]
    for (from, to) in pairs where s.contains(from) {
      s = s.replacingOccurrences(of: from, with: to)
    }
    var out = ""
    var last: Character?
    for ch in s where ch != last {
      out.append(ch)
      last = ch
    }
    return out
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
