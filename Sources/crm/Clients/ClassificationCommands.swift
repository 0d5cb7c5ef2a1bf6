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
    abstract: tr(
      "Classify clients (ABC, XYZ, segment rules) and store a dated snapshot.",
      "Классифицировать клиентов (ABC, XYZ, правила сегментов) и сохранить датированный снимок."),
    discussion: tr(
      """
      ABC by the revenue of the last abc_months months (setting, 12) ending on --at, XYZ by the \
      stability of monthly revenue; clients whose segment was not set by hand get the segment \
      of the first segment rule that holds (each change audited). A snapshot of the same day \
      is replaced. Rules: docs/classification.md.
      """,
      """
      ABC — по выручке за последние abc_months месяцев (настройка, 12), оканчивающихся --at, XYZ — \
      по стабильности помесячной выручки; клиенты, чей сегмент не задан вручную, получают сегмент \
      первого выполненного правила (каждое изменение — в журнал). Снимок того же дня заменяется. \
      Правила: docs/classification.md.
      """))
  @OptionGroup var global: Global
  @Option(
    help: tr(
      "The snapshot day (default today): 2026-06-30 or 30.06.2026.",
      "День снимка (по умолчанию сегодня): 2026-06-30 или 30.06.2026.")) var at: String?
  @Flag(
    help: tr(
      "Do not apply the segment rules.",
      "Не применять правила сегментов.")) var noSegments = false
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
    commandName: "segment",
    abstract: tr(
      "Segment rules applied by crm classify.",
      "Правила сегментов, которые применяет crm classify."),
    subcommands: [Rule.self])

  struct Rule: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "rule",
      abstract: tr(
        "Add, list and remove segment rules (the first that holds wins).",
        "Добавить, показать и удалить правила сегментов (побеждает первое выполненное)."),
      subcommands: [Add.self, List.self, Remove.self])

    struct Add: CRMCommand {
      static let configuration = CommandConfiguration(
        commandName: "add",
        abstract: tr(
          "Add a rule; prints its id.",
          "Добавить правило; выводит его номер."),
        discussion: tr(
          """
          Examples: crm segment rule add VIP "revenue >= 1000000"; \
          crm segment rule add Постоянный "payments >= 3"; crm segment rule add Разовый \
          "payments = 1". METRIC is revenue (roubles), payments or months (paying months).
          """,
          """
          Примеры: crm segment rule add VIP "revenue >= 1000000"; \
          crm segment rule add Постоянный "payments >= 3"; crm segment rule add Разовый \
          "payments = 1". METRIC — revenue (рубли), payments (платежи) или months (месяцы с оплатой).
          """))
      @OptionGroup var global: Global
      @Argument(
        help: tr(
          "The segment the rule gives.",
          "Сегмент, который даёт правило.")) var segment: String
      @Argument(
        help: tr(
          "METRIC OP VALUE, e.g. \"revenue >= 1000000\".",
          "METRIC OP VALUE, например \"revenue >= 1000000\".")) var condition: String
      @Option(
        help: tr(
          "Over how many months ending on the classification day (1–36).",
          "За сколько месяцев до дня классификации (1–36)."))
      var months = 12
      @Option(
        help: tr(
          "Its place in the list, 1 = tried first (default: last).",
          "Место в списке, 1 = проверяется первым (по умолчанию: последним).")) var position: Int?

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
        commandName: "list",
        abstract: tr(
          "The rules in the order tried.",
          "Правила в порядке проверки."))
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
        commandName: "remove",
        abstract: tr(
          "Remove a rule by its id.",
          "Удалить правило по номеру."))
      @OptionGroup var global: Global
      @Argument(help: tr("Its number (id).", "Номер (id).")) var id: Int64

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
  @Option(
    help: tr(
      "The snapshot: its number or day (default: the latest).",
      "Снимок: его номер или день (по умолчанию: последний).")) var at: String?
  @Option(
    help: tr(
      "Transitions from this snapshot (default: the one before --to).",
      "Переходы из этого снимка (по умолчанию: предыдущего перед --to).")) var from: String?
  @Option(
    help: tr(
      "Transitions to this snapshot (default: the latest).",
      "Переходы в этот снимок (по умолчанию: последний).")) var to: String?
  @Option(
    help: tr(
      "Clients listed per class.",
      "Сколько клиентов показать в каждом классе.")) var limit = 10
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
  guard o.limit >= 0 else {
    throw ValidationError(tr("--limit must not be negative", "--limit не может быть отрицательным"))
  }
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
      abstract: tr(
        "ABC classes of a snapshot, their clients and the movement between snapshots.",
        "Классы ABC снимка, их клиенты и движение между снимками."))
    @OptionGroup var global: Global
    @OptionGroup var options: ClassReportOptions
    static let column = "abc"
  }

  struct XYZ: ClassReport {
    static let configuration = CommandConfiguration(
      commandName: "xyz",
      abstract: tr(
        "XYZ classes of a snapshot, ABC × XYZ, and the movement between snapshots.",
        "Классы XYZ снимка, ABC × XYZ и движение между снимками."))
    @OptionGroup var global: Global
    @OptionGroup var options: ClassReportOptions
    static let column = "xyz"
  }

  struct Segments: CRMCommand {
    static let configuration = CommandConfiguration(
      commandName: "segments",
      abstract: tr(
        "Clients per segment: count, share, revenue over the last months.",
        "Клиенты по сегментам: число, доля, выручка за последние месяцы."))
    @OptionGroup var global: Global
    @Option(
      help: tr(
        "The last day of the period (default today).",
        "Последний день периода (по умолчанию сегодня).")) var at: String?
    @Option(
      help: tr(
        "Months of revenue (1–36).",
        "Месяцев выручки (1–36).")) var months = 12
    @Option(
      help: tr(
        "Only this owner's clients (login).",
        "Только клиенты этого ответственного (логин).")) var owner: String?
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
      abstract: tr(
        "Fill rate per field (the base and mine), the least complete clients first.",
        "Заполненность по полям (вся база и мои), сначала наименее заполненные клиенты."))
    @OptionGroup var global: Global
    @Option(
      help: tr(
        "Fields to count, comma-separated (default: the completeness_fields setting).",
        "Поля для подсчёта через запятую (по умолчанию: настройка completeness_fields)."))
    var fields: String?
    @Option(
      help: tr(
        "Only this owner's clients (login).",
        "Только клиенты этого ответственного (логин).")) var owner: String?
    @Option(
      help: tr(
        "Only this segment's clients.",
        "Только клиенты этого сегмента.")) var segment: String?
    @Option(
      help: tr(
        "Incomplete clients listed (default: 20 as text, all with --json).",
        "Сколько неполных клиентов показать (по умолчанию 20 текстом, все с --json)."))
    var limit: Int?
    @Option(help: tr("Skip this many (paging).", "Пропустить столько (постранично).")) var offset =
      0
    @OptionGroup var output: JSONOutput

    func check() throws {
      guard (limit ?? 0) >= 0, offset >= 0 else {
        throw ValidationError(
          tr(
            "--limit and --offset must not be negative",
            "--limit и --offset не могут быть отрицательными"))
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
