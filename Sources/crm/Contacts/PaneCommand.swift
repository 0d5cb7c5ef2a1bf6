import ArgumentParser
import CRMApp
import CRMCore
import CRMExchange
import Foundation
import TerminalUI

#if canImport(Glibc)
  import Glibc
#endif

// MARK: crm pane

struct PaneCommand: CRMCommand {
  static let configuration = CommandConfiguration(
    commandName: "pane",
    abstract: tr(
      "A small live view of overdue and today's contacts, for a tmux split.",
      "Маленькая живая панель просроченных и сегодняшних контактов для разделённого окна tmux."))
  @OptionGroup var global: Global
  @Option(
    help: tr(
      "Shell command to run when a reminder comes due (gets $CRM_MESSAGE).",
      "Команда оболочки, которую запустить, когда подходит напоминание (получает $CRM_MESSAGE)."))
  var notify: String?
  @Option(
    help: tr(
      "Seconds between checks.",
      "Секунд между проверками.")) var interval: Double = 1

  func check() throws {
    guard interval >= 0.1 && interval <= 60 else {
      throw ValidationError(
        tr("--interval must be between 0.1 and 60 seconds", "--interval — от 0,1 до 60 секунд"))
    }
  }

  func run(_ session: Session) throws {
    let database = session.database
    let user = try global.existingUser(database)
    let settings = try database.settings()
    let command = notify ?? settings.notifyCommand
    let context = AppContext(db: database, language: global.language)
    try MainActor.assumeIsolated {
      let term: NCursesTerminal
      do {
        term = try NCursesTerminal(noColor: global.env["NO_COLOR"].map { !$0.isEmpty } ?? false)
      } catch {
        throw Failure(
          message: global.language.pick(
            "crm pane needs a terminal.", "crm pane нужен терминал."), code: 2)
      }
      defer { term.end() }
      let pane = Pane(
        term: term, context: context, scope: .user(user.id), interval: interval,
        bell: { term.bell() },
        notify: { message in if !command.isEmpty { runNotify(command, message) } })
      pane.run()
      term.end()
      // SIGINT, SIGTERM, SIGHUP: the terminal is restored; exit 128 + the signal.
      if let signal = term.caughtSignal { Glibc.exit(128 + signal) }
    }
  }
}

/// Runs `/bin/sh -c COMMAND` with `CRM_MESSAGE` set, detached from the screen (no terminal
/// input or output), without waiting for it.
func runNotify(_ command: String, _ message: String) {
  let p = Process()
  p.executableURL = URL(fileURLWithPath: "/bin/sh")
  p.arguments = ["-c", command]
  var env = ProcessInfo.processInfo.environment
  env["CRM_MESSAGE"] = message
  p.environment = env
  p.standardInput = FileHandle.nullDevice
  p.standardOutput = FileHandle.nullDevice
  p.standardError = FileHandle.nullDevice
  try? p.run()
}
