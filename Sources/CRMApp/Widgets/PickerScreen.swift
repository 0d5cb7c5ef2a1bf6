import CRMCore
import Foundation
import TerminalUI

/// One line of a picker.
struct PickItem: Equatable, Sendable {
  var key: String
  var label: String
  var detail: String = ""
}

/// Picks one item from a list with the arrows and Enter; letters typed filter it. The items
/// come from `source(text, limit)`, so a long list (clients) is asked from SQL one window at a
/// time and a short one (lost reasons, stages) is filtered in memory (`fixed`).
@MainActor
final class PickerScreen: Screen {
  let tab: Int
  let context: AppContext
  let title: String
  let prompt: String
  let cancelMessage: String
  let source: (String, Int) throws(CRMError) -> [PickItem]
  let onPick: (PickItem, App) -> Void
  var filter = TextInput()
  var items: [PickItem] = []
  var list = ListState()
  var loaded: (text: String, limit: Int)?
  var capturesText: Bool { true }

  init(
    tab: Int, context: AppContext, title: String, prompt: String, cancelMessage: String? = nil,
    source: @escaping (String, Int) throws(CRMError) -> [PickItem],
    onPick: @escaping (PickItem, App) -> Void
  ) {
    self.tab = tab
    self.context = context
    self.title = title
    self.prompt = prompt
    self.cancelMessage = cancelMessage ?? context.language.pick("Cancelled.", "Отменено.")
    self.source = source
    self.onPick = onPick
  }

  /// A picker over a short list known up front: typed letters keep the items whose label
  /// contains them (case and ё folded).
  static func fixed(
    tab: Int, context: AppContext, title: String, prompt: String, items: [PickItem],
    cancelMessage: String? = nil, onPick: @escaping (PickItem, App) -> Void
  ) -> PickerScreen {
    PickerScreen(
      tab: tab, context: context, title: title, prompt: prompt, cancelMessage: cancelMessage,
      source: { text, _ in
        let k = TextFold.key(text.trimmingSpaces())
        if k.isEmpty { return items }
        return items.filter { TextFold.key($0.label).contains(k) || TextFold.key($0.key) == k }
      }, onPick: onPick)
  }

  /// A picker over the client base: search as you type (name, phone, ИНН) one window of SQL
  /// at a time; the item's key is the client's id.
  static func clients(
    tab: Int, context: AppContext, title: String, prompt: String? = nil,
    cancelMessage: String? = nil, filter: String = "", onPick: @escaping (PickItem, App) -> Void
  ) -> PickerScreen {
    let l = context.language
    let picker = PickerScreen(
      tab: tab, context: context, title: title,
      prompt: prompt
        ?? l.pick(
          "Type a part of the name, a phone or an INN; Enter picks.",
          "Введите часть названия, телефон или ИНН; Enter — выбрать."),
      cancelMessage: cancelMessage,
      source: { text, limit throws(CRMError) in
        try context.db.page(ClientListQuery(search: text), offset: 0, limit: limit).map {
          PickItem(
            key: "\($0.id)", label: $0.name,
            detail: [$0.city, $0.phone].filter { !$0.isEmpty }.joined(separator: " · "))
        }
      }, onPick: onPick)
    picker.filter = TextInput(filter)
    return picker
  }

  var selected: PickItem? { items.indices.contains(list.selected) ? items[list.selected] : nil }

  func refresh(app: App?) {
    let want = (filter.text, max(list.visible, 1))
    if let l = loaded, l.text == want.0, l.limit >= want.1 { return }
    do {
      items = try source(want.0, want.1)
    } catch {
      items = []
      app?.report(error)
    }
    if loaded?.text != want.0 { list.selected = 0 }
    loaded = want
    list.count = items.count
    list.clamp()
  }

  func draw(_ canvas: inout Canvas, top: Int, rows: Int, width: Int) {
    guard rows > 0, width > 4 else { return }
    canvas.put(top, 1, title, .bold, maxWidth: width - 2)
    canvas.put(top + 1, 1, prompt, .dim, maxWidth: width - 2)
    let label = l.pick("Filter: ", "Фильтр: ")
    let col = canvas.put(top + 2, 1, label, .bold)
    filter.draw(
      &canvas, row: top + 2, col: col, width: max(1, min(40, width - col - 2)),
      style: Style(reverse: true, underline: true), focused: true)
    list.visible = max(1, rows - 4)
    refresh(app: nil)
    if items.isEmpty {
      canvas.put(top + 4, 3, l.pick("Nothing matches.", "Ничего не подходит."), .dim)
      return
    }
    let labelWidth = min(
      max(10, width / 2), (items.map { TextWidth.of($0.label) }.max() ?? 0) + 2)
    for (n, item) in items.dropFirst(list.top).prefix(list.visible).enumerated() {
      let r = top + 4 + n
      let isSelected = list.top + n == list.selected
      let style: Style = isSelected ? .reverse : .plain
      canvas.fill(r, 1, width: width - 2, style)
      canvas.put(r, 2, TextWidth.fit(item.label, to: labelWidth), style)
      if !item.detail.isEmpty {
        var d = Style.dim
        d.reverse = isSelected
        canvas.put(r, 3 + labelWidth, item.detail, d, maxWidth: width - labelWidth - 5)
      }
    }
  }

  func handle(_ key: Key, app: App) {
    switch key {
    case .escape:
      app.pop()
      app.flash(cancelMessage)
    case .enter:
      refresh(app: app)
      guard let item = selected else { return }
      app.pop()
      onPick(item, app)
    case .down: move(1)
    case .up: move(-1)
    case .pageDown: move(list.visible)
    case .pageUp: move(-list.visible)
    default:
      if filter.handle(key) { refresh(app: app) }
    }
  }

  func move(_ n: Int) {
    list.selected += n
    list.clamp()
  }
}
