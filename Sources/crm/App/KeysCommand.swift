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

struct Keys: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "keys",
    abstract: tr(
      "Print the key reference (docs/keys.md is this output).",
      "Вывести справочник клавиш (docs/keys.md — это его вывод)."))
  func run() { print(KeyTables.markdown(), terminator: "") }
}
