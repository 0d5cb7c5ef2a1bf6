import ArgumentParser
import CRMApp
import CRMCore
import CRMExchange
import Foundation
import TerminalUI

#if canImport(Glibc)
  import Glibc
#endif

// MARK: crm remind

struct Remind: CRMCommand {
  static let configuration = CommandConfiguration(
    commandName: "remind",
    abstract: tr(
      "Overdue and soon-due contacts, most urgent first (for cron and shell prompts).",
      "Просроченные и скорые контакты, сначала самые срочные (для cron и приглашения оболочки)."))
  @OptionGroup var global: Global
  @Flag(
    help: tr(
      "Everyone's contacts.",
      "Контакты всех.")) var all = false
  @Option(
    help: tr(
      "Due within this long counts as soon: 15m, 1h, 1d.",
      "Срок, в пределах которого контакт считается скорым: 15m, 1h, 1d.")) var within = "1h"
  @OptionGroup var output: JSONOutput
  @Flag(
    help: tr(
      "One short line for a shell prompt; nothing when nothing is due.",
      "Одна короткая строка для приглашения оболочки; ничего, когда ничего не подошло."))
  var short = false
  @Option(
    help: tr(
      "At most this many contacts, most urgent first (default: all of them).",
      "Не больше стольких контактов, самые срочные первыми (по умолчанию все)."))
  var limit: Int?

  func check() throws {
    guard (limit ?? 0) >= 0 else {
      throw ValidationError(
        tr("--limit must not be negative", "--limit не может быть отрицательным"))
    }
  }

  /// Read-only and without creating users: this runs on every shell prompt.
  static let readOnly = true

  func run(_ session: Session) throws {
    let database = session.database
    let scope = try global.scope(database, all: all)
    let ahead = try When.duration(within, language: global.language, field: "--within")
    let service = session.context.contacts
    let now = database.clock.now()
    let horizon = now.addingTimeInterval(ahead)
    let l = global.language
    if short {
      if let text = try RemindShort.line(session.context, scope, now, horizon, l) { print(text) }
      return
    }
    // Every one of them unless --limit: a list for cron or a script never stops short.
    let list = try service.reminders(
      scope: scope, horizon: horizon, at: now, limit: limit ?? everyRow)
    if output.json {
      printJSON(list.map(ContactJSON.object))
      return
    }
    // Overdue invoices of the same clients, as one line after the contacts (an older database
    // without money tables just has none).
    let invoices = try? OverdueInvoices.read(session.context.money, scope: scope)
    defer {
      if let line = invoices?.line(l) { print(line) }
    }
    // Team work: overdue and due-today to-dos given to me (Team/TaskCommand.swift).
    let todos = try todoLines(session, scope: scope, to: service.endOfDay(now))
    for line in todos { print(line) }
    if list.isEmpty {
      if todos.isEmpty {
        print(l.pick("Nothing overdue or due soon.", "Просроченных и скорых контактов нет."))
      }
      return
    }
    let view = PaneView(language: l, timeZone: .current)
    for r in list {
      let when =
        r.overdue ? view.late(r.lateBy) : global.formats.dateTime(r.row.contact.dueAt ?? now)
      let c = r.row.contact
      var line =
        "\(TextWidth.fit("№\(r.row.id)", to: 7))  \(TextWidth.fit(when, to: 16))  "
        + "\(TextWidth.fit(c.kind.name(l), to: 8))  \(r.row.clientName)"
      if !c.subject.isEmpty { line += " — " + c.subject }
      if all { line += "  (\(r.row.userLogin))" }
      print(line)
    }
  }
}

/// `crm remind --short` runs on every shell prompt, so `main.swift` tries this hand parser
/// before ArgumentParser: building and reflecting the whole command tree costs more than the
/// two queries. Any argument it does not know (or `--help`) returns nil, and the command then
/// goes through ArgumentParser as usual, with the same result.
struct RemindShort {
  var global = Global()
  var all = false
  var within = "1h"

  init?(_ arguments: [String]) {
    guard arguments.first == "remind", arguments.contains("--short") else { return nil }
    global.db = nil
    global.user = nil
    global.lang = nil
    var rest = arguments.dropFirst()
    while let arg = rest.popFirst() {
      var name = arg
      var value: String?
      if arg.hasPrefix("--"), let eq = arg.firstIndex(of: "=") {
        name = String(arg[..<eq])
        value = String(arg[arg.index(after: eq)...])
      }
      switch name {
      case "--short", "--all":
        if value != nil { return nil }
        if name == "--all" { all = true }
      case "--db", "--user", "--lang", "--within":
        guard let v = value ?? rest.popFirst() else { return nil }
        switch name {
        case "--db": global.db = v
        case "--user": global.user = v
        case "--lang": global.lang = v
        default: within = v
        }
      default: return nil
      }
    }
    if let lang = global.lang, Language(argument: lang) == nil { return nil }
  }

  /// The prompt line: `⏰3 просрочено · 1 скоро`, or nil when nothing is due. Two counts on the
  /// planned-by-user index (due before now, and due before the horizon), plus the user's open
  /// to-dos given by a supervisor, counted the same way on the open-by-assignee index.
  static func line(
    _ context: ServiceContext, _ scope: ContactScope, _ now: Date, _ horizon: Date, _ l: Language
  ) throws(CRMError) -> String? {
    let service = context.contacts
    var overdue = try service.overdueCount(scope: scope, at: now)
    var soon = try service.overdueCount(scope: scope, at: horizon) - overdue
    if case .user(let id) = scope {
      let tasks = context.tasks
      let late = try tasks.openTodoCount(assignee: id, before: now)
      overdue += late
      soon += try tasks.openTodoCount(assignee: id, before: horizon) - late
    }
    var parts: [String] = []
    if overdue > 0 { parts.append(l.pick("\(overdue) overdue", "\(overdue) просрочено")) }
    if soon > 0 { parts.append(l.pick("\(soon) soon", "\(soon) скоро")) }
    return parts.isEmpty ? nil : "⏰" + parts.joined(separator: " · ")
  }

  /// Opens the database read-only (never creating it or the user) and prints the line.
  func run() throws {
    let g = global
    try Session.run(
      g, readOnly: true,
      body: { session in
        let database = session.database
        let scope = try g.scope(database, all: all)
        let ahead = try When.duration(within, language: g.language, field: "--within")
        let now = database.clock.now()
        let horizon = now.addingTimeInterval(ahead)
        if let text = try Self.line(session.context, scope, now, horizon, g.language) {
          print(text)
        }
      })
  }
}
