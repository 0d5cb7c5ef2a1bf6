import CRMCore
import Foundation
import TerminalUI

/// A configurable list of the sales process (lead sources or lost reasons): add, rename,
/// delete, reorder. Deals keep an entry's key, so renaming changes only the names.
@MainActor
final class ChoiceListScreen: ConfigListEditor {
  enum Which {
    case leadSources, lostReasons, outcomes

    var path: WritableKeyPath<FunnelConfig, [Choice]> {
      switch self {
      case .leadSources: \.leadSources
      case .lostReasons: \.lostReasons
      case .outcomes: \.outcomes
      }
    }

    func title(_ l: Language) -> String {
      switch self {
      case .leadSources: l.pick("Lead sources", "Источники лидов")
      case .lostReasons: l.pick("Lost reasons", "Причины проигрыша")
      case .outcomes: l.pick("Contact outcomes", "Результаты контактов")
      }
    }
  }

  let tab: Int
  let context: AppContext
  let which: Which
  let onChange: () -> Void
  private(set) var items: [Choice] = []
  var list = ListState()
  var stale = true
  var selectKey: String?
  var problem: String?

  init(context: AppContext, which: Which, tab: Int, onChange: @escaping () -> Void) {
    self.context = context
    self.which = which
    self.tab = tab
    self.onChange = onChange
  }

  func dataChanged() { stale = true }

  var selectedKey: String? { selected?.key }
  var selected: Choice? { items.indices.contains(list.selected) ? items[list.selected] : nil }

  func readRows() throws {
    items = try context.core.pipelines.current()[keyPath: which.path]
  }
  var rowCount: Int { items.count }
  func rowToSelect() -> Int? { selectedAfterEdit(in: items.map(\.key)) }

  func draw(_ canvas: inout Canvas, top: Int, rows: Int, width: Int) {
    guard rows > 0, width > 0 else { return }
    refresh(app: nil)
    let col = canvas.put(top, 1, which.title(l), .bold, maxWidth: max(0, width - 2))
    canvas.put(
      top, col,
      which == .outcomes
        ? l.pick(
          " · saved as you change; offered when a contact is logged",
          " · изменения сохраняются сразу; их предлагают при записи контакта")
        : l.pick(
          " · saved as you change; deals keep the key",
          " · изменения сохраняются сразу; у сделок остаётся ключ"),
      .dim, maxWidth: max(0, width - col - 1))
    guard rows > 1 else { return }
    if items.isEmpty {
      canvas.notice(
        top + 2, l.pick("The list is empty: a adds an entry.", "Список пуст: a — добавить."),
        width: width)
    }
    let problemLines = problem.map { wrap($0, width: width - 2) } ?? []
    let tableRows = max(1, rows - 1 - min(problemLines.count, max(0, rows - 3)))
    list.visible = max(1, tableRows - 1)
    list.clamp()
    if !items.isEmpty {
      let cells = items.dropFirst(list.top).prefix(list.visible).map {
        [$0.key, $0.name, $0.nameEn]
      }
      drawTable(
        &canvas, top: top + 1, rows: min(tableRows, rows - 1), width: width,
        columns: [
          Column(l.pick("Key", "Ключ"), width: 16), Column(l.pick("Name", "Название"), width: 0),
          Column(l.pick("English name", "По-английски"), width: 24),
        ], cells: Array(cells), firstIndex: list.top, selected: list.selected)
    }
    for (i, line) in problemLines.suffix(max(0, rows - 1 - tableRows)).enumerated() {
      canvas.put(top + 1 + tableRows + i, 1, line, .error, maxWidth: width - 2)
    }
  }

  func handle(_ key: Key, app: App) {
    problem = nil
    if moveSelection(key, app: app) { return }
    let action = keys.action(for: key)
    switch action {
    case .edit:
      guard let c = selected else { return }
      app.push(ChoiceFormScreen(context: context, list: self, choice: c, mode: .edit(c.key)))
    case .add:
      app.push(
        ChoiceFormScreen(
          context: context, list: self, choice: nil, mode: .add(after: selected?.key)))
    case .delete:
      guard let c = selected else { return }
      app.ask(
        which.title(l),
        l.pick("Delete «\(c.name(l))» from the list?", "Удалить «\(c.name(l))» из списка?")
      ) { [weak self] in
        guard let self else { return }
        if case .success = self.change(app: app, { $0.removeAll { $0.key == c.key } }) {
          app.flash(l.pick("«\(c.name(l))» deleted.", "«\(c.name(l))» удалено."))
        }
      }
    case .reorder:
      guard let c = selected, let i = items.firstIndex(of: c) else { return }
      let j = i + (KeyboardLayout.latin(key) == .char("K") ? -1 : 1)
      guard items.indices.contains(j) else { return }
      if case .success = change(app: app, select: c.key, { $0.swapAt(i, j) }) {
        app.flash(l.pick("Order saved.", "Порядок сохранён."))
      }
    case .back:
      app.pop()
    default:
      break
    }
  }

  /// Applies `edit` to the list; on success reselects `select` (or the current entry).
  @discardableResult
  func change(app: App, select: String? = nil, _ edit: @escaping (inout [Choice]) throws -> Void)
    -> Result<PipelineChanges, CRMError>
  {
    let path = which.path
    return applyEdit(app: app, select: select) { config in try edit(&config[keyPath: path]) }
  }
}

/// Adds an entry to a list (the key defaults to the name) or renames one.
@MainActor
final class ChoiceFormScreen: FormScreen {
  let mode: EntryFormMode
  weak var list: ChoiceListScreen?

  init(context: AppContext, list: ChoiceListScreen, choice: Choice?, mode: EntryFormMode) {
    self.mode = mode
    self.list = list
    let l = context.language
    var fields = [
      FormField(key: "name", label: l.pick("Name", "Название"), value: choice?.name ?? ""),
      FormField(
        key: "name_en", label: l.pick("English name", "По-английски"), value: choice?.nameEn ?? ""),
    ]
    if case .add = mode {
      fields.append(
        FormField(
          key: "key", label: l.pick("Key", "Ключ"),
          note: l.pick(
            "empty = the name; deals store it", "пусто — как название; его хранят сделки")))
    }
    let title: String
    switch mode {
    case .edit(let key): title = list.which.title(l) + ": «\(key)»"
    case .add: title = list.which.title(l) + l.pick(": new entry", ": новая запись")
    }
    super.init(context: context, form: Form(title: title, fields: fields), tab: list.tab)
  }

  override var cancelMessage: String {
    context.language.pick("List not changed.", "Список не изменён.")
  }

  override func submit(app: App) -> Bool {
    let name = form.value("name").trimmingSpaces()
    let nameEn = form.value("name_en").trimmingSpaces()
    guard let list else { return true }
    let result: Result<PipelineChanges, CRMError>
    switch mode {
    case .edit(let key):
      result = list.change(app: app, select: key) { items in
        guard let i = items.firstIndex(where: { $0.key == key }) else { return }
        items[i].name = name
        items[i].nameEn = nameEn
      }
    case .add(let after):
      let typed = form.value("key").trimmingSpaces()
      let key = typed.isEmpty ? name : typed
      result = list.change(app: app, select: key) { items in
        let i =
          after.flatMap { a in items.firstIndex { $0.key == a } }.map { $0 + 1 } ?? items.count
        items.insert(Choice(key: key, name: name, nameEn: nameEn), at: i)
      }
    }
    switch result {
    case .success:
      app.flash(l.pick("Saved.", "Сохранено."))
      return true
    case .failure(let e):
      list.problem = nil
      if case .invalid(_, let problem) = e {
        let p = problem.lowercased()
        let onKey = p.contains("twice") || p.contains("дважды") || p.contains("1–60")
        form.setError(onKey && form.fields.contains { $0.key == "key" } ? "key" : "name", problem)
      }
      return false
    }
  }
}
