import ArgumentParser
import CRMApp
import CRMCore
import CRMExchange
import Foundation
import TerminalUI

// MARK: crm report activity

extension ReportCommand {
  struct Activity: CRMCommand {
    static let configuration = CommandConfiguration(
      commandName: "activity",
      abstract: tr(
        "Per manager: contacts done by kind, missed, planned, overdue, new clients, deals "
          + "moved and won, revenue; by day, week or month.",
        "По менеджерам: сделанные контакты по видам, пропущенные, запланированные, просроченные, "
          + "новые клиенты, сдвинутые и выигранные сделки, выручка; по дням, неделям или месяцам."),
      discussion: tr(
        """
        Default period: the current week (Monday to Sunday). Definitions of every figure: \
        docs/activity.md. Revenue: roubles won (revenue_rub, a decimal string; \
        revenue_rub_kopecks, an integer); other currencies separately (revenue_other).
        """,
        """
        Период по умолчанию: текущая неделя (с понедельника по воскресенье). Определения всех \
        показателей: docs/activity.md. Выручка: выигранные рубли (revenue_rub — десятичная строка; \
        revenue_rub_kopecks — целое); другие валюты отдельно (revenue_other).
        """))
    @OptionGroup var global: Global
    @Option(
      parsing: .unconditional,
      help: tr(
        "From this day (included): 01.11.2026, 2026-11-01, -30d.",
        "С этого дня (включительно): 01.11.2026, 2026-11-01, -30d."))
    var from: String?
    @Option(
      parsing: .unconditional,
      help: tr(
        "To this day (included).",
        "По этот день (включительно).")) var to: String?
    /// `--user LOGIN` acts as LOGIN and, as the issue's `crm report activity --user LOGIN` asks,
    /// shows that user's row; `--manager` names another row (or `all`) while acting as --user.
    @Option(
      help:
        tr(
          "Only this manager (login), or all. Default: the --user given, else everyone you see.",
          "Только этот менеджер (логин) или all — все. По умолчанию: указанный --user, иначе все, кого вы видите."
        ))
    var manager: String?
    @Option(
      help: tr(
        "Rows per day, week or month.",
        "Строки по day, week или month (дням, неделям, месяцам).")) var by: String?
    @Flag(
      help: tr(
        "JSON instead of a table.",
        "JSON вместо таблицы.")) var json = false
    @Flag(
      help: tr(
        "CSV (RFC 4180, UTF-8, a header row) instead of a table.",
        "CSV (RFC 4180, UTF-8, строка заголовка) вместо таблицы.")) var csv = false

    func validate() throws {
      if json && csv {
        throw ValidationError(
          tr("--json and --csv exclude each other", "--json и --csv несовместимы"))
      }
    }

    /// The rows' period `--by` names (nil: one row per user).
    var grouping: ActivityGrouping? { by.flatMap(ActivityGrouping.init(argument:)) }

    func check() throws {
      let l = global.language
      if let by, grouping == nil {
        throw Failure(
          message: l.pick(
            "--by: «\(by)» is not day, week or month", "--by: «\(by)» — не day, week или month"),
          code: 1)
      }
    }

    func run(_ session: Session) throws {
      let l = global.language
      let database = session.database
      let times = try Times(global, database)
      let service = session.context.activity
      let week = service.currentPeriod(.week)
      // Missing --to: the end of the current week (a week after --from when that is later);
      // missing --from: the start of the current week (a week before --to when that is earlier).
      let cal = service.calendar
      var start = try from.map(times.from) ?? week.start
      var end = try to.map(times.to) ?? week.end
      if to == nil && end <= start { end = CalendarMath.addDays(start, 7, cal) }
      if from == nil && end <= start { start = CalendarMath.addDays(end, -7, cal) }
      if end <= start {
        throw Failure(
          message: l.pick(
            "--to: the period ends before it starts (--from)",
            "--to: период заканчивается раньше, чем начинается (--from)"), code: 1)
      }
      let option = manager == nil ? "--user" : "--manager"
      let only = manager ?? global.user
      let userId = try only.flatMap {
        $0.lowercased() == "all" ? nil : try global.user(database, login: $0, option: option).id
      }
      let report = try service.report(
        ActivityQuery(from: start, to: end, grouping: grouping, userId: userId))
      if let userId, !report.rows.contains(where: { $0.user?.id == userId }) {
        throw Failure(
          message: l.pick(
            "\(option): «\(only ?? "")» is not visible to you",
            "\(option): «\(only ?? "")» вам не виден"), code: 1)
      }
      let targets = session.context.targets
      let list = try targets.list()
      let out = ActivityOutput(report: report, targets: list, service: targets, language: l)
      if json {
        printJSON(out.jsonRows())
      } else if csv {
        print(out.csv(), terminator: "")
      } else {
        print(out.text(global.formats).joined(separator: "\n"))
      }
    }
  }
}

/// The activity report written out: JSON rows, CSV, a text table.
struct ActivityOutput {
  let report: ActivityReport
  let targets: [UserTarget]
  let service: TargetService
  let language: Language

  static let columns: [ActivityMetric] = [
    .calls, .meetings, .letters, .emails, .other, .missed, .planned, .overdue, .newClients,
    .dealsMoved, .dealsWon,
  ]

  /// `2026-11-23` in the local zone.
  func day(_ d: Date) -> String {
    let c = service.calendar.dateComponents([.year, .month, .day], from: d)
    return String(format: "%04d-%02d-%02d", c.year!, c.month!, c.day!)
  }

  /// The last day of [from, to) (the day of to minus a second).
  func lastDay(_ to: Date) -> String { day(to.addingTimeInterval(-1)) }

  /// Every line: per user (and the team), per bucket when grouped, then the period.
  var lines: [(row: ActivityRow, bucket: Int?)] {
    var out: [(ActivityRow, Int?)] = []
    for r in report.rows + [report.team] {
      if report.query.grouping != nil {
        for b in report.buckets { out.append((r, b.index)) }
      }
      out.append((r, nil))
    }
    return out
  }

  func figures(_ r: ActivityRow, _ b: Int?) -> ActivityFigures {
    b.map { r.buckets[$0] } ?? r.total
  }

  func range(_ b: Int?) -> (Date, Date) {
    b.map { (report.buckets[$0].from, report.buckets[$0].to) } ?? (
      report.query.from, report.query.to
    )
  }

  func value(_ r: ActivityRow, _ b: Int?, _ m: ActivityMetric) -> Int {
    m == .overdue ? r.overdue : Int(figures(r, b)[m])
  }

  /// Plan against fact of every targeted metric of the row's user.
  func plans(_ r: ActivityRow, _ b: Int?) -> [(TargetMetric, PlanFact)] {
    guard r.user != nil else { return [] }
    return TargetMetric.allCases.compactMap { m in
      guard let pf = TargetService.planFact(service, targets, report: report, row: r, metric: m)
      else { return nil }
      return (m, b.map { pf.buckets[$0] } ?? pf.total)
    }
  }

  func rub(_ kopecks: Int64) -> String { Money(minor: kopecks).plain }

  func others(_ f: ActivityFigures) -> [(String, Int64)] {
    f.revenue.filter { $0.key != "RUB" }.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
  }

  func jsonRows() -> [[String: Any]] {
    lines.map { (r, b) in
      let f = figures(r, b)
      let (from, to) = range(b)
      var o: [String: Any] = [
        "user": r.user?.login ?? NSNull(), "name": r.user?.name ?? NSNull(),
        "team": r.user == nil, "from": day(from), "to": lastDay(to),
        "revenue_rub": rub(f.revenueRUB), "revenue_rub_kopecks": f.revenueRUB,
        "contacts": f.contacts,
      ]
      for m in Self.columns { o[m.rawValue] = value(r, b, m) }
      var other: [String: String] = [:]
      for (code, minor) in others(f) {
        other[code] = Money(minor: minor, currency: Currency.named(code) ?? .rub).plain
      }
      o["revenue_other"] = other
      if report.query.grouping != nil {
        o["bucket"] = b.map { day(report.buckets[$0].from) } ?? "total"
      }
      let p = plans(r, b)
      if !p.isEmpty {
        var t: [String: Any] = [:]
        for (m, pf) in p {
          t[m.rawValue] = [
            "plan": pf.planWhole, "fact": pf.fact,
            "percent": pf.ratio.map { Int(($0 * 100).rounded()) } as Any? ?? NSNull(),
          ]
        }
        o["targets"] = t
      }
      return o
    }
  }

  func csv() -> String {
    var codes: [String] = []
    for (r, b) in lines {
      for (c, _) in others(figures(r, b)) where !codes.contains(c) { codes.append(c) }
    }
    codes.sort()
    var planned: [TargetMetric] = []
    for r in report.rows {
      for (m, _) in plans(r, nil) where !planned.contains(m) { planned.append(m) }
    }
    let grouped = report.query.grouping != nil
    let header =
      ["user", "team"] + (grouped ? ["bucket"] : []) + ["from", "to"]
      + Self.columns.map(\.rawValue) + ["revenue_rub_kopecks"]
      + codes.map { "revenue_\($0.lowercased())_minor" } + planned.map { "plan_\($0.rawValue)" }
    let rows = lines.map { (r, b) -> [String] in
      let f = figures(r, b)
      let (from, to) = range(b)
      let p = Dictionary(plans(r, b).map { ($0.0, $0.1) }, uniquingKeysWith: { a, _ in a })
      return [r.user?.login ?? "", r.user == nil ? "1" : "0"]
        + (grouped ? [b.map { day(report.buckets[$0].from) } ?? "total"] : [])
        + [day(from), lastDay(to)]
        + Self.columns.map { String(value(r, b, $0)) } + [String(f.revenueRUB)]
        + codes.map { String(f.revenue[$0] ?? 0) }
        + planned.map { p[$0].map { String($0.planWhole) } ?? "" }
    }
    return CSV.text(header: header, rows: rows)
  }

  func text(_ f: Formats) -> [String] {
    let l = language
    // 80 columns: the user, eleven counts of four, the roubles won.
    let cols =
      [Col(width: 12)] + Array(repeating: Col(width: 4, right: true), count: 11)
      + [Col(width: 12, right: true)]
    let head =
      [
        l.pick("User", "Польз."), l.pick("Call", "Зв"), l.pick("Meet", "Вс"),
        l.pick("Let", "Пс"), l.pick("Mail", "Em"), l.pick("Oth", "Др"),
        l.pick("NoAn", "Недз"), l.pick("Plan", "План"), l.pick("Late", "Прср"),
        l.pick("New", "НовК"), l.pick("Move", "Сдв"), l.pick("Won", "Выиг"),
        l.pick("Revenue, ₽", "Выручка, ₽"),
      ]
    var out = [
      l.pick("Activity ", "Активность ") + "\(f.date(report.query.from)) – "
        + f.date(report.query.to.addingTimeInterval(-1)),
      l.pick(
        "Call calls, Meet meetings, Let letters, Mail e-mails, Oth other contacts,",
        "Зв звонки, Вс встречи, Пс письма, Em e-mail, Др другие контакты,"),
      l.pick(
        "NoAn no answer, Plan still planned, Late overdue now, New new clients,",
        "Недз не дозвонились, План запланировано, Прср просрочено сейчас,"),
      l.pick(
        "Move deals moved, Won deals won.",
        "НовК новые клиенты, Сдв сделки продвинуты, Выиг выиграны."),
    ]
    if report.rows.isEmpty {
      out.append(l.pick("No users to show.", "Нет пользователей для показа."))
      return out
    }
    func cells(_ first: String, _ r: ActivityRow, _ b: Int?) -> [String] {
      let money = Money(minor: figures(r, b).revenueRUB)
      let full = money.formatted(l, whole: true)
      return [first] + Self.columns.map { ActivityScreen.count(value(r, b, $0), width: 4, l) }
        + [TextWidth.of(full) <= 12 ? full : money.compact(l)]
    }
    func extras(_ r: ActivityRow, _ b: Int?) -> [String] {
      var out: [String] = []
      let o = others(figures(r, b))
      if !o.isEmpty {
        out.append(
          "  " + l.pick("also won: ", "также выиграно: ")
            + o.map { Money(minor: $0.1, currency: Currency.named($0.0) ?? .rub).formatted(l) }
            .joined(separator: ", "))
      }
      let p = plans(r, b)
      if !p.isEmpty {
        out.append(
          "  " + l.pick("targets: ", "цели: ")
            + p.map { m, pf in
              let fact = m == .revenue ? rub(pf.fact) : String(pf.fact)
              let plan = m == .revenue ? rub(pf.planWhole) : String(pf.planWhole)
              return "\(m.rawValue) \(fact)/\(plan) \(pf.percent)"
            }.joined(separator: ", "))
      }
      return out
    }
    if report.query.grouping == nil {
      out.append("")
      out.append(tableLine(head, cols))
      for r in report.rows {
        out.append(tableLine(cells(r.user!.login, r, nil), cols))
        out += extras(r, nil)
      }
      out.append(tableLine(cells(l.pick("Total", "Итого"), report.team, nil), cols))
      out += extras(report.team, nil)
      return out
    }
    var bucketHead = head
    bucketHead[0] = l.pick("Period", "Период")
    for r in report.rows + [report.team] {
      out.append("")
      out.append(
        r.user.map { "\($0.login) — \($0.name)" } ?? l.pick("Team total", "Итого по команде"))
      out.append(tableLine(bucketHead, cols))
      for b in report.buckets {
        out.append(tableLine(cells(day(b.from), r, b.index), cols))
      }
      out.append(tableLine(cells(l.pick("Total", "Итого"), r, nil), cols))
      out += extras(r, nil)
    }
    return out
  }
}
