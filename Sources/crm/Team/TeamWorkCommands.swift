import ArgumentParser
import CRMApp
import CRMCore
import CRMExchange
import Foundation

// Team work: lead distribution, tasks, saved filters and campaigns (docs/teamwork.md).

extension Global {
  /// The database, opened and signed in by `open()`, with the acting user's screen context
  /// (its services act as that user).
  func signedIn() throws -> (CRMDatabase, AppContext) {
    let database = try core(self) { try open() }
    return (database, try core(self) { try context(database) })
  }
}

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
func todoLines(_ database: CRMDatabase, _ g: Global, scope: ContactScope, to: Date) throws
  -> [String]
{
  guard case .user(let id) = scope else { return [] }
  let l = g.language
  let service = TaskService(ServiceContext(db: database, language: l))
  let todos = try core(g) { try service.openTodos(assignee: id, to: to) }
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

// MARK: crm assign-leads

struct AssignLeads: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "assign-leads",
    abstract: "Give every live client without an owner to a manager by the lead rule.",
    discussion: """
      The rule is the lead_rule setting (round_robin, least_busy, segment, region) unless --rule \
      names one. Every assignment is logged (lead_assignment) and audited. Supervisors and \
      admins only; --dry-run shows who would get how many and changes nothing.
      """)
  @OptionGroup var global: Global
  @Option(help: "round_robin, least_busy, segment or region (default: the lead_rule setting).")
  var rule: String?
  @Option(help: "At most this many clients (oldest first).") var limit: Int?
  @Flag(help: "Only say who would get how many.") var dryRun = false
  @Flag var json = false

  func run() throws {
    let l = global.language
    var chosen: LeadRule?
    if let rule {
      guard let r = LeadRule(rawValue: rule.lowercased()), r != .off else {
        throw Failure(
          message: l.pick(
            "--rule: unknown rule «\(rule)»; use round_robin, least_busy, segment or region",
            "--rule: неизвестное правило «\(rule)»; допустимые: round_robin, least_busy, segment, region"
          ), code: 1)
      }
      chosen = r
    }
    let (database, ctx) = try global.signedIn()
    let service = LeadService(ServiceContext(db: database, language: l))
    let run = try core(global) {
      try service.distribute(rule: chosen, limit: limit, dryRun: dryRun)
    }
    if json {
      printJSON(
        [
          "rule": run.rule.rawValue, "dry_run": dryRun, "assigned": run.assigned.count,
          "users": run.perUser.map { ["user": $0.login, "leads": $0.count] as [String: Any] },
        ] as [String: Any])
      return
    }
    if run.assigned.isEmpty {
      print(l.pick("No clients without an owner.", "Клиентов без владельца нет."))
      return
    }
    print(
      l.pick(
        "\(dryRun ? "Would assign" : "Assigned") \(run.assigned.count) clients by \(run.rule.rawValue):",
        "\(dryRun ? "Будет роздано" : "Роздано") клиентов: \(run.assigned.count), правило \(run.rule.rawValue):"
      ))
    for u in run.perUser {
      print(
        "  " + tableLine([u.login, String(u.count)], [Col(width: 20), Col(width: 8, right: true)]))
    }
  }
}

// MARK: crm task

struct TaskCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "task",
    abstract: "Tasks a supervisor gives a manager: to-dos and planned contacts.",
    subcommands: [Add.self, List.self, Done.self, Cancel.self])

  struct Add: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "add",
      abstract: "Give LOGIN a task due WHEN (supervisors and admins).",
      discussion: """
        A to-do, or with --contact a planned contact of that kind with --client (it shows in \
        the manager's calendar like any contact). WHEN: "tomorrow 10:00", "25.11.2026 15:00", \
        "+2h"…
        """)
    @OptionGroup var global: Global
    @Argument(help: "The manager's login.") var login: String
    @Argument(help: "What to do.") var title: String
    @Option(help: "When it is due.") var due: String
    @Option(help: "The client it is about.") var client: Int64?
    @Option(help: "A planned contact of this kind: call, meeting, letter, email, other.")
    var contact: String?
    @Option(help: "Notes for the manager.") var notes = ""
    @Flag var json = false

    func run() throws {
      let (database, ctx) = try global.signedIn()
      let l = global.language
      let kind = try contact.map { try parseKind($0, global, option: "--contact") }
      let when = try Times(global, database).at(due, field: "--due")
      let assignee = try global.existingUser(database, login)
      let service = TaskService(ServiceContext(db: database, language: l))
      let id = try core(global) {
        try service.add(
          NewTask(
            assigneeId: assignee.id, title: title, notes: notes, dueAt: when, clientId: client,
            contactKind: kind))
      }
      let t = try core(global) { try service.task(id) }
      if json, let t {
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

  struct List: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "list", abstract: "Tasks given to you (or --given by you, or --all).")
    @OptionGroup var global: Global
    @Flag(help: "Tasks you gave.") var given = false
    @Flag(help: "Everyone's tasks (supervisors and admins).") var all = false
    @Option(help: "open, overdue, done or all.") var status = "open"
    @Option(help: "At most this many.") var limit = 100
    @Option(help: "Skip this many (paging).") var offset = 0
    @Flag var json = false

    func run() throws {
      let l = global.language
      guard let filter = TaskFilter(rawValue: status.lowercased()) else {
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
      guard (1...10000).contains(limit), offset >= 0 else {
        throw Failure(
          message: l.pick("--limit: 1 to 10000", "--limit: от 1 до 10000"), code: 1)
      }
      let (database, ctx) = try global.signedIn()
      let service = TaskService(ServiceContext(db: database, language: l))
      let scope: TaskScope = all ? .all : given ? .given : .mine
      let rows = try core(global) {
        try service.list(scope, filter: filter, limit: limit, offset: offset)
      }
      if json {
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

  struct Done: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "done", abstract: "Mark your task done (a contact task completes its contact).")
    @OptionGroup var global: Global
    @Argument(help: "The task's number.") var id: Int64

    func run() throws {
      let (database, ctx) = try global.signedIn()
      let service = TaskService(ServiceContext(db: database, language: global.language))
      try core(global) { try service.done(id) }
      print(global.language.pick("Task №\(id) done.", "Задача №\(id) выполнена."))
    }
  }

  struct Cancel: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "cancel", abstract: "Cancel a task you gave (or any, as an admin).")
    @OptionGroup var global: Global
    @Argument(help: "The task's number.") var id: Int64

    func run() throws {
      let (database, ctx) = try global.signedIn()
      let service = TaskService(ServiceContext(db: database, language: global.language))
      try core(global) { try service.cancel(id) }
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

// MARK: crm filter

struct FilterCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "filter",
    abstract: "Saved client filters (a campaign's target).",
    subcommands: [Save.self, List.self, Remove.self])

  struct Save: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "save", abstract: "Save a client filter under NAME.")
    @OptionGroup var global: Global
    @Argument(help: "The filter's name.") var name: String
    @Option(help: "Clients this search finds.") var search: String?
    @Option(help: "Clients of this segment.") var segment: String?
    @Option(help: "Clients of this owner (login).") var owner: String?
    @Option(help: "Clients with this tag.") var tag: String?
    @Option(help: "Clients in this city.") var city: String?
    @Flag(help: "Replace a filter of the same name.") var replace = false
    @Flag var json = false

    func run() throws {
      let (database, ctx) = try global.signedIn()
      let service = SavedFilterService(ServiceContext(db: database, language: global.language))
      let f = ClientFilter(
        search: search ?? "", segment: segment, owner: owner, tag: tag, city: city)
      let id = try core(global) { try service.save(name, f, replace: replace) }
      let n = try core(global) { try service.count(f) }
      if json {
        printJSON(["id": id, "name": name, "query": f.json, "clients": n] as [String: Any])
        return
      }
      print(
        global.language.pick(
          "Filter «\(name)» saved: \(f.summary) (\(n) clients now).",
          "Фильтр «\(name)» сохранён: \(f.summary) (сейчас клиентов: \(n))."))
    }
  }

  struct List: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "list", abstract: "Saved filters with how many clients each selects.")
    @OptionGroup var global: Global
    @Flag var json = false

    func run() throws {
      let (database, ctx) = try global.signedIn()
      let l = global.language
      let service = SavedFilterService(ServiceContext(db: database, language: l))
      let all = try core(global) { try service.list() }
      var counts: [Int64: Int] = [:]
      for f in all { counts[f.id] = (try? service.count(f.filter)) ?? 0 }
      if json {
        printJSON(
          all.map {
            [
              "id": $0.id, "name": $0.name, "query": $0.filter.json, "by": $0.createdBy,
              "clients": counts[$0.id] ?? 0,
            ] as [String: Any]
          })
        return
      }
      if all.isEmpty {
        print(l.pick("No saved filters.", "Сохранённых фильтров нет."))
        return
      }
      let cols = [Col(width: 20), Col(width: 8, right: true), Col(width: 40)]
      for f in all {
        print(tableLine([f.name, String(counts[f.id] ?? 0), f.filter.summary], cols))
      }
    }
  }

  struct Remove: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "remove", abstract: "Remove a saved filter (campaigns keep their copy).")
    @OptionGroup var global: Global
    @Argument(help: "The filter's name.") var name: String

    func run() throws {
      let (database, ctx) = try global.signedIn()
      let service = SavedFilterService(ServiceContext(db: database, language: global.language))
      try core(global) { try service.remove(name) }
      print(global.language.pick("Filter «\(name)» removed.", "Фильтр «\(name)» удалён."))
    }
  }
}

// MARK: crm campaign

struct CampaignCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "campaign",
    abstract: "Campaigns: a filter's clients get one planned contact each; results.",
    subcommands: [Add.self, List.self, Report.self])

  struct Add: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "add",
      abstract: "Create a campaign and plan its contacts (supervisors and admins).",
      discussion: """
        Every live client the target selects gets one planned contact of the channel with its \
        owner, spread over the working days (Mon–Fri) of the period from day_start to 18:00. \
        Clients without an owner are given one by the lead rule first, or skipped when \
        lead_rule is off.
        """)
    @OptionGroup var global: Global
    @Argument(help: "The campaign's name.") var name: String
    @Option(help: "call, meeting, letter, email or other.") var channel: String
    @Option(help: "The first day.") var from: String
    @Option(help: "The last day (included).") var to: String
    @Option(help: "A saved filter's name.") var filter: String?
    @Option(help: "Clients of this segment.") var segment: String?
    @Option(help: "Clients with this tag.") var tag: String?
    @Option(help: "Clients this search finds.") var search: String?
    @Option(help: "The contacts' subject (default: the name).") var subject = ""
    @Flag(help: "Only count; change nothing.") var dryRun = false
    @Flag var json = false

    func run() throws {
      let l = global.language
      let (database, ctx) = try global.signedIn()
      let kind = try parseKind(channel, global, option: "--channel")
      let times = try Times(global, database)
      let start = try times.from(from)
      let end = try times.to(to)
      let target: NewCampaign.Target
      if let filter {
        if segment != nil || tag != nil || search != nil {
          throw Failure(
            message: l.pick(
              "--filter cannot be combined with --segment, --tag or --search",
              "--filter нельзя сочетать с --segment, --tag или --search"), code: 1)
        }
        target = .saved(filter)
      } else {
        target = .inline(ClientFilter(search: search ?? "", segment: segment, tag: tag))
      }
      let service = CampaignService(ServiceContext(db: database, language: l))
      let plan = try core(global) {
        try service.create(
          NewCampaign(
            name: name, channel: kind, from: start, to: end, target: target, subject: subject),
          dryRun: dryRun)
      }
      if json {
        printJSON(
          [
            "id": plan.campaignId.map { $0 as Any } ?? NSNull(), "name": name,
            "channel": kind.rawValue, "selected": plan.selected, "planned": plan.planned,
            "distributed": plan.distributed, "skipped_unowned": plan.skippedUnowned,
            "skipped_inactive": plan.skippedInactive, "dry_run": dryRun,
            "first_due": isoDate(plan.firstDue), "last_due": isoDate(plan.lastDue),
            "users": plan.perUser.sorted { $0.key < $1.key }.map {
              ["user": $0.key, "planned": $0.value] as [String: Any]
            },
          ] as [String: Any])
        return
      }
      let head =
        dryRun
        ? l.pick("Campaign «\(name)» (dry run)", "Кампания «\(name)» (проба)")
        : l.pick(
          "Campaign №\(plan.campaignId ?? 0) «\(name)»",
          "Кампания №\(plan.campaignId ?? 0) «\(name)»")
      print(
        head
          + l.pick(
            ": selected \(plan.selected), planned \(plan.planned)",
            ": выбрано клиентов \(plan.selected), запланировано \(plan.planned)"))
      if let a = plan.firstDue, let b = plan.lastDue {
        print(
          l.pick(
            "  from \(global.formats.dateTime(a)) to \(global.formats.dateTime(b))",
            "  с \(global.formats.dateTime(a)) по \(global.formats.dateTime(b))"))
      }
      for (login, n) in plan.perUser.sorted(by: { $0.key < $1.key }) {
        print("  " + tableLine([login, String(n)], [Col(width: 20), Col(width: 8, right: true)]))
      }
      if plan.distributed > 0 {
        print(
          l.pick(
            "  \(plan.distributed) without an owner were given one by the lead rule",
            "  \(plan.distributed) без владельца розданы по правилу распределения"))
      }
      if plan.skippedUnowned > 0 {
        print(
          l.pick(
            "  skipped \(plan.skippedUnowned) without an owner (lead_rule is off)",
            "  пропущено \(plan.skippedUnowned) без владельца (lead_rule выключено)"))
      }
      if plan.skippedInactive > 0 {
        print(
          l.pick(
            "  skipped \(plan.skippedInactive) whose owner is deactivated",
            "  пропущено \(plan.skippedInactive) с отключённым владельцем"))
      }
    }
  }

  struct List: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "list", abstract: "Campaigns with their results, newest first.")
    @OptionGroup var global: Global
    @Flag var json = false

    func run() throws {
      let (database, ctx) = try global.signedIn()
      let l = global.language
      let service = CampaignService(ServiceContext(db: database, language: l))
      let rows = try core(global) { try service.list() }
      if json {
        printJSON(rows.map(campaignJSON))
        return
      }
      if rows.isEmpty {
        print(l.pick("No campaigns.", "Кампаний нет."))
        return
      }
      printCampaignTable(rows, global)
    }
  }

  struct Report: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "report", abstract: "A campaign's results (all campaigns without ID).")
    @OptionGroup var global: Global
    @Argument(help: "The campaign's number.") var id: Int64?
    @Flag var json = false

    func run() throws {
      let (database, ctx) = try global.signedIn()
      let l = global.language
      let service = CampaignService(ServiceContext(db: database, language: l))
      guard let id else {
        let rows = try core(global) { try service.list() }
        if json {
          printJSON(rows.map(campaignJSON))
        } else if rows.isEmpty {
          print(l.pick("No campaigns.", "Кампаний нет."))
        } else {
          printCampaignTable(rows, global)
        }
        return
      }
      guard let r = try core(global, { try service.result(id) }) else {
        throw fail(.notFound(what: l.pick("campaign", "кампания"), id: id), global)
      }
      if json {
        printJSON(campaignJSON(r))
        return
      }
      let f = global.formats
      print(
        "№\(r.id) «\(r.name)» — \(r.channel.name(l)), \(f.date(r.startsAt))–\(f.date(r.endsAt.addingTimeInterval(-1)))"
      )
      print(l.pick("  target:      ", "  цель:         ") + r.filter)
      let lines: [(String, String, Int)] = [
        ("targets", "клиентов", r.targets), ("planned", "запланировано", r.planned),
        ("reached", "дозвонились", r.reached), ("no answer", "не ответили", r.noAnswer),
        ("interested", "интерес", r.interested), ("deals", "сделок", r.deals),
        ("won deals", "выиграно", r.wonDeals),
      ]
      for (en, ru, n) in lines {
        print(
          "  "
            + tableLine([l.pick(en, ru), String(n)], [Col(width: 14), Col(width: 8, right: true)]))
      }
      let revenue = r.revenue.sorted {
        ($0.key == "RUB" ? "" : $0.key) < ($1.key == "RUB" ? "" : $1.key)
      }
      let text =
        revenue.isEmpty
        ? "0" : revenue.map { moneyText($0.value, $0.key, l) }.joined(separator: ", ")
      print(
        "  "
          + tableLine([l.pick("revenue won", "выручка"), text], [Col(width: 14), Col(width: 40)]))
    }
  }
}

func campaignJSON(_ r: CampaignResult) -> [String: Any] {
  [
    "id": r.id, "name": r.name, "channel": r.channel.rawValue, "from": isoDate(r.startsAt),
    "to": isoDate(r.endsAt), "target": r.filter, "by": r.createdBy, "targets": r.targets,
    "planned": r.planned, "reached": r.reached, "no_answer": r.noAnswer,
    "interested": r.interested, "deals": r.deals, "won_deals": r.wonDeals,
    "revenue_won": r.revenue.sorted { $0.key < $1.key }.map {
      ["currency": $0.key, "minor": $0.value] as [String: Any]
    },
  ]
}

func printCampaignTable(_ rows: [CampaignResult], _ g: Global) {
  let l = g.language
  let cols = [
    Col(width: 4), Col(width: 20), Col(width: 8), Col(width: 7, right: true),
    Col(width: 7, right: true), Col(width: 8, right: true), Col(width: 6, right: true),
    Col(width: 14, right: true),
  ]
  print(
    tableLine(
      [
        "№", l.pick("Campaign", "Кампания"), l.pick("Channel", "Канал"),
        l.pick("Targets", "Клиенты"), l.pick("Reached", "Связь"), l.pick("Interest", "Интерес"),
        l.pick("Won", "Выигр."), l.pick("Revenue", "Выручка"),
      ], cols))
  for r in rows {
    let rub = r.revenue["RUB"] ?? 0
    var revenue = moneyText(rub, "RUB", l)
    if r.revenue.keys.contains(where: { $0 != "RUB" }) { revenue += "+" }
    print(
      tableLine(
        [
          "\(r.id)", r.name, r.channel.name(l), "\(r.targets)", "\(r.reached)",
          "\(r.interested)", "\(r.wonDeals)", revenue,
        ], cols))
  }
}
