import CRMCore
import Foundation
import TerminalUI

/// Likely duplicate clients (or contact persons), best first, with score and reasons: Enter
/// compares a pair side by side, `m` merges it as it is (the left one stays), `n` marks it "not
/// a duplicate", `p` switches between clients and persons, `u` undoes the last merge or mark.
/// Reached from the Clients screen with `D`.
@MainActor
final class DuplicatesScreen: ListScreen {
  /// What `u` undoes first (before the acting user's latest merge).
  enum Done: Equatable {
    case marked(DuplicateEntity, Int64, Int64)
    case merged(Int64)
  }

  let tab = 1
  let context: AppContext
  let onChange: () -> Void
  var entity: DuplicateEntity = .client
  private(set) var pairs: [DuplicatePair] = []
  var list = ListState()
  var stale = true
  private(set) var last: Done?
  /// Pairs scored below this are left out; `-` and `+` change it by 10 (pairs with different
  /// valid ИНН score at most 50, so they show from 50 down).
  var minScore = DuplicateFinder.threshold

  init(context: AppContext, onChange: @escaping () -> Void = {}) {
    self.context = context
    self.onChange = onChange
  }

  func dataChanged() { stale = true }

  var finder: DuplicateFinder {
    context.core.duplicates
  }
  var merges: MergeService {
    context.core.merges
  }

  func readRows() throws { pairs = try finder.scan(entity, minScore: minScore) }
  func forgetRows() { pairs = [] }
  var rowCount: Int { pairs.count }

  var selected: DuplicatePair? {
    pairs.indices.contains(list.selected) ? pairs[list.selected] : nil
  }

  var what: String {
    entity == .client ? l.pick("clients", "клиенты") : l.pick("contact persons", "контактные лица")
  }

  func draw(_ canvas: inout Canvas, top: Int, rows height: Int, width: Int) {
    guard height > 0, width > 4 else { return }
    refresh(app: nil)
    var col = canvas.put(
      top, 1, l.pick("Duplicates: ", "Дубли: ") + what, .bold, maxWidth: width - 2)
    let count =
      pairs.isEmpty
      ? ""
      : l.pick(" · \(pairs.count) pairs", " · пар: \(pairs.count)")
    col = canvas.put(top, col, count, .bold, maxWidth: max(0, width - col - 1))
    canvas.put(
      top, col, l.pick(" · score ≥ \(minScore)", " · оценка ≥ \(minScore)"), .dim,
      maxWidth: max(0, width - col - 1))
    guard height > 2 else { return }
    if pairs.isEmpty {
      let lines = [
        entity == .client
          ? l.pick("No likely duplicate clients.", "Похожих клиентов нет.")
          : l.pick("No likely duplicate contact persons.", "Похожих контактных лиц нет."),
        l.pick(
          "Pairs are found by ИНН, phone, e-mail and a similar name; pairs marked «not a "
            + "duplicate» are left out; - and + change the least score shown.",
          "Пары ищутся по ИНН, телефону, e-mail и похожему названию; пары с отметкой «не дубль» "
            + "не показываются; - и + меняют наименьшую оценку."),
        entity == .client
          ? l.pick("p shows contact persons; q goes back.", "p — контактные лица; q — назад.")
          : l.pick("p shows clients; q goes back.", "p — клиенты; q — назад."),
      ]
      var r = top + 2
      for line in lines {
        for part in wrap(line, width: width - 4) where r < top + height {
          canvas.notice(r, part, width: width)
          r += 1
        }
        r += 1
      }
      return
    }
    let detailRows = height >= 12 ? 3 : 0
    let tableRows = height - 1 - detailRows
    let name = max(16, min(30, (width - 34) / 2))
    let columns = [
      Column(l.pick("Score", "Оценка"), width: 6, alignRight: true),
      Column(l.pick("Left (stays)", "Слева (остаётся)"), width: name),
      Column(l.pick("Right", "Справа"), width: name),
      Column(l.pick("Why", "Почему"), width: 0),
    ]
    list.visible = max(1, tableRows - 1)
    list.clamp()
    let shown = Array(pairs.dropFirst(list.top).prefix(list.visible))
    let cells = shown.map { p -> [String] in
      [
        String(p.score), "#\(p.first) \(p.firstName)", "#\(p.second) \(p.secondName)",
        (p.conflictingINN ? "≠ИНН " : "") + p.reasonsText(l),
      ]
    }
    drawTable(
      &canvas, top: top + 1, rows: tableRows, width: width, columns: columns, cells: cells,
      firstIndex: list.top, selected: list.selected,
      rowStyle: { [pairs] i in
        pairs.indices.contains(i) && pairs[i].conflictingINN ? Style(color: .yellow) : .plain
      })
    guard detailRows > 0, let p = selected else { return }
    var r = top + 1 + tableRows
    canvas.put(r, 0, String(repeating: "─", count: width), .dim)
    r += 1
    var text = p.reasonsText(l)
    if p.conflictingINN {
      text += l.pick(
        ". Different valid ИНН: merged only after a second confirmation.",
        ". Разные действительные ИНН: объединить можно только после второго подтверждения.")
    }
    for line in wrap(text, width: width - 2).prefix(detailRows - 1) {
      canvas.put(r, 1, line, p.conflictingINN ? Style(color: .yellow) : .plain, maxWidth: width - 2)
      r += 1
    }
  }

  func handle(_ key: Key, app: App) {
    guard let action = listAction(key, app: app) else { return }
    switch action {
    case .previous:
      let step = key == .char("+") ? 10 : -10
      minScore = max(10, min(100, minScore + step))
      list = ListState()
      stale = true
    case .switchEntity:
      entity = entity == .client ? .person : .client
      list = ListState()
      stale = true
    case .open:
      guard let p = selected, MoneyFlows.requireUser(context, app) else { return }
      do {
        app.push(try MergeCompareScreen(context: context, pair: p, list: self))
      } catch { app.report(error) }
    case .merge:
      guard let p = selected, MoneyFlows.requireUser(context, app) else { return }
      do {
        let c = try MergeCompareScreen.Comparison.load(
          context: context, entity: p.entity, keep: p.first, other: p.second, choices: [:])
        confirmMerge(c, choices: [:], app: app)
      } catch { app.report(error) }
    case .notDuplicate:
      guard let p = selected, MoneyFlows.requireUser(context, app) else { return }
      markNotDuplicate(p.entity, p.first, p.second, names: (p.firstName, p.secondName), app: app)
    case .undo:
      undo(app: app)
    default:
      break
    }
  }

  func markNotDuplicate(
    _ entity: DuplicateEntity, _ a: Int64, _ b: Int64, names: (String, String), app: App
  ) {
    do {
      try finder.markNotDuplicate(entity, a, b)
      last = .marked(entity, min(a, b), max(a, b))
      app.flash(
        l.pick("Not duplicates: ", "Не дубли: ") + names.0 + " / " + names.1
          + l.pick("; u undoes.", "; u — отмена."))
      changed()
    } catch { app.report(error) }
  }

  /// Asks with what moves; a conflict of ИНН asks a second time, naming both.
  func confirmMerge(
    _ c: MergeCompareScreen.Comparison, choices: [String: MergeChoice], app: App,
    done: @escaping () -> Void = {}
  ) {
    if let problem = c.problems.first {
      app.flash(problem, error: true)
      return
    }
    let moves = c.moves.map { "\($0.label) \($0.count)" }.joined(separator: ", ")
    let text =
      l.pick("«\(c.otherName)» goes to the trash; ", "«\(c.otherName)» уйдёт в корзину; ")
      + (moves.isEmpty
        ? l.pick("nothing else moves.", "больше ничего не переносится.")
        : l.pick("moves to «\(c.keepName)»: ", "к «\(c.keepName)» перейдут: ") + moves + ".")
      + l.pick(" u undoes.", " u — отмена.")
    app.ask(l.pick("Merge the two?", "Объединить?"), text) { [weak self] in
      guard let self else { return }
      if c.conflictingINN {
        app.ask(
          l.pick("Different ИНН!", "Разные ИНН!"),
          l.pick(
            "ИНН \(c.keepINN) and \(c.otherINN) are both valid: usually two companies. "
              + "Merge all the same?",
            "ИНН \(c.keepINN) и \(c.otherINN) оба действительны: обычно это разные организации. "
              + "Всё равно объединить?")
        ) { [weak self] in
          self?.merge(c, choices: choices, force: true, app: app, done: done)
        }
      } else {
        self.merge(c, choices: choices, force: false, app: app, done: done)
      }
    }
  }

  func merge(
    _ c: MergeCompareScreen.Comparison, choices: [String: MergeChoice], force: Bool, app: App,
    done: () -> Void
  ) {
    do {
      let r =
        c.entity == .client
        ? try merges.merge(keep: c.keep, other: c.other, choices: choices, force: force)
        : try merges.mergePersons(keep: c.keep, other: c.other, choices: choices)
      if let id = r.mergeId { last = .merged(id) }
      done()
      app.flash(
        l.pick("Merged into ", "Объединено в ") + r.survivorName
          + l.pick("; u undoes.", "; u — отмена."))
      changed()
    } catch { app.report(error) }
  }

  func undo(app: App) {
    guard MoneyFlows.requireUser(context, app) else { return }
    do {
      if case .marked(let e, let a, let b) = last {
        try finder.unmarkNotDuplicate(e, a, b)
        self.last = nil
        app.flash(l.pick("The pair is back in the list.", "Пара снова в списке."))
        changed()
        return
      }
      let r: UnmergeResult?
      if case .merged(let id) = last {
        r = try merges.undo(id)
      } else {
        r = try merges.undoLast()
      }
      self.last = nil
      guard let r else {
        app.flash(l.pick("No merge of yours to undo.", "Ваших объединений для отмены нет."))
        return
      }
      app.flash(
        l.pick("Merge undone: ", "Объединение отменено: ") + r.mergedName
          + l.pick(" is separate again.", " снова отдельно."))
      changed()
    } catch { app.report(error) }
  }

  func changed() {
    stale = true
    onChange()
  }
}

/// Two clients (or persons) side by side: per field the left (survivor's) value, the right one,
/// and which the survivor gets (←/→, Space; lists and notes can take both); `s` swaps which one
/// stays, `m` merges, `n` marks the pair "not a duplicate".
@MainActor
final class MergeCompareScreen: Screen {
  /// What the comparison shows, for clients and persons alike.
  struct Comparison {
    var entity: DuplicateEntity
    var keep: Int64
    var other: Int64
    var keepName: String
    var otherName: String
    var fields: [MergeField]
    var moves: [MergeMove]
    var conflictingINN = false
    var keepINN = ""
    var otherINN = ""
    var problems: [String] = []

    static func load(
      context: AppContext, entity: DuplicateEntity, keep: Int64, other: Int64,
      choices: [String: MergeChoice]
    ) throws(CRMError) -> Comparison {
      let m = context.core.merges
      if entity == .client {
        let p = try m.preview(keep: keep, other: other, choices: choices)
        return Comparison(
          entity: entity, keep: keep, other: other, keepName: p.keep.displayName,
          otherName: p.other.displayName, fields: p.fields, moves: p.moves,
          conflictingINN: p.conflictingINN, keepINN: p.keep.inn, otherINN: p.other.inn,
          problems: p.problems)
      }
      let p = try m.previewPersons(keep: keep, other: other, choices: choices)
      return Comparison(
        entity: entity, keep: keep, other: other, keepName: "\(p.keep.name) (\(p.keepClient))",
        otherName: "\(p.other.name) (\(p.otherClient))", fields: p.fields, moves: p.moves)
    }
  }

  let tab = 1
  let context: AppContext
  weak var listScreen: DuplicatesScreen?
  let pair: DuplicatePair
  private(set) var comparison: Comparison
  private(set) var choices: [String: MergeChoice] = [:]
  var list = ListState()

  init(context: AppContext, pair: DuplicatePair, list: DuplicatesScreen?) throws(CRMError) {
    self.context = context
    self.pair = pair
    self.listScreen = list
    comparison = try Comparison.load(
      context: context, entity: pair.entity, keep: pair.first, other: pair.second, choices: [:])
  }

  /// Fields with something on either side.
  var rows: [MergeField] { comparison.fields.filter { !$0.keep.isEmpty || !$0.other.isEmpty } }

  func reload(app: App) {
    do {
      comparison = try Comparison.load(
        context: context, entity: comparison.entity, keep: comparison.keep,
        other: comparison.other, choices: choices)
    } catch { app.report(error) }
  }

  func draw(_ canvas: inout Canvas, top: Int, rows height: Int, width: Int) {
    guard height > 4, width > 20 else { return }
    let c = comparison
    var col = canvas.put(top, 1, l.pick("Keep ", "Оставить "), .dim)
    col = canvas.put(top, col, "#\(c.keep) \(c.keepName)", .bold, maxWidth: (width - 12) / 2)
    col = canvas.put(top, col, l.pick(" ← merge ", " ← влить "), .dim)
    canvas.put(
      top, col, "#\(c.other) \(c.otherName)", .bold, maxWidth: max(0, width - col - 1))
    var info = l.pick("score \(pair.score): ", "оценка \(pair.score): ") + pair.reasonsText(l)
    if c.conflictingINN {
      info = l.pick("DIFFERENT ИНН! ", "РАЗНЫЕ ИНН! ") + info
    }
    canvas.put(
      top + 1, 1, info, c.conflictingINN ? Style(bold: true, color: .yellow) : .dim,
      maxWidth: width - 2)
    let fields = rows
    let footer = 2
    let tableTop = top + 2
    let tableRows = height - 2 - footer
    let label = 14
    let side = (width - label - 3 - 3) / 2
    // Header
    canvas.fill(tableTop, 0, width: width, .bold)
    canvas.put(tableTop, 0, TextWidth.fit(l.pick("Field", "Поле"), to: label), .bold)
    canvas.put(tableTop, label + 1, l.pick("Left: stays", "Слева: остаётся"), .bold, maxWidth: side)
    canvas.put(
      tableTop, label + side + 5, l.pick("Right: merged", "Справа: вливается"), .bold,
      maxWidth: side)
    list.count = fields.count
    list.visible = max(1, tableRows - 1)
    list.clamp()
    for (i, f) in fields.dropFirst(list.top).prefix(list.visible).enumerated() {
      let index = list.top + i
      let r = tableTop + 1 + i
      let isSelected = index == list.selected
      if isSelected { canvas.fill(r, 0, width: width, .reverse) }
      func style(_ taken: Bool) -> Style {
        var s: Style = taken ? .bold : .dim
        if !f.differs { s = .plain }
        s.reverse = isSelected
        return s
      }
      let left = f.choice != .other
      let right = f.choice != .keep
      canvas.put(r, 0, TextWidth.fit(f.label, to: label), isSelected ? .reverse : .plain)
      canvas.put(r, label + 1, TextWidth.fit(f.keep.isEmpty ? "—" : f.keep, to: side), style(left))
      let mark = !f.differs ? " = " : (f.choice == .both ? "◀+▶" : (left ? " ◀ " : " ▶ "))
      canvas.put(r, label + side + 2, mark, style(true))
      canvas.put(
        r, label + side + 5, TextWidth.fit(f.other.isEmpty ? "—" : f.other, to: side), style(right))
    }
    // What the survivor gets for the selected field, and what moves.
    var r = top + height - footer
    if fields.indices.contains(list.selected) {
      let f = fields[list.selected]
      canvas.put(r, 1, f.label + ": ", .dim)
      canvas.put(
        r, 1 + TextWidth.of(f.label) + 2, f.result.isEmpty ? "—" : f.result, .bold,
        maxWidth: max(0, width - TextWidth.of(f.label) - 4))
    }
    r += 1
    let moves = c.moves.map { "\($0.label) \($0.count)" }.joined(separator: ", ")
    let text =
      c.problems.first
      ?? (moves.isEmpty
        ? l.pick("Nothing else moves.", "Больше ничего не переносится.")
        : l.pick("Moves: ", "Перейдут: ") + moves)
    canvas.put(r, 1, text, c.problems.isEmpty ? .dim : .error, maxWidth: width - 2)
  }

  func handle(_ key: Key, app: App) {
    if list.move(key) { return }
    let fields = rows
    let field = fields.indices.contains(list.selected) ? fields[list.selected] : nil
    switch keys.action(for: key) {
    case .back: app.pop()
    case .takeLeft:
      guard let f = field else { return }
      choose(f, .keep, app: app)
    case .takeRight:
      guard let f = field else { return }
      choose(f, .other, app: app)
    case .toggleChoice:
      guard let f = field, let i = f.choices.firstIndex(of: f.choice) else { return }
      choose(f, f.choices[(i + 1) % f.choices.count], app: app)
    case .swapSides:
      // The right one stays now; choices made so far are turned around.
      var swapped: [String: MergeChoice] = [:]
      for (k, v) in choices {
        swapped[k] = v == .keep ? .other : (v == .other ? .keep : .both)
      }
      do {
        comparison = try Comparison.load(
          context: context, entity: comparison.entity, keep: comparison.other,
          other: comparison.keep, choices: swapped)
        choices = swapped
        app.flash(
          l.pick("Now «", "Теперь остаётся «") + comparison.keepName
            + l.pick("» stays.", "»."))
      } catch { app.report(error) }
    case .merge:
      guard let listScreen else { return }
      listScreen.confirmMerge(comparison, choices: choices, app: app) { app.pop() }
    case .notDuplicate:
      guard let listScreen else { return }
      listScreen.markNotDuplicate(
        comparison.entity, comparison.keep, comparison.other,
        names: (comparison.keepName, comparison.otherName), app: app)
      app.pop()
    default:
      break
    }
  }

  func choose(_ f: MergeField, _ choice: MergeChoice, app: App) {
    guard f.differs else {
      app.flash(l.pick("Both are the same here.", "Здесь значения совпадают."))
      return
    }
    choices[f.key] = choice
    reload(app: app)
  }
}
