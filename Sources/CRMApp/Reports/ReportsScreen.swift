import CRMCore
import Foundation
import TerminalUI

/// One line of a report: runs of text, each with its style.
struct ReportLine {
  var runs: [(text: String, style: Style)] = []

  init(_ runs: [(String, Style)] = []) {
    self.runs = runs.map { (text: $0.0, style: $0.1) }
  }

  static func text(_ s: String, _ style: Style = .plain) -> ReportLine {
    ReportLine([(" " + s, style)])
  }

  static let blank = ReportLine()

  /// Draws the runs on `row` from the left edge, cut at `width` columns.
  func draw(_ canvas: inout Canvas, row: Int, width: Int) {
    var c = 0
    for run in runs where c < width {
      c = canvas.put(row, c, run.text, run.style, maxWidth: width - c)
    }
  }

  /// A note wrapped into as many lines as `width` needs.
  static func wrapped(_ s: String, width: Int, _ style: Style = .plain) -> [ReportLine] {
    wrap(s, width: width - 1).map { ReportLine([(" " + $0, style)]) }
  }
}

/// A column of a report table: width in terminal columns (0 = dropped), alignment.
struct ReportColumn {
  var width: Int
  var right = false
}

/// Screen 6: reports, a list of sections switched with Tab (←/→): the funnel (conversion stage
/// to stage, days per stage, results, by owner, by month), lead sources and stuck deals. The
/// period (month, quarter, year, all time; `[`/`]` move it), the owner (everyone / mine) and the
/// pipeline apply to every section; the body scrolls with j/k and PgUp/PgDn. Each section runs
/// only its own aggregate queries, and only when something it depends on changed.
@MainActor
public final class ReportsScreen: Screen {
  public enum Section: Int, CaseIterable, Sendable {
    case funnel, sources, stuck, completeness, segments, classes
    /// Team work: campaigns with their results (CampaignService).
    case campaigns

    func title(_ l: Language) -> String {
      switch self {
      case .funnel: return l.pick("Funnel", "Воронка")
      case .sources: return l.pick("Lead sources", "Источники лидов")
      case .stuck: return l.pick("Stuck deals", "Зависшие сделки")
      case .completeness: return l.pick("Completeness", "Полнота")
      case .segments: return l.pick("Segments", "Сегменты")
      case .classes: return "ABC/XYZ"
      case .campaigns: return l.pick("Campaigns", "Кампании")
      }
    }

    /// The title in one word, for a row of sections too wide for the window (80 columns).
    func shortTitle(_ l: Language) -> String {
      switch self {
      case .sources: return l.pick("Sources", "Источники")
      case .stuck: return l.pick("Stuck", "Зависшие")
      default: return title(l)
      }
    }

    /// The client-base sections (ClientBaseReports.swift): no period, no pipeline.
    var isClientBase: Bool { self == .completeness || self == .segments || self == .classes }
  }

  public enum PeriodLength: Int, CaseIterable, Sendable {
    case month, quarter, year, all

    var months: Int {
      switch self {
      case .month: return 1
      case .quarter: return 3
      case .year: return 12
      case .all: return 0
      }
    }
  }

  public let tab = 6
  public let context: AppContext
  public private(set) var section = Section.funnel
  public private(set) var length = PeriodLength.month
  /// An instant inside the period shown (the period is the month, quarter or year holding it).
  public private(set) var anchor: Date
  public private(set) var everyone = true
  /// The pipeline reported on; nil = the default (first) one.
  public private(set) var pipelineKey: String?
  public private(set) var report: FunnelReport?
  public private(set) var stuck: [DealRow] = []
  /// Team work: the campaigns section's rows (newest first).
  public private(set) var campaigns: [CampaignResult] = []
  public private(set) var stuckMore = false
  var pipelines: [Pipeline] = []
  var anyDeals = true
  var reportQuery: FunnelReportQuery?
  var stuckKey: String?
  /// The selected stuck deal, and the body line of the first one (for scrolling).
  var stuckSelected = 0
  var stuckFirstLine = 0
  var stale = true
  /// Bank payments waiting in the queue (the header says so when there are any).
  public private(set) var queued = 0
  /// The files of the last reconciliation, offered again.
  var statementPath = ""
  var actsPath = ""
  /// The first body line on screen, and what the last frame showed (for paging).
  var scroll = LineScroll()
  /// The first line of the body shown.
  public var top: Int { scroll.top }
  /// Stuck deals read at most (one SQL page, most days over first).
  public static let stuckLimit = 200

  /// Completeness, segments and ABC/XYZ.
  let base: ClientBaseReports

  public init(context: AppContext) {
    self.context = context
    anchor = context.db.clock.now()
    base = ClientBaseReports(context: context)
  }

  public func dataChanged() {
    stale = true
    base.invalidate()
  }

  var f: Formats { context.formats }
  var cal: Calendar { context.timeContext.calendar }
  var ownerId: Int64? { everyone ? nil : context.user?.id }

  // MARK: Period

  /// `[from, to)` of the period shown; both nil for all time.
  public var period: (from: Date?, to: Date?) {
    guard length != .all else { return (nil, nil) }
    let month = CalendarMath.startOfMonth(anchor, cal)
    let m = cal.component(.month, from: month)
    let start = CalendarMath.addMonths(month, -((m - 1) % length.months), cal)
    return (start, CalendarMath.addMonths(start, length.months, cal))
  }

  /// "November 2026", "Q4 2026", "2026", "All time" (Russian: "Ноябрь 2026", "IV кв. 2026"…).
  public var periodTitle: String {
    guard let start = period.from else { return l.pick("All time", "Всё время") }
    let p = cal.dateComponents([.year, .month], from: start)
    let year = String(p.year ?? 0)
    let month = p.month ?? 1
    switch length {
    case .month:
      let name = CalendarScreen.monthName(month, l)
      return name.prefix(1).uppercased() + name.dropFirst() + " " + year
    case .quarter:
      let q = (month - 1) / 3 + 1
      return l.pick("Q\(q) \(year)", "\(["I", "II", "III", "IV"][q - 1]) кв. \(year)")
    case .year: return l.pick(year, "\(year) год")
    case .all: return ""
    }
  }

  public var query: FunnelReportQuery {
    let p = period
    return FunnelReportQuery(pipeline: pipelineKey, from: p.from, to: p.to, ownerId: ownerId)
  }

  var pipeline: Pipeline? {
    pipelines.first { $0.key == pipelineKey } ?? pipelines.first
  }

  // MARK: Loading

  func refresh(app: App?) {
    if stale {
      stale = false
      reportQuery = nil
      stuckKey = nil
      pipelines = []
      base.invalidate()
    }
    do {
      if pipelines.isEmpty {
        pipelines = try context.core.pipelines.pipelines()
        if let k = pipelineKey, !pipelines.contains(where: { $0.key == k }) { pipelineKey = nil }
        anyDeals = !(try context.deals.list(limit: 1).isEmpty)
        queued = try context.money.queueCount()
      }
      switch section {
      case .funnel, .sources:
        let q = query
        if reportQuery != q {
          report = try context.core.funnel
            .funnel(q)
          reportQuery = q
        }
      case .completeness, .segments, .classes:
        try base.refresh(section, ownerId: ownerId)
      case .campaigns:
        campaigns = try context.core.campaigns.list(limit: 200)
      case .stuck:
        let key = "\(ownerId ?? 0)/\(pipeline?.id ?? 0)"
        if stuckKey != key {
          var rows = try context.deals.stuck(
            DealFilter(ownerId: ownerId), pipelineId: pipeline?.id, limit: Self.stuckLimit + 1)
          stuckMore = rows.count > Self.stuckLimit
          if stuckMore { rows.removeLast() }
          stuck = rows
          stuckKey = key
          stuckSelected = Swift.min(stuckSelected, Swift.max(0, rows.count - 1))
        }
      }
    } catch {
      app?.report(error)
    }
  }

  // MARK: Drawing helpers

  nonisolated static let eighths: [Character] = ["▏", "▎", "▍", "▌", "▋", "▊", "▉"]

  /// A horizontal bar of `value` out of `max` in `width` columns, in eighths of a column: full
  /// blocks, then one partial block. Any value above zero shows at least an eighth.
  nonisolated public static func bar(_ value: Int, of max: Int, width: Int) -> String {
    guard value > 0, max > 0, width > 0 else { return "" }
    let total = width * 8
    let v = Swift.min(value, max)
    let e = Swift.max(1, Swift.min(total, (2 * v * total + max) / (2 * max)))
    var s = String(repeating: "█", count: e / 8)
    if e % 8 > 0 { s.append(eighths[e % 8 - 1]) }
    return s
  }

  static let levels: [Character] = ["▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"]

  /// One character per value, ▁ to █ against `max`; zero is `·`.
  public static func sparkline(_ values: [Int], max: Int) -> String {
    String(
      values.map { v -> Character in
        guard v > 0, max > 0 else { return "·" }
        return levels[Swift.min(7, (Swift.min(v, max) * 8 - 1) / max)]
      })
  }

  func percent(_ d: Double?) -> String {
    guard let d else { return "—" }
    return "\(Int((d * 100).rounded()))%"
  }

  func decimal(_ d: Double) -> String {
    let s = String(format: "%.1f", d)
    return l == .ru ? s.replacingOccurrences(of: ".", with: ",") : s
  }

  func days(_ mean: Double?, _ median: Double?) -> String {
    guard let mean, let median else { return "—" }
    return "\(decimal(mean)) / \(decimal(median))"
  }

  func money(_ list: [Money], whole: Bool) -> String {
    list.isEmpty ? "—" : list.map { $0.formatted(l, whole: whole) }.joined(separator: " + ")
  }

  /// Cells laid out in columns after a one-column margin; dropped columns (width 0) are skipped.
  func row(_ cells: [(String, Style)], _ columns: [ReportColumn]) -> ReportLine {
    var runs: [(String, Style)] = [(" ", .plain)]
    var first = true
    for (i, c) in columns.enumerated() where c.width > 0 && i < cells.count {
      if !first { runs.append((" ", .plain)) }
      first = false
      runs.append((TextWidth.fit(cells[i].0, to: c.width, alignRight: c.right), cells[i].1))
    }
    return ReportLine(runs)
  }

  /// Gives the flexible column (`flex`) the width left over; while it would get fewer than
  /// `minFlex` columns, drops the optional columns from the right.
  func fitColumns(_ columns: [ReportColumn], flex: Int, width: Int, minFlex: Int, keep: Int)
    -> [ReportColumn]
  {
    var cols = columns
    func left() -> Int {
      let shown = cols.enumerated().filter { $0.offset == flex || $0.element.width > 0 }
      return width - 1 - cols.reduce(0) { $0 + $1.width } + cols[flex].width - (shown.count - 1)
    }
    var i = cols.count - 1
    while left() < minFlex && i >= keep {
      if i != flex { cols[i].width = 0 }
      i -= 1
    }
    cols[flex].width = Swift.max(0, left())
    return cols
  }

  static let barStyle = Style(color: .cyan)
  static let wonStyle = Style(color: .green)

  // MARK: Sections

  func emptyLines(_ width: Int) -> [ReportLine]? {
    if !anyDeals {
      return [
        .blank,
        .text(l.pick("No deals yet.", "Сделок пока нет."), .bold),
        .text(
          l.pick(
            "Reports appear here once deals move through the funnel (screen 4).",
            "Отчёты появятся, когда по воронке пойдут сделки (экран 4)."), .dim),
        .text(
          l.pick("e sets up the pipeline's stages.", "e — настроить этапы воронки."), .dim),
      ]
    }
    return nil
  }

  func funnelLines(_ width: Int) -> [ReportLine] {
    if let empty = emptyLines(width) { return empty }
    guard let r = report else { return [] }
    if r.total.created == 0 && r.total.won == 0 && r.total.lost == 0 {
      return noDealsInPeriod()
    }
    var out: [ReportLine] = []
    // Stages: name, bar of `reached`, the number, conversion from the previous stage, days.
    let cols = fitColumns(
      [
        ReportColumn(width: Swift.min(20, Swift.max(8, (width + 1) / 4))), ReportColumn(width: 0),
        ReportColumn(width: 6, right: true), ReportColumn(width: 5, right: true),
        ReportColumn(width: 12, right: true),
      ], flex: 1, width: width, minFlex: 8, keep: 2)
    out.append(
      row(
        [
          (l.pick("Stage", "Этап"), .bold),
          (l.pick("deals that reached it", "дошли до этапа"), .dim),
          (l.pick("Reach.", "Дошли"), .bold), (l.pick("Conv.", "Конв."), .bold),
          (l.pick("Days avg/med", "Дни ср./мед."), .bold),
        ], cols))
    let top = r.stages.map(\.reached).max() ?? 0
    for (i, s) in r.stages.enumerated() {
      out.append(
        row(
          [
            (s.stage.name(l), s.stage.kind == .won ? Self.wonStyle : .plain),
            (Self.bar(s.reached, of: top, width: cols[1].width), Self.barStyle),
            (f.integer(s.reached), .bold), (i == 0 ? "" : percent(s.conversion), .plain),
            (days(s.meanDays, s.medianDays), .plain),
          ], cols))
    }
    out.append(.blank)
    // Results.
    let t = r.total
    let pairs: [(String, String)] = [
      (l.pick("Created", "Создано"), f.integer(t.created)),
      (l.pick("Won", "Выиграно"), f.integer(t.won)),
      (l.pick("Lost", "Проиграно"), f.integer(t.lost)),
      (l.pick("Win rate", "Доля побед"), percent(t.winRate)),
      (l.pick("Revenue", "Выручка"), money(t.revenue, whole: false)),
      (l.pick("Overall conversion", "Сквозная конверсия"), percent(r.overallConversion)),
    ]
    if width >= 64 {
      for i in 0..<3 {
        out.append(
          ReportLine([
            (" " + TextWidth.fit(pairs[i].0, to: 11), .plain),
            (" " + TextWidth.fit(pairs[i].1, to: 7, alignRight: true) + "   ", .bold),
            (TextWidth.fit(pairs[i + 3].0, to: 19) + " ", .plain), (pairs[i + 3].1, .bold),
          ]))
      }
    } else {
      for p in pairs {
        out.append(ReportLine([(" " + TextWidth.fit(p.0, to: 19) + " ", .plain), (p.1, .bold)]))
      }
    }
    out += ReportLine.wrapped(
      l.pick(
        "Stages and conversion: deals created or closed in the period; won, lost, revenue: closed in it.",
        "Этапы и конверсия — по сделкам, созданным или закрытым в периоде; итоги — по закрытым в нём."
      ),
      width: width, .dim)
    out.append(.blank)
    out.append(.text(l.pick("By owner", "По ответственным"), .bold))
    out += groupTable(r.byOwner, first: l.pick("Owner", "Ответственный"), width: width)
    // Months: sparklines of created and won on one scale.
    if !r.byMonth.isEmpty {
      out.append(.blank)
      let label = ReportColumn(width: 10)
      let avail = Swift.max(0, width - 1 - label.width - 1 - 8)
      let months = Array(r.byMonth.suffix(Swift.max(1, avail)))
      let repeatBy = Swift.max(1, Swift.min(3, avail / Swift.max(1, months.count)))
      let peak = months.map { Swift.max($0.created, $0.won) }.max() ?? 0
      func monthName(_ key: String) -> String {
        let parts = key.split(separator: "-")
        return l == .ru && parts.count == 2 ? "\(parts[1]).\(parts[0])" : key
      }
      let range =
        months.count == 1
        ? monthName(months[0].key)
        : "\(monthName(months.first!.key)) … \(monthName(months.last!.key))"
      out.append(
        ReportLine([
          (" " + l.pick("By month", "По месяцам") + " ", .bold), ("· " + range, .dim),
        ]))
      for (name, values, style) in [
        (l.pick("Created", "Создано"), months.map(\.created), Self.barStyle),
        (l.pick("Won", "Выиграно"), months.map(\.won), Self.wonStyle),
      ] {
        let spark = Self.sparkline(values, max: peak).map {
          String(repeating: String($0), count: repeatBy)
        }.joined()
        out.append(
          ReportLine([
            (" " + TextWidth.fit(name, to: label.width) + " ", .plain), (spark, style),
            (" " + f.integer(values.reduce(0, +)), .bold),
          ]))
      }
    }
    return out
  }

  func noDealsInPeriod() -> [ReportLine] {
    [
      .blank,
      .text(
        l.pick(
          "No deals were created or closed in this period.",
          "В этом периоде сделки не создавались и не закрывались."), .bold),
      .text(
        l.pick(
          "[ ] other periods, p the period's length, o everyone / mine.",
          "[ ] — другие периоды, p — длина периода, o — все / мои."), .dim),
    ]
  }

  /// Owners or sources: created (with a bar), won, lost, win rate, revenue.
  func groupTable(_ groups: [GroupStat], first: String, width: Int) -> [ReportLine] {
    let cols = fitColumns(
      [
        ReportColumn(width: 16), ReportColumn(width: 0), ReportColumn(width: 7, right: true),
        ReportColumn(width: 7, right: true), ReportColumn(width: 7, right: true),
        ReportColumn(width: 5, right: true), ReportColumn(width: 13, right: true),
      ], flex: 1, width: width, minFlex: 6, keep: 3)
    var out = [
      row(
        [
          (first, .bold), ("", .plain), (l.pick("Created", "Создано"), .bold),
          (l.pick("Won", "Выигр."), .bold), (l.pick("Lost", "Проигр."), .bold),
          (l.pick("Win%", "Побед"), .bold), (l.pick("Revenue", "Выручка"), .bold),
        ], cols)
    ]
    let top = groups.map(\.created).max() ?? 0
    for g in groups {
      out.append(
        row(
          [
            (g.name, .plain), (Self.bar(g.created, of: top, width: cols[1].width), Self.barStyle),
            (f.integer(g.created), .bold), (f.integer(g.won), .plain), (f.integer(g.lost), .plain),
            (percent(g.winRate), .plain), (money(g.revenue, whole: true), .plain),
          ], cols))
    }
    return out
  }

  func sourceLines(_ width: Int) -> [ReportLine] {
    if let empty = emptyLines(width) { return empty }
    guard let r = report else { return [] }
    if r.bySource.isEmpty { return noDealsInPeriod() }
    return ReportLine.wrapped(
      l.pick(
        "Deals by lead source: created in the period (bar), closed in it (won, lost, revenue).",
        "Сделки по источникам: созданные в периоде (полоса) и закрытые в нём (итоги)."),
      width: width, .dim)
      + groupTable(r.bySource, first: l.pick("Source", "Источник"), width: width)
  }

  func stuckLines(_ width: Int) -> [ReportLine] {
    if let empty = emptyLines(width) { return empty }
    var out = ReportLine.wrapped(
      l.pick(
        "Open deals over their stage's time limit, now (the period does not apply); Enter opens the deal.",
        "Открытые сделки дольше срока своего этапа — на сегодня (период не учитывается); Enter — карточка сделки."
      ),
      width: width, .dim)
    if stuck.isEmpty {
      out.append(.blank)
      out.append(
        .text(
          l.pick(
            "No stuck deals: every open deal is within its stage's limit.",
            "Зависших сделок нет: все открытые сделки укладываются в сроки этапов."), .bold))
      return out
    }
    let cols = fitColumns(
      [
        ReportColumn(width: 0), ReportColumn(width: 20), ReportColumn(width: 16),
        ReportColumn(width: 8, right: true), ReportColumn(width: everyone ? 10 : 0),
      ], flex: 0, width: width, minFlex: 12, keep: 1)
    out.append(
      row(
        [
          (l.pick("Client", "Клиент"), .bold), (l.pick("Deal", "Сделка"), .bold),
          (l.pick("Stage", "Этап"), .bold), (l.pick("Over", "Сверх"), .bold),
          (l.pick("Owner", "Ответств."), .bold),
        ], cols))
    stuckFirstLine = out.count
    for (i, d) in stuck.enumerated() {
      let over = d.daysOver ?? 0
      let style: Style = i == stuckSelected ? Style(reverse: true) : .plain
      var late = Style(bold: true, color: .red)
      late.reverse = i == stuckSelected
      out.append(
        row(
          [
            (d.clientName, style), (d.deal.title, style), (d.stage.name(l), style),
            (l.pick("+\(over) d", "+\(over) дн."), late), (d.ownerLogin, style),
          ], cols))
    }
    if stuckMore {
      out.append(
        .text(
          l.pick(
            "The first \(Self.stuckLimit) are shown, most days over first.",
            "Показаны первые \(Self.stuckLimit), с наибольшей просрочкой."), .dim))
    }
    return out
  }

  func lines(_ width: Int) -> [ReportLine] {
    switch section {
    case .funnel: return funnelLines(width)
    case .sources: return sourceLines(width)
    case .stuck: return stuckLines(width)
    case .completeness: return base.completenessLines(self, width: width)
    case .segments: return base.segmentLines(self, width: width)
    case .classes: return base.classLines(self, width: width)
    case .campaigns: return campaignLines(width)
    }
  }

  public func draw(_ canvas: inout Canvas, top areaTop: Int, rows: Int, width: Int) {
    guard rows > 0, width > 0 else { return }
    refresh(app: nil)
    // Row 1: the sections, the current one highlighted.
    var col = 1
    // Every section whole: in short words when the full titles do not fit.
    let full = Section.allCases.reduce(1) { $0 + TextWidth.of($1.title(l)) + 3 }
    for s in Section.allCases {
      let active = s == section
      let title = full <= width ? s.title(l) : s.shortTitle(l)
      col = canvas.put(
        areaTop, col, " \(title) ", active ? Style(bold: true, reverse: true) : .dim,
        maxWidth: Swift.max(0, width - col))
      col += 1
    }
    guard rows > 1 else { return }
    // Row 2: pipeline · period · whose.
    let pipelineName =
      section == .campaigns
      ? l.pick("Marketing", "Маркетинг")
      : section.isClientBase ? l.pick("Client base", "Клиентская база") : pipeline?.name(l) ?? ""
    col = canvas.put(areaTop + 1, 1, pipelineName, .bold, maxWidth: Swift.max(0, width - 2))
    var info = " · " + periodTitle
    if let from = period.from, let to = period.to, length != .month {
      info += " (\(f.date(from)) – \(f.date(to.addingTimeInterval(-1))))"
    }
    info += " · " + (everyone ? l.pick("everyone", "все") : l.pick("mine", "мои"))
    if section == .stuck {
      info =
        " · " + l.pick("now", "сейчас") + " · "
        + (everyone ? l.pick("everyone", "все") : l.pick("mine", "мои"))
    }
    if section.isClientBase { info = " · " + base.info(section, everyone: everyone) }
    if section == .campaigns {
      info = " · " + l.pick("campaigns: ", "кампаний: ") + f.integer(campaigns.count)
    }
    // The bank queue on the right, when anything waits in it.
    var infoEnd = width - 1
    if queued > 0 {
      let bank = l.pick(
        " Bank: \(f.integer(queued)) queued [b] ", " Банк: \(f.integer(queued)) в очереди [b] ")
      let w = TextWidth.of(bank)
      if w + col + 4 <= width {
        infoEnd = width - w - 1
        canvas.put(areaTop + 1, infoEnd, bank, Style(bold: true, reverse: true, color: .yellow))
      }
    }
    canvas.put(areaTop + 1, col, info, .plain, maxWidth: Swift.max(0, infoEnd - col - 1))
    // The body scrolls.
    scroll.draw(&canvas, bodyTop: areaTop + 2, rows: rows - 2, width: width) { lines($0) }
  }

  // MARK: Keys

  func shift(_ n: Int, app: App) {
    guard length != .all, let from = period.from else {
      app.flash(
        l.pick(
          "All time has no previous or next period; p changes the length.",
          "У «всего времени» нет соседних периодов; p меняет длину периода."))
      return
    }
    anchor = CalendarMath.addMonths(from, n * length.months, cal)
    scroll.top = 0
  }

  public func handle(_ key: Key, app: App) {
    refresh(app: app)
    let action = keys.action(for: key)
    if section == .completeness && handleCompleteness(action, app: app) { return }
    if section == .stuck && handleStuck(action, app: app) { return }
    if scroll.move(action) { return }
    switch action {
    case .nextSection, .previousSection:
      let n = Section.allCases.count
      let step = action == .nextSection ? 1 : n - 1
      section = Section(rawValue: (section.rawValue + step) % n)!
      scroll.top = 0
    case .previous:
      shift(KeyboardLayout.latin(key) == .char("]") ? 1 : -1, app: app)
    case .today:
      anchor = context.db.clock.now()
      scroll.top = 0
    case .periodLength:
      length = PeriodLength(rawValue: (length.rawValue + 1) % PeriodLength.allCases.count)!
      scroll.top = 0
    case .scope:
      guard context.user != nil else {
        app.flash(l.pick("No acting user: everyone's deals.", "Нет пользователя: сделки всех."))
        return
      }
      everyone.toggle()
      scroll.top = 0
    case .nextPipeline:
      guard pipelines.count > 1, let p = pipeline,
        let i = pipelines.firstIndex(where: { $0.key == p.key })
      else {
        app.flash(
          l.pick(
            "There is one pipeline: «\(pipeline?.name(l) ?? "")».",
            "Воронка одна: «\(pipeline?.name(l) ?? "")»."))
        return
      }
      pipelineKey = pipelines[(i + 1) % pipelines.count].key
      scroll.top = 0
    case .edit:
      app.push(
        PipelineEditorScreen(context: context, pipeline: pipeline?.key) { [weak self] in
          self?.stale = true
        })
    case .bankQueue:
      app.push(BankQueueScreen(context: context) { [weak self] in self?.stale = true })
    case .reconcile:
      reconcile(app: app)
    case .quit:
      app.quit()
    default:
      break
    }
  }

  /// j/k, PgDn/PgUp, g/G move through the incomplete clients; Enter opens the card.
  func handleCompleteness(_ action: Action?, app: App) -> Bool {
    let count = base.incomplete.count
    var s = base.selected
    switch action {
    case .down: s += 1
    case .up: s -= 1
    case .pageDown: s += Swift.max(1, scroll.visible - 1)
    case .pageUp: s -= Swift.max(1, scroll.visible - 1)
    case .top: s = 0
    case .bottom: s = count - 1
    case .open:
      guard base.incomplete.indices.contains(base.selected) else { return true }
      app.push(
        ClientCardScreen(context: context, clientId: base.incomplete[base.selected].id, list: nil))
      return true
    default: return false
    }
    guard count > 0 else { return false }
    base.selected = Swift.max(0, Swift.min(count - 1, s))
    let line = base.firstClientLine + base.selected
    if base.selected == 0 { scroll.top = 0 }
    scroll.reveal(line)
    return true
  }

  /// j/k, PgDn/PgUp, g/G move through the stuck deals; Enter opens the deal card (its keys
  /// move the deal; back here the list is read again).
  func handleStuck(_ action: Action?, app: App) -> Bool {
    let count = stuck.count
    var s = stuckSelected
    switch action {
    case .down: s += 1
    case .up: s -= 1
    case .pageDown: s += Swift.max(1, scroll.visible - 1)
    case .pageUp: s -= Swift.max(1, scroll.visible - 1)
    case .top: s = 0
    case .bottom: s = count - 1
    case .open:
      guard stuck.indices.contains(stuckSelected) else { return true }
      app.push(
        DealCardScreen(context: context, dealId: stuck[stuckSelected].id, tab: tab) {
          [weak self] in
          self?.stale = true
        })
      return true
    default: return false
    }
    guard count > 0 else { return false }
    stuckSelected = Swift.max(0, Swift.min(count - 1, s))
    if stuckSelected == 0 { scroll.top = 0 }
    scroll.reveal(stuckFirstLine + stuckSelected)
    return true
  }

  /// `s`: the files to reconcile, then the result.
  func reconcile(app: App) {
    app.push(
      ReconcileFormScreen.make(context: context, statement: statementPath, acts: actsPath) {
        [weak self] statement, acts in
        self?.statementPath = statement
        self?.actsPath = acts
      })
  }
}

// MARK: Team work: campaigns

extension ReportsScreen {
  /// One row per campaign: targets, reached, no answer, interested, won deals, revenue won
  /// (roubles; «+» when other currencies were won too).
  func campaignLines(_ width: Int) -> [ReportLine] {
    if campaigns.isEmpty {
      return [
        .blank, .text(l.pick("No campaigns yet.", "Кампаний пока нет."), .bold),
        .text(
          l.pick(
            "crm campaign add NAME --channel call --from D --to D --filter NAME",
            "crm campaign add ИМЯ --channel call --from Д --to Д --filter ФИЛЬТР"), .dim),
      ]
    }
    var out = ReportLine.wrapped(
      l.pick(
        "Reached: the campaign contact done; interested: reached with a deal since the start.",
        "Связь — контакт кампании выполнен; интерес — связались и есть сделка с начала кампании."),
      width: width, .dim)
    let cols = fitColumns(
      [
        ReportColumn(width: 0), ReportColumn(width: 7, right: true),
        ReportColumn(width: 6, right: true), ReportColumn(width: 6, right: true),
        ReportColumn(width: 7, right: true), ReportColumn(width: 5, right: true),
        ReportColumn(width: 14, right: true),
      ], flex: 0, width: width, minFlex: 8, keep: 3)
    out.append(
      row(
        [
          (l.pick("Campaign", "Кампания"), .bold), (l.pick("Targets", "Клиент."), .bold),
          (l.pick("Reach", "Связь"), .bold), (l.pick("No ans", "Не отв"), .bold),
          (l.pick("Interest", "Интерес"), .bold), (l.pick("Won", "Выигр"), .bold),
          (l.pick("Revenue", "Выручка"), .bold),
        ], cols))
    for c in campaigns {
      var revenue = MoneyText.amount(Money(minor: c.revenue["RUB"] ?? 0), l)
      if c.revenue.keys.contains(where: { $0 != "RUB" }) { revenue += "+" }
      out.append(
        row(
          [
            ("№\(c.id) \(c.name) · \(c.channel.name(l))", .plain), (f.integer(c.targets), .plain),
            (f.integer(c.reached), .plain), (f.integer(c.noAnswer), .plain),
            (f.integer(c.interested), .plain), (f.integer(c.wonDeals), .plain), (revenue, .plain),
          ], cols))
    }
    return out
  }
}
