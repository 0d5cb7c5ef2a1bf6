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
    abstract: "Search clients by name, phone, e-mail, ИНН, person, tag or notes.")
  @OptionGroup var global: Global
  @Argument var text: [String]
  @OptionGroup var output: JSONOutput
  @Option var limit = 20

  func run(_ session: Session) throws {
    let database = session.database
    let q = ClientListQuery(search: text.joined(separator: " "))
    let rows = try database.page(q, offset: 0, limit: max(0, limit))
    printRows(rows, json: output.json, language: global.language)
  }
}
