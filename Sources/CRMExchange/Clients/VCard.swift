import CRMCore
import Foundation

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Reads vCard 2.1, 3.0 and 4.0 files as real programs write them, one card at a time.
///
/// Lines end in CRLF, LF, CR or iPhone's CR CR LF; empty lines and `#` comment lines are
/// skipped. A line starting with a space or a tab continues the previous one, and so do a
/// quoted-printable value ending in `=` (soft break), a line ending in a lone `\` and, with a
/// warning, a line inside a card that is no `NAME:value` (a writer that did not fold). Parameter
/// values may be quoted (`LABEL="a:b;c"`); 2.1's bare parameters (`TEL;WORK;QUOTED-PRINTABLE:`)
/// are read. Values are decoded by `CHARSET=` (any charset iconv knows: windows-1251, koi8-r,
/// Shift_JIS, iso-8859-1…), else as UTF-8 when valid, else as Windows-1251.
///
/// Where each property goes: a card with ORG becomes a company client with the card's person
/// (FN, else N) as its contact person (TITLE, BDAY, TEL, EMAIL and the card's NOTE go to that
/// person); a card without ORG (or `KIND:individual`) becomes a person client. The first work
/// address is the client's legal address (a `postal` one its postal address), the first URL
/// its website, CATEGORIES its tags. What has no field — more addresses and URLs, NICKNAME,
/// IMPP and messenger handles, a birthday without a year or of a person client, ROLE, a
/// department, other named properties — is written into the notes of whom the card is about as
/// `Label: value` lines, so nothing is dropped silently. A phone no number can be read from, an
/// e-mail that is no address or a value that is not text in its charset is skipped (or kept in
/// the note) with a warning naming its line; only a card with nothing to name the client by
/// (FN, N, ORG, NICKNAME, EMAIL or TEL) or without END:VCARD is rejected, with its line. A file
/// with no BEGIN:VCARD at all is an `ImportFileError`.
///
/// Cards our writer puts after a company (`RELATED:` its `UID`) are read back as its contact
/// persons.
public final class VCardReader {
  public private(set) var warnings: [ImportIssue] = []
  public private(set) var bytesRead: Int64 = 0
  public let totalBytes: Int64
  let language: Language
  /// Where numbers written without a country code are dialled (ISO 3166, e.g. "RU").
  let region: String
  private let read: () throws -> Data
  private var splitter = LineSplitter()
  private var lines: [(Int, [UInt8])] = []
  private var lineIndex = 0
  private var done = false
  /// The logical line being assembled from folded physical lines.
  private var logical: (line: Int, bytes: [UInt8])?
  private var card: VCardBuilder?
  private var sawBegin = false
  private var skipToEnd = false
  /// A card with a UID, held until the next card shows whether it names it as RELATED.
  private var pending: (row: ImportRow, uid: String)?
  private var ready: [ImportItem] = []
  private var charsets = CharsetCache()
  /// Warnings about text outside cards so far (at most 20 are kept: a file that is no vCard
  /// would otherwise make one per line).
  private var outside = 0

  public convenience init(
    url: URL, language: Language, region: String = PhoneNumber.defaultRegion
  ) throws {
    let file = try ImportChunks.file(url)
    self.init(total: file.total, read: file.read, language: language, region: region)
  }

  public convenience init(
    data: Data, language: Language, region: String = PhoneNumber.defaultRegion
  ) {
    let memory = ImportChunks.memory(data, chunkSize: ClientCSVReader.chunkSize)
    self.init(total: memory.total, read: memory.read, language: language, region: region)
  }

  init(total: Int64, read: @escaping () throws -> Data, language: Language, region: String) {
    self.totalBytes = total
    self.read = read
    self.language = language
    self.region = region.uppercased()
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
      if let current = logical, current.bytes.count > ClientCSVReader.maxRecordBytes {
        throw ImportFileError(
          line: current.line, en: "line too long", ru: "слишком длинная строка")
      }
      // Quoted-printable soft line break: the value goes on in the next line.
      if let current = logical, current.bytes.last == 0x3D, Self.isQuotedPrintable(current.bytes) {
        logical!.bytes.removeLast()
        logical!.bytes += b
        continue
      }
      // Empty lines (iPhone's CR CR LF makes one after every line) carry nothing.
      if b.allSatisfy({ $0 == 0x20 || $0 == 0x09 }) { continue }
      if let first = b.first, first == 0x20 || first == 0x09, logical != nil {
        logical!.bytes += b.dropFirst()
        continue
      }
      if b.first == 0x23 { continue }  // `#` comment
      if let current = logical {
        // `\` at the end of a line continues it on the next.
        // (Kept as the escape `\n`: the value has a line break there.)
        if Self.endsInLoneBackslash(current.bytes), !Self.isPropertyLine(b) {
          logical!.bytes.append(0x6E)
          logical!.bytes += b
          continue
        }
        // A line of a card that is no property: the previous value's next line, as a writer
        // that does not fold leaves it.
        if card != nil, !Self.isPropertyLine(b), !Self.isBeginOrEnd(current.bytes) {
          warnings.append(
            ImportIssue(
              line: n, field: "",
              reason: language.pick(
                "not a NAME:value line; read as the next line of line \(current.line)'s value",
                "не строка ИМЯ:значение; прочитана как продолжение значения строки \(current.line)"
              )))
          logical!.bytes +=
            Self.isQuotedPrintable(current.bytes) ? [0x3D, 0x30, 0x41] : [0x5C, 0x6E]
          logical!.bytes += b
          continue
        }
      }
      let previous = logical
      logical = (n, b)
      if let previous { return previous }
    }
    defer { logical = nil }
    return logical
  }

  static func endsInLoneBackslash(_ b: [UInt8]) -> Bool {
    var count = 0
    for c in b.reversed() {
      if c != 0x5C { break }
      count += 1
    }
    return count % 2 == 1
  }

  static func isBeginOrEnd(_ b: [UInt8]) -> Bool {
    let head = b.prefix(6).map { $0 | 0x20 }
    return head.starts(with: Array("begin:".utf8)) || head.starts(with: Array("end:".utf8))
  }

  /// `NAME` (letters, digits, `-`, `_`, a group's `.`) then parameters and a `:` outside quotes.
  static func isPropertyLine(_ b: [UInt8]) -> Bool {
    var i = 0
    while i < b.count {
      let c = b[i]
      let isNameByte =
        (c >= 0x41 && c <= 0x5A) || (c >= 0x61 && c <= 0x7A) || (c >= 0x30 && c <= 0x39)
        || c == 0x2D || c == 0x5F || c == 0x2E
      if !isNameByte { break }
      i += 1
    }
    guard i > 0, i < b.count, b[i] == 0x3A || b[i] == 0x3B else { return false }
    return VCardHead.colon(b) != nil
  }

  static func isQuotedPrintable(_ b: [UInt8]) -> Bool {
    guard let colon = VCardHead.colon(b) else { return false }
    let head = String(decoding: b[..<colon], as: UTF8.self).uppercased()
    return head.contains("QUOTED-PRINTABLE")
  }

  public func next() throws -> ImportItem? {
    while true {
      if !ready.isEmpty { return ready.removeFirst() }
      guard let item = try nextCard() else {
        if let p = pending {
          pending = nil
          return .row(p.row)
        }
        if !sawBegin {
          throw ImportFileError(
            line: 0, en: "no BEGIN:VCARD: this is not a vCard file",
            ru: "нет BEGIN:VCARD: это не файл vCard")
        }
        return nil
      }
      switch item {
      case .rejected:
        flush()
        ready.append(item.item)
      case .card(let row, let uid, let related):
        if let p = pending, related.contains(p.uid),
          !row.persons.isEmpty || row.client.kind == .person
        {
          // A contact person our writer put after its company.
          let persons =
            row.persons.isEmpty
            ? [
              ContactPerson(
                clientId: 0, name: row.client.name, phones: row.client.phones,
                emails: row.client.emails, notes: row.client.notes)
            ] : row.persons
          pending!.row.persons += persons
          continue
        }
        flush()
        if let uid, !uid.isEmpty {
          pending = (row, uid)
        } else {
          ready.append(.row(row))
        }
      }
    }
  }

  private func flush() {
    if let p = pending {
      ready.append(.row(p.row))
      pending = nil
    }
  }

  enum Card {
    case card(ImportRow, uid: String?, related: [String])
    case rejected(ImportIssue)

    var item: ImportItem {
      switch self {
      case .card(let row, _, _): return .row(row)
      case .rejected(let issue): return .rejected(issue)
      }
    }
  }

  private func nextCard() throws -> Card? {
    let l = language
    while let (n, bytes) = try nextLogical() {
      guard let head = VCardHead(bytes) else {
        if card != nil {
          warnings.append(
            ImportIssue(
              line: n, field: "",
              reason: l.pick("not a NAME:value line, ignored", "не строка ИМЯ:значение, пропущена"))
          )
        } else if !skipToEnd && outside < 20 {
          outside += 1
          warnings.append(
            ImportIssue(
              line: n, field: "",
              reason: l.pick("text outside a card, ignored", "текст вне карточки, пропущен")))
        }
        continue
      }
      let rawValue = Array(bytes[(head.colon + 1)...])
      let upperValue = String(decoding: rawValue, as: UTF8.self).trimmingSpaces().uppercased()
      if head.name == "BEGIN" && upperValue == "VCARD" {
        sawBegin = true
        skipToEnd = false
        if let open = card {
          card = VCardBuilder(line: n, reader: self)
          return .rejected(
            ImportIssue(
              line: open.line, field: "",
              reason: l.pick(
                "the card has no END:VCARD before the next card (line \(n))",
                "у карточки нет END:VCARD до следующей (строка \(n))")))
        }
        card = VCardBuilder(line: n, reader: self)
        continue
      }
      if head.name == "END" && upperValue == "VCARD" {
        skipToEnd = false
        guard let done = card else {
          warnings.append(
            ImportIssue(
              line: n, field: "",
              reason: l.pick("END:VCARD without BEGIN, ignored", "END:VCARD без BEGIN, пропущено")))
          continue
        }
        card = nil
        let built = done.build(l)
        warnings += built.warnings
        return built.card
      }
      guard card != nil else {
        if !skipToEnd && outside < 20 {
          outside += 1
          warnings.append(
            ImportIssue(
              line: n, field: head.name,
              reason: l.pick("outside a card, ignored", "вне карточки, пропущено")))
        }
        continue
      }
      card!.add(head, raw: rawValue, line: n)
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

  fileprivate func decode(_ b: [UInt8], charset: String) -> String?? {
    charsets.decode(b, charset: charset)
  }
}

/// The part of a property line before its value: name (group dropped) and parameters, with
/// quoted parameter values (which may hold `:` and `;`) unquoted.
struct VCardHead {
  var name: String
  /// Upper-cased keys; 2.1's bare parameters under `TYPE` (or `ENCODING` for encodings).
  var params: [(key: String, value: String)]
  var colon: Int

  /// The first `:` outside double quotes.
  static func colon(_ b: [UInt8]) -> Int? {
    var quoted = false
    for (i, c) in b.enumerated() {
      if c == 0x22 { quoted.toggle() }
      if c == 0x3A && !quoted { return i }
    }
    return nil
  }

  init?(_ b: [UInt8]) {
    guard let colon = Self.colon(b) else { return nil }
    self.colon = colon
    var pieces: [String] = []
    var current: [UInt8] = []
    var quoted = false
    for c in b[..<colon] {
      if c == 0x22 {
        quoted.toggle()
        continue
      }
      if c == 0x3B && !quoted {
        pieces.append(String(decoding: current, as: UTF8.self))
        current = []
      } else {
        current.append(c)
      }
    }
    pieces.append(String(decoding: current, as: UTF8.self))
    var name = pieces.removeFirst().trimmingSpaces().uppercased()
    if let dot = name.lastIndex(of: ".") { name = String(name[name.index(after: dot)...]) }
    guard !name.isEmpty else { return nil }
    self.name = name
    params = pieces.compactMap { p in
      let kv = p.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
      let key = kv[0].trimmingCharacters(in: .whitespaces).uppercased()
      if kv.count > 1 { return (key, String(kv[1]).trimmingSpaces()) }
      if key.isEmpty { return nil }
      switch key {
      case "QUOTED-PRINTABLE", "BASE64", "B", "8BIT", "7BIT": return ("ENCODING", key)
      default: return ("TYPE", key)
      }
    }
  }

  func value(_ key: String) -> String? {
    params.first { $0.key == key }?.value
  }

  /// TYPE values, lower-cased (`TYPE=work,voice`, `TYPE=work;TYPE=voice`, `WORK;VOICE`).
  var types: [String] {
    params.filter { $0.key == "TYPE" }.flatMap {
      $0.value.lowercased().split(separator: ",").map { String($0).trimmingSpaces() }
    }
  }
}

/// Charset names to decoders: UTF-8 and Windows-1251 by the fast table decoders, the rest by
/// iconv.
struct CharsetCache {
  private var known: [String: Bool] = [:]

  /// nil: the charset is unknown (decode as undeclared); .some(nil): the bytes are not text in it.
  mutating func decode(_ b: [UInt8], charset: String) -> String?? {
    let name = charset.uppercased()
    switch name {
    case "":
      return .some(Self.auto(b))
    case "UTF-8", "UTF8":
      return .some(b.withUnsafeBufferPointer { LineDecoder(.utf8).decode($0) })
    case "WINDOWS-1251", "CP1251", "CP-1251":
      return .some(b.withUnsafeBufferPointer { LineDecoder(.cp1251).decode($0) })
    case "US-ASCII", "ASCII":
      return .some(Self.auto(b))
    default:
      if known[name] == false { return nil }
      let result = Self.convert(b, from: name)
      if known[name] == nil {
        // An iconv that cannot open the charset says so once; then the value is read as if
        // no charset were given.
        known[name] = result.opened
      }
      return result.opened ? .some(result.text) : nil
    }
  }

  static func auto(_ b: [UInt8]) -> String {
    b.withUnsafeBufferPointer { p in
      isValidUTF8(p) ? String(decoding: p, as: UTF8.self) : LineDecoder(.cp1251).decode(p) ?? ""
    }
  }

  static func convert(_ b: [UInt8], from charset: String) -> (opened: Bool, text: String?) {
    let cd = iconv_open("UTF-8", charset)
    if cd == iconv_t(bitPattern: -1) { return (false, nil) }
    defer { iconv_close(cd) }
    if b.isEmpty { return (true, "") }
    var input = b.map { CChar(bitPattern: $0) }
    var output = [CChar](repeating: 0, count: b.count * 4 + 16)
    let ok = input.withUnsafeMutableBufferPointer { inBuf -> Int? in
      output.withUnsafeMutableBufferPointer { outBuf -> Int? in
        var inPtr: UnsafeMutablePointer<CChar>? = inBuf.baseAddress
        var inLeft = inBuf.count
        var outPtr: UnsafeMutablePointer<CChar>? = outBuf.baseAddress
        var outLeft = outBuf.count
        let r = iconv(cd, &inPtr, &inLeft, &outPtr, &outLeft)
        if r == -1 || inLeft != 0 { return nil }
        return outBuf.count - outLeft
      }
    }
    guard let count = ok else { return (true, nil) }
    let text = output.prefix(count).withUnsafeBufferPointer {
      $0.withMemoryRebound(to: UInt8.self) { String(decoding: $0, as: UTF8.self) }
    }
    return (true, text)
  }
}

/// One card's properties as they are read.
struct VCardBuilder {
  let line: Int
  unowned let reader: VCardReader
  var fn = ""
  var n: [String] = []
  var org: [String] = []
  var title = ""
  var nickname: [String] = []
  var phones: [Phone] = []
  var emails: [String] = []
  var addresses: [(types: [String], parts: [String], line: Int)] = []
  var urls: [(types: [String], value: String)] = []
  var notes: [String] = []
  /// `Label: value` lines for what has no field of its own.
  var extra: [String] = []
  var categories: [String] = []
  var birthday = ""
  var inn = ""
  var kpp = ""
  var ogrn = ""
  var segment = ""
  var leadSource = ""
  var kind = ""
  var uid = ""
  var related: [String] = []
  var warnings: [ImportIssue] = []

  init(line: Int, reader: VCardReader) {
    self.line = line
    self.reader = reader
  }

  var l: Language { reader.language }

  /// Properties that describe the file or the card, not the client (or binary ones we cannot
  /// keep): skipped without a note.
  static let metadata: Set<String> = [
    "VERSION", "PRODID", "REV", "PHOTO", "LOGO", "SOUND", "KEY", "CLIENTPIDMAP", "SORT-STRING",
    "LABEL", "NAME", "PROFILE", "SOURCE", "MAILER", "CLASS", "X-ABUID", "X-ABLABEL", "X-ABSHOWAS",
    "X-ABADR", "X-MOZILLA-HTML", "X-EVOLUTION-FILE-AS", "X-EVOLUTION-LIST",
    "X-EVOLUTION-LIST-SHOW-ADDRESSES", "X-EVOLUTION-BOOK-URI", "X-EVOLUTION-E164",
    "X-MS-OL-DEFAULT-POSTAL-ADDRESS", "X-MS-OL-DESIGN", "X-MS-CARDPICTURE", "X-WAB-GENDER",
    "X-PHONETIC-FIRST-NAME", "X-PHONETIC-LAST-NAME", "X-PHONETIC-MIDDLE-NAME",
    "X-PHONETIC-ORG", "X-IMAGETYPE", "X-IMAGEHASH", "X-SHAREDPHOTODISPLAYPREF",
    "X-ACTIVITY-ALERT", "X-ADDRESSBOOKSERVER-KIND", "X-ADDRESSBOOKSERVER-MEMBER", "FBURL",
    "CALURI", "CALADRURI", "XML", "X-GROUP-MEMBERSHIP", "X-TERMCRM-COMPANY",
  ]

  /// Messenger properties of the programs that predate IMPP.
  static let messengers: [String: String] = [
    "X-AIM": "aim", "X-ICQ": "icq", "X-JABBER": "xmpp", "X-MSN": "msn", "X-YAHOO": "yahoo",
    "X-SKYPE": "skype", "X-SKYPE-USERNAME": "skype", "X-GADUGADU": "gadugadu",
    "X-GOOGLE-TALK": "gtalk", "X-GTALK": "gtalk", "X-QQ": "qq", "X-TELEGRAM": "telegram",
    "X-SIP": "sip", "X-TWITTER": "twitter", "X-GROUPWISE": "groupwise", "X-MS-IMADDRESS": "im",
  ]

  mutating func warn(_ line: Int, _ field: String, _ en: String, _ ru: String) {
    warnings.append(ImportIssue(line: line, field: field, reason: l.pick(en, ru)))
  }

  mutating func add(_ head: VCardHead, raw: [UInt8], line: Int) {
    let name = head.name
    let encoding = head.value("ENCODING")?.uppercased() ?? ""
    if encoding == "B" || encoding == "BASE64" { return }  // photos, keys
    if Self.metadata.contains(name) || name.hasPrefix("X-COUCHDB-") { return }
    let bytes = encoding == "QUOTED-PRINTABLE" ? Self.quotedPrintable(raw) : raw
    let charset = head.value("CHARSET") ?? ""
    var decoded = reader.decode(bytes, charset: charset)
    if decoded == nil {
      warn(
        line, name, "unknown charset \(charset); read as UTF-8 or Windows-1251",
        "неизвестная кодировка \(charset); прочитано как UTF-8 или Windows-1251")
      decoded = .some(CharsetCache.auto(bytes))
    }
    guard let text = decoded!, !text.unicodeScalars.contains(where: { $0.value == 0 }) else {
      warn(
        line, name,
        "the value is not text in \(charset.isEmpty ? "its charset" : charset); this value is skipped",
        "значение — не текст в кодировке \(charset.isEmpty ? "файла" : charset); это значение пропущено"
      )
      return
    }
    let value = Self.unescape(text).trimmingSpaces()
    func label(_ en: String, _ ru: String) -> String { l.pick(en, ru) }
    switch name {
    case "FN": fn = value
    case "N": n = Self.components(text)
    case "ORG": org = Self.components(text).filter { !$0.isEmpty }
    case "TITLE": title = value
    case "NICKNAME": nickname += Self.list(text)
    case "TEL":
      var number = value
      if number.lowercased().hasPrefix("tel:") { number = String(number.dropFirst(4)) }
      if number.isEmpty { return }
      var parsed = PhoneNumber.parse(number, region: reader.region)
      // Our export names the E.164 form a number was read with in another region.
      if parsed.e164 == nil, let given = head.value("X-E164"),
        PhoneNumber.parse(given).e164 == given
      {
        parsed.e164 = given
      }
      let digits = number.unicodeScalars.filter { $0.properties.numericType != nil }.count
      if parsed.status == .none || digits < 3 {
        extra.append(label("Phone", "Телефон") + ": " + number)
        warn(
          line, "TEL", "«\(number)» is not a phone number; kept in the note",
          "«\(number)» — не номер телефона; сохранено в заметке")
        return
      }
      if parsed.e164 == nil {
        warn(
          line, "TEL",
          "«\(number)» is not a valid number in \(reader.region); kept as written (give --region for numbers of another country)",
          "«\(number)» — не номер региона \(reader.region); сохранён как записан (для номеров другой страны — --region)"
        )
      }
      phones.append(Phone(raw: number, e164: parsed.e164))
    case "EMAIL":
      var address = value
      if address.lowercased().hasPrefix("mailto:") { address = String(address.dropFirst(7)) }
      // `"Omega" <omega@example.com>`: the address in the angle brackets.
      if let open = address.lastIndex(of: "<"), let close = address.lastIndex(of: ">"),
        open < close, EmailAddress.isValid(String(address[address.index(after: open)..<close]))
      {
        address = String(address[address.index(after: open)..<close])
      }
      if address.isEmpty { return }
      if EmailAddress.isValid(address) {
        emails.append(address)
      } else {
        extra.append("E-mail: " + address)
        warn(
          line, "EMAIL", "«\(address)» is not an e-mail address; kept in the note",
          "«\(address)» — не адрес e-mail; сохранено в заметке")
      }
    case "ADR":
      let parts = Self.components(text)
      if parts.contains(where: { !$0.isEmpty }) {
        addresses.append((head.types, parts, line))
      }
    case "URL": if !value.isEmpty { urls.append((head.types, value)) }
    case "NOTE": if !value.isEmpty { notes.append(value) }
    case "CATEGORIES": categories += Self.list(text)
    case "BDAY":
      if let day = Self.day(value), VCardBuilderDates.isISODate(day) {
        birthday = day
      } else if !value.isEmpty {
        extra.append(label("Birthday", "День рождения") + ": " + Self.readableDay(value))
      }
    case "ANNIVERSARY", "X-ANNIVERSARY", "X-MS-ANNIVERSARY", "X-EVOLUTION-ANNIVERSARY":
      if !value.isEmpty {
        extra.append(label("Anniversary", "Годовщина") + ": " + Self.readableDay(value))
      }
    case "IMPP":
      if !value.isEmpty { extra.append(label("Messenger", "Мессенджер") + ": " + value) }
    case "ROLE": if !value.isEmpty { extra.append(label("Role", "Роль") + ": " + value) }
    case "X-INN": inn = value
    case "X-KPP": kpp = value
    case "X-OGRN": ogrn = value
    case "X-TERMCRM-SEGMENT": segment = value
    case "X-TERMCRM-SOURCE": leadSource = value
    case "KIND": kind = value.lowercased()
    case "UID": uid = value
    case "RELATED": related.append(value)
    case "X-ANDROID-CUSTOM":
      // Android's own rows: `vnd.android.cursor.item/nickname;Nick;…`, `…/relation;Name;…`.
      let parts = Self.components(text).filter { !$0.isEmpty }
      guard let kind = parts.first else { return }
      let rest = parts.dropFirst().filter { Int($0) == nil }
      if kind.hasSuffix("/nickname") {
        nickname += rest
      } else if !rest.isEmpty {
        let label = kind.split(separator: "/").last.map(String.init) ?? kind
        extra.append("\(label): " + rest.joined(separator: ", "))
      }
    case "GENDER", "X-GENDER":
      if !value.isEmpty && value != ";" { extra.append(label("Gender", "Пол") + ": " + value) }
    case "X-ASSISTANT", "X-MS-ASSISTANT", "X-EVOLUTION-ASSISTANT":
      if !value.isEmpty { extra.append(label("Assistant", "Помощник") + ": " + value) }
    case "X-MANAGER", "X-MS-MANAGER", "X-EVOLUTION-MANAGER":
      if !value.isEmpty { extra.append(label("Manager", "Руководитель") + ": " + value) }
    case "X-SPOUSE", "X-MS-SPOUSE", "X-EVOLUTION-SPOUSE":
      if !value.isEmpty { extra.append(label("Spouse", "Супруг(а)") + ": " + value) }
    default:
      if let service = Self.messengers[name] {
        if !value.isEmpty {
          extra.append(label("Messenger", "Мессенджер") + ": \(service): \(value)")
        }
      } else if !value.isEmpty {
        // Anything else with a text value is kept, named as the file names it.
        extra.append("\(name): \(value)")
      }
    }
  }

  /// Quoted-printable: `=XX` is a byte; a `=` not followed by two hex digits stays as it is.
  static func quotedPrintable(_ b: [UInt8]) -> [UInt8] {
    var out: [UInt8] = []
    out.reserveCapacity(b.count)
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
      if b[i] == 0x3D, i + 2 < b.count, let h = hex(b[i + 1]), let l = hex(b[i + 2]) {
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

  /// `1980-03-08`, `19800308`, `1980-03-08T00:00:00Z` → `1980-03-08`; nil without a year.
  static func day(_ s: String) -> String? {
    if s.hasPrefix("--") { return nil }
    let datePart = s.split(separator: "T").first.map(String.init) ?? s
    let digits = datePart.filter(\.isNumber)
    guard digits.count == 8, datePart.allSatisfy({ $0.isNumber || $0 == "-" }) else { return nil }
    let d = Array(digits)
    return String(d[0..<4]) + "-" + String(d[4..<6]) + "-" + String(d[6..<8])
  }

  /// A date as people read it where no date field takes it: `--0308` → `08.03`.
  static func readableDay(_ s: String) -> String {
    let digits = s.filter(\.isNumber)
    if s.hasPrefix("--") && digits.count == 4 {
      let d = Array(digits)
      return "\(String(d[2..<4])).\(String(d[0..<2]))"
    }
    if let day = day(s) {
      let p = day.split(separator: "-")
      return "\(p[2]).\(p[1]).\(p[0])"
    }
    return s
  }

  /// The address as one line: street, postcode, region, country (the city is its own field).
  static func addressLine(_ a: [String], withCity: Bool = false) -> String {
    func c(_ i: Int) -> String { i < a.count ? a[i] : "" }
    let parts = [c(0), c(1), c(2)] + (withCity ? [c(3)] : []) + [c(5), c(4), c(6)]
    return parts.filter { !$0.isEmpty }.joined(separator: ", ")
  }

  func build(_ l: Language) -> (card: VCardReader.Card, warnings: [ImportIssue]) {
    var warnings = self.warnings
    var personName = TextFold.sanitizeLine(fn)
    if personName.isEmpty && !n.isEmpty {
      // N: family; given; additional; prefixes; suffixes → "Family Given Additional".
      personName = [n[0], n.count > 1 ? n[1] : "", n.count > 2 ? n[2] : ""]
        .map { TextFold.sanitizeLine($0) }.filter { !$0.isEmpty }.joined(separator: " ")
    }
    let orgName = TextFold.sanitizeLine(org.first ?? "")
    var c = Client(name: "")
    var extra = self.extra
    if org.count > 1 {
      extra.insert(
        l.pick("Department", "Отдел") + ": " + org.dropFirst().joined(separator: ", "), at: 0)
    }
    // Addresses: work (or the first untyped) to the legal address, postal to the postal one,
    // our own x-actual to the actual one; the rest into the note.
    // `KIND:individual` with ORG is a person at that organisation (our persons' cards).
    let isCompany = !orgName.isEmpty
    let sameAsOrg =
      personName.isEmpty || TextFold.key(personName) == TextFold.key(orgName)
    // A card of a person at a company: the person's home address is not the company's.
    let personal = isCompany && !sameAsOrg
    var placed = Set<Int>()
    func take(_ match: ([String]) -> Bool) -> [String]? {
      guard
        let i = addresses.indices.first(where: {
          !placed.contains($0) && match(addresses[$0].types)
            && !(personal && addresses[$0].types.contains("home"))
        })
      else { return nil }
      placed.insert(i)
      return addresses[i].parts
    }
    if let legal = take({ $0.contains("work") || $0.contains("x-legal") })
      ?? take({ t in !t.contains("home") && !t.contains("postal") && !t.contains("x-actual") })
      ?? take({ !$0.contains("postal") && !$0.contains("x-actual") })
    {
      c.city = legal.count > 3 ? legal[3] : ""
      c.legalAddress = Self.addressLine(legal)
    }
    if let actual = take({ $0.contains("x-actual") }) {
      c.actualAddress = Self.addressLine(actual, withCity: true)
    }
    if let postal = take({ $0.contains("postal") }) {
      c.postalAddress = Self.addressLine(postal, withCity: true)
    }
    for i in addresses.indices where !placed.contains(i) {
      let types = addresses[i].types.filter {
        ["home", "work", "postal", "dom", "intl"].contains($0)
      }
      extra.append(
        l.pick("Address", "Адрес") + (types.isEmpty ? "" : " (\(types.joined(separator: ", ")))")
          + ": " + Self.addressLine(addresses[i].parts, withCity: true))
    }
    // A person's home page is not the company's site.
    let site =
      personal
      ? urls.firstIndex { !$0.types.contains("home") } : urls.indices.first
    c.website = site.map { urls[$0].value } ?? ""
    for (i, url) in urls.enumerated() where i != site {
      extra.append(l.pick("Website", "Сайт") + ": " + url.value)
    }
    if !nickname.isEmpty {
      extra.insert(l.pick("Nickname", "Псевдоним") + ": " + nickname.joined(separator: ", "), at: 0)
    }
    c.tags = categories
    c.inn = inn
    c.kpp = kpp
    c.ogrn = ogrn
    c.segment = segment
    c.leadSource = leadSource
    var persons: [ContactPerson] = []
    let noteText = (notes + extra).joined(separator: "\n")
    if isCompany {
      (c.legalForm, c.name) = ClientRowBuilder.splitLegalForm(orgName)
      c.kind = c.legalForm.uppercased() == "ИП" || inn.count == 12 ? .person : .company
      if sameAsOrg || TextFold.key(personName) == TextFold.key(c.displayName) {
        c.phones = phones
        c.emails = emails
        var note = noteText
        if !birthday.isEmpty {
          note +=
            (note.isEmpty ? "" : "\n") + l.pick("Birthday", "День рождения") + ": "
            + Self.readableDay(birthday)
        }
        c.notes = note
      } else {
        persons.append(
          ContactPerson(
            clientId: 0, name: personName, position: title, phones: phones, emails: emails,
            birthday: birthday, notes: noteText))
      }
    } else {
      c.kind = .person
      c.name = personName
      if c.name.isEmpty { c.name = orgName }
      if c.name.isEmpty { c.name = nickname.first ?? "" }
      if c.name.isEmpty { c.name = emails.first ?? "" }
      if c.name.isEmpty { c.name = phones.first?.raw ?? "" }
      c.phones = phones
      c.emails = emails
      var lines = notes
      if !title.isEmpty { lines.append(l.pick("Job title", "Должность") + ": " + title) }
      if !birthday.isEmpty {
        lines.append(l.pick("Birthday", "День рождения") + ": " + Self.readableDay(birthday))
      }
      c.notes = (lines + extra).joined(separator: "\n")
    }
    c.name = TextFold.sanitizeLine(c.name)
    if c.name.isEmpty {
      return (
        .rejected(
          ImportIssue(
            line: line, field: "FN",
            reason: l.pick(
              "the card has nothing to name the client by (FN, N, ORG, NICKNAME, EMAIL or TEL)",
              "у карточки нет ничего, что назвало бы клиента (FN, N, ORG, NICKNAME, EMAIL или TEL)"
            ))), warnings
      )
    }
    if c.name.count > Validator.maxName {
      warnings.append(
        ImportIssue(
          line: line, field: "FN",
          reason: l.pick(
            "name longer than \(Validator.maxName) characters, cut",
            "имя длиннее \(Validator.maxName) символов, обрезано")))
      c.name = String(c.name.prefix(Validator.maxName))
    }
    return (
      .card(ImportRow(line: line, client: c, persons: persons), uid: uid, related: related),
      warnings
    )
  }
}

enum VCardBuilderDates {
  static func isISODate(_ s: String) -> Bool { Validator.isISODate(s) }
}

/// Writes vCard 4.0: one card per client, then one per contact person, lines folded at 75
/// octets without splitting a UTF-8 character, text escaped. A company is `KIND:org` with ORG
/// and FN its display name; a person `KIND:individual`. Each client card has a `UID`; a
/// contact person's card has the client's name as ORG, its job title, phones, e-mails, birthday
/// and notes, and `RELATED:` the client's UID, which our reader follows back (other programs
/// see a person at that organisation). ИНН, КПП, ОГРН, segment and lead source go in `X-INN`,
/// `X-KPP`, `X-OGRN`, `X-TERMCRM-SEGMENT`, `X-TERMCRM-SOURCE`; the legal, actual and postal
/// addresses in `ADR` typed `work`, `x-actual` and `postal`.
public enum VCardWriter {
  /// A stable URN for a client's card, the same in every export.
  static func uid(_ id: Int64) -> String {
    let hex = String(UInt64(bitPattern: id), radix: 16)
    return "urn:uuid:7e3c0000-0000-4000-8000-"
      + String(repeating: "0", count: max(0, 12 - hex.count)) + hex
  }

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
    // A client not stored yet (id nil) still links its persons' cards to its own.
    let uid = uid(c.id ?? 0)
    lines.append("UID:" + uid)
    for p in c.phones { lines.append(tel(p)) }
    for m in c.emails { lines.append("EMAIL;TYPE=work:" + escape(m)) }
    if !c.legalAddress.isEmpty || !c.city.isEmpty {
      lines.append("ADR;TYPE=work:;;" + escape(c.legalAddress) + ";" + escape(c.city) + ";;;")
    }
    if !c.actualAddress.isEmpty {
      lines.append("ADR;TYPE=x-actual:;;" + escape(c.actualAddress) + ";;;;")
    }
    if !c.postalAddress.isEmpty {
      lines.append("ADR;TYPE=postal:;;" + escape(c.postalAddress) + ";;;;")
    }
    if !c.website.isEmpty { lines.append("URL:" + escape(c.website)) }
    if !c.inn.isEmpty { lines.append("X-INN:" + escape(c.inn)) }
    if !c.kpp.isEmpty { lines.append("X-KPP:" + escape(c.kpp)) }
    if !c.ogrn.isEmpty { lines.append("X-OGRN:" + escape(c.ogrn)) }
    if !c.segment.isEmpty { lines.append("X-TERMCRM-SEGMENT:" + escape(c.segment)) }
    if !c.leadSource.isEmpty { lines.append("X-TERMCRM-SOURCE:" + escape(c.leadSource)) }
    if !c.tags.isEmpty {
      lines.append("CATEGORIES:" + c.tags.map(escape).joined(separator: ","))
    }
    if !c.notes.isEmpty { lines.append("NOTE:" + escape(c.notes)) }
    lines.append("END:VCARD")
    for p in e.persons {
      lines.append(contentsOf: ["BEGIN:VCARD", "VERSION:4.0", "KIND:individual"])
      lines.append("FN:" + escape(p.name))
      lines.append("N:" + escape(p.name) + ";;;;")
      lines.append("ORG:" + escape(c.displayName))
      lines.append("RELATED:" + uid)
      if !p.position.isEmpty { lines.append("TITLE:" + escape(p.position)) }
      for ph in p.phones { lines.append(tel(ph)) }
      for m in p.emails { lines.append("EMAIL;TYPE=work:" + escape(m)) }
      if !p.birthday.isEmpty { lines.append("BDAY:" + p.birthday.filter(\.isNumber)) }
      if !p.notes.isEmpty { lines.append("NOTE:" + escape(p.notes)) }
      lines.append("END:VCARD")
    }
    var out = Data()
    for line in lines { out += fold(line) }
    return out
  }

  /// A phone as typed; with `X-E164=` when it was read in another region than Russia (a German
  /// number written without +49), so the import gets that form back.
  static func tel(_ p: Phone) -> String {
    var head = "TEL;VALUE=text;TYPE=work"
    if let e164 = p.e164, PhoneNumber.e164(p.raw) != e164 { head += ";X-E164=" + e164 }
    return head + ":" + escape(p.raw)
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
