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
      "Shell command to run when a reminder comes due (gets $CRM_MESSAGE; default: notify_command in your config.toml).",
      "Команда оболочки, которую запустить, когда подходит напоминание (получает $CRM_MESSAGE; по умолчанию notify_command из вашего config.toml)."
    ))
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
    let command = try notify ?? global.userConfig().notifyCommand ?? ""
    // A value left in the database by an older TermCRM (or planted there) is never run.
    if let planted = try database.storedSetting("notify_command"), !planted.isEmpty {
      writeError(
        global.language.pick(
          "crm: notify_command in the database is ignored: commands come only from your "
            + "\(UserConfig.path(global.env)) or --notify",
          "crm: notify_command из базы не используется: команды берутся только из вашего "
            + "\(UserConfig.path(global.env)) или --notify"))
    }
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

extension Global {
  /// The person's own config file (commands live there, never in the database); a file that
  /// cannot be trusted or read is a user error naming it.
  func userConfig() throws -> UserConfig {
    do {
      return try UserConfig.load(UserConfig.path(env), language: language)
    } catch {
      throw Failure(message: error.description, code: 1)
    }
  }
}
