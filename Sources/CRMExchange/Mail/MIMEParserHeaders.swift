import Foundation

/// Header-level decoding: RFC 2047 encoded words, RFC 2231 parameters, address lists (RFC
/// 5322 with groups and comments), dates and message identifiers.
public enum MailHeader {
  // MARK: Encoded words (RFC 2047)

  /// Decodes the encoded words of an unstructured header value. Adjacent encoded words (only
  /// white space between them) are joined, their bytes together when the charset is the same,
  /// so a character split between two words survives. `unknown` collects charsets guessed.
  public static func decodeWords(_ text: String, unknown: inout Set<String>) -> String {
    guard text.contains("=?") else { return text }
    let chars = Array(text.utf8)
    var out = ""
    var pendingBytes: [UInt8] = []
    var pendingCharset = ""
    var plainStart = 0
    var i = 0
    func flush() {
      if !pendingBytes.isEmpty || !pendingCharset.isEmpty {
        let (s, known) = MailCharset.decode(pendingBytes[...], charset: pendingCharset)
        if !known { unknown.insert(pendingCharset) }
        out += s
        pendingBytes = []
        pendingCharset = ""
      }
    }
    while i < chars.count {
      if chars[i] == UInt8(ascii: "="), i + 1 < chars.count, chars[i + 1] == UInt8(ascii: "?"),
        let word = encodedWord(chars, at: i)
      {
        let between = chars[plainStart..<i]
        let onlySpace = between.allSatisfy { $0 == 0x20 || $0 == 0x09 || $0 == 0x0A || $0 == 0x0D }
        if !(onlySpace && (!pendingCharset.isEmpty || !pendingBytes.isEmpty)) {
          flush()
          out += String(decoding: between, as: UTF8.self)
        }
        let charset = MailCharset.canonical(word.charset)
        if charset != pendingCharset { flush() }
        pendingCharset = charset
        pendingBytes += word.bytes
        i = word.end
        plainStart = i
        continue
      }
      i += 1
    }
    flush()
    out += String(decoding: chars[plainStart...], as: UTF8.self)
    return out
  }

  /// The encoded word starting at `start` (`=?charset?B|Q?text?=`): its charset, decoded bytes
  /// and where it ends; nil when the text there is not one.
  static func encodedWord(_ c: [UInt8], at start: Int) -> (
    charset: String, bytes: [UInt8], end: Int
  )? {
    var i = start + 2
    let charsetStart = i
    while i < c.count, c[i] != UInt8(ascii: "?") {
      if c[i] <= 0x20 || c[i] >= 0x7F { return nil }
      i += 1
    }
    guard i + 2 < c.count, i > charsetStart, c[i + 2] == UInt8(ascii: "?") else { return nil }
    let charset = String(decoding: c[charsetStart..<i], as: UTF8.self)
    let encoding = c[i + 1] | 0x20
    guard encoding == UInt8(ascii: "b") || encoding == UInt8(ascii: "q") else { return nil }
    let textStart = i + 3
    var j = textStart
    while j + 1 < c.count, !(c[j] == UInt8(ascii: "?") && c[j + 1] == UInt8(ascii: "=")) {
      if c[j] == 0x0A || j - textStart > 2000 { return nil }
      j += 1
    }
    guard j + 1 < c.count else { return nil }
    let text = c[textStart..<j]
    let bytes: [UInt8]
    if encoding == UInt8(ascii: "b") {
      guard let b = MIMEDecode.base64(text, strict: false) else { return nil }
      bytes = b
    } else {
      bytes = MIMEDecode.quotedPrintable(text, underscoreIsSpace: true)
    }
    return (charset, bytes, j + 2)
  }

  // MARK: Structured values

  /// A `type/subtype; name=value…` value (Content-Type, Content-Disposition): the first part
  /// folded to lower case, and the parameters by lower-case name, RFC 2231 continuations
  /// (`name*0*=`, `name*1=`) joined and `charset'lang'%XX` values decoded.
  public static func parameters(_ text: String, unknown: inout Set<String>) -> (
    value: String, params: [String: String]
  ) {
    let c = Array(text.utf8)
    var i = 0
    func skipSpace() {
      while i < c.count {
        if c[i] == 0x20 || c[i] == 0x09 || c[i] == 0x0D || c[i] == 0x0A {
          i += 1
        } else if c[i] == UInt8(ascii: "(") {
          _ = comment(c, &i)
        } else {
          break
        }
      }
    }
    skipSpace()
    let valueStart = i
    while i < c.count, c[i] != UInt8(ascii: ";") { i += 1 }
    let value = String(decoding: c[valueStart..<i], as: UTF8.self)
      .trimmingCharacters(in: .whitespaces).lowercased()
    var plain: [String: String] = [:]
    var pieces: [String: [(Int, Bool, String)]] = [:]  // name → (section, encoded, text)
    while i < c.count {
      i += 1  // ';'
      skipSpace()
      let nameStart = i
      while i < c.count, c[i] != UInt8(ascii: "="), c[i] != UInt8(ascii: ";") { i += 1 }
      let rawName = String(decoding: c[nameStart..<i], as: UTF8.self)
        .trimmingCharacters(in: .whitespaces).lowercased()
      guard i < c.count, c[i] == UInt8(ascii: "=") else { continue }
      i += 1
      skipSpace()
      var v: String
      if i < c.count, c[i] == UInt8(ascii: "\"") {
        v = quoted(c, &i)
      } else {
        let s = i
        while i < c.count, c[i] != UInt8(ascii: ";"), c[i] != 0x20, c[i] != 0x09 { i += 1 }
        v = String(decoding: c[s..<i], as: UTF8.self)
      }
      skipSpace()
      while i < c.count, c[i] != UInt8(ascii: ";") { i += 1 }
      if rawName.isEmpty { continue }
      // name, name*, name*N, name*N*
      var name = rawName
      var encoded = false
      if name.hasSuffix("*") {
        encoded = true
        name.removeLast()
      }
      var section = -1
      if let star = name.lastIndex(of: "*"), let n = Int(name[name.index(after: star)...]) {
        section = n
        name = String(name[..<star])
      }
      if section < 0 && !encoded {
        if v.contains("=?") { v = decodeWords(v, unknown: &unknown) }
        plain[name] = v
      } else {
        pieces[name, default: []].append((max(section, 0), encoded, v))
      }
    }
    for (name, parts) in pieces {
      var charset = ""
      var bytes: [UInt8] = []
      for (k, (_, encoded, text)) in parts.sorted(by: { $0.0 < $1.0 }).enumerated() {
        var t = Array(text.utf8)[...]
        if encoded && k == 0 {
          // charset'language'value
          if let q1 = t.firstIndex(of: UInt8(ascii: "'")),
            let q2 = t[(q1 + 1)...].firstIndex(of: UInt8(ascii: "'"))
          {
            charset = String(decoding: t[..<q1], as: UTF8.self)
            t = t[(q2 + 1)...]
          }
        }
        bytes += encoded ? MIMEDecode.percent(t) : Array(t)
      }
      if charset.isEmpty {
        plain[name] = MailCharset.guess(bytes[...])
      } else {
        let (s, known) = MailCharset.decode(bytes[...], charset: charset)
        if !known { unknown.insert(charset) }
        plain[name] = s
      }
    }
    return (value, plain)
  }

  /// A quoted string at `i` (on the opening quote), backslash escapes removed.
  static func quoted(_ c: [UInt8], _ i: inout Int) -> String {
    var bytes: [UInt8] = []
    i += 1
    while i < c.count, c[i] != UInt8(ascii: "\"") {
      if c[i] == UInt8(ascii: "\\"), i + 1 < c.count { i += 1 }
      if c[i] != 0x0D && c[i] != 0x0A { bytes.append(c[i]) }
      i += 1
    }
    if i < c.count { i += 1 }
    return String(decoding: bytes, as: UTF8.self)
  }

  /// A comment at `i` (on the opening parenthesis), nested ones included; its text.
  static func comment(_ c: [UInt8], _ i: inout Int) -> String {
    var depth = 0
    var bytes: [UInt8] = []
    while i < c.count {
      let b = c[i]
      if b == UInt8(ascii: "\\"), i + 1 < c.count {
        bytes.append(c[i + 1])
        i += 2
        continue
      }
      if b == UInt8(ascii: "(") {
        depth += 1
        if depth > 1 { bytes.append(b) }
      } else if b == UInt8(ascii: ")") {
        depth -= 1
        if depth == 0 {
          i += 1
          break
        }
        bytes.append(b)
      } else {
        bytes.append(b)
      }
      i += 1
    }
    return String(decoding: bytes, as: UTF8.self)
  }

  // MARK: Addresses

  /// The mailboxes of an address header (From, To, Cc…): `Name <a@b>`, `"Name" <a@b>`,
  /// `a@b (Name)`, groups (`team: a@b, c@d;`), encoded words in names. Entries without an
  /// address (an empty group) are left out.
  public static func addresses(_ text: String, unknown: inout Set<String>) -> [MailAddress] {
    let c = Array(text.utf8)
    var out: [MailAddress] = []
    var phrase: [String] = []
    var word: [UInt8] = []
    var angle: String?
    var comments: [String] = []
    func endWord() {
      if !word.isEmpty {
        phrase.append(String(decoding: word, as: UTF8.self))
        word = []
      }
    }
    func finish() {
      endWord()
      var address: String
      var name: String
      if let a = angle {
        address = a
        name = phrase.joined(separator: " ")
      } else {
        address = phrase.joined()
        name = comments.joined(separator: " ")
      }
      if let colon = address.lastIndex(of: ":"), address.hasPrefix("@") {
        address = String(address[address.index(after: colon)...])  // obsolete route
      }
      address = address.trimmingCharacters(in: .whitespaces)
      name = decodeWords(name, unknown: &unknown).trimmingCharacters(in: .whitespaces)
      if !address.isEmpty {
        out.append(MailAddress(name: clean(name), address: clean(address)))
      }
      phrase = []
      angle = nil
      comments = []
    }
    var i = 0
    while i < c.count {
      let b = c[i]
      switch b {
      case UInt8(ascii: "\""):
        endWord()
        phrase.append(quoted(c, &i))
        continue
      case UInt8(ascii: "("):
        endWord()
        comments.append(comment(c, &i))
        continue
      case UInt8(ascii: "<"):
        endWord()
        let s = i + 1
        while i < c.count, c[i] != UInt8(ascii: ">") { i += 1 }
        angle = String(decoding: c[s..<min(i, c.count)], as: UTF8.self)
          .filter { !$0.isWhitespace }
      case UInt8(ascii: ":") where angle == nil && !phrase.joined().contains("@"):
        // A group's name: dropped, its members follow.
        word = []
        phrase = []
        comments = []
      case UInt8(ascii: ","), UInt8(ascii: ";"):
        finish()
      case 0x20, 0x09, 0x0D, 0x0A:
        endWord()
      default:
        word.append(b)
      }
      i += 1
    }
    finish()
    return out
  }

  // MARK: Identifiers and dates

  /// The identifiers (`<…>`) of Message-ID, In-Reply-To and References, without brackets. A
  /// value without brackets counts as one identifier when it has no spaces.
  public static func identifiers(_ text: String) -> [String] {
    var out: [String] = []
    var rest = text[...]
    while let open = rest.firstIndex(of: "<") {
      let after = rest[rest.index(after: open)...]
      guard let close = after.firstIndex(of: ">") else { break }
      let id = clean(String(after[..<close]).filter { !$0.isWhitespace })
      if !id.isEmpty { out.append(id) }
      rest = after[after.index(after: close)...]
    }
    if out.isEmpty {
      let t = clean(text)
      if !t.isEmpty && !t.contains(" ") { out.append(t) }
    }
    return out
  }

  static let months = [
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6, "jul": 7, "aug": 8, "sep": 9,
    "oct": 10, "nov": 11, "dec": 12,
  ]
  static let zones = [
    "ut": 0, "utc": 0, "gmt": 0, "z": 0, "est": -5, "edt": -4, "cst": -6, "cdt": -5, "mst": -7,
    "mdt": -6, "pst": -8, "pdt": -7, "msk": 3, "msd": 4, "cet": 1, "cest": 2, "eet": 2,
    "eest": 3, "bst": 1,
  ]

  /// An RFC 5322 date (`Tue, 8 Dec 2026 10:00:00 +0300`), obsolete forms too: no weekday, two-
  /// digit years, zone names, no seconds, comments; nil when it is not one.
  public static func date(_ text: String) -> Date? {
    var t = ""
    var depth = 0
    for ch in text {
      if ch == "(" {
        depth += 1
      } else if ch == ")" {
        depth = max(0, depth - 1)
      } else if depth == 0 {
        t.append(ch == "," ? " " : ch)
      }
    }
    var tokens = t.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\r" || $0 == "\n" })
      .map { $0.lowercased() }
    if let first = tokens.first, first.first?.isLetter == true,
      months[String(first.prefix(3))] == nil
    {
      tokens.removeFirst()  // weekday
    }
    guard tokens.count >= 4 else { return nil }
    var day: Int?
    var month: Int?
    // `8 Dec 2026` or `Dec 8 2026`
    if let d = Int(tokens[0]), let m = months[String(tokens[1].prefix(3))] {
      day = d
      month = m
    } else if let m = months[String(tokens[0].prefix(3))], let d = Int(tokens[1]) {
      day = d
      month = m
    }
    guard let day, let month, (1...31).contains(day), var year = Int(tokens[2]) else { return nil }
    if tokens[2].count <= 2 {
      year += year < 50 ? 2000 : 1900
    } else if tokens[2].count == 3 {
      year += 1900
    }
    guard (1900...9999).contains(year) else { return nil }
    let hms = tokens[3].split(separator: ":").map { Int($0) }
    guard hms.count >= 2, hms.allSatisfy({ $0 != nil }) else { return nil }
    let hour = hms[0]!
    let minute = hms[1]!
    let second = hms.count > 2 ? hms[2]! : 0
    guard (0...23).contains(hour), (0...59).contains(minute), (0...60).contains(second) else {
      return nil
    }
    var offset = 0
    if tokens.count > 4 {
      let z = tokens[4]
      if z.hasPrefix("+") || z.hasPrefix("-"), z.count == 5, let n = Int(z.dropFirst()) {
        offset = (n / 100 * 3600 + n % 100 * 60) * (z.hasPrefix("-") ? -1 : 1)
      } else if let h = zones[z] {
        offset = h * 3600
      }
    }
    // Days from 1970-01-01 (civil calendar, proleptic Gregorian).
    let y = month <= 2 ? year - 1 : year
    let era = (y >= 0 ? y : y - 399) / 400
    let yoe = y - era * 400
    let mp = (month + 9) % 12
    let doy = (153 * mp + 2) / 5 + day - 1
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
    let days = era * 146097 + doe - 719468
    let seconds = days * 86400 + hour * 3600 + minute * 60 + second - offset
    return Date(timeIntervalSince1970: TimeInterval(seconds))
  }

  // MARK: Cleaning

  /// A header value as one line: control characters (escape sequences included) removed, runs
  /// of white space made one space, trimmed.
  public static func clean(_ s: String) -> String {
    var out = String.UnicodeScalarView()
    var space = false
    for scalar in s.unicodeScalars {
      let v = scalar.value
      if v == 0x20 || v == 0x09 || v == 0x0A || v == 0x0D {
        space = true
        continue
      }
      if v < 0x20 || (0x7F...0x9F).contains(v) || v == 0x2028 || v == 0x2029
        || (0x202A...0x202E).contains(v) || (0x2066...0x2069).contains(v)
      {
        continue
      }
      if space && !out.isEmpty { out.append(" ") }
      space = false
      out.append(scalar)
    }
    return String(out)
  }
}
