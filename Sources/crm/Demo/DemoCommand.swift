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
    try Self.demoCompany(session.context)
    let seconds = Date().timeIntervalSince(start)
    print(
      global.language.pick(
        "Added \(n) demo clients, \(d) deals, \(m.invoices) invoices and \(m.payments) payments to \(global.path) in \(String(format: "%.1f", seconds)) s.",
        "Добавлено демо-клиентов: \(n), сделок: \(d), счетов: \(m.invoices), оплат: \(m.payments) в \(global.path) за \(String(format: "%.1f", seconds)) с."
      ))
  }

  /// The demo's own company, so its invoices, offers and acts print (as text, HTML and PDF)
  /// without setting requisites first; made only when the database has none and the demo
  /// runs as an admin. The numbers are real-looking with correct check digits.
  static func demoCompany(_ context: ServiceContext) throws {
    guard try context.companies.list().isEmpty, context.user?.role == .admin else { return }
    _ = try context.companies.add(
      LegalEntity(
        kind: .organization, fullName: "Общество с ограниченной ответственностью «Демо-Софт»",
        shortName: "ООО «Демо-Софт»", inn: "7707083893", kpp: "770701001",
        ogrn: "1027700132195", legalAddress: "125009, г. Москва, ул. Тверская, д. 1, оф. 12",
        bankName: "ПАО Сбербанк", bik: "044525225", corrAccount: "30101810400000000225",
        account: "40702810938000012345", directorTitle: "Генеральный директор",
        directorName: "Смирнова А. В.", accountantTitle: "Главный бухгалтер",
        accountantName: "Козлова Е. П.", phone: "+7 495 123-45-67",
        email: "sales@demo-soft.example",
        site: "demo-soft.example", isDefault: true))
  }
}
