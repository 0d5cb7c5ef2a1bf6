import CRMCore
import Foundation

/// An e-mail address with an optional display name: `Иван Петров <ivan@firm.ru>`.
public struct MailAddress: Equatable, Sendable, CustomStringConvertible {
  public var name: String
  public var address: String

  public init(name: String = "", address: String) {
    self.name = name
    self.address = address
  }

  /// The address folded for matching (e-mail addresses are compared case-insensitively).
  public var key: String { address.lowercased() }

  public var description: String { name.isEmpty ? address : "\(name) <\(address)>" }

  /// The part after `@`.
  public var domain: String {
    address.split(separator: "@").last.map(String.init) ?? "localhost"
  }

  /// The first entry of a comma-separated list, commas inside quotes kept.
  public static func firstOfList(_ text: String) -> String {
    var quoted = false
    var out = ""
    for ch in text {
      if ch == "\"" { quoted.toggle() }
      if ch == "," && !quoted { break }
      out.append(ch)
    }
    return out
  }

  /// Reads `addr@host`, `<addr@host>` or `Name <addr@host>` (the name may be quoted); nil when
  /// the address is not a plain ASCII `local@domain` (see `isValid`).
  public static func parse(_ text: String) -> MailAddress? {
    let t = text.trimmingCharacters(in: .whitespaces)
    if let open = t.lastIndex(of: "<"), t.hasSuffix(">") {
      var name = t[..<open].trimmingCharacters(in: .whitespaces)
      if name.count >= 2, name.hasPrefix("\""), name.hasSuffix("\"") {
        name = String(name.dropFirst().dropLast()).replacingOccurrences(of: "\\\"", with: "\"")
      }
      let address = String(t[t.index(after: open)..<t.index(before: t.endIndex)])
      guard isValid(address) else { return nil }
      return MailAddress(name: TextFold.sanitizeLine(name), address: address)
    }
    guard isValid(t) else { return nil }
    return MailAddress(address: t)
  }

  /// An address we write into a header as is: printable ASCII without spaces, quotes, angle
  /// brackets, commas, semicolons or parentheses, one `@` with text on both sides and a dot-free
  /// start and end. Internationalised addresses (SMTPUTF8) are not sent.
  public static func isValid(_ address: String) -> Bool {
    let forbidden = Set<UInt8>(Array(" \"<>,;:()[]\\".utf8))
    let bytes = Array(address.utf8)
    guard bytes.count <= 254, bytes.allSatisfy({ $0 > 32 && $0 < 127 && !forbidden.contains($0) })
    else { return false }
    let parts = address.split(separator: "@", omittingEmptySubsequences: false)
    guard parts.count == 2, !parts[0].isEmpty, parts[1].count >= 1, !parts[1].hasPrefix("."),
      !parts[1].hasSuffix("."), !parts[0].hasPrefix("."), !parts[0].hasSuffix(".")
    else { return false }
    return true
  }
}

/// One message to write: a UTF-8 text body and attached files.
public struct MIMEMessage: Equatable, Sendable {
  public var from: MailAddress
  public var to: [MailAddress]
  public var subject: String
  public var date: Date
  public var timeZone: TimeZone
  /// Without angle brackets, as logged: `tppg1n.17fz…@firm.ru`; so are `inReplyTo` and
  /// `references`.
  public var messageId: String
  public var inReplyTo: String
  public var references: [String]
  public var body: String
  public var attachments: [AttachmentFile]
  /// The multipart boundary; random per message (see `MIMEWriter.boundary`).
  public var boundary: String

  public init(
    from: MailAddress, to: [MailAddress], subject: String, date: Date, timeZone: TimeZone,
    messageId: String, inReplyTo: String = "", references: [String] = [], body: String,
    attachments: [AttachmentFile] = [], boundary: String
  ) {
    self.from = from
    self.to = to
    self.subject = subject
    self.date = date
    self.timeZone = timeZone
    self.messageId = messageId
    self.inReplyTo = inReplyTo
    self.references = references
    self.body = body
    self.attachments = attachments
    self.boundary = boundary
  }
}

/// Writes an RFC 5322 / MIME message: CRLF line ends, header lines folded under 78 characters,
/// non-ASCII header text as RFC 2047 encoded words (UTF-8, base64), attachment names as
/// RFC 2231 parameters, bodies in base64 lines of 76 characters. Nothing a header receives can
/// end the header early: names and subjects are encoded or cleaned of line breaks, addresses
/// are checked by `MailAddress.isValid`.
public enum MIMEWriter {
  static let lineLimit = 78

  /// The whole message.
  public static func write(_ m: MIMEMessage) -> Data {
    var out = ""
    out += header("From", address(m.from))
    out += header(
      "To",
      m.to.enumerated().flatMap { i, a in
        var t = address(a)
        if i < m.to.count - 1 { t[t.count - 1] += "," }
        return t
      })
    out += header("Subject", text(m.subject))
    out += header("Date", [date(m.date, m.timeZone)])
    out += header("Message-ID", ["<\(m.messageId)>"])
    if !m.inReplyTo.isEmpty { out += header("In-Reply-To", ["<\(m.inReplyTo)>"]) }
    if !m.references.isEmpty { out += header("References", m.references.map { "<\($0)>" }) }
    out += header("MIME-Version", ["1.0"])
    out += header("X-Mailer", ["TermCRM"])
    let bodyPart =
      "Content-Type: text/plain; charset=UTF-8\r\n"
      + "Content-Transfer-Encoding: base64\r\n\r\n" + base64Lines(Data(crlf(m.body).utf8))
    if m.attachments.isEmpty {
      out += bodyPart
      return Data(out.utf8)
    }
    out += header("Content-Type", ["multipart/mixed;", "boundary=\"\(m.boundary)\""])
    out += "\r\nThis is a message in MIME format.\r\n"
    out += "--\(m.boundary)\r\n" + bodyPart
    for a in m.attachments {
      out += "--\(m.boundary)\r\n"
      var type = (a.mime.isEmpty ? "application/octet-stream" : a.mime) + ";"
      if type.hasPrefix("text/") { type = String(type.dropLast()) + "; charset=UTF-8;" }
      out += header("Content-Type", [type] + filenameParameters("name", a.name))
      out += header("Content-Disposition", ["attachment;"] + filenameParameters("filename", a.name))
      out += "Content-Transfer-Encoding: base64\r\n\r\n" + base64Lines(a.data)
    }
    out += "--\(m.boundary)--\r\n"
    return Data(out.utf8)
  }

  /// `Name: tokens` with the tokens joined by spaces, folded before a token that would pass
  /// the line limit.
  static func header(_ name: String, _ tokens: [String]) -> String {
    var out = name + ":"
    var lineLength = out.utf8.count
    for token in tokens {
      let n = token.utf8.count
      if lineLength + 1 + n > lineLimit && lineLength > name.utf8.count + 1 {
        out += "\r\n "
        lineLength = 1
      } else {
        out += " "
        lineLength += 1
      }
      out += token
      lineLength += n
    }
    return out + "\r\n"
  }

  /// Header text as tokens: ASCII words as they are, anything else (or text that could be
  /// taken for an encoded word) as encoded words.
  static func text(_ s: String) -> [String] {
    let clean = TextFold.sanitizeLine(s)
    if clean.utf8.allSatisfy({ $0 >= 32 && $0 < 127 }) && !clean.contains("=?") {
      return clean.split(separator: " ").map(String.init)
    }
    return encodedWords(clean)
  }

  /// RFC 2047 `=?UTF-8?B?…?=` words of at most 39 bytes (64 characters, so the first fits on
  /// the line of any header name we write), never splitting a character.
  public static func encodedWords(_ s: String) -> [String] {
    var words: [String] = []
    var chunk = Data()
    for ch in s.unicodeScalars {
      let bytes = Array(String(ch).utf8)
      if chunk.count + bytes.count > 39 {
        words.append("=?UTF-8?B?" + chunk.base64EncodedString() + "?=")
        chunk = Data()
      }
      chunk.append(contentsOf: bytes)
    }
    if !chunk.isEmpty || words.isEmpty {
      words.append("=?UTF-8?B?" + chunk.base64EncodedString() + "?=")
    }
    return words
  }

  /// An address as tokens: `=?UTF-8?B?…?= <a@b>`, `"Smith, J." <a@b>`, `Ann <a@b>` or `a@b`.
  static func address(_ a: MailAddress) -> [String] {
    let name = TextFold.sanitizeLine(a.name)
    if name.isEmpty { return [a.address] }
    let atext = Set(
      Array(
        "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789!#$%&'*+-/=?^_`{|}~ ".utf8))
    if name.utf8.allSatisfy({ $0 >= 32 && $0 < 127 }) {
      if name.utf8.allSatisfy({ atext.contains($0) }) && !name.contains("=?") {
        return name.split(separator: " ").map(String.init) + ["<\(a.address)>"]
      }
      if !name.contains("=?") {
        let quoted = name.replacingOccurrences(of: "\\", with: "\\\\")
          .replacingOccurrences(of: "\"", with: "\\\"")
        return ["\"\(quoted)\"", "<\(a.address)>"]
      }
    }
    return encodedWords(name) + ["<\(a.address)>"]
  }

  /// `filename="report.pdf"` for a short ASCII name; otherwise RFC 2231 `filename*=UTF-8''…`,
  /// split into `filename*0*=`, `filename*1*=` … when long. Each but the last ends with `;`.
  static func filenameParameters(_ key: String, _ rawName: String) -> [String] {
    let name = TextFold.sanitizeLine(rawName)
    let plain = Set(
      Array("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789!#$&+-.^_`{}~ ".utf8))
    if name.utf8.count <= 60 && name.utf8.allSatisfy({ plain.contains($0) }) {
      return ["\(key)=\"\(name)\""]
    }
    let unreserved = Set(
      Array("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789!#$&+-.^_`|~".utf8))
    var pieces: [String] = []
    for b in name.utf8 {
      pieces.append(unreserved.contains(b) ? String(UnicodeScalar(b)) : String(format: "%%%02X", b))
    }
    let encoded = pieces.joined()
    if encoded.utf8.count + key.utf8.count + 10 <= 70 {
      return ["\(key)*=UTF-8''\(encoded)"]
    }
    var segments: [String] = []
    var current = ""
    for p in pieces {
      if current.utf8.count + p.utf8.count > 54 {
        segments.append(current)
        current = ""
      }
      current += p
    }
    if !current.isEmpty { segments.append(current) }
    return segments.enumerated().map { i, s in
      let value = i == 0 ? "UTF-8''" + s : s
      return "\(key)*\(i)*=\(value)" + (i < segments.count - 1 ? ";" : "")
    }
  }

  /// Base64 in lines of 76 characters, each ending in CRLF.
  public static func base64Lines(_ data: Data) -> String {
    let all = data.base64EncodedString()
    var out = ""
    out.reserveCapacity(all.utf8.count + all.utf8.count / 76 * 2 + 2)
    var i = all.startIndex
    while i < all.endIndex {
      let j = all.index(i, offsetBy: 76, limitedBy: all.endIndex) ?? all.endIndex
      out += all[i..<j]
      out += "\r\n"
      i = j
    }
    return out
  }

  /// Every line break as CRLF.
  static func crlf(_ s: String) -> String {
    s.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\r", with: "\n")
      .replacingOccurrences(of: "\n", with: "\r\n")
  }

  /// `Tue, 08 Dec 2026 04:39:46 +0300` in `zone`.
  public static func date(_ d: Date, _ zone: TimeZone) -> String {
    let f = DateFormatter()
    f.locale = Locale(identifier: "en_US_POSIX")
    f.calendar = Calendar(identifier: .gregorian)
    f.timeZone = zone
    f.dateFormat = "EEE, dd MMM yyyy HH:mm:ss xx"
    return f.string(from: d)
  }

  /// A new Message-ID at `domain` (without brackets): `tppg1n.17fz…@firm.ru`, the time in
  /// base 36 and 128 random bits.
  public static func messageId(
    domain: String, date: Date, using random: inout some RandomNumberGenerator
  ) -> String {
    let stamp = Int64(date.timeIntervalSince1970)
    let r1 = String(random.next() as UInt64, radix: 36)
    let r2 = String(random.next() as UInt64, radix: 36)
    return "\(String(stamp, radix: 36)).\(r1)\(r2)@\(domain)"
  }

  /// A multipart boundary: text base64 never contains (`=_`).
  public static func boundary(using random: inout some RandomNumberGenerator) -> String {
    "=_termcrm_" + String(random.next() as UInt64, radix: 36)
      + String(random.next() as UInt64, radix: 36)
  }
}
