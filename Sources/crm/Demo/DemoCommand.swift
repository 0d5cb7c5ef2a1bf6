import ArgumentParser
import CRMApp
import CRMBench
import CRMCore
import CRMExchange
import Foundation
import TerminalUI

#if canImport(Glibc)
  import Glibc
#endif

struct Demo: CRMCommand {
  static let configuration = CommandConfiguration(
    commandName: "demo",
    abstract: tr(
      "Fill a database with realistic demo clients, contacts, deals and money.",
      "Заполнить базу правдоподобными демо-клиентами, контактами, сделками и деньгами."))
  @OptionGroup var global: Global
  @Option(
    help: tr(
      "How many clients.",
      "Сколько клиентов.")) var clients = 1000
  @Option(
    help: tr(
      "How many deals (default: a quarter of the clients).",
      "Сколько сделок (по умолчанию: четверть числа клиентов).")) var deals: Int?
  @Option(
    help: tr(
      "Random seed: the same seed gives the same data.",
      "Случайное зерно: одно зерно даёт одни и те же данные.")) var seed: UInt64 = 1
  @Flag(
    help: tr(
      "Add to a database that already has clients.",
      "Добавить в базу, где уже есть клиенты.")) var append = false

  func check() throws {
    guard clients >= 0 && clients <= 10_000_000 else {
      throw ValidationError(
        tr("--clients must be between 0 and 10000000", "--clients — от 0 до 10000000"))
    }
  }

  func run(_ session: Session) throws {
    let database = session.database
    let existing = try database.count(ClientListQuery())
    if existing > 0 && !append {
      throw Failure(
        message: global.language.pick(
          "\(global.path) already has \(existing) clients; pass --append to add more.",
          "В \(global.path) уже есть клиенты (\(existing)); добавьте --append, чтобы добавить ещё."),
        code: 1)
    }
    let start = Date()
    // Planned calls fall in the working hours of this database, in the local zone.
    var demo = DemoData(
      seed: seed, now: Date(),
      hours: WorkingHours(try database.settings(), timeZone: .current))
    let n = try demo.populate(database, count: clients)
    let dealCount = min(deals ?? clients / 4, 10_000_000)
    let d = try demo.populateDeals(database, count: dealCount, seed: seed)
    let m = try demo.populateMoney(database, payments: dealCount / 3, seed: seed)
    let seconds = Date().timeIntervalSince(start)
    print(
      global.language.pick(
        "Added \(n) demo clients, \(d) deals, \(m.invoices) invoices and \(m.payments) payments to \(global.path) in \(String(format: "%.1f", seconds)) s.",
        "Добавлено демо-клиентов: \(n), сделок: \(d), счетов: \(m.invoices), оплат: \(m.payments) в \(global.path) за \(String(format: "%.1f", seconds)) с."
      ))
  }
}
