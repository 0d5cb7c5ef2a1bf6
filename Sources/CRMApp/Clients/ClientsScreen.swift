import CRMCore
import Foundation
import TerminalUI

/// Screen 1: the client base. Search box on top, a virtual list below: only the visible rows are
/// ever fetched, each page by one indexed SQL query.
@MainActor
public final class ClientsScreen: Screen {
  public let tab = 1
  public let context: AppContext
  public private(set) var query = ClientListQuery()
  var searchInput = TextInput()
  public private(set) var searching = false
  public private(set) var list = ListState()
  public private(set) var rows: [ClientRow] = []
  var windowTop = -1
  var stale = true
  /// Counting every match of a common word costs more than a keystroke may; the count stops at
  /// this cap (shown as "more than …") and grows tenfold when the selection comes near it.
  public private(set) var countCap = ClientsScreen.initialCap
  public static let initialCap = 1000
  /// True while `list.count` is `countCap + 1`, i.e. a lower bound (the whole list is exact).
  public var countIsPartial: Bool { !query.isWholeList && list.count > countCap }
  /// Clients marked with Space for a bulk change: ids, so they survive scrolling, paging and
  /// filter changes.
  public private(set) var marked: Set<Int64> = []
  /// `*`: every client this filter selects is marked (the filter is kept, not the ids).
  public private(set) var markedFilter: ClientListQuery?
  var markedFilterCount = 0
  /// How many clients are marked.
  public var markCount: Int { markedFilter != nil ? markedFilterCount : marked.count }

  /// What this list did itself (trash, restore, quick add and edit, contacts logged or planned
  /// from it): the changes its `u` may undo, oldest first. Changes made in a card or on another
  /// screen are not here, so `u` on the list never reaches them.
  public private(set) var ownChanges: [Int64] = []
  /// The bulk changes made from this list (their first change ids).
  var ownBulk: [Int64] = []

  public init(context: AppContext) {
    self.context = context
  }

  /// Marked clients are work in progress: quitting asks before dropping the marks.
  public var unsavedWork: String? {
    markCount == 0
      ? nil
      : l.pick(
        "\(context.formats.integer(markCount)) clients marked",
        "отмечено клиентов: \(context.formats.integer(markCount))")
  }

  /// The log's newest change now; what the signed-in user does to a client after it is noted
  /// by `noteOwn`.
  func undoMark() -> Int64 { (try? context.clients.changeMark()) ?? Int64.max }

  /// Notes the signed-in user's changes to client `id` after `mark` as made from this list.
  func noteOwn(client id: Int64, since mark: Int64) {
    ownChanges += (try? context.clients.myChanges(client: id, since: mark)) ?? []
  }

  public var keys: KeyTable<Action> {
    searching ? Self.searchKeyTable(context.language) : Self.keyTable(context.language)
  }
  public var capturesText: Bool { searching }

  var selectedRow: ClientRow? {
    refresh(app: nil)
    let i = list.selected - windowTop
    return rows.indices.contains(i) ? rows[i] : nil
  }

  public func dataChanged() { reload() }

  /// Forgets the cached count and window; the next draw asks SQL again.
  public func reload() {
    stale = true
    countCap = Self.initialCap
  }

  /// Selects a client (the one just added): in the list as it is when it shows there, else in
  /// the whole list (the search and filters cleared, the order kept).
  func select(clientId id: Int64) {
    var position = try? context.db.position(of: id, in: query)
    if position == nil {
      searchInput.text = ""
      query = ClientListQuery(sort: query.sort, descending: query.descending)
      position = try? context.db.position(of: id, in: query)
    }
    reload()
    refresh(app: nil)
    guard let position else { return }
    list.selected = position
    // The new row in the middle of the page, with its neighbours around it.
    list.top = max(0, position - list.visible / 2)
    list.clamp()
  }

  func refresh(app: App?) {
    do {
      if stale {
        list.count = try context.db.count(query, cap: countCap)
        windowTop = -1
        stale = false
      }
      list.clamp()
      if countIsPartial && list.selected + 2 * list.visible >= countCap {
        countCap *= 10
        list.count = try context.db.count(query, cap: countCap)
        list.clamp()
      }
      if windowTop != list.top || rows.count < min(list.visible, list.count - list.top) {
        rows = try context.db.page(query, offset: list.top, limit: list.visible)
        windowTop = list.top
      }
    } catch {
      rows = []
      app?.report(error)
    }
  }

  /// After a found client's name: why the search found it, when not by the name.
  static func why(_ r: ClientRow, _ l: Language) -> String {
    let text = r.match.text(l)
    return text.isEmpty ? "" : " · " + text
  }

  func columns() -> [Column] {
    let titles: [(ClientListQuery.Sort, String, Int)] = [
      (.name, l.pick("Name", "Название"), 0), (.city, l.pick("City", "Город"), 15),
      (.phone, l.pick("Phone", "Телефон"), 18), (.segment, l.pick("Segment", "Сегмент"), 10),
      (.owner, l.pick("Owner", "Ответственный"), 16),
      (.lastContact, l.pick("Last contact", "Контакт"), 12),
    ]
    return titles.map { sort, title, width in
      let mark =
        query.sort == sort && !query.trash && !query.isRanked
        ? (query.descending ? " ▼" : " ▲") : ""
      return Column(title + mark, width: width)
    }
  }

  public func draw(_ canvas: inout Canvas, top: Int, rows height: Int, width: Int) {
    list.visible = max(1, height - 2)
    refresh(app: nil)
    // Search line: label, box, and what is shown.
    let label =
      query.trash ? l.pick("Trash · search: ", "Корзина · поиск: ") : l.pick("Search: ", "Поиск: ")
    var col = canvas.put(top, 1, label, .bold)
    let marks = markCount
    let boxWidth = min(36, width / 2 - col)
    searchInput.draw(
      &canvas, row: top, col: col, width: boxWidth,
      style: Style(reverse: searching, underline: true),
      focused: searching)
    col += boxWidth + 2
    var info =
      countIsPartial
      ? l.pick(
        "more than \(context.formats.integer(countCap)) clients",
        "клиентов: более \(context.formats.integer(countCap))")
      : l.pick(
        "\(context.formats.integer(list.count)) clients",
        "клиентов: \(context.formats.integer(list.count))")
    if marks > 0 {
      info =
        l.pick(
          "marked \(context.formats.integer(marks))", "отмечено \(context.formats.integer(marks))")
        + " · " + info
    }
    if let s = query.segment { info += " · \(l.pick("segment", "сегмент")) \(s)" }
    if let o = query.ownerId, let u = try? context.db.users().first(where: { $0.id == o }) {
      info += " · \(u.login)"
    }
    if let tag = query.tag { info += " · #\(tag)" }
    if query.isRanked && list.count > 1 {
      info += l.pick(" · best first", " · лучшие сверху")
    }
    canvas.put(top, col, info, .dim, maxWidth: width - col - 1)
    let filterMarked = markedFilter.map { Self.sameClients($0, query) } ?? false
    let cells = rows.map { r -> [String] in
      [
        (marks == 0 ? "" : (filterMarked || marked.contains(r.id) ? "● " : "  ")) + r.name
          + Self.why(r, l),
        r.city, r.phone, r.segment, r.owner,
        (query.trash ? r.deletedAt : r.lastContact).map(context.formats.date) ?? "—",
      ]
    }
    if list.count == 0 {
      drawTable(
        &canvas, top: top + 1, rows: 1, width: width, columns: columns(), cells: [], firstIndex: 0,
        selected: nil)
      let empty =
        query.search.isEmpty && query.segment == nil && query.tag == nil && query.ownerId == nil
        ? (query.trash
          ? l.pick("The trash is empty.", "Корзина пуста.")
          : l.pick(
            "No clients yet. Press a to add the first one.",
            "Клиентов пока нет. Нажмите a, чтобы добавить первого."))
        : l.pick(
          "Nothing found. Esc clears the search.", "Ничего не найдено. Esc сбрасывает поиск.")
      canvas.notice(top + 3, empty, width: width)
      return
    }
    drawTable(
      &canvas, top: top + 1, rows: height - 1, width: width, columns: columns(), cells: cells,
      firstIndex: windowTop, selected: searching ? nil : list.selected)
  }

  public func handle(_ key: Key, app: App) {
    if searching {
      handleSearch(key)
      return
    }
    if countIsPartial && [.char("G"), .end].contains(KeyboardLayout.latin(key)) {
      countCap = Int.max - 1
      do { list.count = try context.db.count(query) } catch { app.report(error) }
    }
    if list.move(key) {
      refresh(app: app)
      return
    }
    switch keys.action(for: key) {
    case .search:
      searching = true
    case .open:
      if let r = selectedRow {
        app.push(ClientCardScreen(context: context, clientId: r.id, list: self))
      }
    case .add:
      let form = ClientFormScreen.add(context: context, list: self)
      let mark = undoMark()
      form.onSaved = { [weak self] id in self?.noteOwn(client: id, since: mark) }
      app.push(form)
    case .edit:
      if let r = selectedRow { openEditor(r.id, app: app) }
    case .delete:
      guard let r = selectedRow, !query.trash else { return }
      app.ask(
        l.pick("Delete", "Удаление"),
        l.pick(
          "Move \(Client.quoted(r.name)) to the trash?",
          "Переместить \(Client.quoted(r.name)) в корзину?")
      ) {
        [self] in
        do {
          let mark = undoMark()
          try context.clients.delete(r.id)
          noteOwn(client: r.id, since: mark)
          app.flash(
            l.pick(
              "\(Client.quoted(r.name)) moved to the trash; u undoes, t shows the trash.",
              "\(Client.quoted(r.name)) в корзине; u — отменить, t — открыть корзину."))
          reload()
        } catch { app.report(error) }
      }
    case .restore:
      guard let r = selectedRow, query.trash else { return }
      do {
        let mark = undoMark()
        try context.clients.restore(r.id)
        noteOwn(client: r.id, since: mark)
        app.flash(
          context.language.pick(
            "\(Client.quoted(r.name)) restored.", "\(Client.quoted(r.name)) восстановлен."))
        reload()
      } catch { app.report(error) }
    case .undo:
      undo(app: app)
      reload()
    case .sort:
      // A ranked search turns into the column order shown; then the columns take turns.
      if query.isRanked {
        query.ranked = false
      } else {
        let all = ClientListQuery.Sort.allCases
        query.sort = all[(all.firstIndex(of: query.sort)! + 1) % all.count]
      }
      reload()
    case .reverse:
      query.descending.toggle()
      reload()
    case .filter:
      app.push(FilterScreen(context: context, list: self))
    case .log:
      if let r = selectedRow {
        let mark = undoMark()
        ContactFlows.log(clientId: r.id, name: r.name, tab: tab, context: context, app: app) {
          [weak self] in
          self?.noteOwn(client: r.id, since: mark)
          self?.reload()
        }
      }
    case .plan:
      if let r = selectedRow {
        let mark = undoMark()
        ContactFlows.plan(clientId: r.id, name: r.name, tab: tab, context: context, app: app) {
          [weak self] in
          self?.noteOwn(client: r.id, since: mark)
          self?.reload()
        }
      }
    case .handover:
      guard !query.trash else { return }
      app.push(HandoverScreen(context: context, list: self, selected: selectedRow))
    case .duplicates:
      app.push(DuplicatesScreen(context: context) { [weak self] in self?.reload() })
    case .trash:
      query.trash.toggle()
      list = ListState()
      reload()
    case .mark:
      mark(app: app)
    case .markAll:
      markAll(app: app)
    case .bulk:
      openBulk(app: app)
    case .cancel:
      if markCount > 0 {
        clearMarks()
        app.flash(context.language.pick("Marks cleared.", "Отметки сняты."))
        return
      }
      searchInput.text = ""
      query = ClientListQuery(sort: query.sort, descending: query.descending, trash: query.trash)
      reload()
    case .quit:
      app.quit()
    default:
      break
    }
  }

  func handleSearch(_ key: Key) {
    switch key {
    case .enter, .down, .tab:
      searching = false
    case .escape:
      searching = false
      searchInput.text = ""
      setSearch("")
    default:
      if searchInput.handle(key) { setSearch(searchInput.text) }
    }
  }

  /// Sets the search text and starts again at the top of the results.
  public func setSearch(_ text: String) {
    guard text != query.search else { return }
    query.search = text
    if text.isEmpty { query.ranked = true }
    list.selected = 0
    list.top = 0
    reload()
  }

  func setFilters(segment: String?, ownerId: Int64?, tag: String?) {
    query.segment = segment
    query.ownerId = ownerId
    query.tag = tag
    list.selected = 0
    reload()
  }

  func openEditor(_ id: Int64, app: App) {
    do {
      guard let c = try context.clients.client(id) else { return }
      let form = ClientFormScreen.edit(context: context, client: c, list: self)
      let mark = undoMark()
      form.onSaved = { [weak self] id in self?.noteOwn(client: id, since: mark) }
      app.push(form)
    } catch { app.report(error) }
  }

  /// `u`: the latest change made from this list (a bulk change as a whole), named and asked
  /// about first. Nothing made elsewhere, or by somebody else, is reached from here.
  func undo(app: App) {
    do {
      let step = try context.clients.undoable(changes: ownChanges)
      if let op = ownBulk.last, op > (step?.changeId ?? 0) {
        let bulk = context.core.bulk
        app.ask(
          l.pick("Undo", "Отмена изменения"),
          l.pick(
            "Undo the last bulk change as a whole?",
            "Отменить последнее массовое изменение целиком?")
        ) { [self] in
          do {
            ownBulk.removeLast()
            if let r = try bulk.undo(op) {
              app.flash(r.summary(l))
            } else {
              app.flash(
                l.pick(
                  "That bulk change is already undone.", "Это массовое изменение уже отменено."))
            }
            reload()
          } catch { app.report(error) }
        }
        return
      }
      UndoFlow.offer(
        step,
        nothing: l.pick(
          "Nothing to undo: no change of yours was made from this list.",
          "Нечего отменять: из этого списка вы ничего не меняли."),
        context: context, app: app
      ) { [weak self] in self?.reload() }
    } catch { app.report(error) }
  }

  // MARK: Marks and bulk changes

  /// Whether two queries select the same clients (the order does not matter).
  static func sameClients(_ a: ClientListQuery, _ b: ClientListQuery) -> Bool {
    a.search == b.search && a.segment == b.segment && a.ownerId == b.ownerId && a.tag == b.tag
      && a.trash == b.trash
  }

  public func clearMarks() {
    marked = []
    markedFilter = nil
    markedFilterCount = 0
  }

  /// Space: marks or unmarks the selected client and moves to the next one.
  func mark(app: App) {
    if markedFilter != nil {
      app.flash(
        l.pick(
          "All clients of a filter are marked; Esc clears the marks.",
          "Отмечены все клиенты фильтра; Esc снимает отметки."))
      return
    }
    guard let r = selectedRow else { return }
    if marked.remove(r.id) == nil { marked.insert(r.id) }
    if marked.count == 1 {
      app.flash(
        l.pick(
          "Marked. B changes the marked clients, Esc clears the marks.",
          "Отмечено. B — изменить отмеченных, Esc — снять отметки."))
    }
    _ = list.move(.down)
    refresh(app: app)
  }

  /// `*`: marks every client the search and filters select; again on the same filter: unmarks.
  func markAll(app: App) {
    if let f = markedFilter, Self.sameClients(f, query) {
      clearMarks()
      app.flash(l.pick("Marks cleared.", "Отметки сняты."))
      return
    }
    do {
      var f = query
      f.sort = .name
      f.descending = false
      let n = try context.core.bulk
        .count(.query(f))
      clearMarks()
      markedFilter = f
      markedFilterCount = n
      app.flash(
        l.pick(
          "Marked all \(context.formats.integer(n)). B changes them, Esc clears the marks.",
          "Отмечено: \(context.formats.integer(n)). B — изменить, Esc — снять отметки."))
    } catch { app.report(error) }
  }

  /// `B`: the bulk change of the marked clients; without marks, of the filtered list, or of the
  /// selected client when no search or filter is on.
  func openBulk(app: App) {
    let f = context.formats
    let target: BulkTarget
    let what: String
    if let m = markedFilter {
      target = .query(m)
      what = l.pick("all marked by filter", "все отмеченные по фильтру")
    } else if !marked.isEmpty {
      target = .ids(marked.sorted())
      what = l.pick("marked \(f.integer(marked.count))", "отмечено \(f.integer(marked.count))")
    } else if !query.isWholeList {
      target = .query(query)
      what = l.pick("the filtered list", "отобранный список")
    } else if let r = selectedRow {
      target = .ids([r.id])
      what = Client.quoted(r.name)
    } else {
      return
    }
    do {
      let n = try context.core.bulk
        .count(target)
      app.push(
        BulkMenuScreen(context: context, target: target, count: n, what: what) {
          [weak self, weak app] result in
          guard let self else { return }
          var text = result.summary(l)
          if let op = result.operation {
            ownBulk.append(op)
            text += l.pick("; u undoes", "; u — отменить")
          }
          app?.flash(text)
          clearMarks()
          reload()
        })
    } catch { app.report(error) }
  }
}

/// Screens 2–6 until their issues land: what will be there, so nobody wonders.
@MainActor
final class PlaceholderScreen: Screen {
  let tab: Int
  let context: AppContext

  init(tab: Int, context: AppContext) {
    self.tab = tab
    self.context = context
  }

  func draw(_ canvas: inout Canvas, top: Int, rows: Int, width: Int) {
    let text: [Int: String] = [
      2: l.pick(
        "The contact calendar: day, week and month of planned calls and meetings, moved and edited in place.",
        "Календарь контактов: день, неделя и месяц запланированных звонков и встреч, перенос и правка на месте."
      ),
      3: l.pick(
        "Reminders: overdue and due-today contacts, one key per outcome — done, no answer, postpone.",
        "Напоминания: просроченные и сегодняшние контакты, одна клавиша на исход — сделано, не дозвонился, перенести."
      ),
      4: l.pick(
        "The funnel: deals as columns by stage, totals per stage, stuck deals marked.",
        "Воронка: сделки колонками по этапам, суммы по этапам, зависшие сделки отмечены."),
      5: l.pick(
        "Activity: calls, meetings and e-mails per manager by period, with charts drawn in text.",
        "Активность: звонки, встречи и письма по менеджерам за период, с графиками в тексте."),
      6: l.pick(
        "Reports: completeness, segments, ABC/XYZ, funnel conversion, payments, reconciliation with 1C.",
        "Отчёты: заполненность, сегменты, ABC/XYZ, конверсия воронки, платежи, сверка с 1С."),
    ]
    let title = App.tabTitles(l)[tab - 1]
    canvas.put(top + 1, 2, title, .bold)
    canvas.put(
      top + 3, 2, l.pick("Not built yet. It will show:", "Ещё не готов. Здесь будет:"), .dim)
    var r = top + 4
    var line = ""
    for word in (text[tab] ?? "").split(separator: " ") {
      if TextWidth.of(line + " " + word) > width - 6 {
        canvas.put(r, 4, line)
        r += 1
        line = String(word)
      } else {
        line = line.isEmpty ? String(word) : line + " " + word
      }
    }
    canvas.put(r, 4, line)
    canvas.put(
      r + 2, 2,
      l.pick("Press 1 to go back to the clients.", "Нажмите 1, чтобы вернуться к клиентам."), .dim)
  }

  func handle(_ key: Key, app: App) {
    if keys.action(for: key) == .quit { app.quit() }
  }
}
