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

struct Search: CRMCommand {
  static let configuration = CommandConfiguration(
    commandName: "search",
    abstract: tr(
      "Search clients by name, phone, e-mail, ИНН, person, tag or notes.",
      "Поиск клиентов по названию, телефону, e-mail, ИНН, контактному лицу, тегу или заметкам."))
  @OptionGroup var global: Global
  @Argument(help: tr("What to search for.", "Что искать.")) var text: [String]
  @OptionGroup var output: JSONOutput
  @Option(
    help: tr(
      "At most this many (default: the best 20 as text, every match with --json).",
      "Не больше стольких (по умолчанию 20 лучших текстом, все найденные с --json)."))
  var limit: Int?

  func run(_ session: Session) throws {
    let database = session.database
    let q = ClientListQuery(search: text.joined(separator: " "))
    let rows = listShown(
      try database.page(q, offset: 0, limit: listLimit(limit, text: 20, machine: output.json)),
      limit: limit, text: 20, machine: output.json, language: global.language, paged: false)
    printRows(rows, json: output.json, language: global.language)
  }
}
