import CRMCore
import Foundation

/// Reads vCard 2.1, 3.0 and 4.0 files as they stream, one card at a time.
///
/// Lines end in CRLF, LF or CR; a line starting with a space or a tab continues the previous
/// one (the one whitespace character is removed). Quoted-printable values (`ENCODING=QUOTED-
/// PRINTABLE` or the bare 2.1 parameter) may continue over lines ending in `=`. Values are
/// decoded by `CHARSET=` (utf-8, windows-1251), else as UTF-8 when valid, else as Windows-1251.
/// Escapes `\,` `\;` `\n` `\\` are undone; structured values (N, ADR, ORG) are split on
/// unescaped `;`. A card with ORG becomes a company client with the card's person (FN, or N)
/// as its contact person (TITLE, BDAY, TEL and EMAIL go to that person); a card without ORG
/// becomes a person client. A card without END:VCARD, a line inside a card that is not
/// `NAME:value` (broken folding), or a card with no name is rejected with its line; the rest of
/// the file imports.
public final class VCardReader {
  public private(set) var warnings: [ImportIssue] = []
  public private(set) var bytesRead: Int64 = 0
  public let totalBytes: Int64
  let language: Language
  private let read: () throws -> Data
  private var splitter = LineSplitter()
  private var lines: [(Int, [UInt8])] = []
  private var lineIndex = 0
  private var done = false
  /// The logical line being assembled from folded physical lines.
  private var logical: (line: Int, bytes: [UInt8])?
  private var card: VCardBuilder?

  public convenience init(url: URL, language: Language) throws {
    let file = try ImportChunks.file(url)
    self.init(total: file.total, read: file.read, language: language)
  }

  public convenience init(data: Data, language: Language) {
    let memory = ImportChunks.memory(data, chunkSize: ClientCSVReader.chunkSize)
    self.init(total: memory.total, read: memory.read, language: language)
  }

  init(total: Int64, read: @escaping () throws -> Data, language: Language) {
    self.totalBytes = total
    self.read = read
    self.language = language
  }

  private func physical() throws -> (Int, [UInt8])? {
    while lineIndex >= lines.count {
      lines.removeAll(keepingCapacity: true)
      lineIndex = 0
      if done { return nil }
      let d = try read()
      bytesRead += Int64(d.count)
      if d.isEmpty {
        done = true
        splitter.finish { b, n in lines.append((n, Array(b))) }
      } else {
        d.withUnsafeBytes { raw in
          splitter.feed(raw.bindMemory(to: UInt8.self)) { b, n in lines.append((n, Array(b))) }
        }
        if splitter.carry.count > ClientCSVReader.maxRecordBytes {
          throw ImportFileError(
            line: splitter.lineNumber + 1, en: "line too long", ru: "слишком длинная строка")
        }
      }
    }
    defer { lineIndex += 1 }
    return lines[lineIndex]
  }

  /// The next unfolded line, nil at the end.
  private func nextLogical() throws -> (line: Int, bytes: [UInt8])? {
    while let (n, b) = try physical() {
      if let first = b.first, first == 0x20 || first == 0x09, logical != nil {
        logical!.bytes += b.dropFirst()
        continue
      }
      // Quoted-printable soft line break: the value goes on in the next line.
      if let current = logical, current.bytes.last == 0x3D, Self.isQuotedPrintable(current.bytes) {
        logical!.bytes.removeLast()
        logical!.bytes += b
        continue
      }
      let previous = logical
      logical = (n, b)
      if let previous { return previous }
    }
    defer { logical = nil }
    return logical
  }

  static func isQuotedPrintable(_ b: [UInt8]) -> Bool {
    guard let colon = b.firstIndex(of: 0x3A) else { return false }
    let head = String(decoding: b[..<colon], as: UTF8.self).uppercased()
    return head.contains("QUOTED-PRINTABLE")
  }

  public func next() throws -> ImportItem? {
    let l = language
    while let (n, bytes) = try nextLogical() {
      if bytes.allSatisfy({ $0 == 0x20 || $0 == 0x09 }) { continue }
      guard let colon = bytes.firstIndex(of: 0x3A) else {
        if card != nil {
          let start = card!.line
          card = nil
          skipToEnd = true
          return .rejected(
            ImportIssue(
              line: n, field: "",
              reason: l.pick(
                "not a NAME:value line (broken folding?); the card from line \(start) is skipped",
                "не строка ИМЯ:значение (сломан перенос?); карточка со строки \(start) пропущена")))
        }
        if !skipToEnd {
          warnings.append(
            ImportIssue(
              line: n, field: "",
              reason: l.pick("text outside a card, ignored", "текст вне карточки, пропущен")))
        }
        continue
      }
      let head = String(decoding: bytes[..<colon], as: UTF8.self)
      var params = head.split(separator: ";").map(String.init)
      var name = params.isEmpty ? "" : params.removeFirst().uppercased()
      if let dot = name.lastIndex(of: ".") { name = String(name[name.index(after: dot)...]) }
      let rawValue = Array(bytes[(colon + 1)...])
      if name == "BEGIN" && String(decoding: rawValue, as: UTF8.self).uppercased() == "VCARD" {
        skipToEnd = false
        if let open = card {
          card = VCardBuilder(line: n)
          return .rejected(
            ImportIssue(
              line: open.line, field: "",
              reason: l.pick(
                "the card has no END:VCARD before the next card (line \(n))",
                "у карточки нет END:VCARD до следующей (строка \(n))")))
        }
        card = VCardBuilder(line: n)
        continue
      }
      if name == "END" && String(decoding: rawValue, as: UTF8.self).uppercased() == "VCARD" {
        skipToEnd = false
        guard let done = card else {
          warnings.append(
            ImportIssue(
              line: n, field: "",
              reason: l.pick("END:VCARD without BEGIN, ignored", "END:VCARD без BEGIN, пропущено")))
          continue
        }
        card = nil
        return done.item(l)
      }
      guard card != nil else {
        if !skipToEnd {
          warnings.append(
            ImportIssue(
              line: n, field: name,
              reason: l.pick("outside a card, ignored", "вне карточки, пропущено")))
        }
        continue
      }
      card!.add(name: name, params: params, raw: rawValue, line: n)
    }
    if let open = card {
      card = nil
      return .rejected(
        ImportIssue(
          line: open.line, field: "",
          reason: l.pick(
            "the file ends inside this card (no END:VCARD)",
            "файл кончается внутри карточки (нет END:VCARD)")))
    }
    return nil
  }

  private var skipToEnd = false
}

/// One card's properties as they are read.
struct VCardBuilder {
  let line: Int
  var fn = ""
  var n: [String] = []
  var org = ""
  var title = ""
  var phones: [String] = []
  var emails: [String] = []
  var addresses: [[String]] = []
  var url = ""
  var notes: [String] = []
  var categories: [String] = []
  var birthday = ""
  var inn = ""
  var kpp = ""
  var ogrn = ""
  var kind = ""
  var undecodable: String?

  init(line: Int) { self.line = line }

  mutating func add(name: String, params: [String], raw: [UInt8], line: Int) {
    var charset = ""
    var qp = false
    var base64 = false
    for p in params {
      // Not omitting empty pieces: an empty parameter (`TEL;;=:…`) gives [""], never [].
      let kv = p.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
        .map(String.init)
      let key = kv[0].uppercased()
      let value = kv.count > 1 ? kv[1].uppercased() : ""
      if key == "CHARSET" { charset = value }
      if (key == "ENCODING" && value == "QUOTED-PRINTABLE") || key == "QUOTED-PRINTABLE" {
        qp = true
      }
      if key == "ENCODING" && (value == "B" || value == "BASE64") { base64 = true }
    }
    if base64 { return }  // photos, keys
    let bytes = qp ? Self.quotedPrintable(raw) : raw
    guard let text = Self.decode(bytes, charset: charset) else {
      if undecodable == nil { undecodable = name }
      return
    }
    switch name {
    case "FN": fn = Self.unescape(text)
    case "N": n = Self.components(text)
    case "ORG": org = Self.components(text).filter { !$0.isEmpty }.first ?? ""
    case "TITLE": title = Self.unescape(text)
    case "TEL": phones.append(Self.unescape(text).replacingOccurrences(of: "tel:", with: ""))
    case "EMAIL": emails.append(Self.unescape(text))
    case "ADR": addresses.append(Self.components(text))
    case "URL": url = Self.unescape(text)
    case "NOTE": notes.append(Self.unescape(text))
    case "CATEGORIES": categories += Self.list(text)
    case "BDAY": birthday = Self.day(Self.unescape(text))
    case "X-INN": inn = Self.unescape(text)
    case "X-KPP": kpp = Self.unescape(text)
    case "X-OGRN": ogrn = Self.unescape(text)
    case "KIND": kind = text.lowercased()
    default: break
    }
  }

  static func decode(_ b: [UInt8], charset: String) -> String? {
    b.withUnsafeBufferPointer { p -> String? in
      switch charset {
      case "WINDOWS-1251", "CP1251", "CP-1251": return LineDecoder(.cp1251).decode(p)
      case "UTF-8", "UTF8": return LineDecoder(.utf8).decode(p)
      default:
        return isValidUTF8(p) ? String(decoding: p, as: UTF8.self) : LineDecoder(.cp1251).decode(p)
      }
    }
  }

  static func quotedPrintable(_ b: [UInt8]) -> [UInt8] {
    var out: [UInt8] = []
    var i = 0
    func hex(_ c: UInt8) -> UInt8? {
      switch c {
      case 0x30...0x39: return c - 0x30
      case 0x41...0x46: return c - 0x41 + 10
      case 0x61...0x66: return c - 0x61 + 10
      default: return nil
      }
    }
    while i < b.count {
      if b[i] == 0x3D, i + 2 < b.count + 0, i + 2 <= b.count - 1, let h = hex(b[i + 1]),
        let l = hex(b[i + 2])
      {
        out.append(h << 4 | l)
        i += 3
      } else {
        out.append(b[i])
        i += 1
      }
    }
    return out
  }

  static func unescape(_ s: String) -> String {
    guard s.unicodeScalars.contains("\\") else { return s }
    var out = String.UnicodeScalarView()
    var escaped = false
    for u in s.unicodeScalars {
      if escaped {
        switch u {
        case "n", "N": out.append("\n")
        default: out.append(u)
        }
        escaped = false
      } else if u == "\\" {
        escaped = true
      } else {
        out.append(u)
      }
    }
    return String(out)
  }

  /// Splits on unescaped `sep`, then unescapes each part.
  /// Splits at unescaped `sep`, scalar by scalar: a separator followed by a combining mark is
  /// one Character to Swift, and comparing Characters kept "опт,\u{301}vip" as one value (found
  /// by fuzzing: the tags written did not read back).
  static func split(_ s: String, _ sep: Unicode.Scalar) -> [String] {
    var parts: [String] = []
    var current = String.UnicodeScalarView()
    var escaped = false
    for scalar in s.unicodeScalars {
      if escaped {
        current.append("\\")
        current.append(scalar)
        escaped = false
      } else if scalar == "\\" {
        escaped = true
      } else if scalar == sep {
        parts.append(String(current))
        current = String.UnicodeScalarView()
      } else {
        current.append(scalar)
      }
    }
    parts.append(String(current))
    return parts.map(unescape)
  }

  static func components(_ s: String) -> [String] { split(s, ";").map { $0.trimmingSpaces() } }
  static func list(_ s: String) -> [String] {
    split(s, ",").map { $0.trimmingSpaces() }.filter { !$0.isEmpty }
  }

  /// `1980-03-08`, `19800308` or `--0308` (no year, dropped) → `YYYY-MM-DD`.
  static func day(_ s: String) -> String {
    let digits = s.prefix(10).filter(\.isNumber)
    guard digits.count == 8, !s.hasPrefix("--") else { return "" }
    let d = Array(digits)
    return String(d[0..<4]) + "-" + String(d[4..<6]) + "-" + String(d[6..<8])
  }

  func item(_ l: Language) -> ImportItem {
    if let undecodable {
      return .rejected(
        ImportIssue(
          line: line, field: undecodable,
          reason: l.pick(
            "the value is not text in its charset", "значение — не текст в своей кодировке")))
    }
    var personName = TextFold.sanitizeLine(fn)
    if personName.isEmpty && !n.isEmpty {
      // N: family; given; additional; prefixes; suffixes → "Family Given Additional".
      personName = [n[0], n.count > 1 ? n[1] : "", n.count > 2 ? n[2] : ""]
        .map { TextFold.sanitizeLine($0) }.filter { !$0.isEmpty }.joined(separator: " ")
    }
    var c = Client(name: "")
    var persons: [ContactPerson] = []
    let address = addresses.first ?? []
    func component(_ i: Int) -> String { i < address.count ? address[i] : "" }
    c.city = component(3)
    c.legalAddress = [component(2), component(5), component(4), component(6)]
      .filter { !$0.isEmpty }.joined(separator: ", ")
    c.website = url
    c.notes = notes.joined(separator: "\n")
    c.tags = categories
    c.inn = inn
    c.kpp = kpp
    c.ogrn = ogrn
    let orgName = TextFold.sanitizeLine(org)
    if !orgName.isEmpty && kind != "individual" {
      (c.legalForm, c.name) = ClientRowBuilder.splitLegalForm(orgName)
      c.kind = c.legalForm.uppercased() == "ИП" || inn.count == 12 ? .person : .company
      let sameAsOrg =
        personName.isEmpty || TextFold.key(personName) == TextFold.key(orgName)
        || TextFold.key(personName) == TextFold.key(c.displayName)
      if sameAsOrg {
        c.phones = phones.map(Phone.init)
        c.emails = emails
      } else {
        persons.append(
          ContactPerson(
            clientId: 0, name: personName, position: title, phones: phones.map(Phone.init),
            emails: emails, birthday: birthday))
      }
    } else {
      c.kind = .person
      c.name = personName.isEmpty ? orgName : personName
      c.phones = phones.map(Phone.init)
      c.emails = emails
    }
    if c.name.isEmpty {
      return .rejected(
        ImportIssue(
          line: line, field: "FN",
          reason: l.pick(
            "the card has no name (FN, N or ORG)", "у карточки нет имени (FN, N или ORG)")))
    }
    return .row(ImportRow(line: line, client: c, persons: persons))
  }
}

/// Writes vCard 4.0: one card per client, lines folded at 75 octets without splitting a UTF-8
/// character, text escaped. A company is `KIND:org` with ORG and FN its display name; a person
/// `KIND:individual`. ИНН, КПП and ОГРН go in `X-INN`, `X-KPP`, `X-OGRN`, which the reader
/// takes back. Contact persons are not written (the JSON export keeps them).
public enum VCardWriter {
  public static func card(_ e: ExportedClient) -> Data {
    let c = e.client
    var lines = ["BEGIN:VCARD", "VERSION:4.0"]
    lines.append("KIND:" + (c.kind == .company ? "org" : "individual"))
    lines.append("FN:" + escape(c.displayName))
    if c.kind == .company {
      lines.append("ORG:" + escape(c.displayName))
    } else {
      lines.append("N:" + escape(c.name) + ";;;;")
    }
    for p in c.phones { lines.append("TEL;VALUE=text;TYPE=work:" + escape(p.raw)) }
    for m in c.emails { lines.append("EMAIL;TYPE=work:" + escape(m)) }
    if !c.legalAddress.isEmpty || !c.city.isEmpty {
      lines.append("ADR;TYPE=work:;;" + escape(c.legalAddress) + ";" + escape(c.city) + ";;;")
    }
    if !c.website.isEmpty { lines.append("URL:" + escape(c.website)) }
    if !c.inn.isEmpty { lines.append("X-INN:" + escape(c.inn)) }
    if !c.kpp.isEmpty { lines.append("X-KPP:" + escape(c.kpp)) }
    if !c.ogrn.isEmpty { lines.append("X-OGRN:" + escape(c.ogrn)) }
    if !c.tags.isEmpty {
      lines.append("CATEGORIES:" + c.tags.map(escape).joined(separator: ","))
    }
    if !c.notes.isEmpty { lines.append("NOTE:" + escape(c.notes)) }
    lines.append("END:VCARD")
    var out = Data()
    for line in lines { out += fold(line) }
    return out
  }

  /// `\`, `,`, `;` and line breaks escaped.
  static func escape(_ s: String) -> String {
    // By scalar, like `split`: "\\" or "," followed by a combining mark is one Character.
    var out = String.UnicodeScalarView()
    let text = s.replacingOccurrences(of: "\r\n", with: "\n")
    for u in text.unicodeScalars {
      switch u {
      case "\\": out.append(contentsOf: "\\\\".unicodeScalars)
      case ",": out.append(contentsOf: "\\,".unicodeScalars)
      case ";": out.append(contentsOf: "\\;".unicodeScalars)
      case "\n", "\r": out.append(contentsOf: "\\n".unicodeScalars)
      default: out.append(u)
      }
    }
    return String(out)
  }

  /// The line with CRLF, folded into pieces of at most 75 octets (continuations start with a
  /// space), never inside a UTF-8 sequence.
  static func fold(_ line: String) -> Data {
    let bytes = Array(line.utf8)
    var out = Data()
    var start = 0
    var first = true
    while start < bytes.count {
      let room = first ? 75 : 74
      var end = min(bytes.count, start + room)
      while end < bytes.count && end > start && bytes[end] & 0xC0 == 0x80 { end -= 1 }
      if !first { out.append(0x20) }
      out += bytes[start..<end]
      out += [0x0D, 0x0A]
      start = end
      first = false
    }
    if bytes.isEmpty { out += [0x0D, 0x0A] }
    return out
  }
}
