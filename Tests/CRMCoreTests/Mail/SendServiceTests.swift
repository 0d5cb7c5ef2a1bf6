import Foundation
import GRDB
import TestSupport
import Testing

@testable import CRMCore

@Suite struct SendServiceTests {
  static func mail(_ plan: SendPlan, _ to: MailRecipient, id: String = "x1@romashka.example")
    -> SentMail
  {
    SentMail(
      messageId: id, inReplyTo: "", from: "Anna <anna@romashka.example>", to: to,
      subject: "Счёт", body: "Здравствуйте!",
      attachment: AttachmentFile(name: "Счёт № 1.html", mime: "text/html", data: Data("<p>".utf8)))
  }

  @Test func recipientsPutTheDealsPersonFirstAndAskWhenSeveral() throws {
    let f = try MoneyFixture()
    var client = try #require(try f.base.clients.client(f.vector))
    client.emails = ["office@vector.example"]
    try f.base.clients.update(client)
    let person = try f.base.clients.addPerson(
      ContactPerson(clientId: f.vector, name: "Жуков Пётр", emails: ["zhukov@vector.example"]))
    let send = SendService(db: f.db, userId: f.base.anna, language: .en, timeZone: moscow)
    let all = try send.recipients(clientId: f.vector, preferPerson: person)
    #expect(all.map(\.address) == ["zhukov@vector.example", "office@vector.example"])
    #expect(all.map(\.name) == ["Жуков Пётр", "ООО «Вектор»"])
    #expect(all[0].personId == person)
    #expect(try send.recipients(clientId: f.vector).map(\.address).first == "office@vector.example")
  }

  @Test func recordingIssuesTheDraftAndLogsEverythingInOneGo() throws {
    let f = try MoneyFixture()
    var client = try #require(try f.base.clients.client(f.vector))
    client.emails = ["office@vector.example"]
    try f.base.clients.update(client)
    let invoice = try f.money.addInvoice(
      DocumentDraft(clientId: f.vector, draft: true, lines: [DocumentDraft.sumLine("15000")]))
    let send = SendService(db: f.db, userId: f.base.anna, language: .ru, timeZone: moscow)
    let plan = try send.plan(.invoice, invoice)
    #expect(plan.recipients.count == 1)
    let logged = try send.record(plan, Self.mail(plan, plan.recipients[0]))
    #expect(try f.money.invoice(invoice)?.invoice.stored == .issued)
    let row = try #require(
      try f.db.read {
        try Row.fetchOne(
          $0, sql: "SELECT contact_id, message_id, direction, to_addrs FROM mail_message")
      })
    #expect(row["contact_id"] as Int64 == logged.contactId)
    #expect(row["message_id"] as String == "x1@romashka.example")
    #expect(row["direction"] as String == "out")
    let contact = try #require(try f.base.contacts.contact(logged.contactId)).contact
    #expect(contact.kind == .email && contact.direction == .outgoing && contact.status == .done)
    #expect(contact.subject.contains("отправлен"))
    let file = try #require(
      try AttachmentService(db: f.db, userId: f.base.anna, language: .en)
        .get(logged.attachmentId))
    #expect(file.0.contactId == logged.contactId && file.0.clientId == f.vector)
    // The same document again: logged again (a second message), still issued.
    _ = try send.record(plan, Self.mail(plan, plan.recipients[0], id: "x2@romashka.example"))
    #expect(try f.count("mail_message") == 2)
  }

  @Test func aCancelledInvoiceIsRefusedAndNothingIsLogged() throws {
    let f = try MoneyFixture()
    var client = try #require(try f.base.clients.client(f.vector))
    client.emails = ["office@vector.example"]
    try f.base.clients.update(client)
    let invoice = try f.invoice(f.vector, sum: "100")
    let send = SendService(db: f.db, userId: f.base.anna, language: .en, timeZone: moscow)
    let plan = try send.plan(.invoice, invoice)
    try f.money.cancelInvoice(invoice)
    #expect(throws: CRMError.self) { try send.plan(.invoice, invoice) }
    // Cancelled between the plan and the log: refused inside the transaction, nothing half-done.
    #expect(throws: CRMError.self) { try send.record(plan, Self.mail(plan, plan.recipients[0])) }
    #expect(try f.count("mail_message") == 0)
    #expect(try f.count("contact") == 0)
    #expect(try f.count("attachment") == 0)
    #expect(try f.count("blob") == 0)
  }

  @Test func aNewMessageAnswersTheLatestLoggedOneFromThatAddress() throws {
    let f = try MoneyFixture()
    let send = SendService(db: f.db, userId: f.base.anna, language: .en, timeZone: moscow)
    #expect(try send.thread(clientId: f.vector, address: "zhukov@vector.example") == nil)
    try f.db.write { db in
      let contact = try f.base.contacts.logInside(
        db,
        Contact(
          clientId: f.vector, kind: .email, status: .done, direction: .incoming,
          userId: f.base.anna), at: f.base.clock.current)
      for (id, parent, at, from) in [
        ("a@vector.example", "", 10.0, "Жуков <zhukov@vector.example>"),
        ("b@vector.example", "a@vector.example", 20.0, "Жуков <zhukov@vector.example>"),
        ("c@vector.example", "", 30.0, "other@vector.example"),
      ] {
        try db.execute(
          sql: """
            INSERT INTO mail_message (contact_id, client_id, message_id, in_reply_to, direction,
              sent_at, from_addr) VALUES (?, ?, ?, ?, 'in', ?, ?)
            """, arguments: [contact, f.vector, id, parent, at, from])
      }
    }
    let t = try #require(try send.thread(clientId: f.vector, address: "ZHUKOV@vector.example"))
    #expect(t.inReplyTo == "b@vector.example")
    #expect(t.references == ["a@vector.example", "b@vector.example"])
  }
}
