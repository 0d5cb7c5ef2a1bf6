import CRMCore
import Foundation

/// A file carried by a message (its name as the sender gave it, or one made from the part).
public struct MailPartFile: Equatable, Sendable {
  public var name: String
  public var mime: String
  /// The part number (`2`, `2.1`), as IMAP numbers them.
  public var part: String
  public var size: Int
  /// The decoded bytes, when asked for (`MIMEParser.Options.keepFiles`).
  public var data: [UInt8]?
}

/// One message, decoded: the headers a CRM logs, the text to keep and the files' names.
public struct ParsedMail: Equatable, Sendable {
  /// Message-ID without the angle brackets; empty when the message has none.
  public var messageId = ""
  public var inReplyTo = ""
  public var references: [String] = []
  public var from: [MailAddress] = []
  public var to: [MailAddress] = []
  public var cc: [MailAddress] = []
  public var replyTo: [MailAddress] = []
  public var subject = ""
  /// The Date header; nil when it is missing or unreadable.
  public var date: Date?
  /// The text of the message: the text/plain part, or the text of the HTML part when there is
  /// no plain one; cut at `Options.textCap` bytes with a note.
  public var text = ""
  public var textFromHTML = false
  public var textCut = false
  public var files: [MailPartFile] = []
  /// What was decoded by guess (an unknown charset, an unclosed multipart…), for the user.
  public var warnings: [String] = []

  public init() {}

  /// All addresses the message was sent to (To and Cc).
  public var recipients: [MailAddress] { to + cc }
}

/// Why a message could not be read: the part (`2.1`; empty for the message as a whole) and the
/// reason, in the user's language.
public struct MailParseError: Error, Equatable, Sendable, CustomStringConvertible {
  public var part: String
  public var message: String
  public var language: Language

  public var description: String {
    part.isEmpty ? message : language.pick("part \(part): ", "часть \(part): ") + message
  }
}

/// Reads RFC 5322 / MIME messages from bytes. Written here (no package offers it for Swift on
/// Linux): header folding, RFC 2047 encoded words, RFC 2231 parameters, nested multiparts,
/// quoted-printable and base64, the charsets of `MailCharset`. HTML is only ever turned into
/// text (`MailHTML`). A message that cannot be read throws `MailParseError` naming the part;
/// nothing is returned half-read.
public struct MIMEParser {
  public struct Options: Sendable {
    /// The most bytes of text kept (UTF-8); longer text is cut with a note.
    public var textCap = 64 * 1024
    /// Keep the decoded bytes of the files (for storing them as attachments).
    public var keepFiles = false
    public static let maxDepth = 32
    public static let maxParts = 2000

    public init(textCap: Int = 64 * 1024, keepFiles: Bool = false) {
      self.textCap = textCap
      self.keepFiles = keepFiles
    }
  }

  let buf: [UInt8]
  let options: Options
  let language: Language
  var warnings: [String] = []
  var unknownCharsets: Set<String> = []
  var partCount = 0

  /// Parses a whole message.
  public static func parse(_ data: [UInt8], options: Options = Options(), language: Language)
    throws(MailParseError) -> ParsedMail
  {
    var p = MIMEParser(buf: data, options: options, language: language)
    return try p.message()
  }

  public static func parse(_ data: Data, options: Options = Options(), language: Language)
    throws(MailParseError) -> ParsedMail
  {
    try parse([UInt8](data), options: options, language: language)
  }

  /// Only the top-level headers (addresses, subject, date, identifiers), without reading the
  /// body: what `crm mail sync` needs to decide whether a message concerns anyone.
  public static func headers(_ data: [UInt8], language: Language) throws(MailParseError)
    -> ParsedMail
  {
    var p = MIMEParser(buf: data, options: Options(), language: language)
    let (fields, _) = p.headerBlock(0..<data.count, topLevel: true)
    guard !fields.isEmpty else { throw p.notMail() }
    var mail = ParsedMail()
    p.fill(&mail, fields)
    mail.warnings = p.warnings
    return mail
  }

  init(buf: [UInt8], options: Options, language: Language) {
    self.buf = buf
    self.options = options
    self.language = language
  }

  func fail(_ part: String, _ en: String, _ ru: String) -> MailParseError {
    MailParseError(part: part, message: language.pick(en, ru), language: language)
  }

  func notMail() -> MailParseError {
    fail(
      "", "not an e-mail message: no header lines (Name: value) at the start",
      "это не письмо: в начале нет строк заголовков (Имя: значение)")
  }

  // MARK: Headers

  typealias Fields = [(name: String, value: ArraySlice<UInt8>)]

  /// The header lines of a part (folded lines joined, names in lower case) and where its body
  /// starts. The block ends at the first empty line, or at the first line that is not a header
  /// (a missing separator, as some mailers write).
  func headerBlock(_ range: Range<Int>, topLevel: Bool) -> (Fields, Int) {
    var fields: Fields = []
    var i = range.lowerBound
    let end = range.upperBound
    var current: [UInt8]?
    var currentName = ""
    var first = true
    func lineEnd(_ from: Int) -> Int {
      var j = from
      while j < end, buf[j] != 0x0A { j += 1 }
      return j
    }
    func close() {
      if let c = current { fields.append((currentName, c[...])) }
      current = nil
    }
    while i < end {
      let e = lineEnd(i)
      var contentEnd = e
      if contentEnd > i, buf[contentEnd - 1] == 0x0D { contentEnd -= 1 }
      let next = min(end, e + 1)
      if contentEnd == i {
        close()
        return (fields, next)
      }
      let b = buf[i]
      if b == 0x20 || b == 0x09 {
        if current != nil {
          current! += buf[i..<contentEnd]
          i = next
          continue
        }
        if first && !topLevel {
          close()
          return (fields, i)
        }
        i = next
        first = false
        continue
      }
      if topLevel && first && contentEnd - i >= 5 && buf[i..<(i + 5)].elementsEqual("From ".utf8) {
        i = next  // an mbox separator line
        first = false
        continue
      }
      var colon = -1
      var j = i
      while j < contentEnd {
        let c = buf[j]
        if c == UInt8(ascii: ":") {
          colon = j
          break
        }
        if c <= 0x20 || c >= 0x7F { break }
        j += 1
      }
      // Allow blanks between the name and the colon (obsolete syntax).
      if colon < 0 {
        var k = j
        while k < contentEnd, buf[k] == 0x20 || buf[k] == 0x09 { k += 1 }
        if k > j, k < contentEnd, buf[k] == UInt8(ascii: ":") { colon = k }
      }
      guard colon > i else {
        close()
        return (fields, i)
      }
      close()
      currentName = String(decoding: buf[i..<colon], as: UTF8.self)
        .trimmingCharacters(in: .whitespaces).lowercased()
      var v = colon + 1
      while v < contentEnd, buf[v] == 0x20 || buf[v] == 0x09 { v += 1 }
      current = Array(buf[v..<contentEnd])
      first = false
      i = next
    }
    close()
    return (fields, end)
  }

  func field(_ fields: Fields, _ name: String) -> ArraySlice<UInt8>? {
    fields.first(where: { $0.name == name })?.value
  }

  func text(_ bytes: ArraySlice<UInt8>) -> String { MailCharset.guess(bytes) }

  mutating func decoded(_ fields: Fields, _ name: String) -> String {
    guard let v = field(fields, name) else { return "" }
    return MailHeader.clean(MailHeader.decodeWords(text(v), unknown: &unknownCharsets))
  }

  mutating func addresses(_ fields: Fields, _ name: String) -> [MailAddress] {
    fields.filter { $0.name == name }.flatMap {
      MailHeader.addresses(text($0.value), unknown: &unknownCharsets)
    }
  }

  mutating func fill(_ mail: inout ParsedMail, _ fields: Fields) {
    mail.messageId =
      field(fields, "message-id").map { MailHeader.identifiers(text($0)) }?.first
      ?? ""
    mail.inReplyTo =
      field(fields, "in-reply-to").map { MailHeader.identifiers(text($0)) }?.first
      ?? ""
    mail.references = field(fields, "references").map { MailHeader.identifiers(text($0)) } ?? []
    mail.from = addresses(fields, "from")
    if mail.from.isEmpty { mail.from = addresses(fields, "sender") }
    mail.to = addresses(fields, "to")
    mail.cc = addresses(fields, "cc")
    mail.replyTo = addresses(fields, "reply-to")
    mail.subject = decoded(fields, "subject")
    if let d = field(fields, "date") {
      mail.date = MailHeader.date(text(d))
      if mail.date == nil {
        warnings.append(
          language.pick(
            "the Date header «\(MailHeader.clean(text(d)).prefix(60))» is not a date",
            "заголовок Date «\(MailHeader.clean(text(d)).prefix(60))» — не дата"))
      }
    }
    let unknown = unknownCharsets.sorted()
    if !unknown.isEmpty {
      warnings.append(
        language.pick(
          "unknown charset \(unknown.joined(separator: ", ")) read as best we could",
          "неизвестная кодировка \(unknown.joined(separator: ", ")) прочитана как получилось"))
    }
  }

  // MARK: Body

  /// A part of the message: its number, type, parameters and where its body is.
  struct Node {
    var number: String
    var type: String
    var params: [String: String]
    var disposition: String
    var dispositionParams: [String: String]
    var encoding: String
    var body: Range<Int>
    var children: [Node] = []

    var isMultipart: Bool { type.hasPrefix("multipart/") }
    var isAttachment: Bool { disposition == "attachment" }
    var fileName: String? {
      let n = dispositionParams["filename"] ?? params["name"]
      guard let n else { return nil }
      let clean = MailHeader.clean(n)
      return clean.isEmpty ? nil : clean
    }
  }

  mutating func message() throws(MailParseError) -> ParsedMail {
    let (fields, bodyStart) = headerBlock(0..<buf.count, topLevel: true)
    guard !fields.isEmpty else { throw notMail() }
    var mail = ParsedMail()
    let root = try node(
      fields, body: bodyStart..<buf.count, number: "1", depth: 0, defaultType: "text/plain")
    var parts: [String] = []
    var fromHTML = false
    collectText(root, into: &parts, html: &fromHTML)
    var text = parts.joined(separator: "\n\n")
    mail.textFromHTML = fromHTML && !text.isEmpty
    if text.utf8.count > options.textCap {
      var cut = text.utf8.index(text.utf8.startIndex, offsetBy: options.textCap)
      while cut > text.startIndex, !text.unicodeScalars.indices.contains(cut) {
        cut = text.utf8.index(before: cut)
      }
      let kept = text.unicodeScalars[..<cut]
      let total = text.utf8.count
      text = String(String.UnicodeScalarView(kept))
      text += language.pick(
        "\n\n[… the text is cut: \(total / 1024) KB, \(options.textCap / 1024) KB kept]",
        "\n\n[… текст обрезан: \(total / 1024) КБ, сохранено \(options.textCap / 1024) КБ]")
      mail.textCut = true
    }
    mail.text = text
    try collectFiles(root, into: &mail.files)
    fill(&mail, fields)
    mail.warnings = warnings
    return mail
  }

  mutating func node(
    _ fields: Fields, body: Range<Int>, number: String, depth: Int, defaultType: String
  ) throws(MailParseError) -> Node {
    partCount += 1
    if partCount > Options.maxParts {
      throw fail(
        number, "more than \(Options.maxParts) parts", "больше \(Options.maxParts) частей")
    }
    if depth > Options.maxDepth {
      throw fail(
        number, "multiparts nested deeper than \(Options.maxDepth) levels",
        "вложенность частей глубже \(Options.maxDepth) уровней")
    }
    var type = defaultType
    var params: [String: String] = [:]
    if let ct = field(fields, "content-type") {
      let parsed = MailHeader.parameters(text(ct), unknown: &unknownCharsets)
      if parsed.value.contains("/") && !parsed.value.contains(" ") {
        type = parsed.value
      } else if !parsed.value.isEmpty {
        warnings.append(
          language.pick(
            "part \(number): Content-Type «\(parsed.value.prefix(40))» read as \(defaultType)",
            "часть \(number): Content-Type «\(parsed.value.prefix(40))» прочитан как \(defaultType)"
          ))
      }
      params = parsed.params
    }
    var disposition = ""
    var dispositionParams: [String: String] = [:]
    if let cd = field(fields, "content-disposition") {
      let parsed = MailHeader.parameters(text(cd), unknown: &unknownCharsets)
      disposition = parsed.value
      dispositionParams = parsed.params
    }
    let encoding = field(fields, "content-transfer-encoding").map {
      MailHeader.clean(text($0)).lowercased()
    }
    var n = Node(
      number: number, type: type, params: params, disposition: disposition,
      dispositionParams: dispositionParams, encoding: encoding ?? "7bit", body: body)
    guard n.isMultipart else { return n }
    guard let boundary = params["boundary"], !boundary.isEmpty else {
      throw fail(
        number, "\(type) without a boundary parameter", "\(type) без параметра boundary")
    }
    let ranges = split(body, boundary: Array(boundary.utf8), number: number)
    guard let ranges else {
      throw fail(
        number, "the multipart boundary «\(boundary.prefix(70))» never appears",
        "граница частей «\(boundary.prefix(70))» не встречается")
    }
    let childDefault = type == "multipart/digest" ? "message/rfc822" : "text/plain"
    for (k, r) in ranges.enumerated() {
      let childNumber = number == "1" && depth == 0 ? "\(k + 1)" : "\(number).\(k + 1)"
      let (childFields, childBody) = headerBlock(r, topLevel: false)
      n.children.append(
        try node(
          childFields, body: childBody..<r.upperBound, number: childNumber, depth: depth + 1,
          defaultType: childDefault))
    }
    return n
  }

  /// The bodies between the boundary lines of a multipart (the line break before each
  /// boundary belongs to it); nil when the boundary never appears. A missing closing boundary
  /// is a warning: the message was probably cut, the parts found are kept.
  mutating func split(_ body: Range<Int>, boundary: [UInt8], number: String) -> [Range<Int>]? {
    var parts: [Range<Int>] = []
    var start: Int?
    var closed = false
    var i = body.lowerBound
    let end = body.upperBound
    let b = boundary.count
    while i < end {
      // i is at the start of a line.
      if i + 2 + b <= end, buf[i] == UInt8(ascii: "-"), buf[i + 1] == UInt8(ascii: "-"),
        buf[(i + 2)..<(i + 2 + b)].elementsEqual(boundary)
      {
        var j = i + 2 + b
        var last = false
        if j + 1 < end, buf[j] == UInt8(ascii: "-"), buf[j + 1] == UInt8(ascii: "-") {
          last = true
          j += 2
        }
        var k = j
        while k < end, buf[k] == 0x20 || buf[k] == 0x09 || buf[k] == 0x0D { k += 1 }
        if k == end || buf[k] == 0x0A {
          if let s = start {
            var e = i
            if e > s, buf[e - 1] == 0x0A { e -= 1 }
            if e > s, buf[e - 1] == 0x0D { e -= 1 }
            parts.append(s..<max(s, e))
          }
          if last {
            closed = true
            start = nil
            break
          }
          start = min(end, k + 1)
          i = min(end, k + 1)
          continue
        }
      }
      while i < end, buf[i] != 0x0A { i += 1 }
      i += 1
    }
    if let s = start {
      parts.append(s..<end)
    }
    if parts.isEmpty && !closed { return nil }
    if !closed {
      warnings.append(
        language.pick(
          "part \(number): the multipart is not closed (the message may be cut)",
          "часть \(number): составная часть не закрыта (письмо могло оборваться)"))
    }
    return parts
  }

  /// The decoded bytes of a leaf part.
  func content(_ n: Node) throws(MailParseError) -> [UInt8] {
    let raw = buf[n.body]
    switch n.encoding {
    case "base64":
      var bad = 0
      guard let bytes = MIMEDecode.base64(raw, strict: true, badAt: &bad) else {
        if bad < 0 {
          throw fail(
            n.number, "base64 is broken (it ends in the middle of a byte)",
            "base64 повреждён (обрывается посреди байта)")
        }
        throw fail(
          n.number, "base64 is broken (byte \(bad + 1) of the part's body)",
          "base64 повреждён (байт \(bad + 1) тела части)")
      }
      return bytes
    case "quoted-printable": return MIMEDecode.quotedPrintable(raw)
    default: return Array(raw)
    }
  }

  mutating func textOf(_ n: Node) throws(MailParseError) -> String {
    let bytes = try content(n)
    let charset = n.params["charset"] ?? "us-ascii"
    let (s, known) = MailCharset.decode(bytes[...], charset: charset)
    if !known {
      warnings.append(
        language.pick(
          "part \(n.number): unknown charset «\(MailHeader.clean(charset).prefix(40))» read as best we could",
          "часть \(n.number): неизвестная кодировка «\(MailHeader.clean(charset).prefix(40))» прочитана как получилось"
        ))
    }
    if !["7bit", "8bit", "binary", "base64", "quoted-printable", ""].contains(n.encoding) {
      warnings.append(
        language.pick(
          "part \(n.number): unknown transfer encoding «\(n.encoding.prefix(40))» kept as is",
          "часть \(n.number): неизвестное кодирование «\(n.encoding.prefix(40))» оставлено как есть"
        ))
    }
    return Self.bodyText(s)
  }

  /// Text with line breaks made `\n` and control characters (escape sequences included)
  /// dropped: it is shown in a terminal.
  static func bodyText(_ s: String) -> String {
    var out = String.UnicodeScalarView()
    var cr = false
    for scalar in s.unicodeScalars {
      let v = scalar.value
      if v == 0x0D {
        out.append("\n")
        cr = true
        continue
      }
      if v == 0x0A {
        if !cr { out.append("\n") }
        cr = false
        continue
      }
      cr = false
      if v == 0x09 {
        out.append(scalar)
      } else if v < 0x20 || (0x7F...0x9F).contains(v) || (0x202A...0x202E).contains(v)
        || (0x2066...0x2069).contains(v) || v == 0xFEFF
      {
        continue
      } else {
        out.append(scalar)
      }
    }
    // Trailing spaces of lines (format=flowed leaves them) and trailing blank lines go.
    var lines = String(out).split(separator: "\n", omittingEmptySubsequences: false).map {
      var l = Substring($0)
      while l.last == " " || l.last == "\t" { l.removeLast() }
      return l
    }
    while lines.last?.isEmpty == true { lines.removeLast() }
    while lines.first?.isEmpty == true { lines.removeFirst() }
    return lines.joined(separator: "\n")
  }

  /// The readable text of a part: text/plain preferred over text/html in alternatives; in
  /// mixed parts each inline text part in order; in related ones the first.
  mutating func collectText(_ n: Node, into out: inout [String], html: inout Bool) {
    if n.isMultipart {
      if n.type == "multipart/alternative" {
        var plain: [String] = []
        var plainHTML = false
        for c in n.children where c.type == "text/plain" || c.isMultipart {
          var t: [String] = []
          var h = false
          collectText(c, into: &t, html: &h)
          if !t.isEmpty && !h {
            plain = t
            break
          }
          if !t.isEmpty && plain.isEmpty {
            plain = t
            plainHTML = h
          }
        }
        if plain.isEmpty || plainHTML {
          for c in n.children where c.type == "text/html" {
            var t: [String] = []
            var h = false
            collectText(c, into: &t, html: &h)
            if !t.isEmpty {
              plain = t
              plainHTML = true
              break
            }
          }
        }
        out += plain
        if plainHTML { html = true }
        return
      }
      let children = n.type == "multipart/related" ? Array(n.children.prefix(1)) : n.children
      for c in children { collectText(c, into: &out, html: &html) }
      return
    }
    guard !n.isAttachment else { return }
    if n.type == "text/plain" || (n.type == "text/html" && n.fileName == nil) {
      guard let s = try? textOf(n) else { return }
      let t = n.type == "text/html" ? MailHTML.text(s) : s
      if n.type == "text/html" { html = true }
      if !t.isEmpty { out.append(t) }
    }
  }

  /// The files of the message: parts marked as attachments, parts with a file name, and parts
  /// that are not text. Every leaf is decoded, so a broken one is reported by its number.
  mutating func collectFiles(_ n: Node, into out: inout [MailPartFile]) throws(MailParseError) {
    if n.isMultipart {
      for c in n.children { try collectFiles(c, into: &out) }
      return
    }
    let bytes = try content(n)
    let isText = n.type == "text/plain" || n.type == "text/html"
    guard n.isAttachment || n.fileName != nil || !isText else { return }
    var name = n.fileName ?? ""
    if name.isEmpty {
      if n.type == "message/rfc822" {
        var sub = MIMEParser(buf: bytes, options: Options(), language: language)
        let (f, _) = sub.headerBlock(0..<bytes.count, topLevel: true)
        let subject = sub.decoded(f, "subject")
        name = (subject.isEmpty ? "message" : String(subject.prefix(80))) + ".eml"
      } else {
        name = language.pick("part \(n.number)", "часть \(n.number)") + " (\(n.type))"
      }
    }
    // A file name is only a name: no folders, no control characters.
    name = name.split(separator: "/").last.map(String.init) ?? name
    name = name.split(separator: "\\").last.map(String.init) ?? name
    out.append(
      MailPartFile(
        name: name, mime: n.type, part: n.number, size: bytes.count,
        data: options.keepFiles ? bytes : nil))
  }
}
