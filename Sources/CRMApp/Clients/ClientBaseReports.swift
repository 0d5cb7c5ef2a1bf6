import CRMCore
import Foundation
import TerminalUI

/// The client-base sections of the Reports screen: completeness (fill rates as bars, the least
/// complete clients, Enter opens the card), segments, and ABC/XYZ with the movement between the
/// last two snapshots. Each reads only its own aggregates, when shown and stale.
@MainActor
final class ClientBaseReports {
  let context: AppContext
  var l: Language { context.language }
  var f: Formats { context.formats }

  var completeness: Completeness.Summary?
  var incomplete: [Completeness.Row] = []
  var incompleteCount = 0
  var segments: SegmentService.Report?
  var run: ClassRun?
  var abc: [ClassificationService.ClassCount] = []
  var xyz: [ClassificationService.ClassCount] = []
  var cross: [String: [String: Int]] = [:]
  var movement: ClassificationService.Transitions?
  /// What each section was loaded for (owner), nil = stale.
  var loaded: [Int: Int64] = [:]
  /// The selected incomplete client, and the body line of the first one (for scrolling).
  var selected = 0
  var firstClientLine = 0
  /// Incomplete clients read at most (one SQL page, least complete first).
  static let pageLimit = 200

  init(context: AppContext) { self.context = context }

  func invalidate() { loaded = [:] }

  func refresh(_ section: ReportsScreen.Section, ownerId: Int64?) throws {
    let key = section.rawValue
    if loaded[key] == ownerId ?? 0 { return }
    let db = context.db
    switch section {
    case .completeness:
      let fields = try db.settings().completenessFields
      let scope = Completeness.Scope(ownerId: ownerId)
      completeness = try Completeness.summary(db, fields: fields, scope: scope)
      incomplete = try Completeness.incomplete(
        db, fields: fields, scope: scope, limit: Self.pageLimit)
      incompleteCount = (completeness?.clients ?? 0) - (completeness?.complete ?? 0)
      selected = Swift.min(selected, Swift.max(0, incomplete.count - 1))
    case .segments:
      let classes = context.core.classification
      segments = try context.core.segments.report(
        day: classes.today(timeZone: context.timeZone), months: 12, ownerId: ownerId)
    case .classes:
      let classes = context.core.classification
      run = try classes.run(nil)
      if let run {
        abc = try classes.counts(run: run.id, column: "abc")
        xyz = try classes.counts(run: run.id, column: "xyz")
        cross = try classes.cross(run: run.id)
        movement = try classes.lastTwo().map {
          try classes.transitions(from: $0.0, to: $0.1, column: "abc")
        }
      }
    default: break
    }
    loaded[key] = ownerId ?? 0
  }

  func percent(_ d: Double?) -> String {
    guard let d else { return "—" }
    return "\(Int((d * 100).rounded()))%"
  }

  func rub(_ minor: Int64) -> String { Money(minor: minor).compact(l) }

  static let barStyle = Style(color: .cyan)
  static let mineStyle = Style(color: .green)

  // MARK: Completeness

  func completenessLines(_ screen: ReportsScreen, width: Int) -> [ReportLine] {
    guard let s = completeness else { return [] }
    if s.clients == 0 {
      return [.blank, .text(l.pick("No clients yet.", "Клиентов пока нет."), .bold)]
    }
    var out = [
      ReportLine([
        (" " + l.pick("Clients ", "Клиентов ") + f.integer(s.clients), .bold),
        (
          " · " + l.pick("complete ", "заполнены полностью ") + f.integer(s.complete) + " · "
            + l.pick("mean score ", "средний балл ") + percent(s.meanScore), .plain
        ),
      ])
    ]
    let cols = screen.fitColumns(
      [
        ReportColumn(width: 16), ReportColumn(width: 0), ReportColumn(width: 5, right: true),
        ReportColumn(width: 11, right: true),
      ],
      flex: 1, width: width, minFlex: 8, keep: 3)
    out.append(
      screen.row(
        [
          (l.pick("Field", "Поле"), .bold), (l.pick("filled", "заполнено"), .dim),
          ("%", .bold), (l.pick("filled", "заполнено"), .bold),
        ], cols))
    for r in s.base {
      out.append(
        screen.row(
          [
            (r.field.name(l), .plain),
            (ReportsScreen.bar(r.filled, of: r.applicable, width: cols[1].width), Self.barStyle),
            (percent(r.share), .bold), ("\(f.integer(r.filled))/\(f.integer(r.applicable))", .dim),
          ], cols))
    }
    out.append(.blank)
    if incomplete.isEmpty {
      out.append(.text(l.pick("Every card is complete.", "Все карточки заполнены."), .bold))
      firstClientLine = out.count
      return out
    }
    out.append(
      .text(
        l.pick(
          "Incomplete: \(f.integer(incompleteCount)), least complete first (Enter opens)",
          "Неполные: \(f.integer(incompleteCount)), сначала худшие (Enter — карточка)"), .bold))
    firstClientLine = out.count
    let ccols = screen.fitColumns(
      [ReportColumn(width: 0), ReportColumn(width: 5, right: true), ReportColumn(width: 30)],
      flex: 0, width: width, minFlex: 16, keep: 2)
    for (i, r) in incomplete.enumerated() {
      let style: Style = i == selected ? Style(reverse: true) : .plain
      let line = screen.row(
        [
          (r.name, style), (percent(r.score), style),
          (r.missing.map { $0.name(l) }.joined(separator: ", "), i == selected ? style : .dim),
        ], ccols)
      out.append(line)
    }
    if incompleteCount > incomplete.count {
      out.append(
        .text(
          l.pick(
            "The first \(Self.pageLimit) are shown; crm report completeness --offset pages on.",
            "Показаны первые \(Self.pageLimit); дальше — crm report completeness --offset."),
          .dim))
    }
    return out
  }

  // MARK: Segments

  func segmentLines(_ screen: ReportsScreen, width: Int) -> [ReportLine] {
    guard let r = segments else { return [] }
    if r.clients == 0 {
      return [.blank, .text(l.pick("No clients yet.", "Клиентов пока нет."), .bold)]
    }
    var out = ReportLine.wrapped(
      l.pick(
        "Live clients by segment; revenue: roubles received over the last 12 months. Segments come by hand or by rule (crm segment rule, crm classify).",
        "Клиенты по сегментам; выручка — рубли, полученные за 12 месяцев. Сегмент задают вручную или правилом (crm segment rule, crm classify)."
      ), width: width, .dim)
    let cols = screen.fitColumns(
      [
        ReportColumn(width: 14), ReportColumn(width: 0), ReportColumn(width: 7, right: true),
        ReportColumn(width: 4, right: true), ReportColumn(width: 7, right: true),
        ReportColumn(width: 11, right: true), ReportColumn(width: 4, right: true),
      ], flex: 1, width: width, minFlex: 6, keep: 4)
    out.append(
      screen.row(
        [
          (l.pick("Segment", "Сегмент"), .bold), ("", .plain),
          (l.pick("Clients", "Клиент."), .bold),
          ("%", .bold), (l.pick("By rule", "Правил."), .bold),
          (l.pick("Revenue", "Выручка"), .bold),
          ("%", .bold),
        ], cols))
    let top = r.lines.map(\.clients).max() ?? 0
    for s in r.lines {
      out.append(
        screen.row(
          [
            (s.segment.isEmpty ? l.pick("(none)", "(без сегм.)") : s.segment, .plain),
            (ReportsScreen.bar(s.clients, of: top, width: cols[1].width), Self.barStyle),
            (f.integer(s.clients), .bold), (percent(s.share), .plain),
            (f.integer(s.byRule), .plain), (rub(s.revenue), .plain),
            (percent(s.revenueShare), .plain),
          ], cols))
    }
    return out
  }

  // MARK: ABC/XYZ

  func classLines(_ screen: ReportsScreen, width: Int) -> [ReportLine] {
    guard let run else {
      return [
        .blank, .text(l.pick("No ABC/XYZ snapshot yet.", "Снимков ABC/XYZ пока нет."), .bold),
        .text(
          l.pick(
            "Run crm classify (e.g. from cron each month);",
            "Запустите crm classify (например, раз в месяц из cron);"), .dim),
        .text(
          l.pick("the rules are in docs/classification.md.", "правила — в docs/classification.md."),
          .dim),
      ]
    }
    var out: [ReportLine] = []
    let cols = screen.fitColumns(
      [
        ReportColumn(width: 13), ReportColumn(width: 0), ReportColumn(width: 7, right: true),
        ReportColumn(width: 4, right: true), ReportColumn(width: 11, right: true),
        ReportColumn(width: 4, right: true),
      ], flex: 1, width: width, minFlex: 6, keep: 3)
    out.append(
      screen.row(
        [
          (l.pick("Class", "Класс"), .bold), ("", .plain), (l.pick("Clients", "Клиент."), .bold),
          ("%", .bold), (l.pick("Revenue", "Выручка"), .bold), ("%", .bold),
        ], cols))
    let total = abc.reduce(0) { $0 + $1.clients }
    let top = (abc + xyz).map(\.clients).max() ?? 0
    for c in abc + xyz {
      let name =
        c.name.isEmpty
        ? l.pick("no revenue", "без выручки")
        : Classification.XYZ(rawValue: c.name)?.name(l) ?? c.name
      out.append(
        screen.row(
          [
            (name, .plain),
            (ReportsScreen.bar(c.clients, of: top, width: cols[1].width), Self.barStyle),
            (f.integer(c.clients), .bold),
            (percent(total == 0 ? nil : Double(c.clients) / Double(total)), .plain),
            (c.name.isEmpty || c.name == "potential" ? "" : rub(c.revenue), .plain),
            (
              c.name.isEmpty || c.name == "potential" || run.revenue == 0
                ? "" : percent(Double(c.revenue) / Double(run.revenue)), .plain
            ),
          ], cols))
      if c.name == "" { out.append(.blank) }
    }
    // ABC × XYZ.
    out.append(.blank)
    let xs = Classification.XYZ.allCases
    let short: [String] = xs.map {
      switch $0 {
      case .potential: return l.pick("potent.", "потенц.")
      case .oneOff: return l.pick("one-off", "разовые")
      default: return $0.rawValue
      }
    }
    let cross = [ReportColumn(width: 11)] + xs.map { _ in ReportColumn(width: 8, right: true) }
    out.append(screen.row([("ABC × XYZ", .bold)] + short.map { ($0, .bold) }, cross))
    for a in ["A", "B", "C", ""] {
      out.append(
        screen.row(
          [(a.isEmpty ? "—" : a, .bold)]
            + xs.map { (f.integer(self.cross[a]?[$0.rawValue] ?? 0), .plain) }, cross))
    }
    // Movement between the last two snapshots.
    out.append(.blank)
    guard let m = movement else {
      out += ReportLine.wrapped(
        l.pick(
          "Movement appears with a second snapshot (crm classify on another day).",
          "Движение появится со вторым снимком (crm classify в другой день)."),
        width: width, .dim)
      return out
    }
    out.append(
      .text(
        l.pick(
          "ABC movement \(f.day(m.from.at)) → \(f.day(m.to.at)): \(f.integer(m.moved)) changed",
          "Движение ABC \(f.day(m.from.at)) → \(f.day(m.to.at)): сменили класс \(f.integer(m.moved))"
        ), .bold))
    let mcols =
      [ReportColumn(width: 11)] + m.classes.map { _ in ReportColumn(width: 8, right: true) }
      + [ReportColumn(width: 8, right: true)]
    out.append(
      screen.row(
        [(l.pick("was \\ now", "было \\ стало"), .dim)]
          + m.classes.map { ($0.isEmpty ? "—" : $0, .bold) } + [(l.pick("gone", "ушли"), .bold)],
        mcols))
    for a in m.classes {
      out.append(
        screen.row(
          [(a.isEmpty ? "—" : a, .bold)]
            + m.classes.map { b in
              (f.integer(m.count(a, b)), a == b ? .plain : Style(bold: true, color: .yellow))
            } + [(f.integer(m.gone[a] ?? 0), .plain)], mcols))
    }
    out.append(
      screen.row(
        [(l.pick("new", "новые"), .bold)] + m.classes.map { (f.integer(m.new[$0] ?? 0), .plain) },
        mcols))
    return out
  }

  /// Row 2 of the screen for these sections.
  func info(_ section: ReportsScreen.Section, everyone: Bool) -> String {
    let whose = everyone ? l.pick("everyone", "все") : l.pick("mine", "мои")
    switch section {
    case .completeness:
      let n = (try? context.db.settings().completenessFields.count) ?? 0
      return l.pick("\(n) fields counted", "полей в расчёте: \(n)") + " · " + whose
    case .segments: return l.pick("revenue over 12 months", "выручка за 12 мес.") + " · " + whose
    case .classes:
      guard let run else { return l.pick("no snapshot", "снимков нет") }
      return l.pick(
        "snapshot №\(run.id) of \(f.day(run.at)) · \(run.months) months",
        "снимок №\(run.id) на \(f.day(run.at)) · \(run.months) мес.")
    default: return ""
    }
  }
}
