import CRMCore
import Foundation
import Testing

@testable import CRMExchange

/// A generator that repeats a seed, so messages are the same on every run.
struct SeededRandom: RandomNumberGenerator {
  var state: UInt64
  mutating func next() -> UInt64 {
    state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
    return state
  }
}

@Suite struct MIMEWriterTests {
  static func message(subject: String, name: String, file: String, body: String = "Текст\nстрока 2")
    -> Data
  {
    var random = SeededRandom(state: 7)
    let date = Date(timeIntervalSince1970: 1_796_000_000)
    return MIMEWriter.write(
      MIMEMessage(
        from: MailAddress(name: "Анна Смирнова", address: "anna@romashka.example"),
        to: [MailAddress(name: name, address: "zhukov@elochka.example")], subject: subject,
        date: date, timeZone: TimeZone(identifier: "Europe/Moscow")!,
        messageId: MIMEWriter.messageId(domain: "romashka.example", date: date, using: &random),
        inReplyTo: "a@b.example", references: ["z@b.example", "a@b.example"], body: body,
        attachments: [
          AttachmentFile(
            name: file, mime: "application/pdf", data: Data((0..<3000).map { UInt8($0 % 256) }))
        ], boundary: MIMEWriter.boundary(using: &random)))
  }

  /// Python's `email` (policy=default) reads the message back: a reader nobody here wrote.
  static func python(_ data: Data) throws -> [String: Any] {
    let dir = NSTemporaryDirectory() + "mime-" + UUID().uuidString
    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: dir) }
    try data.write(to: URL(fileURLWithPath: dir + "/m.eml"))
    let script = """
      import email, email.policy, json, sys
      m = email.message_from_binary_file(open(sys.argv[1], 'rb'), policy=email.policy.default)
      a = list(m.iter_attachments())[0]
      print(json.dumps({'subject': str(m['Subject']), 'to': m['To'].addresses[0].display_name,
        'from': m['From'].addresses[0].display_name, 'file': a.get_filename(),
        'bytes': len(a.get_payload(decode=True)), 'sum': sum(a.get_payload(decode=True)),
        'body': m.get_body(('plain',)).get_content(), 'irt': str(m['In-Reply-To']),
        'defects': [str(d) for p in m.walk() for d in p.defects], 'keys': list(m.keys())}))
      """
    let p = Process()
    p.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
    p.arguments = ["-c", script, dir + "/m.eml"]
    let out = Pipe()
    p.standardOutput = out
    try p.run()
    let text = out.fileHandleForReading.readDataToEndOfFile()
    p.waitUntilExit()
    return try #require(try JSONSerialization.jsonObject(with: text) as? [String: Any])
  }

  @Test func longCyrillicHeadersAndNamesSurviveARealReader() throws {
    let subject = String(repeating: "Коммерческое предложение № 2026-0001 «Ёлочка» ", count: 4)
      .trimmingCharacters(in: .whitespaces)
    let file = "Коммерческое предложение № 2026-0001 от 08.12.2026 для ООО «Ёлочка».pdf"
    let data = Self.message(subject: subject, name: "Жуков, Пётр \"Главный\"", file: file)
    let text = String(decoding: data, as: UTF8.self)
    // CRLF only, no line over 78, nothing but ASCII on the wire.
    #expect(!text.replacingOccurrences(of: "\r\n", with: "").contains("\n"))
    let long = text.components(separatedBy: "\r\n").filter { $0.utf8.count > 78 }
    #expect(long.isEmpty, "\(long)")
    #expect(data.allSatisfy { $0 < 128 })
    let m = try Self.python(data)
    #expect(m["subject"] as? String == subject)
    #expect(m["to"] as? String == "Жуков, Пётр \"Главный\"")
    #expect(m["from"] as? String == "Анна Смирнова")
    #expect(m["file"] as? String == file)
    #expect(m["bytes"] as? Int == 3000)
    #expect(m["sum"] as? Int == (0..<3000).reduce(0) { $0 + $1 % 256 })
    // Text is base64 of its canonical form (CRLF line ends), which Python hands back as is.
    #expect(m["body"] as? String == "Текст\r\nстрока 2")
    #expect(m["irt"] as? String == "<a@b.example>")
    #expect((m["defects"] as? [Any])?.isEmpty == true, "\(m["defects"] ?? "")")
  }

  @Test func lineBreaksInASubjectOrNameAddNoHeader() throws {
    let data = Self.message(
      subject: "Счёт\r\nBcc: victim@evil.example", name: "Имя\nBcc: x@evil.example",
      file: "a\r\nb.pdf")
    let m = try Self.python(data)
    let keys = (m["keys"] as? [String] ?? []).map { $0.lowercased() }
    #expect(!keys.contains("bcc"))
    #expect(!(m["file"] as? String ?? "").contains("\n"))
  }

  @Test func asciiStaysReadableAndEncodedWordsNeverSplitACharacter() {
    #expect(MIMEWriter.text("Invoice No. 12") == ["Invoice", "No.", "12"])
    let words = MIMEWriter.encodedWords(String(repeating: "ё", count: 40))
    #expect(words.allSatisfy { $0.utf8.count <= 75 })
    let decoded = words.map { w -> String in
      let b64 = w.dropFirst("=?UTF-8?B?".count).dropLast(2)
      return String(decoding: Data(base64Encoded: String(b64))!, as: UTF8.self)
    }.joined()
    #expect(decoded == String(repeating: "ё", count: 40))
    #expect(
      MIMEWriter.base64Lines(Data(count: 200)).components(separatedBy: "\r\n").dropLast()
        .allSatisfy { $0.utf8.count <= 76 })
  }

  @Test func addressesAreCheckedAndMailCommandsSplitWithoutAShell() throws {
    #expect(
      MailAddress.parse("Иван Петров <ivan@firm.ru>")
        == MailAddress(name: "Иван Петров", address: "ivan@firm.ru"))
    #expect(MailAddress.parse("ivan@firm.ru")?.domain == "firm.ru")
    for bad in [
      "ivan", "a b@c.ru", "<a@b.ru>\r\nBcc: x@y.ru", "a@", "@b", "иван@фирма.рф", "a@b@c",
    ] {
      #expect(MailAddress.parse(bad) == nil, "\(bad)")
    }
    #expect(
      try SendMailCommand.split(#"msmtp -a "my work" --from='a b' x\ y $HOME;ls"#, language: .en)
        == ["msmtp", "-a", "my work", "--from=a b", "x y", "$HOME;ls"])
    #expect(throws: CRMError.self) { try SendMailCommand.split("msmtp 'open", language: .en) }
    #expect(throws: CRMError.self) { try SendMailCommand.split("   ", language: .en) }
  }
}
