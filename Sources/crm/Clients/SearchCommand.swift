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
  @Option(help: tr("At most this many.", "Не больше стольких.")) var limit = 20

  func run(_ session: Session) throws {
    let database = session.database
    let q = ClientListQuery(search: text.joined(separator: " "))
    let rows = try database.page(q, offset: 0, limit: max(0, limit))
    printRows(rows, json: output.json, language: global.language)
  }
}
