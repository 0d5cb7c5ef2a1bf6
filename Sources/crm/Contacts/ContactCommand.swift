import ArgumentParser
import CRMApp
import CRMCore
import CRMExchange
import Foundation
import TerminalUI

#if canImport(Glibc)
  import Glibc
#endif

// MARK: Shared helpers

extension Global {
  var login: String { user ?? env["USER"] ?? env["LOGNAME"] ?? "user" }

  /// The user `--user` (or `$USER`) names, never created: for reading commands.
  func existingUser(_ database: CRMDatabase, _ login: String? = nil) throws -> User {
    if login == nil, let me = database.viewer.user { return me }
    let name = login ?? self.login
    guard let u = try core(self, { try database.findUser(login: name) }) else {
      throw Failure(
        message: language.pick(
          "no user «\(name)»; known: \(try knownLogins(database))",
          "нет пользователя «\(name)»; есть: \(try knownLogins(database))"), code: 1)
    }
    return u
  }

  func knownLogins(_ database: CRMDatabase) throws -> String {
    let all = try core(self) { try database.users() }.map(\.login)
    return all.isEmpty ? "—" : all.joined(separator: ", ")
  }

  /// `--all` means everyone's contacts, otherwise the user's.
  func scope(_ database: CRMDatabase, all: Bool) throws -> ContactScope {
    all ? .everyone : .user(try existingUser(database).id)
  }

  func contacts(_ database: CRMDatabase, user: User?) -> ContactService {
    ContactService(ServiceContext(db: database, language: language, timeZone: .current))
  }

  var formats: Formats { Formats(language: language, timeZone: .current) }
}

/// Reads times and durations typed on the command line, in the local zone (`TZ` respected).
struct Times {
  let global: Global
  let now: Date
  let dayStart: Int

  init(_ global: Global, _ database: CRMDatabase) throws {
    self.global = global
    now = database.clock.now()
    dayStart = try core(global) { try database.settings() }.dayStartHour
  }

  var context: TimeContext { TimeContext(now: now, timeZone: .current) }

  /// A moment: `2026-11-25 10:00`, `25.11.2026 10:00`, `+3d`, `tomorrow 10:00`, `завтра`…
  func at(_ text: String, field: String, defaultHour: Int? = nil) throws -> Date {
    do {
      return try When.parse(
        text, in: context, language: global.language, field: field,
        defaultHour: defaultHour ?? dayStart)
    } catch { throw fail(error, global) }
  }

  /// A length: `15m`, `2h`, `1d`.
  func duration(_ text: String, field: String) throws -> TimeInterval {
    do {
      return try When.duration(text, language: global.language, field: field)
    } catch { throw fail(error, global) }
  }

  /// The start of a `--from` day (or the exact time when one is given).
  func from(_ text: String) throws -> Date { try at(text, field: "--from", defaultHour: 0) }

  /// The end of a `--to` day: a date alone includes that whole day.
  func to(_ text: String) throws -> Date {
    let d = try at(text, field: "--to", defaultHour: 0)
    if text.contains(":") || text.hasPrefix("+") { return d }
    return CalendarMath.addDays(d, 1, context.calendar)
  }
}

/// A contact kind in either language; an unknown one lists the valid names.
func parseKind(_ text: String, _ g: Global, option: String = "--kind") throws -> ContactKind {
  if let k = ContactKind(text: text) { return k }
  let names = ContactKind.allCases.map { k in
    k.rawValue == k.name(g.language) ? k.rawValue : "\(k.rawValue) (\(k.name(g.language)))"
  }.joined(separator: ", ")
  throw Failure(
    message: g.language.pick(
      "\(option): unknown kind «\(text)»; use one of: \(names)",
      "\(option): неизвестный вид «\(text)»; допустимые: \(names)"), code: 1)
}

func capitalized(_ s: String) -> String { s.prefix(1).uppercased() + s.dropFirst() }

func printJSON(_ value: Any) { print(JSONText.text(value)) }

/// One contact on one line: number, time, kind, status, client, subject, responsible.
func contactLine(_ r: ContactRow, _ g: Global, status: Bool = true) -> String {
  let c = r.contact
  var cols = [
    TextWidth.fit("№\(r.id)", to: 7), c.at.map(g.formats.dateTime) ?? "",
    TextWidth.fit(c.kind.name(g.language), to: 8),
  ]
  if status { cols.append(TextWidth.fit(c.status.name(g.language), to: 13)) }
  cols.append(r.clientName + (c.subject.isEmpty ? "" : " — " + c.subject))
  cols.append("(\(r.userLogin))")
  return cols.joined(separator: "  ")
}

func writeError(_ text: String) {
  FileHandle.standardError.write(Data((text + "\n").utf8))
}

// MARK: crm contact

struct ContactCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "contact",
    abstract: "Log, plan, list and work through contacts (calls, meetings, letters…).",
    subcommands: [
      Log.self, Plan.self, List.self, Show.self, Done.self, Postpone.self, NoAnswer.self,
      Cancel.self, Reassign.self,
    ])

  struct Log: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "log",
      abstract: "Log a contact that just happened; prints its id.",
      discussion: "Closes your planned contact of the same kind with this client due today.")
    @OptionGroup var global: Global
    @Option(help: "Client id.") var client: Int64
    @Option(help: "call, meeting, letter, email, request, complaint, visit, other (or Russian).")
    var kind: String
    @Option(help: "What came of it.") var outcome = ""
    @Option(help: "Notes.") var note = ""
    @Option(help: "Subject.") var subject = ""
    @Flag(name: .customLong("in"), help: "The client got in touch (incoming).") var incoming =
      false
    @Option(help: "Plan the next contact: 2026-11-25 10:00, +3d, tomorrow 10:00…") var next: String?
    @Option(help: "Kind of the next contact (default: the same).") var nextKind: String?
    @Flag var json = false

    func run() throws {
      let k = try parseKind(kind, global)
      let nk = try nextKind.map { try parseKind($0, global, option: "--next-kind") }
      let database = try core(global) { try global.open() }
      let ctx = try core(global) { try global.context(database) }
      let times = try Times(global, database)
      let n = try next.map {
        ContactService.Next(at: try times.at($0, field: "--next"), kind: nk)
      }
      let logged = try core(global) {
        try ctx.contacts.log(
          clientId: client, kind: k, outcome: outcome, notes: note, subject: subject,
          direction: incoming ? .incoming : .outgoing, next: n)
      }
      try report(logged, ctx.contacts, global, json: json)
    }
  }

  struct Plan: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "plan",
      abstract: "Plan a contact for the acting user (--user); prints its id.")
    @OptionGroup var global: Global
    @Option(help: "Client id.") var client: Int64
    @Option(help: "call, meeting, letter, email, request, complaint, visit, other (or Russian).")
    var kind: String
    @Option(help: "When: 2026-11-25 10:00, 25.11.2026 10:00, +3d, tomorrow 10:00, пятница…")
    var at: String
    @Option(help: "Notes.") var note = ""
    @Option(help: "Subject.") var subject = ""
    @Option(help: "How long: 30m, 1h.") var duration: String?
    @Option(help: "Remind this long before (15m, 1h) or at a time (default: remind_before).")
    var remind: String?
    @Option(name: .customLong("repeat"), help: "Repeat every 3d, 2w, 1m.") var recurrence: String?
    @Flag var json = false

    func run() throws {
      let k = try parseKind(kind, global)
      let database = try core(global) { try global.open() }
      let ctx = try core(global) { try global.context(database) }
      guard let me = ctx.user else {
        throw fail(.readOnly(path: database.path), global)
      }
      let times = try Times(global, database)
      let due = try times.at(at, field: "--at")
      var c = Contact(
        clientId: client, kind: k, dueAt: due, subject: subject, notes: note, userId: me.id,
        recurrence: recurrence.map { Recurrence($0)?.text ?? $0 } ?? "")
      if let duration {
        c.durationMinutes = Int((try times.duration(duration, field: "--duration") / 60).rounded())
      }
      if let remind {
        let trimmed = remind.trimmingCharacters(in: .whitespaces)
        if !trimmed.hasPrefix("+"),
          let before = try? When.duration(
            trimmed, language: global.language, field: "--remind")
        {
          c.remindAt = due.addingTimeInterval(-before)
        } else {
          c.remindAt = try times.at(trimmed, field: "--remind")
        }
      }
      let id = try core(global) { try ctx.contacts.plan(c) }
      if json {
        let row = try core(global) { try ctx.contacts.contact(id) }
        printJSON(row.map(ContactJSON.object) ?? ["id": id])
      } else {
        print(id)
      }
    }
  }

  struct List: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "list",
      abstract: "List contacts, newest first (yours unless --all).")
    @OptionGroup var global: Global
    @Option(help: "Only this client's.") var client: Int64?
    @Flag(help: "Everyone's contacts.") var all = false
    @Option(help: "planned, done, missed or cancelled.") var status: String?
    @Option(help: "From this day or time.") var from: String?
    @Option(help: "To this day (included) or time.") var to: String?
    @Option var limit = 50
    @Option var offset = 0
    @Flag var json = false

    func run() throws {
      guard limit >= 0, offset >= 0 else {
        throw ValidationError("--limit and --offset must not be negative")
      }
      var st: ContactStatus?
      if let status {
        guard let s = ContactStatus(rawValue: status.lowercased()) else {
          throw Failure(
            message: global.language.pick(
              "--status: use one of planned, done, missed, cancelled (not «\(status)»)",
              "--status: укажите planned, done, missed или cancelled (а не «\(status)»)"),
            code: 1)
        }
        st = s
      }
      let database = try core(global) { try global.open() }
      let scope: ContactScope =
        client != nil && global.user == nil
        ? .everyone
        : try global.scope(
          database, all: all)
      let times = try Times(global, database)
      let f = try from.map(times.from)
      let t = try to.map(times.to)
      let rows = try core(global) {
        try global.contacts(database, user: nil).list(
          scope: scope, clientId: client, status: st, from: f, to: t, limit: limit,
          offset: offset)
      }
      if json {
        printJSON(rows.map(ContactJSON.object))
      } else {
        for r in rows { print(contactLine(r, global)) }
      }
    }
  }

  struct Show: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "show", abstract: "Show one contact.")
    @OptionGroup var global: Global
    @Argument var id: Int64
    @Flag var json = false

    func run() throws {
      let database = try core(global) { try global.open() }
      let service = global.contacts(database, user: nil)
      guard let r = try core(global, { try service.contact(id) }) else {
        throw fail(.notFound(what: global.language.pick("contact", "контакт"), id: id), global)
      }
      if json {
        printJSON(ContactJSON.object(r))
        return
      }
      let c = r.contact
      let f = global.formats
      let l = global.language
      var pairs: [(String, String)] = [
        (
          "client",
          "\(r.clientName) (№\(c.clientId))"
            + (r.clientDeleted
              ? l.pick(
                " [in the trash]", " [в корзине]") : "")
        ),
        ("kind", c.kind.name(l)), ("status", c.status.name(l)),
        (
          "direction",
          c.direction == .incoming
            ? l.pick("incoming", "входящий")
            : l.pick("outgoing", "исходящий")
        ),
        ("due", c.dueAt.map(f.dateTime) ?? ""), ("done", c.doneAt.map(f.dateTime) ?? ""),
        ("duration", c.durationMinutes > 0 ? "\(c.durationMinutes) " + l.pick("min", "мин") : ""),
        ("remind", c.remindAt.map(f.dateTime) ?? ""), ("recurrence", c.recurrence),
        ("user", r.userLogin), ("person", r.personName ?? ""), ("subject", c.subject),
        ("outcome", c.outcome), ("notes", c.notes),
      ]
      pairs = pairs.filter { !$0.1.isEmpty }
      print(l.pick("Contact №\(id)", "Контакт №\(id)"))
      for (k, v) in pairs { print("\(service.fieldName(k)): \(v)") }
    }
  }

  struct Done: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "done", abstract: "Mark a planned contact done.")
    @OptionGroup var global: Global
    @Argument var id: Int64
    @Option(help: "What came of it.") var outcome = ""
    @Option(help: "Notes.") var note = ""
    @Option(help: "Plan the next contact: +3d, 2026-11-25 10:00…") var next: String?
    @Option(help: "Kind of the next contact (default: the same).") var nextKind: String?
    @Flag var json = false

    func run() throws {
      let nk = try nextKind.map { try parseKind($0, global, option: "--next-kind") }
      let database = try core(global) { try global.open() }
      let ctx = try core(global) { try global.context(database) }
      let times = try Times(global, database)
      let n = try next.map { ContactService.Next(at: try times.at($0, field: "--next"), kind: nk) }
      let logged = try core(global) {
        try ctx.contacts.complete(id, outcome: outcome, notes: note, next: n)
      }
      try report(logged, ctx.contacts, global, json: json)
    }
  }

  struct Postpone: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "postpone",
      abstract: "Move a planned contact to another time (+1h, +1d, tomorrow 10:00…).")
    @OptionGroup var global: Global
    @Argument var id: Int64
    @Option(help: "The new time.") var to: String

    func run() throws {
      let database = try core(global) { try global.open() }
      let ctx = try core(global) { try global.context(database) }
      let times = try Times(global, database)
      let when = try times.at(to, field: "--to")
      try core(global) { try ctx.contacts.postpone(id, to: when) }
      print(
        global.language.pick(
          "№\(id) moved to \(global.formats.dateTime(when))",
          "№\(id) перенесён на \(global.formats.dateTime(when))"))
    }
  }

  struct NoAnswer: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "no-answer",
      abstract: "Nobody answered: record it and plan a retry (no_answer_rule); prints when.")
    @OptionGroup var global: Global
    @Argument var id: Int64

    func run() throws {
      let database = try core(global) { try global.open() }
      let ctx = try core(global) { try global.context(database) }
      let retry = try core(global) { try ctx.contacts.noAnswer(id) }
      let due = try core(global) { try ctx.contacts.contact(retry) }?.contact.dueAt
      print(
        global.language.pick(
          "retry №\(retry) at \(due.map(global.formats.dateTime) ?? "?")",
          "повтор №\(retry): \(due.map(global.formats.dateTime) ?? "?")"))
    }
  }

  struct Cancel: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "cancel", abstract: "Cancel a planned contact.")
    @OptionGroup var global: Global
    @Argument var id: Int64

    func run() throws {
      let database = try core(global) { try global.open() }
      let ctx = try core(global) { try global.context(database) }
      try core(global) { try ctx.contacts.cancel(id) }
      print(global.language.pick("№\(id) cancelled", "№\(id) отменён"))
    }
  }

  struct Reassign: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "reassign",
      abstract: "Give a planned contact to another user.")
    @OptionGroup var global: Global
    @Argument var id: Int64
    @Option(help: "The new responsible user's login.") var to: String

    func run() throws {
      let database = try core(global) { try global.open() }
      let ctx = try core(global) { try global.context(database) }
      let target = try global.existingUser(database, to)
      try core(global) { try ctx.contacts.reassign(id, to: target.id) }
      print(global.language.pick("№\(id) is now \(to)'s", "№\(id) передан: \(to)"))
    }
  }
}

/// Prints what `log`/`done` did: the id on standard output (JSON with `--json`), and in words on
/// standard error whether a planned contact was closed and when the next one is.
func report(_ logged: ContactService.Logged, _ service: ContactService, _ g: Global, json: Bool)
  throws
{
  let nextRow = try logged.nextId.flatMap { id in try core(g) { try service.contact(id) } }
  if json {
    printJSON(ContactJSON.object(logged, next: nextRow))
    return
  }
  print(logged.id)
  let l = g.language
  if logged.closedPlanned {
    writeError(
      l.pick("closed planned contact №\(logged.id)", "закрыт запланированный контакт №\(logged.id)")
    )
  }
  if let r = nextRow, let due = r.contact.dueAt {
    writeError(
      l.pick(
        "next contact №\(r.id): \(r.contact.kind.name(l)) at \(g.formats.dateTime(due))",
        "следующий контакт №\(r.id): \(r.contact.kind.name(l)), \(g.formats.dateTime(due))"))
  }
  if let rec = logged.recurringId {
    let due = try core(g) { try service.contact(rec) }?.contact.dueAt
    writeError(
      l.pick(
        "repeats: №\(rec) at \(due.map(g.formats.dateTime) ?? "?")",
        "повтор по расписанию: №\(rec), \(due.map(g.formats.dateTime) ?? "?")"))
  }
}

// MARK: crm agenda

struct Agenda: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "agenda",
    abstract: "Planned contacts from now on, by day (yours unless --all).")
  @OptionGroup var global: Global
  @Option(help: "How many days ahead, today included.") var days = 7
  @Flag(help: "Everyone's contacts.") var all = false
  @Flag var json = false

  func run() throws {
    guard (1...3660).contains(days) else {
      throw ValidationError("--days must be between 1 and 3660")
    }
    let database = try core(global) { try global.open() }
    let scope = try global.scope(database, all: all)
    let service = global.contacts(database, user: nil)
    let now = database.clock.now()
    let cal = TimeContext(now: now, timeZone: .current).calendar
    let end = CalendarMath.addDays(CalendarMath.startOfDay(now, cal), days, cal)
    let rows = try core(global) { try service.planned(from: now, to: end, scope: scope) }
    if json {
      printJSON(rows.map(ContactJSON.object))
      return
    }
    let l = global.language
    // Team work: open to-dos given to me, overdue ones too (TeamWorkCommands.swift).
    let todos = try todoLines(database, global, scope: scope, to: end)
    defer { for line in todos { print(line) } }
    if rows.isEmpty {
      print(l.pick("Nothing planned.", "Ничего не запланировано."))
      return
    }
    var day: Date?
    for r in rows {
      guard let due = r.contact.dueAt else { continue }
      let start = CalendarMath.startOfDay(due, cal)
      if start != day {
        if day != nil { print("") }
        day = start
        print(weekday(due, cal, l) + " " + global.formats.date(due))
      }
      let time = String(global.formats.dateTime(due).suffix(5))
      let c = r.contact
      var line = "  \(time)  \(TextWidth.fit(c.kind.name(l), to: 8))  \(r.clientName)"
      if !c.subject.isEmpty { line += " — " + c.subject }
      line += "  (№\(r.id)" + (all ? ", \(r.userLogin))" : ")")
      print(line)
    }
  }
}

func weekday(_ d: Date, _ cal: Calendar, _ l: Language) -> String {
  let i = cal.component(.weekday, from: d) - 1
  let en = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
  let ru = ["Вс", "Пн", "Вт", "Ср", "Чт", "Пт", "Сб"]
  return l.pick(en[i], ru[i])
}

// MARK: crm remind

struct Remind: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "remind",
    abstract: "Overdue and soon-due contacts, most urgent first (for cron and shell prompts).")
  @OptionGroup var global: Global
  @Flag(help: "Everyone's contacts.") var all = false
  @Option(help: "Due within this long counts as soon: 15m, 1h, 1d.") var within = "1h"
  @Flag var json = false
  @Flag(help: "One short line for a shell prompt; nothing when nothing is due.") var short = false

  func run() throws {
    // Read-only and without creating users: this runs on every shell prompt.
    let database = try core(global) { try global.open(readOnly: true) }
    let scope = try global.scope(database, all: all)
    let ahead: TimeInterval
    do {
      ahead = try When.duration(within, language: global.language, field: "--within")
    } catch { throw fail(error, global) }
    let service = global.contacts(database, user: nil)
    let now = database.clock.now()
    let horizon = now.addingTimeInterval(ahead)
    let l = global.language
    if short {
      if let text = try core(global, { try RemindShort.line(service, scope, now, horizon, l) }) {
        print(text)
      }
      return
    }
    let list = try core(global) {
      try service.reminders(scope: scope, horizon: horizon, at: now, limit: 1000)
    }
    if json {
      printJSON(list.map(ContactJSON.object))
      return
    }
    // Overdue invoices of the same clients, as one line after the contacts (an older database
    // without money tables just has none).
    let invoices = try? OverdueInvoices.read(
      global.moneyService(database, user: nil), scope: scope)
    defer {
      if let line = invoices?.line(l) { print(line) }
    }
    // Team work: overdue and due-today to-dos given to me (TeamWorkCommands.swift).
    let todos = try todoLines(database, global, scope: scope, to: service.endOfDay(now))
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
    _ service: ContactService, _ scope: ContactScope, _ now: Date, _ horizon: Date, _ l: Language
  ) throws(CRMError) -> String? {
    var overdue = try service.overdueCount(scope: scope, at: now)
    var soon = try service.overdueCount(scope: scope, at: horizon) - overdue
    if case .user(let id) = scope {
      let tasks = TaskService(ServiceContext(db: service.db, language: l))
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
    let database = try core(g) { try g.open(readOnly: true) }
    let scope = try g.scope(database, all: all)
    let ahead: TimeInterval
    do {
      ahead = try When.duration(within, language: g.language, field: "--within")
    } catch { throw fail(error, g) }
    let now = database.clock.now()
    let service = g.contacts(database, user: nil)
    let horizon = now.addingTimeInterval(ahead)
    if let text = try core(g, { try Self.line(service, scope, now, horizon, g.language) }) {
      print(text)
    }
  }
}

// MARK: crm handover

struct Handover: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "handover",
    abstract: "Give a user's clients (all, or --client …) to another user.",
    discussion: "Their planned contacts move along; open deals too with --with-deals.")
  @OptionGroup var global: Global
  @Option(help: "Login of the current owner.") var from: String
  @Option(help: "Login of the new owner (must be active).") var to: String
  @Option(help: "Only this client; repeat for several.") var client: [Int64] = []
  @Flag(help: "Move open deals too.") var withDeals = false
  @Flag(help: "Only say what would move.") var dryRun = false
  @Flag var json = false

  func run() throws {
    let database = try core(global) { try global.open() }
    let ctx = try core(global) { try global.context(database) }
    let source = try global.existingUser(database, from)
    let target = try global.existingUser(database, to)
    let l = global.language
    let result: Moved
    if dryRun {
      result = try preview(database, ctx, source, target)
    } else {
      let done = try core(global) {
        try ctx.contacts.handover(
          from: source.id, to: target.id, clientIds: client.isEmpty ? nil : client,
          withDeals: withDeals)
      }
      result = Moved(clients: done.clients, contacts: done.contacts, deals: done.deals)
    }
    if json {
      printJSON(
        ContactJSON.handover(
          from: from, to: to, clients: result.clients, contacts: result.contacts,
          deals: result.deals, dryRun: dryRun))
      return
    }
    var text = l.pick(
      "\(dryRun ? "Would move" : "Moved") from \(from) to \(to): clients \(result.clients), "
        + "planned contacts \(result.contacts)",
      "\(dryRun ? "Будет передано" : "Передано") от \(from) к \(to): клиентов \(result.clients), "
        + "запланированных контактов \(result.contacts)")
    if withDeals { text += l.pick(", deals \(result.deals)", ", сделок \(result.deals)") }
    print(text)
  }

  /// What a handover would move, read without writing. The core has no dry run, so this repeats
  /// its checks and counts with reads; open deals of those clients that `from` owns count with
  /// `--with-deals`.
  /// `HandoverResult` has no public initializer, so the dry run counts into this.
  struct Moved {
    var clients: Int
    var contacts: Int
    var deals: Int
  }

  func preview(_ database: CRMDatabase, _ ctx: AppContext, _ source: User, _ target: User)
    throws -> Moved
  {
    let l = global.language
    if !target.active {
      throw fail(
        .invalid(
          field: target.login,
          problem: l.pick(
            "is deactivated; choose an active user",
            "деактивирован; выберите активного пользователя")), global)
    }
    if source.id == target.id {
      throw fail(
        .invalid(
          field: "--to",
          problem: l.pick(
            "is the same user as --from; nothing to hand over",
            "тот же пользователь, что и --from; передавать нечего")), global)
    }
    var ids = client
    for id in ids {
      guard let c = try core(global, { try ctx.clients.client(id) }) else {
        throw fail(.notFound(what: l.pick("client", "клиент"), id: id), global)
      }
      if c.ownerId != source.id {
        throw fail(
          .invalid(
            field: l.pick("client №\(id)", "клиент №\(id)"),
            problem: l.pick("does not belong to \(from)", "не принадлежит \(from)")), global)
      }
    }
    if ids.isEmpty {
      ids = try core(global) { try database.ids(ClientListQuery(ownerId: source.id)) }
    }
    var contacts = 0
    var deals = 0
    let dealService = global.deals(database, user: nil)
    for id in ids {
      contacts += try core(global) {
        try ctx.contacts.list(
          scope: .user(source.id), clientId: id, status: .planned, limit: Int(Int32.max))
      }.count
      if withDeals {
        deals += try core(global) {
          try dealService.list(
            DealFilter(ownerId: source.id, clientId: id), status: .open, limit: Int(Int32.max))
        }.count
      }
    }
    return Moved(clients: ids.count, contacts: contacts, deals: deals)
  }
}

// MARK: crm settings

struct SettingsCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "settings",
    abstract: "Show and change settings: \(Settings.keys.joined(separator: ", ")).",
    subcommands: [List.self, Get.self, SetValue.self])

  struct List: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "list", abstract: "Every setting and its value.")
    @OptionGroup var global: Global
    @Flag var json = false

    func run() throws {
      let database = try core(global) { try global.open() }
      let s = try core(global) { try database.settings() }
      if json {
        printJSON(ContactJSON.object(s))
        return
      }
      for key in Settings.keys { print("\(key) = \(s.value(key) ?? "")") }
    }
  }

  struct Get: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "get", abstract: "Print one setting's value.")
    @OptionGroup var global: Global
    @Argument var key: String

    func run() throws {
      let database = try core(global) { try global.open() }
      let s = try core(global) { try database.settings() }
      guard Settings.keys.contains(key), let v = s.value(key) else {
        throw Failure(
          message: global.language.pick(
            "\(key): no such setting; known: \(Settings.keys.joined(separator: ", "))",
            "\(key): такой настройки нет; есть: \(Settings.keys.joined(separator: ", "))"),
          code: 1)
      }
      print(v)
    }
  }

  struct SetValue: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "set", abstract: "Change one setting; prints the stored value.")
    @OptionGroup var global: Global
    @Argument var key: String
    @Argument var value: String

    func run() throws {
      let database = try core(global) { try global.open() }
      let stored = try core(global) {
        try database.setSetting(key, value, language: global.language)
      }
      print("\(key) = \(stored)")
    }
  }
}

// MARK: crm export ics

struct Export: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "export",
    abstract: "Export data to files.",
    subcommands: [
      ICS.self, ExportActs.self, ExportLog.self, ExportClientsCSV.self, ExportClientsVCard.self,
      ExportClientsJSON.self,
    ])

  struct ICS: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "ics",
      abstract: "Planned contacts as an iCalendar file (default: yours, today to +90 days).")
    @OptionGroup var global: Global
    @Option(help: "The .ics file to write (replaced atomically).") var out: String
    @Flag(help: "Everyone's contacts.") var all = false
    @Option(help: "From this day or time (default: today).") var from: String?
    @Option(help: "To this day (included) or time (default: 90 days on).") var to: String?

    func run() throws {
      let database = try core(global) { try global.open() }
      let scope = try global.scope(database, all: all)
      let times = try Times(global, database)
      let cal = times.context.calendar
      let start = try from.map(times.from) ?? CalendarMath.startOfDay(times.now, cal)
      let end = try to.map(times.to) ?? CalendarMath.addDays(start, 90, cal)
      let service = global.contacts(database, user: nil)
      let rows = try core(global) {
        try service.planned(from: start, to: end, scope: scope, limit: Int(Int32.max))
      }
      let token = try core(global) { try database.databaseToken() }
      let events = rows.compactMap {
        ContactCalendar.event($0, token: token, language: global.language)
      }
      let name = all ? "TermCRM" : "TermCRM — \(global.login)"
      let text = ICalendar.write(
        events, calendarName: name, timeZone: .current, stamp: times.now)
      try writeAtomically(text, to: out, global)
      print(
        global.language.pick(
          "\(events.count) events written to \(out)", "Событий записано в \(out): \(events.count)"))
    }
  }
}

/// Writes next to the target, then renames over it: readers see the old or the new file. A
/// failure is an environment error (exit 2). Used by `export ics` and `offer print --out`.
func writeAtomically(_ text: String, to path: String, _ g: Global) throws {
  try writeAtomically(Data(text.utf8), to: path, g)
}

func writeAtomically(_ data: Data, to path: String, _ g: Global) throws {
  let dir = (path as NSString).deletingLastPathComponent
  let temp =
    (dir.isEmpty ? "." : dir) + "/.\((path as NSString).lastPathComponent).tmp-\(getpid())"
  do {
    try data.write(to: URL(fileURLWithPath: temp))
    guard rename(temp, path) == 0 else {
      throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO)
    }
  } catch {
    unlink(temp)
    throw Failure(
      message: g.language.pick(
        "cannot write \(path): \(error.localizedDescription)",
        "не удаётся записать \(path): \(error.localizedDescription)"), code: 2)
  }
}

// MARK: crm pane

struct PaneCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "pane",
    abstract: "A small live view of overdue and today's contacts, for a tmux split.")
  @OptionGroup var global: Global
  @Option(help: "Shell command to run when a reminder comes due (gets $CRM_MESSAGE).")
  var notify: String?
  @Option(help: "Seconds between checks.") var interval: Double = 1

  func run() throws {
    guard interval >= 0.1 && interval <= 60 else {
      throw ValidationError("--interval must be between 0.1 and 60 seconds")
    }
    let database = try core(global) { try global.open() }
    let user = try global.existingUser(database)
    let settings = try core(global) { try database.settings() }
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
