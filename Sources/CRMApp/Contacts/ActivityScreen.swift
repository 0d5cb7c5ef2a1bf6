import CRMCore
import Foundation
import TerminalUI

/// Screen 5: per manager, contacts done by kind, overdue, new clients, deals moved and won,
/// revenue, for a week by days, a month by weeks or a quarter by months; under the table the
/// selected manager's bars per bucket and a sparkline per contact kind; targets as plan against
/// fact. Enter on any number lists the rows behind it.
@MainActor
public final class ActivityScreen: ListScreen {
  public let tab = 5
  public let context: AppContext
  let service: ActivityService
  let targetService: TargetService
  /// How the period is split: days (a week), weeks (a month), months (a quarter).
  public private(set) var grouping: ActivityGrouping = .day
  /// A moment inside the period shown.
  public private(set) var anchor: Date
  public private(set) var report: ActivityReport?
  public private(set) var targets: [UserTarget] = []
  /// The selected row (managers, then the team total) and column.
  var list = ListState()
  public private(set) var column = 0
  var stale = true

  public static let columns: [ActivityMetric] = [
    .calls, .meetings, .letters, .emails, .other, .overdue, .newClients, .dealsMoved, .dealsWon,
    .revenue,
  ]
  static let widths = [4, 4, 4, 4, 4, 5, 5, 5, 5, 11]

  public init(context: AppContext) {
    self.context = context
    service = context.core.activity
    targetService = context.core.targets
    anchor = context.db.clock.now()
  }

  public func dataChanged() { stale = true }

  var cal: Calendar { service.calendar }

  /// The period shown: the week, month or quarter holding `anchor`.
  public var period: DateInterval {
    switch grouping {
    case .day: return ActivityGrouping.week.interval(containing: anchor, cal)
    case .week: return ActivityGrouping.month.interval(containing: anchor, cal)
    case .month:
      let month = CalendarMath.startOfMonth(anchor, cal)
      let m = cal.component(.month, from: month)
      let start = CalendarMath.addMonths(month, -((m - 1) % 3), cal)
      return DateInterval(start: start, end: CalendarMath.addMonths(start, 3, cal))
    }
  }

  func readRows() throws {
    let p = period
    report = try service.report(ActivityQuery(from: p.start, to: p.end, grouping: grouping))
    targets = try targetService.list()
  }
  func forgetRows() { report = nil }
  var rowCount: Int { (report?.rows.count ?? 0) + ((report?.rows.isEmpty ?? true) ? 0 : 1) }

  /// The rows of the table: every manager, then the team.
  var rows: [ActivityRow] {
    guard let r = report, !r.rows.isEmpty else { return [] }
    return r.rows + [r.team]
  }

  public var selectedRow: ActivityRow? {
    rows.indices.contains(list.selected) ? rows[list.selected] : nil
  }

  public var selectedMetric: ActivityMetric { Self.columns[column] }

  // MARK: Text

  static let monthsNominative = [
    "январь", "февраль", "март", "апрель", "май", "июнь", "июль", "август", "сентябрь",
    "октябрь", "ноябрь", "декабрь",
  ]
  static let monthsGenitive = [
    "января", "февраля", "марта", "апреля", "мая", "июня", "июля", "августа", "сентября",
    "октября", "ноября", "декабря",
  ]
  static let monthsEnglish = [
    "January", "February", "March", "April", "May", "June", "July", "August", "September",
    "October", "November", "December",
  ]

  func ymd(_ d: Date) -> (y: Int, m: Int, d: Int) {
    let c = cal.dateComponents([.year, .month, .day], from: d)
    return (c.year!, c.month!, c.day!)
  }

  /// `неделя 16–22 ноября 2026`, `ноябрь 2026 по неделям`, `IV квартал 2026 по месяцам`.
  public var periodTitle: String {
    let p = period
    let a = ymd(p.start)
    let b = ymd(p.end.addingTimeInterval(-1))
    switch grouping {
    case .day:
      // The month and the year only where the week's two ends differ in them.
      let months = l == .ru ? Self.monthsGenitive : Self.monthsEnglish
      let left =
        a.m == b.m
        ? "\(a.d)"
        : a.y == b.y
          ? "\(a.d) \(months[a.m - 1])"
          : "\(a.d) \(months[a.m - 1]) \(a.y)"
      let sep = a.m == b.m ? "–" : " – "
      return l.pick("week ", "неделя ") + "\(left)\(sep)\(b.d) \(months[b.m - 1]) \(b.y)"
    case .week:
      return l.pick(
        "\(Self.monthsEnglish[a.m - 1]) \(a.y) by weeks",
        "\(Self.monthsNominative[a.m - 1]) \(a.y) по неделям")
    case .month:
      let q = (a.m - 1) / 3
      let roman = ["I", "II", "III", "IV"][q]
      return l.pick("Q\(q + 1) \(a.y) by months", "\(roman) квартал \(a.y) по месяцам")
    }
  }

  /// A bucket's short label: `пн 16`, `16.11`, `ноя`.
  func bucketLabel(_ b: ActivityBucket) -> String {
    let d = ymd(b.from)
    switch grouping {
    case .day:
      let w = (cal.component(.weekday, from: b.from) + 5) % 7
      let names =
        l == .ru
        ? ["пн", "вт", "ср", "чт", "пт", "сб", "вс"] : ["Mo", "Tu", "We", "Th", "Fr", "Sa", "Su"]
      return "\(names[w]) \(d.d)"
    case .week: return context.formats.dayMonth(b.from)
    case .month:
      return String((l == .ru ? Self.monthsNominative : Self.monthsEnglish)[d.m - 1].prefix(3))
    }
  }

  public static func header(_ m: ActivityMetric, _ l: Language) -> String {
    switch m {
    case .calls: return l.pick("Call", "Зв")
    case .meetings: return l.pick("Meet", "Вс")
    case .letters: return l.pick("Let", "Пс")
    case .emails: return l.pick("Mail", "Em")
    case .other: return l.pick("Oth", "Др")
    case .overdue: return l.pick("Late", "Проср")
    case .newClients: return l.pick("NewCl", "НовК")
    case .dealsMoved: return l.pick("Moved", "Сдвиг")
    case .dealsWon: return l.pick("Won", "Выигр")
    case .revenue: return l.pick("Revenue", "Выручка")
    case .missed: return l.pick("NoAns", "Недоз")
    case .planned: return l.pick("Plan", "План")
    }
  }

  func value(_ r: ActivityRow, _ m: ActivityMetric, bucket: Int? = nil) -> Int64 {
    if m == .overdue { return Int64(r.overdue) }
    return (bucket.map { r.buckets[$0] } ?? r.total)[m]
  }

  func cellText(_ r: ActivityRow, _ m: ActivityMetric, width: Int) -> String {
    let v = value(r, m)
    if m == .revenue {
      let money = Money(minor: v)
      let full = money.formatted(l, whole: true)
      // Two columns to spare, so the thousands' spaces never run into the column before.
      let text = TextWidth.of(full) <= width - 2 ? full : money.compact(l)
      let others = (r.total.revenue.count > (r.total.revenue["RUB"] == nil ? 0 : 1)) ? "+" : ""
      return v == 0 && others.isEmpty ? "—" : text + others
    }
    return Self.count(Int(v), width: width, l)
  }

  /// A count that fits `width`: `1 234`, else `1,2k` / `12k` / `1,2M`.
  nonisolated public static func count(_ n: Int, width: Int, _ l: Language) -> String {
    let full = Formats(language: l).integer(n)
    if TextWidth.of(full) <= width { return full }
    let mark = l == .ru ? "," : "."
    func short(_ value: Double, _ unit: String) -> String {
      let one = (value * 10).rounded() / 10
      if one < 10 {
        let text = String(format: "%.1f", one).replacingOccurrences(of: ".", with: mark)
        return (text.hasSuffix(mark + "0") ? String(text.dropLast(2)) : text) + unit
      }
      return "\(Int(value.rounded()))" + unit
    }
    let k = short(Double(n) / 1000, "k")
    if TextWidth.of(k) <= width { return k }
    return short(Double(n) / 1_000_000, "M")
  }

  /// Plan against fact of the selected period for a row and column, when a target exists.
  public func planFact(_ r: ActivityRow, _ m: ActivityMetric, bucket: Int? = nil) -> PlanFact? {
    guard let report, let tm = TargetMetric(rawValue: m.rawValue),
      let pf = TargetService.planFact(targetService, targets, report: report, row: r, metric: tm)
    else { return nil }
    return bucket.map { pf.buckets[$0] } ?? pf.total
  }

  /// Met targets bold green, targets behind dim.
  public static func targetStyle(_ pf: PlanFact?) -> Style {
    guard let pf, pf.plan > 0 else { return .plain }
    return pf.met ? Style(bold: true, color: .green) : .dim
  }

  func planText(_ pf: PlanFact, _ m: ActivityMetric) -> String {
    if m == .revenue {
      return Money(minor: pf.fact).compact(l) + "/" + Money(minor: pf.planWhole).compact(l) + " "
        + pf.percent
    }
    return "\(pf.fact)/\(pf.planWhole) \(pf.percent)"
  }

  // MARK: Drawing

  public func draw(_ canvas: inout Canvas, top: Int, rows height: Int, width: Int) {
    refresh(app: nil)
    var row = top
    let bottom = top + height
    canvas.put(row, 1, periodTitle, .bold, maxWidth: width - 2)
    let hint = l.pick("[ ] period  p days/weeks/months", "[ ] период  p дни/недели/месяцы")
    if TextWidth.of(periodTitle) + TextWidth.of(hint) + 4 <= width {
      canvas.put(row, width - TextWidth.of(hint) - 1, hint, .dim)
    }
    row += 1
    guard let report, !report.rows.isEmpty else {
      row += 1
      let lines = [
        l.pick("No managers to show.", "Некого показать: нет менеджеров."),
        l.pick(
          "Add one: crm user add LOGIN --role manager; contacts, clients and deals they",
          "Добавьте: crm user add ЛОГИН --role manager; их контакты, клиенты и сделки"),
        l.pick("make appear here by period.", "появятся здесь по периодам."),
      ]
      for (i, line) in lines.enumerated() {
        canvas.put(row + i, 2, line, i == 0 ? .bold : .plain, maxWidth: width - 4)
      }
      return
    }
    let widths = Self.widths
    let numbers = widths.reduce(0, +) + widths.count
    let nameWidth = max(8, width - 2 - numbers)
    // The header.
    var col = canvas.put(row, 1, TextWidth.fit(l.pick("Manager", "Менеджер"), to: nameWidth), .bold)
    for (i, m) in Self.columns.enumerated() {
      col += 1
      let style = i == column ? Style(bold: true, underline: true) : .bold
      col = canvas.put(
        row, col, TextWidth.fit(Self.header(m, l), to: widths[i], alignRight: true), style)
    }
    row += 1
    // The table and the chart share the rows: the chart takes the buckets plus three lines.
    let chartLines = report.buckets.count + 3
    let tableRows = max(2, min(rows.count, height - 2 - chartLines - 1))
    list.visible = tableRows
    list.clamp()
    let all = rows
    for i in list.top..<min(all.count, list.top + tableRows) {
      let r = all[i]
      let selected = i == list.selected
      let isTeam = r.user == nil
      let name = r.user.map { $0.name.isEmpty ? $0.login : $0.name } ?? l.pick("Total", "Итого")
      let nameStyle = selected ? Style(bold: true, reverse: true) : isTeam ? .bold : .plain
      var c = canvas.put(row, 1, TextWidth.fit(name, to: nameWidth), nameStyle)
      for (k, m) in Self.columns.enumerated() {
        c += 1
        var style = isTeam ? Style.bold : Self.targetStyle(planFact(r, m))
        if m == .overdue && r.overdue > 0 && !isTeam { style = Style(color: .red) }
        if selected && k == column { style.reverse = true }
        c = canvas.put(
          row, c, TextWidth.fit(cellText(r, m, width: widths[k]), to: widths[k], alignRight: true),
          style)
      }
      row += 1
    }
    if list.top + tableRows < all.count {
      canvas.put(row - 1, 0, "↓", .dim)
    }
    // The selected cell in words: the column's full name, plan against fact.
    guard let sel = selectedRow else { return }
    let m = selectedMetric
    let who = sel.user?.login ?? l.pick("team", "команда")
    var info = "\(m.name(l)) · \(who): "
    var infoStyle = Style.plain
    if let pf = planFact(sel, m) {
      info += planText(pf, m)
      infoStyle = Self.targetStyle(pf)
    } else {
      info += cellText(sel, m, width: 20)
      let other = sel.total.revenue.filter { $0.key != "RUB" }.sorted { $0.key < $1.key }
      if m == .revenue && !other.isEmpty {
        info +=
          " + "
          + other.map {
            Money(minor: $0.value, currency: Currency.named($0.key) ?? .rub).compact(l)
          }
          .joined(separator: ", ")
      }
    }
    // The figures first: the hint goes when both do not fit.
    let enterHint = l.pick(" · Enter: the rows", " · Enter — строки")
    if TextWidth.of(info + enterHint) <= width - 2 { info += enterHint }
    canvas.put(row, 1, info, infoStyle, maxWidth: width - 2)
    row += 1
    if report.rows.allSatisfy({ $0.total.isEmpty && $0.overdue == 0 }) {
      canvas.put(
        row, 1,
        l.pick(
          "Nothing done in this period yet; [ goes back a period.",
          "За этот период активности нет; [ — предыдущий период."), .dim, maxWidth: width - 2)
      row += 1
    }
    // Bars per bucket of the selected column (overdue is a current figure: contacts instead).
    let barMetric = m == .overdue ? ActivityMetric.planned : m
    let values = report.buckets.map { Double(value(sel, barMetric, bucket: $0.index)) }
    let plans = report.buckets.map { planFact(sel, barMetric, bucket: $0.index) }
    let most = max(values.max() ?? 0, plans.compactMap { $0?.plan }.max() ?? 0)
    canvas.put(
      row, 1,
      "\(who) — \(barMetric.name(l)) " + l.pick("by ", "по ")
        + l.pick(
          grouping.rawValue + "s",
          ["day": "дням", "week": "неделям", "month": "месяцам"][grouping.rawValue]!),
      .dim, maxWidth: width - 2)
    row += 1
    let labelWidth = 6
    // Each bucket's figure (and its plan) whole: the bars narrow to leave room for the widest.
    let figures = report.buckets.indices.map { i -> String in
      var number =
        barMetric == .revenue
        ? Money(minor: Int64(values[i])).compact(l) : context.formats.integer(Int(values[i]))
      if let pf = plans[i] {
        number +=
          "/"
          + (barMetric == .revenue
            ? Money(minor: pf.planWhole).compact(l) : context.formats.integer(Int(pf.planWhole)))
      }
      return number
    }
    let numberWidth = max(barMetric == .revenue ? 16 : 10, figures.map(TextWidth.of).max() ?? 0)
    let barWidth = max(4, width - 2 - labelWidth - numberWidth - 2)
    for (i, b) in report.buckets.enumerated() where row < bottom - 1 {
      canvas.put(row, 1, TextWidth.fit(bucketLabel(b), to: labelWidth))
      let bar = Charts.bar(values[i], maximum: most, width: barWidth)
      let style = Self.targetStyle(plans[i])
      canvas.put(row, 2 + labelWidth, bar, style.dim ? .dim : Style(color: style.color))
      canvas.put(row, 3 + labelWidth + barWidth, figures[i], style, maxWidth: numberWidth)
      row += 1
    }
    // A sparkline per contact kind.
    guard row < bottom else { return }
    var c = 1
    for k in ActivityMetric.contactKinds {
      let series = report.buckets.map { Double(value(sel, k, bucket: $0.index)) }
      let text = "\(Self.header(k, l)) \(Charts.sparkline(series)) \(Int(series.reduce(0, +)))  "
      if c + TextWidth.of(text) > width { break }
      c = canvas.put(row, c, text, k == m ? .bold : .plain)
    }
  }

  // MARK: Keys

  public func handle(_ key: Key, app: App) {
    if moveSelection(key, app: app) { return }
    switch keys.action(for: key) {
    case .columnLeft: column = max(0, column - 1)
    case .columnRight: column = min(Self.columns.count - 1, column + 1)
    case .previous: shift(-1)
    case .next: shift(1)
    case .today:
      anchor = context.db.clock.now()
      stale = true
    case .periodLength:
      let all = ActivityGrouping.allCases
      grouping = all[(all.firstIndex(of: grouping)! + 1) % all.count]
      stale = true
    case .open:
      guard let report, let r = selectedRow else { return }
      let cell = ActivityCell(userId: r.user?.id, metric: selectedMetric)
      app.push(
        ActivityDrillScreen(
          context: context, service: service, report: report, cell: cell,
          title:
            "\(r.user?.login ?? l.pick("team", "команда")) · \(selectedMetric.name(l)) · \(periodTitle)"
        ))
    case .audit:
      app.push(AuditScreen(context: context, tab: 5))
    case .requisites:
      app.push(CompanyScreen(context: context))
    case .quit: app.quit()
    default: break
    }
  }

  func shift(_ n: Int) {
    let p = period
    switch grouping {
    case .day: anchor = CalendarMath.addDays(p.start, 7 * n, cal)
    case .week: anchor = CalendarMath.addMonths(p.start, n, cal)
    case .month: anchor = CalendarMath.addMonths(p.start, 3 * n, cal)
    }
    stale = true
  }
}

/// The rows behind one number of the activity screen, newest first, read a page at a time;
/// Enter opens the client's card.
@MainActor
public final class ActivityDrillScreen: Screen {
  public let tab = 5
  public let context: AppContext
  let service: ActivityService
  let report: ActivityReport
  public let cell: ActivityCell
  let title: String
  public private(set) var items: [ActivityItem] = []
  public private(set) var total = 0
  var list = ListState()
  static let page = 200

  init(
    context: AppContext, service: ActivityService, report: ActivityReport, cell: ActivityCell,
    title: String
  ) {
    self.context = context
    self.service = service
    self.report = report
    self.cell = cell
    self.title = title
    total = (try? service.drillCount(report, cell)) ?? 0
    list.count = total
    loadMore()
  }

  func loadMore() {
    guard items.count < total else { return }
    if let more = try? service.drill(report, cell, limit: Self.page, offset: items.count) {
      items += more
      if more.isEmpty { total = items.count }
    }
  }

  public func draw(_ canvas: inout Canvas, top: Int, rows: Int, width: Int) {
    canvas.put(top, 1, title, .bold, maxWidth: width - 2)
    canvas.put(top + 1, 1, l.pick("Rows: ", "Строк: ") + context.formats.integer(total), .dim)
    if total == 0 {
      canvas.put(top + 3, 2, l.pick("Nothing behind this number.", "За этим числом ничего нет."))
      return
    }
    list.visible = max(1, rows - 3)
    list.clamp()
    while list.top + list.visible > items.count && items.count < total { loadMore() }
    let f = context.formats
    for i in list.top..<min(items.count, list.top + list.visible) {
      let it = items[i]
      let r = top + 2 + i - list.top
      var text = f.dateTime(it.at) + "  " + TextWidth.fit(it.kind, to: 10) + " "
      text += TextWidth.fit(it.clientName, to: 24) + " "
      var tail = it.title
      if let a = it.amount { tail += (tail.isEmpty ? "" : " · ") + a.formatted(l, whole: true) }
      if cell.userId == nil && !it.userLogin.isEmpty { tail += " · " + it.userLogin }
      text += tail
      let style = i == list.selected ? Style.reverse : .plain
      if i == list.selected { canvas.fill(r, 0, width: width, .reverse) }
      canvas.put(r, 1, text, style, maxWidth: width - 2)
    }
  }

  public func handle(_ key: Key, app: App) {
    if list.move(key) {
      if list.selected >= items.count - 1 { loadMore() }
      return
    }
    switch keys.action(for: key) {
    case .open:
      guard items.indices.contains(list.selected) else { return }
      app.push(
        ClientCardScreen(context: context, clientId: items[list.selected].clientId, list: nil))
    case .back: app.pop()
    default: break
    }
  }
}
