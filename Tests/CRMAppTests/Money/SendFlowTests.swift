import CRMCore
import Foundation
import Synchronization
import TestSupport
import Testing

@testable import CRMApp
@testable import TerminalUI

@MainActor @Suite struct SendFlowTests {
  final class Calls: Sendable {
    let list = Mutex<[String]>([])
  }

  static func app(fail: Bool, calls: Calls) throws -> (App, MemoryTerminal, Int64) {
    let db = try CRMDatabase(memory: HandClock(Date(timeIntervalSince1970: 1_795_000_000)))
    let user = try #require(try db.user(login: "anna"))
    var context = AppContext(
      db: db, user: user, language: .ru, timeZone: TimeZone(identifier: "UTC")!)
    context.sendDocument = { kind, id, to in
      calls.list.withLock { $0.append("\(kind.rawValue) \(id) \(to)") }
      if fail { throw CRMError.other("команда отправки «false» завершилась с ошибкой (код 1)") }
      return "Отправлено на \(to); контакт-письмо записано."
    }
    let client = try context.clients.add(
      Client(name: "Ёлочка", legalForm: "ООО", emails: ["office@elochka.example"]))
    _ = try context.clients.addPerson(
      ContactPerson(clientId: client, name: "Жуков Пётр", emails: ["zhukov@elochka.example"]))
    let invoice = try context.money.addInvoice(
      DocumentDraft(clientId: client, lines: [DocumentDraft.sumLine("15000")]))
    let term = MemoryTerminal(rows: 24, cols: 80)
    let app = App(term: term, context: context)
    app.push(InvoiceScreen(context: context, invoiceId: invoice, tab: 1))
    app.render()
    return (app, term, invoice)
  }

  @Test func mOnAnInvoiceAsksTheAddressAndSends() throws {
    let calls = Calls()
    let (app, term, invoice) = try Self.app(fail: false, calls: calls)
    press(app, term, .char("m"))
    #expect(term.text.contains("Отправить счёт №"))
    #expect(term.text.contains("office@elochka.example"))
    #expect(term.text.contains("zhukov@elochka.example"))
    #expect(term.text.contains("Жуков Пётр"))
    type(app, "zhukov")
    press(app, term, .enter)
    #expect(calls.list.withLock { $0 } == ["invoice \(invoice) zhukov@elochka.example"])
    #expect(term.text.contains("Отправлено на zhukov@elochka.example"))
    #expect(app.current is InvoiceScreen)
  }

  @Test func aFailingSendShowsTheCommandsMessage() throws {
    let calls = Calls()
    let (app, term, _) = try Self.app(fail: true, calls: calls)
    press(app, term, .char("m"))
    press(app, term, .enter)
    #expect(calls.list.withLock { $0.count } == 1)
    #expect(term.text.contains("завершилась с ошибкой"))
  }
}
