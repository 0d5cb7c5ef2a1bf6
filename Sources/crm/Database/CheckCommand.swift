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

struct Check: CRMCommand {
  static let configuration = CommandConfiguration(
    commandName: "check",
    abstract: tr(
      "Check the database's integrity and print its schema version.",
      "Проверить целостность базы и вывести версию её схемы."),
    discussion: tr(
      """
      Always: PRAGMA integrity_check, foreign_key_check, the search index and the client \
      counter against the clients. --deep also compares every client's search-index text with \
      the tables (seconds on a large base).
      """,
      """
      Всегда: PRAGMA integrity_check, foreign_key_check, поисковый индекс и счётчик клиентов \
      против самих клиентов. --deep ещё сравнивает текст поискового индекса каждого клиента \
      с таблицами (секунды на большой базе).
      """))
  @OptionGroup var global: Global
  @Flag(
    help: tr(
      "Also compare each client's search-index text with the tables.",
      "Ещё сравнить текст поискового индекса каждого клиента с таблицами.")) var deep = false

  func run(_ session: Session) throws {
    let database = session.database
    var result = try database.check()
    if deep { result.problems += try database.checkSearchIndex() }
    let l = global.language
    print(l.pick("database: \(database.path)", "база: \(database.path)"))
    print(
      l.pick(
        "schema version: \(result.schemaVersion) (this crm knows \(Schema.version))",
        "версия схемы: \(result.schemaVersion) (этот crm знает \(Schema.version))"))
    if result.problems.isEmpty {
      print(l.pick("integrity: ok", "целостность: в порядке"))
    } else {
      for p in result.problems { print(p) }
      throw Failure(
        message: l.pick(
          "integrity: \(result.problems.count) problems",
          "целостность: проблем — \(result.problems.count)"), code: 2)
    }
  }
}
