import CRMCore
import CRMExchange
import Foundation
import Testing

/// Messages written by other people's software (Tests/CRMExchangeTests/Fixtures/real/mail,
/// see SOURCES.md there), decoded as Python's `email` package decodes them.
@Suite struct RealMailTests {
  static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .deletingLastPathComponent().appendingPathComponent("Fixtures/real/mail")

  func parse(_ name: String) throws -> ParsedMail {
    let data = try Data(contentsOf: Self.folder.appendingPathComponent(name))
    return try MIMEParser.parse(data, language: .ru)
  }

  @Test func thunderbirdKOI8R() throws {
    let m = try parse("thunderbird-sample04-koi8r.eml")
    #expect(m.subject == "Алфавит")
    #expect(m.from == [MailAddress(name: "Bug Reporter", address: "new@thunderbird.bug")])
    #expect(m.text == "Вопрос")
    #expect(m.messageId == "04.eml@mime.sample")
    #expect(m.date == Date(timeIntervalSince1970: 990_995_015))
    #expect(m.warnings.isEmpty)
  }

  @Test func thunderbirdWindows1251() throws {
    let m = try parse("thunderbird-sample05-cp1251.eml")
    #expect(m.subject == "Алфавит")
    #expect(m.text == "Вопрос")
    #expect(m.messageId == "05.eml@mime.sample")
  }

  @Test func mailparserNestedAlternatives() throws {
    let m = try parse("mailparser-nested.eml")
    #expect(m.from.map(\.address) == ["u@example.com"])
    #expect(m.subject == "")
    #expect(m.text == "Dear Sir,\n\nGood evening.\n\nThe footer")
    #expect(!m.textFromHTML)
    #expect(m.files.isEmpty)
  }
}
