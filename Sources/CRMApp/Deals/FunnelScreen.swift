import CRMCore
import Foundation
import TerminalUI

/// Screen 4: the funnel as a kanban board. A column per open stage of the current pipeline with
/// its count, sum, weighted sum and stuck deals; cards longest in the stage first. Columns keep a
/// readable width and scroll sideways to keep the selected one visible (‹ › say more stages are
/// there); each column scrolls on its own, and only the visible page of each is read from SQL.
@MainActor
public final class FunnelScreen: Screen {
  public let tab = 4
  public let context: AppContext
  public private(set) var pipeline: Pipeline?
  public private(set) var pipelineCount = 0
  public private(set) var columns: [FunnelColumn] = []
  public private(set) var filter: DealFilter
  /// Won and lost this month, per currency.
  public private(set) var month: [DealStatus: [CurrencyTotal]] = [:]
  /// The selected column (an index into `columns`).
  public private(set) var column = 0
  /// The first column on screen.
  public private(set) var firstVisible = 0
  public private(set) var visibleColumns = 1
  /// Selection and scroll of each column, by stage id.
  var states: [Int64: ListState] = [:]
  /// Cards that fit a column: the `cardsPerColumn` of the board query.
  public private(set) var cardsPerColumn = 1
  var loaded: (offsets: [Int64: Int], per: Int)?
  var stale = true
  /// The money of the deals on the board (those with invoices or contracts), read in one query
  /// per board load.
  public private(set) var money: [Int64: MoneySummary] = [:]
  var moneyIds: [Int64] = []
  /// The filter's owner login (when not the user) and lead-source name, for the title line.
  var ownerLabel: String?
  var sourceLabel: String?
  /// Narrowest column that stays readable.
  public static let minColumnWidth = 24
  /// Rows a card takes.
  static let cardHeight = 2

  public init(context: AppContext) {
    self.context = context
    filter = DealFilter(ownerId: context.user?.id)
  }

  public func dataChanged() { stale = true }
  var mine: Bool { filter.ownerId != nil && filter.ownerId == context.user?.id }

  // MARK: Data

  /// Reads the pipeline and the board when something changed: data, the filter, a column's
  /// scroll or the rows that fit. Only `cardsPerColumn` cards per column are read.
  func refresh(app: App?) {
    do {
      if stale || pipeline == nil {
        moneyIds = []
        let all = try context.pipelines.pipelines()
        pipelineCount = all.count
        pipeline = all.first { $0.key == pipeline?.key } ?? all.first
        // Names for the title line, read here rather than on every frame.
        ownerLabel = try filter.ownerId.flatMap { o in
          o == context.user?.id ? nil : try context.db.users().first { $0.id == o }?.login ?? "?"
        }
        sourceLabel = try filter.source.map { s in
          try context.pipelines.leadSources().first { $0.key == s }?.name(l) ?? s
        }
      }
      guard let p = pipeline else {
        columns = []
        return
      }
      for _ in 0..<3 {
        let offsets = Dictionary(
          uniqueKeysWithValues: p.openStages.map { ($0.id, states[$0.id]?.top ?? 0) })
        if !stale, let loaded, loaded.offsets == offsets, loaded.per == cardsPerColumn { break }
        if !stale, let loaded, loaded.per == cardsPerColumn,
          columns.map(\.stage.id) == p.openStages.map(\.id)
        {
          // Only some columns scrolled: read just those (their totals come along, cheaply).
          for (i, c) in columns.enumerated() where loaded.offsets[c.stage.id] != offsets[c.stage.id]
          {
            let one = Pipeline(id: p.id, key: p.key, name: p.name, stages: [c.stage])
            if let fresh = try context.deals.board(
              one, filter: filter, cardsPerColumn: cardsPerColumn, offsets: offsets
            ).first {
              columns[i] = fresh
            }
          }
        } else {
          columns = try context.deals.board(
            p, filter: filter, cardsPerColumn: cardsPerColumn, offsets: offsets)
        }
        if stale {
          let cal = context.timeContext.calendar
          let now = context.db.clock.now()
          let start = CalendarMath.startOfMonth(now, cal)
          month = try context.deals.closedTotals(
            pipelineId: p.id, filter: filter, from: start,
            to: CalendarMath.addMonths(start, 1, cal))
        }
        stale = false
        loaded = (offsets, cardsPerColumn)
        // Counts may have shrunk under a scrolled column: clamp, and read again if it moved.
        for c in columns {
          var s = states[c.stage.id] ?? ListState()
          s.count = c.count
          s.visible = cardsPerColumn
          s.clamp()
          states[c.stage.id] = s
        }
      }
      column = max(0, min(column, columns.count - 1))
      let ids = columns.flatMap { $0.cards.map(\.id) }
      if ids != moneyIds {
        money = try context.money.summaries(dealIds: ids)
        moneyIds = ids
      }
    } catch {
      columns = []
      app?.report(error)
    }
  }

  var selectedColumn: FunnelColumn? {
    columns.indices.contains(column) ? columns[column] : nil
  }

  var selectedCard: DealCard? {
    guard let c = selectedColumn, let s = states[c.stage.id] else { return nil }
    let i = s.selected - c.offset
    return c.cards.indices.contains(i) ? c.cards[i] : nil
  }

  /// The selected deal as a row, for the shared deal actions.
  func selectedDeal(app: App) -> DealRow? {
    guard let card = selectedCard else {
      app.flash(l.pick("No deal selected.", "Сделка не выбрана."))
      return nil
    }
    do {
      return try context.deals.deal(card.id)
    } catch {
      app.report(error)
      return nil
    }
  }

  // MARK: Layout

  /// How many columns of at least `minWidth` fit in `width` (with a one-column margin for the
  /// ‹ › markers on each side and a separator between columns), their width, and the first
  /// one shown so that `selected` stays visible.
  static func layout(count: Int, width: Int, selected: Int, first: Int, minWidth: Int = 24)
    -> (first: Int, shown: Int, width: Int)
  {
    guard count > 0 else { return (0, 0, max(0, width - 2)) }
    let inner = max(1, width - 2)
    let shown = max(1, min(count, (inner + 1) / (minWidth + 1)))
    let colWidth = max(1, (inner - (shown - 1)) / shown)
    var f = first
    if selected < f { f = selected }
    if selected >= f + shown { f = selected - shown + 1 }
    f = max(0, min(f, count - shown))
    return (f, shown, colWidth)
  }

  /// The sum in the main currency (the one with the most deals), "+N cur." for the others.
  func totalText(_ totals: [CurrencyTotal]) -> String {
    guard let main = totals.first else { return "" }
    var s = main.money.compact(l)
    if totals.count > 1 { s += l.pick(" +\(totals.count - 1) cur.", " +\(totals.count - 1) вал.") }
    return s
  }

  func dealsWord(_ n: Int) -> String {
    l == .ru
      ? "\(context.formats.integer(n)) \(RussianPlural.pick(n, "сделка", "сделки", "сделок"))"
      : "\(context.formats.integer(n)) \(n == 1 ? "deal" : "deals")"
  }

  // MARK: Drawing

  public func draw(_ canvas: inout Canvas, top: Int, rows: Int, width: Int) {
    guard rows > 0, width > 2 else { return }
    // Title, four header rows and a rule above the cards; the month's results below them.
    let cardTop = top + 6
    let cardRows = rows - 6 - 1
    cardsPerColumn = max(1, (cardRows - 1) / Self.cardHeight)
    refresh(app: nil)
    drawTitle(&canvas, top: top, width: width)
    guard let p = pipeline, rows >= 8 else { return }
    if p.openStages.isEmpty {
      canvas.notice(
        top + 2, l.pick("This pipeline has no open stages.", "В этой воронке нет открытых этапов."),
        width: width)
      return
    }
    let lay = Self.layout(
      count: columns.count, width: width, selected: column, first: firstVisible,
      minWidth: Self.minColumnWidth)
    firstVisible = lay.first
    visibleColumns = lay.shown
    let empty = columns.allSatisfy { $0.count == 0 }
    for i in 0..<lay.shown {
      let index = lay.first + i
      guard columns.indices.contains(index) else { break }
      let x = 1 + i * (lay.width + 1)
      drawColumn(
        &canvas, columns[index], selected: index == column, x: x, width: lay.width, top: top + 1,
        cardTop: cardTop, cardRows: cardRows, quiet: empty)
      if i < lay.shown - 1 {
        for r in (top + 1)..<(top + rows - 1) { canvas.put(r, x + lay.width, "│", .dim) }
      }
    }
    let marker = Style(bold: true, reverse: true)
    if lay.first > 0 {
      for r in (top + 1)...(top + 2) { canvas.put(r, 0, "‹", marker) }
    }
    if lay.first + lay.shown < columns.count {
      for r in (top + 1)...(top + 2) { canvas.put(r, width - 1, "›", marker) }
    }
    if empty && rows > 8 {
      let text =
        filter.isEmpty || (mine && filter == DealFilter(ownerId: filter.ownerId))
        ? (mine
          ? l.pick(
            "No open deals of yours — press a to add one (u shows everyone's)",
            "Нет ваших открытых сделок — нажмите a, чтобы добавить (u — все сделки)")
          : l.pick(
            "No open deals — press a to add one", "Нет открытых сделок — нажмите a, чтобы добавить"))
        : l.pick(
          "No open deals match the filter — Esc clears it",
          "Нет открытых сделок по фильтру — Esc сбрасывает его")
      let w = min(width - 4, TextWidth.of(text))
      canvas.fill(cardTop + 1, max(0, (width - w) / 2 - 1), width: w + 2, .plain)
      canvas.put(cardTop + 1, max(1, (width - w) / 2), text, .bold, maxWidth: width - 2)
    }
    drawMonth(&canvas, row: top + rows - 1, width: width)
  }

  func drawTitle(_ canvas: inout Canvas, top: Int, width: Int) {
    guard let p = pipeline else {
      canvas.put(top, 1, l.pick("No pipelines configured.", "Воронки не настроены."), .error)
      return
    }
    var col = canvas.put(top, 1, p.name(l), .bold)
    var info = " · " + (mine ? l.pick("mine", "мои") : l.pick("everyone's", "все"))
    if let owner = ownerLabel { info = " · " + owner }
    let total = columns.reduce(0) { $0 + $1.count }
    let stuck = columns.reduce(0) { $0 + $1.stuckCount }
    info += " · " + l.pick("open: ", "открыто: ") + dealsWord(total)
    let f = context.formats
    if let from = filter.from { info += l.pick(" · from ", " · с ") + f.date(from) }
    if let to = filter.to {
      info +=
        l.pick(" · to ", " · по ")
        + f.date(CalendarMath.addDays(to, -1, context.timeContext.calendar))
    }
    if let source = sourceLabel { info += " · " + source }
    if pipelineCount > 1 { info += l.pick(" · P: next pipeline", " · P — другая воронка") }
    col = canvas.put(top, col, info, .dim, maxWidth: width - col - 1)
    if stuck > 0 {
      canvas.put(
        top, col, l.pick(" · stuck: \(stuck)", " · зависло: \(stuck)"),
        Style(bold: true, color: .red), maxWidth: width - col - 1)
    }
  }

  func drawColumn(
    _ canvas: inout Canvas, _ c: FunnelColumn, selected: Bool, x: Int, width: Int, top: Int,
    cardTop: Int, cardRows: Int, quiet: Bool
  ) {
    let head = selected ? Style(bold: true, reverse: true) : Style.bold
    canvas.fill(top, x, width: width, head)
    canvas.put(top, x, " " + TextWidth.truncate(c.stage.name(l), to: width - 1), head)
    let inner = max(0, width - 1)
    var col = canvas.put(top + 1, x + 1, dealsWord(c.count), .plain, maxWidth: inner)
    if c.stuckCount > 0 {
      col = canvas.put(top + 1, col, " · ", .dim, maxWidth: x + width - col)
      canvas.put(
        top + 1, col,
        TextWidth.truncate(
          l.pick("\(c.stuckCount) stuck", "зависло \(c.stuckCount)"), to: x + width - col),
        Style(bold: true, color: .red))
    }
    if c.count > 0 {
      canvas.put(
        top + 2, x + 1, TextWidth.truncate("Σ " + totalText(c.totals), to: inner),
        .bold)
      // The weighted sum of the main currency; its label only when it fits.
      var weighted = "≈ " + (c.totals.first.map { $0.weightedMoney.compact(l) } ?? "")
      let label = l.pick(" weighted", " взвеш.")
      if TextWidth.of(weighted + label) <= inner { weighted += label }
      canvas.put(top + 3, x + 1, TextWidth.truncate(weighted, to: inner), .dim)
    }
    let state = states[c.stage.id] ?? ListState()
    let rule = top + 4
    if c.offset > 0 {
      canvas.put(
        rule, x,
        l.pick("─ ▲ \(c.offset) more ", "─ ▲ ещё \(context.formats.integer(c.offset)) ")
          + String(repeating: "─", count: max(0, width)), .dim, maxWidth: width)
    } else {
      canvas.put(rule, x, String(repeating: "─", count: width), .dim)
    }
    if c.cards.isEmpty {
      if !quiet {
        canvas.put(cardTop, x + 1, l.pick("no deals", "нет сделок"), .dim, maxWidth: width - 1)
      }
      return
    }
    for (n, card) in c.cards.enumerated() {
      let y = cardTop + n * Self.cardHeight
      if y + Self.cardHeight > cardTop + cardRows { break }
      drawCard(
        &canvas, card, x: x, y: y, width: width,
        selected: selected && c.offset + n == state.selected)
    }
    let below = c.count - c.offset - c.cards.count
    if below > 0 {
      canvas.put(
        cardTop + c.cards.count * Self.cardHeight, x + 1,
        l.pick("▼ \(below) more", "▼ ещё \(context.formats.integer(below))"), .dim,
        maxWidth: width)
    }
  }

  func drawCard(
    _ canvas: inout Canvas, _ card: DealCard, x: Int, y: Int, width: Int, selected: Bool
  ) {
    var base = Style.plain
    base.reverse = selected
    canvas.fill(y, x, width: width, base)
    canvas.fill(y + 1, x, width: width, base)
    let days: String
    var daysStyle = base
    if let over = card.daysOver {
      days = l.pick("+\(over) d", "+\(over) дн")
      daysStyle.bold = true
      daysStyle.color = .red
    } else {
      days = l.pick("\(card.daysInStage) d", "\(card.daysInStage) дн")
      daysStyle.dim = !selected
    }
    let dw = TextWidth.of(days)
    var name = base
    name.bold = true
    // Invoiced deals: the share paid before the days, «₽ 50%» (red when overdue).
    var mark = ""
    var markStyle = base
    if let m = money[card.id], m.invoiced > 0 {
      let share = m.paid >= m.invoiced ? 100 : Int(m.paid * 100 / m.invoiced)
      mark = m.currency.symbol + "\u{00A0}\(share)%"
      markStyle.bold = true
      markStyle.color = m.overdue > 0 ? .red : (share >= 100 ? .green : .yellow)
    }
    let mw = mark.isEmpty ? 0 : TextWidth.of(mark) + 1
    if mw > 0 && width - dw - mw - 3 < 6 { mark = "" }
    let markWidth = mark.isEmpty ? 0 : mw
    canvas.put(y, x + 1, TextWidth.truncate(card.clientName, to: width - dw - markWidth - 3), name)
    if !mark.isEmpty {
      canvas.put(y, x + width - dw - markWidth - 1, mark, markStyle, maxWidth: markWidth)
    }
    canvas.put(y, x + width - dw - 1, days, daysStyle, maxWidth: dw)
    let amount = card.amount.minor == 0 ? "" : card.amount.compact(l)
    let aw = TextWidth.of(amount)
    canvas.put(
      y + 1, x + 1, TextWidth.truncate(card.title, to: width - aw - (aw > 0 ? 3 : 2)), base)
    if aw > 0 { canvas.put(y + 1, x + width - aw - 1, amount, base, maxWidth: aw) }
  }

  func drawMonth(_ canvas: inout Canvas, row: Int, width: Int) {
    let cal = context.timeContext.calendar
    let m = cal.component(.month, from: context.db.clock.now())
    var text = l.pick("", "За ") + CalendarScreen.monthName(m, l)
    if l == .en { text = text.prefix(1).uppercased() + text.dropFirst() }
    let won = month[.won] ?? []
    let lost = month[.lost] ?? []
    func part(_ list: [CurrencyTotal], _ en: String, _ ru: String) -> String {
      let n = list.reduce(0) { $0 + $1.count }
      var s = l.pick("\(en) \(n)", "\(ru) \(n)")
      if n > 0, list.contains(where: { $0.sum > 0 }) {
        s += " (" + totalText(list) + ")"
      }
      return s
    }
    text +=
      ": " + part(won, "won", "выиграно") + " · " + part(lost, "lost", "проиграно")
    canvas.put(row, 1, text, .dim, maxWidth: width - 2)
  }

  // MARK: Keys

  public func handle(_ key: Key, app: App) {
    refresh(app: app)
    let action = keys.action(for: key)
    let changed: () -> Void = { [weak self] in self?.stale = true }
    switch action {
    case .previous: column = max(0, column - 1)
    case .next: column = min(max(0, columns.count - 1), column + 1)
    case .down: moveCard(1)
    case .up: moveCard(-1)
    case .pageDown: moveCard(cardsPerColumn, page: true)
    case .pageUp: moveCard(-cardsPerColumn, page: true)
    case .top: moveCard(-Int.max / 2)
    case .bottom: moveCard(Int.max / 2)
    case .open:
      if let card = selectedCard {
        app.push(DealCardScreen(context: context, dealId: card.id, tab: tab, onChange: changed))
      }
    case .forward, .backward, .won, .lost, .moveStage:
      guard let row = selectedDeal(app: app) else { return }
      switch action {
      case .forward:
        DealFlows.step(row, by: 1, tab: tab, context: context, app: app, changed: changed)
      case .backward:
        DealFlows.step(row, by: -1, tab: tab, context: context, app: app, changed: changed)
      case .won: DealFlows.won(row, tab: tab, context: context, app: app, changed: changed)
      case .lost: DealFlows.lost(row, tab: tab, context: context, app: app, changed: changed)
      default: DealFlows.pickStage(row, tab: tab, context: context, app: app, changed: changed)
      }
    case .add:
      DealFlows.pickClientAndAdd(
        pipeline: pipeline, tab: tab, context: context, app: app, changed: changed)
    case .filter:
      app.push(
        DealFilterScreen(context: context, filter: filter) { [weak self] f in self?.setFilter(f) })
    case .scope:
      setFilter(
        DealFilter(
          ownerId: mine ? nil : context.user?.id, source: filter.source, from: filter.from,
          to: filter.to))
      app.flash(
        mine ? l.pick("Your deals.", "Ваши сделки.") : l.pick("Everyone's deals.", "Все сделки."))
    case .cancel:
      setFilter(DealFilter(ownerId: context.user?.id))
    case .nextPipeline:
      nextPipeline(app: app)
    case .reload:
      stale = true
      refresh(app: app)
      app.flash(l.pick("Reloaded.", "Обновлено."))
    case .quit:
      app.quit()
    default:
      break
    }
  }

  func moveCard(_ n: Int, page: Bool = false) {
    guard let c = selectedColumn else { return }
    var s = states[c.stage.id] ?? ListState(count: c.count)
    s.visible = cardsPerColumn
    s.selected = max(0, min(s.count - 1, s.selected + max(-s.count, min(s.count, n))))
    if page { s.top += n }
    s.clamp()
    states[c.stage.id] = s
  }

  func setFilter(_ f: DealFilter) {
    filter = f
    states = [:]
    stale = true
  }

  func nextPipeline(app: App) {
    do {
      let all = try context.pipelines.pipelines()
      guard all.count > 1 else {
        app.flash(l.pick("There is only one pipeline.", "Воронка только одна."))
        return
      }
      let i = all.firstIndex { $0.key == pipeline?.key } ?? -1
      pipeline = all[(i + 1) % all.count]
      column = 0
      firstVisible = 0
      states = [:]
      stale = true
      app.flash(pipeline!.name(l))
    } catch { app.report(error) }
  }
}
