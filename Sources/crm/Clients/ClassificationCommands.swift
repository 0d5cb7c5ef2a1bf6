import ArgumentParser
import CRMApp
import CRMCore
import CRMExchange
import Foundation
import TerminalUI

// `crm classify`, `crm segment rule …`, `crm report completeness|segments|abc|xyz`.
// The rules: docs/classification.md.

func percentText(_ d: Double?) -> String {
  guard let d else { return "—" }
  return "\(Int((d * 100).rounded()))%"
}

func roubles(_ minor: Int64, _ l: Language) -> String {
  Money(minor: minor).formatted(l, whole: true)
}

/// An XYZ or ABC class as shown: `—` for "no revenue" in ABC.
func className(_ name: String, _ l: Language) -> String {
  if name.isEmpty { return "—" }
  return Classification.XYZ(rawValue: name)?.name(l) ?? name
}

struct Classify: CRMCommand {
  static let configuration = CommandConfiguration(
    commandName: "classify",
    abstract: "Classify clients (ABC, XYZ, segment rules) and store a dated snapshot.",
    discussion: """
      ABC by the revenue of the last abc_months months (setting, 12) ending on --at, XYZ by the \
      stability of monthly revenue; clients whose segment was not set by hand get the segment \
      of the first segment rule that holds (each change audited). A snapshot of the same day \
      is replaced. Rules: docs/classification.md.
      """)
  @OptionGroup var global: Global
  @Option(help: "The snapshot day (default today): 2026-06-30 or 30.06.2026.") var at: String?
  @Flag(help: "Do not apply the segment rules.") var noSegments = false
  @OptionGroup var output: JSONOutput

  func run(_ session: Session) throws {
    let l = global.language
    let service = session.context.classification
    let today = service.today()
    let day = try service.snapshotDay(at ?? today, today: today)
    let outcome = try service.classify(day: day, applySegments: !noSegments)
    let r = outcome.run
    if output.json {
      printJSON(
        ClassJSON.run(r).merging([
          "abc": ClassJSON.counts(outcome.abc), "xyz": ClassJSON.counts(outcome.xyz),
        ]) { a, _ in a })
      return
    }
    print(
      l.pick(
        "Snapshot №\(r.id) of \(r.at): \(r.clients) clients, revenue \(roubles(r.revenue, l)) (\(r.periodFrom) < date ≤ \(r.at)).",
        "Снимок №\(r.id) на \(r.at): клиентов \(r.clients), выручка \(roubles(r.revenue, l)) (\(r.periodFrom) < дата ≤ \(r.at))."
      ))
    print(
      "ABC: " + outcome.abc.map { "\(className($0.name, l)) \($0.clients)" }.joined(separator: ", ")
    )
    print(
      "XYZ: " + outcome.xyz.map { "\(className($0.name, l)) \($0.clients)" }.joined(separator: ", ")
    )
    print(
      l.pick(
        "Segments changed by rules: \(r.segmentsChanged)",
        "Сегментов изменено правилами: \(r.segmentsChanged)"))
    if r.foreignPayments > 0 {
      print(
        l.pick(
          "\(r.foreignPayments) payments in other currencies are not counted as revenue.",
          "Платежей в других валютах, не вошедших в выручку: \(r.foreignPayments)."))
    }
  }
}

struct SegmentCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "segment", abstract: "Segment rules applied by crm classify.",
    subcommands: [Rule.self])

  struct Rule: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "rule",
      abstract: "Add, list and remove segment rules (the first that holds wins).",
      subcommands: [Add.self, List.self, Remove.self])

    struct Add: CRMCommand {
      static let configuration = CommandConfiguration(
        commandName: "add",
        abstract: "Add a rule; prints its id.",
        discussion: """
          Examples: crm segment rule add VIP "revenue >= 1000000"; \
          crm segment rule add Постоянный "payments >= 3"; crm segment rule add Разовый \
          "payments = 1". METRIC is revenue (roubles), payments or months (paying months).
          """)
      @OptionGroup var global: Global
      @Argument(help: "The segment the rule gives.") var segment: String
      @Argument(help: "METRIC OP VALUE, e.g. \"revenue >= 1000000\".") var condition: String
      @Option(help: "Over how many months ending on the classification day (1–36).")
      var months = 12
      @Option(help: "Its place in the list, 1 = tried first (default: last).") var position: Int?

      func run(_ session: Session) throws {
        let l = global.language
        let (metric, op, value) = try SegmentRule.parseCondition(condition, language: l)
        let id = try session.context.segments.add(
          SegmentRule(segment: segment, metric: metric, op: op, value: value, months: months),
          at: position)
        print(id)
      }
    }

    struct List: CRMCommand {
      static let configuration = CommandConfiguration(
        commandName: "list", abstract: "The rules in the order tried.")
      @OptionGroup var global: Global
      @OptionGroup var output: JSONOutput

      func run(_ session: Session) throws {
        let l = global.language
        let rules = try session.context.segments.rules()
        if output.json {
          printJSON(
            rules.map {
              [
                "id": $0.id ?? 0, "position": $0.position, "segment": $0.segment,
                "metric": $0.metric.rawValue, "op": $0.op.rawValue, "value": $0.value,
                "months": $0.months,
              ] as [String: Any]
            })
          return
        }
        if rules.isEmpty {
          print(
            l.pick(
              "No segment rules. Add one: crm segment rule add VIP \"revenue >= 1000000\"",
              "Правил сегментов нет. Добавьте: crm segment rule add VIP \"revenue >= 1000000\""))
        }
        for r in rules {
          print("\(r.position). №\(r.id ?? 0)  \(r.segment) ← \(r.conditionText(l))")
        }
      }
    }

    struct Remove: CRMCommand {
      static let configuration = CommandConfiguration(
        commandName: "remove", abstract: "Remove a rule by its id.")
      @OptionGroup var global: Global
      @Argument var id: Int64

      func run(_ session: Session) throws {
        try session.context.segments.remove(id)
      }
    }
  }
}

enum ClassJSON {
  static func run(_ r: ClassRun) -> [String: Any] {
    [
      "id": r.id, "at": r.at, "months": r.months, "period_from": r.periodFrom,
      "share_a": r.shareA, "share_b": r.shareB, "cv_x": r.cvX, "cv_y": r.cvY,
      "clients": r.clients, "revenue": Money(minor: r.revenue).decimalText,
      "foreign_payments": r.foreignPayments, "segments_changed": r.segmentsChanged,
    ]
  }

  static func counts(_ list: [ClassificationService.ClassCount]) -> [[String: Any]] {
    list.map {
      ["class": $0.name, "clients": $0.clients, "revenue": Money(minor: $0.revenue).decimalText]
    }
  }

  static func transitions(_ t: ClassificationService.Transitions) -> [String: Any] {
    var matrix: [String: [String: Int]] = [:]
    for a in t.classes {
      var row: [String: Int] = [:]
      for b in t.classes { row[b.isEmpty ? "none" : b] = t.count(a, b) }
      matrix[a.isEmpty ? "none" : a] = row
    }
    func keyed(_ d: [String: Int]) -> [String: Int] {
      Dictionary(uniqueKeysWithValues: t.classes.map { ($0.isEmpty ? "none" : $0, d[$0] ?? 0) })
    }
    return [
      "from": run(t.from), "to": run(t.to), "matrix": matrix, "new": keyed(t.new),
      "gone": keyed(t.gone), "moved": t.moved,
    ]
  }
}

extension Money {
  /// `1234.50`: a plain decimal for JSON.
  var decimalText: String {
    let sign = minor < 0 ? "-" : ""
    let v = minor.magnitude
    return "\(sign)\(v / 100).\(String(format: "%02d", Int(v % 100)))"
  }
}

/// `report abc|xyz`: the snapshot (--at), the clients per class and the transition matrix.
struct ClassReportOptions: ParsableArguments {
  @Option(help: "The snapshot: its number or day (default: the latest).") var at: String?
  @Option(help: "Transitions from this snapshot (default: the one before --to).") var from: String?
  @Option(help: "Transitions to this snapshot (default: the latest).") var to: String?
  @Option(help: "Clients listed per class.") var limit = 10
  @OptionGroup var output: JSONOutput

}

/// `report abc` and `report xyz`: the same report over another column.
protocol ClassReport: CRMCommand {
  static var column: String { get }
  var options: ClassReportOptions { get }
}

extension ClassReport {
  func run(_ session: Session) throws { try classReport(Self.column, options, session) }
}

func classReport(_ column: String, _ o: ClassReportOptions, _ session: Session) throws {
  let l = session.language
  let service = session.context.classification
  guard o.limit >= 0 else { throw ValidationError("--limit must not be negative") }
  guard let run = try service.run(o.at) else {
    throw Failure(
      message: l.pick(
        "no snapshot yet; run crm classify first",
        "снимков пока нет; сначала запустите crm classify"),
      code: 1)
  }
  let counts = try service.counts(run: run.id, column: column)
  var members: [String: [ClassificationService.Member]] = [:]
  for c in counts where !(column == "abc" && c.name.isEmpty) {
    members[c.name] = try service.members(
      run: run.id, column: column, value: c.name, limit: o.limit)
  }
  // Transitions: --from/--to, or the last two snapshots.
  var transitions: ClassificationService.Transitions?
  if o.from != nil || o.to != nil {
    guard let to = try service.run(o.to, option: "--to") else { return }
    let from: ClassRun
    if let f = o.from {
      from = try service.run(f, option: "--from")!
    } else {
      guard
        let before = try service.runs().first(where: { $0.at < to.at })
      else {
        throw Failure(
          message: l.pick(
            "--to: there is no snapshot before \(Formats(language: l).day(to.at))",
            "--to: до \(Formats(language: l).day(to.at)) снимков нет"),
          code: 1)
      }
      from = before
    }
    transitions = try service.transitions(from: from, to: to, column: column)
  } else if let (a, b) = try service.lastTwo() {
    transitions = try service.transitions(from: a, to: b, column: column)
  }
  let cross = column == "xyz" ? try service.cross(run: run.id) : [:]
  if o.output.json {
    var out: [String: Any] = ["snapshot": ClassJSON.run(run)]
    let total = counts.reduce(0) { $0 + $1.clients }
    out["classes"] = counts.map { c -> [String: Any] in
      var d: [String: Any] = [
        "class": c.name.isEmpty ? "none" : c.name, "clients": c.clients,
        "revenue": Money(minor: c.revenue).decimalText,
        "client_share": total == 0 ? 0 : Double(c.clients) / Double(total),
        "revenue_share": run.revenue == 0 ? 0 : Double(c.revenue) / Double(run.revenue),
      ]
      if let m = members[c.name] {
        d["top"] = m.map {
          [
            "id": $0.id, "name": $0.name, "abc": $0.abc.isEmpty ? "none" : $0.abc, "xyz": $0.xyz,
            "revenue": Money(minor: $0.revenue).decimalText, "paying_months": $0.payingMonths,
            "months": $0.months, "cv": $0.cv as Any? ?? NSNull(),
          ] as [String: Any]
        }
      }
      return d
    }
    if column == "xyz" {
      out["abc_xyz"] = Dictionary(
        uniqueKeysWithValues: cross.map { ($0.key.isEmpty ? "none" : $0.key, $0.value) })
    }
    out["transitions"] = transitions.map(ClassJSON.transitions) ?? NSNull()
    printJSON(out)
    return
  }
  var lines = [
    l.pick(
      "\(column.uppercased()) · snapshot №\(run.id) of \(Formats(language: l).day(run.at)) · \(run.clients) clients · revenue \(roubles(run.revenue, l)) over \(run.months) mo.",
      "\(column.uppercased()) · снимок №\(run.id) на \(Formats(language: l).day(run.at)) · клиентов \(run.clients) · выручка \(roubles(run.revenue, l)) за \(run.months) мес."
    ), "",
  ]
  let cols = [
    Col(width: 14), Col(width: 8, right: true), Col(width: 7, right: true),
    Col(width: 18, right: true), Col(width: 7, right: true),
  ]
  lines.append(
    tableLine(
      [
        l.pick("Class", "Класс"), l.pick("Clients", "Клиентов"), l.pick("Share", "Доля"),
        l.pick("Revenue", "Выручка"), l.pick("Share", "Доля"),
      ], cols))
  let total = counts.reduce(0) { $0 + $1.clients }
  for c in counts {
    lines.append(
      tableLine(
        [
          className(c.name, l), String(c.clients),
          percentText(total == 0 ? nil : Double(c.clients) / Double(total)),
          roubles(c.revenue, l),
          percentText(run.revenue == 0 ? nil : Double(c.revenue) / Double(run.revenue)),
        ], cols))
  }
  if column == "xyz" {
    lines += ["", "ABC × XYZ"]
    let xs = Classification.XYZ.allCases
    let cc = [Col(width: 6)] + xs.map { _ in Col(width: 13, right: true) }
    lines.append(tableLine([""] + xs.map { $0.name(l) }, cc))
    for a in ["A", "B", "C", ""] {
      lines.append(
        tableLine([className(a, l)] + xs.map { String(cross[a]?[$0.rawValue] ?? 0) }, cc))
    }
  }
  for c in counts where !(members[c.name] ?? []).isEmpty {
    lines += ["", "\(className(c.name, l)):"]
    for m in members[c.name] ?? [] {
      let cv = m.cv.map { String(format: "%.2f", $0) } ?? "—"
      lines.append(
        "  №\(m.id)  \(TextWidth.fit(m.name, to: 36))  \(TextWidth.fit(roubles(m.revenue, l), to: 16, alignRight: true))  \(m.abc.isEmpty ? "—" : m.abc)\(m.xyz.count == 1 ? m.xyz : "")  CV \(cv)"
      )
    }
  }
  if let t = transitions {
    lines += [""] + transitionLines(t, l)
  }
  print(lines.joined(separator: "\n"))
}

func transitionLines(_ t: ClassificationService.Transitions, _ l: Language) -> [String] {
  var lines = [
    l.pick(
      "Movement \(Formats(language: l).day(t.from.at)) → \(Formats(language: l).day(t.to.at)): \(t.moved) changed class",
      "Движение \(Formats(language: l).day(t.from.at)) → \(Formats(language: l).day(t.to.at)): сменили класс \(t.moved)"
    ),
    l.pick("(rows: before, columns: after)", "(строки — было, столбцы — стало)"),
  ]
  let names = t.classes.map { className($0, l) }
  let cols =
    [Col(width: 13)] + t.classes.map { _ in Col(width: 9, right: true) } + [
      Col(width: 9, right: true)
    ]
  lines.append(tableLine([""] + names + [l.pick("gone", "ушли")], cols))
  for a in t.classes {
    lines.append(
      tableLine(
        [className(a, l)] + t.classes.map { String(t.count(a, $0)) } + [String(t.gone[a] ?? 0)],
        cols))
  }
  lines.append(
    tableLine([l.pick("new", "новые")] + t.classes.map { String(t.new[$0] ?? 0) } + [""], cols))
  return lines
}

extension ReportCommand {
  struct ABC: ClassReport {
    static let configuration = CommandConfiguration(
      commandName: "abc",
      abstract: "ABC classes of a snapshot, their clients and the movement between snapshots.")
    @OptionGroup var global: Global
    @OptionGroup var options: ClassReportOptions
    static let column = "abc"
  }

  struct XYZ: ClassReport {
    static let configuration = CommandConfiguration(
      commandName: "xyz",
      abstract: "XYZ classes of a snapshot, ABC × XYZ, and the movement between snapshots.")
    @OptionGroup var global: Global
    @OptionGroup var options: ClassReportOptions
    static let column = "xyz"
  }

  struct Segments: CRMCommand {
    static let configuration = CommandConfiguration(
      commandName: "segments",
      abstract: "Clients per segment: count, share, revenue over the last months.")
    @OptionGroup var global: Global
    @Option(help: "The last day of the period (default today).") var at: String?
    @Option(help: "Months of revenue (1–36).") var months = 12
    @Option(help: "Only this owner's clients (login).") var owner: String?
    @OptionGroup var output: JSONOutput

    func run(_ session: Session) throws {
      let database = session.database
      let l = global.language
      let classes = session.context.classification
      let today = classes.today()
      let day = try classes.snapshotDay(at ?? today, today: today)
      guard (1...36).contains(months) else {
        throw Failure(
          message: l.pick("--months: from 1 to 36", "--months: от 1 до 36"), code: 1)
      }
      let ownerId = try owner.map { try global.user(database, login: $0, option: "--owner").id }
      let r = try session.context.segments.report(
        day: day, months: months, ownerId: ownerId)
      if output.json {
        printJSON([
          "from": r.from, "to": r.to, "months": r.months, "clients": r.clients,
          "revenue": Money(minor: r.revenue).decimalText,
          "segments": r.lines.map {
            [
              "segment": $0.segment, "clients": $0.clients, "by_rule": $0.byRule,
              "share": $0.share, "revenue": Money(minor: $0.revenue).decimalText,
              "revenue_share": $0.revenueShare as Any? ?? NSNull(),
            ] as [String: Any]
          },
        ])
        return
      }
      let cols = [
        Col(width: 20), Col(width: 8, right: true), Col(width: 7, right: true),
        Col(width: 8, right: true), Col(width: 18, right: true), Col(width: 7, right: true),
      ]
      var lines = [
        l.pick(
          "Segments · \(r.clients) clients · revenue \(r.from) < date ≤ \(r.to)",
          "Сегменты · клиентов \(r.clients) · выручка \(r.from) < дата ≤ \(r.to)"),
        "",
        tableLine(
          [
            l.pick("Segment", "Сегмент"), l.pick("Clients", "Клиентов"), l.pick("Share", "Доля"),
            l.pick("By rule", "Правилом"), l.pick("Revenue", "Выручка"), l.pick("Share", "Доля"),
          ], cols),
      ]
      for s in r.lines {
        lines.append(
          tableLine(
            [
              s.segment.isEmpty ? l.pick("(none)", "(без сегмента)") : s.segment,
              String(s.clients), percentText(s.share), String(s.byRule), roubles(s.revenue, l),
              percentText(s.revenueShare),
            ], cols))
      }
      print(lines.joined(separator: "\n"))
    }
  }

  struct CompletenessReport: CRMCommand {
    static let configuration = CommandConfiguration(
      commandName: "completeness",
      abstract: "Fill rate per field (the base and mine), the least complete clients first.")
    @OptionGroup var global: Global
    @Option(help: "Fields to count, comma-separated (default: the completeness_fields setting).")
    var fields: String?
    @Option(help: "Only this owner's clients (login).") var owner: String?
    @Option(help: "Only this segment's clients.") var segment: String?
    @Option(help: "Incomplete clients listed (default: 20 as text, all with --json).")
    var limit: Int?
    @Option var offset = 0
    @OptionGroup var output: JSONOutput

    func check() throws {
      guard (limit ?? 0) >= 0, offset >= 0 else {
        throw ValidationError("--limit and --offset must not be negative")
      }
    }

    func run(_ session: Session) throws {
      let database = session.database
      let l = global.language
      let list =
        try fields.map { try Completeness.Field.parseList($0, language: l) }
        ?? database.settings().completenessFields
      let ctx = session.app
      let ownerId = try owner.map { try global.user(database, login: $0, option: "--owner").id }
      let scope = Completeness.Scope(ownerId: ownerId, segment: segment)
      let summary = try Completeness.summary(
        database, fields: list, scope: scope, mine: ctx.user?.id)
      let rows = try Completeness.incomplete(
        database, fields: list, scope: scope, offset: offset,
        limit: limit ?? (output.json ? everyRow : 20))
      let incomplete = summary.clients - summary.complete
      if output.json {
        func rates(_ r: [Completeness.Rate]) -> [[String: Any]] {
          r.map {
            [
              "field": $0.field.rawValue, "applicable": $0.applicable, "filled": $0.filled,
              "rate": $0.share as Any? ?? NSNull(),
            ]
          }
        }
        printJSON([
          "fields": list.map(\.rawValue), "clients": summary.clients,
          "complete": summary.complete, "incomplete": incomplete,
          "mean_score": summary.meanScore as Any? ?? NSNull(), "base": rates(summary.base),
          "mine": summary.mine.map(rates) as Any? ?? NSNull(),
          "my_clients": summary.myClients as Any? ?? NSNull(),
          "clients_incomplete": rows.map {
            [
              "id": $0.id, "name": $0.name, "owner": $0.owner, "segment": $0.segment,
              "filled": $0.filled, "applicable": $0.applicable, "score": $0.score,
              "missing": $0.missing.map(\.rawValue),
            ] as [String: Any]
          },
        ])
        return
      }
      var lines = [
        l.pick(
          "Completeness · \(summary.clients) clients · complete \(summary.complete) · mean score \(percentText(summary.meanScore))",
          "Заполненность · клиентов \(summary.clients) · заполнены полностью \(summary.complete) · средний балл \(percentText(summary.meanScore))"
        ), "",
      ]
      let cols = [
        Col(width: 18), Col(width: 24), Col(width: 6, right: true), Col(width: 6, right: true),
      ]
      lines.append(
        tableLine(
          [l.pick("Field", "Поле"), "", l.pick("All", "Все"), l.pick("Mine", "Мои")], cols))
      for (i, r) in summary.base.enumerated() {
        let mine = summary.mine?[i].share
        lines.append(
          tableLine(
            [
              r.field.name(l), ReportsScreen.bar(r.filled, of: r.applicable, width: 24),
              percentText(r.share), summary.mine == nil ? "" : percentText(mine),
            ], cols))
      }
      lines += [
        "",
        l.pick(
          "Incomplete: \(incomplete), the least complete first:",
          "Заполнены не полностью: \(incomplete), сначала худшие:"),
      ]
      for r in rows {
        lines.append(
          TextWidth.fit(
            "  №\(r.id)  \(TextWidth.fit(r.name, to: 32))  \(TextWidth.fit(percentText(r.score), to: 4, alignRight: true))  "
              + l.pick("lacks: ", "нет: ") + r.missing.map { $0.name(l) }.joined(separator: ", "),
            to: 80))
      }
      let after = offset + rows.count
      if after < incomplete {
        lines.append(
          l.pick(
            "  … \(incomplete - after) more: --offset \(after), --limit N or --json for all",
            "  … ещё \(incomplete - after): --offset \(after), --limit N или --json — все"))
      }
      print(lines.joined(separator: "\n"))
    }
  }
}
