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
  /// The user `--user` (or the OS account) names, never created: for reading commands.
  func existingUser(_ database: CRMDatabase, _ login: String? = nil) throws -> User {
    if login == nil, let me = database.viewer.user { return me }
    let name = login ?? self.login
    // `core` here (not left to the base): `user(_:login:option:)` prefixes a `Failure` with
    // the option it names, a database error included.
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

  var formats: Formats { Formats(language: language, timeZone: .current) }
}

/// Reads times and durations typed on the command line, in the local zone (`TZ` respected).
struct Times {
  let global: Global
  let now: Date
  let dayStart: Int
  /// Where relative follow-ups (`+3d`, `через 2 часа`) land (`day_start`..`day_end`, Mon–Fri).
  let hours: WorkingHours

  init(_ global: Global, _ database: CRMDatabase) throws {
    self.global = global
    now = database.clock.now()
    let settings = try database.settings()
    dayStart = settings.dayStartHour
    hours = WorkingHours(settings, timeZone: .current)
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

  /// When a follow-up is planned: like `at`, but a relative day (`+3d`, `через 3 дня`) lands in
  /// working hours on a working day (`WorkingHours`); a `postpone` keeps hours (`+2h`) within
  /// working hours too. Typed times stay as typed.
  func followUp(_ text: String, field: String, postpone: Bool = false) throws -> Date {
    do {
      return try When.parse(
        text, in: context, language: global.language, field: field, defaultHour: dayStart,
        hours: hours, elapsedToo: postpone)
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

// MARK: crm contact

struct ContactCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "contact",
    abstract: tr(
      "Log, plan, list and work through contacts (calls, meetings, letters…).",
      "Записывать, планировать, показывать и отрабатывать контакты (звонки, встречи, письма…)."),
    subcommands: [
      Log.self, Plan.self, List.self, Show.self, Done.self, Postpone.self, NoAnswer.self,
      Cancel.self, Reassign.self,
    ])

  struct Log: CRMCommand {
    static let configuration = CommandConfiguration(
      commandName: "log",
      abstract: tr(
        "Log a contact that just happened; prints its id.",
        "Записать только что состоявшийся контакт; выводит его номер."),
      discussion: tr(
        "Closes your planned contact of the same kind with this client due today.",
        "Закрывает ваш запланированный на сегодня контакт того же вида с этим клиентом."))
    @OptionGroup var global: Global
    @Option(
      help: tr(
        "Client id.",
        "Номер клиента.")) var client: Int64
    @Option(
      help: tr(
        "call, meeting, letter, email, request, complaint, visit, other (or Russian).",
        "call, meeting, letter, email, request, complaint, visit, other (или по-русски)."))
    var kind: String
    @Option(
      help: tr(
        "What came of it.",
        "Чем закончилось.")) var outcome = ""
    @Option(
      help: tr(
        "Notes.",
        "Заметки.")) var note = ""
    @Option(
      help: tr(
        "Subject.",
        "Тема.")) var subject = ""
    @Flag(
      name: .customLong("in"),
      help: tr(
        "The client got in touch (incoming).",
        "Клиент обратился сам (входящий).")) var incoming =
      false
    @Option(
      help: tr(
        "Plan the next contact: 2026-11-25 10:00, +3d, tomorrow 10:00…",
        "Запланировать следующий контакт: 2026-11-25 10:00, +3d, завтра 10:00…")) var next: String?
    @Option(
      help: tr(
        "Kind of the next contact (default: the same).",
        "Вид следующего контакта (по умолчанию: тот же).")) var nextKind: String?
    @OptionGroup var output: JSONOutput

    func check() throws {
      _ = try parseKind(kind, global)
      _ = try nextKind.map { try parseKind($0, global, option: "--next-kind") }
    }

    func run(_ session: Session) throws {
      let k = try parseKind(kind, global)
      let nk = try nextKind.map { try parseKind($0, global, option: "--next-kind") }
      let database = session.database
      let ctx = session.app
      let times = try Times(global, database)
      let n = try next.map {
        ContactService.Next(at: try times.followUp($0, field: "--next"), kind: nk)
      }
      let logged = try ctx.contacts.log(
        clientId: client, kind: k, outcome: outcome, notes: note, subject: subject,
        direction: incoming ? .incoming : .outgoing, next: n)
      try report(logged, ctx.contacts, global, json: output.json)
    }
  }

  struct Plan: CRMCommand {
    static let configuration = CommandConfiguration(
      commandName: "plan",
      abstract: tr(
        "Plan a contact for the acting user (--user); prints its id.",
        "Запланировать контакт для действующего пользователя (--user); выводит его номер."))
    @OptionGroup var global: Global
    @Option(
      help: tr(
        "Client id.",
        "Номер клиента.")) var client: Int64
    @Option(
      help: tr(
        "call, meeting, letter, email, request, complaint, visit, other (or Russian).",
        "call, meeting, letter, email, request, complaint, visit, other (или по-русски)."))
    var kind: String
    @Option(
      help: tr(
        "When: 2026-11-25 10:00, 25.11.2026 10:00, +3d, tomorrow 10:00, пятница…",
        "Когда: 2026-11-25 10:00, 25.11.2026 10:00, +3d, завтра 10:00, пятница…"))
    var at: String
    @Option(
      help: tr(
        "Notes.",
        "Заметки.")) var note = ""
    @Option(
      help: tr(
        "Subject.",
        "Тема.")) var subject = ""
    @Option(
      help: tr(
        "How long: 30m, 1h.",
        "Длительность: 30m, 1h.")) var duration: String?
    @Option(
      help: tr(
        "Remind this long before (15m, 1h) or at a time (default: remind_before).",
        "Напомнить за столько (15m, 1h) или в указанное время (по умолчанию: remind_before)."))
    var remind: String?
    @Option(
      name: .customLong("repeat"),
      help: tr(
        "Repeat every 3d, 2w, 1m.",
        "Повторять каждые 3d, 2w, 1m.")) var recurrence: String?
    @OptionGroup var output: JSONOutput

    func check() throws {
      _ = try parseKind(kind, global)
    }

    func run(_ session: Session) throws {
      let k = try parseKind(kind, global)
      let database = session.database
      let ctx = session.app
      guard let me = ctx.user else {
        throw fail(.readOnly(path: database.path), global)
      }
      let times = try Times(global, database)
      let due = try times.followUp(at, field: "--at")
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
      let id = try ctx.contacts.plan(c)
      if output.json {
        let row = try ctx.contacts.contact(id)
        printJSON(row.map(ContactJSON.object) ?? ["id": id])
      } else {
        print(id)
      }
    }
  }

  struct List: CRMCommand {
    static let configuration = CommandConfiguration(
      commandName: "list",
      abstract: tr(
        "List contacts, newest first (yours unless --all).",
        "Список контактов, сначала новые (ваши, если нет --all)."))
    @OptionGroup var global: Global
    @Option(
      help: tr(
        "Only this client's.",
        "Только этого клиента.")) var client: Int64?
    @Flag(
      help: tr(
        "Everyone's contacts.",
        "Контакты всех.")) var all = false
    @Option(
      help: tr(
        "planned, done, missed or cancelled.",
        "planned, done, missed или cancelled (запланирован, сделан, пропущен, отменён)."))
    var status: String?
    @Option(
      help: tr(
        "From this day or time.",
        "С этого дня или времени.")) var from: String?
    @Option(
      help: tr(
        "To this day (included) or time.",
        "По этот день (включительно) или время.")) var to: String?
    @OptionGroup var page: Paging<Fifty>
    @OptionGroup var output: JSONOutput

    /// The status `--status` names (nil: any).
    var st: ContactStatus? { status.flatMap { ContactStatus(rawValue: $0.lowercased()) } }

    func check() throws {
      try page.check()
      if let status, st == nil {
        throw Failure(
          message: global.language.pick(
            "--status: use one of planned, done, missed, cancelled (not «\(status)»)",
            "--status: укажите planned, done, missed или cancelled (а не «\(status)»)"),
          code: 1)
      }
    }

    func run(_ session: Session) throws {
      let database = session.database
      let scope: ContactScope =
        client != nil && global.user == nil
        ? .everyone
        : try global.scope(
          database, all: all)
      let times = try Times(global, database)
      let f = try from.map(times.from)
      let t = try to.map(times.to)
      let rows = page.shown(
        try session.context.contacts.list(
          scope: scope, clientId: client, status: st, from: f, to: t,
          limit: page.sqlLimit(machine: output.json), offset: page.offset),
        machine: output.json, language: global.language)
      if output.json {
        printJSON(rows.map(ContactJSON.object))
      } else {
        for r in rows { print(contactLine(r, global)) }
      }
    }
  }

  struct Show: CRMCommand {
    static let configuration = CommandConfiguration(
      commandName: "show",
      abstract: tr(
        "Show one contact.",
        "Показать один контакт."))
    @OptionGroup var global: Global
    @Argument(help: tr("Its number (id).", "Номер (id).")) var id: Int64
    @OptionGroup var output: JSONOutput

    func run(_ session: Session) throws {
      let service = session.context.contacts
      guard let r = try service.contact(id) else {
        throw fail(.notFound(what: global.language.pick("contact", "контакт"), id: id), global)
      }
      if output.json {
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

  struct Done: CRMCommand {
    static let configuration = CommandConfiguration(
      commandName: "done",
      abstract: tr(
        "Mark a planned contact done.",
        "Отметить запланированный контакт сделанным."))
    @OptionGroup var global: Global
    @Argument(help: tr("Its number (id).", "Номер (id).")) var id: Int64
    @Option(
      help: tr(
        "What came of it.",
        "Чем закончилось.")) var outcome = ""
    @Option(
      help: tr(
        "Notes.",
        "Заметки.")) var note = ""
    @Option(
      help: tr(
        "Plan the next contact: +3d, 2026-11-25 10:00…",
        "Запланировать следующий контакт: +3d, 2026-11-25 10:00…")) var next: String?
    @Option(
      help: tr(
        "Kind of the next contact (default: the same).",
        "Вид следующего контакта (по умолчанию: тот же).")) var nextKind: String?
    @OptionGroup var output: JSONOutput

    func check() throws {
      _ = try nextKind.map { try parseKind($0, global, option: "--next-kind") }
    }

    func run(_ session: Session) throws {
      let nk = try nextKind.map { try parseKind($0, global, option: "--next-kind") }
      let database = session.database
      let ctx = session.app
      let times = try Times(global, database)
      let n = try next.map {
        ContactService.Next(at: try times.followUp($0, field: "--next"), kind: nk)
      }
      let logged = try ctx.contacts.complete(id, outcome: outcome, notes: note, next: n)
      try report(logged, ctx.contacts, global, json: output.json)
    }
  }

  struct Postpone: CRMCommand {
    static let configuration = CommandConfiguration(
      commandName: "postpone",
      abstract: tr(
        "Move a planned contact to another time (+1h, +1d, tomorrow 10:00…).",
        "Перенести запланированный контакт на другое время (+1h, +1d, завтра 10:00…)."))
    @OptionGroup var global: Global
    @Argument(help: tr("Its number (id).", "Номер (id).")) var id: Int64
    @Option(
      help: tr(
        "The new time.",
        "Новое время.")) var to: String

    func run(_ session: Session) throws {
      let database = session.database
      let ctx = session.app
      let times = try Times(global, database)
      let when = try times.followUp(to, field: "--to", postpone: true)
      try ctx.contacts.postpone(id, to: when)
      print(
        global.language.pick(
          "№\(id) moved to \(global.formats.dateTime(when))",
          "№\(id) перенесён на \(global.formats.dateTime(when))"))
    }
  }

  struct NoAnswer: CRMCommand {
    static let configuration = CommandConfiguration(
      commandName: "no-answer",
      abstract: tr(
        "Nobody answered: record it and plan a retry (no_answer_rule); prints when.",
        "Никто не ответил: записать это и запланировать повтор (no_answer_rule); выводит когда."))
    @OptionGroup var global: Global
    @Argument(help: tr("Its number (id).", "Номер (id).")) var id: Int64

    func run(_ session: Session) throws {
      let ctx = session.app
      let retry = try ctx.contacts.noAnswer(id)
      let due = try ctx.contacts.contact(retry)?.contact.dueAt
      print(
        global.language.pick(
          "retry №\(retry) at \(due.map(global.formats.dateTime) ?? "?")",
          "повтор №\(retry): \(due.map(global.formats.dateTime) ?? "?")"))
    }
  }

  struct Cancel: CRMCommand {
    static let configuration = CommandConfiguration(
      commandName: "cancel",
      abstract: tr(
        "Cancel a planned contact.",
        "Отменить запланированный контакт."))
    @OptionGroup var global: Global
    @Argument(help: tr("Its number (id).", "Номер (id).")) var id: Int64

    func run(_ session: Session) throws {
      let ctx = session.app
      try ctx.contacts.cancel(id)
      print(global.language.pick("№\(id) cancelled", "№\(id) отменён"))
    }
  }

  struct Reassign: CRMCommand {
    static let configuration = CommandConfiguration(
      commandName: "reassign",
      abstract: tr(
        "Give a planned contact to another user.",
        "Передать запланированный контакт другому пользователю."))
    @OptionGroup var global: Global
    @Argument(help: tr("Its number (id).", "Номер (id).")) var id: Int64
    @Option(
      help: tr(
        "The new responsible user's login.",
        "Логин нового ответственного.")) var to: String

    func run(_ session: Session) throws {
      let database = session.database
      let ctx = session.app
      let target = try global.existingUser(database, to)
      try ctx.contacts.reassign(id, to: target.id)
      print(global.language.pick("№\(id) is now \(to)'s", "№\(id) передан: \(to)"))
    }
  }
}

/// Prints what `log`/`done` did: the id on standard output (JSON with `--json`), and in words on
/// standard error whether a planned contact was closed and when the next one is.
func report(_ logged: ContactService.Logged, _ service: ContactService, _ g: Global, json: Bool)
  throws
{
  let nextRow = try logged.nextId.flatMap { id in try service.contact(id) }
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
    let due = try service.contact(rec)?.contact.dueAt
    writeError(
      l.pick(
        "repeats: №\(rec) at \(due.map(g.formats.dateTime) ?? "?")",
        "повтор по расписанию: №\(rec), \(due.map(g.formats.dateTime) ?? "?")"))
  }
}
