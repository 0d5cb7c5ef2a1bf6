import CRMCore
import Foundation
import TestSupport
import Testing

@testable import CRMApp
@testable import TerminalUI

/// The Mail section of the client card, rendered at 80×24 and 80×20 with Cyrillic mail.
@MainActor
@Suite struct MailThreadScreenTests {
  func fixture(rows: Int) throws -> MoneyScreenFixture {
    let f = try MoneyScreenFixture(rows: rows)
    let mail = f.app.context.core.mail
    let target = MailMatch(
      clientId: f.vector, clientName: "ООО «Вектор»", address: "ivan@vektor.ru")
    _ = try mail.log(
      MailRecord(
        messageId: "a1@vektor.ru", direction: .incoming,
        sentAt: Date(timeIntervalSince1970: 1_795_500_000),
        from: "Иван Петров <ivan@vektor.ru>", to: ["anna@our.example"],
        subject: "Запрос цены на поставку",
        body: "Добрый день!\n\nПросим выслать цены на 200 коробок.\nС уважением, Иван",
        attachmentNames: []), to: [target])
    _ = try mail.log(
      MailRecord(
        messageId: "b2@our.example", inReplyTo: "a1@vektor.ru", direction: .outgoing,
        sentAt: Date(timeIntervalSince1970: 1_795_600_000), from: "anna@our.example",
        to: ["Иван Петров <ivan@vektor.ru>"], subject: "Re: Запрос цены на поставку",
        body: "Иван, направляем КП во вложении. Цены действуют до конца месяца.",
        attachmentNames: ["КП Вектор.pdf"]), to: [target])
    (f.app.current as! ClientsScreen).reload()
    f.press(.enter)
    f.press(.char("M"))
    return f
  }

  @Test(arguments: [24, 20])
  func theThreadListsMailAndShowsTheSelectedText(rows: Int) throws {
    let f = try fixture(rows: rows)
    #expect(f.card?.section == .mail)
    let t = f.text
    #expect(f.term.line(2).contains("Почта (2)"), "\(f.term.line(2))")
    #expect(t.contains("→ Иван Петров"), "\(t)")
    #expect(t.contains("← Иван Петров"), "\(t)")
    #expect(t.contains("📎 Re: Запрос цены на поставку"), "\(t)")
    // The newest is selected: its text and attachment below the list.
    #expect(t.contains("Кому: Иван Петров <ivan@vektor.ru>"), "\(t)")
    #expect(t.contains("📎 КП Вектор.pdf"), "\(t)")
    #expect(t.contains("Иван, направляем КП во вложении."), "\(t)")
    #expect(!t.contains("Просим выслать"))
    f.press(.down)
    let t2 = f.text
    #expect(t2.contains("От: Иван Петров <ivan@vektor.ru>"), "\(t2)")
    #expect(t2.contains("Просим выслать цены на 200 коробок."), "\(t2)")
    #expect(!t2.contains("направляем КП"))
  }

  @Test func aClientWithoutMailSaysHowToLogIt() throws {
    let f = try MoneyScreenFixture(rows: 20)
    (f.app.current as! ClientsScreen).reload()
    f.press(.enter)
    f.press(.char("M"))
    #expect(f.text.contains("Писем пока нет."), "\(f.text)")
    #expect(f.term.line(2).contains("Почта (0)"), "\(f.term.line(2))")
  }
}
