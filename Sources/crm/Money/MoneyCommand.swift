import ArgumentParser
import CRMApp
import CRMCore
import CRMExchange
import Foundation
import TerminalUI

// MARK: crm money

struct MoneyCommand: CRMCommand {
  static let configuration = CommandConfiguration(
    commandName: "money",
    abstract: tr(
      "A client's money per currency: contracted, invoiced, paid, owed, overdue, acted.",
      "Деньги клиента по валютам: по договорам, выставлено, оплачено, долг, просрочено, по актам."))
  @OptionGroup var global: Global
  @Argument(
    help: tr(
      "Client id.",
      "Номер клиента.")) var client: Int64
  @OptionGroup var output: JSONOutput

  func run(_ session: Session) throws {
    let service = session.context.money
    let l = global.language
    let clients = session.context.clients
    guard let c = try clients.client(client) else {
      throw fail(.notFound(what: l.pick("client", "клиент"), id: client), global)
    }
    let summaries = try service.summary(clientId: client)
    if output.json {
      printJSON([
        "client_id": client, "client": c.displayName,
        "currencies": summaries.map(MoneyJSON.summary),
      ])
      return
    }
    print("\(c.displayName) (№\(client))")
    if summaries.isEmpty {
      print(
        l.pick("No contracts, invoices, payments or acts.", "Договоров, счетов, оплат и актов нет.")
      )
      return
    }
    print(moneyTable(summaries, l))
  }
}

/// The money of a client: a row per measure, a column per currency (three at a time).
func moneyTable(_ summaries: [MoneySummary], _ l: Language) -> String {
  let rows: [(String, (MoneySummary) -> Int64)] = [
    (l.pick("Contracted", "По договорам"), \.contracted),
    (l.pick("Invoiced", "Выставлено"), \.invoiced),
    (l.pick("Paid", "Оплачено"), \.paid),
    (l.pick("  of it management-only", "  в т. ч. вне учёта"), \.managementOnly),
    (l.pick("Owed", "Долг"), \.owed),
    (l.pick("  of it overdue", "  в т. ч. просрочено"), \.overdue),
    (l.pick("Not allocated", "Не распределено"), \.unallocated),
    (l.pick("Acted", "По актам"), \.acted),
  ]
  var out: [String] = []
  var start = 0
  while start < summaries.count {
    let chunk = Array(summaries[start..<min(start + 3, summaries.count)])
    let cols = [Col(width: 24)] + chunk.map { _ in Col(width: 17, right: true) }
    if start > 0 { out.append("") }
    out.append(tableLine([""] + chunk.map(\.currency.code), cols))
    for (label, value) in rows {
      out.append(tableLine([label] + chunk.map { $0.money(value($0)).formatted(l) }, cols))
    }
    start += 3
  }
  return out.joined(separator: "\n")
}
