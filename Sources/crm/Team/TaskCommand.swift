import ArgumentParser
import CRMApp
import CRMCore
import CRMExchange
import Foundation

// Team work: lead distribution, tasks, saved filters and campaigns (docs/teamwork.md).

func isoDate(_ d: Date?) -> Any {
  guard let d else { return NSNull() }
  let f = ISO8601DateFormatter()
  f.timeZone = .current
  f.formatOptions = [.withInternetDateTime]
  return f.string(from: d)
}

func moneyText(_ minor: Int64, _ code: String, _ l: Language) -> String {
  let c = Currency.known.first { $0.code == code } ?? Currency.known[0]
  return Money(minor: minor, currency: c).formatted(l, whole: false)
}

/// Open to-dos of the user `scope` names, due before `to` (overdue ones included), one line
/// each for `crm agenda` and `crm remind`: `☐ Задача №3: … — срок …, от vera`. Nothing for
/// everyone's scope.
func todoLines(_ session: Session, scope: ContactScope, to: Date) throws -> [String] {
  guard case .user(let id) = scope else { return [] }
  let g = session.global
  let l = g.language
  let todos = try session.context.tasks.openTodos(assignee: id, to: to, limit: everyRow)
  guard !todos.isEmpty else { return [] }
  return [l.pick("Tasks:", "Задачи:")]
    + todos.map { t in
      var line = "  ☐ " + l.pick("Task", "Задача") + " №\(t.id): \(t.title)"
      if !t.clientName.isEmpty { line += " — " + t.clientName }
      line += l.pick(" — due ", " — срок ") + g.formats.dateTime(t.dueAt)
      if t.overdue { line += l.pick(" (overdue)", " (просрочена)") }
      if !t.authorLogin.isEmpty { line += l.pick(", from ", ", от ") + t.authorLogin }
      return line
    }
}

// MARK: crm task

struct TaskCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "task",
    abstract: tr(
      "Tasks a supervisor gives a manager: to-dos and planned contacts.",
      "Задачи, которые руководитель даёт менеджеру: дела и запланированные контакты."),
    subcommands: [Add.self, List.self, Done.self, Cancel.self])

  struct Add: CRMCommand {
    static let configuration = CommandConfiguration(
      commandName: "add",
      abstract: tr(
        "Give LOGIN a task due WHEN (supervisors and admins).",
        "Дать LOGIN задачу со сроком WHEN (руководители и администраторы)."),
      discussion: tr(
        """
        A to-do, or with --contact a planned contact of that kind with --client (it shows in \
        the manager's calendar like any contact). WHEN: "tomorrow 10:00", "25.11.2026 15:00", \
        "+2h"…
        """,
        """
        Дело или, с --contact, запланированный контакт этого вида с клиентом --client (он виден \
        в календаре менеджера, как любой контакт). WHEN: "завтра 10:00", "25.11.2026 15:00", \
        "+2h"…
        """))
    @OptionGroup var global: Global
    @Argument(
      help: tr(
        "The manager's login.",
        "Логин менеджера.")) var login: String
    @Argument(
      help: tr(
        "What to do.",
        "Что сделать.")) var title: String
    @Option(
      help: tr(
        "When it is due.",
        "Срок.")) var due: String
    @Option(
      help: tr(
        "The client it is about.",
        "Клиент, которого она касается.")) var client: Int64?
    @Option(
      help: tr(
        "A planned contact of this kind: call, meeting, letter, email, other.",
        "Запланированный контакт этого вида: call, meeting, letter, email, other."))
    var contact: String?
    @Option(
      help: tr(
        "Notes for the manager.",
        "Заметки для менеджера.")) var notes = ""
    @OptionGroup var output: JSONOutput

    func run(_ session: Session) throws {
      let database = session.database
      let l = global.language
      let kind = try contact.map { try parseKind($0, global, option: "--contact") }
      let when = try Times(global, database).followUp(due, field: "--due")
      let assignee = try global.existingUser(database, login)
      let service = session.context.tasks
      let id = try service.add(
        NewTask(
          assigneeId: assignee.id, title: title, notes: notes, dueAt: when, clientId: client,
          contactKind: kind))
      let t = try service.task(id)
      if output.json, let t {
        printJSON(taskJSON(t))
        return
      }
      print(
        l.pick(
          "Task №\(id) for \(assignee.login), due \(global.formats.dateTime(when))"
            + (t?.contactId.map { " (contact №\($0))" } ?? ""),
          "Задача №\(id) для \(assignee.login), срок \(global.formats.dateTime(when))"
            + (t?.contactId.map { " (контакт №\($0))" } ?? "")))
    }
  }

  struct List: CRMCommand {
    static let configuration = CommandConfiguration(
      commandName: "list",
      abstract: tr(
        "Tasks given to you (or --given by you, or --all).",
        "Задачи, данные вам (или --given — вами, или --all — все)."))
    @OptionGroup var global: Global
    @Flag(
      help: tr(
        "Tasks you gave.",
        "Задачи, которые дали вы.")) var given = false
    @Flag(
      help: tr(
        "Everyone's tasks (supervisors and admins).",
        "Задачи всех (руководители и администраторы).")) var all = false
    @Option(
      help: tr(
        "open, overdue, done or all.",
        "open, overdue, done или all (открытые, просроченные, сделанные, все).")) var status =
      "open"
    @Option(
      help: tr(
        "At most this many (default: 100 as text, every task with --json).",
        "Не больше стольких (по умолчанию 100 текстом, все задачи с --json)."))
    var limit: Int?
    @Option(
      help: tr(
        "Skip this many (paging).",
        "Пропустить столько (постранично).")) var offset = 0
    @OptionGroup var output: JSONOutput

    func check() throws {
      let l = global.language
      guard TaskFilter(rawValue: status.lowercased()) != nil else {
        throw Failure(
          message: l.pick(
            "--status: «\(status)» is not one of open, overdue, done, all",
            "--status: «\(status)» — не одно из open, overdue, done, all"), code: 1)
      }
      if given && all {
        throw Failure(
          message: l.pick(
            "--given and --all cannot be combined", "--given и --all нельзя сочетать"),
          code: 1)
      }
      guard (limit ?? 1) >= 1, offset >= 0 else {
        throw Failure(
          message: l.pick(
            "--limit: at least 1; --offset: not negative",
            "--limit: не меньше 1; --offset: не отрицательный"), code: 1)
      }
    }

    func run(_ session: Session) throws {
      let l = global.language
      let service = session.context.tasks
      guard let filter = TaskFilter(rawValue: status.lowercased()) else { return }  // check() said
      let scope: TaskScope = all ? .all : given ? .given : .mine
      let rows = listShown(
        try service.list(
          scope, filter: filter, limit: listLimit(limit, text: 100, machine: output.json),
          offset: offset),
        limit: limit, text: 100, offset: offset, machine: output.json, language: l)
      if output.json {
        printJSON(rows.map(taskJSON))
        return
      }
      if rows.isEmpty {
        print(l.pick("No tasks.", "Задач нет."))
        return
      }
      let cols = [
        Col(width: 6), Col(width: 16), Col(width: 10), Col(width: 10), Col(width: 10),
        Col(width: 24),
      ]
      print(
        tableLine(
          [
            "№", l.pick("Due", "Срок"), l.pick("Status", "Статус"), l.pick("To", "Кому"),
            l.pick("From", "От"), l.pick("Task", "Задача"),
          ], cols))
      for t in rows {
        var title = t.title
        if !t.clientName.isEmpty { title += " — " + t.clientName }
        let state = t.overdue ? l.pick("overdue", "просрочена") : t.status.name(l)
        print(
          tableLine(
            [
              "\(t.id)", global.formats.dateTime(t.dueAt), state, t.assigneeLogin,
              t.authorLogin, title,
            ], cols))
      }
    }
  }

  struct Done: CRMCommand {
    static let configuration = CommandConfiguration(
      commandName: "done",
      abstract: tr(
        "Mark your task done (a contact task completes its contact).",
        "Отметить вашу задачу сделанной (задача-контакт закрывает свой контакт)."))
    @OptionGroup var global: Global
    @Argument(
      help: tr(
        "The task's number.",
        "Номер задачи.")) var id: Int64

    func run(_ session: Session) throws {
      let service = session.context.tasks
      try service.done(id)
      print(global.language.pick("Task №\(id) done.", "Задача №\(id) выполнена."))
    }
  }

  struct Cancel: CRMCommand {
    static let configuration = CommandConfiguration(
      commandName: "cancel",
      abstract: tr(
        "Cancel a task you gave (or any, as an admin).",
        "Отменить задачу, которую дали вы (администратор — любую)."))
    @OptionGroup var global: Global
    @Argument(
      help: tr(
        "The task's number.",
        "Номер задачи.")) var id: Int64

    func run(_ session: Session) throws {
      let service = session.context.tasks
      try service.cancel(id)
      print(global.language.pick("Task №\(id) cancelled.", "Задача №\(id) отменена."))
    }
  }
}

func taskJSON(_ t: TeamTask) -> [String: Any] {
  [
    "id": t.id, "title": t.title, "notes": t.notes, "assignee": t.assigneeLogin,
    "author": t.authorLogin, "client_id": t.clientId.map { $0 as Any } ?? NSNull(),
    "client": t.clientName, "contact_id": t.contactId.map { $0 as Any } ?? NSNull(),
    "kind": t.contactKind?.rawValue ?? "todo", "due": isoDate(t.dueAt),
    "status": t.status.rawValue, "overdue": t.overdue, "done_at": isoDate(t.doneAt),
  ]
}
